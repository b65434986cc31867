// The annual letter: generate a draft from the record, edit it, publish it frozen with its
// hash and ledger appendix, and correct it only by appended errata (PRODUCT.md, "Letter";
// docs/decisions/0005-letters-are-frozen.md).
import { describeAhead, type Database, type DbOrTx, type Transaction } from "../../db/client";
import { describeMeasure, letterCommitmentPath, measureOf } from "~/domain/commitment";
import { lateness } from "~/domain/outcome-rules";
import { KEPT_REFERENCE } from "~/domain/reasons";
import { commitmentsSetOutInFull, compareText, composeLetter, composeSummarisedLetter, inScope, isSummarisedYear, LETTER_CONSEQUENTIAL_LIMIT, LETTER_IN_FULL_LIMIT, scorecardChart, withChart, type LetterCommitment, type LetterInput, type NextYearCommitment } from "~/domain/letter";
import { countedSetOutIds, countedYear, withWhole } from "~/domain/letter-counted";
import { letterYearSize, plainCandidatesOfYear, plainCountsOfYear, revisedCommitmentsOfYear } from "~/models/letter-counts.server";
import {
  LEDGER_APPENDIX_HEADING,
  appendixTableRows,
  LEDGER_FILE_CLOSING,
  LEDGER_SECTION_SEPARATOR,
  ledgerFileOpening,
  ledgerFileSection,
  changedAfterLetter,
  isLedgerStatus,
  ledgerAppendixMarkdown,
  inLedgerOrder,
  ledgerEntries,
  letterPath,
  minimumsInForce,
  publishedMarkdown,
  publishProblems,
  unorderedLedgerEntries,
  type LedgerEntry,
  type LetterBodyReading,
  type MinimumSegment,
  type PublishProblem,
} from "~/domain/letter-publish";
import type { Audience, Outcome } from "~/domain/types";
import {
  chainNeighboursOfYear,
  commitmentsByIds,
  commitmentsOfYear,
  commitmentYears,
  deleteDraft,
  earlierYearTallies,
  getLetter,
  getLetterForUpdate,
  getLetterByYear,
  getPublishedLetterPage,
  insertErratum,
  insertLetter,
  latestOutcomeChangeReasons,
  listErrata,
  listLetters,
  freezeLetter,
  insertLedgerSection,
  beginLetterLocks,
  inLockOrder,
  type LetterLockReads,
  prepareLetterLocks,
  publicationStatements,
  writeLetterLocks,
  nextYearCommitments,
  openCarriedChains,
  outcomesChangedSinceEarlierLetters,
  neighbourPublishedLetter,
  frozenLedgerEntriesNamed,
  frozenLedgerIds,
  frozenLedgerStatuses,
  isoInstantFromUtcText,
  publicLedgerPage,
  publicYearTallies,
  recentPublications,
  narrowCommitmentsOfYear,
  revisionsOfCommitments,
  revisionsOfYear,
  type NarrowYearCommitmentRow,
  type YearCommitmentRow,
  updateDraftIfCurrent,
  PUBLIC_LEDGER_PAGE,
  type LetterRow,
} from "~/models/letter.server";
import { getOrganisation, minScoreChangesUntil } from "~/models/organisation.server";
import { lockChain, sha256Hex, sha256Pieces } from "~/models/record-log.server";
import { checkpointSection, withCheckpoint } from "~/domain/record-log";
import { fiscalYearOf, isValidIsoDate, localDate, movedOutOfYear, periodFromLabel } from "~/domain/period";
import { uniqueViolation } from "~/utils/db-errors.server";
import { linkBodyMentions, mentionLinks, quotedInBody } from "~/utils/letter-links.server";
import { appendixRendersAsTable, readLetterBody } from "~/utils/letter-reading.server";
import { renderMarkdown } from "~/utils/markdown.server";
import { organisationCalendar } from "./organisation.server";
import { checkpointForLetter, letterCheckpoint, PUBLIC_LOG_PATH } from "./record-log.server";
import { emitEvent } from "./events.server";
import { authorize } from "./authorize.server";
import { fail, notSetUp, ok, type Actor, type Result } from "~/domain/result";
import { announceErratum, announceLetter } from "./subscriptions.server";
import { confirmationFailure, notStartedFailure, yearTimingOn } from "./year-close.server";
import { pageOf } from "~/utils/cursor";
import { NO_CHANGE_LOG, type ChangeLog } from "./change-log.server";

export const MIN_LETTER_YEAR = 1970;
export const MAX_LETTER_YEAR = 2200;
export const MAX_LETTER_BODY = 200_000;
export const MAX_ERRATUM_BODY = 20_000;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export { letterPath };

// One SHA-256 for the whole record: the letter's, the ledger file's and the log's hashes are the same function.
export { sha256Hex };

// ---------------------------------------------------------------------------------------------
// Reading the record for a year

interface YearRecord {
  input: LetterInput;
  minPublicScore: number;
  /** Next year's commitments in scope, with ids, for locking on publication. */
  nextYearIds: string[];
  /** The letter this one follows, linked on publication. */
  previousLetterId: string | null;
}

/**
 * `onRead`, when given, is told the ids of every commitment read (the year's, then next year's)
 * as soon as the rows have arrived, before the letter's input is composed from them: a
 * publication sends its lock reads then, so they run while node composes (ADR 0063).
 */
async function yearRecord(db: DbOrTx, fiscalYear: number, audience: Audience, onRead?: (ids: string[]) => void): Promise<YearRecord | null> {
  // The organisation is read with the year, not before it: one round trip less (ADR 0060).
  const [org, rows, neighbours, revisions, surroundings] = await Promise.all([
    getOrganisation(db),
    commitmentsOfYear(db, fiscalYear, audience),
    chainNeighboursOfYear(db, fiscalYear),
    revisionsOfYear(db, fiscalYear, audience),
    yearSurroundings(db, fiscalYear, audience),
  ]);
  if (!org) return null;
  onRead?.([...rows.map((r) => r.id), ...surroundings.next.map((c) => c.id)]);
  const revisionsBy = revisionsByCommitment(revisions);
  const neighbourBy = new Map(neighbours.map((n) => [n.id, n]));
  const movedTo = movedOutOfYearMemo(fiscalYear);
  const commitments = rows.map((r) => letterCommitmentOf(r, neighbourBy.get(r.id), revisionsBy.get(r.id), movedTo));
  return {
    input: letterInputOf(org, fiscalYear, audience, commitments, surroundings),
    minPublicScore: org.minPublicScore,
    nextYearIds: surroundings.next.map((c) => c.id),
    previousLetterId: surroundings.previous?.id ?? null,
  };
}

