import { and, asc, desc, eq, gt, lt, ne, Param, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { sessions, users } from "../../db/schema";
import { preparedOn } from "./prepared.server";
import { publicUserColumns, type PublicUser } from "./user.server";

export async function insertSession(
  db: DbOrTx,
  values: { tokenHash: string; userId: string; expiresAt: Date; lastSeenAt: Date; userAgent: string | null },
) {
  await db.insert(sessions).values(values);
}

/**
 * The active user behind a live session, or null: sessions past their absolute expiry or idle
 * since before `idleSince`, and deactivated people, never match.
 */
export async function findSessionUser(
  db: DbOrTx,
  tokenHash: string,
  now: Date,
  idleSince: Date,
): Promise<(PublicUser & { lastSeenAt: Date }) | null> {
  // Built once per handle: every signed-in request runs it (ADR 0061). The instants go through
  // their columns' own encoding, as they would unprepared.
  const query = preparedOn(db, "find_session_user", (on) =>
    on
      .select({ ...publicUserColumns, lastSeenAt: sessions.lastSeenAt })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(
        and(
          eq(sessions.tokenHash, sql.placeholder("tokenHash")),
          gt(sessions.expiresAt, new Param(sql.placeholder("now"), sessions.expiresAt)),
          gt(sessions.lastSeenAt, new Param(sql.placeholder("idleSince"), sessions.lastSeenAt)),
          eq(users.active, true),
        ),
      )
      .limit(1)
      .prepare("find_session_user"),
  );
  const [row] = await query.execute({ tokenHash, now, idleSince });
  return row ?? null;
}

export async function touchSession(db: DbOrTx, tokenHash: string, now: Date) {
  await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteSession(db: DbOrTx, tokenHash: string) {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteExpiredSessions(db: DbOrTx, now: Date) {
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
}

/** A person's live sessions, most recently used first (what the account page lists). */
export async function listSessionsOfUser(db: DbOrTx, userId: string, now: Date, idleSince: Date) {
  return db
    .select({
      id: sessions.id,
      tokenHash: sessions.tokenHash,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now), gt(sessions.lastSeenAt, idleSince)))
    .orderBy(desc(sessions.lastSeenAt), asc(sessions.id))
    .limit(200);
}

/**
 * Ends one session, only when it belongs to `userId` (nobody can end another person's session
 * by id) and is not the one with `exceptTokenHash` (the session asking).
 */
export async function deleteSessionOfUser(db: DbOrTx, userId: string, sessionId: string, exceptTokenHash: string): Promise<boolean> {
  const rows = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), eq(sessions.id, sessionId), ne(sessions.tokenHash, exceptTokenHash)))
    .returning({ id: sessions.id });
  return rows.length === 1;
}

/** Ends every session of `userId` except the one with `keepTokenHash`; null ends them all. */
export async function deleteOtherSessions(db: DbOrTx, userId: string, keepTokenHash: string | null): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), keepTokenHash ? ne(sessions.tokenHash, keepTokenHash) : undefined))
    .returning({ id: sessions.id });
  return rows.length;
}
