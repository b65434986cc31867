// Where a fiscal year stands on a given day, in the organisation's calendar: not started yet,
// under way (with the days left), or ended. Publishing a letter and the year-end close page
// both read it, so "ends in 32 days" means the same thing everywhere (ADR 0017).
import { daysBetween, labelsWithin, periodFromLabel, periodOf, type FiscalCalendar } from "./period";

export type YearPhase = "not-started" | "under-way" | "ended";

export interface YearTiming {
  fiscalYear: number;
  phase: YearPhase;
  /** First day of the fiscal year (ISO date). */
  start: string;
  /** Last day of the fiscal year, inclusive. */
  end: string;
  /** Calendar days from `today` to the last day: 0 on the last day, negative once it has ended. */
  daysLeft: number;
  /** Calendar days from `today` to the first day (positive only before the year starts). */
  daysToStart: number;
}

/** The year's timing on `today`, a calendar date already in the organisation's time zone. */
export function yearTiming(fiscalYear: number, today: string, cal: FiscalCalendar): YearTiming {
  const year = periodOf("year", fiscalYear, 1, cal);
  const phase: YearPhase = today < year.start ? "not-started" : today > year.end ? "ended" : "under-way";
  return { fiscalYear, phase, start: year.start, end: year.end, daysLeft: daysBetween(today, year.end), daysToStart: daysBetween(today, year.start) };
}

function days(n: number): string {
  return n === 1 ? "1 day" : `${n} days`;
}

/** "ends in 32 days", "ends today", "ended 3 days ago", "starts in 5 days" — the countdown in words. */
export function countdownPhrase(t: YearTiming): string {
  if (t.phase === "not-started") return `starts in ${days(t.daysToStart)}`;
  if (t.phase === "ended") return t.daysLeft === -1 ? "ended yesterday" : `ended ${days(-t.daysLeft)} ago`;
  return t.daysLeft === 0 ? "ends today" : `ends in ${days(t.daysLeft)}`;
}

/** The words an admin types to publish a letter before its year has ended. */
export function publishConfirmationPhrase(fiscalYear: number): string {
  return `publish FY${fiscalYear}`;
}

/**
 * Whether what was typed is the confirmation phrase. Case and runs of spaces do not matter
 * (nobody should fail on "Publish  fy2026"); the year does, so a phrase copied from another
 * year's letter never publishes this one.
 */
export function confirmationMatches(typed: string | null | undefined, fiscalYear: number): boolean {
  if (typeof typed !== "string") return false;
  const normalised = typed.trim().replace(/\s+/g, " ").toLowerCase();
  return normalised === publishConfirmationPhrase(fiscalYear).toLowerCase();
}

/** "1 commitment" / "2 commitments". */
export function commitmentCount(n: number): string {
  return n === 1 ? "1 commitment" : `${n} commitments`;
}

/**
 * What publishing before the year ends means for the letter, as one sentence:
 * "FY2026 ends in 32 days; 2 commitments without an outcome, listed as still open in the letter."
 */
export function earlyPublishingSummary(t: YearTiming, openCount: number): string {
  const open =
    openCount === 0
      ? "every commitment in the letter has its outcome"
      : `${commitmentCount(openCount)} without an outcome, listed as still open in the letter`;
  return `FY${t.fiscalYear} ${countdownPhrase(t)}; ${open}.`;
}

// ---------------------------------------------------------------------------------------------
// The close checklist

export interface ShortfallExplanation {
  status: "missed" | "partial" | "withdrawn" | "delivered";
  reasonCategory: string | null;
  partialDescription: string | null;
  explanation: string | null;
  lesson: string | null;
}

/**
 * What a shortfall's outcome still lacks before a letter can explain it, or null when it is
 * complete: the reason, which part was delivered, an explanation that says something (the same
 * rule the outcome form applies today — older or imported outcomes may predate it), the lesson.
 */
export function missingExplanation(o: ShortfallExplanation, explanationRule: (text: string) => string | null): string | null {
  if (o.status === "delivered") return null;
  const blank = (v: string | null) => v === null || v.trim() === "";
  if (o.reasonCategory === null) return "No reason category is recorded.";
  if (o.status === "partial" && blank(o.partialDescription)) return "It does not say which part was delivered.";
  if (blank(o.explanation)) return "There is no explanation.";
  const weak = explanationRule(o.explanation ?? "");
  if (weak !== null) return `The explanation does not say enough yet: ${weak}`;
  if (blank(o.lesson)) return "There is no lesson.";
  return null;
}

export interface TeamPeriod {
  teamId: string;
  teamName: string;
  teamSlug: string;
  periodLabel: string;
}

export interface RetrospectiveDue {
  /** null for the whole organisation. */
  teamId: string | null;
  teamName: string;
  teamSlug: string | null;
  periodLabel: string;
  periodEnd: string;
  /** The period is over; until then the retrospective is simply not due yet. */
  ended: boolean;
}

/**
 * The retrospectives still to hold for a year: one per team and period in which the team made
 * commitments, and the organisation's own for the year. A team's retrospective of a longer
 * period covers its shorter ones (a half covers its quarters; labelsWithin). Periods that have
 * not started yet are left out: there is nothing to look back on.
 */
export function retrospectivesToHold(
  fiscalYear: number,
  teamPeriods: readonly TeamPeriod[],
  held: ReadonlyArray<{ teamId: string | null; periodLabel: string }>,
  today: string,
  cal: FiscalCalendar,
): RetrospectiveDue[] {
  const covered = new Set<string>();
  for (const h of held) {
    const period = periodFromLabel(h.periodLabel, cal);
    if (!period || period.fiscalYear !== fiscalYear) continue;
    for (const label of labelsWithin(period)) covered.add(`${h.teamId ?? ""}|${label}`);
  }
  const due: Array<RetrospectiveDue & { start: string }> = [];
  const year = periodOf("year", fiscalYear, 1, cal);
  if (today >= year.start && !covered.has(`|${year.label}`)) {
    due.push({ teamId: null, teamName: "The whole organisation", teamSlug: null, periodLabel: year.label, periodEnd: year.end, ended: today > year.end, start: year.start });
  }
  for (const tp of teamPeriods) {
    const period = periodFromLabel(tp.periodLabel, cal);
    if (!period || period.fiscalYear !== fiscalYear || today < period.start) continue;
    if (covered.has(`${tp.teamId}|${period.label}`)) continue;
    due.push({ teamId: tp.teamId, teamName: tp.teamName, teamSlug: tp.teamSlug, periodLabel: period.label, periodEnd: period.end, ended: today > period.end, start: period.start });
  }
  return due
    // The longest overdue first; on one end date the organisation, then teams by name, then the longer period.
    .sort(
      (a, b) =>
        a.periodEnd.localeCompare(b.periodEnd) ||
        Number(b.teamId === null) - Number(a.teamId === null) ||
        a.teamName.localeCompare(b.teamName, "en-GB") ||
        a.start.localeCompare(b.start),
    )
    .map(({ start: _start, ...rest }) => rest);
}
