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
 * commitment_locks (ADR 0033), read here for the `commitments` row of the query.
 */
export const lockedByLetterAt = sql<Date | null>`(select ${commitmentLocks.lockedAt} from ${commitmentLocks} where ${commitmentLocks.commitmentId} = ${commitments.id})`.mapWith(
  commitmentLocks.lockedAt,
);
