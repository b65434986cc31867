// Track-record figures for a set of commitments: what was made, what became of it, how late,
// why things fell short, and how well the team's own forecasts predicted the result.
// Every figure is a plain function of the input and `today`, so a page and a letter that
// summarise the same commitments always agree.
import { lateness } from "./outcome-rules";
import {
  CONTROLS,
  REASON_CATEGORIES,
  type Audience,
  type CheckIn,
  type Control,
  type Forecast,
  type Measure,
  type Outcome,
  type OutcomeStatus,
  type ReasonCategory,
} from "./types";

// ---------------------------------------------------------------------------------------------
// The delivery rate: one definition, used by every surface (dashboard, retrospective, ledger,
// letter, API). See docs/decisions/0008-what-a-letter-mentions.md and PRODUCT.md, "One
// definition of every figure". The database counts; only these functions divide.

/** How the commitments of a scope ended: everything made is in exactly one bucket. */
export interface OutcomeCounts {
  delivered: number;
  partial: number;
  missed: number;
  withdrawn: number;
  open: number;
}

export const DELIVERY_RATE_LABEL = "Delivery rate";
export const DELIVERY_RATE_DEFINITION = "delivered in full ÷ all commitments made, withdrawn and still-open ones included";

/** Every commitment made: withdrawn and still-open ones count, since they were made. */
export function madeOf(c: OutcomeCounts): number {
  return c.delivered + c.partial + c.missed + c.withdrawn + c.open;
}

/**
 * THE delivery rate: delivered in full ÷ all made. Withdrawing a commitment or moving it to a
 * later period can't raise it (a moved commitment stays made in its original period). Null
 * when nothing was made.
 */
export function deliveryRate(c: OutcomeCounts): number | null {
  const made = madeOf(c);
  return made > 0 ? c.delivered / made : null;
}

/** Secondary, labelled "delivered in full or in part": (delivered + partial) ÷ made. */
export function deliveredInFullOrPartRate(c: OutcomeCounts): number | null {
  const made = madeOf(c);
  return made > 0 ? (c.delivered + c.partial) / made : null;
}

/** Secondary, labelled "of resolved": delivered ÷ (delivered + partial + missed). Withdrawn and open are left out. */
export function deliveryRateOfResolved(c: OutcomeCounts): number | null {
  const resolved = c.delivered + c.partial + c.missed;
  return resolved > 0 ? c.delivered / resolved : null;
}

/** Secondary, labelled "on time": delivered or partial on or before the due date ÷ those with a due date. */
export function onTimeRateOf(onTime: number, datedDeliveries: number): number | null {
  return datedDeliveries > 0 ? onTime / datedDeliveries : null;
}

/** The line shown beside the delivery rate on every page: "of 9 made, 4 delivered in full". */
export function deliveryRateExplanation(c: OutcomeCounts): string {
  const made = madeOf(c);
  if (made === 0) return "nothing made yet";
  return `of ${made} made, ${c.delivered} delivered in full`;
}

export interface StatCommitment {
  id: string;
  dueDate: string | null;
  audience: Audience;
  outcome: Outcome | null;
  /** Any order; the statistics sort them by date. Only their day, forecast and probability are read. */
  checkIns: readonly ForecastCheckIn[];
  measure?: Measure | null;
}

export interface SummaryOptions {
  /** The calendar day "now", YYYY-MM-DD. */
  today: string;
  /** Count a partial delivery as half a delivery in calibration. Off unless the page says so. */
  partialCountsAsHalf?: boolean;
}

export interface ReliabilityBucket {
  /** Inclusive lower bound, in percent. */
  from: number;
  /** Exclusive upper bound in percent, except the last bucket, which includes 100. */
  to: number;
  count: number;
  /** Mean forecast probability as a fraction 0..1; null when the bucket is empty. */
  meanForecast: number | null;
  /** Mean observed outcome as a fraction 0..1; null when the bucket is empty. */
  observedRate: number | null;
}

