import { commitments } from "../../db/schema";

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
