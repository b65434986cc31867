// A summarised year's letter from counts (ADR 0059). A draft of a summarised year
// (isSummarisedYear) prints of most commitments nothing but counts, and orders only the few it
// sets out. So the database counts the year's commitments that have no letter revision to read
// (commitment_stats' letter_revisions false: "plain"; their words, due date and audience are the
// ones first committed, so a public letter covers them exactly when they are public now), and
// sends whole rows only of the plain commitments that could be among those the letter orders
// (PLAIN_CANDIDATES); the few commitments with letter revisions are read as before. This module
// merges the three into what composeLetter would print, composeSummarisedLetter writes it.
//
// The two traps it keeps to (ADR 0050): the Brier score and the calibration buckets are float
// sums in the order the (probability, status) groups first appear in the canonical order
// (compareCommitments), so each group's first member is found and the groups put in that order;
// and team names are ordered by the en-GB collator, not by the database, which is only given
// their ranks.
import {
  compareCommitments,
  compareRescopes,
  compareShortfalls,
  firstInOrder,
  inScope,
  isShortfall,
  LETTER_CONSEQUENTIAL_LIMIT,
  prepare,
  reasonLabel,
  shortfallColumn,
  sortedCommitments,
  wasRescoped,
  type CountRow,
  type LetterCommitment,
  type SummarisedYear,
} from "./letter";
import { lateness } from "./outcome-rules";
import { forecastOfRecord, isSurprise, summaryFromTally, type Summary, type SummaryTally } from "./statistics";
import type { Audience, OutcomeStatus, ReasonCategory } from "./types";

/**
 * What the database counts of a year's plain commitments that the letter covers (in scope: for a
 * public letter, public now). Each list is of groups with their count; any order.
 */
export interface PlainCounts {
  /** By team name, status and whether resolved after its due date. */
  teams: Array<{ team: string; status: OutcomeStatus | "open"; late: boolean; count: number }>;
  /** Delivered and partial, by whole days resolved after the due date (0: on time or early). */
  daysLate: Array<{ days: number; count: number }>;
  /** Shortfalls (partial, missed, withdrawn) by status and reason category. */
  reasons: Array<{ status: "partial" | "missed" | "withdrawn"; reason: ReasonCategory | null; count: number }>;
  /** Delivered, partial and missed with a forecast of record, by its probability, status and whether a surprise (isSurprise). */
  forecasts: Array<{ probability: number; status: "delivered" | "partial" | "missed"; surprise: boolean; count: number }>;
  /** Open, by where a re-scope moved it (movedTo), null when it was not moved out of the year. */
  open: Array<{ movedTo: string | null; count: number }>;
}

/**
 * Which plain commitments the database sends whole (as the narrow read does), given each team
 * name's rank in the en-GB collation (compareText): every one that can be a first of its kind in
 * an order the letter reads, ties on the keys the database can compare included. An order's
 * first k of a list are among the rows whose key prefix ranks (SQL rank(), ties sharing a rank)
 * at most k, so these are enough whatever the commitments with letter revisions add:
 * - `groupFirsts`: of each (probability, status) forecast group, the rows with the least (team
 *   rank, committed day, due date): the group's first member in the canonical order is one.
 * - `surprises`: rank by (team rank, committed day, due date) ≤ LETTER_CONSEQUENTIAL_LIMIT.
 * - `shortfalls`: rank by (public first, days late descending) ≤ LETTER_CONSEQUENTIAL_LIMIT
 *   (compareShortfalls' first keys; distance from target is worked out on these).
 * - `open`: all, when there are at most LETTER_CONSEQUENTIAL_LIMIT plain open commitments.
 */
export const PLAIN_CANDIDATES = ["groupFirsts", "surprises", "shortfalls", "open"] as const;

/** What a counted summarised year composes from (composeSummarisedLetter). */
export interface CountedYear {
  /** The commitments the letter covers. */
  made: number;
  /** summarize's Summary of them, but for `reasons.byControl`, which no letter prints (all zero here). */
  summary: Summary;
  year: SummarisedYear;
}

type ForecastGroup = { probability: number; status: "delivered" | "partial" | "missed"; count: number; first: LetterCommitment | null };

/** Its (probability, status) forecast group, as tallyOf keys it, or null when it is not scored. */
function forecastKey(c: LetterCommitment): { probability: number; status: "delivered" | "partial" | "missed"; surprise: boolean } | null {
  const o = c.outcome;
  if (o === null || o.status === "withdrawn") return null;
  const record = forecastOfRecord(c.checkIns, c.dueDate, o.resolvedAt);
  return record ? { probability: record.probability, status: o.status, surprise: isSurprise(o.status, record.forecast) } : null;
}

