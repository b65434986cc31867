import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  addCounts,
  deliveredInFullOrPartRate,
  deliveryRate,
  deliveryRateExplanation,
  deliveryRateOfResolved,
  emptySummary,
  forecastOfRecord,
  formatPercent,
  isSurprise,
  madeOf,
  onTimeRateOf,
  summarize,
  summaryFromTally,
  tallyOf,
  type StatCommitment,
  type SummaryTally,
} from "./statistics";
import { REASON_CATEGORIES, type CheckIn, type Control, type Forecast, type Outcome, type OutcomeStatus, type ReasonCategory } from "./types";

const TODAY = "2025-06-30";
const DUE = "2025-03-31";

function checkIn(date: string, forecast: Forecast, probability: number): CheckIn {
  return { date, forecast, probability, progressValue: null, note: "" };
}

function outcome(
  status: OutcomeStatus,
  resolvedAt = DUE,
  reasonCategory: ReasonCategory | null = status === "delivered" ? null : "underestimated_scope",
  control: Control | null = status === "delivered" ? null : "ours",
): Outcome {
  return {
    status,
    resolvedAt,
    actualValue: null,
    evidenceUrl: status === "delivered" ? "https://example.com/evidence" : null,
    partialDescription: status === "partial" ? "the first half" : null,
    reasonCategory,
    control,
    explanation: status === "delivered" ? null : "It took longer.",
    lesson: status === "delivered" ? null : "Plan smaller.",
  };
}

let nextId = 0;
function commitment(o: Outcome | null, extra: Partial<StatCommitment> = {}): StatCommitment {
  nextId += 1;
  return { id: `c${nextId}`, dueDate: DUE, audience: "public", outcome: o, checkIns: [], ...extra };
}

const ids = (items: StatCommitment[]) => items.map((c) => c.id);

describe("the delivery rate, defined once", () => {
  const counts = { delivered: 4, partial: 2, missed: 1, withdrawn: 1, open: 1 };

  it("is delivered in full ÷ all made, withdrawn and open included", () => {
    expect(madeOf(counts)).toBe(9);
    expect(deliveryRate(counts)).toBeCloseTo(4 / 9, 12);
    expect(deliveryRate({ delivered: 0, partial: 0, missed: 0, withdrawn: 0, open: 0 })).toBeNull();
  });

  it("has labelled secondary rates: in full or in part, of resolved, on time", () => {
    expect(deliveredInFullOrPartRate(counts)).toBeCloseTo(6 / 9, 12);
    expect(deliveryRateOfResolved(counts)).toBeCloseTo(4 / 7, 12);
    expect(onTimeRateOf(3, 6)).toBe(0.5);
    expect(onTimeRateOf(0, 0)).toBeNull();
  });

  it("explains itself in one line", () => {
    expect(deliveryRateExplanation(counts)).toBe("of 9 made, 4 delivered in full");
    expect(deliveryRateExplanation({ delivered: 0, partial: 0, missed: 0, withdrawn: 0, open: 0 })).toBe("nothing made yet");
  });
});

describe("summarize: an empty set", () => {
  it("has zero counts, null rates and zero-filled breakdowns", () => {
    const s = summarize([], { today: TODAY });
    expect(s).toEqual(emptySummary());
    expect(s.made).toBe(0);
    expect(s.resolved).toBe(0);
    expect(s.deliveryRate).toBeNull();
    expect(s.deliveryRateOfResolved).toBeNull();
    expect(s.onTimeRate).toBeNull();
    expect(s.daysLate).toEqual({ total: 0, mean: null, max: 0, lateCount: 0 });
    expect(s.calibration.brier).toBeNull();
    expect(s.calibration.n).toBe(0);
    expect(s.reasons.byCategory.map((r) => r.category)).toEqual([
      "deprioritised",
      "underestimated_scope",
      "dependency_blocker",
      "capacity_change",
      "assumption_wrong",
      "execution_shortfall",
      "badly_specified",
      "quality_safety",
    ]);
    expect(s.reasons.byCategory.every((r) => r.count === 0)).toBe(true);
    expect(s.reasons.byControl).toEqual([
      { control: "ours", count: 0 },
      { control: "shared", count: 0 },
      { control: "external", count: 0 },
    ]);
    expect(s.calibration.buckets.map((b) => [b.from, b.to])).toEqual([
      [0, 10], [10, 20], [20, 30], [30, 40], [40, 50], [50, 60], [60, 70], [70, 80], [80, 90], [90, 100],
    ]);
    expect(s.calibration.buckets.every((b) => b.count === 0 && b.meanForecast === null && b.observedRate === null)).toBe(
      true,
    );
  });

  it("echoes partial handling so the page can label the figure", () => {
    expect(summarize([], { today: TODAY, partialCountsAsHalf: true }).partialCountsAsHalf).toBe(true);
  });
});

