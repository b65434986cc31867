import { and, asc, desc, eq, gt, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { DbOrTx, Transaction } from "../../db/client";
import { checkIns, commitmentRevisions, commitments, commitmentTags, outcomes, tagCounts, teamMembers, teams, users } from "../../db/schema";
import type { CommitmentFields, CommitmentSort } from "~/domain/commitment";
import type { Finding } from "~/domain/falsifiability";
import type { Forecast } from "~/domain/types";
import { decideByAccount } from "~/domain/permissions";
import type { Actor } from "~/domain/result";
import { lockedByLetterAt, measureColumns } from "./columns.server";
import { appendRevisions, type NewRevision } from "./record-log.server";
import { pageOf, type CursorKeyKind } from "~/utils/cursor";
import { nameOrEmailContains } from "./user.server";
import { preparedOn } from "./prepared.server";

export const commitmentColumns = {
  id: commitments.id,
  teamId: commitments.teamId,
  periodLabel: commitments.periodLabel,
  periodStart: commitments.periodStart,
  periodEnd: commitments.periodEnd,
  fiscalYear: commitments.fiscalYear,
  statement: commitments.statement,
  details: commitments.details,
  ...measureColumns,
  evidenceSource: commitments.evidenceSource,
  dueDate: commitments.dueDate,
  ownerId: commitments.ownerId,
  audience: commitments.audience,
  tags: commitments.tags,
  lintScore: commitments.lintScore,
  lintFindings: commitments.lintFindings,
  status: commitments.status,
  version: commitments.version,
  lockedByLetterAt,
  predecessorId: commitments.predecessorId,
  attempt: commitments.attempt,
  sourceActionItemId: commitments.sourceActionItemId,
  committedAt: commitments.committedAt,
  committedBy: commitments.committedBy,
  updatedAt: commitments.updatedAt,
};

export type Commitment = {
  [K in Exclude<keyof typeof commitmentColumns, "lockedByLetterAt">]: (typeof commitments.$inferSelect)[K extends keyof typeof commitments.$inferSelect ? K : never];
} & { lockedByLetterAt: Date | null };

export interface StoredFields extends CommitmentFields {
  periodStart: string;
  periodEnd: string;
  fiscalYear: number;
  lintScore: number;
  lintFindings: Finding[];
}

export async function insertCommitment(
  db: DbOrTx,
  values: StoredFields & { committedBy: string; committedAt: Date; predecessorId?: string | null; attempt?: number; sourceActionItemId?: string | null },
): Promise<Commitment> {
  const [row] = await db
    .insert(commitments)
    .values({ ...values, updatedAt: values.committedAt })
    .returning(commitmentColumns);
  return row as Commitment;
}

export async function getCommitment(db: DbOrTx, id: string): Promise<Commitment | null> {
  const [row] = await db.select(commitmentColumns).from(commitments).where(eq(commitments.id, id)).limit(1);
  return (row as Commitment | undefined) ?? null;
}

/** Several commitments by id, in the order the ids were given (one query, for list pages). */
export async function getCommitmentsByIds(db: DbOrTx, ids: string[]): Promise<Commitment[]> {
  if (ids.length === 0) return [];
  const rows = (await db.select(commitmentColumns).from(commitments).where(inArray(commitments.id, ids))) as Commitment[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is Commitment => r !== undefined);
}

/**
 * The condition "this actor may change commitments of the row's team", for use in WHERE: the
 * rule of app/domain/permissions.ts ("commitments.write") written as a scope on the query.
 */
export function editableBy(actor: Actor): SQL {
  const byAccount = decideByAccount(actor, "commitments.write");
  if (byAccount !== "ask-target") return byAccount === "allow" ? sql`true` : sql`false`;
  return inArray(
    commitments.teamId,
    sql`(select ${teamMembers.teamId} from ${teamMembers} where ${teamMembers.userId} = ${actor.id} and ${teamMembers.role} = 'editor')`,
  );
}

/**
 * Writes new field values only if the row is still at `expectedVersion` and the actor may
 * edit its team — both checked in the UPDATE itself, so a concurrent save or a permission
 * change between read and write cannot slip through. Null when either check failed.
 */
export async function updateCommitmentIfCurrent(
  db: DbOrTx,
  actor: Actor,
  id: string,
  expectedVersion: number,
  values: Partial<StoredFields> & { status?: Commitment["status"] },
  now: Date,
): Promise<Commitment | null> {
  const [row] = await db
    .update(commitments)
    .set({ ...values, version: sql`${commitments.version} + 1`, updatedAt: now })
    .where(and(eq(commitments.id, id), eq(commitments.version, expectedVersion), editableBy(actor)))
    .returning(commitmentColumns);
  return (row as Commitment | undefined) ?? null;
}

/** Appends one revision to the record's hash chain; call inside the change's transaction. */
export async function insertRevision(db: Transaction, values: NewRevision) {
  await appendRevisions(db, [values]);
}

/** Field names changed by revisions after `version` (what someone else saved meanwhile). */
export async function fieldsChangedSince(db: DbOrTx, commitmentId: string, version: number): Promise<string[]> {
  const rows = await db
    .select({ changes: commitmentRevisions.changes })
    .from(commitmentRevisions)
    .where(and(eq(commitmentRevisions.commitmentId, commitmentId), gt(commitmentRevisions.version, version)))
    .orderBy(asc(commitmentRevisions.id))
    .limit(500);
  return [...new Set(rows.flatMap((r) => r.changes.map((c) => c.field)))];
}

const revisionColumns = {
  id: commitmentRevisions.id,
  version: commitmentRevisions.version,
  kind: commitmentRevisions.kind,
  at: commitmentRevisions.at,
  changes: commitmentRevisions.changes,
  reason: commitmentRevisions.reason,
  actorId: commitmentRevisions.actorId,
  actorName: users.name,
};

/**
 * One page of a commitment's history, newest first: the `limit` revisions older than
 * revision `beforeId` (the newest when null), and whether older ones remain.
 */
export async function pageOfRevisions(db: DbOrTx, commitmentId: string, limit: number, beforeId: number | null) {
  const rows = await db
    .select(revisionColumns)
    .from(commitmentRevisions)
    .leftJoin(users, eq(users.id, commitmentRevisions.actorId))
    .where(and(eq(commitmentRevisions.commitmentId, commitmentId), beforeId === null ? undefined : lt(commitmentRevisions.id, beforeId)))
    .orderBy(desc(commitmentRevisions.id))
    .limit(limit + 1);
  const { items, last } = pageOf(rows, limit);
  return { rows: items, hasOlder: last !== null };
}

/** The revisions that say what was first promised and how it was re-scoped, oldest first. */
export async function listScopeRevisions(db: DbOrTx, commitmentId: string) {
  return db
    .select(revisionColumns)
    .from(commitmentRevisions)
    .leftJoin(users, eq(users.id, commitmentRevisions.actorId))
    .where(and(eq(commitmentRevisions.commitmentId, commitmentId), inArray(commitmentRevisions.kind, ["create", "carried_from", "rescope"])))
    .orderBy(asc(commitmentRevisions.id));
}

/** Names of people and teams by id, for writing ids in history as names. */
export async function namesOf(db: DbOrTx, ids: { people: string[]; teams: string[] }) {
  const [people, teamRows] = await Promise.all([
    ids.people.length ? db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids.people)) : Promise.resolve([]),
    ids.teams.length ? db.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, ids.teams)) : Promise.resolve([]),
  ]);
  return { people: new Map(people.map((p) => [p.id, p.name])), teams: new Map(teamRows.map((t) => [t.id, t.name])) };
}