/** Count rows by label, created when first counted; rows counted down to nothing are dropped. */
class Counts {
  private readonly rows = new Map<string, CountRow>();
  constructor(private readonly columns: number) {}
  add(label: string, column: number, n: number): void {
    let row = this.rows.get(label);
    if (!row) {
      row = { label, counts: new Array<number>(this.columns).fill(0) };
      this.rows.set(label, row);
    }
    row.counts[column] = (row.counts[column] ?? 0) + n;
  }
  list(): CountRow[] {
    return [...this.rows.values()].filter((r) => r.counts.some((n) => n !== 0));
  }
}

/**
 * The year as a summarised letter prints it, from the database's counts of its plain commitments
 * (`plain`), the plain ones it sent whole (`candidates`, PLAIN_CANDIDATES) and the year's
 * commitments with letter revisions (`revised`, read as the narrow read does, in scope or not).
 * Throws when the candidates lack one the counts say must be there, rather than print another
 * letter.
 */
export function countedYear(audience: Audience, plain: PlainCounts, candidates: readonly LetterCommitment[], revised: readonly LetterCommitment[]): CountedYear {
  const others = revised.filter((c) => inScope(c, audience)).map(prepare);
  const all = [...candidates, ...others];

  // The Summary's tally: the plain counts plus each commitment with revisions.
  const counts = { delivered: 0, partial: 0, missed: 0, withdrawn: 0, open: 0 };
  const days = new Map<number, number>();
  const categories = new Map<ReasonCategory, number>();
  const groups = new Map<string, ForecastGroup>();
  const groupOf = (probability: number, status: ForecastGroup["status"]) => {
    const key = `${probability}|${status}`;
    let group = groups.get(key);
    if (!group) {
      group = { probability, status, count: 0, first: null };
      groups.set(key, group);
    }
    return group;
  };
  let surpriseCount = 0;
  for (const t of plain.teams) counts[t.status] += t.count;
  for (const d of plain.daysLate) days.set(d.days, (days.get(d.days) ?? 0) + d.count);
  for (const r of plain.reasons) if (r.reason !== null) categories.set(r.reason, (categories.get(r.reason) ?? 0) + r.count);
  for (const f of plain.forecasts) {
    groupOf(f.probability, f.status).count += f.count;
    if (f.surprise) surpriseCount += f.count;
  }
  for (const c of others) {
    const o = c.outcome;
    if (o === null) {
      counts.open += 1;
      continue;
    }
    counts[o.status] += 1;
    if (o.status === "delivered" || o.status === "partial") {
      const late = lateness(c.dueDate, o.resolvedAt).daysLate;
      days.set(late, (days.get(late) ?? 0) + 1);
    }
    if (o.status !== "delivered" && o.reasonCategory !== null) categories.set(o.reasonCategory, (categories.get(o.reasonCategory) ?? 0) + 1);
    const key = forecastKey(c);
    if (key) {
      groupOf(key.probability, key.status).count += 1;
      if (key.surprise) surpriseCount += 1;
    }
  }
  // Each group's first member in the canonical order, among the candidates and the others.
  for (const c of all) {
    const key = forecastKey(c);
    if (!key) continue;
    const group = groups.get(`${key.probability}|${key.status}`);
    if (!group) throw new Error(`Commitment ${c.id} is in a forecast group the year's counts do not have.`);
    if (group.first === null || compareCommitments(c, group.first) < 0) group.first = c;
  }
  const forecasts = [...groups.values()].map((g) => {
    if (g.first === null) throw new Error(`No commitment was read of the forecast group ${g.probability}% ${g.status}.`);
    return g;
  });
  forecasts.sort((a, b) => compareCommitments(a.first!, b.first!));
  const tally: SummaryTally = {
    counts,
    deliveriesByDaysLate: [...days].map(([d, count]) => ({ days: d, count })),
    byCategory: [...categories].map(([category, count]) => ({ category, count })),
    // Not counted: no letter prints it, and the narrow read has no control (ADR 0053).
    byControl: [],
    forecasts: forecasts.map(({ probability, status, count }) => ({ probability, status, count })),
    openPastDue: [],
    openPastDueCount: 0,
    surprises: [],
    surpriseCount,
  };
  const summary = summaryFromTally(tally);
  const made = counts.delivered + counts.partial + counts.missed + counts.withdrawn + counts.open;

  // By team: every commitment, the delivered ones on time or late, the shortfalls by status.
  const byTeam = new Counts(1);
  const deliveredByTeam = new Counts(2);
  const shortfallsByTeam = new Counts(3);
  const shortfallsByReason = new Counts(3);
  let deliveredLate = 0;
  for (const t of plain.teams) {
    byTeam.add(t.team, 0, t.count);
    if (t.status === "delivered") {
      deliveredByTeam.add(t.team, t.late ? 1 : 0, t.count);
      if (t.late) deliveredLate += t.count;
    } else if (t.status !== "open") {
      shortfallsByTeam.add(t.team, shortfallColumn(t.status), t.count);
    }
  }
  for (const r of plain.reasons) shortfallsByReason.add(reasonLabel(r.reason), shortfallColumn(r.status), r.count);
  for (const c of others) {
    byTeam.add(c.team.name, 0, 1);
    const o = c.outcome;
    if (o?.status === "delivered") {
      const late = lateness(c.dueDate, o.resolvedAt).late;
      deliveredByTeam.add(c.team.name, late ? 1 : 0, 1);
      if (late) deliveredLate += 1;
    } else if (o) {
      shortfallsByTeam.add(c.team.name, shortfallColumn(o.status), 1);
      shortfallsByReason.add(reasonLabel(o.reasonCategory), shortfallColumn(o.status), 1);
    }
  }

  // The shortfalls set out, and the others counted: the counts less the ones set out.
  const shortfallsSetOut = firstInOrder(all.filter(isShortfall), LETTER_CONSEQUENTIAL_LIMIT, compareShortfalls);
  for (const c of shortfallsSetOut) {
    shortfallsByTeam.add(c.team.name, shortfallColumn(c.outcome?.status), -1);
    shortfallsByReason.add(reasonLabel(c.outcome?.reasonCategory), shortfallColumn(c.outcome?.status), -1);
  }

  const plainOpen = plain.open.reduce((n, o) => n + o.count, 0);
  let openListed: LetterCommitment[] | null = null;
  if (counts.open <= LETTER_CONSEQUENTIAL_LIMIT) {
    const listed = all.filter((c) => c.outcome === null);
    if (listed.length !== counts.open) throw new Error(`${counts.open} open commitments were counted and ${listed.length} read.`);
    openListed = sortedCommitments(listed);
  }
  const openMoved = plain.open.reduce((n, o) => n + (o.movedTo ? o.count : 0), 0) + others.filter((c) => c.outcome === null && c.movedTo).length;
  if (plainOpen + others.filter((c) => c.outcome === null).length !== counts.open) throw new Error("The open commitments were not counted by team and by period alike.");

  // Only a commitment with letter revisions can have been re-scoped.
  const rescoped = sortedCommitments(others.filter(wasRescoped));
  const rescopesSetOut = rescoped.length > LETTER_CONSEQUENTIAL_LIMIT ? firstInOrder(rescoped, LETTER_CONSEQUENTIAL_LIMIT, compareRescopes) : rescoped;
  const otherRescopes = new Counts(1);
  for (const c of rescoped) otherRescopes.add(c.team.name, 0, 1);
  if (rescopesSetOut !== rescoped) for (const c of rescopesSetOut) otherRescopes.add(c.team.name, 0, -1);

  const surprising = all.filter((c) => forecastKey(c)?.surprise === true);
  const surprisesShown = firstInOrder(surprising, LETTER_CONSEQUENTIAL_LIMIT, compareCommitments);

  return {
    made,
    summary,
    year: {
      byTeam: byTeam.list(),
      deliveredByTeam: deliveredByTeam.list(),
      deliveredLate,
      shortfallsSetOut,
      otherShortfallsByReason: shortfallsByReason.list(),
      otherShortfallsByTeam: shortfallsByTeam.list(),
      openMoved,
      openListed,
      rescoped: rescoped.length,
      rescopesSetOut,
      otherRescopesByTeam: rescopesSetOut === rescoped ? [] : otherRescopes.list(),
      surprisesShown,
    },
  };
}

/** The commitments a counted year sets out in full, whose every field it prints: read them whole (withWhole). */
export function countedSetOutIds(year: SummarisedYear): string[] {
  return [...new Set([...year.shortfallsSetOut, ...year.rescopesSetOut].map((c) => c.id))];
}

/** The year with the commitments it sets out in full replaced by their whole reads, by id. */
export function withWhole(year: SummarisedYear, whole: ReadonlyMap<string, LetterCommitment>): SummarisedYear {
  const swap = (c: LetterCommitment) => {
    const w = whole.get(c.id);
    if (!w) throw new Error(`Commitment ${c.id} is set out in full but was not read whole.`);
    return prepare(w);
  };
  return { ...year, shortfallsSetOut: year.shortfallsSetOut.map(swap), rescopesSetOut: year.rescopesSetOut.map(swap) };
}
