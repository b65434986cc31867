// The deletes of the daily retention sweep (app/domain/retention.ts says how long each kind of
// row is kept). Each returns how many rows went, for the sweep's log line.
import { and, inArray, isNotNull, lt, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { apiTokens, authThrottle, idempotencyKeys, mailMessages, rateLimits, sessions } from "../../db/schema";
import type { RetentionCutoffs } from "~/domain/retention";
import { deleteOldDeliveries } from "./webhook.server";

async function counted(query: Promise<unknown[]>): Promise<number> {
  return (await query).length;
}

export async function sweepExpired(db: DbOrTx, now: Date, cutoffs: RetentionCutoffs) {
  return {
    sessions: await counted(db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ k: sessions.tokenHash })),
    rateLimits: await counted(db.delete(rateLimits).where(lt(rateLimits.windowStart, cutoffs.counters)).returning({ k: rateLimits.key })),
    // A counter still holding someone off stays until its hold ends.
    authThrottle: await counted(
      db
        .delete(authThrottle)
        .where(and(lt(authThrottle.windowStartedAt, cutoffs.counters), or(sql`${authThrottle.lockedUntil} is null`, lt(authThrottle.lockedUntil, now))))
        .returning({ k: authThrottle.key }),
    ),
    idempotencyKeys: await counted(db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, cutoffs.idempotencyKeys)).returning({ k: idempotencyKeys.key })),
    apiTokens: await counted(
      db
        .delete(apiTokens)
        .where(
          or(
            and(isNotNull(apiTokens.revokedAt), lt(apiTokens.revokedAt, cutoffs.endedApiTokens)),
            and(isNotNull(apiTokens.expiresAt), lt(apiTokens.expiresAt, cutoffs.endedApiTokens)),
          ),
        )
        .returning({ k: apiTokens.id }),
    ),
    mail: await counted(
      db
        .delete(mailMessages)
        .where(and(inArray(mailMessages.status, ["sent", "outbox", "bounced"]), lt(mailMessages.createdAt, cutoffs.settledMail)))
        .returning({ k: mailMessages.id }),
    ),
    webhookDeliveries: await deleteOldDeliveries(db, cutoffs.webhookDeliveries),
  };
}
