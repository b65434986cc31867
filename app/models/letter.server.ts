import { and, asc, desc, eq, inArray, isNull, lt, or, sql, gt, type SQL } from "drizzle-orm";
import { statementText, type DbOrTx, type StatementText, type Transaction } from "../../db/client";
import {
  commitments,
  letterErrata,
  letters,
  outcomes,
  teams,
  users,
  type LetterErratumRow,
  type LetterRow,
} from "../../db/schema";
import type { Audience, Forecast, Outcome, OutcomeStatus } from "~/domain/types";
import type { CommitmentFields, FieldChange } from "~/domain/commitment";
import { parsePeriodLabel } from "~/domain/period";
import { LETTER_CREATION_FIELDS, LETTER_REVISION_KINDS } from "~/domain/letter";
import { LEDGER_SECTION_SEPARATOR } from "~/domain/letter-publish";
import { formatPeriodLabel, labelsWithin } from "~/domain/period";
import { inRecordYear, recordFiscalYear } from "./record-period.server";
import { measureColumns } from "./columns.server";
import { rowsOf } from "./rows.server";
import { bulkAppendStatements, chainHead, insertPreparedRevisions, lockChain, lockChainForBulkAppend, prepareRevisions, type ChainHead, type NewRevision, type PreparedRevisions } from "./record-log.server";

export type { LetterRow, LetterErratumRow };


// ---- letters --------------------------------------------------------------------------------

/** A letter row with its frozen ledger read from its rows once published (null for a draft). */
async function withLedger(db: DbOrTx, row: typeof letters.$inferSelect | undefined): Promise<LetterRow | null> {
  if (!row) return null;
  const { ledgerSize: _size, ...rest } = row;
  return { ...rest, ledger: row.status === "published" ? await frozenLedgerEntries(db, row.id) : null };
}

export async function getLetter(db: DbOrTx, id: string): Promise<LetterRow | null> {
  const [row] = await db.select().from(letters).where(eq(letters.id, id)).limit(1);
  return withLedger(db, row);
}

/**
 * getLetter, with the row locked until the transaction ends: a publication reads its draft so,
 * and nothing else can change or publish it before the freeze (ADR 0063).
 */
export async function getLetterForUpdate(db: Transaction, id: string): Promise<LetterRow | null> {
  const [row] = await db.select().from(letters).where(eq(letters.id, id)).limit(1).for("update");
  return withLedger(db, row);
}

export async function getLetterByYear(db: DbOrTx, fiscalYear: number, audience: Audience): Promise<LetterRow | null> {
  const [row] = await db
    .select()
    .from(letters)
    .where(and(eq(letters.fiscalYear, fiscalYear), eq(letters.audience, audience)))
    .limit(1);
  return withLedger(db, row);
}

/**
 * What a published letter's page shows: its HTML and hash, never its Markdown, ledger or draft
 * body, which for a large year are tens of megabytes the page does not need.
 */
export async function getPublishedLetterPage(db: DbOrTx, fiscalYear: number, audience: Audience) {
  const [row] = await db
    .select({
      id: letters.id,
      fiscalYear: letters.fiscalYear,
      audience: letters.audience,
      title: letters.title,
      publishedHtml: letters.publishedHtml,
      sha256: letters.sha256,
      publishedAt: letters.publishedAt,
    })
    .from(letters)
    .where(and(eq(letters.fiscalYear, fiscalYear), eq(letters.audience, audience), eq(letters.status, "published")))
    .limit(1);
  return row ?? null;
}

/** The published Markdown alone, for letter.md. */
export async function getPublishedMarkdown(db: DbOrTx, letterId: string): Promise<string | null> {
  const [row] = await db.select({ markdown: letters.publishedMarkdown }).from(letters).where(and(eq(letters.id, letterId), eq(letters.status, "published"))).limit(1);
  return row?.markdown ?? null;
}

const summaryColumns = {
  id: letters.id,
  fiscalYear: letters.fiscalYear,
  audience: letters.audience,
  title: letters.title,
  status: letters.status,
  version: letters.version,
  updatedAt: letters.updatedAt,
  publishedAt: letters.publishedAt,
  sha256: letters.sha256,
};
export type LetterSummary = { [K in keyof typeof summaryColumns]: LetterRow[K] };

/** Letters newest year first; `publishedOnly` and `audiences` scope what the caller may see. */
export async function listLetters(
  db: DbOrTx,
  scope: { publishedOnly: boolean; audiences: Audience[] },
  limit = 200,
): Promise<LetterSummary[]> {
  if (scope.audiences.length === 0) return [];
  const where = and(
    inArray(letters.audience, scope.audiences),
    scope.publishedOnly ? eq(letters.status, "published") : undefined,
  );
  return db.select(summaryColumns).from(letters).where(where).orderBy(desc(letters.fiscalYear), asc(letters.audience)).limit(limit);
}

/**
 * The nearest published letter of the same audience before ("previous") or after ("next")
 * `fiscalYear`: the masthead's links.
 */
export async function neighbourPublishedLetter(db: DbOrTx, fiscalYear: number, audience: Audience, direction: "previous" | "next") {
  const before = direction === "previous";
  const [row] = await db
    .select({ id: letters.id, fiscalYear: letters.fiscalYear, title: letters.title })
    .from(letters)
    .where(
      and(
        eq(letters.audience, audience),
        eq(letters.status, "published"),
        before ? lt(letters.fiscalYear, fiscalYear) : gt(letters.fiscalYear, fiscalYear),
      ),
    )
    .orderBy(before ? desc(letters.fiscalYear) : asc(letters.fiscalYear))
    .limit(1);
  return row ?? null;
}

/** A draft as the app reads it: no ledger yet. */
function asDraft(row: typeof letters.$inferSelect): LetterRow {
  const { ledgerSize: _size, ...rest } = row;
  return { ...rest, ledger: null };
}

export async function insertLetter(db: DbOrTx, values: typeof letters.$inferInsert): Promise<LetterRow> {
  const [row] = await db.insert(letters).values(values).returning();
  return asDraft(row!);
}

/** Updates a draft only if it is still a draft at `expectedVersion`; null otherwise. */
export async function updateDraftIfCurrent(
  db: DbOrTx,
  id: string,
  expectedVersion: number,
  values: Partial<Pick<LetterRow, "title" | "body" | "generatedBody" | "generatedAt" | "updatedBy">>,
  now: Date,
): Promise<LetterRow | null> {
  const [row] = await db
    .update(letters)
    .set({ ...values, version: sql`${letters.version} + 1`, updatedAt: now })
    .where(and(eq(letters.id, id), eq(letters.version, expectedVersion), eq(letters.status, "draft")))
    .returning();
  return row ? asDraft(row) : null;
}

/**
 * Freezes a draft: the one and only UPDATE a letter row gets once it is published. Its frozen
 * ledger's rows must follow in the same transaction (insertLedgerSection, from the ledger file's
 * entries as the caller already made them: ADR 0045, 0051); the rows' triggers accept them only
 * there, and only all of them (ADR 0047). The row comes back without reading the ledger it was
 * just given (ADR 0035): `ledger` is `entries`, element for element. Null when the draft is not
 * at `expectedVersion` or no longer a draft.
 */
export async function freezeLetter(
  db: DbOrTx,
  id: string,
  expectedVersion: number,
  values: FreezeValues,
  entries: readonly unknown[],
): Promise<LetterRow | null> {
  const [row] = await freezeQuery(db, id, expectedVersion, values, entries.length);
  if (!row) return null;
  const { ledgerSize: _size, ...rest } = row;
  return { ...rest, ledger: entries };
}