describe("summarize: all delivered on time", () => {
  it("scores 100% on every rate", () => {
    const items = [1, 2, 3].map(() => commitment(outcome("delivered", "2025-03-30")));
    const s = summarize(items, { today: TODAY });
    expect(s.made).toBe(3);
    expect(s.counts).toEqual({ delivered: 3, partial: 0, missed: 0, withdrawn: 0, open: 0 });
    expect(s.resolved).toBe(3);
    expect(s.deliveryRate).toBe(1);
    expect(s.deliveryRateOfResolved).toBe(1);
    expect(s.onTimeRate).toBe(1);
    expect(s.reasons.total).toBe(0);
  });
});

describe("summarize: a mix with withdrawn and open commitments", () => {
  // 2 delivered, 1 partial, 1 missed, 1 withdrawn, 1 open: made 6, resolved 4.
  const items = [
    commitment(outcome("delivered")),
    commitment(outcome("delivered")),
    commitment(outcome("partial", DUE, "dependency_blocker", "external")),
    commitment(outcome("missed", DUE, "underestimated_scope", "ours")),
    commitment(outcome("withdrawn", "2025-02-01", "deprioritised", "ours")),
    commitment(null, { dueDate: "2025-12-31" }),
  ];

  it("keeps withdrawn in made and counts, but not in resolved", () => {
    const s = summarize(items, { today: TODAY });
    expect(s.made).toBe(6);
    expect(s.counts).toEqual({ delivered: 2, partial: 1, missed: 1, withdrawn: 1, open: 1 });
    expect(s.resolved).toBe(4); // 2 + 1 + 1
  });

  it.each([false, true])("partialCountsAsHalf=%s leaves the delivery rate at delivered in full ÷ made (2 / 6), and of resolved at 2 / 4", (half) => {
    const s = summarize(items, { today: TODAY, partialCountsAsHalf: half });
    expect(s.deliveryRate).toBeCloseTo(2 / 6, 12);
    expect(s.deliveryRateOfResolved).toBeCloseTo(2 / 4, 12);
  });

  it("can't be raised by withdrawing a miss: withdrawn still counts as made", () => {
    const before = summarize(items, { today: TODAY });
    const withdrawnInstead = items.map((c) => (c.outcome?.status === "missed" ? { ...c, outcome: { ...c.outcome, status: "withdrawn" as const } } : c));
    const after = summarize(withdrawnInstead, { today: TODAY });
    expect(after.deliveryRate).toBe(before.deliveryRate);
    expect(after.made).toBe(before.made);
  });

  it("breaks reasons down by category and control, withdrawn included", () => {
    const s = summarize(items, { today: TODAY });
    // partial (dependency_blocker, external) + missed (underestimated_scope, ours) + withdrawn (deprioritised, ours)
    expect(s.reasons.total).toBe(3);
    expect(Object.fromEntries(s.reasons.byCategory.map((r) => [r.category, r.count]))).toEqual({
      deprioritised: 1,
      underestimated_scope: 1,
      dependency_blocker: 1,
      capacity_change: 0,
      assumption_wrong: 0,
      execution_shortfall: 0,
      badly_specified: 0,
      quality_safety: 0,
    });
    expect(s.reasons.byControl).toEqual([
      { control: "ours", count: 2 },
      { control: "shared", count: 0 },
      { control: "external", count: 1 },
    ]);
  });

  it("ignores a reason wrongly left on a delivered outcome", () => {
    const s = summarize([commitment(outcome("delivered", DUE, "deprioritised", "ours"))], { today: TODAY });
    expect(s.reasons.total).toBe(0);
    expect(s.reasons.byControl.every((r) => r.count === 0)).toBe(true);
  });
});