/**
 * What a draft is composed from: the year read narrow, the revisions of the few commitments that
 * have any a letter reads, and the commitments the letter sets out in full read whole by id
 * (commitmentsSetOutInFull): in a summarised year (isSummarisedYear) a few dozen, in a year in
 * full every one it covers. That composes the same letter as the whole year (ADR 0053).
 * Publication and the checked draft read yearRecord: they need every commitment whole.
 */
async function draftInput(db: DbOrTx, org: Organisation, fiscalYear: number, audience: Audience): Promise<LetterInput> {
  const [rows, neighbours, surroundings] = await Promise.all([
    narrowCommitmentsOfYear(db, fiscalYear, audience),
    chainNeighboursOfYear(db, fiscalYear),
    yearSurroundings(db, fiscalYear, audience),
  ]);
  const revisionsBy = revisionsByCommitment(await revisionsOfCommitments(db, rows.flatMap((r) => (r.revised ? [r.id] : [])), audience));
  const neighbourBy = new Map(neighbours.map((n) => [n.id, n]));
  const movedTo = movedOutOfYearMemo(fiscalYear);
  const narrow = rows.map((r) => letterCommitmentOf(r, neighbourBy.get(r.id), revisionsBy.get(r.id), movedTo));
  const whole = new Map(
    (await commitmentsByIds(db, commitmentsSetOutInFull({ commitments: narrow, audience }))).map((r) => [r.id, letterCommitmentOf(r, neighbourBy.get(r.id), revisionsBy.get(r.id), movedTo)]),
  );
  return letterInputOf(org, fiscalYear, audience, narrow.map((c) => whole.get(c.id) ?? c), surroundings);
}

type Organisation = NonNullable<Awaited<ReturnType<typeof getOrganisation>>>;

/**
 * The draft generateLetterDraft saves: a summarised year's (isSummarisedYear) composed from counts
 * (countedDraft, ADR 0059), any other year's from draftInput. Which one is told by how many
 * commitments the letter may cover (letterYearSize, a superset): a year counted to no more than
 * LETTER_IN_FULL_LIMIT after all is composed from draftInput. Null before the organisation is set up.
 */
async function composedDraft(db: DbOrTx, fiscalYear: number, audience: Audience): Promise<{ title: string; markdown: string } | null> {
  const [org, size] = await Promise.all([getOrganisation(db), letterYearSize(db, fiscalYear, audience)]);
  if (!org) return null;
  const counted = isSummarisedYear(size) ? await countedDraft(db, org, fiscalYear, audience) : null;
  return counted ?? composeLetter(await draftInput(db, org, fiscalYear, audience));
}

/**
 * A summarised year's draft from counts (ADR 0059, app/domain/letter-counted.ts): the year's plain
 * commitments counted by PostgreSQL and the few of them that can come first in an order the
 * letter reads sent narrow, the commitments with letter revisions read narrow with their
 * revisions, and the commitments set out in full read whole by id. The year's rows are not read.
 * Null when the year turns out not to be summarised.
 */
async function countedDraft(db: DbOrTx, org: Organisation, fiscalYear: number, audience: Audience) {
  const [plain, revisedRows, neighbours, surroundings] = await Promise.all([
    plainCountsOfYear(db, fiscalYear, audience),
    revisedCommitmentsOfYear(db, fiscalYear, audience),
    chainNeighboursOfYear(db, fiscalYear),
    yearSurroundings(db, fiscalYear, audience),
  ]);
  const teams = [...new Set(plain.teams.map((t) => t.team))].sort(compareText);
  const plainOpen = plain.open.reduce((n, o) => n + o.count, 0);
  const [revisions, candidates] = await Promise.all([
    revisionsOfCommitments(db, revisedRows.map((r) => r.id), audience),
    plainCandidatesOfYear(db, fiscalYear, audience, teams, plainOpen <= LETTER_CONSEQUENTIAL_LIMIT),
  ]);
  const revisionsBy = revisionsByCommitment(revisions);
  const neighbourBy = new Map(neighbours.map((n) => [n.id, n]));
  const movedTo = movedOutOfYearMemo(fiscalYear);
  const of = (r: YearCommitmentRow | NarrowYearCommitmentRow) => letterCommitmentOf(r, neighbourBy.get(r.id), revisionsBy.get(r.id), movedTo);
  const counts = { ...plain, open: plain.open.map((o) => ({ movedTo: movedTo(o.periodLabel), count: o.count })) };
  const counted = countedYear(audience, counts, candidates.map(of), revisedRows.map(of));
  if (!isSummarisedYear(counted.made)) return null;
  const whole = new Map((await commitmentsByIds(db, countedSetOutIds(counted.year))).map((r) => [r.id, of(r)]));
  const input = letterInputOf(org, fiscalYear, audience, [], surroundings);
  return composeSummarisedLetter(input, counted.made, counted.summary, withWhole(counted.year, whole));
}

/** The year's reads besides its commitments. */
async function yearSurroundings(db: DbOrTx, fiscalYear: number, audience: Audience) {
  const [earlier, carried, next, previous, changedSince] = await Promise.all([
    earlierYearTallies(db, fiscalYear, audience),
    openCarriedChains(db, fiscalYear, audience),
    nextYearCommitments(db, fiscalYear, audience),
    neighbourPublishedLetter(db, fiscalYear, audience, "previous"),
    outcomesChangedSinceEarlierLetters(db, fiscalYear, audience),
  ]);
  return { earlier, carried, next, previous, changedSince };
}

/**
 * Revisions arrive as a list of the year: grouped by commitment in one pass, in the order read
 * (by id), which composition relies on.
 */
function revisionsByCommitment(revisions: Awaited<ReturnType<typeof revisionsOfYear>>): Map<string, LetterCommitment["revisions"]> {
  const revisionsBy = new Map<string, LetterCommitment["revisions"]>();
  for (const r of revisions) {
    const item = { kind: r.kind, at: isoInstantFromUtcText(r.atUtc), actorName: r.actorName, reason: r.reason, changes: r.changes };
    const list = revisionsBy.get(r.commitmentId);
    if (list) list.push(item);
    else revisionsBy.set(r.commitmentId, [item]);
  }
  return revisionsBy;
}

/** movedOutOfYear for one year, worked out once per period label: a year has a few dozen labels and tens of thousands of commitments. */
function movedOutOfYearMemo(fiscalYear: number): (periodLabel: string) => string | null {
  const known = new Map<string, string | null>();
  return (periodLabel) => {
    let moved = known.get(periodLabel);
    if (moved === undefined) {
      moved = movedOutOfYear(periodLabel, fiscalYear);
      known.set(periodLabel, moved);
    }
    return moved;
  };
}

