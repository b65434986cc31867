import { and, eq, gt, lt } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { sessions, users } from "../../db/schema";
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
  const [row] = await db
    .select({ ...publicUserColumns, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now), gt(sessions.lastSeenAt, idleSince), eq(users.active, true)))
    .limit(1);
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
