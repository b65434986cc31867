// How long Kept keeps what is not the record: logs, counters and settled messages. The record
// itself (commitments, history, outcomes, letters) is never swept. One definition, read by the
// daily `kept-cleanup` sweep and stated in the README.
const DAY = 24 * 60 * 60_000;

export const RETENTION_DAYS = {
  /** Webhook deliveries that succeeded or failed for good, with every attempt of each. */
  webhookDeliveries: 30,
  /** Mail that was sent, kept in the outbox, or bounced. */
  settledMail: 90,
  /** API tokens that expired or were revoked (the list of one's tokens shows them until then). */
  endedApiTokens: 90,
  /** Rate-limit windows (a minute or an hour each) and sign-in throttling counters not locking anyone. */
  counters: 1,
  /** Idempotency keys: answers are replayed for 24 hours (ADR 0010). */
  idempotencyKeys: 1,
} as const;

export type RetentionCutoffs = { [K in keyof typeof RETENTION_DAYS]: Date };

/** The instant before which each kind of row is removed, for a sweep running at `now`. */
export function retentionCutoffs(now: Date): RetentionCutoffs {
  const entries = Object.entries(RETENTION_DAYS).map(([key, days]) => [key, new Date(now.getTime() - days * DAY)]);
  return Object.fromEntries(entries) as RetentionCutoffs;
}