/**
 * A commitment as composition reads it, from its whole row or its narrow one (blank where the
 * narrow read leaves a field out: composition prints those of the commitments it sets out in
 * full only, ADR 0053). Its check-ins are its forecast of record alone, read with it
 * (checkInsAsLetterReads).
 */
function letterCommitmentOf(
  r: YearCommitmentRow | NarrowYearCommitmentRow,
  n: Awaited<ReturnType<typeof chainNeighboursOfYear>>[number] | undefined,
  revisions: LetterCommitment["revisions"] | undefined,
  movedTo: (periodLabel: string) => string | null,
): LetterCommitment {
  const whole = "lesson" in r ? r : null;
  const outcome: Outcome | null = r.outcomeStatus
    ? {
        status: r.outcomeStatus,
        resolvedAt: r.resolvedAt ?? r.dueDate,
        actualValue: r.actualValue,
        evidenceUrl: whole?.evidenceUrl ?? null,
        partialDescription: whole?.partialDescription ?? null,
        reasonCategory: r.reasonCategory,
        control: whole?.control ?? null,
        explanation: whole?.explanation ?? null,
        lesson: whole?.lesson ?? null,
      }
    : null;
  return {
    id: r.id,
    statement: r.statement,
    team: { name: r.teamName },
    ownerName: whole?.ownerName ?? null,
    audience: r.audience,
    dueDate: r.dueDate,
    periodLabel: r.periodLabel,
    committedAt: isoInstantFromUtcText(r.committedAtUtc),
    measure: measureOf(
      whole ?? {
        measureKind: r.measureKind,
        metricName: null,
        metricBaseline: r.metricBaseline,
        metricComparator: r.metricComparator,
        metricTarget: r.metricTarget,
        metricUnit: null,
        deliverableEvent: null,
      },
    ),
    evidenceSource: whole?.evidenceSource ?? "",
    attempt: r.attempt,
    predecessor: n?.pred_period ? { periodLabel: n.pred_period, attempt: Number(n.pred_attempt) } : null,
    successor: n?.succ_period ? { periodLabel: n.succ_period, attempt: Number(n.succ_attempt) } : null,
    movedTo: movedTo(r.periodLabel),
    outcome,
    checkIns: r.recordDate !== null && r.recordForecast !== null && r.recordProbability !== null ? [{ date: r.recordDate, forecast: r.recordForecast, probability: r.recordProbability }] : [],
    revisions: revisions ?? [],
  };
}

function letterInputOf(
  org: Organisation,
  fiscalYear: number,
  audience: Audience,
  commitments: LetterCommitment[],
  { earlier, carried, next, previous, changedSince }: Awaited<ReturnType<typeof yearSurroundings>>,
): LetterInput {
  const nextYear: NextYearCommitment[] = next.map((c) => ({
    statement: c.statement,
    dueDate: c.dueDate,
    measure: measureOf(c),
    teamName: c.teamName,
    ownerName: c.ownerName,
    audience: c.audience,
    lintScore: c.lintScore,
  }));
  return {
    organisation: { name: org.name, signatoryName: org.signatoryName ?? "", signatoryTitle: org.signatoryTitle ?? "" },
    fiscalYear,
    audience,
    generatedFor: `FY${fiscalYear}`,
    commitments,
    previousLetter: previous ? { fiscalYear: previous.fiscalYear, url: letterPath(previous.fiscalYear, audience), title: previous.title } : null,
    nextYearCommitments: nextYear,
    earlierYears: earlier,
    openCarriedForward: carried.map((c) => ({
      statement: c.statement,
      attempt: Number(c.attempt),
      firstCommittedYear: Number(c.root_year),
      currentPeriodLabel: c.period_label,
      status: "open" as const,
    })),
    changedSinceEarlierLetters: changedSince.flatMap((c) => (isLedgerStatus(c.was) && isLedgerStatus(c.now) ? [{ ...c, was: c.was, now: c.now }] : [])),
  };
}

/** The falsifiability minimum for public commitments in force during a fiscal year, from its change history. */
export async function minimumInForceForYear(db: DbOrTx, fiscalYear: number): Promise<MinimumSegment[]> {
  const org = await getOrganisation(db);
  if (!org) return [];
  const calendar = { startMonth: org.fiscalYearStartMonth, timeZone: org.timeZone };
  const year = periodFromLabel(`FY${fiscalYear}`, calendar);
  if (!year) return [{ since: null, score: org.minPublicScore }];
  const changes = await minScoreChangesUntil(db, null);
  return minimumsInForce(
    changes.map((c) => ({ on: localDate(c.changedAt, org.timeZone), fromScore: c.fromScore, toScore: c.toScore })),
    year.start,
    year.end,
    org.minPublicScore,
  );
}

// ---------------------------------------------------------------------------------------------
// Drafts

function validYear(fiscalYear: number): boolean {
  return Number.isInteger(fiscalYear) && fiscalYear >= MIN_LETTER_YEAR && fiscalYear <= MAX_LETTER_YEAR;
}

/**
 * Generates the draft for a year and audience from the record, or regenerates an existing
 * draft. Regenerating over edits is refused unless `replaceEdits` says the editor agreed.
 */
async function generateLetterDraftUnlogged(
  db: Database,
  actor: Actor,
  input: { fiscalYear: number; audience: Audience; replaceEdits?: boolean },
  now: Date,
): Promise<Result<LetterRow>> {
  const result = await generateDraft(db, actor, input, now, false);
  return result.ok ? ok(result.value.letter) : result;
}

/**
 * generateLetterDraft, and what would stop the saved draft from being published, checked
 * against the very record it was generated from in the same transaction: the API answers with
 * both, and reading the year again to check it would double the cost of a large year.
 */
async function generateCheckedLetterDraftUnlogged(
  db: Database,
  actor: Actor,
  input: { fiscalYear: number; audience: Audience; replaceEdits?: boolean },
  now: Date,
): Promise<Result<{ letter: LetterRow; problems: PublishProblem[] }>> {
  const result = await generateDraft(db, actor, input, now, true);
  return result.ok ? ok({ letter: result.value.letter, problems: result.value.problems ?? [] }) : result;
}