export async function listRevisions(db: DbOrTx, commitmentId: string, limit = 500) {
  return db
    .select({
      id: commitmentRevisions.id,
      version: commitmentRevisions.version,
      kind: commitmentRevisions.kind,
      at: commitmentRevisions.at,
      changes: commitmentRevisions.changes,
      reason: commitmentRevisions.reason,
      actorId: commitmentRevisions.actorId,
      actorName: users.name,
    })
    .from(commitmentRevisions)
    .leftJoin(users, eq(users.id, commitmentRevisions.actorId))
    .where(eq(commitmentRevisions.commitmentId, commitmentId))
    .orderBy(desc(commitmentRevisions.id))
    .limit(limit);
}

export async function insertCheckIn(
  db: DbOrTx,
  values: { commitmentId: string; date: string; forecast: "on_track" | "at_risk" | "off_track" | "stalled"; probability: number; progressValue: number | null; note: string; createdBy: string; createdAt: Date },
) {
  const [row] = await db.insert(checkIns).values(values).returning();
  return row!;
}

export async function listCheckIns(db: DbOrTx, commitmentId: string, limit = 500) {
  return db
    .select({
      id: checkIns.id,
      date: checkIns.date,
      forecast: checkIns.forecast,
      probability: checkIns.probability,
      progressValue: checkIns.progressValue,
      note: checkIns.note,
      createdAt: checkIns.createdAt,
      createdByName: users.name,
    })
    .from(checkIns)
    .leftJoin(users, eq(users.id, checkIns.createdBy))
    .where(eq(checkIns.commitmentId, commitmentId))
    .orderBy(desc(checkIns.date), desc(checkIns.createdAt))
    .limit(limit);
}

