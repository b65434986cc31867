// Reads every table of the organisation in a stable order (for the export) and writes rows
// back verbatim, ids and timestamps included (for the import into an empty instance).
import { asc, count, getTableColumns, inArray, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { DbOrTx } from "../../db/client";
import {
  actionItems,
  checkIns,
  commitmentRevisions,
  commitmentLocks,
  commitments,
  letterErrata,
  minScoreChanges,
  letters,
  organisation,
  organisationLogo,
  outcomes,
  retrospectives,
  teamMembers,
  teams,
  users,
} from "../../db/schema";
import { lockedByLetterAt } from "./columns.server";
import { frozenLedgerEntries, insertLedgerEntries } from "./letter.server";

// Never exported: the password hash (the import gives everyone an unusable one) and the
// generated search vector (the database computes it again).
const { passwordHash: _passwordHash, ...userColumns } = getTableColumns(users);
const { search: _search, ...commitmentTableColumns } = getTableColumns(commitments);
// A letter's lock is kept beside the row (ADR 0033); the document still carries it on the
// commitment, where the column stood (after version), so its shape is unchanged.
const commitmentColumns = Object.fromEntries(
  Object.entries(commitmentTableColumns).flatMap(([key, column]) => (key === "version" ? [[key, column], ["lockedByLetterAt", lockedByLetterAt]] : [[key, column]])),
) as typeof commitmentTableColumns & { lockedByLetterAt: typeof lockedByLetterAt };
const { id: _organisationId, ...organisationColumns } = getTableColumns(organisation);

// Creation order as the document records it: to the millisecond. Columns filled by now()
// hold microseconds, which the document (and so an imported copy) does not, and ordering by
// them could break a tie differently before and after a round trip.
const created = (column: AnyPgColumn) => sql`date_trunc('milliseconds', ${column})`;

/**
 * Every row of the organisation. A full dump is the one read that is not paginated; each
 * table is ordered by creation time, then primary key, so that the same data always gives
 * the same document. Run it in a repeatable-read transaction for a consistent snapshot.
 */
export async function readOrganisationRows(db: DbOrTx) {
  const [org] = await db.select(organisationColumns).from(organisation).limit(1);
  return {
    organisation: org ?? null,
    people: await db.select(userColumns).from(users).orderBy(created(users.createdAt), asc(users.id)),
    teams: await db.select().from(teams).orderBy(created(teams.createdAt), asc(teams.id)),
    teamMembers: await db.select().from(teamMembers).orderBy(asc(teamMembers.teamId), asc(teamMembers.userId)),
    commitments: await db.select(commitmentColumns).from(commitments).orderBy(created(commitments.committedAt), asc(commitments.id)),
    checkIns: await db.select().from(checkIns).orderBy(created(checkIns.createdAt), asc(checkIns.id)),
    outcomes: await db.select().from(outcomes).orderBy(asc(outcomes.commitmentId)),
    // In chain order, without `tx` (which transaction wrote a row means nothing elsewhere).
    revisions: await db
      .select({
        id: commitmentRevisions.id,
        commitmentId: commitmentRevisions.commitmentId,
        version: commitmentRevisions.version,
        kind: commitmentRevisions.kind,
        actorId: commitmentRevisions.actorId,
        at: commitmentRevisions.at,
        changes: commitmentRevisions.changes,
        reason: commitmentRevisions.reason,
        seq: commitmentRevisions.seq,
        prevHash: commitmentRevisions.prevHash,
        contentHash: commitmentRevisions.contentHash,
        hash: commitmentRevisions.hash,
      })
      .from(commitmentRevisions)
      .orderBy(asc(commitmentRevisions.seq), asc(commitmentRevisions.id)),
    retrospectives: await db.select().from(retrospectives).orderBy(created(retrospectives.createdAt), asc(retrospectives.id)),
    actionItems: await db.select().from(actionItems).orderBy(created(actionItems.createdAt), asc(actionItems.id)),
    letters: await lettersWithLedgers(db),
    letterErrata: await db.select().from(letterErrata).orderBy(created(letterErrata.createdAt), asc(letterErrata.id)),
    minScoreChanges: await db.select().from(minScoreChanges).orderBy(asc(minScoreChanges.id)),
    organisationLogo: (await db.select().from(organisationLogo).limit(1))[0] ?? null,
  };
}

/**
 * Letters as the document carries them: the frozen ledger (its rows since ADR 0047) as the
 * `ledger` array where the column stood, after sha256, so the document's shape is unchanged.
 */
async function lettersWithLedgers(db: DbOrTx) {
  const rows = await db.select().from(letters).orderBy(created(letters.createdAt), asc(letters.id));
  const out = [];
  for (const { ledgerSize: _size, previousLetterId, ...row } of rows) {
    out.push({ ...row, ledger: row.status === "published" ? ((await frozenLedgerEntries(db, row.id)) as unknown) : null, previousLetterId });
  }
  return out;
}

export type OrganisationRows = Awaited<ReturnType<typeof readOrganisationRows>>;

/** Whether anything at all is in the instance: people or an organisation. */
export async function instanceIsEmpty(db: DbOrTx): Promise<boolean> {
  const [people] = await db.select({ n: count() }).from(users);
  const [org] = await db.select({ n: count() }).from(organisation);
  return (people?.n ?? 0) === 0 && (org?.n ?? 0) === 0;
}

/** The same advisory lock first-run setup takes, so a setup and an import cannot interleave. */
export async function lockInstanceForSetup(db: DbOrTx) {
  await db.execute(sql`select pg_advisory_xact_lock(${7_200_418})`);
}

// Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table.
const CHUNK = 500;

async function insertChunked<T extends PgTable>(db: DbOrTx, table: T, rows: Array<T["$inferInsert"]>) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db.insert(table).values(rows.slice(i, i + CHUNK));
  }
}