type FreezeValues = Pick<LetterRow, "publishedMarkdown" | "publishedHtml" | "sha256" | "previousLetterId" | "publishedBy"> & { publishedAt: Date };

function freezeQuery(db: DbOrTx, id: string, expectedVersion: number, values: FreezeValues, ledgerSize: number) {
  return db
    .update(letters)
    .set({
      ...values,
      ledgerSize,
      status: "published",
      version: sql`${letters.version} + 1`,
      updatedAt: values.publishedAt,
      updatedBy: values.publishedBy,
    })
    .where(and(eq(letters.id, id), eq(letters.version, expectedVersion), eq(letters.status, "draft")))
    .returning();
}

/**
 * A published letter's ledger rows from the ledger file's section of entries (ledgerFileSection):
 * each entry one JSON.stringify text, which never holds a raw line break, joined by ",\n". The
 * server splits the text where it breaks lines, and each entry is checked as JSON as it becomes
 * one (the `json` column); the array's text is never parsed whole. Sent as a `json` array instead
 * (insertLedgerEntries), the 8 MB of a 25,000-commitment year were parsed twice before a row was
 * written: once to bind the parameter, once to split it (ADR 0051). A piece that is not one entry
 * is refused as JSON, and a count that is not the letter's `ledger_size` by its completeness check.
 */
export async function insertLedgerSection(db: DbOrTx, letterId: string, section: string) {
  if (section === "") return;
  await db.execute(ledgerSectionStatement(letterId, section));
}

function ledgerSectionStatement(letterId: string, section: string): SQL {
  return sql`
    insert into letter_ledger_entries (letter_id, position, entry)
    select ${letterId}::uuid, e.position, e.entry::json
    from string_to_table(${section}::text, ${LEDGER_SECTION_SEPARATOR}::text) with ordinality as e(entry, position)`;
}

/** A published letter's ledger rows from the JSON text of its entries' array, in its order (an import's). */
export async function insertLedgerEntries(db: DbOrTx, letterId: string, entriesJson: string) {
  await db.execute(sql`
    insert into letter_ledger_entries (letter_id, position, entry)
    select ${letterId}::uuid, e.position, e.entry
    from json_array_elements(${entriesJson}::json) with ordinality as e(entry, position)`);
}

/** Only drafts can be deleted; the trigger refuses published letters anyway. */
export async function deleteDraft(db: DbOrTx, id: string, expectedVersion: number): Promise<boolean> {
  const rows = await db
    .delete(letters)
    .where(and(eq(letters.id, id), eq(letters.version, expectedVersion), eq(letters.status, "draft")))
    .returning({ id: letters.id });
  return rows.length > 0;
}

// ---- errata ---------------------------------------------------------------------------------

export async function insertErratum(db: DbOrTx, values: typeof letterErrata.$inferInsert): Promise<LetterErratumRow> {
  const [row] = await db.insert(letterErrata).values(values).returning();
  return row!;
}

export async function listErrata(db: DbOrTx, letterId: string, limit = 500) {
  return db
    .select({ id: letterErrata.id, body: letterErrata.body, bodyHtml: letterErrata.bodyHtml, createdAt: letterErrata.createdAt, createdByName: users.name })
    .from(letterErrata)
    .leftJoin(users, eq(users.id, letterErrata.createdBy))
    .where(eq(letterErrata.letterId, letterId))
    .orderBy(asc(letterErrata.createdAt), asc(letterErrata.id))
    .limit(limit);
}

/** The newest published letters and errata of an audience, for the feed. */
export async function recentPublications(db: DbOrTx, audience: Audience, limit = 50) {
  const published = await db
    .select({
      id: letters.id,
      fiscalYear: letters.fiscalYear,
      title: letters.title,
      publishedAt: letters.publishedAt,
      publishedHtml: letters.publishedHtml,
      sha256: letters.sha256,
    })
    .from(letters)
    .where(and(eq(letters.audience, audience), eq(letters.status, "published")))
    .orderBy(desc(letters.publishedAt))
    .limit(limit);
  const errata = await db
    .select({
      id: letterErrata.id,
      letterId: letterErrata.letterId,
      fiscalYear: letters.fiscalYear,
      letterTitle: letters.title,
      bodyHtml: letterErrata.bodyHtml,
      createdAt: letterErrata.createdAt,
    })
    .from(letterErrata)
    .innerJoin(letters, eq(letters.id, letterErrata.letterId))
    .where(and(eq(letters.audience, audience), eq(letters.status, "published")))
    .orderBy(desc(letterErrata.createdAt))
    .limit(limit);
  return { published, errata };
}

// ---- what the generator reads -------------------------------------------------------------

/**
 * The commitment_stats rows (alias `s`) of fiscal year `fiscalYear` by period of record (ADR
 * 0008): `record_label` is the period of record, kept by triggers and tested equal to
 * recordPeriodLabel (ADR 0032), so a year's commitments are one range of its (record_label, …)
 * index instead of a re-scope lookup per commitment (ADR 0035). The labels are the ones the
 * retrospective of a year counts (labelsWithin).
 */
export function recordYearLabels(fiscalYear: number): SQL {
  const labels = labelsWithin({ kind: "year", fiscalYear, index: 1, label: formatPeriodLabel("year", fiscalYear, 1) });
  return sql`s.record_label in (${sql.join(
    labels.map((l) => sql`${l}`),
    sql`, `,
  )})`;
}

/**
 * An instant as `Date.prototype.toISOString` writes it ("2026-01-05T09:30:00.123Z"), from the
 * text of `(x at time zone 'UTC')::text` ("2026-01-05 09:30:00.123456"): a year's reads hand
 * over tens of thousands of instants, and building a Date for each only to print it again was a
 * good part of reading them. Milliseconds are truncated, as a Date parsed from the same text.
 */
export function isoInstantFromUtcText(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?$/.exec(text);
  if (!m) return new Date(`${text}Z`).toISOString();
  return `${m[1]}T${m[2]}.${(m[3] ?? "").slice(0, 3).padEnd(3, "0")}Z`;
}

/** A commitment's measure as stored (CommitmentFields' columns). */
type MeasureFields = Pick<
  CommitmentFields,
  "measureKind" | "metricName" | "metricBaseline" | "metricComparator" | "metricTarget" | "metricUnit" | "deliverableEvent" | "evidenceSource"
>;

/** Its outcome's columns, each null where it has none yet (outcomeStatus is Outcome's status). */
type OutcomeColumns = { outcomeStatus: OutcomeStatus | null } & { [K in Exclude<keyof Outcome, "status">]: Outcome[K] | null };

/** The year's commitments as composition reads them: see commitmentsOfYear. */
export interface YearCommitmentRow extends MeasureFields, OutcomeColumns {
  id: string;
  statement: string;
  teamName: string;
  ownerName: string | null;
  audience: Audience;
  /** YYYY-MM-DD. */
  dueDate: string;
  periodLabel: string;
  /** (committed_at at time zone 'UTC')::text; isoInstantFromUtcText makes it ISO 8601. */
  committedAtUtc: string;
  attempt: number;
  /** Its forecast of record (checkInsAsLetterReads): the check-in's day, or null when it has none. */
  recordDate: string | null;
  recordForecast: Forecast | null;
  recordProbability: number | null;
}

/**
 * Whether commitment `c` may be one a public letter covers (inScope): public now, or with a
 * creation revision that made it public. Every commitment inScope keeps is one of these, since
 * originalAudience reads a creation's audience and falls back to the current one; the few others
 * it lets through (a later creation, say) are left to inScope, which composition and the ledger
 * apply to what is read. An internal commitment made internal is not read for a public letter at
 * all: on the scale seed a third of the year, decoded, mapped and then filtered out (ADR 0049).
 */
