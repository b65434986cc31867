import { sql } from "drizzle-orm";
import { commitmentLocks, commitments } from "../../db/schema";

/** What measureOf() needs to describe a commitment's measure: one list for every query that selects it. */
export const measureColumns = {
  measureKind: commitments.measureKind,
  metricName: commitments.metricName,
  metricBaseline: commitments.metricBaseline,
  metricComparator: commitments.metricComparator,
  metricTarget: commitments.metricTarget,
  metricUnit: commitments.metricUnit,
  deliverableEvent: commitments.deliverableEvent,
};

/**
 * When a published letter locked the commitment, or null: the lock is kept beside the row in
 * commitment_locks (ADR 0033), read here for the `commitments` row of the query. Written with
 * the table's name in full: drizzle leaves columns unqualified in a one-table query, and the
 * subquery must name the outer row whatever the query looks like.
 */
export const lockedByLetterAt = sql<Date | null>`(select l.locked_at from commitment_locks l where l.commitment_id = "commitments"."id")`.mapWith(commitmentLocks.lockedAt);