describe("summarize: lateness", () => {
  it("counts on-time and late deliveries", () => {
    const items = [
      commitment(outcome("delivered", "2025-03-31")), // on the due date: on time
      commitment(outcome("delivered", "2025-03-15")), // early: on time
      commitment(outcome("delivered", "2025-04-10")), // 31 Mar → 10 Apr: 10 days late
      commitment(outcome("partial", "2025-04-04")), // 4 days late
      commitment(outcome("missed", "2025-05-30")), // a late miss is not a late delivery
      commitment(outcome("delivered", "2025-09-01"), { dueDate: null }), // undated: neither
    ];
    const s = summarize(items, { today: TODAY });
    // dated deliveries: 4 (two on time, two late) → 2 / 4
    expect(s.onTimeRate).toBe(0.5);
    // total 10 + 4 = 14; mean over the 2 late ones = 7; max 10
    expect(s.daysLate).toEqual({ total: 14, mean: 7, max: 10, lateCount: 2 });
  });

  it("treats resolving on the due date as on time", () => {
    const s = summarize([commitment(outcome("delivered", DUE))], { today: TODAY });
    expect(s.onTimeRate).toBe(1);
    expect(s.daysLate.lateCount).toBe(0);
  });

  it("has no on-time rate when nothing dated was delivered", () => {
    const s = summarize(
      [commitment(outcome("missed")), commitment(outcome("delivered"), { dueDate: null })],
      { today: TODAY },
    );
    expect(s.onTimeRate).toBeNull();
  });
});

describe("summarize: open past due", () => {
  it("lists open commitments whose due date is before today", () => {
    const pastDue = commitment(null, { dueDate: "2025-06-29" });
    const items = [
      commitment(null, { dueDate: TODAY }), // due today: not yet past due
      pastDue,
      commitment(null, { dueDate: null }),
      commitment(outcome("missed"), { dueDate: "2025-01-01" }), // resolved, so not open
    ];
    expect(summarize(items, { today: TODAY }).openPastDue).toEqual([pastDue.id]);
  });
});

describe("summarize: surprises", () => {
  it.each<[string, StatCommitment, boolean]>([
    [
      "missed after an on-track last check-in",
      commitment(outcome("missed"), { checkIns: [checkIn("2025-02-01", "at_risk", 40), checkIn("2025-03-20", "on_track", 80)] }),
      true,
    ],
    [
      "partial after an on-track last check-in",
      commitment(outcome("partial"), { checkIns: [checkIn("2025-03-31", "on_track", 70)] }),
      true,
    ],
    [
      "missed, on track early but off track by the due date",
      commitment(outcome("missed"), { checkIns: [checkIn("2025-02-01", "on_track", 90), checkIn("2025-03-25", "off_track", 20)] }),
      false,
    ],
    [
      // the off-track check-in after the due date doesn't count: the on-track one before it does
      "missed, a later check-in after the due date is ignored",
      commitment(outcome("missed", "2025-04-15"), {
        checkIns: [checkIn("2025-03-30", "on_track", 85), checkIn("2025-04-05", "off_track", 10)],
      }),
      true,
    ],
    [
      // and conversely a late on-track check-in can't make a miss look like a surprise
      "missed, an on-track check-in after the due date is ignored",
      commitment(outcome("missed", "2025-04-15"), {
        checkIns: [checkIn("2025-03-30", "at_risk", 50), checkIn("2025-04-05", "on_track", 90)],
      }),
      false,
    ],
    [
      "missed, check-ins given out of order",
      commitment(outcome("missed"), {
        checkIns: [checkIn("2025-03-28", "on_track", 75), checkIn("2025-01-10", "off_track", 10), checkIn("2025-02-14", "at_risk", 40)],
      }),
      true,
    ],
    [
      "missed, check-ins out of order ending off track",
      commitment(outcome("missed"), {
        checkIns: [checkIn("2025-03-28", "stalled", 15), checkIn("2025-01-10", "on_track", 90)],
      }),
      false,
    ],
    [
      "missed with no due date: last check-in before resolution",
      commitment(outcome("missed", "2025-05-01"), { dueDate: null, checkIns: [checkIn("2025-04-20", "on_track", 80)] }),
      true,
    ],
    [
      // a check-in on the resolution day is written knowing the result
      "missed with no due date: a check-in on the resolution day is ignored",
      commitment(outcome("missed", "2025-05-01"), {
        dueDate: null,
        checkIns: [checkIn("2025-04-20", "on_track", 80), checkIn("2025-05-01", "off_track", 0)],
      }),
      true,
    ],
    [
      // resolved early: judged by what was said up to the resolution, not afterwards
      "missed before the due date: check-ins after resolution are ignored",
      commitment(outcome("missed", "2025-03-10"), {
        checkIns: [checkIn("2025-03-01", "on_track", 80), checkIn("2025-03-20", "off_track", 5)],
      }),
      true,
    ],
    ["missed with no check-ins", commitment(outcome("missed")), false],
    [
      "delivered on track is no surprise",
      commitment(outcome("delivered"), { checkIns: [checkIn("2025-03-20", "on_track", 90)] }),
      false,
    ],
    [
      "withdrawn on track is not a surprise miss",
      commitment(outcome("withdrawn"), { checkIns: [checkIn("2025-03-20", "on_track", 90)] }),
      false,
    ],
    ["open on track", commitment(null, { checkIns: [checkIn("2025-03-20", "on_track", 90)] }), false],
  ])("%s → %s", (_, item, surprise) => {
    expect(summarize([item], { today: TODAY }).surprises).toEqual(surprise ? [item.id] : []);
  });

  it("lists surprises in input order", () => {
    const a = commitment(outcome("missed"), { checkIns: [checkIn("2025-03-01", "on_track", 80)] });
    const b = commitment(outcome("delivered"), { checkIns: [checkIn("2025-03-01", "on_track", 80)] });
    const c = commitment(outcome("partial"), { checkIns: [checkIn("2025-03-01", "on_track", 60)] });
    expect(summarize([a, b, c], { today: TODAY }).surprises).toEqual(ids([a, c]));
  });
});

