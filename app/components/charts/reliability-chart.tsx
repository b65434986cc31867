import { type ReliabilityBucket } from "~/domain/statistics";
import { ChartFigure, GRID, INK, MUTED } from "./chart-figure";
import { clampFraction, formatBrier, formatNumber, formatPercent, plural, round2 } from "./format";

// A reliability diagram: for each band of forecast probability, how often the commitments
// forecast in it were actually delivered. A team whose "70%" comes true 70% of the time sits
// on the dashed diagonal. Each point is sized by, and labelled with, how many forecasts it
// holds, because a point made of one forecast says far less than one made of twenty.

const LEFT = 56;
const TOP = 16;
const PLOT = 380;
const RIGHT = 44;
const BOTTOM = 56;
const WIDTH = LEFT + PLOT + RIGHT;
const HEIGHT = TOP + PLOT + BOTTOM;
const TICKS = [0, 0.2, 0.4, 0.6, 0.8, 1] as const;
const MIN_RADIUS = 4;
const EXTRA_RADIUS = 10;
const POINT_FILL = "#2f4a8a";

export type ReliabilityChartBucket = ReliabilityBucket;

export interface ReliabilityChartProps {
  title: string;
  buckets: readonly ReliabilityChartBucket[];
  /** Mean squared error of the forecasts, 0..1; null when there were none. */
  brier: number | null;
  /** Forecasts scored. */
  n: number;
  id?: string;
}

const xOf = (fraction: number) => round2(LEFT + clampFraction(fraction) * PLOT);
const yOf = (fraction: number) => round2(TOP + PLOT - clampFraction(fraction) * PLOT);

/** "70–80%"; bucket bounds are percentages. */
export function bucketRange(bucket: Pick<ReliabilityBucket, "from" | "to">): string {
  return `${formatNumber(bucket.from)}–${formatNumber(bucket.to)}%`;
}

export function brierSentence(brier: number | null, n: number): string | null {
  if (brier === null || n <= 0) return null;
  return `Brier score ${formatBrier(brier)} over ${plural(n, "forecast")}; lower is better; 0.25 is what always saying 50% scores.`;
}

export function ReliabilityChart({ title, buckets, brier, n, id }: ReliabilityChartProps) {
  const shown = buckets.filter(
    (b): b is ReliabilityBucket & { meanForecast: number; observedRate: number } =>
      b.count > 0 && b.meanForecast !== null && b.observedRate !== null,
  );
  const isEmpty = n <= 0 || shown.length === 0;
  const maxCount = Math.max(1, ...shown.map((b) => b.count));
  const score = brierSentence(brier, n);

  const groups = shown
    .map(
      (b) =>
        `Forecasts of ${bucketRange(b)} (mean ${formatPercent(b.meanForecast)}): ${plural(b.count, "forecast")}, ${formatPercent(b.observedRate)} delivered.`,
    )
    .join(" ");
  const desc = `${plural(n, "forecast")} in ${plural(shown.length, "group")}. ${groups}${
    brier === null ? "" : ` Brier score ${formatBrier(brier)}.`
  }`;

  return (
    <ChartFigure
      kind="reliability"
      title={title}
      id={id}
      note={
        isEmpty ? undefined : (
          <>
            {score ? `${score} ` : null}
            Each point is a band of forecasts, labelled with how many; on the dashed line, forecasts came true exactly
            as often as they said.
          </>
        )
      }
      desc={desc}
      width={WIDTH}
      height={HEIGHT}
      empty={
        isEmpty
          ? "No forecasts to score yet: calibration needs resolved commitments with a check-in before they were due."
          : undefined
      }
      table={{
        caption: title,
        columns: ["Forecast", "Forecasts", "Mean forecast", "Delivered"],
        rows: shown.map((b) => [
          bucketRange(b),
          formatNumber(b.count),
          formatPercent(b.meanForecast),
          formatPercent(b.observedRate),
        ]),
      }}
    >
      <g className="chart__axis">
        {TICKS.map((t) => (
          <g key={t}>
            <line className={t === 0 ? "chart__baseline" : "chart__grid"} x1={xOf(0)} x2={xOf(1)} y1={yOf(t)} y2={yOf(t)} stroke={t === 0 ? INK : GRID} strokeWidth={1} />
            <line className={t === 0 ? "chart__baseline" : "chart__grid"} x1={xOf(t)} x2={xOf(t)} y1={yOf(0)} y2={yOf(1)} stroke={t === 0 ? INK : GRID} strokeWidth={1} />
            <text className="chart__tick" x={LEFT - 6} y={yOf(t) + 4} fontSize={12} textAnchor="end" fill={MUTED}>
              {formatPercent(t)}
            </text>
            <text className="chart__tick" x={xOf(t)} y={TOP + PLOT + 18} fontSize={12} textAnchor="middle" fill={MUTED}>
              {formatPercent(t)}
            </text>
          </g>
        ))}
        <text className="chart__axis-title" x={LEFT + PLOT / 2} y={HEIGHT - 8} fontSize={13} textAnchor="middle" fill={INK}>
          Forecast probability
        </text>
        <text
          className="chart__axis-title"
          x={0}
          y={0}
          transform={`translate(16 ${TOP + PLOT / 2}) rotate(-90)`}
          fontSize={13}
          textAnchor="middle"
          fill={INK}
        >
          Observed delivery rate
        </text>
      </g>
      <line
        className="chart__diagonal"
        x1={xOf(0)}
        y1={yOf(0)}
        x2={xOf(1)}
        y2={yOf(1)}
        stroke={MUTED}
        strokeWidth={1.5}
        strokeDasharray="6 4"
      />
      <text
        className="chart__diagonal-label"
        x={0}
        y={0}
        transform={`translate(${xOf(0.3)} ${yOf(0.3) - 8}) rotate(-45)`}
        fontSize={12}
        textAnchor="middle"
        fill={MUTED}
      >
        Perfect calibration
      </text>
      <g className="chart__series">
        {shown.map((b) => {
          const r = round2(MIN_RADIUS + EXTRA_RADIUS * Math.sqrt(b.count / maxCount));
          const cx = xOf(b.meanForecast);
          const cy = yOf(b.observedRate);
          // Near the right edge the count goes on the left of its point so it stays inside.
          const right = b.meanForecast <= 0.9;
          return (
            <g key={`${b.from}-${b.to}`} className="chart__bucket">
              <circle className="chart__point" cx={cx} cy={cy} r={r} fill={POINT_FILL} fillOpacity={0.85} stroke="#ffffff" strokeWidth={1.5} />
              <text
                className="chart__value"
                x={right ? round2(cx + r + 4) : round2(cx - r - 4)}
                y={cy + 4}
                fontSize={13}
                fontWeight={600}
                textAnchor={right ? "start" : "end"}
                fill={INK}
                paintOrder="stroke" stroke="#ffffff" strokeWidth={3} strokeLinejoin="round"
              >
                {formatNumber(b.count)}
              </text>
            </g>
          );
        })}
      </g>
    </ChartFigure>
  );
}