export async function getOutcome(db: DbOrTx, commitmentId: string) {
  const [row] = await db.select().from(outcomes).where(eq(outcomes.commitmentId, commitmentId)).limit(1);
  return row ?? null;
}

export async function upsertOutcome(db: DbOrTx, values: typeof outcomes.$inferInsert) {
  await db
    .insert(outcomes)
    .values(values)
    .onConflictDoUpdate({ target: outcomes.commitmentId, set: { ...values } });
}

export async function successorsOf(db: DbOrTx, id: string) {
  return db
    .select({ id: commitments.id, periodLabel: commitments.periodLabel, attempt: commitments.attempt, status: commitments.status })
    .from(commitments)
    .where(eq(commitments.predecessorId, id))
    .orderBy(asc(commitments.committedAt))
    .limit(50);
}

// ---- lists -----------------------------------------------------------------------------

export { COMMITMENT_SORTS as SORTS } from "~/domain/commitment";
export type Sort = CommitmentSort;

export interface ListFilters {
  teamIds?: string[];
  periodLabel?: string;
  /** Any of these periods (the ones under way now). */
  periodLabels?: string[];
  fiscalYear?: number;
  audience?: "public" | "internal";
  status?: Commitment["status"];
  tag?: string;
  ownerId?: string;
  /** Part of the owner's name or email (the list's owner search): matched in the same statement. */
  ownerSearch?: string;
  q?: string;
  /** Only commitments whose latest check-in (the dashboard's order: date, then entry) says one of these. */
  forecasts?: readonly Forecast[];
  /** Only commitments whose outcome was recorded at or after this instant. */
  outcomeRecordedSince?: Date;
  /** Only commitments with an outcome (what the `outcome_desc` sort lists; see listFiltersFor). */
  withOutcome?: boolean;
}

/** The filters a sort implies: ordering by the outcome lists, and so counts, only resolved commitments. */
export function listFiltersFor(filters: ListFilters, sort: Sort): ListFilters {
  return sort === "outcome_desc" ? { ...filters, withOutcome: true } : filters;
}

export interface ListCursor {
  /** The sort key of the last row seen (date, timestamp or number as text) and its id. */
  key: string;
  id: string;
}

/**
 * The WHERE conditions of a filtered list, shared by the page and its count. A tag is matched
 * by the join to commitment_tags (tagJoin), not here.
 */
