import { formatDay } from "~/domain/dates";
import { daysBetween } from "~/domain/period";
import { ChartFigure, GRID, INK, MUTED } from "./chart-figure";
import { formatNumber, round2 } from "./format";

// A commitment's check-ins over time against where it started and where it promised to be:
// time runs from the day it was committed to its due date (or the last check-in, if later);
// the baseline and the target are labelled horizontal lines, the check-ins a line of points.
// For a deliverable (no number to move) it plots the forecast probability of delivery 0–100 %.

const LEFT = 56;
const RIGHT = 96;
const TOP = 20;
const PLOT_HEIGHT = 180;
const BOTTOM = 40;
const PLOT_WIDTH = 520;
const LINE = "#1f6b3a";
const TARGET = "#8a3b00";

export interface ProgressPoint {
  /** The check-in's calendar day, "2026-05-15". */
  date: string;
  value: number;
}

export interface ProgressChartProps {
  title: string;
  /** What the values measure, for the description and the table: "p95 latency", "Probability of delivery". */
  measure: string;
  unit: string;
  start: string;
  due: string;
  points: readonly ProgressPoint[];
  baseline: number | null;
  target: number | null;
  /** A fixed range (0–100 for a probability) instead of one fitted to the values. */
  range?: [number, number];
}

function withUnit(value: number, unit: string): string {
  if (!unit) return formatNumber(value);
  return unit === "%" ? `${formatNumber(value)}%` : `${formatNumber(value)} ${unit}`;
}

/** Lower and upper bound with a little room, so no point sits on the frame. */
export function valueRange(values: readonly number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = hi === lo ? Math.max(1, Math.abs(hi) * 0.1) : (hi - lo) * 0.1;
  return [lo - pad, hi + pad];
}

export function ProgressChart({ title, measure, unit, start, due, points, baseline, target, range }: ProgressChartProps) {
  const sorted = [...points].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const first = sorted[0]?.date && sorted[0].date < start ? sorted[0].date : start;
  const lastPoint = sorted[sorted.length - 1]?.date;
  const last = lastPoint && lastPoint > due ? lastPoint : due;
  const span = Math.max(1, daysBetween(first, last));
  const [lo, hi] = range ?? valueRange([...sorted.map((p) => p.value), ...(baseline === null ? [] : [baseline]), ...(target === null ? [] : [target])]);
  const width = LEFT + PLOT_WIDTH + RIGHT;
  const height = TOP + PLOT_HEIGHT + BOTTOM;
  const bottom = TOP + PLOT_HEIGHT;
  const xOf = (date: string) => round2(LEFT + (daysBetween(first, date) / span) * PLOT_WIDTH);
  const yOf = (value: number) => round2(bottom - ((value - lo) / (hi - lo || 1)) * PLOT_HEIGHT);
  const placed = sorted.map((p) => ({ ...p, x: xOf(p.date), y: yOf(p.value) }));
  const ticks = [lo, (lo + hi) / 2, hi];

  const described = sorted.map((p) => `${formatDay(p.date)}: ${withUnit(p.value, unit)}`).join("; ");
  const refs = [baseline === null ? null : `baseline ${withUnit(baseline, unit)}`, target === null ? null : `target ${withUnit(target, unit)} by ${formatDay(due)}`]
    .filter(Boolean)
    .join(", ");
  const desc = `${measure} from ${formatDay(first)} to ${formatDay(last)}${refs ? ` (${refs})` : ""}. ${
    sorted.length === 0 ? "No check-in has a value yet." : `Check-ins: ${described}.`
  }`;

  const refLine = (value: number, label: string, colour: string, dash?: string) => (
    <g className="chart__reference">
      <line x1={LEFT} x2={LEFT + PLOT_WIDTH} y1={yOf(value)} y2={yOf(value)} stroke={colour} strokeWidth={1.5} strokeDasharray={dash} />
      <text x={LEFT + PLOT_WIDTH + 6} y={yOf(value) + 4} fontSize={12} fill={colour}>
        {label}
      </text>
    </g>
  );

  return (
    <ChartFigure
      kind="progress"
      title={title}
      desc={desc}
      width={width}
      height={height}
      table={{
        caption: title,
        columns: ["Date", measure],
        rows: [
          ...(baseline === null ? [] : [[`${formatDay(start)} (baseline)`, withUnit(baseline, unit)]]),
          ...sorted.map((p) => [formatDay(p.date), withUnit(p.value, unit)]),
          ...(target === null ? [] : [[`${formatDay(due)} (target)`, withUnit(target, unit)]]),
        ],
      }}
    >
      <g className="chart__axis">
        {ticks.map((t, i) => (
          <g key={i}>
            <line x1={LEFT} x2={LEFT + PLOT_WIDTH} y1={yOf(t)} y2={yOf(t)} stroke={i === 0 ? INK : GRID} strokeWidth={1} />
            <text x={LEFT - 6} y={yOf(t) + 4} fontSize={12} textAnchor="end" fill={MUTED}>
              {withUnit(round2(t), unit)}
            </text>
          </g>
        ))}
        <text x={LEFT} y={bottom + 18} fontSize={12} fill={INK}>
          {formatDay(first)}
        </text>
        <text x={LEFT + PLOT_WIDTH} y={bottom + 18} fontSize={12} textAnchor="end" fill={INK}>
          {formatDay(last)}
        </text>
        <line x1={xOf(due)} x2={xOf(due)} y1={TOP} y2={bottom} stroke={MUTED} strokeWidth={1} strokeDasharray="2 3" />
        <text x={xOf(due)} y={bottom + 34} fontSize={12} textAnchor={xOf(due) > LEFT + PLOT_WIDTH / 2 ? "end" : "start"} fill={MUTED}>
          due
        </text>
      </g>
      {baseline === null ? null : refLine(baseline, "baseline", MUTED, "6 4")}
      {target === null ? null : refLine(target, "target", TARGET)}
      {placed.length > 1 ? <polyline points={placed.map((p) => `${p.x},${p.y}`).join(" ")} fill="none" stroke={LINE} strokeWidth={2.5} /> : null}
      {placed.map((p, i) => (
        <circle key={`${i}-${p.date}`} cx={p.x} cy={p.y} r={4.5} fill={LINE} stroke="#ffffff" strokeWidth={1.5} />
      ))}
    </ChartFigure>
  );
}
