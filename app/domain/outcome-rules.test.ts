import { describe, expect, it } from "vitest";

import {
  diffOutcome,
  outcomeDueSoon,
  outcomeTiming,
  distanceFromTarget,
  lateness,
  metTarget,
  outcomeChangeNeedsReason,
  validateOutcome,
  type OutcomeDraft,
} from "./outcome-rules";
import type { Measure, MetricMeasure, Outcome } from "./types";

const delivered: Outcome = {
  status: "delivered",
  resolvedAt: "2025-03-31",
  actualValue: 120,
  evidenceUrl: "https://example.com/release-notes",
  partialDescription: null,
  reasonCategory: null,
  control: null,
  explanation: null,
  lesson: null,
};

const shortfall = {
  resolvedAt: "2025-03-31",
  actualValue: null,
  evidenceUrl: null,
  partialDescription: null,
  reasonCategory: "underestimated_scope",
  control: "ours",
  explanation: "The migration touched twice as many services as planned.",
  lesson: "Inventory dependencies before committing to a date.",
} as const;

const partial: Outcome = { ...shortfall, status: "partial", partialDescription: "EU region only" };
const missed: Outcome = { ...shortfall, status: "missed" };
const withdrawn: Outcome = { ...shortfall, status: "withdrawn", reasonCategory: "deprioritised" };

function errorsOf(draft: OutcomeDraft, opts?: { today?: string }) {
  const result = validateOutcome(draft, opts);
  return result.ok ? {} : result.errors;
}

describe("validateOutcome", () => {
  it.each([
    ["delivered", delivered],
    ["partial", partial],
    ["missed", missed],
    ["withdrawn", withdrawn],
  ])("accepts a complete %s outcome unchanged", (_, outcome) => {
    expect(validateOutcome(outcome)).toEqual({ ok: true, outcome });
  });

  it("trims strings and turns blanks into null", () => {
    const result = validateOutcome({
      ...missed,
      resolvedAt: " 2025-03-31 ",
      explanation: "  Ran out of time.  ",
      evidenceUrl: "   ",
      partialDescription: "",
    });
    expect(result).toEqual({
      ok: true,
      outcome: { ...missed, explanation: "Ran out of time.", evidenceUrl: null, partialDescription: null },
    });
  });

  it("keeps an optional evidence link on a miss, such as a post-mortem", () => {
    const result = validateOutcome({ ...missed, evidenceUrl: "http://wiki.example.com/postmortem" });
    expect(result.ok).toBe(true);
  });

  it.each<[string, OutcomeDraft, keyof Outcome]>([
    ["no status", { ...delivered, status: null }, "status"],
    ["an unknown status", { ...delivered, status: "done" }, "status"],
    ["no resolved date", { ...delivered, resolvedAt: null }, "resolvedAt"],
    ["a blank resolved date", { ...delivered, resolvedAt: "  " }, "resolvedAt"],
    ["a resolved date that is not a real day", { ...delivered, resolvedAt: "2025-02-30" }, "resolvedAt"],
    ["a resolved date in another format", { ...delivered, resolvedAt: "31/03/2025" }, "resolvedAt"],
    ["a non-finite actual value", { ...delivered, actualValue: Number.NaN }, "actualValue"],
    ["delivered without evidence", { ...delivered, evidenceUrl: null }, "evidenceUrl"],
    ["delivered with blank evidence", { ...delivered, evidenceUrl: "  " }, "evidenceUrl"],
    ["a javascript: evidence link", { ...delivered, evidenceUrl: "javascript:alert(1)" }, "evidenceUrl"],
    ["a data: evidence link", { ...delivered, evidenceUrl: "data:text/html,<b>hi</b>" }, "evidenceUrl"],
    ["an evidence link that is not a URL", { ...delivered, evidenceUrl: "see the wiki" }, "evidenceUrl"],
    ["a javascript: link even on a miss", { ...missed, evidenceUrl: "javascript:alert(1)" }, "evidenceUrl"],
    ["delivered with a reason category", { ...delivered, reasonCategory: "deprioritised" }, "reasonCategory"],
    ["delivered with a control", { ...delivered, control: "ours" }, "control"],
    ["a part description on a miss", { ...missed, partialDescription: "half" }, "partialDescription"],
    ["partial without saying which part", { ...partial, partialDescription: " " }, "partialDescription"],
    ["partial without a reason", { ...partial, reasonCategory: null }, "reasonCategory"],
    ["partial without control", { ...partial, control: null }, "control"],
    ["partial without an explanation", { ...partial, explanation: "" }, "explanation"],
    ["partial without a lesson", { ...partial, lesson: null }, "lesson"],
    ["missed without a reason", { ...missed, reasonCategory: null }, "reasonCategory"],
    ["missed with an unknown reason", { ...missed, reasonCategory: "bad_luck" }, "reasonCategory"],
    ["missed without control", { ...missed, control: null }, "control"],
    ["missed with an unknown control", { ...missed, control: "theirs" }, "control"],
    ["missed without an explanation", { ...missed, explanation: "   " }, "explanation"],
    ["missed without a lesson", { ...missed, lesson: null }, "lesson"],
    ["withdrawn without a reason", { ...withdrawn, reasonCategory: null }, "reasonCategory"],
    ["withdrawn without control", { ...withdrawn, control: null }, "control"],
    ["withdrawn without an explanation", { ...withdrawn, explanation: null }, "explanation"],
    ["withdrawn without a lesson", { ...withdrawn, lesson: "" }, "lesson"],
  ])("rejects %s with a message on that field only", (_, draft, field) => {
    const errors = errorsOf(draft);
    expect(Object.keys(errors)).toEqual([field]);
    // Messages are sentences a person can act on, not codes.
    expect(errors[field]).toMatch(/^[A-Z].*\.$/);
  });

  it("reports every missing field of a shortfall at once", () => {
    const errors = errorsOf({ status: "partial", resolvedAt: "2025-03-31" });
    expect(Object.keys(errors).sort()).toEqual(
      ["control", "explanation", "lesson", "partialDescription", "reasonCategory"].sort(),
    );
  });

  it("asks only for the status and date when the draft is empty", () => {
    expect(Object.keys(errorsOf({})).sort()).toEqual(["resolvedAt", "status"]);
  });

  it("rejects a resolved date after today only when today is given", () => {
    const draft = { ...delivered, resolvedAt: "2025-04-01" };
    expect(errorsOf(draft, { today: "2025-03-31" }).resolvedAt).toContain("2025-03-31");
    expect(validateOutcome(draft, { today: "2025-04-01" }).ok).toBe(true);
    expect(validateOutcome(draft).ok).toBe(true);
  });
});