describe("isSurprise", () => {
  it.each([
    ["missed", "on_track", true],
    ["partial", "on_track", true],
    ["missed", "at_risk", false],
    ["delivered", "on_track", false],
    ["withdrawn", "on_track", false],
    ["open", "on_track", false],
    ["missed", null, false],
  ] as const)("%s with a forecast of record %s → %s", (status, forecast, expected) => {
    expect(isSurprise(status, forecast)).toBe(expected);
  });
});

describe("addCounts", () => {
  it("sums outcome counts bucket by bucket, and nothing to zero", () => {
    expect(
      addCounts([
        { delivered: 1, partial: 2, missed: 3, withdrawn: 4, open: 5 },
        { delivered: 10, partial: 20, missed: 30, withdrawn: 40, open: 50 },
      ]),
    ).toEqual({ delivered: 11, partial: 22, missed: 33, withdrawn: 44, open: 55 });
    expect(addCounts([])).toEqual({ delivered: 0, partial: 0, missed: 0, withdrawn: 0, open: 0 });
  });
});

describe("forecastOfRecord", () => {
  const checkIns = [checkIn("2025-03-31", "at_risk", 50), checkIn("2025-01-01", "on_track", 90), checkIn("2025-04-02", "off_track", 5)];

  it.each<[string, string | null, string, string | null]>([
    ["the last one on or before the due date", DUE, "2025-04-30", "2025-03-31"],
    ["capped at an early resolution", DUE, "2025-02-01", "2025-01-01"],
    ["without a due date, the last one strictly before resolution", null, "2025-04-02", "2025-03-31"],
    ["without a due date, none before resolution", null, "2025-01-01", null],
    ["none on or before the due date", "2024-12-31", "2025-04-30", null],
  ])("%s", (_, due, resolvedAt, expectedDate) => {
    expect(forecastOfRecord(checkIns, due, resolvedAt)?.date ?? null).toBe(expectedDate);
  });

  it("keeps input order for check-ins on the same day, the later one winning", () => {
    const sameDay = [checkIn("2025-03-01", "on_track", 80), checkIn("2025-03-01", "at_risk", 40)];
    expect(forecastOfRecord(sameDay, DUE, DUE)?.probability).toBe(40);
  });

  it("is the last of the eligible check-ins stably sorted by day, found in one pass", () => {
    const day = fc.integer({ min: 1, max: 9 }).map((d) => `2025-03-0${d}`);
    fc.assert(
      fc.property(fc.array(fc.tuple(day, fc.integer({ min: 0, max: 100 })), { maxLength: 12 }), fc.option(day, { nil: null }), day, (list, due, resolvedAt) => {
        const items = list.map(([date, p]) => checkIn(date, "on_track", p));
        const eligible = items.filter((c) => (due !== null ? c.date <= due && c.date <= resolvedAt : c.date < resolvedAt));
        const sorted = [...eligible].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
        expect(forecastOfRecord(items, due, resolvedAt)).toBe(sorted[sorted.length - 1] ?? null);
      }),
    );
  });
});

