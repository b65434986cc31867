// A commitment's row of commitment_stats (ADR 0032, 0054) as the record defines it. Triggers keep
// the table; letters choose their year's commitments by its period of record and audience and
// read revisions only where its letter flag is set, and the figures count its status, outcome and
// forecast. So a row that disagrees with the record moves a letter's goalposts as surely as a
// rewritten revision would: the integrity check recomputes each row here, from the page of the
// record it has already read, and names the first column that differs.
import { LETTER_REVISION_KINDS, revisionsAsLetterReads, type LetterRevision } from "./letter";
import type { FieldChange } from "./commitment";
import type { Audience } from "./types";

/** One commitment_stats row, as compared (dates as YYYY-MM-DD, the recording time as ISO). */
export interface StatsRow {
  recordLabel: string;
  teamId: string;
  audience: string;
  status: string;
  dueDate: string;
  resolvedAt: string | null;
  reasonCategory: string | null;
  control: string | null;
  forecast: string | null;
  probability: number | null;
  recordedAt: string | null;
  letterRevisions: boolean;
}

export interface StatsSource {
  commitment: { statement: string; teamId: string; audience: Audience; status: string; dueDate: string; periodLabel: string };
  outcome: { resolvedAt: string; reasonCategory: string | null; control: string | null; recordedAt: string } | null;
  checkIns: ReadonlyArray<{ id: string; date: string; createdAt: string; forecast: string; probability: number }>;
  /** Every revision of the commitment, in chain order. */
  revisions: ReadonlyArray<{ kind: string; at: string; reason: string | null; changes: FieldChange[] }>;
}

/**
 * The period of record (ADR 0008): the `from` of the first re-scope that moved the commitment to
 * another period, else the period it has now (recordPeriodLabel states the same in SQL).
 */
export function periodOfRecord(periodLabel: string, revisions: StatsSource["revisions"]): string {
  for (const r of revisions) {
    if (r.kind !== "rescope") continue;
    const moved = r.changes.find((c) => c.field === "periodLabel");
    if (moved) return moved.from === null || moved.from === undefined ? periodLabel : String(moved.from);
  }
  return periodLabel;
}

/**
 * The forecast of record: the last check-in on or before both the due date and the resolution
 * day (on one day, the later written; then the greater id), none while the commitment is open.
 */
export function forecastOfRecord(source: StatsSource): { forecast: string; probability: number } | null {
  const { outcome, commitment } = source;
  if (!outcome) return null;
  let best: StatsSource["checkIns"][number] | null = null;
  for (const k of source.checkIns) {
    if (k.date > commitment.dueDate || k.date > outcome.resolvedAt) continue;
    if (!best || k.date > best.date || (k.date === best.date && (k.createdAt > best.createdAt || (k.createdAt === best.createdAt && k.id > best.id)))) best = k;
  }
  return best ? { forecast: best.forecast, probability: best.probability } : null;
}

const LETTER_KINDS = new Set<string>(LETTER_REVISION_KINDS);

/** The row the record gives the commitment. */
export function statsRowOf(source: StatsSource): StatsRow {
  const { commitment: c, outcome } = source;
  const letterRevisions: LetterRevision[] = source.revisions
    .filter((r) => LETTER_KINDS.has(r.kind))
    .map((r) => ({ kind: r.kind, at: r.at, actorName: null, reason: r.reason, changes: r.changes }));
  const forecast = forecastOfRecord(source);
  return {
    recordLabel: periodOfRecord(c.periodLabel, source.revisions),
    teamId: c.teamId,
    audience: c.audience,
    status: c.status,
    dueDate: c.dueDate,
    resolvedAt: outcome?.resolvedAt ?? null,
    reasonCategory: outcome?.reasonCategory ?? null,
    control: outcome?.control ?? null,
    forecast: forecast?.forecast ?? null,
    probability: forecast?.probability ?? null,
    recordedAt: outcome?.recordedAt ?? null,
    letterRevisions: revisionsAsLetterReads(letterRevisions, c).length > 0,
  };
}

/** The first column in which a kept row differs from the record's, said plainly; null when none does. */
export function statsDisagreement(kept: StatsRow | undefined, expected: StatsRow): string | null {
  if (!kept) return "it has no commitment_stats row, so letters and figures leave it out";
  for (const key of Object.keys(expected) as Array<keyof StatsRow>) {
    if (kept[key] !== expected[key]) {
      return `its commitment_stats row says ${key} ${JSON.stringify(kept[key])}; the record gives ${JSON.stringify(expected[key])}`;
    }
  }
  return null;
}