describe("validateOutcome: resolved date", () => {
  it.each([
    ["2024-02-29", true], // leap day
    ["2025-02-29", false],
    ["2025-13-01", false],
    ["2025-1-01", false],
    ["2025-01-01T00:00:00Z", false],
    ["", false],
  ])("%s is accepted: %s", (value, expected) => {
    expect(validateOutcome({ ...delivered, resolvedAt: value }).ok).toBe(expected);
  });
});

describe("lateness", () => {
  it.each<[string | null, string, { late: boolean; daysLate: number }]>([
    ["2025-03-31", "2025-03-31", { late: false, daysLate: 0 }], // on the due date is on time
    ["2025-03-31", "2025-03-01", { late: false, daysLate: 0 }], // early is not negative lateness
    ["2025-03-31", "2025-04-01", { late: true, daysLate: 1 }],
    ["2025-03-31", "2025-04-14", { late: true, daysLate: 14 }], // 31 Mar → 14 Apr
    ["2024-02-28", "2024-03-01", { late: true, daysLate: 2 }], // via 29 Feb in a leap year
    ["2025-03-29", "2025-03-31", { late: true, daysLate: 2 }], // across the EU clock change: still whole days
    ["2024-12-31", "2025-01-02", { late: true, daysLate: 2 }],
    [null, "2025-03-31", { late: false, daysLate: 0 }], // no due date, nothing to be late for
  ])("due %s, resolved %s", (due, resolved, expected) => {
    expect(lateness(due, resolved)).toEqual(expected);
  });
});

describe("outcomeChangeNeedsReason", () => {
  it("needs no reason for the first outcome", () => {
    expect(outcomeChangeNeedsReason(null)).toBe(false);
  });
  it("needs a written reason to change a recorded outcome", () => {
    expect(outcomeChangeNeedsReason(missed)).toBe(true);
  });
});

describe("diffOutcome", () => {
  it("is empty when nothing changed", () => {
    expect(diffOutcome(missed, { ...missed })).toEqual([]);
  });

  it("lists changed fields in a stable order", () => {
    const after: Outcome = { ...missed, lesson: "Spike first.", status: "withdrawn", resolvedAt: "2025-04-02" };
    expect(diffOutcome(missed, after)).toEqual([
      { field: "status", from: "missed", to: "withdrawn" },
      { field: "resolvedAt", from: "2025-03-31", to: "2025-04-02" },
      { field: "lesson", from: missed.lesson, to: "Spike first." },
    ]);
  });

  it("reports every field that has a value when there was no outcome before", () => {
    expect(diffOutcome(null, delivered)).toEqual([
      { field: "status", from: null, to: "delivered" },
      { field: "resolvedAt", from: null, to: "2025-03-31" },
      { field: "actualValue", from: null, to: 120 },
      { field: "evidenceUrl", from: null, to: "https://example.com/release-notes" },
    ]);
  });

  it("notices a value cleared to null", () => {
    expect(diffOutcome(delivered, { ...delivered, actualValue: null })).toEqual([
      { field: "actualValue", from: 120, to: null },
    ]);
  });
});

function metric(comparator: MetricMeasure["comparator"], target: number | null, baseline: number | null = null): Measure {
  return { kind: "metric", name: "m", unit: "", comparator, target, baseline };
}

