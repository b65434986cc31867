// The rules an outcome must satisfy before it is recorded, and the modifiers that are derived
// from it rather than typed in (late, how far from target). Pure: today arrives as an argument.
import { differenceInCalendarDays } from "date-fns";

import { evidenceProblem, reasonProblem } from "./reasons";
import {
  CONTROLS,
  OUTCOME_STATUSES,
  REASON_CATEGORIES,
  type Control,
  type Measure,
  type Outcome,
  type OutcomeStatus,
  type ReasonCategory,
} from "./types";

/**
 * What a form hands over before validation. Enum fields are plain strings because they come
 * straight from user input and must be checked, not trusted; an `Outcome` is assignable to it.
 */
export interface OutcomeDraft {
  status?: string | null;
  resolvedAt?: string | null;
  actualValue?: number | null;
  evidenceUrl?: string | null;
  partialDescription?: string | null;
  reasonCategory?: string | null;
  control?: string | null;
  explanation?: string | null;
  lesson?: string | null;
}

export type OutcomeErrors = Partial<Record<keyof Outcome, string>>;

export type OutcomeValidation = { ok: true; outcome: Outcome } | { ok: false; errors: OutcomeErrors };

/** Field order used wherever outcomes are listed field by field, so diffs read the same way each time. */
export const OUTCOME_FIELDS = [
  "status",
  "resolvedAt",
  "actualValue",
  "evidenceUrl",
  "partialDescription",
  "reasonCategory",
  "control",
  "explanation",
  "lesson",
] as const satisfies ReadonlyArray<keyof Outcome>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// Parsing as UTC midnight keeps a calendar day from shifting with the server's time zone.
const DAY_MS = 86_400_000;

