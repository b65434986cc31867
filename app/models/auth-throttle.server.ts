import { eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { authThrottle } from "../../db/schema";
import type { ThrottlePolicy, ThrottleState } from "~/domain/throttle";

export async function getThrottleStates(db: DbOrTx, keys: string[]): Promise<Map<string, ThrottleState>> {
  const rows = await db
    .select({
      key: authThrottle.key,
      failures: authThrottle.failures,
      windowStartedAt: authThrottle.windowStartedAt,
      lockedUntil: authThrottle.lockedUntil,
    })
    .from(authThrottle)
    .where(inArray(authThrottle.key, keys));
  return new Map(rows.map(({ key, ...state }) => [key, state]));
}

/**
 * Counts one failure for `key` in a single statement, so two processes failing at the same
 * moment both count: the window restarts when it has passed, and the key locks when the
 * count reaches the policy's maximum.
 */
export async function recordFailure(db: DbOrTx, key: string, policy: ThrottlePolicy, now: Date): Promise<ThrottleState> {
  const windowStart = new Date(now.getTime() - policy.windowMs);
  const lockUntil = new Date(now.getTime() + policy.lockMs);
  const stale = sql`${authThrottle.windowStartedAt} < ${windowStart.toISOString()}::timestamptz`;
  const nextFailures = sql`case when ${stale} then 1 else ${authThrottle.failures} + 1 end`;
  const [row] = await db
    .insert(authThrottle)
    .values({ key, failures: 1, windowStartedAt: now, lockedUntil: policy.maxFailures <= 1 ? lockUntil : null })
    .onConflictDoUpdate({
      target: authThrottle.key,
      set: {
        failures: nextFailures,
        windowStartedAt: sql`case when ${stale} then ${now.toISOString()}::timestamptz else ${authThrottle.windowStartedAt} end`,
        lockedUntil: sql`case when ${nextFailures} >= ${policy.maxFailures} then ${lockUntil.toISOString()}::timestamptz else ${authThrottle.lockedUntil} end`,
      },
    })
    .returning({
      failures: authThrottle.failures,
      windowStartedAt: authThrottle.windowStartedAt,
      lockedUntil: authThrottle.lockedUntil,
    });
  return row!;
}

/** Takes back one counted attempt (a sign-in that succeeded), lifting a lock it caused. */
export async function releaseAttempt(db: DbOrTx, key: string, policy: ThrottlePolicy) {
  const remaining = sql`greatest(${authThrottle.failures} - 1, 0)`;
  await db
    .update(authThrottle)
    .set({
      failures: remaining,
      lockedUntil: sql`case when ${remaining} < ${policy.maxFailures} then null else ${authThrottle.lockedUntil} end`,
    })
    .where(eq(authThrottle.key, key));
}

export async function clearThrottle(db: DbOrTx, key: string) {
  await db.delete(authThrottle).where(eq(authThrottle.key, key));
}
