// The form, the JSON API and (through the form's schema) the CSV import hold a commitment's
// fields to the same limits: each accepts a value at the limit and refuses one past it.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { COMMITMENT_LIMITS as LIMITS } from "~/domain/commitment";
import { CarryForwardWriteSchema, CheckInWriteSchema, CommitmentWriteSchema, OutcomeWriteSchema } from "~/api/schemas/core";
import { CarryForwardSchema, CheckInSchema, CommitmentFormSchema, OutcomeFormSchema } from "./commitments";

const teamId = randomUUID();
const formMetric = {
  statement: "Serve checkout under 300 ms",
  measureKind: "metric",
  metricName: "p95 latency",
  metricComparator: "lte",
  metricTarget: "300",
  metricUnit: "ms",
  dueDate: "2026-09-30",
  periodLabel: "FY2026-Q3",
  teamId,
  audience: "public",
};
const apiMetric = {
  statement: "Serve checkout under 300 ms",
  measure: { kind: "metric", name: "p95 latency", comparator: "lte", target: 300, unit: "ms" },
  dueDate: "2026-09-30",
  periodLabel: "FY2026-Q3",
  teamId,
  audience: "public",
};
const formDeliverable = { ...formMetric, measureKind: "deliverable", deliverableEvent: "Generally available" };
const apiDeliverable = { ...apiMetric, measure: { kind: "deliverable", event: "Generally available" } };

const chars = (n: number) => "x".repeat(n);

// [limit, form input with a value of length n, API input with a value of length n]
const cases: Array<[string, number, (n: number) => unknown, (n: number) => unknown]> = [
  ["statement", LIMITS.statement, (n) => ({ ...formMetric, statement: chars(n) }), (n) => ({ ...apiMetric, statement: chars(n) })],
  ["details", LIMITS.details, (n) => ({ ...formMetric, details: chars(n) }), (n) => ({ ...apiMetric, details: chars(n) })],
  ["metricName", LIMITS.metricName, (n) => ({ ...formMetric, metricName: chars(n) }), (n) => ({ ...apiMetric, measure: { ...apiMetric.measure, name: chars(n) } })],
  ["metricUnit", LIMITS.metricUnit, (n) => ({ ...formMetric, metricUnit: chars(n) }), (n) => ({ ...apiMetric, measure: { ...apiMetric.measure, unit: chars(n) } })],
  ["deliverableEvent", LIMITS.deliverableEvent, (n) => ({ ...formDeliverable, deliverableEvent: chars(n) }), (n) => ({ ...apiDeliverable, measure: { kind: "deliverable", event: chars(n) } })],
  ["evidenceSource", LIMITS.evidenceSource, (n) => ({ ...formMetric, evidenceSource: chars(n) }), (n) => ({ ...apiMetric, evidenceSource: chars(n) })],
  ["a theme", LIMITS.tag, (n) => ({ ...formMetric, tags: chars(n) }), (n) => ({ ...apiMetric, tags: [chars(n)] })],
  [
    "the number of themes",
    LIMITS.tags,
    (n) => ({ ...formMetric, tags: Array.from({ length: n }, (_, i) => `t${i}`).join(", ") }),
    (n) => ({ ...apiMetric, tags: Array.from({ length: n }, (_, i) => `t${i}`) }),
  ],
];

describe("a commitment's limits, the same in the form (and CSV import) and the API", () => {
  it.each(cases)("%s: %i", (_field, limit, form, api) => {
    expect(CommitmentFormSchema.safeParse(form(limit)).success).toBe(true);
    expect(CommitmentWriteSchema.safeParse(api(limit)).success).toBe(true);
    expect(CommitmentFormSchema.safeParse(form(limit + 1)).success).toBe(false);
    expect(CommitmentWriteSchema.safeParse(api(limit + 1)).success).toBe(false);
  });

  it("holds a check-in's note, an outcome's texts and a carried-forward statement to the same limits", () => {
    const checkIn = { date: "2026-05-01", forecast: "on_track", probability: "80" };
    expect(CheckInSchema.safeParse({ intent: "check-in", ...checkIn, note: chars(LIMITS.checkInNote) }).success).toBe(true);
    expect(CheckInSchema.safeParse({ intent: "check-in", ...checkIn, note: chars(LIMITS.checkInNote + 1) }).success).toBe(false);
    const apiCheckIn = { date: "2026-05-01", forecast: "on_track", probability: 80 };
    expect(CheckInWriteSchema.safeParse({ ...apiCheckIn, note: chars(LIMITS.checkInNote) }).success).toBe(true);
    expect(CheckInWriteSchema.safeParse({ ...apiCheckIn, note: chars(LIMITS.checkInNote + 1) }).success).toBe(false);

    const outcome = { intent: "outcome", version: "1", status: "missed", resolvedAt: "2026-09-30" };
    for (const [field, limit] of [["lesson", LIMITS.lesson], ["partialDescription", LIMITS.partialDescription]] as const) {
      expect(OutcomeFormSchema.safeParse({ ...outcome, [field]: chars(limit + 1) }).success).toBe(false);
      expect(OutcomeWriteSchema.safeParse({ status: "missed", resolvedAt: "2026-09-30", [field]: chars(limit + 1) }).success).toBe(false);
      expect(OutcomeWriteSchema.safeParse({ status: "missed", resolvedAt: "2026-09-30", [field]: chars(limit) }).success).toBe(true);
    }

    const carry = { intent: "carry-forward", version: "1", periodLabel: "FY2026-Q4", dueDate: "2026-12-31" };
    expect(CarryForwardSchema.safeParse({ ...carry, statement: chars(LIMITS.statement + 1) }).success).toBe(false);
    expect(CarryForwardWriteSchema.safeParse({ periodLabel: "FY2026-Q4", dueDate: "2026-12-31", statement: chars(LIMITS.statement) }).success).toBe(true);
    expect(CarryForwardWriteSchema.safeParse({ periodLabel: "FY2026-Q4", dueDate: "2026-12-31", statement: chars(LIMITS.statement + 1) }).success).toBe(false);
  });
});