describe("summarize: calibration", () => {
  it("computes the Brier score of a small set by hand", () => {
    const items = [
      commitment(outcome("delivered"), { checkIns: [checkIn("2025-03-01", "on_track", 90)] }),
      commitment(outcome("missed"), { checkIns: [checkIn("2025-03-01", "at_risk", 60)] }),
      commitment(outcome("missed"), { checkIns: [checkIn("2025-03-01", "off_track", 20)] }),
    ];
    const { calibration } = summarize(items, { today: TODAY });
    // ((0.9 − 1)² + (0.6 − 0)² + (0.2 − 0)²) / 3 = (0.01 + 0.36 + 0.04) / 3 = 0.41 / 3 = 0.13666…
    expect(calibration.n).toBe(3);
    expect(calibration.brier).toBeCloseTo(0.41 / 3, 12);
    expect(calibration.brier).toBeCloseTo(0.136667, 6);
    const filled = calibration.buckets.filter((b) => b.count > 0);
    expect(filled.map((b) => b.from)).toEqual([20, 60, 90]);
    expect(calibration.buckets[2]).toEqual({ from: 20, to: 30, count: 1, meanForecast: 0.2, observedRate: 0 });
    expect(calibration.buckets[6]).toEqual({ from: 60, to: 70, count: 1, meanForecast: 0.6, observedRate: 0 });
    expect(calibration.buckets[9]).toEqual({ from: 90, to: 100, count: 1, meanForecast: 0.9, observedRate: 1 });
  });

  it.each([
    // partial at 50%: scored as 0 → (0.5 − 0)² = 0.25; as ½ → (0.5 − 0.5)² = 0
    [false, 0.25, 0],
    [true, 0, 0.5],
  ])("partialCountsAsHalf=%s scores a 50%% partial at %s", (half, brier, observedRate) => {
    const items = [commitment(outcome("partial"), { checkIns: [checkIn("2025-03-01", "at_risk", 50)] })];
    const { calibration } = summarize(items, { today: TODAY, partialCountsAsHalf: half });
    expect(calibration.brier).toBe(brier);
    expect(calibration.buckets[5]?.observedRate).toBe(observedRate);
  });

  it("excludes withdrawn, open and never-checked-in commitments", () => {
    const items = [
      commitment(outcome("delivered"), { checkIns: [checkIn("2025-03-01", "on_track", 80)] }),
      commitment(outcome("withdrawn"), { checkIns: [checkIn("2025-03-01", "on_track", 95)] }),
      commitment(null, { checkIns: [checkIn("2025-03-01", "on_track", 95)] }),
      commitment(outcome("missed")),
    ];
    const { calibration } = summarize(items, { today: TODAY });
    // only the delivered one: (0.8 − 1)² = 0.04
    expect(calibration.n).toBe(1);
    expect(calibration.brier).toBeCloseTo(0.04, 12);
  });

  it("uses the forecast of record, not a check-in after the due date", () => {
    const items = [
      commitment(outcome("missed", "2025-04-20"), {
        checkIns: [checkIn("2025-04-10", "off_track", 0), checkIn("2025-03-15", "at_risk", 30)],
      }),
    ];
    // scored on the 15 Mar check-in at 30%: (0.3 − 0)² = 0.09
    expect(summarize(items, { today: TODAY }).calibration.brier).toBeCloseTo(0.09, 12);
  });

  it("puts bucket edges where they belong, 100 in the top bucket", () => {
    const at = (p: number, status: OutcomeStatus) =>
      commitment(outcome(status), { checkIns: [checkIn("2025-03-01", "on_track", p)] });
    const items = [
      at(0, "missed"),
      at(9.99, "delivered"),
      at(10, "delivered"),
      at(89.9, "missed"),
      at(90, "missed"),
      at(100, "delivered"),
    ];
    const { calibration } = summarize(items, { today: TODAY });
    expect(calibration.buckets.map((b) => b.count)).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 1, 2]);
    // [0,10): forecasts 0 and 0.0999 → mean 0.04995; outcomes 0 and 1 → 0.5
    expect(calibration.buckets[0]?.meanForecast).toBeCloseTo(0.04995, 12);
    expect(calibration.buckets[0]?.observedRate).toBe(0.5);
    // [90,100]: forecasts 0.9 and 1.0 → mean 0.95; outcomes 0 and 1 → 0.5
    expect(calibration.buckets[9]?.meanForecast).toBeCloseTo(0.95, 12);
    expect(calibration.buckets[9]?.observedRate).toBe(0.5);
    expect(calibration.buckets[1]).toEqual({ from: 10, to: 20, count: 1, meanForecast: 0.1, observedRate: 1 });
    expect(calibration.buckets[5]).toEqual({ from: 50, to: 60, count: 0, meanForecast: null, observedRate: null });
    // Brier: 0² + 0.9001² + 0.9² + 0.899² + 0.9² + 0² over 6
    //      = (0 + 0.81018001 + 0.81 + 0.808201 + 0.81 + 0) / 6 = 3.23838101 / 6 = 0.539730168…
    expect(calibration.brier).toBeCloseTo(3.23838101 / 6, 12);
  });

  it("gives the same figures whatever order the check-ins arrive in", () => {
    const inOrder = [checkIn("2025-01-01", "at_risk", 40), checkIn("2025-02-01", "at_risk", 55), checkIn("2025-03-01", "on_track", 70)];
    const shuffled = [inOrder[2], inOrder[0], inOrder[1]].filter((c): c is CheckIn => c !== undefined);
    const a = summarize([commitment(outcome("missed"), { id: "x", checkIns: inOrder })], { today: TODAY });
    const b = summarize([commitment(outcome("missed"), { id: "x", checkIns: shuffled })], { today: TODAY });
    expect(b).toEqual(a);
    // scored on the 1 Mar check-in at 70%: (0.7 − 0)² = 0.49, and on track → a surprise
    expect(a.calibration.brier).toBeCloseTo(0.49, 12);
    expect(a.surprises).toEqual(["x"]);
  });
});

