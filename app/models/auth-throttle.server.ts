import { eq, sql } from "drizzle-orm";
import type { Database, DbOrTx } from "../../db/client";
import { authThrottle } from "../../db/schema";
import { decideAttempt, type AttemptDecision, type ThrottlePolicy } from "~/domain/throttle";

/**
 * Takes one attempt on `key` under `policy`: the row is locked while the decision is made, so
 * two processes attempting at the same moment are counted one after the other.
 */
export async function takeAttempt(db: Database, key: string, policy: ThrottlePolicy, now: Date): Promise<AttemptDecision> {
  return db.transaction(async (tx) => {
    await tx.insert(authThrottle).values({ key, failures: 0, windowStartedAt: now, lockedUntil: null }).onConflictDoNothing();
    const [row] = await tx
      .select({ failures: authThrottle.failures, windowStartedAt: authThrottle.windowStartedAt, lockedUntil: authThrottle.lockedUntil })
      .from(authThrottle)
      .where(eq(authThrottle.key, key))
      .for("update");
    const decision = decideAttempt(policy, row, now);
    if (decision.allowed) await tx.update(authThrottle).set(decision.next).where(eq(authThrottle.key, key));
    return decision;
  });
}

/** Takes back one counted attempt (a sign-in that succeeded or never ran), lifting a hold it caused. */
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

export async function clearThrottle(db: DbOrTx, keys: string[]) {
  for (const key of keys) await db.delete(authThrottle).where(eq(authThrottle.key, key));
}