function utcDay(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

// A year's figures ask for the same few hundred days tens of thousands of times; parsing each
// again was most of their cost. Pure, so memoised (bounded).
const utcDayTimes = new Map<string, number>();
const UTC_DAY_MEMO = 5000;

function utcDayTime(iso: string): number {
  let time = utcDayTimes.get(iso);
  if (time === undefined) {
    time = utcDay(iso).getTime();
    if (utcDayTimes.size >= UTC_DAY_MEMO) utcDayTimes.clear();
    utcDayTimes.set(iso, time);
  }
  return time;
}

// Kept local rather than shared so this module stays self-contained; rejects 2025-02-30, which
// Date would silently roll over into March.
function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = utcDay(value);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function clean(value: string | null | undefined): string | null {
  if (value == null) return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

function isOneOf<T extends string>(list: readonly T[], value: string | null): value is T {
  return value !== null && (list as readonly string[]).includes(value);
}

/**
 * Checks a draft outcome and returns either the normalised outcome (strings trimmed, blanks as
 * null) or one actionable message per offending field.
 *
 * Beyond the per-status requirements, a delivered outcome may not carry a reason category or a
 * control: those describe a shortfall, and leaving them on would count a delivery in the
 * shortfall breakdown. Likewise only a partial delivery may describe "which part".
 * Pass `today` to reject resolution dates in the future.
 */
export function validateOutcome(draft: OutcomeDraft, opts: { today?: string } = {}): OutcomeValidation {
  const errors: OutcomeErrors = {};

  const statusRaw = clean(draft.status);
  const status: OutcomeStatus | null = isOneOf(OUTCOME_STATUSES, statusRaw) ? statusRaw : null;
  if (status === null) {
    errors.status = "Choose how the commitment ended: delivered, partially delivered, missed or withdrawn.";
  }

  const resolvedAt = clean(draft.resolvedAt);
  if (resolvedAt === null) {
    errors.resolvedAt = "Enter the date the commitment was resolved.";
  } else if (!isIsoDate(resolvedAt)) {
    errors.resolvedAt = "Enter the resolved date as a real calendar date in the form YYYY-MM-DD, for example 2025-03-31.";
  } else if (opts.today !== undefined && resolvedAt > opts.today) {
    errors.resolvedAt = `The resolved date can't be in the future; use ${opts.today} or earlier.`;
  }

  const actualValue = draft.actualValue ?? null;
  if (actualValue !== null && !Number.isFinite(actualValue)) {
    errors.actualValue = "Enter the actual value as a number, or leave it blank.";
  }

  const evidenceUrl = clean(draft.evidenceUrl);
  const evidence = evidenceUrl === null ? null : evidenceProblem(evidenceUrl);
  if (evidence !== null) {
    errors.evidenceUrl = evidence;
  } else if (evidenceUrl === null && status === "delivered") {
    errors.evidenceUrl = "Add a link to evidence of delivery, such as release notes, a dashboard or a published document.";
  }

  const partialDescription = clean(draft.partialDescription);
  if (status === "partial" && partialDescription === null) {
    errors.partialDescription = "Say which part of the commitment was delivered.";
  } else if (status !== null && status !== "partial" && partialDescription !== null) {
    errors.partialDescription =
      "Only a partial delivery describes which part was delivered; clear this or choose “Partially delivered”.";
  }

  const reasonRaw = clean(draft.reasonCategory);
  const controlRaw = clean(draft.control);
  const reasonCategory: ReasonCategory | null = isOneOf(REASON_CATEGORIES, reasonRaw) ? reasonRaw : null;
  const control: Control | null = isOneOf(CONTROLS, controlRaw) ? controlRaw : null;
  const explanation = clean(draft.explanation);
  const lesson = clean(draft.lesson);

  if (status === "delivered") {
    if (reasonRaw !== null) {
      errors.reasonCategory = "A delivered commitment has no shortfall reason; clear the reason category.";
    }
    if (controlRaw !== null) {
      errors.control = "A delivered commitment has no shortfall to attribute; clear the control field.";
    }
  } else if (status !== null) {
    if (reasonCategory === null) {
      errors.reasonCategory = "Choose the main reason the commitment was not fully delivered.";
    }
    if (control === null) {
      errors.control = "Say whether that reason was in our control, shared, or outside our control.";
    }
    if (explanation === null) {
      errors.explanation = "Explain what happened, in a sentence or two.";
    } else {
      const problem = reasonProblem(explanation);
      if (problem !== null) errors.explanation = problem;
    }
    if (lesson === null) {
      errors.lesson = "Write down the lesson the team takes from this.";
    }
  }

  if (status === null || resolvedAt === null || Object.keys(errors).length > 0) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    outcome: {
      status,
      resolvedAt,
      actualValue,
      evidenceUrl,
      partialDescription,
      reasonCategory,
      control,
      explanation,
      lesson,
    },
  };
}

/**
 * Whether an outcome resolved after its due date, and by how many calendar days. Resolving on
 * the due date itself is on time; with no due date nothing can be late.
 */
export function lateness(dueDate: string | null, resolvedAt: string): { late: boolean; daysLate: number } {
  if (dueDate === null) return { late: false, daysLate: 0 };
  // Both are UTC midnights, so the days between them are whole: plain arithmetic, not a
  // calendar library that recomputes the server's time-zone offsets for every row of a year.
  const days = Math.round((utcDayTime(resolvedAt) - utcDayTime(dueDate)) / DAY_MS);
  return days > 0 ? { late: true, daysLate: days } : { late: false, daysLate: 0 };
}

/** A recorded outcome is part of the public record, so replacing it must be explained in writing. */
export function outcomeChangeNeedsReason(previous: Outcome | null): boolean {
  return previous !== null;
}

/**
 * The fields that changed, in `OUTCOME_FIELDS` order. With no previous outcome every field
 * that now has a value is reported as changed from null.
 */
export function diffOutcome(
  before: Outcome | null,
  after: Outcome,
): Array<{ field: keyof Outcome; from: unknown; to: unknown }> {
  const changes: Array<{ field: keyof Outcome; from: unknown; to: unknown }> = [];
  for (const field of OUTCOME_FIELDS) {
    const from = before === null ? null : before[field];
    const to = after[field];
    if (!Object.is(from, to)) changes.push({ field, from, to });
  }
  return changes;
}

function metricTarget(measure: Measure | null | undefined, actual: number | null) {
  if (!measure || measure.kind !== "metric") return null;
  if (measure.target === null || !Number.isFinite(measure.target)) return null;
  if (actual === null || !Number.isFinite(actual)) return null;
  return { measure, target: measure.target, actual };
}

/**
 * Whether a metric's actual value meets its target. `eq` means exactly equal: a target stated
 * as "= 99.9" is a promise of that number, and any tolerance would have to be written into it.
 * Null when there is nothing to compare (a deliverable, no target, or no actual value).
 */
export function metTarget(measure: Measure | null | undefined, actual: number | null): boolean | null {
  const m = metricTarget(measure, actual);
  if (m === null) return null;
  switch (m.measure.comparator) {
    case "gte":
      return m.actual >= m.target;
    case "lte":
      return m.actual <= m.target;
    case "eq":
      return m.actual === m.target;
  }
}

/**
 * How far short of target an actual value fell, relative to the size of the promise, so misses
 * on different scales can be ranked by consequence. 0 means met; there is no upper bound.
 *
 *   shortfall = max(0, target − actual)   for gte
 *             = max(0, actual − target)   for lte
 *             = |actual − target|         for eq
 *   scale     = |target − baseline|  when a baseline is known and differs from the target
 *                                    (the movement that was promised)
 *             = |target|             otherwise, when the target is not 0
 *             = 1                    when the target is 0 and no baseline helps (the shortfall
 *                                    is then absolute, e.g. 3 incidents against "≤ 0")
 *   distance  = shortfall / scale
 *
 * Example: baseline 100, target ≥ 200, actual 150 → 50 / 100 = 0.5 (half the promised gain missed).
 * Null when there is nothing to compare (a deliverable, no target, or no actual value).
 */
export function distanceFromTarget(measure: Measure | null | undefined, actual: number | null): number | null {
  const m = metricTarget(measure, actual);
  if (m === null) return null;
  const { target } = m;
  let shortfall: number;
  switch (m.measure.comparator) {
    case "gte":
      shortfall = Math.max(0, target - m.actual);
      break;
    case "lte":
      shortfall = Math.max(0, m.actual - target);
      break;
    case "eq":
      shortfall = Math.abs(m.actual - target);
      break;
  }
  const baseline = m.measure.baseline;
  let scale: number;
  if (baseline !== null && Number.isFinite(baseline) && baseline !== target) {
    scale = Math.abs(target - baseline);
  } else if (target !== 0) {
    scale = Math.abs(target);
  } else {
    scale = 1;
  }
  return shortfall / scale;
}

/** How soon before the due date Kept offers the outcome form on a commitment's page. */
export const OUTCOME_FORM_LEAD_DAYS = 30;

/**
 * Whether an open commitment is close enough to its due date (or past it) that recording its
 * outcome is the likely next step. Earlier, the form waits behind "Record the outcome early".
 */
export function outcomeDueSoon(dueDate: string | null, today: string, leadDays = OUTCOME_FORM_LEAD_DAYS): boolean {
  if (dueDate === null) return true;
  return differenceInCalendarDays(utcDay(dueDate), utcDay(today)) <= leadDays;
}

/**
 * When an outcome came relative to the due date, in words: "late by 3 days", "on time",
 * "on the due date", "12 days before the due date". A miss or withdrawal before the due date is
 * not "on time": it is early, and says so.
 */
export function outcomeTiming(status: string, dueDate: string | null, resolvedAt: string): { late: boolean; text: string | null } {
  if (dueDate === null) return { late: false, text: null };
  // Both are UTC midnights, so the days between them are whole: plain arithmetic, not a
  // calendar library that recomputes the server's time-zone offsets for every row of a year.
  const days = Math.round((utcDayTime(resolvedAt) - utcDayTime(dueDate)) / DAY_MS);
  const plural = (n: number) => `${n} ${n === 1 ? "day" : "days"}`;
  if (days > 0) return { late: true, text: `late by ${plural(days)}` };
  if (status === "delivered" || status === "partial") return { late: false, text: "on time" };
  if (days === 0) return { late: false, text: "on the due date" };
  return { late: false, text: `${plural(-days)} before the due date` };
}