function listConditions(filters: ListFilters): SQL[] {
  const where: SQL[] = [];
  if (filters.teamIds) where.push(filters.teamIds.length ? inArray(commitments.teamId, filters.teamIds) : sql`false`);
  if (filters.periodLabel) where.push(eq(commitments.periodLabel, filters.periodLabel));
  if (filters.periodLabels) where.push(filters.periodLabels.length ? inArray(commitments.periodLabel, filters.periodLabels) : sql`false`);
  if (filters.fiscalYear) where.push(eq(commitments.fiscalYear, filters.fiscalYear));
  if (filters.audience) where.push(eq(commitments.audience, filters.audience));
  if (filters.status) where.push(eq(commitments.status, filters.status));
  if (filters.ownerId) where.push(eq(commitments.ownerId, filters.ownerId));
  if (filters.ownerSearch) {
    where.push(sql`${commitments.ownerId} in (select ${users.id} from ${users} where ${nameOrEmailContains(filters.ownerSearch)})`);
  }
  // Full-text search on statement, details and measure (GIN index); a LIKE fallback would
  // scan every row.
  if (filters.q) where.push(sql`${commitments.search} @@ websearch_to_tsquery('english', ${filters.q})`);
  // The latest check-in is the last entry of check_ins_commitment_idx for the commitment: one
  // index probe per candidate row, so the page stops after its rows, however many check-ins exist.
  if (filters.forecasts) {
    where.push(
      filters.forecasts.length
        ? sql`(select ${checkIns.forecast}::text from ${checkIns} where ${checkIns.commitmentId} = ${commitments.id}
            order by ${checkIns.date} desc, ${checkIns.createdAt} desc, ${checkIns.id} desc limit 1)
            in (${sql.join(filters.forecasts.map((f) => sql`${f}`), sql`, `)})`
        : sql`false`,
    );
  }
  // Outcomes recorded since a moment are a range of outcomes_recorded_idx: the planner can start
  // from them (few, for a recent moment) rather than walk every commitment.
  if (filters.outcomeRecordedSince) {
    where.push(
      sql`${commitments.id} in (select ${outcomes.commitmentId} from ${outcomes} where ${outcomes.recordedAt} >= ${filters.outcomeRecordedSince.toISOString()}::timestamptz)`,
    );
  } else if (filters.withOutcome) {
    where.push(sql`exists (select 1 from ${outcomes} where ${outcomes.commitmentId} = ${commitments.id})`);
  }
  return where;
}

/**
 * One page of commitments, keyset-paginated on (sort key, id) so deep pages cost the same as
 * the first: no OFFSET. Every filter is an indexed column.
 */
/**
 * A tag filter joins commitment_tags, whose (tag, sort key, id) indexes hold the sort keys:
 * the page and the keyset seek are read from them in order, so a tag used only in later years
 * costs a page, not a walk past every earlier commitment (ADR 0026).
 */
function tagJoin(tag: string): SQL {
  return and(eq(commitmentTags.commitmentId, commitments.id), eq(commitmentTags.tag, tag))!;
}

