import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { accountLinks, users, type AccountLinkPurpose } from "../../db/schema";

/** Revokes the person's open link, if any, so a new one can be issued (one open link each). */
export async function revokeOpenLinks(db: DbOrTx, userId: string, now: Date): Promise<number> {
  const rows = await db
    .update(accountLinks)
    .set({ revokedAt: now })
    .where(and(eq(accountLinks.userId, userId), isNull(accountLinks.usedAt), isNull(accountLinks.revokedAt)))
    .returning({ id: accountLinks.id });
  return rows.length;
}

export async function insertAccountLink(
  db: DbOrTx,
  values: { userId: string; purpose: AccountLinkPurpose; tokenHash: string; createdBy: string | null; createdAt: Date; expiresAt: Date },
) {
  const [row] = await db.insert(accountLinks).values(values).returning({ id: accountLinks.id, expiresAt: accountLinks.expiresAt });
  return row!;
}

/**
 * The link behind a token hash with the person it belongs to. `forUpdate` locks the row so
 * two tabs submitting the same link are served one after the other: the second sees it used.
 */
export async function findAccountLink(db: DbOrTx, tokenHash: string, options: { forUpdate?: boolean } = {}) {
  const query = db
    .select({
      id: accountLinks.id,
      userId: accountLinks.userId,
      purpose: accountLinks.purpose,
      expiresAt: accountLinks.expiresAt,
      usedAt: accountLinks.usedAt,
      revokedAt: accountLinks.revokedAt,
      name: users.name,
      email: users.email,
      active: users.active,
    })
    .from(accountLinks)
    .innerJoin(users, eq(users.id, accountLinks.userId))
    .where(eq(accountLinks.tokenHash, tokenHash))
    .limit(1);
  const [row] = options.forUpdate ? await query.for("update", { of: accountLinks }) : await query;
  return row ?? null;
}

export async function markAccountLinkUsed(db: DbOrTx, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(accountLinks)
    .set({ usedAt: now })
    .where(and(eq(accountLinks.id, id), isNull(accountLinks.usedAt), isNull(accountLinks.revokedAt)))
    .returning({ id: accountLinks.id });
  return rows.length === 1;
}

/** The person's open (unused, unrevoked) link, expired or not. */
export async function openLinkOf(db: DbOrTx, userId: string) {
  const [row] = await db
    .select({ id: accountLinks.id, purpose: accountLinks.purpose, expiresAt: accountLinks.expiresAt, createdAt: accountLinks.createdAt })
    .from(accountLinks)
    .where(and(eq(accountLinks.userId, userId), isNull(accountLinks.usedAt), isNull(accountLinks.revokedAt)))
    .orderBy(desc(accountLinks.createdAt))
    .limit(1);
  return row ?? null;
}

/** Of these people, the ones who have never set a password and hold an open invitation. */
export async function invitedAmong(db: DbOrTx, userIds: string[]): Promise<Map<string, Date>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .select({ userId: accountLinks.userId, expiresAt: accountLinks.expiresAt })
    .from(accountLinks)
    .innerJoin(users, eq(users.id, accountLinks.userId))
    .where(
      and(
        inArray(accountLinks.userId, userIds),
        eq(accountLinks.purpose, "invitation"),
        isNull(accountLinks.usedAt),
        isNull(accountLinks.revokedAt),
        sql`${users.passwordHash} like '!%'`,
      ),
    );
  return new Map(rows.map((r) => [r.userId, r.expiresAt]));
}