describe("metTarget", () => {
  it.each<[string, Measure, number | null, boolean | null]>([
    ["gte above", metric("gte", 100), 101, true],
    ["gte exactly", metric("gte", 100), 100, true],
    ["gte below", metric("gte", 100), 99.9, false],
    ["lte below", metric("lte", 200), 150, true],
    ["lte exactly", metric("lte", 200), 200, true],
    ["lte above", metric("lte", 200), 200.1, false],
    ["eq exactly", metric("eq", 99.9), 99.9, true],
    ["eq a hair off (no tolerance)", metric("eq", 99.9), 99.90001, false],
    ["eq below", metric("eq", 5), 4, false],
    ["no actual", metric("gte", 100), null, null],
    ["no target", metric("gte", null), 5, null],
    ["non-finite actual", metric("gte", 100), Number.NaN, null],
    ["deliverable", { kind: "deliverable", event: "GA in eu-west-1" }, 1, null],
  ])("%s", (_, measure, actual, expected) => {
    expect(metTarget(measure, actual)).toBe(expected);
  });
});

describe("distanceFromTarget", () => {
  it.each<[string, Measure, number | null, number | null]>([
    // gte with baseline: shortfall 200 − 150 = 50, promised movement |200 − 100| = 100 → 0.5
    ["gte, half the promised gain", metric("gte", 200, 100), 150, 0.5],
    ["gte, met", metric("gte", 200, 100), 250, 0],
    // gte, no baseline: 50 short of 200, scaled by |target| → 50 / 200 = 0.25
    ["gte, no baseline", metric("gte", 200), 150, 0.25],
    // gte, went backwards: baseline 100, target 110, actual 90 → (110 − 90) / 10 = 2
    ["gte, went backwards", metric("gte", 110, 100), 90, 2],
    // lte with baseline: 500 ms → ≤ 300 ms, actual 400 → (400 − 300) / 200 = 0.5
    ["lte, half the promised cut", metric("lte", 300, 500), 400, 0.5],
    ["lte, met", metric("lte", 300, 500), 280, 0],
    // lte to zero, no baseline: scale falls back to 1 → 3 incidents is a distance of 3
    ["lte to zero", metric("lte", 0), 3, 3],
    // lte to zero with a baseline of 12 incidents: 3 / 12 = 0.25
    ["lte to zero with baseline", metric("lte", 0, 12), 3, 0.25],
    // eq is two-sided: |40 − 50| / |50 − 30| = 10 / 20 = 0.5, and the same above
    ["eq below", metric("eq", 50, 30), 40, 0.5],
    ["eq above", metric("eq", 50, 30), 60, 0.5],
    ["eq met", metric("eq", 50, 30), 50, 0],
    // baseline equal to target gives no movement to scale by, so |target| is used: 20 / 80 = 0.25
    ["baseline equals target", metric("gte", 80, 80), 60, 0.25],
    // negative target scales by its magnitude: (−10 − (−20)) / 10 = 1
    ["negative target", metric("gte", -10), -20, 1],
    ["no actual", metric("gte", 200, 100), null, null],
    ["no target", metric("gte", null, 100), 150, null],
    ["deliverable", { kind: "deliverable", event: "launched" }, 1, null],
  ])("%s", (_, measure, actual, expected) => {
    const d = distanceFromTarget(measure, actual);
    if (expected === null) expect(d).toBeNull();
    else expect(d).toBeCloseTo(expected, 12);
  });

  it("ranks a bigger miss further than a smaller one", () => {
    const m = metric("gte", 200, 100);
    // 90 / 100 against 10 / 100
    expect(distanceFromTarget(m, 110) ?? 0).toBeGreaterThan(distanceFromTarget(m, 190) ?? Infinity);
  });
});

describe("outcomeTiming", () => {
  it("calls a miss before the due date early, never on time", () => {
    expect(outcomeTiming("missed", "2026-06-30", "2026-06-18")).toEqual({ late: false, text: "12 days before the due date" });
    expect(outcomeTiming("withdrawn", "2026-06-30", "2026-06-29")).toEqual({ late: false, text: "1 day before the due date" });
    expect(outcomeTiming("missed", "2026-06-30", "2026-06-30")).toEqual({ late: false, text: "on the due date" });
  });
  it("says on time only for what was delivered by the due date, and late after it", () => {
    expect(outcomeTiming("delivered", "2026-06-30", "2026-06-01")).toEqual({ late: false, text: "on time" });
    expect(outcomeTiming("partial", "2026-06-30", "2026-06-30")).toEqual({ late: false, text: "on time" });
    expect(outcomeTiming("missed", "2026-06-30", "2026-07-03")).toEqual({ late: true, text: "late by 3 days" });
    expect(outcomeTiming("delivered", null, "2026-07-03")).toEqual({ late: false, text: null });
  });
});

describe("outcomeDueSoon", () => {
  it("offers the outcome form from 30 days before the due date, and after it", () => {
    expect(outcomeDueSoon("2027-12-31", "2026-11-29")).toBe(false);
    expect(outcomeDueSoon("2026-12-29", "2026-11-29")).toBe(true);
    expect(outcomeDueSoon("2026-12-30", "2026-11-29")).toBe(false);
    expect(outcomeDueSoon("2026-01-01", "2026-11-29")).toBe(true);
  });
});