async function generateDraft(
  db: Database,
  actor: Actor,
  input: { fiscalYear: number; audience: Audience; replaceEdits?: boolean },
  now: Date,
  check: boolean,
): Promise<Result<{ letter: LetterRow; problems: PublishProblem[] | null }>> {
  const denied = authorize(actor, "letters.manage", "Only admins can generate letters.");
  if (denied) return denied;
  if (!validYear(input.fiscalYear)) return fail("VALIDATION", `Choose a fiscal year between ${MIN_LETTER_YEAR} and ${MAX_LETTER_YEAR}.`, "fiscalYear");
  // No letter for a year that has not begun: it would report "0% delivered" of promises not yet due.
  const timing = await yearTimingOn(db, input.fiscalYear, now);
  if (timing?.phase === "not-started") return notStartedFailure(timing, "draft");
  try {
    return await generateInTransaction(db, actor, input, now, check);
  } catch (error) {
    // Two first-time generations of the same year and audience race: the unique index lets
    // one draft exist, and the other request is told so instead of failing with a 500.
    if (uniqueViolation(error) !== null) {
      return fail("LETTER.EXISTS", `A ${input.audience} letter for FY${input.fiscalYear} was created just now. Open it from the letters list.`);
    }
    throw error;
  }
}

async function generateInTransaction(
  db: Database,
  actor: Actor,
  input: { fiscalYear: number; audience: Audience; replaceEdits?: boolean },
  now: Date,
  check: boolean,
): Promise<Result<{ letter: LetterRow; problems: PublishProblem[] | null }>> {
  return db.transaction(async (tx) => {
    const record = check ? await yearRecord(tx, input.fiscalYear, input.audience) : null;
    const composed = record ? composeLetter(record.input) : await composedDraft(tx, input.fiscalYear, input.audience);
    if (!composed) return notSetUp();
    // The saved draft's body is the composed one, so checking it needs the record, not a re-read.
    const checked = async (row: LetterRow) =>
      ok({ letter: row, problems: record ? publicationOf(record, row, row.body, await minimumInForceForYear(tx, input.fiscalYear)).problems : null });
    const existing = await getLetterByYear(tx, input.fiscalYear, input.audience);
    if (!existing) {
      const row = await insertLetter(tx, {
        fiscalYear: input.fiscalYear,
        audience: input.audience,
        title: composed.title,
        body: composed.markdown,
        generatedBody: composed.markdown,
        createdBy: actor.id,
        createdAt: now,
        generatedAt: now,
        updatedAt: now,
        updatedBy: actor.id,
      });
      return checked(row);
    }
    if (existing.status === "published") {
      return fail("LETTER.PUBLISHED", `The ${input.audience} letter for FY${input.fiscalYear} is already published; append an erratum to correct it.`);
    }
    if (existing.body !== existing.generatedBody && !input.replaceEdits) {
      return fail("LETTER.HAS_EDITS", "This draft has edits. Regenerating replaces them with a fresh draft from the record; confirm to go ahead.");
    }
    const row = await updateDraftIfCurrent(
      tx,
      existing.id,
      existing.version,
      { title: composed.title, body: composed.markdown, generatedBody: composed.markdown, generatedAt: now, updatedBy: actor.id },
      now,
    );
    return row ? checked(row) : fail("VERSION.CONFLICT", "Someone else changed this draft just now. Reload it and try again.");
  });
}

export interface DraftEdit {
  title: string;
  body: string;
  version: number;
}

async function saveLetterDraftUnlogged(db: Database, actor: Actor, id: string, edit: DraftEdit, now: Date): Promise<Result<LetterRow>> {
  const denied = authorize(actor, "letters.manage", "Only admins can edit letters.");
  if (denied) return denied;
  const title = edit.title.trim();
  if (title === "") return fail("VALIDATION", "Give the letter a title.", "title");
  if (title.length > 200) return fail("VALIDATION", "Keep the title under 200 characters.", "title");
  if (edit.body.trim() === "") return fail("VALIDATION", "The letter needs a body.", "body");
  if (edit.body.length > MAX_LETTER_BODY) return fail("VALIDATION", `Keep the letter under ${MAX_LETTER_BODY.toLocaleString("en-GB")} characters.`, "body");
  const current = await getLetter(db, id);
  if (!current) return fail("NOT_FOUND", "There is no such letter.");
  if (current.status === "published") return fail("LETTER.PUBLISHED", "This letter is published and can no longer be edited; append an erratum instead.");
  const row = await updateDraftIfCurrent(db, id, edit.version, { title, body: edit.body, updatedBy: actor.id }, now);
  if (!row) {
    return fail("VERSION.CONFLICT", "Someone else saved this draft since you opened it. Copy your changes, reload, and apply them again.", undefined, {
      conflict: { currentVersion: current.version, changedFields: ["body"] },
    });
  }
  return ok(row);
}

async function discardLetterDraftUnlogged(db: Database, actor: Actor, id: string, version: number): Promise<Result<null>> {
  const denied = authorize(actor, "letters.manage", "Only admins can discard letters.");
  if (denied) return denied;
  const current = await getLetter(db, id);
  if (!current) return fail("NOT_FOUND", "There is no such letter.");
  if (current.status === "published") return fail("LETTER.PUBLISHED", "A published letter cannot be removed.");
  return (await deleteDraft(db, id, version)) ? ok(null) : fail("VERSION.CONFLICT", "Someone else changed this draft just now. Reload it and try again.");
}

/**
 * What the letter would be if published now from `body`, and what stops it: the body read as
 * its readers meet it, then the published Markdown (body, Kept's chart, the appendix) read by
 * a CommonMark parser, which must show the appendix as a table of every ledger entry.
 */
function publicationOf(record: YearRecord, letter: Pick<LetterRow, "fiscalYear" | "audience">, body: string, minimum: readonly MinimumSegment[]) {
  return publicationWith(record, letter, body, minimum, ledgerEntries(record.input.commitments, letter.audience), bodyProblemsOf(record, letter, body));
}

/** What stops a letter whatever its appendix: the body's own checks (publishProblems). */
function bodyProblemsOf(record: YearRecord, letter: Pick<LetterRow, "audience">, body: string, reading: LetterBodyReading = readLetterBody(body)): PublishProblem[] {
  return publishProblems({
    body,
    reading,
    audience: letter.audience,
    commitments: record.input.commitments,
    nextYearCommitments: record.input.nextYearCommitments,
    minPublicScore: record.minPublicScore,
  });
}

