// Number formatting and geometry helpers shared by the charts. Everything here is a plain
// function of its input, so the server and the browser render identical markup.

// A fixed locale: the server's default locale must not decide how a number is written.
const numberFormat = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 });

/** A count or amount as people write it: "12", "1,234", "2.5". */
export function formatNumber(value: number): string {
  return Number.isFinite(value) ? numberFormat.format(value) : "–";
}

/** A fraction 0..1 as a whole percentage: 0.666 → "67%". */
export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** A Brier score to two decimals: "0.14". */
export function formatBrier(score: number): string {
  return score.toFixed(2);
}

/** "1 forecast", "23 forecasts". */
export function plural(count: number, one: string, many: string = `${one}s`): string {
  return `${formatNumber(count)} ${count === 1 ? one : many}`;
}

/**
 * A value with its unit: "40%" for a percent unit, "1 reason" / "3 reasons" for a plural noun
 * (a trailing "s" is dropped for exactly one), and the bare number without a unit.
 */
export function withUnit(value: number, unit?: string): string {
  if (!unit) return formatNumber(value);
  if (unit === "%") return `${formatNumber(value)}%`;
  const singular = value === 1 && /[^s]s$/.test(unit) ? unit.slice(0, -1) : unit;
  return `${formatNumber(value)} ${singular}`;
}

/** Geometry is rounded to hundredths so the markup is short and stable across platforms. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The length of `value` on a scale where `max` fills `length`; never negative or NaN. */
export function scaleLength(value: number, max: number, length: number): number {
  if (!(max > 0) || !(value > 0)) return 0;
  return round2((Math.min(value, max) / max) * length);
}

/** Clamp a fraction into 0..1 for drawing (labels still show the value given). */
export function clampFraction(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/**
 * Ids for the svg's <title> and <desc>. Derived from the title rather than useId so the
 * markup depends on the props alone; pass `id` when a page shows two charts with one title.
 */
export function chartIds(title: string, id?: string): { base: string; title: string; desc: string } {
  const slug =
    id ??
    `chart-${
      title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "") || "untitled"
    }`;
  return { base: slug, title: `${slug}-title`, desc: `${slug}-desc` };
}

/** Shorten a label that would run off the drawing; the data table keeps it whole. */
export function truncate(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, max - 1).trimEnd()}…`;
}