export async function listCommitments(db: DbOrTx, filters: ListFilters, sort: Sort, limit: number, after?: ListCursor) {
  const where = listConditions(filters);
  const tag = filters.tag || undefined;
  const byOutcome = sort === "outcome_desc";
  // With a tag, order by commitment_tags' copies of the keys (equal to the commitment's), so
  // the planner walks its index. By outcome, the keys are outcomes_recorded_idx's
  // (recorded_at, commitment_id): newest outcome first, read from the index in order.
  const source = byOutcome
    ? { committedAt: commitments.committedAt, lintScore: commitments.lintScore, dueDate: commitments.dueDate, id: outcomes.commitmentId }
    : tag
      ? { committedAt: commitmentTags.committedAt, lintScore: commitmentTags.lintScore, dueDate: commitmentTags.dueDate, id: commitmentTags.commitmentId }
      : { committedAt: commitments.committedAt, lintScore: commitments.lintScore, dueDate: commitments.dueDate, id: commitments.id };

  const key = byOutcome ? outcomes.recordedAt : sort === "committed_desc" ? source.committedAt : sort === "score" ? source.lintScore : source.dueDate;
  const descending = sort === "due_desc" || sort === "committed_desc" || byOutcome;
  if (after) {
    const value =
      sort === "committed_desc" || byOutcome ? sql`${after.key}::timestamptz` : sort === "score" ? sql`${Number(after.key)}::int` : sql`${after.key}::date`;
    // A row comparison lets the (key, id) index seek straight to the cursor.
    where.push(
      descending
        ? sql`(${key}, ${source.id}) < (${value}, ${after.id}::uuid)`
        : sql`(${key}, ${source.id}) > (${value}, ${after.id}::uuid)`,
    );
  }

  const query = db
    .select({
      id: commitments.id,
      statement: commitments.statement,
      periodLabel: commitments.periodLabel,
      dueDate: commitments.dueDate,
      audience: commitments.audience,
      status: commitments.status,
      lintScore: commitments.lintScore,
      attempt: commitments.attempt,
      committedAt: commitments.committedAt,
      teamSlug: teams.slug,
      teamName: teams.name,
      ownerName: users.name,
      // As text, to the microsecond: a Date would round the keyset cursor to the millisecond.
      outcomeRecordedAt: byOutcome ? sql<string | null>`${outcomes.recordedAt}::text` : sql<string | null>`null::text`,
    })
    .from(commitments)
    .$dynamic();
  if (tag) query.innerJoin(commitmentTags, tagJoin(tag));
  if (byOutcome) query.innerJoin(outcomes, eq(outcomes.commitmentId, commitments.id));
  return query
    .innerJoin(teams, eq(teams.id, commitments.teamId))
    .leftJoin(users, eq(users.id, commitments.ownerId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(descending ? desc(key) : asc(key), descending ? desc(source.id) : asc(source.id))
    .limit(limit);
}

/**
 * How many commitments the list's filters match, for "N commitments" above the first page.
 * With `upTo`, counting stops after upTo + 1 matches (a LIMIT under the count), so a broad
 * filter over a large organisation costs a bounded scan: a result above `upTo` means "more".
 */
export async function countCommitments(db: DbOrTx, filters: ListFilters, upTo?: number): Promise<number> {
  const where = listConditions(filters);
  // A tag alone is counted in commitment_tags' own index: each of its rows has its commitment
  // (a foreign key, deleted with it), so the join to commitments would only read them again.
  const matching =
    filters.tag && where.length === 0
      ? db.select({ one: sql`1` }).from(commitmentTags).where(eq(commitmentTags.tag, filters.tag)).$dynamic()
      : db.select({ one: sql`1` }).from(commitments).$dynamic();
  if (filters.tag && where.length > 0) matching.innerJoin(commitmentTags, tagJoin(filters.tag));
  if (where.length > 0) matching.where(and(...where));
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from((upTo === undefined ? matching : matching.limit(upTo + 1)).as("matching"));
  return Number(row?.n ?? 0);
}

/** What kind of value a list cursor's key is under each sort (what `cursorKeyOf` writes). */
export function cursorKeyKind(sort: Sort): CursorKeyKind {
  if (sort === "outcome_desc" || sort === "committed_desc") return "instant";
  if (sort === "score") return "int";
  return "date";
}

export function cursorKeyOf(row: { dueDate: string; committedAt: Date; lintScore: number; outcomeRecordedAt?: string | null }, sort: Sort): string {
  if (sort === "outcome_desc") return row.outcomeRecordedAt ?? "";
  if (sort === "committed_desc") return row.committedAt.toISOString();
  if (sort === "score") return String(row.lintScore);
  return row.dueDate;
}

/** Theme tags in use, for the filter picker: read from tag_counts, which a trigger keeps. */
export async function listTags(db: DbOrTx, limit = 200): Promise<string[]> {
  // Built once per handle: the list page runs it on every request (ADR 0061).
  const query = preparedOn(db, "list_tags", (on) =>
    on
      .select({ tag: tagCounts.tag })
      .from(tagCounts)
      .where(gt(tagCounts.commitments, 0))
      .orderBy(asc(tagCounts.tag))
      .limit(sql.placeholder("limit"))
      .prepare("list_tags"),
  );
  const rows = await query.execute({ limit });
  return rows.map((r) => r.tag);
}
