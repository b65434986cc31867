// The year-end close: where a fiscal year stands in the organisation's calendar, what stops or
// must be confirmed before its letter is published, and the checklist that leads to drafting it
// (docs/decisions/0017-publishing-safeguards-and-year-end-close.md).
import type { DbOrTx } from "../../db/client";
import { letterPath } from "~/domain/letter-publish";
import { reasonProblem } from "~/domain/reasons";
import { localDate, type FiscalCalendar } from "~/domain/period";
import type { Audience } from "~/domain/types";
import {
  commitmentCount,
  confirmationMatches,
  countdownPhrase,
  earlyPublishingSummary,
  missingExplanation,
  publishConfirmationPhrase,
  retrospectivesToHold,
  yearTiming,
  type YearTiming,
} from "~/domain/year-close";
import { getLetterByYear } from "~/models/letter.server";
import { getOrganisation } from "~/models/organisation.server";
import { CLOSE_LIST_LIMIT, countOpenOfYear, openCommitmentsOfYear, retrospectivesOfYear, shortfallsOfYear, teamPeriodsOfYear } from "~/models/year-close.server";
import { ORG_SCOPE } from "~/schemas/retrospectives";
import { authorize } from "./authorize.server";
import { fail, notSetUp, ok, type Actor, type Result } from "~/domain/result";

async function calendarOn(db: DbOrTx, now: Date): Promise<{ calendar: FiscalCalendar; today: string } | null> {
  const org = await getOrganisation(db);
  if (!org) return null;
  return { calendar: { startMonth: org.fiscalYearStartMonth, timeZone: org.timeZone }, today: localDate(now, org.timeZone) };
}

/** The year's timing on `now` in the organisation's calendar; null before setup. */
export async function yearTimingOn(db: DbOrTx, fiscalYear: number, now: Date): Promise<YearTiming | null> {
  const cal = await calendarOn(db, now);
  return cal ? yearTiming(fiscalYear, cal.today, cal.calendar) : null;
}

function formatDay(iso: string): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
}

/** Refused for a year that has not started: there is nothing yet to account for. */
export function notStartedFailure(timing: YearTiming, what: "draft" | "publish") {
  return fail(
    "LETTER.YEAR_NOT_STARTED",
    `FY${timing.fiscalYear} has not started yet (it starts on ${formatDay(timing.start)}), so there is nothing to ${what === "draft" ? "write a letter about" : "publish"} yet.`,
    "fiscalYear",
  );
}

/**
 * Before the year ends, publishing needs the typed phrase; the refusal says what is still open,
 * so the person deciding sees what the letter will call unfinished. After the year ends the
 * request itself (the button pressed, the If-Match sent) is the deliberate step.
 */
export function confirmationFailure(timing: YearTiming, openCount: number, typed: string | null | undefined): Result<never> | null {
  if (timing.phase !== "under-way" || confirmationMatches(typed, timing.fiscalYear)) return null;
  const phrase = publishConfirmationPhrase(timing.fiscalYear);
  const ask = typed === null || typed === undefined || typed.trim() === "" ? `To publish before the year ends, type “${phrase}” to confirm.` : `That is not “${phrase}”: type it exactly to publish before the year ends.`;
  return fail("LETTER.CONFIRMATION_REQUIRED", `${earlyPublishingSummary(timing, openCount)} ${ask}`, "confirmation");
}

/** What the draft editor shows next to Publish: the year's timing, what is open, what to type. */
export async function publishingContext(db: DbOrTx, letter: { fiscalYear: number; audience: Audience }, now: Date) {
  const timing = await yearTimingOn(db, letter.fiscalYear, now);
  if (!timing) return null;
  const openCount = timing.phase === "not-started" ? 0 : await countOpenOfYear(db, letter.fiscalYear, letter.audience);
  return {
    fiscalYear: letter.fiscalYear,
    phase: timing.phase,
    start: timing.start,
    end: timing.end,
    countdown: countdownPhrase(timing),
    openCount,
    summary: timing.phase === "under-way" ? earlyPublishingSummary(timing, openCount) : null,
    phrase: timing.phase === "under-way" ? publishConfirmationPhrase(letter.fiscalYear) : null,
    notStarted: timing.phase === "not-started" ? notStartedFailure(timing, "publish").error.message : null,
  };
}

// ---------------------------------------------------------------------------------------------
// The close page

export interface OpenCommitment {
  id: string;
  statement: string;
  periodLabel: string;
  dueDate: string;
  audience: Audience;
  ownerId: string | null;
  ownerName: string | null;
  overdue: boolean;
}

/** The year-end checklist for a fiscal year, for those who may draft its letter (admins). */
export async function yearCloseFor(db: DbOrTx, actor: Actor, fiscalYear: number, now: Date) {
  const refused = authorize(actor, "year.close", "Only admins close the year and draft its letter.");
  if (refused) return refused;
  const cal = await calendarOn(db, now);
  if (!cal) return notSetUp();
  const timing = yearTiming(fiscalYear, cal.today, cal.calendar);
  const [open, openTotal, shortfalls, teamPeriods, held, publicLetter, internalLetter] = await Promise.all([
    openCommitmentsOfYear(db, fiscalYear),
    countOpenOfYear(db, fiscalYear, "internal"),
    shortfallsOfYear(db, fiscalYear),
    teamPeriodsOfYear(db, fiscalYear),
    retrospectivesOfYear(db, fiscalYear),
    getLetterByYear(db, fiscalYear, "public"),
    getLetterByYear(db, fiscalYear, "internal"),
  ]);
  const byTeam = new Map<string, { teamId: string; teamName: string; teamSlug: string; commitments: OpenCommitment[] }>();
  for (const c of open) {
    const group = byTeam.get(c.teamId) ?? { teamId: c.teamId, teamName: c.teamName, teamSlug: c.teamSlug, commitments: [] };
    group.commitments.push({
      id: c.id,
      statement: c.statement,
      periodLabel: c.periodLabel,
      dueDate: c.dueDate,
      audience: c.audience,
      ownerId: c.ownerId,
      ownerName: c.ownerName,
      overdue: c.dueDate < cal.today,
    });
    byTeam.set(c.teamId, group);
  }
  const unexplained = shortfalls.flatMap((s) => {
    const missing = missingExplanation(s, reasonProblem);
    return missing ? [{ id: s.id, statement: s.statement, teamName: s.teamName, ownerName: s.ownerName, status: s.status, missing }] : [];
  });
  const retrospectives = retrospectivesToHold(fiscalYear, teamPeriods, held, cal.today, cal.calendar).map((r) => ({
    ...r,
    href: `/retrospectives/${r.teamSlug ?? ORG_SCOPE}/${r.periodLabel}`,
  }));
  const letterOf = (l: typeof publicLetter) =>
    l ? { id: l.id, status: l.status, href: l.status === "published" ? letterPath(l.fiscalYear, l.audience) : `/letters/drafts/${l.id}` } : null;
  return ok({
    fiscalYear,
    timing,
    countdown: countdownPhrase(timing),
    openTotal,
    openShown: open.length,
    openLimit: CLOSE_LIST_LIMIT,
    openSummary: commitmentCount(openTotal),
    openByTeam: [...byTeam.values()],
    unexplained,
    retrospectives,
    letters: { public: letterOf(publicLetter), internal: letterOf(internalLetter) },
  });
}
