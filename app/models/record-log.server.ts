// The hash chain's queries: appending revisions to it under one lock, reading it back for
// the public log and the integrity check, and the current rows the revisions must explain.
import * as crypto from "node:crypto";
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, lte, sql, type SQL } from "drizzle-orm";
import { statementText, type Database, type DbOrTx, type StatementText, type Transaction } from "../../db/client";
import { checkIns, commitmentRevisions, commitmentStats, commitments, letters, organisation, outcomes } from "../../db/schema";
import type { FieldChange } from "~/domain/commitment";
import { lockedByLetterAt, measureColumns } from "./columns.server";
import { contentTextOfRun, nextEntry, nextEntryOfText, type LogContent, type LogEntry } from "~/domain/record-log";
import { rowsOf } from "./rows.server";

/** Shared by every Kept process (and the chain trigger): appends to the chain queue on it. */
export const RECORD_CHAIN_LOCK_ID = 7_200_418;

// One call per digest where Node has it (20.12 and later): a publication hashes two short texts
// for each of its 25,000 log entries, and building a Hash object for each was most of that cost
// (ADR 0042). Node 20.11, which `engines` still admits, has only createHash. Same digest.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;

export function sha256Hex(text: string): string {
  return oneShotHash ? oneShotHash("sha256", text, "hex") : crypto.createHash("sha256").update(text, "utf8").digest("hex");
}

/** SHA-256 of text given in pieces (the same digest as sha256Hex of their concatenation). */
export function sha256Pieces(): { update: (text: string) => void; hex: () => string } {
  const hash = crypto.createHash("sha256");
  return { update: (text) => void hash.update(text, "utf8"), hex: () => hash.digest("hex") };
}

export type RevisionKind = (typeof commitmentRevisions.$inferInsert)["kind"];

export interface NewRevision {
  commitmentId: string;
  version: number;
  kind: RevisionKind;
  actorId: string | null;
  at: Date;
  changes: FieldChange[];
  reason: string | null;
}

export function logContentOf(r: { commitmentId: string; version: number; kind: string; actorId: string | null; at: Date; changes: FieldChange[]; reason: string | null }): LogContent {
  return { commitmentId: r.commitmentId, version: r.version, kind: r.kind, actorId: r.actorId, at: r.at.toISOString(), changes: r.changes, reason: r.reason };
}