const mayBePublic = sql`(c.audience = 'public' or exists (
  select 1 from commitment_revisions x
  where x.commitment_id = c.id and x.kind in ('create', 'carried_from') and x.changes @> '[{"field": "audience", "to": "public"}]'::jsonb))`;

/**
 * The forecast of record of commitment `c` with outcome `o`, as `r` (date, forecast, probability):
 * see commitmentsOfYear.
 */
const checkInOfRecord = sql`left join lateral (
        select ci.date, ci.forecast, ci.probability
        from check_ins ci
        where ci.commitment_id = c.id and ci.date <= c.due_date and ci.date <= o.resolved_at
        order by ci.date desc, ci.created_at desc, ci.id desc
        limit 1
      ) r on true`;

/**
 * The commitment_stats rows (alias `s`) a letter of `fiscalYear` for `audience` reads: the year's
 * (recordYearLabels), and for a public letter those public now or flagged (letter_revisions). A
 * commitment made public and internal since has a creation that is not its present state, so it
 * is flagged: a superset of the commitments inScope keeps, like mayBePublic, found in
 * commitment_stats alone instead of a revision probe for every internal commitment of the year.
 * Read as an array first, then by the commitments' primary key: joined, the planner read every
 * commitment to hash them.
 */
export function letterYear(fiscalYear: number, audience: Audience): SQL {
  return sql`${recordYearLabels(fiscalYear)} ${audience === "public" ? sql`and (s.audience = 'public' or s.letter_revisions)` : sql``}`;
}

/**
 * The year's commitments with their outcomes: what composition reads of each, nothing more, in
 * id order. Sorted here, not by the database: a large year's wide rows made that sort spill to
 * disk, and a UUID's text orders as its bytes do, so the order is the same. Raw SQL with dates as
 * text: drizzle's mapping of 25,000 rows (an array per row, then an object, a Date per instant)
 * was a fifth of decoding them (ADR 0043).
 *
 * With each, the one check-in a letter reads (checkInsAsLetterReads, ADR 0044): its forecast of
 * record, the last check-in on or before both the due date and the day it was resolved (same
 * day: the later one written), as statistics.forecastOfRecord finds it and forecastOfRecordJoin
 * states it. One index descent of check_ins_commitment_idx per resolved commitment, read from
 * the index alone, instead of every check-in of the year sent and grouped in JavaScript.
 *
 * For a public letter, only the commitments it may cover (letterYear).
 */
export async function commitmentsOfYear(db: DbOrTx, fiscalYear: number, audience: Audience): Promise<YearCommitmentRow[]> {
  return wholeCommitmentsOf(db, sql`array(select s.commitment_id from commitment_stats s where ${letterYear(fiscalYear, audience)})`);
}