export interface ImportRows {
  organisation: Omit<typeof organisation.$inferInsert, "id">;
  people: Array<typeof users.$inferInsert>;
  teams: Array<typeof teams.$inferInsert>;
  teamMembers: Array<typeof teamMembers.$inferInsert>;
  commitments: Array<typeof commitments.$inferInsert & { lockedByLetterAt: Date | null }>;
  checkIns: Array<typeof checkIns.$inferInsert>;
  outcomes: Array<typeof outcomes.$inferInsert>;
  revisions: Array<typeof commitmentRevisions.$inferInsert>;
  retrospectives: Array<typeof retrospectives.$inferInsert>;
  actionItems: Array<typeof actionItems.$inferInsert>;
  /** With each published letter's frozen ledger: the JSON text of its entries' array. */
  letters: Array<typeof letters.$inferInsert & { ledgerJson: string | null }>;
  letterErrata: Array<typeof letterErrata.$inferInsert>;
  minScoreChanges: Array<typeof minScoreChanges.$inferInsert>;
  organisationLogo: (typeof organisationLogo.$inferInsert) | null;
}

/**
 * Inserts the rows in the order the foreign keys and triggers need: people before anything
 * they did, teams parents first, commitments predecessors first (the caller orders
 * self-references), action items after the commitments they were promoted to, letters before
 * their errata (an erratum needs its letter published already). Only INSERTs: the
 * append-only and frozen-letter triggers refuse UPDATE and DELETE, not new rows.
 */
export async function insertOrganisationRows(db: DbOrTx, rows: ImportRows) {
  await db.insert(organisation).values({ ...rows.organisation, id: 1 });
  await insertChunked(db, users, rows.people);
  await insertChunked(db, teams, rows.teams);
  await insertChunked(db, teamMembers, rows.teamMembers);
  await insertChunked(
    db,
    commitments,
    rows.commitments.map(({ lockedByLetterAt: _lockedAt, ...row }) => row),
  );
  await insertChunked(db, checkIns, rows.checkIns);
  await insertChunked(db, outcomes, rows.outcomes);
  await insertChunked(db, commitmentRevisions, rows.revisions);
  // After the revisions: each lock lands with its "lock" revision (the lock table's guard).
  await insertChunked(
    db,
    commitmentLocks,
    rows.commitments.flatMap((c) => (c.id && c.lockedByLetterAt ? [{ commitmentId: c.id, lockedAt: c.lockedByLetterAt }] : [])),
  );
  await insertChunked(db, retrospectives, rows.retrospectives);
  await insertChunked(db, actionItems, rows.actionItems);
  await insertChunked(
    db,
    letters,
    rows.letters.map(({ ledgerJson: _json, ...row }) => row),
  );
  // A published letter's rows land in the transaction that inserts it (the rows' guard).
  for (const letter of rows.letters) if (letter.id && letter.ledgerJson !== null) await insertLedgerEntries(db, letter.id, letter.ledgerJson);
  await insertChunked(db, letterErrata, rows.letterErrata);
  await insertChunked(db, minScoreChanges, rows.minScoreChanges);
  if (rows.organisationLogo) await db.insert(organisationLogo).values({ ...rows.organisationLogo, id: 1 });
  await db.execute(
    sql`select setval(pg_get_serial_sequence('min_score_changes', 'id'), coalesce((select max(id) from ${minScoreChanges}), 0) + 1, false)`,
  );
  // Revision ids came with the rows; the next revision written here must follow them.
  await db.execute(
    sql`select setval(pg_get_serial_sequence('commitment_revisions', 'id'), coalesce((select max(id) from ${commitmentRevisions}), 0) + 1, false)`,
  );
}

// ---- for the CSV import of commitments -------------------------------------------------------

/** People by (lower-cased) email, for resolving owner columns; one query for the whole file. */
export async function usersByEmail(db: DbOrTx, emails: string[]) {
  if (emails.length === 0) return new Map<string, { id: string; active: boolean }>();
  const rows = await db
    .select({ id: users.id, email: users.email, active: users.active })
    .from(users)
    .where(inArray(users.email, emails));
  return new Map(rows.map((r) => [r.email, { id: r.id, active: r.active }]));
}
