import { ChartFigure, GRID, INK, MUTED } from "./chart-figure";
import { clampFraction, formatPercent, plural, round2 } from "./format";

// Delivery rate per period as points joined by a line, each labelled with its percentage and,
// under the axis, how many commitments it rests on. A period with nothing resolved has no
// rate: the line breaks there rather than pretending to pass through zero or to interpolate.

const LEFT = 48;
const RIGHT = 16;
const TOP = 24;
const PLOT_HEIGHT = 200;
const BOTTOM = 44;
const MIN_PLOT_WIDTH = 416;
const MIN_STEP = 72;
const TICKS = [0, 0.25, 0.5, 0.75, 1] as const;

export interface RatePoint {
  /** The period, e.g. "FY2026-Q1". */
  label: string;
  /** Delivery rate 0..1; null when nothing was resolved in the period. */
  rate: number | null;
  /** Resolved commitments the rate is computed from. */
  n: number;
}

export interface RateTrendProps {
  title: string;
  points: readonly RatePoint[];
  id?: string;
}

/** Runs of consecutive points that have a rate; each becomes one unbroken line. */
function runs<T extends { y: number | null }>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  let current: T[] = [];
  for (const item of items) {
    if (item.y === null) {
      if (current.length > 0) result.push(current);
      current = [];
    } else {
      current.push(item);
    }
  }
  if (current.length > 0) result.push(current);
  return result;
}

function resolvedNote(n: number): string {
  return plural(n, "resolved commitment");
}

export function RateTrend({ title, points, id }: RateTrendProps) {
  const longest = Math.max(0, ...points.map((p) => p.label.length));
  // Wide enough that period labels never collide; the viewBox scales the whole to the page.
  const step = Math.max(MIN_STEP, longest * 7.5 + 12);
  const plotWidth = Math.max(MIN_PLOT_WIDTH, step * points.length);
  const slot = points.length > 0 ? plotWidth / points.length : plotWidth;
  const width = round2(LEFT + plotWidth + RIGHT);
  const height = TOP + PLOT_HEIGHT + BOTTOM;
  const baseline = TOP + PLOT_HEIGHT;
  const yOf = (rate: number) => round2(baseline - clampFraction(rate) * PLOT_HEIGHT);

  const placed = points.map((p, i) => ({
    ...p,
    x: round2(LEFT + slot * (i + 0.5)),
    y: p.rate === null ? null : yOf(p.rate),
  }));

  const desc = points
    .map((p) =>
      p.rate === null
        ? `${p.label}: no rate, no resolved commitments`
        : `${p.label}: ${formatPercent(p.rate)} of ${resolvedNote(p.n)}`,
    )
    .join("; ");

  return (
    <ChartFigure
      kind="trend"
      title={title}
      id={id}
      desc={`Delivery rate by period. ${desc}.`}
      width={width}
      height={height}
      empty={points.length === 0 ? "No periods to show yet." : undefined}
      table={{
        caption: title,
        columns: ["Period", "Delivery rate", "Resolved commitments"],
        rows: points.map((p) => [
          p.label,
          p.rate === null ? "No resolved commitments" : formatPercent(p.rate),
          String(p.n),
        ]),
      }}
    >
      <g className="chart__axis">
        {TICKS.map((t) => (
          <g key={t}>
            <line
              className={t === 0 ? "chart__baseline" : "chart__grid"}
              x1={LEFT}
              x2={round2(LEFT + plotWidth)}
              y1={yOf(t)}
              y2={yOf(t)}
              stroke={t === 0 ? INK : GRID}
              strokeWidth={1}
            />
            <text className="chart__tick" x={LEFT - 6} y={yOf(t) + 4} fontSize={12} textAnchor="end" fill={MUTED}>
              {formatPercent(t)}
            </text>
          </g>
        ))}
      </g>
      <g className="chart__series">
        {runs(placed)
          .filter((run) => run.length > 1)
          .map((run) => (
            <polyline
              key={run[0]?.label}
              className="chart__line"
              points={run.map((p) => `${p.x},${p.y}`).join(" ")}
              fill="none"
              stroke="#1f6b3a"
              strokeWidth={2.5}
            />
          ))}
      </g>
      {placed.map((p, i) => (
        <g key={`${i}-${p.label}`} className="chart__period">
          {p.y === null ? (
            <text className="chart__gap" x={p.x} y={baseline - 8} fontSize={12} textAnchor="middle" fill={MUTED}>
              no data
            </text>
          ) : (
            <>
              <circle className="chart__point" cx={p.x} cy={p.y} r={5} fill="#1f6b3a" stroke="#ffffff" strokeWidth={1.5} />
              <text className="chart__value" x={p.x} y={p.y - 10} fontSize={13} fontWeight={600} textAnchor="middle" fill={INK} paintOrder="stroke" stroke="#ffffff" strokeWidth={3} strokeLinejoin="round">
                {formatPercent(p.rate ?? 0)}
              </text>
            </>
          )}
          <text className="chart__label" x={p.x} y={baseline + 18} fontSize={12} textAnchor="middle" fill={INK}>
            {p.label}
          </text>
          <text className="chart__tick" x={p.x} y={baseline + 34} fontSize={12} textAnchor="middle" fill={MUTED}>
            {`n = ${p.n}`}
          </text>
        </g>
      ))}
    </ChartFigure>
  );
}