/** commitmentsOfYear's rows of the commitments in the uuid[] `commitmentIds`. */
async function wholeCommitmentsOf(db: DbOrTx, commitmentIds: SQL): Promise<YearCommitmentRow[]> {
  const rows = rowsOf<YearCommitmentRow>(
    await db.execute(sql`
      select c.id, c.statement, t.name as "teamName", u.name as "ownerName", c.audience,
             c.due_date::text as "dueDate", c.period_label as "periodLabel",
             (c.committed_at at time zone 'UTC')::text as "committedAtUtc",
             c.measure_kind as "measureKind", c.metric_name as "metricName", c.metric_baseline as "metricBaseline",
             c.metric_comparator as "metricComparator", c.metric_target as "metricTarget", c.metric_unit as "metricUnit",
             c.deliverable_event as "deliverableEvent", c.evidence_source as "evidenceSource", c.attempt,
             o.status as "outcomeStatus", o.resolved_at::text as "resolvedAt", o.actual_value as "actualValue",
             o.evidence_url as "evidenceUrl", o.partial_description as "partialDescription",
             o.reason_category as "reasonCategory", o.control, o.explanation, o.lesson,
             r.date::text as "recordDate", r.forecast as "recordForecast", r.probability as "recordProbability"
      from commitments c
      join teams t on t.id = c.team_id
      left join users u on u.id = c.owner_id
      left join outcomes o on o.commitment_id = c.id
      ${checkInOfRecord}
      where c.id = any(${commitmentIds})`),
  );
  return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Period and attempt of the predecessor and successor of every commitment of a year that has
 * either: found from the carry-forward links (commitments_predecessor_key), which are few, and
 * then kept to the year, not by looking up both neighbours of each of the year's commitments.
 */
export async function chainNeighboursOfYear(db: DbOrTx, fiscalYear: number) {
  return rowsOf<{ id: string; pred_period: string | null; pred_attempt: number | null; succ_period: string | null; succ_attempt: number | null }>(
    await db.execute(sql`
      select c.id,
             p.period_label as pred_period, p.attempt as pred_attempt,
             s.period_label as succ_period, s.attempt as succ_attempt
      from commitments c
      left join commitments p on p.id = c.predecessor_id
      left join commitments s on s.predecessor_id = c.id
      where c.id in (select l.id from commitments l where l.predecessor_id is not null
                     union
                     select l.predecessor_id from commitments l where l.predecessor_id is not null)
        and exists (select 1 from commitment_stats s where s.commitment_id = c.id and ${recordYearLabels(fiscalYear)})`),
  );
}

// The fields of a creation's changes a letter reads when the commitment was never re-scoped, as
// an SQL list of literals, and each one's current value on commitment `c` as jsonb (what
// revisionsAsLetterReads compares a creation's `to` with).
const creationFieldList = LETTER_CREATION_FIELDS.map((f) => `'${f}'`).join(", ");
const currentCreationValue: Record<(typeof LETTER_CREATION_FIELDS)[number], string> = {
  statement: "to_jsonb(c.statement)",
  dueDate: "to_jsonb(c.due_date::text)",
  audience: "to_jsonb(c.audience)",
};
const currentCreationValueOf = (element: string) =>
  `case ${element}->>'field' ${LETTER_CREATION_FIELDS.map((f) => `when '${f}' then ${currentCreationValue[f]}`).join(" ")} end`;

/**
 * The year's revisions of the kinds a letter reads (LETTER_REVISION_KINDS), in id order, each
 * instant as text (`atUtc`, see isoInstantFromUtcText), and each as the letter reads it
 * (revisionsAsLetterReads: the creation of a commitment never re-scoped keeps only
 * LETTER_CREATION_FIELDS, picked out by PostgreSQL, so the rest is neither sent nor parsed; a
 * lone creation whose fields all still hold is not sent at all, ADR 0044).
 */
export async function revisionsOfYear(db: DbOrTx, fiscalYear: number, audience: Audience) {
  return letterRevisionsOf(db, sql`array(select s.commitment_id from commitment_stats s where ${recordYearLabels(fiscalYear)} and s.letter_revisions)`, audience);
}

/**
 * revisionsOfYear's rows of the commitments `ids`, for the few a narrow read of the year found
 * revised (narrowCommitmentsOfYear): the same statement, by id, so a draft reads the revisions
 * the whole year's read does.
 */
export async function revisionsOfCommitments(db: DbOrTx, ids: readonly string[], audience: Audience) {
  if (ids.length === 0) return [];
  return letterRevisionsOf(db, sql`${`{${ids.join(",")}}`}::uuid[]`, audience);
}

/** The letter revisions of the commitments in the uuid[] `commitmentIds`, as revisionsOfYear states. */
async function letterRevisionsOf(db: DbOrTx, commitmentIds: SQL, audience: Audience) {
  // The year's commitments first, as an array (fiscal-year index), then their revisions by the
  // commitment index: joined the other way round the planner walked the whole log in id order.
  // The order by id here: sorting the year's revisions (their changes included) in the database
  // spilled to disk twice. The actor's name by a subquery in the select list, so it is looked up
  // only for the rows sent, which are few once lone creations are left out: joined, the planner
  // sorted all the year's creations by actor first and spilled 26 MB to disk (ADR 0050). Only the kinds composition reads: a year's check-in, outcome and lock revisions
  // are most of its log. Written out as literals, exactly as the partial index
  // commitment_revisions_letter_idx (db/schema/commitments.ts) is defined, so the planner can
  // prove the index applies. The id as float8: bigint arrives as text, and ids stay below 2^53.
  //
  // One probe of the letter index per revision counts its commitment's re-scopes and its other
  // creations and re-scopes. A lone creation (no re-scope, no other creation beside it) whose
  // read fields all equal the commitment's current values is left out: the letter reads the
  // current values then, and they are the same. That is most of a year's creations, and only
  // the ones sent are trimmed. Elements are walked with jsonb_array_elements, not a jsonpath
  // filter: on a year of 25,000 creations jsonb_path_query_array cost PostgreSQL about three
  // times the whole statement as now written (ADR 0049). For a public letter, only the revisions
  // of the commitments it may cover (mayBePublic): the others are never looked up.
  //
  // Only the year's commitments flagged in commitment_stats (letter_revisions, kept by its
  // triggers with this same predicate: ADR 0054) are probed at all: the flag is true exactly for
  // the commitments that have a row to send here, and on the scale seed none of the 25,000 of a
  // year has one, so the probes above ran for every creation of the year to send nothing.
  const rows = rowsOf<{ id: number; commitmentId: string; kind: string; atUtc: string; actorName: string | null; reason: string | null; changes: FieldChange[] }>(
    await db.execute(sql`
      select r.id::float8 as id, r.commitment_id as "commitmentId", r.kind,
             (r.at at time zone 'UTC')::text as "atUtc", (select u.name from users u where u.id = r.actor_id) as "actorName", r.reason,
             case when k.trimmed
                  then (select coalesce(jsonb_agg(e.value order by e.n), '[]'::jsonb)
                        from jsonb_array_elements(r.changes) with ordinality as e(value, n)
                        where e.value->>'field' in (${sql.raw(creationFieldList)}))
                  else r.changes end as changes
      from commitment_revisions r
      join commitments c on c.id = r.commitment_id
      cross join lateral (
        select r.kind in ('create', 'carried_from') and x.rescopes = 0 as trimmed,
               r.kind in ('create', 'carried_from') and x.others = 0 as lone
        from (select count(*) filter (where x.kind = 'rescope') as rescopes,
                     count(*) filter (where x.kind in ('create', 'carried_from', 'rescope') and x.id <> r.id) as others
              from commitment_revisions x
              where x.commitment_id = r.commitment_id
                and ${sql.raw(`x.kind in (${LETTER_REVISION_KINDS.map((k) => `'${k}'`).join(", ")})`)}) x
      ) k
      where r.commitment_id = any(${commitmentIds})
        and ${sql.raw(`r.kind in (${LETTER_REVISION_KINDS.map((k) => `'${k}'`).join(", ")})`)}
        ${audience === "public" ? sql`and ${mayBePublic}` : sql``}
        and not (k.lone and not exists (
          select 1 from jsonb_array_elements(r.changes) e
          where e.value->>'field' in (${sql.raw(creationFieldList)})
            and e.value->'to' is distinct from ${sql.raw(currentCreationValueOf("e.value"))}))`),
  );
  return rows.sort((a, b) => a.id - b.id);
}

/** A summarised letter's narrow read of one commitment of the year: see narrowCommitmentsOfYear. */
export interface NarrowYearCommitmentRow {
  id: string;
  statement: string;
  teamName: string;
  audience: Audience;
  /** YYYY-MM-DD. */
  dueDate: string;
  periodLabel: string;
  /** (committed_at at time zone 'UTC')::text; isoInstantFromUtcText makes it ISO 8601. */
  committedAtUtc: string;
  measureKind: CommitmentFields["measureKind"];
  metricBaseline: number | null;
  metricComparator: CommitmentFields["metricComparator"];
  metricTarget: number | null;
  attempt: number;
  outcomeStatus: OutcomeStatus | null;
  resolvedAt: string | null;
  actualValue: number | null;
  reasonCategory: Outcome["reasonCategory"] | null;
  recordDate: string | null;
  recordForecast: Forecast | null;
  recordProbability: number | null;
  /** Whether revisionsOfYear sends any revision of it (then revisionsOfCommitments reads them). */
  revised: boolean;
}

/**
 * The year's commitments as a summarised letter reads all but the few it sets out in full
 * (commitmentsSetOutInFull, ADR 0053), in id order: commitmentsOfYear's rows and the same
 * commitments, without their owner, the texts of their measure and outcome, evidence and control,
 * which only a commitment set out is printed with (commitmentsByIds reads those). With each,
 * whether revisionsOfYear would send any revision of it (`revised`): commitment_stats'
 * letter_revisions, kept by its triggers with revisionsOfYear's own test (ADR 0054). Most of a
 * year has none, so its revisions are read only for the few that do, by id.
 * For a public letter, only the commitments it may cover (letterYear).
 *
 * Each row has five columns: the id, the two texts a user writes (words, team), the period's label,
 * and every other field packed into one text (narrowRowOf). postgres.js decodes a column with a
 * buffer slice and a string each: 20 columns of the scale seed's 16,667 public rows cost node about
 * 200 ms, five and a split about 125 ms, at the same cost to PostgreSQL, which writes each value as
 * text either way. (One JSON array of the year cost node less again but PostgreSQL about 120 ms
 * more, and node could not decode rows while PostgreSQL still produced them: ADR 0055.)
 */
export async function narrowCommitmentsOfYear(db: DbOrTx, fiscalYear: number, audience: Audience): Promise<NarrowYearCommitmentRow[]> {
  const year = letterYear(fiscalYear, audience);
  return narrowCommitmentsOf(db, sql`array(select s.commitment_id from commitment_stats s where ${year})`, sql`c.id in (select s.commitment_id from commitment_stats s where ${year} and s.letter_revisions)`);
}

/**
 * narrowCommitmentsOfYear's rows of the commitments in the uuid[] `commitmentIds`, `revised` the
 * SQL condition on commitment `c` that gives each row's `revised`.
 */
export async function narrowCommitmentsOf(db: DbOrTx, commitmentIds: SQL, revised: SQL): Promise<NarrowYearCommitmentRow[]> {
  const rows = rowsOf<{ id: string; statement: string; teamName: string; periodLabel: string; narrow_fields: string }>(
    await db.execute(sql`
      select c.id, c.statement, t.name as "teamName", c.period_label as "periodLabel",
             concat_ws('|', c.audience, c.due_date::text, (c.committed_at at time zone 'UTC')::text, c.measure_kind,
                       coalesce(c.metric_baseline::text, ''), coalesce(c.metric_comparator, ''), coalesce(c.metric_target::text, ''), c.attempt,
                       coalesce(o.status, ''), coalesce(o.resolved_at::text, ''), coalesce(o.actual_value::text, ''), coalesce(o.reason_category, ''),
                       coalesce(r.date::text, ''), coalesce(r.forecast, ''), coalesce(r.probability::text, ''),
                       ${revised}) as narrow_fields
      from commitments c
      join teams t on t.id = c.team_id
      left join outcomes o on o.commitment_id = c.id
      ${checkInOfRecord}
      where c.id = any(${commitmentIds})`),
  );
  return rows.map(narrowRowOf).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Fields narrowCommitmentsOfYear packs into one text, in its order. */
const NARROW_FIELDS = 16;

/** A text that is empty where the column was null (a packed field that is never empty otherwise). */
function orNull(text: string): string | null {
  return text === "" ? null : text;
}

/** A float8 or int4 as postgres.js parses its text (Number: NaN and the infinities included). */
function numberOrNull(text: string): number | null {
  return text === "" ? null : Number(text);
}

/**
 * One row of narrowCommitmentsOfYear. Its packed fields are enumerations, dates, instants, numbers
 * and a boolean, none of which can hold "|" or be empty when not null; a row that does not split
 * into NARROW_FIELDS is refused rather than read with its fields shifted.
 */
function narrowRowOf(row: { id: string; statement: string; teamName: string; periodLabel: string; narrow_fields: string }): NarrowYearCommitmentRow {
  const f = row.narrow_fields.split("|");
  if (f.length !== NARROW_FIELDS) throw new Error(`Commitment ${row.id}: its letter fields did not read as ${NARROW_FIELDS} values.`);
  return {
    id: row.id,
    statement: row.statement,
    teamName: row.teamName,
    audience: f[0] as Audience,
    dueDate: f[1]!,
    periodLabel: row.periodLabel,
    committedAtUtc: f[2]!,
    measureKind: f[3] as CommitmentFields["measureKind"],
    metricBaseline: numberOrNull(f[4]!),
    metricComparator: orNull(f[5]!) as CommitmentFields["metricComparator"],
    metricTarget: numberOrNull(f[6]!),
    attempt: Number(f[7]),
    outcomeStatus: orNull(f[8]!) as OutcomeStatus | null,
    resolvedAt: orNull(f[9]!),
    actualValue: numberOrNull(f[10]!),
    reasonCategory: orNull(f[11]!) as Outcome["reasonCategory"] | null,
    recordDate: orNull(f[12]!),
    recordForecast: orNull(f[13]!) as Forecast | null,
    recordProbability: numberOrNull(f[14]!),
    revised: f[15] === "t",
  };
}

/**
 * Commitments by id with everything commitmentsOfYear reads of each (the same columns and the
 * same forecast of record), in id order: the few a summarised letter sets out in full.
 */
export async function commitmentsByIds(db: DbOrTx, ids: readonly string[]): Promise<YearCommitmentRow[]> {
  if (ids.length === 0) return [];
  return wholeCommitmentsOf(db, sql`${`{${ids.join(",")}}`}::uuid[]`);
}

/**
 * Tallies of every year before `fiscalYear` (public commitments only, for a public letter), by
 * period of record: counted from commitment_stats' (record_label, status, team_id, audience)
 * index alone, not by a re-scope lookup for every earlier commitment (ADR 0035). A label is
 * "FY" and four digits, then its half or quarter (parsePeriodLabel): the year is read from the
 * few (label, status) groups, not by a regular expression on every row.
 */
export async function earlierYearTallies(db: DbOrTx, fiscalYear: number, audience: Audience) {
  const rows = rowsOf<{ fiscal_year: number; made: number; delivered: number; partial: number; missed: number; withdrawn: number }>(
    await db.execute(sql`
      select y.fiscal_year,
             sum(y.n)::int as made,
             coalesce(sum(y.n) filter (where y.status = 'delivered'), 0)::int as delivered,
             coalesce(sum(y.n) filter (where y.status = 'partial'), 0)::int as partial,
             coalesce(sum(y.n) filter (where y.status = 'missed'), 0)::int as missed,
             coalesce(sum(y.n) filter (where y.status = 'withdrawn'), 0)::int as withdrawn
      from (select substring(g.record_label from 3 for 4)::int as fiscal_year, g.status, g.n
            from (select s.record_label, s.status, count(*) as n
                  from commitment_stats s ${audience === "public" ? sql`where s.audience = 'public'` : sql``}
                  group by 1, 2) g) y
      where y.fiscal_year < ${fiscalYear}
      group by 1
      order by 1`),
  );
  return rows.map((r) => ({
    fiscalYear: Number(r.fiscal_year),
    made: Number(r.made),
    delivered: Number(r.delivered),
    partial: Number(r.partial),
    missed: Number(r.missed),
    withdrawn: Number(r.withdrawn),
  }));
}

/**
 * Chains of carried-forward commitments that began before `fiscalYear` and whose latest
 * attempt has no outcome yet: what is still open from earlier years.
 */
export async function openCarriedChains(db: DbOrTx, fiscalYear: number, audience: Audience) {
  return rowsOf<{ statement: string; attempt: number; root_year: number; period_label: string }>(
    await db.execute(sql`
      with recursive chain(tail_id, id, predecessor_id, fiscal_year) as (
        select t.id, t.id, t.predecessor_id, t.fiscal_year
        from commitments t
        where t.predecessor_id is not null and t.status = 'open'
          ${audience === "public" ? sql`and t.audience = 'public'` : sql``}
          and not exists (select 1 from commitments s where s.predecessor_id = t.id)
        union all
        select chain.tail_id, p.id, p.predecessor_id, p.fiscal_year
        from chain join commitments p on p.id = chain.predecessor_id
      )
      select t.statement, t.attempt, r.root_year, t.period_label
      from (select tail_id, min(fiscal_year) as root_year from chain group by tail_id) r
      join commitments t on t.id = r.tail_id
      where r.root_year < ${fiscalYear}
      order by r.root_year, t.attempt desc, t.statement
      limit 500`),
  );
}

/**
 * The next year's commitments a letter lists, the first 2,000 by due date: through
 * commitments_fy_due_idx (migration 0044). Not async: the query itself is returned, so a test can
 * ask for its plan (toSQL); awaiting it runs it.
 */
export function nextYearCommitments(db: DbOrTx, fiscalYear: number, audience: Audience) {
  return db
    .select({
      id: commitments.id,
      statement: commitments.statement,
      dueDate: commitments.dueDate,
      ...measureColumns,
      teamName: teams.name,
      ownerName: users.name,
      audience: commitments.audience,
      lintScore: commitments.lintScore,
    })
    .from(commitments)
    .innerJoin(teams, eq(teams.id, commitments.teamId))
    .leftJoin(users, eq(users.id, commitments.ownerId))
    .leftJoin(outcomes, eq(outcomes.commitmentId, commitments.id))
    .where(
      and(
        eq(commitments.fiscalYear, fiscalYear + 1),
        audience === "public" ? eq(commitments.audience, "public") : undefined,
        // Withdrawn before the year began: no longer a commitment for next year.
        or(isNull(outcomes.status), sql`${outcomes.status} <> 'withdrawn'`),
      ),
    )
    .orderBy(asc(commitments.dueDate), asc(commitments.id))
    .limit(2000);
}

/**
 * Locks the commitments a published letter included: a "lock" revision for each on the hash
 * chain, so the history says when and why, then its row in commitment_locks (ADR 0033).
 * Commitments locked by an earlier letter are left as they are. A fixed number of statements
 * however many commitments: the ids travel as one JSON parameter, in the order given (a
 * publication's: the record's, ADR 0065).
 * In three steps, which a publication runs apart (ADR 0056): readLetterLocks,
 * prepareLetterLocks, writeLetterLocks.
 */
export async function lockCommitmentsForLetter(db: Transaction, idsToLock: string[], letterPath: string, actorId: string, now: Date): Promise<number> {
  const reads = await readLetterLocks(db, idsToLock);
  return writeLetterLocks(db, prepareLetterLocks(reads, letterPath, actorId, now));
}

/** What locking a letter's commitments reads before it writes (readLetterLocks). */
export interface LetterLockReads {
  /** The commitments not locked yet, in the order asked for, with their current versions. */
  unlocked: Array<{ id: string; version: number }>;
  head: ChainHead | null;
  /** Sets back the plan cache mode lockChainForBulkAppend changed. */
  endBulkAppend: () => Promise<void>;
}

/**
 * Takes the chain's lock (for a bulk append), then reads which of the commitments are still
 * unlocked and the chain's head. Held until commit: a publication of the year's other letter,
 * which locks the same commitments, reads which are still unlocked only after this one has
 * landed. Nothing else may be appended to the chain in this transaction before
 * writeLetterLocks: the head would be stale, and the chain's trigger refuses rows that do not
 * extend the head.
 */
export async function readLetterLocks(db: Transaction, idsToLock: string[]): Promise<LetterLockReads | null> {
  await lockChain(db);
  return beginLetterLocks(db, idsToLock);
}

/**
 * readLetterLocks for a transaction that already holds the chain's lock (lockChain): its
 * statements are sent at once, without waiting for one another, and the caller works in node
 * while they run (ADR 0056, 0063). They may reach the server in any order: the lock is held
 * before any of them, so what they read cannot change before commit. Null when there is nothing
 * to lock.
 */
export function beginLetterLocks(db: Transaction, idsToLock: string[]): Promise<LetterLockReads> | null {
  // A set: a commitment moved to the next year is both one of the letter's entries and one of
  // the next year's, and it gets one lock and one lock revision.
  const ids = [...new Set(idsToLock)];
  if (ids.length === 0) return null;
  const locked = lockChainForBulkAppend(db);
  const unlocked = (async () => rowsOf<{ id: string; version: number }>(await db.execute(unlockedStatement(ids))))();
  const head = chainHead(db);
  return Promise.all([locked, unlocked, head]).then(([endBulkAppend, rows, chain]) => ({ unlocked: rows, head: chain, endBulkAppend }));
}

function unlockedStatement(ids: readonly string[]): SQL {
  return sql`
    select c.id, c.version
    from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) with ordinality as e(id, n)
    join commitments c on c.id = e.id::uuid
    where not exists (select 1 from commitment_locks l where l.commitment_id = c.id)
    order by e.n`;
}

/**
 * The statements a publication writes with (its lock reads and writes, the freeze, the ledger's
 * rows), as they will run, for describeAhead: only the values differ.
 */
export function publicationStatements(db: DbOrTx): StatementText[] {
  const placeholder = new Date(0);
  return [
    ...bulkAppendStatements(db),
    statementText(unlockedStatement([])),
    statementText(locksStatement([], placeholder)),
    freezeQuery(db, "", 0, { publishedMarkdown: "", publishedHtml: "", sha256: "", previousLetterId: null, publishedBy: "", publishedAt: placeholder }, 0).toSQL(),
    statementText(ledgerSectionStatement("", "")),
  ];
}

/**
 * The reads of beginLetterLocks, asked for a superset of the commitments to lock (all those a
 * publication read), kept to `order`'s commitments in its order, each once: as if they had been
 * asked for `order` itself.
 */
export function inLockOrder(reads: LetterLockReads, order: readonly string[]): LetterLockReads {
  const version = new Map(reads.unlocked.map((r) => [r.id, r.version]));
  const unlocked: LetterLockReads["unlocked"] = [];
  for (const id of order) {
    const v = version.get(id);
    if (v === undefined) continue;
    unlocked.push({ id, version: v });
    version.delete(id);
  }
  return { ...reads, unlocked };
}

/** The lock revisions hashed onto the head read, and the locks' ids: all node's work, no statement. */
export interface PreparedLetterLocks {
  revisions: PreparedRevisions;
  ids: string[];
  now: Date;
  endBulkAppend: (() => Promise<void>) | null;
}

/** The lock revisions of readLetterLocks' unlocked commitments, hashed onto its head, in their order. */
export function prepareLetterLocks(reads: LetterLockReads | null, letterPath: string, actorId: string, now: Date): PreparedLetterLocks {
  if (!reads) return { revisions: prepareRevisions(null, []), ids: [], now, endBulkAppend: null };
  // Every one says the same: one `changes` shared by all, which the statement sends once.
  const changes = [{ field: "lockedByLetter", from: null, to: letterPath }];
  const rows: NewRevision[] = reads.unlocked.map((r) => ({
    commitmentId: r.id,
    version: Number(r.version),
    kind: "lock" as const,
    actorId,
    at: now,
    changes,
    reason: "Appeared in a published letter; changes to its statement, measure, target or due date are now re-scopes.",
  }));
  return { revisions: prepareRevisions(reads.head, rows), ids: reads.unlocked.map((r) => r.id), now, endBulkAppend: reads.endBulkAppend };
}

/**
 * Writes the lock revisions, then the locks (the lock table's guard asks for each lock's revision
 * of this transaction), then sets back the plan cache mode. The statements are sent together and
 * run in turn on the transaction's connection; each is awaited in the order sent, so the first to
 * fail is the error this fails with.
 */
export async function writeLetterLocks(db: Transaction, prepared: PreparedLetterLocks): Promise<number> {
  const sent: Array<Promise<unknown>> = [];
  if (prepared.ids.length > 0) {
    sent.push(insertPreparedRevisions(db, prepared.revisions));
    sent.push(insertLocks(db, prepared.ids, prepared.now));
  }
  if (prepared.endBulkAppend) sent.push(prepared.endBulkAppend());
  for (const statement of sent) statement.catch(() => undefined);
  for (const statement of sent) await statement;
  return prepared.ids.length;
}

async function insertLocks(db: Transaction, ids: readonly string[], now: Date): Promise<void> {
  await db.execute(locksStatement(ids, now));
}

function locksStatement(ids: readonly string[], now: Date): SQL {
  return sql`
    insert into commitment_locks (commitment_id, locked_at)
    select e.id::uuid, ${now.toISOString()}::timestamptz
    from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) as e(id)`;
}

// ---- the public ledger ----------------------------------------------------------------------

/** How many years the public ledger tallies, the latest first. */
const PUBLIC_TALLY_YEARS = 100;

/**
 * Every year's public commitments by status, the latest year first. Counted from
 * commitment_stats' partial index of public rows (record_label, status), grouped in the
 * index's order: no internal commitment, no table row and no per-commitment lookup of its
 * period of record is read (ADR 0038), where counting `commitments` ran the period-of-record
 * lookup for every commitment of the table. The stats row's record_label is the period of
 * record, so a moved commitment counts in the year it was locked in, as recordFiscalYear says.
 */
export async function publicYearTallies(db: DbOrTx) {
  const rows = rowsOf<{ record_label: string; status: OutcomeStatus | "open"; n: number }>(
    await db.execute(sql`
      select s.record_label, s.status, count(*)::int as n
      from commitment_stats s
      where s.audience = 'public'
      group by s.record_label, s.status`),
  );
  const years = new Map<number, { fiscalYear: number; made: number } & Record<OutcomeStatus | "open", number>>();
  for (const r of rows) {
    const fiscalYear = parsePeriodLabel(r.record_label)?.fiscalYear ?? null;
    if (fiscalYear === null) continue;
    let year = years.get(fiscalYear);
    if (!year) years.set(fiscalYear, (year = { fiscalYear, made: 0, open: 0, delivered: 0, partial: 0, missed: 0, withdrawn: 0 }));
    year[r.status] += Number(r.n);
    year.made += Number(r.n);
  }
  return [...years.values()].sort((a, b) => b.fiscalYear - a.fiscalYear).slice(0, PUBLIC_TALLY_YEARS);
}

export const PUBLIC_LEDGER_PAGE = 200;

/** One page of a year's public commitments, by due date then id (keyset). */
export async function publicLedgerPage(db: DbOrTx, fiscalYear: number, after: { dueDate: string; id: string } | null, limit = PUBLIC_LEDGER_PAGE) {
  return db
    .select({
      id: commitments.id,
      statement: commitments.statement,
      teamName: teams.name,
      periodLabel: commitments.periodLabel,
      dueDate: commitments.dueDate,
      status: commitments.status,
      attempt: commitments.attempt,
      ...measureColumns,
      resolvedAt: outcomes.resolvedAt,
      actualValue: outcomes.actualValue,
      evidenceUrl: outcomes.evidenceUrl,
    })
    .from(commitments)
    .innerJoin(teams, eq(teams.id, commitments.teamId))
    .leftJoin(outcomes, eq(outcomes.commitmentId, commitments.id))
    .where(
      and(
        eq(commitments.audience, "public"),
        inRecordYear("commitments", fiscalYear),
        after ? sql`(${commitments.dueDate}, ${commitments.id}) > (${after.dueDate}, ${after.id}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(commitments.dueDate), asc(commitments.id))
    .limit(limit + 1);
}

export async function commitmentYears(db: DbOrTx): Promise<number[]> {
  const rows = rowsOf<{ fiscal_year: number }>(await db.execute(sql`select distinct ${recordFiscalYear("c")} as fiscal_year from commitments c order by 1 desc limit 100`));
  return rows.map((r) => Number(r.fiscal_year));
}

/** The reason of each commitment's latest outcome change, for the ones given (one query). */
export async function latestOutcomeChangeReasons(db: DbOrTx, commitmentIds: string[]): Promise<Map<string, string | null>> {
  if (commitmentIds.length === 0) return new Map();
  const rows = rowsOf<{ commitment_id: string; reason: string | null }>(
    await db.execute(sql`
      select distinct on (commitment_id) commitment_id, reason
      from commitment_revisions
      where kind = 'outcome_change' and commitment_id in (${sql.join(commitmentIds.map((id) => sql`${id}::uuid`), sql`, `)})
      order by commitment_id, id desc`),
  );
  return new Map(rows.map((r) => [String(r.commitment_id), r.reason]));
}

/**
 * What each published letter that covered this commitment froze in its ledger appendix, among
 * the letters that can hold a status other than today's: those of the commitment's year of
 * record (the one year whose ledger lists it) published before its outcome was last recorded
 * (`outcomeRecordedAt`; a letter published since froze the status it has now). Only those
 * letters' ledgers are read, and only to the entry: a year's ledger is megabytes at scale, and
 * finding the entry by containment read every published ledger on every commitment page.
 */
export async function frozenStatusesOf(db: DbOrTx, commitmentId: string, outcomeRecordedAt: Date) {
  const rows = rowsOf<{ fiscal_year: number; audience: Audience; status: string | null }>(
    await db.execute(sql`
      select l.fiscal_year, l.audience,
        (select e.status from letter_ledger_entries e where e.letter_id = l.id and e.commitment_id = ${commitmentId}::text order by e.position limit 1) as status
      from letters l
      where l.status = 'published' and l.published_at < ${outcomeRecordedAt.toISOString()}::timestamptz
        and l.fiscal_year = (select ${recordFiscalYear("c")} from commitments c where c.id = ${commitmentId}::uuid)
      order by l.fiscal_year desc, l.audience desc`),
  );
  return rows.flatMap((r) => (r.status === null ? [] : [{ fiscalYear: Number(r.fiscal_year), audience: r.audience, status: r.status }]));
}

/**
 * Outcomes of commitments covered by an earlier published letter of `audience` that now differ
 * from what that letter froze, changed since the letter before `fiscalYear` was published (so each
 * change is disclosed by the next letter, once), with the reason of the latest change.
 */
export async function outcomesChangedSinceEarlierLetters(db: DbOrTx, fiscalYear: number, audience: Audience) {
  const rows = rowsOf<{ fiscal_year: number; statement: string; was: string; now: string; reason: string | null }>(
    await db.execute(sql`
      with previous as (
        select max(published_at) as at from letters
        where status = 'published' and audience = ${audience} and fiscal_year < ${fiscalYear}
      )
      select l.fiscal_year, c.statement, e.status as was, c.status as now, ch.reason
      from letters l
      join letter_ledger_entries e on e.letter_id = l.id
      join commitments c on c.id = e.commitment_id::uuid
      cross join previous
      join lateral (
        select r.reason, r.at from commitment_revisions r
        where r.commitment_id = c.id and r.kind = 'outcome_change'
        order by r.id desc limit 1
      ) ch on true
      where l.status = 'published' and l.audience = ${audience} and l.fiscal_year < ${fiscalYear}
        and c.status <> e.status and ch.at > previous.at
      order by l.fiscal_year, c.statement, c.id
      limit 500`),
  );
  return rows.map((r) => ({ fiscalYear: Number(r.fiscal_year), statement: r.statement, was: r.was, now: r.now, reason: r.reason }));
}

// ---- validators: the small queries that decide a cached page is still current ---------------
// None of these reads a letter's body, Markdown, HTML or ledger (ADR 0015): a 304 or a cache
// hit must cost one short statement, not the tens of megabytes a large year's row holds.

/** What can change on a published letter's page: its errata, its neighbours, the organisation's name and settings. */
export async function publishedLetterValidator(db: DbOrTx, fiscalYear: number, audience: Audience) {
  const [row] = rowsOf<{
    id: string;
    sha256: string | null;
    published_at: Date | string | null;
    errata: number;
    last_erratum_id: string | null;
    last_erratum_at: Date | string | null;
    previous_id: string | null;
    next_id: string | null;
    org_name: string;
    org_updated_at: Date | string;
    public_site_enabled: boolean;
    is_sample: boolean;
  }>(
    await db.execute(sql`
      select l.id, l.sha256, l.published_at,
             e.errata, e.last_erratum_id, e.last_erratum_at,
             (select p.id from letters p where p.audience = l.audience and p.status = 'published' and p.fiscal_year < l.fiscal_year order by p.fiscal_year desc limit 1) as previous_id,
             (select n.id from letters n where n.audience = l.audience and n.status = 'published' and n.fiscal_year > l.fiscal_year order by n.fiscal_year limit 1) as next_id,
             o.name as org_name, o.updated_at as org_updated_at, o.public_site_enabled, o.is_sample
      from letters l
      cross join organisation o
      cross join lateral (
        select count(*)::int as errata,
               (array_agg(x.id order by x.created_at desc, x.id desc))[1] as last_erratum_id,
               max(x.created_at) as last_erratum_at
        from letter_errata x where x.letter_id = l.id
      ) e
      where l.fiscal_year = ${fiscalYear} and l.audience = ${audience} and l.status = 'published'
      limit 1`),
  );
  if (!row) return null;
  return {
    id: String(row.id),
    sha256: row.sha256,
    publishedAt: row.published_at === null ? null : new Date(row.published_at),
    errata: Number(row.errata),
    lastErratumId: row.last_erratum_id === null ? null : String(row.last_erratum_id),
    lastErratumAt: row.last_erratum_at === null ? null : new Date(row.last_erratum_at),
    previousId: row.previous_id === null ? null : String(row.previous_id),
    nextId: row.next_id === null ? null : String(row.next_id),
    organisation: { name: row.org_name, updatedAt: new Date(row.org_updated_at), publicSiteEnabled: Boolean(row.public_site_enabled), isSample: Boolean(row.is_sample) },
  };
}

/** What the feed and the public ledger pages are built from: letters, errata, the record's head, teams, the organisation. */
export async function publicRecordValidator(db: DbOrTx) {
  const [row] = rowsOf<{
    letters: number;
    letters_at: Date | string | null;
    errata: number;
    errata_at: Date | string | null;
    head_seq: number | string | null;
    teams_at: Date | string | null;
    org_name: string;
    org_updated_at: Date | string;
    public_site_enabled: boolean;
    is_sample: boolean;
  }>(
    await db.execute(sql`
      select (select count(*)::int from letters where status = 'published') as letters,
             (select max(updated_at) from letters where status = 'published') as letters_at,
             (select count(*)::int from letter_errata) as errata,
             (select max(created_at) from letter_errata) as errata_at,
             (select max(seq) from commitment_revisions) as head_seq,
             (select max(updated_at) from teams) as teams_at,
             o.name as org_name, o.updated_at as org_updated_at, o.public_site_enabled, o.is_sample
      from organisation o
      limit 1`),
  );
  if (!row) return null;
  const at = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
  return {
    publicSiteEnabled: Boolean(row.public_site_enabled),
    /** Everything that can change what the pages show, as one string to hash. */
    state: [row.letters, at(row.letters_at), row.errata, at(row.errata_at), row.head_seq ?? 0, at(row.teams_at), row.org_name, at(row.org_updated_at), row.is_sample].join("|"),
  };
}

// The frozen ledger's entries come back as jsonb gave them before ADR 0047: their keys in jsonb's
// order (shorter first, then by their UTF-8 bytes), which the API's `ledger` and the export show.
// The stored text keeps the ledger file's order, so the keys are put in order here, once per
// distinct set of keys.
const utf8 = new TextEncoder();
function compareJsonbKeys(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  if (x.length !== y.length) return x.length - y.length;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}
const jsonbKeyOrders = new Map<string, string[]>();
function inJsonbOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inJsonbOrder);
  if (value === null || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  const signature = keys.join("\u0000");
  let order = jsonbKeyOrders.get(signature);
  if (!order) {
    order = [...keys].sort(compareJsonbKeys);
    if (jsonbKeyOrders.size < 1000) jsonbKeyOrders.set(signature, order);
  }
  const out: Record<string, unknown> = {};
  for (const key of order) out[key] = inJsonbOrder(object[key]);
  return out;
}

/** A stored entry's text as the entry, keys in jsonb's order. */
export function frozenLedgerEntryOf(text: string): Record<string, unknown> {
  return inJsonbOrder(JSON.parse(text)) as Record<string, unknown>;
}

/** Every entry of a published letter's frozen ledger, in its order. */
export async function frozenLedgerEntries(db: DbOrTx, letterId: string): Promise<Array<Record<string, unknown>>> {
  const rows = rowsOf<{ entry: string }>(
    await db.execute(sql`select entry::text as entry from letter_ledger_entries where letter_id = ${letterId}::uuid order by position`),
  );
  return rows.map((r) => frozenLedgerEntryOf(r.entry));
}

/**
 * A page of a published letter's frozen ledger, in its stored order (positions from 1): the
 * ledger file is streamed in these pages so a year of any size never sits in memory whole.
 */
export async function frozenLedgerPage(db: DbOrTx, letterId: string, from: number, count: number) {
  const rows = rowsOf<{ entry: string }>(
    await db.execute(sql`
      select e.entry::text as entry
      from letters l join letter_ledger_entries e on e.letter_id = l.id
      where l.id = ${letterId}::uuid and l.status = 'published' and e.position >= ${from} and e.position < ${from + count}
      order by e.position`),
  );
  return rows.map((r) => frozenLedgerEntryOf(r.entry));
}

/**
 * The commitment ids of a published letter's frozen ledger, in its stored order, when it holds
 * at most `limit` entries (else null): what the appendix rows link to. Reads the ids alone.
 */
export async function frozenLedgerIds(db: DbOrTx, letterId: string, limit: number): Promise<string[] | null> {
  const rows = rowsOf<{ id: string | null }>(
    await db.execute(sql`
      select e.commitment_id as id
      from letters l join letter_ledger_entries e on e.letter_id = l.id
      where l.id = ${letterId}::uuid and l.status = 'published'
      order by e.position
      limit ${limit + 1}`),
  );
  if (rows.length > limit || rows.some((r) => !r.id)) return null;
  return rows.map((r) => r.id!);
}

/**
 * The entries of a published letter's frozen ledger whose statement is one of `statements` (the
 * words its body quotes): id and statement only, whatever the ledger's size.
 */
export async function frozenLedgerEntriesNamed(db: DbOrTx, letterId: string, statements: readonly string[]): Promise<Array<{ id: string; statement: string }>> {
  if (statements.length === 0) return [];
  const rows = rowsOf<{ id: string | null; statement: string | null }>(
    await db.execute(sql`
      select e.commitment_id as id, e.entry->>'statement' as statement
      from letters l join letter_ledger_entries e on e.letter_id = l.id
      where l.id = ${letterId}::uuid and l.status = 'published'
        and e.entry->>'statement' in (${sql.join(statements.map((s) => sql`${s}`), sql`, `)})
      order by e.position`),
  );
  return rows.filter((r): r is { id: string; statement: string } => r.id !== null && r.statement !== null);
}

/**
 * The frozen entries (id and status) of the year's published letter for the commitments `ids`:
 * what the public ledger compares a page with, without reading the rest of a ledger that holds a
 * large year's every commitment. None while the year's letter is unpublished.
 */
export async function frozenLedgerStatuses(db: DbOrTx, fiscalYear: number, audience: Audience, ids: readonly string[]): Promise<Array<{ id: string; status: string }>> {
  const rows = rowsOf<{ id: string | null; status: string | null }>(
    await db.execute(sql`
      select e.commitment_id as id, e.status
      from letters l join letter_ledger_entries e on e.letter_id = l.id
      where l.fiscal_year = ${fiscalYear} and l.audience = ${audience} and l.status = 'published'
        and e.commitment_id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))
      order by e.position`),
  );
  return rows.filter((r): r is { id: string; status: string } => r.id !== null && r.status !== null);
}

/** How many entries a published letter's frozen ledger holds, without reading them (0 for a draft). */
export async function frozenLedgerSize(db: DbOrTx, letterId: string): Promise<number> {
  const [row] = rowsOf<{ n: number | null }>(await db.execute(sql`select ledger_size as n from letters where id = ${letterId}::uuid`));
  return Number(row?.n ?? 0);
}

/**
 * Whether a published letter's ledger rows are its places 1 … ledger_size, each once: what its
 * triggers hold for the app and someone holding the database could break (the integrity check).
 */
export async function frozenLedgerRowsComplete(db: DbOrTx, letterId: string): Promise<{ size: number; rows: number; first: number | null; last: number | null }> {
  const [row] = rowsOf<{ size: number | null; rows: number; first: number | null; last: number | null }>(
    await db.execute(sql`
      select l.ledger_size as size, count(e.position)::int as rows, min(e.position) as first, max(e.position) as last
      from letters l left join letter_ledger_entries e on e.letter_id = l.id
      where l.id = ${letterId}::uuid
      group by l.ledger_size`),
  );
  return { size: Number(row?.size ?? 0), rows: Number(row?.rows ?? 0), first: row?.first ?? null, last: row?.last ?? null };
}
