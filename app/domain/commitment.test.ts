import { describe, expect, it } from "vitest";
import { describeMeasure, diffFields, isLocked, isRescope, normaliseTags, rescopeView, type CommitmentFields } from "./commitment";

const base: CommitmentFields = {
  statement: "Serve checkout p95 under 300 ms",
  details: "",
  measureKind: "metric",
  metricName: "p95 checkout latency",
  metricBaseline: 900,
  metricComparator: "lte",
  metricTarget: 300,
  metricUnit: "ms",
  deliverableEvent: null,
  evidenceSource: "Grafana dashboard",
  dueDate: "2026-06-30",
  periodLabel: "FY2026-Q2",
  teamId: "t1",
  ownerId: "u1",
  audience: "public",
  tags: ["Reliability"],
};

describe("diffFields and isRescope", () => {
  it("finds no change in identical fields (tags compared by value)", () => {
    expect(diffFields(base, { ...base, tags: ["Reliability"] })).toEqual([]);
  });

  it.each([
    ["statement", { statement: "Serve checkout p95 under 400 ms" }, true],
    ["target", { metricTarget: 400 }, true],
    ["due date", { dueDate: "2026-07-31" }, true],
    ["period", { periodLabel: "FY2026-Q3" }, true],
    ["audience", { audience: "internal" as const }, true],
    ["details", { details: "More context" }, false],
    ["owner", { ownerId: "u2" }, false],
    ["tags", { tags: ["Reliability", "Cost"] }, false],
    ["evidence", { evidenceSource: "Status page" }, false],
  ])("a change of %s is a re-scope: %s", (_name, patch, rescope) => {
    const changes = diffFields(base, { ...base, ...patch });
    expect(changes).toHaveLength(1);
    expect(isRescope(changes)).toBe(rescope);
  });
});

describe("isLocked", () => {
  it.each([
    ["before the period starts", "2026-04-01", null, "2026-03-31", false],
    ["on the first day of the period", "2026-04-01", null, "2026-04-01", true],
    ["after the period started", "2026-04-01", null, "2026-05-10", true],
    ["included in a published letter before its period", "2027-01-01", new Date("2026-12-01T00:00:00Z"), "2026-12-02", true],
  ])("%s", (_name, periodStart, lockedByLetterAt, today, expected) => {
    expect(isLocked({ periodStart, lockedByLetterAt }, today)).toBe(expected);
  });
});

describe("describeMeasure", () => {
  it("writes a metric the way a reader says it", () => {
    expect(describeMeasure({ kind: "metric", name: "p95 latency", baseline: 900, comparator: "lte", target: 300, unit: "ms" })).toBe(
      "p95 latency ≤ 300 ms (from 900 ms)",
    );
    expect(describeMeasure({ kind: "metric", name: "Uptime", baseline: null, comparator: "gte", target: 99.95, unit: "%" })).toBe("Uptime ≥ 99.95%");
  });
  it("uses the deliverable's observable event", () => {
    expect(describeMeasure({ kind: "deliverable", event: "generally available in eu-west-1" })).toBe("generally available in eu-west-1");
  });
});

describe("normaliseTags", () => {
  it("trims, drops empties and case-insensitive duplicates, keeps order", () => {
    expect(normaliseTags(" Reliability, cost ,, reliability,  Security  team ")).toEqual(["Reliability", "cost", "Security team"]);
  });
});

describe("rescopeView", () => {
  it("shows the first committed value beside the current one, with each re-scope's reason", () => {
    const revisions = [
      { kind: "create", at: "2026-01-05T10:00:00Z", actorName: "Ada", reason: null, changes: [{ field: "metricTarget", from: null, to: 300 }, { field: "dueDate", from: null, to: "2026-06-30" }] },
      { kind: "rescope", at: "2026-04-10T10:00:00Z", actorName: "Bo", reason: "Vendor delay", changes: [{ field: "metricTarget", from: 300, to: 400 }] },
      { kind: "edit", at: "2026-04-11T10:00:00Z", actorName: "Bo", reason: null, changes: [{ field: "details", from: "", to: "x" }] },
      { kind: "rescope", at: "2026-05-01T10:00:00Z", actorName: "Cy", reason: "Scope cut", changes: [{ field: "metricTarget", from: 400, to: 450 }, { field: "dueDate", from: "2026-06-30", to: "2026-07-31" }] },
    ];
    const view = rescopeView(revisions, { ...base, metricTarget: 450, dueDate: "2026-07-31" });
    expect(view?.rows).toEqual([
      { field: "metricTarget", label: "Target", original: 300, current: 450 },
      { field: "dueDate", label: "Due date", original: "2026-06-30", current: "2026-07-31" },
    ]);
    expect(view?.events.map((e) => e.reason)).toEqual(["Vendor delay", "Scope cut"]);
  });

  it("is null when nothing was re-scoped", () => {
    expect(rescopeView([{ kind: "create", at: "2026-01-01", actorName: null, reason: null, changes: [] }], base)).toBeNull();
  });
});