export interface Summary {
  /** Whether partial deliveries were counted as half in calibration (never in the delivery rate). */
  partialCountsAsHalf: boolean;
  /** Every commitment made, withdrawn and open ones included. */
  made: number;
  counts: Record<OutcomeStatus | "open", number>;
  /** delivered + partial + missed. Withdrawn is reported in `counts`, not here. */
  resolved: number;
  /** The delivery rate (see deliveryRate): delivered in full ÷ made; null when nothing was made. */
  deliveryRate: number | null;
  /** Secondary: delivered ÷ resolved (see deliveryRateOfResolved). */
  deliveryRateOfResolved: number | null;
  /** Delivered or partial on or before the due date ÷ delivered + partial that had a due date. */
  onTimeRate: number | null;
  /** Lateness of delivered and partial outcomes that resolved after their due date. */
  daysLate: { total: number; mean: number | null; max: number; lateCount: number };
  reasons: {
    /** Outcomes with a reason category (partial, missed, withdrawn). */
    total: number;
    byCategory: Array<{ category: ReasonCategory; count: number }>;
    byControl: Array<{ control: Control; count: number }>;
  };
  /**
   * Ids of commitments with no outcome whose due date is before today, in input order; counted
   * in the database, the first SUMMARY_ID_LIMIT by due date (openPastDueCount has them all).
   */
  openPastDue: string[];
  /** How many commitments have no outcome and a due date before today. */
  openPastDueCount: number;
  /**
   * Ids of missed or partial commitments whose forecast of record was "on track" (see
   * isSurprise), in input order; counted in the database, the first SUMMARY_ID_LIMIT by due date.
   */
  surprises: string[];
  /** How many surprises there are. */
  surpriseCount: number;
  calibration: {
    /** Mean squared error of the forecasts of record, 0 (perfect) .. 1; null when n = 0. */
    brier: number | null;
    n: number;
    buckets: ReliabilityBucket[];
  };
}

const BUCKET_COUNT = 10;

function emptyBuckets(): ReliabilityBucket[] {
  return Array.from({ length: BUCKET_COUNT }, (_, i) => ({
    from: i * 10,
    to: (i + 1) * 10,
    count: 0,
    meanForecast: null,
    observedRate: null,
  }));
}

/** The summary of no commitments: zero counts, null rates, zero-filled breakdowns. */
export function emptySummary(opts: { partialCountsAsHalf?: boolean } = {}): Summary {
  return {
    partialCountsAsHalf: opts.partialCountsAsHalf ?? false,
    made: 0,
    counts: { delivered: 0, partial: 0, missed: 0, withdrawn: 0, open: 0 },
    resolved: 0,
    deliveryRate: null,
    deliveryRateOfResolved: null,
    onTimeRate: null,
    daysLate: { total: 0, mean: null, max: 0, lateCount: 0 },
    reasons: {
      total: 0,
      byCategory: REASON_CATEGORIES.map((category) => ({ category, count: 0 })),
      byControl: CONTROLS.map((control) => ({ control, count: 0 })),
    },
    openPastDue: [],
    openPastDueCount: 0,
    surprises: [],
    surpriseCount: 0,
    calibration: { brier: null, n: 0, buckets: emptyBuckets() },
  };
}

/** What the statistics read of a check-in: its day, forecast and probability of delivery. */
export type ForecastCheckIn = Pick<CheckIn, "date" | "forecast" | "probability">;

/**
 * The check-in whose forecast a resolved commitment is judged by: the last one made on or
 * before the due date, and never after the outcome was already known (a commitment resolved
 * early is judged by what was said up to its resolution). Without a due date, the last one
 * strictly before the resolution day, since a same-day check-in is written knowing the result.
 * Check-ins on the same day keep their input order, the later one winning.
 */
export function forecastOfRecord<T extends ForecastCheckIn>(
  checkIns: readonly T[],
  dueDate: string | null,
  resolvedAt: string,
): T | null {
  // The latest eligible day, and of that day's check-ins the last in input order: what a stable
  // sort by day would put last, found in one pass (a year's tally asks once per commitment).
  let record: T | null = null;
  for (const c of checkIns) {
    const eligible = dueDate !== null ? c.date <= dueDate && c.date <= resolvedAt : c.date < resolvedAt;
    if (eligible && (record === null || c.date >= record.date)) record = c;
  }
  return record;
}

/** The observed value a forecast is scored against: 1 delivered, 0 missed, partial 0 or ½. */
function observed(status: OutcomeStatus, partialCountsAsHalf: boolean): number | null {
  switch (status) {
    case "delivered":
      return 1;
    case "partial":
      return partialCountsAsHalf ? 0.5 : 0;
    case "missed":
      return 0;
    case "withdrawn":
      return null;
  }
}

function clampPercent(p: number): number {
  return Math.min(100, Math.max(0, p));
}

/**
 * What is counted about a scope's commitments, and nothing more: the database counts it with
 * GROUP BY (app/models/statistics.server.ts) and `tallyOf` counts it from loaded rows; only
 * `summaryFromTally` turns it into rates, lateness, Brier scores and buckets, so every rule
 * about a figure is written once, here.
 */