/** publicationOf with the ledger's entries and the body's problems already found. */
function publicationWith(
  record: YearRecord,
  letter: Pick<LetterRow, "fiscalYear" | "audience">,
  body: string,
  minimum: readonly MinimumSegment[],
  entries: LedgerEntry[],
  bodyProblems: readonly PublishProblem[],
  // The entries as the ledger file writes them, serialised once (ADR 0045): the file's middle,
  // hashed for a year too large to list (ADR 0015), and the frozen ledger's rows that publishing
  // stores (ADR 0051). A 25,000-entry year is 8 MB of JSON; it was built twice.
  entriesJson: string = ledgerFileSection(entries, false),
) {
  const problems = [...bodyProblems];
  const ledgerFile = isSummarisedYear(entries.length) ? { fiscalYear: letter.fiscalYear, sha256: ledgerFileSha256(letter, entries.length, entriesJson) } : undefined;
  const appendix = ledgerAppendixMarkdown(entries, `FY${letter.fiscalYear}`, letter.audience, minimum, ledgerFile);
  const bodyWithChart = withChart(body, scorecardChart(record.input));
  const markdown = publishedMarkdown(bodyWithChart, appendix);
  const structural = problems.some((p) => p.code === "BODY_LEFT_OPEN" || p.code === "BODY_RESERVED_HEADING" || p.code === "BODY_FORBIDDEN_MARKUP");
  if (!structural && body.trim() !== "" && !appendixRendersAsTable(markdown, LEDGER_APPENDIX_HEADING, appendixTableRows(entries))) {
    problems.push({
      code: "APPENDIX_NOT_RENDERED",
      message: `After this body, the ledger appendix would not read as a table of all ${entries.length} commitments in a standard (CommonMark) Markdown reader. Check the end of the body for anything left open.`,
    });
  }
  return { problems, entries, ledgerSection: entriesJson, appendix, bodyWithChart, markdown };
}

/** One turn of the event loop: a statement already sent goes on reaching the server meanwhile. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

const LEDGER_SLICE = 500;

/**
 * ledgerFileSection(entries, false), a slice of entries at a time with a turn of the event loop
 * after each. Node writes a large statement to its socket only while the event loop turns; a
 * publication builds this right after sending its lock revisions (ADR 0063).
 */
async function ledgerFileSectionPaced(entries: readonly LedgerEntry[]): Promise<string> {
  const slices: string[] = [];
  for (let from = 0; from < entries.length; from += LEDGER_SLICE) {
    slices.push(ledgerFileSection(entries.slice(from, from + LEDGER_SLICE), false));
    await turn();
  }
  return slices.join(LEDGER_SECTION_SEPARATOR);
}

const ENTRIES_SLICE = 2_500;

/**
 * ledgerEntries, made a slice of commitments at a time with a turn of the event loop after each,
 * then put in order. A publication makes them right after sending its lock revisions, whose Bind
 * (4.8 MB for the seed's FY2025 letter) goes on crossing the wire only while the event loop
 * turns: made in one go, the 150 ms they take held PostgreSQL waiting for the rest of it (ADR 0065).
 */
async function ledgerEntriesPaced(commitments: readonly LetterCommitment[], audience: Audience): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  for (let from = 0; from < commitments.length; from += ENTRIES_SLICE) {
    for (const entry of unorderedLedgerEntries(commitments.slice(from, from + ENTRIES_SLICE), audience)) entries.push(entry);
    await turn();
  }
  return inLedgerOrder(entries);
}

/** sha256Hex(ledgerFileJson(meta, entries)), from the entries' section already made rather than a copy of it in a whole file. */
function ledgerFileSha256(meta: Pick<LetterRow, "fiscalYear" | "audience">, count: number, entriesJson: string): string {
  const hash = sha256Pieces();
  hash.update(ledgerFileOpening({ fiscalYear: meta.fiscalYear, audience: meta.audience, count }));
  hash.update(entriesJson);
  hash.update(LEDGER_FILE_CLOSING);
  return hash.hex();
}

/** What would stop this draft from being published right now (empty when it can be). */
export async function checkLetterDraft(db: DbOrTx, letter: Omit<LetterRow, "ledger">, bodyOverride?: string) {
  return (await previewLetterDraft(db, letter, bodyOverride)).problems;
}

/** The draft's body as it would be published (Kept's chart in place) and what stops it now. */
export async function previewLetterDraft(db: DbOrTx, letter: Omit<LetterRow, "ledger">, bodyOverride?: string) {
  const body = bodyOverride ?? letter.body;
  const record = await yearRecord(db, letter.fiscalYear, letter.audience);
  if (!record) return { problems: [], html: renderMarkdown(body) };
  const publication = publicationOf(record, letter, body, await minimumInForceForYear(db, letter.fiscalYear));
  // Its quotes of commitments link to their pages, as they will once it is published.
  const links = mentionLinks(publication.entries, (id) => letterCommitmentPath(id, letter.audience));
  return { problems: publication.problems, html: linkBodyMentions(renderMarkdown(publication.bodyWithChart), LEDGER_APPENDIX_HEADING, links) };
}

// ---------------------------------------------------------------------------------------------
// Publishing

/**
 * Resolves once the statements already issued have been handed to the connection. A query is
 * encoded after a few promise steps, and postgres.js sends a short one from a setImmediate
 * callback; node's own work started before then (rendering, hashing) would hold it back, and
 * PostgreSQL would wait for node instead of running beside it. Two turns of the event loop let
 * both happen first. It changes when statements reach the server, never their order.
 */
function connectionWrites(): Promise<void> {
  return turn().then(turn);
}

/**
 * Publishes a draft in one transaction: checks it against the record as it stands, freezes
 * the body with the ledger appendix, stores the sanitised HTML and the SHA-256 of the
 * published Markdown, and locks every commitment the letter covers.
 */
/**
 * Thrown inside publication's transaction once it has written: the transaction rolls back, and
 * publishLetterUnlogged answers `result` (ADR 0063).
 */
class PublicationAbandoned extends Error {
  constructor(readonly result: Result<never>) {
    super("publication abandoned");
  }
}

/**
 * For tests only: problems to add to those found after the lock revisions are sent. No body that
 * passes the body's own checks is known to fail the appendix's, which is why that check can come
 * last; a test of what happens if one did sets this (tests/integration/letter-publish-rollback).
 */
export const publicationFaultForTests: { afterWritesSent: (() => PublishProblem[]) | null } = { afterWritesSent: null };

function notPublishable(problems: readonly PublishProblem[]): Result<never> {
  return fail("LETTER.NOT_PUBLISHABLE", `The letter cannot be published yet: ${problems.length === 1 ? "one thing needs" : `${problems.length} things need`} fixing.`, "body", {
    problems: problems.map((p) => ({ code: p.code, message: p.message, ...("commitmentId" in p ? { commitmentId: p.commitmentId } : {}) })),
  });
}