describe("formatPercent", () => {
  it.each<[number | null, string]>([
    [null, "—"],
    [Number.NaN, "—"],
    [0, "0%"],
    [1, "100%"],
    [2 / 3, "67%"],
    [1 / 3, "33%"],
    [0.625, "63%"], // 62.5 rounds half up
    [0.004, "0%"],
  ])("%s → %s", (x, expected) => {
    expect(formatPercent(x)).toBe(expected);
  });
});

// The figures from counts alone: what the database hands over (tallyInDatabase) is turned into
// rates, lateness, Brier scores and buckets here, and nowhere else.
describe("summaryFromTally", () => {
  const tally: SummaryTally = {
    counts: { delivered: 5, partial: 2, missed: 2, withdrawn: 1, open: 2 },
    deliveriesByDaysLate: [
      { days: 0, count: 4 },
      { days: 3, count: 2 },
      { days: 10, count: 1 },
    ],
    byCategory: [
      { category: "underestimated_scope", count: 2 },
      { category: "deprioritised", count: 1 },
    ],
    byControl: [{ control: "external", count: 3 }],
    forecasts: [
      { probability: 90, status: "delivered", count: 3 },
      { probability: 100, status: "delivered", count: 1 },
      { probability: 80, status: "missed", count: 1 },
      { probability: 40, status: "partial", count: 2 },
    ],
    openPastDue: ["o1"],
    surprises: ["s1"],
    // The database hands over the first ids of each list and counts them all.
    openPastDueCount: 7,
    surpriseCount: 3,
  };

  it("takes the counts of open past due and surprises from the tally, not the lengths of its bounded id lists", () => {
    const s = summaryFromTally(tally);
    expect(s.openPastDue).toEqual(["o1"]);
    expect(s.openPastDueCount).toBe(7);
    expect(s.surprises).toEqual(["s1"]);
    expect(s.surpriseCount).toBe(3);
  });

  it("divides the counts into the delivery rates, once", () => {
    const s = summaryFromTally(tally);
    expect(s.made).toBe(12);
    expect(s.resolved).toBe(9);
    expect(s.deliveryRate).toBeCloseTo(5 / 12, 12);
    expect(s.deliveryRateOfResolved).toBeCloseTo(5 / 9, 12);
    expect(s.counts).toEqual(tally.counts);
  });

  it("reads lateness from deliveries by days late: on time is 0, the mean is over the late ones", () => {
    const s = summaryFromTally(tally);
    expect(s.onTimeRate).toBeCloseTo(4 / 7, 12);
    expect(s.daysLate).toEqual({ lateCount: 3, total: 3 * 2 + 10, max: 10, mean: 16 / 3 });
  });

  it("totals reasons from the categories and lists every category and control", () => {
    const s = summaryFromTally(tally);
    expect(s.reasons.total).toBe(3);
    expect(s.reasons.byCategory.find((c) => c.category === "underestimated_scope")?.count).toBe(2);
    expect(s.reasons.byCategory).toHaveLength(REASON_CATEGORIES.length);
    expect(s.reasons.byControl.find((c) => c.control === "external")?.count).toBe(3);
    expect(s.reasons.byControl.filter((c) => c.count > 0)).toHaveLength(1);
  });

  it("scores forecasts from their counts: Brier and buckets, partial as 0 or as half", () => {
    const strict = summaryFromTally(tally);
    // (0.9−1)²·3 + (1−1)² + (0.8−0)² + (0.4−0)²·2, over 7
    expect(strict.calibration.n).toBe(7);
    expect(strict.calibration.brier).toBeCloseTo((0.01 * 3 + 0 + 0.64 + 0.16 * 2) / 7, 12);
    const top = strict.calibration.buckets[9]!;
    expect(top).toMatchObject({ from: 90, to: 100, count: 4 });
    expect(top.meanForecast).toBeCloseTo((0.9 * 3 + 1) / 4, 12);
    expect(top.observedRate).toBe(1);
    expect(strict.calibration.buckets[4]).toMatchObject({ count: 2, observedRate: 0 });
    expect(strict.calibration.buckets[0]).toMatchObject({ count: 0, meanForecast: null, observedRate: null });

    const half = summaryFromTally(tally, { partialCountsAsHalf: true });
    expect(half.partialCountsAsHalf).toBe(true);
    expect(half.calibration.brier).toBeCloseTo((0.01 * 3 + 0 + 0.64 + 0.01 * 2) / 7, 12);
    expect(half.calibration.buckets[4]!.observedRate).toBe(0.5);
    // Calibration never changes the delivery rate.
    expect(half.deliveryRate).toBe(strict.deliveryRate);
  });

  it("gives the empty summary for an empty tally", () => {
    const none = summaryFromTally({ counts: { delivered: 0, partial: 0, missed: 0, withdrawn: 0, open: 0 }, deliveriesByDaysLate: [], byCategory: [], byControl: [], forecasts: [], openPastDue: [], surprises: [], openPastDueCount: 0, surpriseCount: 0 });
    expect(none).toEqual(emptySummary());
  });

  it("is what summarize gives for the rows the tally counts", () => {
    const rows: StatCommitment[] = [
      { id: "a", dueDate: "2026-03-31", audience: "public", outcome: outcome("delivered", "2026-04-03"), checkIns: [checkIn("2026-03-01", "at_risk", 90)] },
      { id: "b", dueDate: "2026-03-31", audience: "public", outcome: outcome("missed", "2026-03-31"), checkIns: [checkIn("2026-03-30", "on_track", 70)] },
      { id: "c", dueDate: "2026-01-31", audience: "public", outcome: null, checkIns: [] },
    ];
    const counted = tallyOf(rows, "2026-06-01");
    expect(counted.deliveriesByDaysLate).toEqual([{ days: 3, count: 1 }]);
    expect(counted.forecasts).toHaveLength(2);
    expect(counted.openPastDue).toEqual(["c"]);
    expect(counted.surprises).toEqual(["b"]);
    expect(summarize(rows, { today: "2026-06-01" })).toEqual(summaryFromTally(counted));
  });
});