export interface SummaryTally {
  counts: OutcomeCounts;
  /** Delivered and partial outcomes with a due date, by days resolved after it (0: on time or early). */
  deliveriesByDaysLate: Array<{ days: number; count: number }>;
  /** Partial, missed and withdrawn outcomes, by reason category and by control (those that give one). */
  byCategory: Array<{ category: ReasonCategory; count: number }>;
  byControl: Array<{ control: Control; count: number }>;
  /** Delivered, partial and missed outcomes with a forecast of record, by its probability (percent). */
  forecasts: Array<{ probability: number; status: "delivered" | "partial" | "missed"; count: number }>;
  /** Ids of commitments with no outcome whose due date is before today. */
  openPastDue: string[];
  /** Ids of missed or partial commitments whose forecast of record was "on track". */
  surprises: string[];
  /**
   * How many of each there are in all: the database hands over only the first SUMMARY_ID_LIMIT
   * ids of each list, by due date.
   */
  openPastDueCount: number;
  surpriseCount: number;
}

/**
 * How many ids of each list (open past due, surprises) a summary counted in the database
 * carries: a page shows the counts, and a year of a large organisation has thousands of each.
 */
export const SUMMARY_ID_LIMIT = 500;

/**
 * A surprise: a commitment missed or only partly delivered while its forecast of record (see
 * forecastOfRecord) said "on track". The retrospective marks its rows with this; the database
 * counts the same condition in tallyInDatabase.
 */
export function isSurprise(status: OutcomeStatus | "open", forecastOfRecord: Forecast | null): boolean {
  return (status === "missed" || status === "partial") && forecastOfRecord === "on_track";
}

/** The sum of several scopes' outcome counts (a year's halves and quarters, a trend point). */
export function addCounts(parts: readonly OutcomeCounts[]): OutcomeCounts {
  const sum: OutcomeCounts = { delivered: 0, partial: 0, missed: 0, withdrawn: 0, open: 0 };
  for (const p of parts) {
    sum.delivered += p.delivered;
    sum.partial += p.partial;
    sum.missed += p.missed;
    sum.withdrawn += p.withdrawn;
    sum.open += p.open;
  }
  return sum;
}

/** Counts loaded commitments the way the database counts them (see SummaryTally). */
export function tallyOf(items: readonly StatCommitment[], today: string): SummaryTally {
  const counts: OutcomeCounts = { delivered: 0, partial: 0, missed: 0, withdrawn: 0, open: 0 };
  const days = new Map<number, number>();
  const categories = new Map<ReasonCategory, number>();
  const controls = new Map<Control, number>();
  const forecasts = new Map<string, { probability: number; status: "delivered" | "partial" | "missed"; count: number }>();
  const openPastDue: string[] = [];
  const surprises: string[] = [];
  for (const item of items) {
    const outcome = item.outcome;
    if (outcome === null) {
      counts.open += 1;
      if (item.dueDate !== null && item.dueDate < today) openPastDue.push(item.id);
      continue;
    }
    const status = outcome.status;
    counts[status] += 1;
    if ((status === "delivered" || status === "partial") && item.dueDate !== null) {
      const { daysLate } = lateness(item.dueDate, outcome.resolvedAt);
      days.set(daysLate, (days.get(daysLate) ?? 0) + 1);
    }
    if (status !== "delivered" && outcome.reasonCategory !== null) categories.set(outcome.reasonCategory, (categories.get(outcome.reasonCategory) ?? 0) + 1);
    if (status !== "delivered" && outcome.control !== null) controls.set(outcome.control, (controls.get(outcome.control) ?? 0) + 1);
    if (status === "withdrawn") continue;
    const record = forecastOfRecord(item.checkIns, item.dueDate, outcome.resolvedAt);
    if (record === null) continue;
    if (isSurprise(status, record.forecast)) surprises.push(item.id);
    const key = `${record.probability}|${status}`;
    const entry = forecasts.get(key) ?? { probability: record.probability, status, count: 0 };
    entry.count += 1;
    forecasts.set(key, entry);
  }
  return {
    counts,
    deliveriesByDaysLate: [...days].map(([d, count]) => ({ days: d, count })),
    byCategory: [...categories].map(([category, count]) => ({ category, count })),
    byControl: [...controls].map(([control, count]) => ({ control, count })),
    forecasts: [...forecasts.values()],
    openPastDue,
    surprises,
    openPastDueCount: openPastDue.length,
    surpriseCount: surprises.length,
  };
}

