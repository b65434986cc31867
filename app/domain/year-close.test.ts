import { describe, expect, it } from "vitest";
import { reasonProblem } from "./reasons";
import {
  confirmationMatches,
  countdownPhrase,
  earlyPublishingSummary,
  missingExplanation,
  publishConfirmationPhrase,
  retrospectivesToHold,
  yearTiming,
  type ShortfallExplanation,
} from "./year-close";

const january = { startMonth: 1, timeZone: "Europe/Berlin" };
const july = { startMonth: 7, timeZone: "UTC" };

describe("yearTiming", () => {
  it("places a day before, inside and after the fiscal year, with calendar days to its last day", () => {
    expect(yearTiming(2026, "2026-11-29", january)).toEqual({ fiscalYear: 2026, phase: "under-way", start: "2026-01-01", end: "2026-12-31", daysLeft: 32, daysToStart: -332 });
    expect(yearTiming(2027, "2026-11-29", january)).toMatchObject({ phase: "not-started", daysToStart: 33 });
    expect(yearTiming(2025, "2026-11-29", january)).toMatchObject({ phase: "ended", daysLeft: -333 });
    // A July year is named by the year it ends in: FY2027 runs July 2026 – June 2027.
    expect(yearTiming(2027, "2026-11-29", july)).toMatchObject({ phase: "under-way", start: "2026-07-01", end: "2027-06-30", daysLeft: 213 });
    expect(yearTiming(2027, "2026-06-30", july).phase).toBe("not-started");
    expect(yearTiming(2027, "2026-07-01", july).phase).toBe("under-way");
    expect(yearTiming(2027, "2027-06-30", july)).toMatchObject({ phase: "under-way", daysLeft: 0 });
    expect(yearTiming(2027, "2027-07-01", july).phase).toBe("ended");
  });
});

describe("countdownPhrase", () => {
  it("words every phase", () => {
    expect(countdownPhrase(yearTiming(2026, "2026-11-29", january))).toBe("ends in 32 days");
    expect(countdownPhrase(yearTiming(2026, "2026-12-30", january))).toBe("ends in 1 day");
    expect(countdownPhrase(yearTiming(2026, "2026-12-31", january))).toBe("ends today");
    expect(countdownPhrase(yearTiming(2026, "2027-01-01", january))).toBe("ended yesterday");
    expect(countdownPhrase(yearTiming(2026, "2027-01-03", january))).toBe("ended 3 days ago");
    expect(countdownPhrase(yearTiming(2027, "2026-12-31", january))).toBe("starts in 1 day");
  });
});

describe("the confirmation phrase", () => {
  it("ignores case and spacing but not the year", () => {
    expect(publishConfirmationPhrase(2026)).toBe("publish FY2026");
    expect(confirmationMatches("publish FY2026", 2026)).toBe(true);
    expect(confirmationMatches("  PUBLISH\tfy2026 ", 2026)).toBe(true);
    expect(confirmationMatches("publish FY2025", 2026)).toBe(false);
    expect(confirmationMatches("publish", 2026)).toBe(false);
    expect(confirmationMatches("publishFY2026", 2026)).toBe(false);
    expect(confirmationMatches("", 2026)).toBe(false);
    expect(confirmationMatches(null, 2026)).toBe(false);
    expect(confirmationMatches(undefined, 2026)).toBe(false);
  });

  it("is asked for with what publishing now leaves open", () => {
    const t = yearTiming(2026, "2026-11-29", january);
    expect(earlyPublishingSummary(t, 2)).toBe("FY2026 ends in 32 days; 2 commitments without an outcome, listed as still open in the letter.");
    expect(earlyPublishingSummary(t, 1)).toBe("FY2026 ends in 32 days; 1 commitment without an outcome, listed as still open in the letter.");
    expect(earlyPublishingSummary(t, 0)).toBe("FY2026 ends in 32 days; every commitment in the letter has its outcome.");
  });
});

describe("missingExplanation", () => {
  const complete: ShortfallExplanation = {
    status: "missed",
    reasonCategory: "underestimated_scope",
    partialDescription: null,
    explanation: "The payment provider round trip alone costs 250 ms.",
    lesson: "Measure third-party latency before promising an end-to-end number.",
  };
  it("passes a complete shortfall and any delivery", () => {
    expect(missingExplanation(complete, reasonProblem)).toBeNull();
    expect(missingExplanation({ ...complete, status: "delivered", reasonCategory: null, explanation: null, lesson: null }, reasonProblem)).toBeNull();
  });
  it("names what is missing first", () => {
    expect(missingExplanation({ ...complete, reasonCategory: null }, reasonProblem)).toBe("No reason category is recorded.");
    expect(missingExplanation({ ...complete, status: "partial" }, reasonProblem)).toBe("It does not say which part was delivered.");
    expect(missingExplanation({ ...complete, explanation: "   " }, reasonProblem)).toBe("There is no explanation.");
    expect(missingExplanation({ ...complete, explanation: "n/a" }, reasonProblem)).toMatch(/^The explanation does not say enough yet: /);
    expect(missingExplanation({ ...complete, lesson: "" }, reasonProblem)).toBe("There is no lesson.");
  });
});

describe("retrospectivesToHold", () => {
  const payments = { teamId: "p", teamName: "Payments", teamSlug: "payments" };
  const search = { teamId: "s", teamName: "Search", teamSlug: "search" };
  const teamPeriods = [
    { ...payments, periodLabel: "FY2026-Q3" },
    { ...payments, periodLabel: "FY2026-Q4" },
    { ...search, periodLabel: "FY2026-Q1" },
    { ...search, periodLabel: "FY2026" },
  ];

  it("asks each team for every started period it made commitments in, and the organisation for the year", () => {
    const due = retrospectivesToHold(2026, teamPeriods, [], "2026-11-29", january);
    // The longest overdue first.
    expect(due.map((d) => [d.teamName, d.periodLabel, d.ended])).toEqual([
      ["Search", "FY2026-Q1", true],
      ["Payments", "FY2026-Q3", true],
      ["The whole organisation", "FY2026", false],
      ["Payments", "FY2026-Q4", false],
      ["Search", "FY2026", false],
    ]);
  });

  it("counts a longer period's retrospective for the shorter ones inside it, per team", () => {
    const held = [
      { teamId: "p", periodLabel: "FY2026-H2" },
      { teamId: "s", periodLabel: "FY2026-Q1" },
      { teamId: null, periodLabel: "FY2026" },
      // Another year's or another team's retrospective covers nothing here.
      { teamId: "s", periodLabel: "FY2025" },
    ];
    expect(retrospectivesToHold(2026, teamPeriods, held, "2026-11-29", january).map((d) => [d.teamName, d.periodLabel])).toEqual([["Search", "FY2026"]]);
  });

  it("leaves out periods not started, and everything before the year starts", () => {
    expect(retrospectivesToHold(2026, teamPeriods, [], "2026-05-01", january).map((d) => d.periodLabel)).toEqual(["FY2026-Q1", "FY2026", "FY2026"]);
    expect(retrospectivesToHold(2026, teamPeriods, [], "2025-12-31", january)).toEqual([]);
  });
});
