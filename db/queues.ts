// Kept's background work runs on pg-boss, in the `pgboss` schema of Kept's own database.
// The schema and every queue are created here, at migrate time, by whoever runs migrations:
// pg-boss creates one table per queue, so the process that serves requests (which may run
// as a role that owns nothing) only ever reads and writes rows. See ADR 0011.
import PgBoss from "pg-boss";
import type { DatabaseHandle } from "./client";

export const QUEUE_SCHEMA = "pgboss";
/** Where a job goes once its retries are spent; admins read and retry it at Settings → Jobs. */
export const DEAD_LETTER_QUEUE = "kept-dead-letter";

interface QueueDefinition {
  /** Attempts after the first before the job is dead-lettered. */
  retryLimit: number;
  /** Seconds before the first retry; doubled (with jitter) for each next one. */
  retryDelay: number;
  /** A job still running after this long counts as failed (and is retried). */
  expireInSeconds: number;
}

export const QUEUES = {
  /** One message to one address, through SMTP or into the outbox. */
  "kept-mail": { retryLimit: 6, retryDelay: 30, expireInSeconds: 120 },
  /** Fans a published letter, an erratum or a watched commitment's change out to subscribers, a batch per job. */
  "kept-subscribers": { retryLimit: 6, retryDelay: 30, expireInSeconds: 300 },
  /** The scheduled sweeps (reminders, digests, clean-ups). */
  "kept-reminders": { retryLimit: 3, retryDelay: 60, expireInSeconds: 900 },
  "kept-digest": { retryLimit: 3, retryDelay: 60, expireInSeconds: 900 },
  /** Daily retention sweep: old delivery logs, expired sessions, counters and idempotency keys, settled mail. */
  "kept-cleanup": { retryLimit: 3, retryDelay: 60, expireInSeconds: 900 },
  /**
   * One webhook delivery. Standard Webhooks' receivers expect retries over hours: 30 s, then
   * doubling (with jitter) ten times, about 8½ hours in all, before it is dead-lettered.
   */
  "kept-webhooks": { retryLimit: 10, retryDelay: 30, expireInSeconds: 60 },
  /** Mails the event notifications (re-scoped, outcome, check-in) to those who want each by mail. */
  "kept-notify": { retryLimit: 6, retryDelay: 30, expireInSeconds: 120 },
} as const satisfies Record<string, QueueDefinition>;

export type QueueName = keyof typeof QUEUES;
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

export function isQueueName(value: unknown): value is QueueName {
  return typeof value === "string" && Object.hasOwn(QUEUES, value);
}

/** Creates or upgrades pg-boss's schema and Kept's queues. Idempotent; runs with the migrations. */
export async function installQueues(handle: DatabaseHandle): Promise<void> {
  const boss = new PgBoss({
    db: handle.sql,
    schema: QUEUE_SCHEMA,
    migrate: true,
    supervise: false,
    schedule: false,
  });
  await boss.start();
  try {
    await boss.createQueue(DEAD_LETTER_QUEUE, { name: DEAD_LETTER_QUEUE, retentionMinutes: 60 * 24 * 30 });
    for (const name of QUEUE_NAMES) {
      const { retryLimit, retryDelay, expireInSeconds } = QUEUES[name];
      const options = { name, retryLimit, retryDelay, retryBackoff: true, expireInSeconds, deadLetter: DEAD_LETTER_QUEUE };
      await boss.createQueue(name, options);
      // A queue that exists already takes the definition above: changing it here is enough.
      await boss.updateQueue(name, options);
    }
    // The scheduler's own queue: created here too, so a runtime role never needs CREATE.
    await boss.createQueue("__pgboss__send-it", { name: "__pgboss__send-it" });
  } finally {
    await boss.stop({ graceful: false, close: false });
  }
}