/**
 * The figures of a tally.
 *
 * Denominators, stated once because a track record is only honest if they are:
 * - `made` counts everything, withdrawn and open included; nothing is ever dropped.
 * - `deliveryRate` is delivered in full ÷ made (see deliveryRate), so withdrawing a commitment
 *   can't flatter the record. `deliveryRateOfResolved` (delivered ÷ delivered + partial +
 *   missed) is secondary and always labelled as such.
 * - A partial delivery counts as 0 in both rates. In calibration it counts as 0 unless
 *   `partialCountsAsHalf`, in which case it counts as ½.
 * - `onTimeRate` and `daysLate` look only at delivered and partial outcomes: lateness of a miss
 *   is not a delivery being late. Commitments without a due date can't be on time or late, so
 *   they are left out of the on-time denominator rather than counted either way.
 * - `daysLate.mean` is the mean over the late ones ("when late, by how much").
 * - Calibration scores delivered, partial and missed outcomes with a forecast of record
 *   (see `forecastOfRecord`); withdrawn and open commitments and those never checked in on
 *   are excluded. Brier = mean of (p/100 − o)²; buckets are [0,10), [10,20), …, [90,100].
 */
export function summaryFromTally(tally: SummaryTally, opts: { partialCountsAsHalf?: boolean } = {}): Summary {
  const half = opts.partialCountsAsHalf ?? false;
  const summary = emptySummary({ partialCountsAsHalf: half });
  summary.counts = { ...tally.counts };
  summary.made = madeOf(tally.counts);
  const { delivered, partial, missed } = tally.counts;
  summary.resolved = delivered + partial + missed;
  summary.deliveryRate = deliveryRate(tally.counts);
  summary.deliveryRateOfResolved = deliveryRateOfResolved(tally.counts);

  let dated = 0;
  let onTime = 0;
  for (const { days, count } of tally.deliveriesByDaysLate) {
    dated += count;
    if (days > 0) {
      summary.daysLate.lateCount += count;
      summary.daysLate.total += days * count;
      summary.daysLate.max = Math.max(summary.daysLate.max, days);
    } else {
      onTime += count;
    }
  }
  summary.onTimeRate = onTimeRateOf(onTime, dated);
  summary.daysLate.mean = summary.daysLate.lateCount > 0 ? summary.daysLate.total / summary.daysLate.lateCount : null;

  const categories = new Map(tally.byCategory.map((c) => [c.category, c.count]));
  const controls = new Map(tally.byControl.map((c) => [c.control, c.count]));
  summary.reasons = {
    total: tally.byCategory.reduce((sum, c) => sum + c.count, 0),
    byCategory: REASON_CATEGORIES.map((category) => ({ category, count: categories.get(category) ?? 0 })),
    byControl: CONTROLS.map((control) => ({ control, count: controls.get(control) ?? 0 })),
  };
  summary.openPastDue = [...tally.openPastDue];
  summary.openPastDueCount = tally.openPastDueCount;
  summary.surprises = [...tally.surprises];
  summary.surpriseCount = tally.surpriseCount;

  const bucketSums = Array.from({ length: BUCKET_COUNT }, () => ({ count: 0, forecast: 0, observed: 0 }));
  let brierSum = 0;
  for (const { probability, status, count } of tally.forecasts) {
    const o = observed(status, half) ?? 0;
    const p = clampPercent(probability);
    brierSum += count * (p / 100 - o) ** 2;
    summary.calibration.n += count;
    const bucket = bucketSums[Math.min(BUCKET_COUNT - 1, Math.floor(p / 10))]!;
    bucket.count += count;
    bucket.forecast += count * (p / 100);
    bucket.observed += count * o;
  }
  const n = summary.calibration.n;
  summary.calibration.brier = n > 0 ? brierSum / n : null;
  summary.calibration.buckets = summary.calibration.buckets.map((bucket, i) => {
    const sums = bucketSums[i]!;
    if (sums.count === 0) return bucket;
    return { ...bucket, count: sums.count, meanForecast: sums.forecast / sums.count, observedRate: sums.observed / sums.count };
  });
  return summary;
}

/** Summarises loaded commitments: their tally, turned into figures by `summaryFromTally`. */
export function summarize(items: readonly StatCommitment[], opts: SummaryOptions): Summary {
  return summaryFromTally(tallyOf(items, opts.today), opts);
}

/** A fraction as a whole percent ("67%"), or an em dash when there is no figure to show. */
export function formatPercent(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return "—";
  return `${Math.round(x * 100)}%`;
}
