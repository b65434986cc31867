import { OUTCOME_LABEL, type OutcomeStatus } from "~/domain/types";
import { ChartFigure, INK } from "./chart-figure";
import { formatNumber, formatPercent, scaleLength, truncate, withUnit } from "./format";

// Horizontal bars with the label above each bar and the value at its end, so a long label
// never squeezes the bars and every number is written next to what it measures; colour is
// only ever a second cue. The viewBox is about a phone's width, so on a phone the text is
// drawn near its nominal size instead of shrinking with a wider drawing.

const WIDTH = 360;
/** Longest bar; the rest of the width holds the value label. */
export const BAR_MAX = 300;
const ROW = 46;
const LABEL_Y = 15;
const BAR_Y = 21;
const BAR_HEIGHT = 18;
const PAD = 4;
const LABEL_CHARS = 48;

export interface Bar {
  key: string;
  label: string;
  value: number;
  /** Shown at the bar's end. */
  valueLabel: string;
  fill: string;
  /** Extra class for the bar, for print and forced-colours rules. */
  className?: string;
}

function HorizontalBars({ bars }: { bars: readonly Bar[] }) {
  const max = Math.max(0, ...bars.map((b) => b.value));
  return (
    <g className="chart__bars">
      {bars.map((bar, i) => {
        const top = PAD + i * ROW;
        const width = scaleLength(bar.value, max, BAR_MAX);
        return (
          <g key={bar.key} className="chart__row">
            <text className="chart__label" x={0} y={top + LABEL_Y} fontSize={14} fill={INK}>
              {truncate(bar.label, LABEL_CHARS)}
            </text>
            <rect
              className={bar.className ? `chart__bar ${bar.className}` : "chart__bar"}
              x={0}
              y={top + BAR_Y}
              width={width}
              height={BAR_HEIGHT}
              fill={bar.fill}
            />
            <text
              className="chart__value"
              x={width + 6}
              y={top + BAR_Y + BAR_HEIGHT - 4}
              fontSize={14}
              fontWeight={600}
              fill={INK}
            >
              {bar.valueLabel}
            </text>
          </g>
        );
      })}
    </g>
  );
}

function barsHeight(count: number): number {
  return PAD * 2 + count * ROW;
}

export interface OutcomeCounts {
  delivered: number;
  partial: number;
  missed: number;
  withdrawn: number;
  open: number;
}

const OUTCOME_ORDER = ["delivered", "partial", "missed", "withdrawn", "open"] as const;

const OUTCOME_NAME: Record<OutcomeStatus | "open", string> = { ...OUTCOME_LABEL, open: "Open" };

// The palette's status colours; each is at least 4.5:1 on white.
export const OUTCOME_FILL: Record<OutcomeStatus | "open", string> = {
  delivered: "#1f6b3a",
  partial: "#7a5300",
  missed: "#a3231b",
  withdrawn: "#6b7570",
  open: "#2f4a8a",
};

export interface OutcomeBarsProps {
  title: string;
  counts: OutcomeCounts;
  /** Overrides the id derived from the title, when a page has two charts with one title. */
  id?: string;
}

/** How many commitments ended each way, in the fixed order Delivered … Open. */
export function OutcomeBars({ title, counts, id }: OutcomeBarsProps) {
  const total = OUTCOME_ORDER.reduce((sum, key) => sum + Math.max(0, counts[key]), 0);
  const sentence = OUTCOME_ORDER.map((key) => `${formatNumber(counts[key])} ${OUTCOME_NAME[key].toLowerCase()}`).join(", ");
  const desc = `${formatNumber(total)} ${total === 1 ? "commitment" : "commitments"}: ${sentence}.`;
  const bars: Bar[] = OUTCOME_ORDER.map((key) => ({
    key,
    label: OUTCOME_NAME[key],
    value: counts[key],
    valueLabel: formatNumber(counts[key]),
    fill: OUTCOME_FILL[key],
    className: `chart__bar--${key}`,
  }));
  return (
    <ChartFigure
      kind="outcomes"
      title={title}
      id={id}
      desc={desc}
      width={WIDTH}
      height={barsHeight(bars.length)}
      empty={total === 0 ? "No commitments to show." : undefined}
      table={{
        caption: title,
        columns: ["Outcome", "Commitments", "Share"],
        rows: [
          ...OUTCOME_ORDER.map((key) => [
            OUTCOME_NAME[key],
            formatNumber(counts[key]),
            total > 0 ? formatPercent(counts[key] / total) : "–",
          ]),
          ["Total", formatNumber(total), total > 0 ? "100%" : "–"],
        ],
      }}
    >
      <HorizontalBars bars={bars} />
    </ChartFigure>
  );
}

export interface BreakdownItem {
  label: string;
  value: number;
}

export interface BreakdownBarsProps {
  title: string;
  /** Drawn in the order given; zero rows stay, drawn as 0. */
  items: readonly BreakdownItem[];
  /** A plural noun ("reasons") or "%"; used in the description and the table heading. */
  unit?: string;
  /** Shown instead of the chart when every value is zero. */
  emptyText?: string;
  /** Heading of the table's label column. */
  labelHeading?: string;
  id?: string;
}

/** Generic horizontal bars, e.g. reasons by category or by who controlled them. */
export function BreakdownBars({ title, items, unit, emptyText = "No reasons recorded.", labelHeading = "Category", id }: BreakdownBarsProps) {
  const total = items.reduce((sum, item) => sum + Math.max(0, item.value), 0);
  const valueLabel = (value: number) => (unit === "%" ? `${formatNumber(value)}%` : formatNumber(value));
  const bars: Bar[] = items.map((item, i) => ({
    key: `${i}-${item.label}`,
    label: item.label,
    value: item.value,
    valueLabel: valueLabel(item.value),
    fill: "#2f4a8a",
  }));
  const parts = items.map((item) => `${item.label}: ${withUnit(item.value, unit)}`).join("; ");
  const desc = unit && unit !== "%" ? `${parts}. Total ${withUnit(total, unit)}.` : `${parts}.`;
  const heading = unit && unit !== "%" ? unit.charAt(0).toUpperCase() + unit.slice(1) : unit === "%" ? "Percent" : "Value";
  return (
    <ChartFigure
      kind="breakdown"
      title={title}
      id={id}
      desc={desc}
      width={WIDTH}
      height={barsHeight(bars.length)}
      empty={total === 0 ? emptyText : undefined}
      table={{
        caption: title,
        columns: [labelHeading, heading],
        rows: items.map((item) => [item.label, valueLabel(item.value)]),
      }}
    >
      <HorizontalBars bars={bars} />
    </ChartFigure>
  );
}