async function publishLetterUnlogged(
  db: Database,
  actor: Actor,
  id: string,
  version: number,
  now: Date,
  /** What the admin typed to confirm; required (as `publish FY<year>`) until the year has ended. */
  confirmation?: string | null,
): Promise<Result<LetterRow>> {
  const denied = authorize(actor, "letters.manage", "Only admins can publish letters.");
  if (denied) return denied;
  try {
    return await db.transaction((tx) => publishIn(tx, actor, id, version, now, confirmation));
  } catch (error) {
    if (error instanceof PublicationAbandoned) return error.result;
    throw error;
  }
}

async function publishIn(tx: Transaction, actor: Actor, id: string, version: number, now: Date, confirmation: string | null | undefined): Promise<Result<LetterRow>> {
  // Locked until commit: no one else edits or publishes this draft meanwhile, so the freeze
  // below finds it as read here.
  const letter = await getLetterForUpdate(tx, id);
  if (!letter) return fail("NOT_FOUND", "There is no such letter.");
  if (letter.status === "published") return fail("LETTER.PUBLISHED", "This letter is already published.");
  if (letter.version !== version) {
    return fail("VERSION.CONFLICT", "The draft changed since you last read it. Review the latest version before publishing.", undefined, {
      conflict: { currentVersion: letter.version, changedFields: ["body"] },
    });
  }
  const timing = await yearTimingOn(tx, letter.fiscalYear, now);
  if (timing?.phase === "not-started") return notStartedFailure(timing, "publish");
  // The chain's lock, held until commit, before the year is read: nothing is appended to the
  // record between what the letter is written from and the checkpoint it states, and which
  // commitments are still unlocked cannot change before their locks are written (ADR 0063).
  await lockChain(tx);
  // What the publication will write with is described now, so that each statement is sent whole
  // as soon as it is issued and PostgreSQL starts on it as soon as it is done with the one before
  // (ADR 0065). A few round trips while the server has nothing else to do.
  await describeAhead(tx, publicationStatements(tx));
  // The falsifiability minimum's reads go with the year's, not after them (ADR 0060). As soon as
  // the year's rows are in, which of the commitments read are still unlocked and the chain's
  // head are read, while node composes the letter's input and checks the body.
  const locking: { reads: Promise<LetterLockReads> | null } = { reads: null };
  const yearRead = Promise.all([
    yearRecord(tx, letter.fiscalYear, letter.audience, (ids) => {
      locking.reads = beginLetterLocks(tx, ids);
      locking.reads?.catch(() => undefined);
    }),
    minimumInForceForYear(tx, letter.fiscalYear),
  ]);
  yearRead.catch(() => undefined);
  // The body is read the way its readers will read it (both Markdown parsers, ~140 ms for the
  // seed's FY2025 letter) while PostgreSQL reads the year: it needs nothing but the body.
  await connectionWrites();
  const reading = readLetterBody(letter.body);
  const [record, minimum] = await yearRead;
  if (!record) return notSetUp();
  // The commitments the letter covers (those its ledger lists: ledgerEntries keeps the same ones)
  // and next year's it names are what it locks, in the record's order (by id, as read): their
  // lock revisions are hashed and sent before node puts the ledger in the letter's order, which
  // it then does while PostgreSQL writes them (ADR 0065).
  const covered = record.input.commitments.filter((c) => inScope(c, letter.audience));
  const lockOrder = [...covered.map((c) => c.id), ...record.nextYearIds];
  const bodyProblems = bodyProblemsOf(record, letter, letter.body, reading);
  // Asked after the checks, so the text is fixed first and the phrase typed once.
  const unconfirmed = timing ? confirmationFailure(timing, covered.filter((c) => !c.outcome).length, confirmation) : null;
  if (bodyProblems.length > 0 || unconfirmed) {
    // Nothing is written: the answer is the whole check's, the appendix's included, as before.
    await locking.reads;
    const { problems } = publicationWith(record, letter, letter.body, minimum, ledgerEntries(record.input.commitments, letter.audience), bodyProblems);
    if (problems.length > 0) return notPublishable(problems);
    return unconfirmed!;
  }
  const reads = locking.reads ? inLockOrder(await locking.reads, lockOrder) : null;
  // The record the letter was written from, stated inside it so its SHA-256 covers it: the head
  // the lock revisions extend, read under the chain's lock.
  const checkpoint = checkpointSection(reads ? letterCheckpoint(reads.head, now) : await checkpointForLetter(tx, now), PUBLIC_LOG_PATH);
  const path = letterPath(letter.fiscalYear, letter.audience);
  // The lock revisions and locks are written while node builds the appendix and renders the
  // letter (ADR 0063): they need only which commitments the letter covers. What is found wrong
  // after this point (the appendix, a draft changed meanwhile) rolls them back.
  const locksWritten = writeLetterLocks(tx, prepareLetterLocks(reads, path, actor.id, now));
  locksWritten.catch(() => undefined);
  await connectionWrites();
  const abandon = async (result: Result<never>): Promise<never> => {
    await locksWritten;
    throw new PublicationAbandoned(result);
  };
  const entries = await ledgerEntriesPaced(record.input.commitments, letter.audience);
  const entriesJson = await ledgerFileSectionPaced(entries);
  const { problems, ledgerSection, appendix, bodyWithChart, markdown: publicationMarkdown } = publicationWith(record, letter, letter.body, minimum, entries, bodyProblems, entriesJson);
  problems.push(...(publicationFaultForTests.afterWritesSent?.() ?? []));
  if (problems.length > 0) return abandon(notPublishable(problems));
  const markdown = withCheckpoint(publicationMarkdown, checkpoint);
  // Body and appendix are rendered apart, so no markup in the body (an unclosed <style> or
  // comment, say) can swallow the appendix: each fragment is sanitised and balanced alone.
  const html: string[] = [];
  for (const fragment of [bodyWithChart, appendix, checkpoint]) {
    await turn();
    html.push(renderMarkdown(fragment));
  }
  const frozen = freezeLetter(
    tx,
    letter.id,
    version,
    {
      publishedMarkdown: markdown,
      publishedHtml: html.join("\n"),
      sha256: sha256Hex(markdown),
      previousLetterId: record.previousLetterId,
      publishedBy: actor.id,
      publishedAt: now,
    },
    entries,
  );
  // The ledger's rows follow the freeze without waiting for it: the draft is locked, so the
  // freeze finds it (were it not to, the rows' guard refuses them, and the answer is the conflict).
  const ledgerWritten = insertLedgerSection(tx, letter.id, ledgerSection);
  frozen.catch(() => undefined);
  ledgerWritten.catch(() => undefined);
  // Awaited in the order sent: the first statement to fail is the error the publication fails with.
  await locksWritten;
  const published = await frozen;
  if (!published) {
    await ledgerWritten.catch(() => undefined);
    return abandon(fail("VERSION.CONFLICT", "Someone else changed or published this letter just now. Reload it."));
  }
  await ledgerWritten;

  // Webhooks get it from the queue, subscribers by mail; both commit with the publication, and
  // roll back with it (ADR 0013, ADR 0014).
  await emitEvent(tx, { type: "letter.published", actorId: actor.id, letter: published }, now);
  await announceLetter(tx, published);
  return ok(published);
}