/** Holds the chain's lock until the transaction ends: appenders elsewhere wait. */
export async function lockChain(db: Transaction): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(${RECORD_CHAIN_LOCK_ID})`);
}

/** Work memory for a transaction that appends in bulk (lockChainForBulkAppend): enough for a 100,000-commitment year's rows. */
export const BULK_APPEND_WORK_MEM = "64MB";

/**
 * lockChain for a transaction that is about to append thousands of rows in one statement (a
 * publication's lock revisions and locks). PostgreSQL checks a row's foreign keys with a query of
 * its own, planned once and then reused from the plan cache; Kept's connections set
 * `plan_cache_mode = force_custom_plan` (ADR 0041), under which every one of those checks is
 * planned again: the 18,667 lock revisions of the seed's FY2025 letter made 37,334 plans (ADR
 * 0042). Until the returned function runs, this transaction's cached plans may be reused
 * (`auto`, PostgreSQL's default); the function sets back what the connection had. A failing statement ends the transaction, and the
 * setting (SET LOCAL) with it, so there is nothing to set back on that path.
 *
 * It also gives the rest of the transaction BULK_APPEND_WORK_MEM of work memory, not set back:
 * the appended rows' transition tables, which the chain's and the locks' guards read several
 * times, and the string a publication's ledger rows are split from afterwards held ~25 MB for
 * the seed's FY2025 letter and spilled to temporary files under the default 4 MB (ADR 0064).
 */
export async function lockChainForBulkAppend(db: Transaction): Promise<() => Promise<void>> {
  const [row] = rowsOf<{ mode: string }>(await db.execute(bulkAppendLockStatement()));
  const mode = row?.mode ?? "auto";
  return async () => {
    await db.execute(planCacheModeStatement(mode));
  };
}

function bulkAppendLockStatement(): SQL {
  // Materialized: the setting in force is read before it is changed.
  return sql`
    with before as materialized (select current_setting('plan_cache_mode') as mode)
    select before.mode, pg_advisory_xact_lock(${RECORD_CHAIN_LOCK_ID}), set_config('plan_cache_mode', 'auto', true),
      set_config('work_mem', ${BULK_APPEND_WORK_MEM}, true)
    from before`;
}

function planCacheModeStatement(mode: string): SQL {
  return sql`select set_config('plan_cache_mode', ${mode}, true)`;
}

/**
 * The statements a bulk append sends (lockChainForBulkAppend, chainHead, insertPreparedRevisions
 * and the setting set back), as they will run, for describeAhead: only the values differ.
 */
export function bulkAppendStatements(db: DbOrTx): StatementText[] {
  return [bulkAppendLockStatement(), chainHeadQuery(db).getSQL(), revisionsStatement([], []).statement, planCacheModeStatement("auto")].map(statementText);
}

/** The chain's last entry: what the next appended revision extends. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * The chain's head. Read it under the chain's lock (lockChain, lockChainForBulkAppend) in the
 * transaction that appends, or another appender may move it before the rows land.
 */
export async function chainHead(db: DbOrTx): Promise<ChainHead | null> {
  const [head] = await chainHeadQuery(db);
  return head && head.seq !== null && head.hash !== null ? { seq: head.seq, hash: head.hash } : null;
}

function chainHeadQuery(db: DbOrTx) {
  return db
    .select({ seq: commitmentRevisions.seq, hash: commitmentRevisions.hash })
    .from(commitmentRevisions)
    .where(isNotNull(commitmentRevisions.seq))
    .orderBy(desc(commitmentRevisions.seq))
    .limit(1);
}

/**
 * Appends revisions to the chain, in order. Must run inside a transaction: the transaction
 * lock taken first makes every other appender (in this process or another) wait until this
 * one commits, so the head read here is still the head when the rows land.
 */
export async function appendRevisions(db: Transaction, rows: NewRevision[]): Promise<void> {
  if (rows.length === 0) return;
  await lockChain(db);
  await insertPreparedRevisions(db, prepareRevisions(await chainHead(db), rows));
}

/** Revisions hashed onto a head, as the one statement that appends them (prepareRevisions). */
export interface PreparedRevisions {
  count: number;
  statement: SQL;
}

/**
 * appendRevisions' work in node, apart from its statements: the rows hashed onto `head` and the
 * INSERT that appends them, so a caller can do it while the connection runs something else
 * (a publication: while the ledger's rows are written, ADR 0056). `head` must have been read
 * under the chain's lock in the transaction that runs the statement, and that transaction must
 * append nothing else before it: the lock keeps other appenders out until commit, and the
 * chain's trigger refuses rows that do not extend the head (serialization_failure).
 */
export function prepareRevisions(head: ChainHead | null, rows: readonly NewRevision[]): PreparedRevisions {
  return revisionsStatement(rows, hashOnto(head, rows, 0, rows.length, []));
}

/** Appends to `entries` the chain entries of rows[from, to), each extending the one before (or `head`). */
type ChainedEntry = ReturnType<typeof nextEntry>;

function hashOnto(head: ChainHead | null, rows: readonly NewRevision[], from: number, to: number, entries: ChainedEntry[]): ChainedEntry[] {
  let last: ChainHead | null = entries.at(-1) ?? head;
  // Rows that say the same but for their commitment and version (a publication's lock
  // revisions) share the serialisation of what they say: contentTextOfRun writes it once.
  let run: { row: NewRevision; text: (commitmentId: string, version: number) => string } | null = null;
  for (let i = from; i < to; i++) {
    const row = rows[i]!;
    if (!run || !sameBesidesCommitment(run.row, row)) run = { row, text: contentTextOfRun(logContentOf(row)) };
    const entry = nextEntryOfText(sha256Hex, last, run.text(row.commitmentId, row.version));
    entries.push(entry);
    last = entry;
  }
  return entries;
}

/** Whether two revisions say the same but for their commitment and version (the same `changes` array, not an equal one). */
function sameBesidesCommitment(a: NewRevision, b: NewRevision): boolean {
  return a.changes === b.changes && a.kind === b.kind && a.actorId === b.actorId && a.at.getTime() === b.at.getTime() && a.reason === b.reason;
}

function revisionsStatement(rows: readonly NewRevision[], entries: readonly ChainedEntry[]): PreparedRevisions {
  // One statement however many rows (a publication appends one lock revision per commitment),
  // so the statement count stays fixed and no parameter limit applies. Each row's own values
  // travel as arrays in chain order (ordinality); what a row says besides them (kind, actor,
  // time, changes, reason) travels as JSON, once for a run of rows that say the same (a
  // publication's 25,000 lock revisions, which share one `changes`). One JSON document of every
  // row (11 MB for a publication) cost PostgreSQL more to parse than the INSERT took to run (ADR 0042).
  const contents: string[] = [];
  const contentOfRow: number[] = [];
  let previous: NewRevision | undefined;
  for (const r of rows) {
    if (previous === undefined || !sameBesidesCommitment(previous, r)) contents.push(JSON.stringify({ kind: r.kind, actor_id: r.actorId, at: r.at.toISOString(), changes: r.changes, reason: r.reason }));
    contentOfRow.push(contents.length - 1);
    previous = r;
  }
  const statement = sql`
    insert into commitment_revisions (commitment_id, version, kind, actor_id, at, changes, reason, seq, prev_hash, content_hash, hash)
    select r.commitment_id, r.version, c.kind, c.actor_id, c.at, c.changes, c.reason, r.seq, r.prev_hash, r.content_hash, r.hash
    from unnest(
      ${arrayLiteral(rows.map((r) => r.commitmentId))}::uuid[], ${arrayLiteral(rows.map((r) => r.version))}::integer[],
      ${arrayLiteral(contentOfRow)}::integer[], ${arrayLiteral(entries.map((e) => e.seq))}::bigint[],
      ${arrayLiteral(entries.map((e) => e.prevHash))}::text[], ${arrayLiteral(entries.map((e) => e.contentHash))}::text[],
      ${arrayLiteral(entries.map((e) => e.hash))}::text[]
    ) with ordinality as r(commitment_id, version, content, seq, prev_hash, content_hash, hash, n)
    cross join lateral jsonb_to_record(${`[${contents.join(",")}]`}::jsonb -> r.content)
      as c(kind text, actor_id uuid, at timestamptz, changes jsonb, reason text)
    order by r.n`;
  return { count: rows.length, statement };
}

/** Runs prepareRevisions' statement. */
export async function insertPreparedRevisions(db: Transaction, prepared: PreparedRevisions): Promise<void> {
  if (prepared.count === 0) return;
  await db.execute(prepared.statement);
}

/** A PostgreSQL array literal; every element quoted, so no value can end or split one. */
function arrayLiteral(values: ReadonlyArray<string | number>): string {
  let literal = "{";
  for (let i = 0; i < values.length; i++) {
    const text = String(values[i]);
    const escaped = text.includes('"') || text.includes("\\") ? text.replace(/["\\]/g, "\\$&") : text;
    literal += `${i === 0 ? "" : ","}"${escaped}"`;
  }
  return `${literal}}`;
}

/**
 * Seals revisions written before the chain existed (seq still null), once, in id order. Run by
 * the owner after migrating; the chain trigger allows exactly this update and nothing else.
 */
export async function sealUnchainedRevisions(db: Database): Promise<number> {
  return db.transaction(async (tx) => {
    await lockChain(tx);
    const rows = await tx.select().from(commitmentRevisions).where(isNull(commitmentRevisions.seq)).orderBy(asc(commitmentRevisions.id));
    let head = await chainHead(tx);
    for (const r of rows) {
      const entry = nextEntry(sha256Hex, head, logContentOf({ ...r, changes: r.changes as FieldChange[] }));
      await tx.update(commitmentRevisions).set(entry).where(eq(commitmentRevisions.id, r.id));
      head = entry;
    }
    return rows.length;
  });
}

export interface StoredLogRow {
  seq: number;
  prevHash: string;
  contentHash: string;
  hash: string;
  content: LogContent;
  /** Whether the commitment the row is about is customer-facing today. */
  public: boolean;
}

const logColumns = {
  seq: commitmentRevisions.seq,
  prevHash: commitmentRevisions.prevHash,
  contentHash: commitmentRevisions.contentHash,
  hash: commitmentRevisions.hash,
  commitmentId: commitmentRevisions.commitmentId,
  version: commitmentRevisions.version,
  kind: commitmentRevisions.kind,
  actorId: commitmentRevisions.actorId,
  at: commitmentRevisions.at,
  changes: commitmentRevisions.changes,
  reason: commitmentRevisions.reason,
  audience: commitments.audience,
};

type LogQueryRow = { seq: number | null; prevHash: string | null; contentHash: string | null; hash: string | null; commitmentId: string; version: number; kind: string; actorId: string | null; at: Date; changes: FieldChange[]; reason: string | null; audience: "public" | "internal" };

function toStored(r: LogQueryRow): StoredLogRow {
  return {
    seq: r.seq ?? 0,
    prevHash: r.prevHash ?? "",
    contentHash: r.contentHash ?? "",
    hash: r.hash ?? "",
    content: logContentOf(r),
    public: r.audience === "public",
  };
}

/** One page of the chain from `afterSeq`, in order; with `upToSeq`, none after that position. */
export async function readLogPage(db: DbOrTx, afterSeq: number, limit: number, upToSeq?: number): Promise<StoredLogRow[]> {
  const rows = await db
    .select(logColumns)
    .from(commitmentRevisions)
    .innerJoin(commitments, eq(commitments.id, commitmentRevisions.commitmentId))
    .where(
      and(
        isNotNull(commitmentRevisions.seq),
        gt(commitmentRevisions.seq, afterSeq),
        upToSeq === undefined ? undefined : lte(commitmentRevisions.seq, upToSeq),
      ),
    )
    .orderBy(asc(commitmentRevisions.seq))
    .limit(limit);
  return (rows as LogQueryRow[]).map(toStored);
}

/** The chain's last entry, content included (the whole log's download states it as its head). */
export async function lastLogEntry(db: DbOrTx): Promise<StoredLogRow | null> {
  const [row] = await db
    .select(logColumns)
    .from(commitmentRevisions)
    .innerJoin(commitments, eq(commitments.id, commitmentRevisions.commitmentId))
    .where(isNotNull(commitmentRevisions.seq))
    .orderBy(desc(commitmentRevisions.seq))
    .limit(1);
  return row ? toStored(row as LogQueryRow) : null;
}

/** The whole chain, in order, with the rows not yet sealed last (they are a break). */
export async function readWholeLog(db: DbOrTx): Promise<{ rows: StoredLogRow[]; unsealed: number }> {
  const rows = (await db
    .select(logColumns)
    .from(commitmentRevisions)
    .innerJoin(commitments, eq(commitments.id, commitmentRevisions.commitmentId))
    .where(isNotNull(commitmentRevisions.seq))
    .orderBy(asc(commitmentRevisions.seq))) as LogQueryRow[];
  return { rows: rows.map(toStored), unsealed: await unsealedRevisions(db) };
}

/** Revision rows not in the hash chain (seq still null): each one is a break. */
export async function unsealedRevisions(db: DbOrTx): Promise<number> {
  const [unsealed] = await db.select({ n: sql<number>`count(*)::int` }).from(commitmentRevisions).where(isNull(commitmentRevisions.seq));
  return unsealed?.n ?? 0;
}

export async function logHead(db: DbOrTx): Promise<{ seq: number; hash: string; at: Date } | null> {
  const [head] = await db
    .select({ seq: commitmentRevisions.seq, hash: commitmentRevisions.hash, at: commitmentRevisions.at })
    .from(commitmentRevisions)
    .where(isNotNull(commitmentRevisions.seq))
    .orderBy(desc(commitmentRevisions.seq))
    .limit(1);
  return head && head.seq !== null && head.hash !== null ? { seq: head.seq, hash: head.hash, at: head.at } : null;
}

/** Seq, hash and time of every entry (for the feed's monthly checkpoints). */
export async function logSkeleton(db: DbOrTx): Promise<Array<{ seq: number; hash: string; at: Date }>> {
  const rows = await db
    .select({ seq: commitmentRevisions.seq, hash: commitmentRevisions.hash, at: commitmentRevisions.at })
    .from(commitmentRevisions)
    .where(isNotNull(commitmentRevisions.seq))
    .orderBy(asc(commitmentRevisions.seq));
  return rows.filter((r): r is { seq: number; hash: string; at: Date } => r.seq !== null && r.hash !== null);
}

export function toLogEntry(r: StoredLogRow, disclose: boolean): LogEntry {
  return { seq: r.seq, prevHash: r.prevHash, contentHash: r.contentHash, hash: r.hash, content: disclose ? r.content : null };
}

const currentColumns = {
  id: commitments.id,
  statement: commitments.statement,
  details: commitments.details,
  ...measureColumns,
  evidenceSource: commitments.evidenceSource,
  dueDate: commitments.dueDate,
  periodLabel: commitments.periodLabel,
  teamId: commitments.teamId,
  ownerId: commitments.ownerId,
  audience: commitments.audience,
  tags: commitments.tags,
  status: commitments.status,
  lockedByLetterAt,
};

const checkInColumns = {
  id: checkIns.id,
  commitmentId: checkIns.commitmentId,
  date: checkIns.date,
  forecast: checkIns.forecast,
  probability: checkIns.probability,
  progressValue: checkIns.progressValue,
  note: checkIns.note,
  createdAt: checkIns.createdAt,
  /** To the microsecond, as PostgreSQL orders them (a Date keeps milliseconds): which check-in is the forecast of record. */
  createdAtExact: sql<string>`to_char(${checkIns.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`,
};

const statsColumns = {
  commitmentId: commitmentStats.commitmentId,
  recordLabel: commitmentStats.recordLabel,
  teamId: commitmentStats.teamId,
  audience: commitmentStats.audience,
  status: commitmentStats.status,
  dueDate: commitmentStats.dueDate,
  resolvedAt: commitmentStats.resolvedAt,
  reasonCategory: commitmentStats.reasonCategory,
  control: commitmentStats.control,
  forecast: commitmentStats.forecast,
  probability: commitmentStats.probability,
  recordedAt: commitmentStats.recordedAt,
  letterRevisions: commitmentStats.letterRevisions,
};

/** A revision as replaying it needs it (app/domain/record-log.ts replayCommitment). */
export interface ReplayRevision {
  commitmentId: string;
  seq: number;
  kind: string;
  at: string;
  changes: FieldChange[];
  reason: string | null;
}

const replayColumns = {
  commitmentId: commitmentRevisions.commitmentId,
  seq: commitmentRevisions.seq,
  kind: commitmentRevisions.kind,
  at: commitmentRevisions.at,
  changes: commitmentRevisions.changes,
  reason: commitmentRevisions.reason,
};

function toReplayRevision(r: { commitmentId: string; seq: number | null; kind: string; at: Date; changes: FieldChange[]; reason: string | null }): ReplayRevision {
  return { commitmentId: r.commitmentId, seq: r.seq ?? 0, kind: r.kind, at: r.at.toISOString(), changes: r.changes, reason: r.reason };
}

/**
 * One page of commitments after `afterId` (in id order) with their outcomes, check-ins,
 * chained revisions (in chain order) and commitment_stats rows: what the revisions must explain,
 * and what must agree with them, read a page at a time
 * so the integrity check never holds the event loop, or the whole record in memory.
 */
export async function currentRecordPage(db: DbOrTx, afterId: string | null, limit: number) {
  const rows = await db
    .select(currentColumns)
    .from(commitments)
    .where(afterId ? gt(commitments.id, afterId) : undefined)
    .orderBy(asc(commitments.id))
    .limit(limit);
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (!first || !last) return { commitments: rows, outcomes: [], checkIns: [], revisions: [], stats: [] };
  const [outcomeRows, checkInRows, revisionRows, statsRows] = await Promise.all([
    db.select().from(outcomes).where(and(gte(outcomes.commitmentId, first.id), lte(outcomes.commitmentId, last.id))),
    db.select(checkInColumns).from(checkIns).where(and(gte(checkIns.commitmentId, first.id), lte(checkIns.commitmentId, last.id))),
    db
      .select(replayColumns)
      .from(commitmentRevisions)
      .where(and(gte(commitmentRevisions.commitmentId, first.id), lte(commitmentRevisions.commitmentId, last.id), isNotNull(commitmentRevisions.seq)))
      .orderBy(asc(commitmentRevisions.commitmentId), asc(commitmentRevisions.seq)),
    db.select(statsColumns).from(commitmentStats).where(and(gte(commitmentStats.commitmentId, first.id), lte(commitmentStats.commitmentId, last.id))),
  ]);
  return { commitments: rows, outcomes: outcomeRows, checkIns: checkInRows, revisions: revisionRows.map(toReplayRevision), stats: statsRows };
}

/** The chained revisions of these commitments up to position `seq`, in chain order. */
export async function revisionsUpTo(db: DbOrTx, commitmentIds: readonly string[], seq: number): Promise<ReplayRevision[]> {
  if (commitmentIds.length === 0) return [];
  const rows = await db
    .select(replayColumns)
    .from(commitmentRevisions)
    .where(and(inArray(commitmentRevisions.commitmentId, [...commitmentIds]), isNotNull(commitmentRevisions.seq), lte(commitmentRevisions.seq, seq)))
    .orderBy(asc(commitmentRevisions.commitmentId), asc(commitmentRevisions.seq));
  return rows.map(toReplayRevision);
}

/**
 * Published letters with what the integrity check compares: the Markdown and its hash. Not
 * their frozen ledgers (25,000 entries for a large year): the check reads those in pages.
 */
export async function publishedLetterHashes(db: DbOrTx) {
  return db
    .select({ id: letters.id, fiscalYear: letters.fiscalYear, audience: letters.audience, markdown: letters.publishedMarkdown, sha256: letters.sha256 })
    .from(letters)
    .where(eq(letters.status, "published"))
    .orderBy(asc(letters.fiscalYear), asc(letters.audience));
}

export async function publicSiteEnabled(db: DbOrTx): Promise<boolean | null> {
  const [org] = await db.select({ enabled: organisation.publicSiteEnabled }).from(organisation).limit(1);
  return org ? org.enabled : null;
}
