// Which reminders are due today, from the record alone. Pure: "today" and the clock come in,
// so the schedule is tested by travelling in time. Each reminder carries a dedupe key naming
// its occasion, so running the sweep twice (or on two processes) reminds nobody twice.
import { daysBetween, localDate } from "./period";

export type ReminderKind = "check_in" | "due_soon" | "past_due" | "retrospective";

/**
 * A kind of mail a person can stop with the one-click unsubscribe link it came with: one kind
 * of reminder, one kind of event notice, or the weekly digest. The link names it, so
 * unsubscribing from due-soon reminders leaves outcome notices and the digest alone.
 */
export type MailStream = ReminderKind | "rescoped" | "outcome" | "checked_in" | "digest";

export const MAIL_STREAM_LABELS: Record<MailStream, string> = {
  check_in: "reminders to check in",
  due_soon: "reminders that a due date is near",
  past_due: "reminders that a due date has passed without an outcome",
  retrospective: "reminders that a retrospective has not been held",
  rescoped: "notices of re-scoped commitments",
  outcome: "notices of outcomes recorded or changed",
  checked_in: "notices of check-ins by someone else",
  digest: "the weekly digest",
};

export function isMailStream(value: string): value is MailStream {
  return Object.hasOwn(MAIL_STREAM_LABELS, value);
}

export interface OpenCommitmentFacts {
  id: string;
  statement: string;
  ownerId: string | null;
  dueDate: string;
  committedAt: Date;
  lastCheckInAt: Date | null;
}

export interface UnheldRetrospective {
  teamId: string;
  teamName: string;
  teamSlug: string;
  periodLabel: string;
  periodEnd: string;
  /** Who may write it: the team's editors. */
  editorIds: string[];
}

export interface ReminderInput {
  now: Date;
  timeZone: string;
  /** Days without a check-in before an owner is reminded (the organisation's cadence). */
  checkInCadenceDays: number;
  /** How far ahead "due soon" looks. */
  dueSoonDays: number;
  commitments: OpenCommitmentFacts[];
  retrospectives: UnheldRetrospective[];
}

export interface Reminder {
  userId: string;
  kind: ReminderKind;
  dedupeKey: string;
  title: string;
  body: string;
  path: string;
}

export const DEFAULT_CHECK_IN_CADENCE_DAYS = 14;
export const DUE_SOON_DAYS = 14;
/** A commitment past due without an outcome is brought up again every week. */
const PAST_DUE_REPEAT_DAYS = 7;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function computeReminders(input: ReminderInput): Reminder[] {
  const today = localDate(input.now, input.timeZone);
  const reminders: Reminder[] = [];
  for (const c of input.commitments) {
    if (!c.ownerId) continue;
    const path = `/commitments/${c.id}`;
    const daysToDue = daysBetween(today, c.dueDate);
    if (daysToDue < 0) {
      const late = -daysToDue;
      reminders.push({
        userId: c.ownerId,
        kind: "past_due",
        dedupeKey: `past_due:${c.id}:${c.dueDate}:${Math.floor((late - 1) / PAST_DUE_REPEAT_DAYS)}`,
        title: `Past due without an outcome: ${c.statement}`,
        body: `It was due on ${c.dueDate}, ${plural(late, "day")} ago. Record what happened: delivered, partially delivered, missed or withdrawn.`,
        path,
      });
      continue;
    }
    if (daysToDue <= input.dueSoonDays) {
      reminders.push({
        userId: c.ownerId,
        kind: "due_soon",
        // A new due date (a re-scope) is a new occasion.
        dedupeKey: `due_soon:${c.id}:${c.dueDate}`,
        title: `Due ${daysToDue === 0 ? "today" : `in ${plural(daysToDue, "day")}`}: ${c.statement}`,
        body: `It is due on ${c.dueDate}. Post a check-in with your forecast, or record the outcome if it is done.`,
        path,
      });
    }
    const since = c.lastCheckInAt ?? c.committedAt;
    const quiet = daysBetween(localDate(since, input.timeZone), today);
    if (quiet >= input.checkInCadenceDays) {
      reminders.push({
        userId: c.ownerId,
        kind: "check_in",
        // Once per cadence window after the last check-in: a new check-in starts a new series.
        dedupeKey: `check_in:${c.id}:${since.toISOString()}:${Math.floor(quiet / input.checkInCadenceDays)}`,
        title: `Time to check in: ${c.statement}`,
        body: c.lastCheckInAt
          ? `The last check-in was ${plural(quiet, "day")} ago. Say whether it is on track.`
          : `Nobody has checked in since it was committed ${plural(quiet, "day")} ago. Say whether it is on track.`,
        path,
      });
    }
  }
  for (const r of input.retrospectives) {
    if (daysBetween(r.periodEnd, today) <= 0) continue;
    for (const userId of r.editorIds) {
      reminders.push({
        userId,
        kind: "retrospective",
        dedupeKey: `retrospective:${r.teamId}:${r.periodLabel}`,
        title: `Retrospective not held: ${r.teamName}, ${r.periodLabel}`,
        body: `${r.periodLabel} ended on ${r.periodEnd}. Review the outcomes and write down what went well, what did not, and what you will change.`,
        path: `/retrospectives/${r.teamSlug}/${r.periodLabel}`,
      });
    }
  }
  return reminders;
}

// ---------------------------------------------------------------------------------------------
// The weekly digest

export type DigestSection = "past_due" | "due_soon" | "at_risk" | "outcome" | "rescope";

export interface DigestItem {
  section: DigestSection;
  commitmentId: string;
  statement: string;
  dueDate: string;
}

const SECTION_HEADINGS: Record<DigestSection, string> = {
  past_due: "Past due without an outcome",
  due_soon: "Due in the next 14 days",
  at_risk: "At risk or off track by the latest check-in",
  outcome: "Outcomes recorded this week",
  rescope: "Re-scoped this week",
};
const SECTION_ORDER: DigestSection[] = ["past_due", "due_soon", "at_risk", "outcome", "rescope"];

/** "2026-W48": the ISO week a calendar date falls in; one digest per person per week. */
export function isoWeekLabel(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/** Monday is the digest's day, in the organisation's time zone. */
export function isDigestDay(now: Date, timeZone: string): boolean {
  const [y, m, d] = localDate(now, timeZone).split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay() === 1;
}

/** The digest's sections in reading order, each listing its commitments by due date. */
export function digestSections(items: DigestItem[]): Array<{ heading: string; items: DigestItem[] }> {
  return SECTION_ORDER.map((section) => ({
    heading: SECTION_HEADINGS[section],
    items: items.filter((i) => i.section === section).sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0)),
  })).filter((s) => s.items.length > 0);
}