async function appendErratumUnlogged(db: Database, actor: Actor, letterId: string, body: string, now: Date) {
  const denied = authorize(actor, "letters.manage", "Only admins can correct letters.");
  if (denied) return denied;
  const text = body.trim();
  if (text === "") return fail("VALIDATION", "Write what the correction is.", "body");
  if (text.length > MAX_ERRATUM_BODY) return fail("VALIDATION", `Keep an erratum under ${MAX_ERRATUM_BODY.toLocaleString("en-GB")} characters.`, "body");
  const letter = await getLetter(db, letterId);
  if (!letter) return fail("NOT_FOUND", "There is no such letter.");
  if (letter.status !== "published") return fail("LETTER.NOT_PUBLISHED", "A draft is corrected by editing it; errata are for published letters.");
  // The erratum and the news of it commit together.
  const row = await db.transaction(async (tx) => {
    const erratum = await insertErratum(tx, { letterId, body: text, bodyHtml: renderMarkdown(text), createdAt: now, createdBy: actor.id });
    await emitEvent(tx, { type: "erratum.appended", actorId: actor.id, letter, erratum }, now);
    // Subscribers get the correction by mail; the job commits with the erratum (ADR 0013).
    await announceErratum(tx, erratum, letter);
    return erratum;
  });
  return ok(row);
}

// ---------------------------------------------------------------------------------------------
// Reading letters: who may see what

/** Internal letters and drafts are for signed-in people; public ones for anyone while the site is on. */
export async function canReadPublicSite(db: DbOrTx, viewer: Actor | null): Promise<boolean> {
  if (viewer) return true;
  const org = await getOrganisation(db);
  return org?.publicSiteEnabled ?? false;
}

export async function lettersFor(db: DbOrTx, viewer: Actor | null) {
  if (!viewer) {
    return (await canReadPublicSite(db, null)) ? listLetters(db, { publishedOnly: true, audiences: ["public"] }) : [];
  }
  return listLetters(db, { publishedOnly: false, audiences: ["public", "internal"] });
}

/** A published letter with its errata and neighbours, or null when the viewer may not see it. */
export async function publishedLetterFor(db: DbOrTx, viewer: Actor | null, fiscalYear: number, audience: Audience) {
  if (!validYear(fiscalYear)) return null;
  if (audience === "internal" && !viewer) return null;
  if (!(await canReadPublicSite(db, viewer))) return null;
  const letter = await getLetterByYear(db, fiscalYear, audience);
  if (!letter || letter.status !== "published") return null;
  const [errata, previous, next] = await Promise.all([
    listErrata(db, letter.id),
    neighbourPublishedLetter(db, fiscalYear, audience, "previous"),
    neighbourPublishedLetter(db, fiscalYear, audience, "next"),
  ]);
  return {
    letter,
    ledger: (letter.ledger ?? []) as LedgerEntry[],
    errata,
    previous: previous ? { ...previous, path: letterPath(previous.fiscalYear, audience) } : null,
    next: next ? { ...next, path: letterPath(next.fiscalYear, audience) } : null,
    path: letterPath(fiscalYear, audience),
  };
}

/**
 * What a published letter's page needs (its HTML, errata and neighbours), without the Markdown,
 * ledger or draft body; null when the viewer may not see it.
 */
export async function publishedLetterPageFor(db: DbOrTx, viewer: Actor | null, fiscalYear: number, audience: Audience) {
  if (!validYear(fiscalYear)) return null;
  if (audience === "internal" && !viewer) return null;
  if (!(await canReadPublicSite(db, viewer))) return null;
  const letter = await getPublishedLetterPage(db, fiscalYear, audience);
  if (!letter) return null;
  const [errata, previous, next, ledgerIds, named] = await Promise.all([
    listErrata(db, letter.id),
    neighbourPublishedLetter(db, fiscalYear, audience, "previous"),
    neighbourPublishedLetter(db, fiscalYear, audience, "next"),
    // A letter lists every commitment in its appendix only up to this size (larger ones are
    // summarised, with the full ledger as a file), so only then are there rows to link.
    frozenLedgerIds(db, letter.id, LETTER_IN_FULL_LIMIT),
    // The commitments its body quotes, by the words quoted, looked up in the frozen ledger.
    letter.publishedHtml ? frozenLedgerEntriesNamed(db, letter.id, quotedInBody(letter.publishedHtml, LEDGER_APPENDIX_HEADING)) : Promise.resolve([]),
  ]);
  return {
    letter,
    errata,
    ledgerIds: ledgerIds ?? [],
    /** The frozen ledger's commitments whose statements the body quotes. */
    named,
    previous: previous ? { ...previous, path: letterPath(previous.fiscalYear, audience) } : null,
    next: next ? { ...next, path: letterPath(next.fiscalYear, audience) } : null,
    path: letterPath(fiscalYear, audience),
  };
}

/** Any letter (draft or published) by id, for signed-in readers; null when absent. */
export async function letterById(db: DbOrTx, viewer: Actor | null, id: string) {
  if (!viewer) return null;
  return getLetter(db, id);
}

/**
 * A validator for a published page: what can change on it is the errata and the link to the
 * next year's letter, so the ETag covers the content hash, the errata and that link.
 */
export function publishedEtag(letter: Pick<LetterRow, "sha256">, errata: ReadonlyArray<{ id: string }>, nextLetterId: string | null = null): string {
  const tail = sha256Hex(`${errata.map((e) => e.id).join(",")}|${nextLetterId ?? ""}`).slice(0, 16);
  return `"${letter.sha256}.${errata.length}.${tail}"`;
}

export async function feedFor(db: DbOrTx) {
  if (!(await canReadPublicSite(db, null))) return null;
  const org = await getOrganisation(db);
  const { published, errata } = await recentPublications(db, "public");
  return { organisationName: org?.name ?? "Kept", published, errata };
}

