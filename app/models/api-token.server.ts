import { and, desc, eq, isNull, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { apiTokens, idempotencyKeys, rateLimits, users } from "../../db/schema";
import { rowsOf } from "./rows.server";

export const tokenColumns = {
  id: apiTokens.id,
  userId: apiTokens.userId,
  name: apiTokens.name,
  prefix: apiTokens.prefix,
  scope: apiTokens.scope,
  expiresAt: apiTokens.expiresAt,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
};

export async function insertToken(
  db: DbOrTx,
  values: { userId: string; name: string; prefix: string; secretHash: string; scope: "read" | "write"; expiresAt: Date | null; createdAt: Date },
) {
  const [row] = await db.insert(apiTokens).values(values).returning(tokenColumns);
  return row!;
}

/** The token row behind a prefix, with its owner, for authentication. */
export async function findTokenByPrefix(db: DbOrTx, prefix: string) {
  const [row] = await db
    .select({
      ...tokenColumns,
      secretHash: apiTokens.secretHash,
      user: { id: users.id, name: users.name, email: users.email, role: users.role, active: users.active },
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.prefix, prefix))
    .limit(1);
  return row ?? null;
}

export async function listTokensOfUser(db: DbOrTx, userId: string, limit = 200) {
  return db.select(tokenColumns).from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.createdAt)).limit(limit);
}

export async function getToken(db: DbOrTx, id: string) {
  const [row] = await db.select(tokenColumns).from(apiTokens).where(eq(apiTokens.id, id)).limit(1);
  return row ?? null;
}

export async function markRevoked(db: DbOrTx, id: string, by: string, now: Date) {
  await db.update(apiTokens).set({ revokedAt: now, revokedBy: by }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
}

/** How often a token's last use is written: reads must not each turn into a write. */
export const TOKEN_TOUCH_EVERY_MS = 60_000;

/**
 * Counts one API request of a token in the current fixed window and returns the count so far;
 * when `touchAt` is given, also records the token's last use, in the same statement, with
 * the same once-a-minute guard, so an API read costs one write statement, not two.
 */
export async function countTokenRequest(db: DbOrTx, tokenId: string, windowStart: Date, touchAt: Date | null): Promise<number> {
  const counted = sql`
    insert into ${rateLimits} (key, window_start, count) values (${`token:${tokenId}`}, ${windowStart.toISOString()}::timestamptz, 1)
    on conflict (key, window_start) do update set count = ${rateLimits}.count + 1
    returning count`;
  const statement = touchAt
    ? sql`with touched as (
        update ${apiTokens} set last_used_at = ${touchAt.toISOString()}::timestamptz
        where id = ${tokenId}::uuid
          and (last_used_at is null or last_used_at < ${new Date(touchAt.getTime() - TOKEN_TOUCH_EVERY_MS).toISOString()}::timestamptz)
        returning 1)
      ${counted}`
    : counted;
  const [row] = rowsOf<{ count: number }>(await db.execute(statement));
  return Number(row?.count ?? 1);
}

/** Counts one request in the current fixed window and returns the count so far. */
export async function countRequest(db: DbOrTx, key: string, windowStart: Date): Promise<number> {
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart, count: 1 })
    .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { count: sql`${rateLimits.count} + 1` } })
    .returning({ count: rateLimits.count });
  return row?.count ?? 1;
}

export async function deleteOldRateWindows(db: DbOrTx, before: Date) {
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, before));
}

// ---- idempotency -------------------------------------------------------------------------

export async function claimIdempotencyKey(
  db: DbOrTx,
  values: { userId: string; key: string; method: string; path: string; requestHash: string; createdAt: Date },
): Promise<boolean> {
  const rows = await db.insert(idempotencyKeys).values(values).onConflictDoNothing().returning({ key: idempotencyKeys.key });
  return rows.length > 0;
}

export async function getIdempotencyKey(db: DbOrTx, userId: string, key: string) {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)))
    .limit(1);
  return row ?? null;
}

export async function completeIdempotencyKey(db: DbOrTx, userId: string, key: string, status: number, body: unknown, headers: Record<string, string> = {}) {
  await db
    .update(idempotencyKeys)
    .set({ status, responseBody: body, responseHeaders: headers })
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
}

/**
 * Sweeps keys past their retention: this person's (so their own old key can be used afresh)
 * and a bounded batch of anyone's, so the table stays small without a separate job.
 */
export async function deleteExpiredIdempotencyKeys(db: DbOrTx, userId: string, before: Date) {
  await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.userId, userId), lt(idempotencyKeys.createdAt, before)));
  await db.execute(sql`
    delete from idempotency_keys where (user_id, key) in (
      select user_id, key from idempotency_keys where created_at < ${before.toISOString()}::timestamptz limit 100
    )`);
}