export async function publicLedger(db: DbOrTx, viewer: Actor | null, fiscalYear: number | null, after: { dueDate: string; id: string } | null) {
  if (!(await canReadPublicSite(db, viewer))) return null;
  const org = await getOrganisation(db);
  const years = await publicYearTallies(db);
  const year = fiscalYear ?? years[0]?.fiscalYear ?? null;
  if (year === null || !validYear(year)) return { organisationName: org?.name ?? "", years, year: null, items: [], next: null };
  // The keyset compares with a date and a uuid column: a tampered cursor would be a database
  // error (a 500 on a public page), so it starts from the beginning instead, as decodeCursor promises.
  const start = after && isValidIsoDate(after.dueDate) && UUID_PATTERN.test(after.id) ? after : null;
  const { items, last } = pageOf(await publicLedgerPage(db, year, start), PUBLIC_LEDGER_PAGE);
  // The published letter froze each outcome in its ledger; an outcome changed since is marked,
  // with its reason, so the ledger never silently contradicts the letter. Only this page's frozen
  // entries are read (none while the letter is unpublished), not a large year's whole ledger.
  const frozenEntries = await frozenLedgerStatuses(db, year, "public", items.map((r) => r.id));
  const frozen = {
    fiscalYear: year,
    ledger: frozenEntries.flatMap((e) => (isLedgerStatus(e.status) ? [{ id: e.id, status: e.status }] : [])),
  };
  const changedIds = items.filter((r) => changedAfterLetter(frozen, r, null) !== null).map((r) => r.id);
  const reasons = await latestOutcomeChangeReasons(db, changedIds);
  return {
    organisationName: org?.name ?? "",
    years,
    year,
    items: items.map((r) => ({
      id: r.id,
      statement: r.statement,
      teamName: r.teamName,
      periodLabel: r.periodLabel,
      dueDate: r.dueDate,
      status: r.status,
      attempt: r.attempt,
      measure: describeMeasure(measureOf(r)),
      resolvedAt: r.resolvedAt,
      daysLate: r.resolvedAt ? lateness(r.dueDate, r.resolvedAt).daysLate : 0,
      actualValue: r.actualValue,
      // Only http(s) evidence and Kept references are linked for readers; anything else (javascript:) is dropped.
      evidenceUrl: r.evidenceUrl && (/^https?:\/\//i.test(r.evidenceUrl) || KEPT_REFERENCE.test(r.evidenceUrl)) ? r.evidenceUrl : null,
      movedTo: movedOutOfYear(r.periodLabel, year),
      changedAfterLetter: changedAfterLetter(frozen, r, reasons.get(r.id) ?? null),
    })),
    next: last ? { dueDate: last.dueDate, id: last.id } : null,
  };
}

/** The letter of a year and audience, draft or published, for signed-in people. */
export async function findLetter(db: DbOrTx, viewer: Actor | null, fiscalYear: number, audience: Audience) {
  if (!viewer || !validYear(fiscalYear)) return null;
  return getLetterByYear(db, fiscalYear, audience);
}

/**
 * Years a letter can be generated for: every year with commitments, and the current one — never
 * a year that has not started (generateLetterDraft refuses those too).
 */
export async function letterYearChoices(db: Database, now: Date): Promise<{ years: number[]; currentYear: number }> {
  const { today, calendar } = await organisationCalendar(db, now);
  const currentYear = fiscalYearOf(today, calendar);
  const years = new Set(await commitmentYears(db));
  years.add(currentYear);
  years.add(currentYear - 1);
  return { years: [...years].filter((y) => validYear(y) && y <= currentYear).sort((a, b) => b - a), currentYear };
}

/** generateLetterDraft, and its line in the change log: the same line whether the UI or the API asked. */
export async function generateLetterDraft(db: Database, actor: Actor, input: { fiscalYear: number; audience: Audience; replaceEdits?: boolean }, now: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await generateLetterDraftUnlogged(db, actor, input, now);
  if (result.ok) {
    // Every change to a draft bumps its version, so only a newly inserted draft is at 1.
    const letter = result.value;
    const fields = { letterId: letter.id, fiscalYear: letter.fiscalYear, audience: letter.audience, by: actor.id };
    log.info(fields, letter.version === 1 ? "letter draft generated" : "letter draft regenerated");
  }
  return result;
}

/** generateCheckedLetterDraft, and its line in the change log: the same line whether the UI or the API asked. */
export async function generateCheckedLetterDraft(db: Database, actor: Actor, input: { fiscalYear: number; audience: Audience; replaceEdits?: boolean }, now: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await generateCheckedLetterDraftUnlogged(db, actor, input, now);
  if (result.ok) {
    // Every change to a draft bumps its version, so only a newly inserted draft is at 1.
    const letter = result.value.letter;
    const fields = { letterId: letter.id, fiscalYear: letter.fiscalYear, audience: letter.audience, by: actor.id };
    log.info(fields, letter.version === 1 ? "letter draft generated" : "letter draft regenerated");
  }
  return result;
}

/** saveLetterDraft, and its line in the change log: the same line whether the UI or the API asked. */
export async function saveLetterDraft(db: Database, actor: Actor, id: string, edit: DraftEdit, now: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await saveLetterDraftUnlogged(db, actor, id, edit, now);
  if (result.ok) log.info({ letterId: id, version: result.value.version, by: actor.id }, "letter draft saved");
  return result;
}

/** discardLetterDraft, and its line in the change log: the same line whether the UI or the API asked. */
export async function discardLetterDraft(db: Database, actor: Actor, id: string, version: number, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await discardLetterDraftUnlogged(db, actor, id, version);
  if (result.ok) log.info({ letterId: id, by: actor.id }, "letter draft discarded");
  return result;
}

/** publishLetter, and its line in the change log: the same line whether the UI or the API asked. */
export async function publishLetter(db: Database, actor: Actor, id: string, version: number, now: Date, confirmation?: string | null, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await publishLetterUnlogged(db, actor, id, version, now, confirmation);
  if (result.ok) log.info({ letterId: id, sha256: result.value.sha256, by: actor.id }, "letter published");
  return result;
}

/** appendErratum, and its line in the change log: the same line whether the UI or the API asked. */
export async function appendErratum(db: Database, actor: Actor, letterId: string, body: string, now: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await appendErratumUnlogged(db, actor, letterId, body, now);
  if (result.ok) log.info({ letterId, erratumId: result.value.id, by: actor.id }, "erratum appended");
  return result;
}
