import { describe, expect, it } from "vitest";
import { computeReminders, digestSections, isDigestDay, isoWeekLabel, type ReminderInput } from "./reminders";

const base = (now: string, overrides: Partial<ReminderInput> = {}): ReminderInput => ({
  now: new Date(now),
  timeZone: "Europe/Berlin",
  checkInCadenceDays: 14,
  dueSoonDays: 14,
  commitments: [
    {
      id: "c1",
      statement: "Ship the EU region",
      ownerId: "u1",
      dueDate: "2026-06-30",
      committedAt: new Date("2026-04-01T08:00:00Z"),
      lastCheckInAt: null,
    },
  ],
  retrospectives: [],
  ...overrides,
});

const kinds = (input: ReminderInput) => computeReminders(input).map((r) => `${r.kind}@${r.dedupeKey}`);

describe("computeReminders, travelling in time", () => {
  it("asks for a check-in once the cadence has passed, once per window", () => {
    expect(kinds(base("2026-04-14T10:00:00Z"))).toEqual([]);
    const day14 = kinds(base("2026-04-15T10:00:00Z"));
    expect(day14).toEqual(["check_in@check_in:c1:2026-04-01T08:00:00.000Z:1"]);
    // Still the same window two days later: the same key, so nobody is reminded twice.
    expect(kinds(base("2026-04-17T10:00:00Z"))).toEqual(day14);
    expect(kinds(base("2026-04-29T10:00:00Z"))).toEqual(["check_in@check_in:c1:2026-04-01T08:00:00.000Z:2"]);
  });

  it("starts again from a new check-in, and follows the organisation's cadence", () => {
    const checkedIn = base("2026-04-20T10:00:00Z");
    checkedIn.commitments[0]!.lastCheckInAt = new Date("2026-04-15T09:00:00Z");
    expect(kinds(checkedIn)).toEqual([]);
    expect(kinds({ ...checkedIn, checkInCadenceDays: 5 })).toEqual(["check_in@check_in:c1:2026-04-15T09:00:00.000Z:1"]);
  });

  it("warns 14 days before the due date, and counts days in the organisation's time zone", () => {
    const input = base("2026-06-15T21:59:00Z");
    input.commitments[0]!.lastCheckInAt = new Date("2026-06-10T09:00:00Z");
    expect(kinds(input)).toEqual([]);
    // 22:00 UTC is already the 16th in Berlin: 14 days to go.
    const dueSoon = computeReminders({ ...input, now: new Date("2026-06-15T22:00:00Z") });
    expect(dueSoon.map((r) => r.kind)).toEqual(["due_soon"]);
    expect(dueSoon[0]!.title).toBe("Due in 14 days: Ship the EU region");
  });

  it("brings up a past-due commitment without an outcome every week", () => {
    const input = base("2026-07-01T10:00:00Z");
    input.commitments[0]!.lastCheckInAt = new Date("2026-06-30T09:00:00Z");
    const first = computeReminders(input);
    expect(first.map((r) => r.dedupeKey)).toEqual(["past_due:c1:2026-06-30:0"]);
    expect(first[0]!.body).toContain("1 day ago");
    expect(kinds({ ...input, now: new Date("2026-07-07T10:00:00Z") })).toEqual(["past_due@past_due:c1:2026-06-30:0"]);
    expect(kinds({ ...input, now: new Date("2026-07-08T10:00:00Z") })).toEqual(["past_due@past_due:c1:2026-06-30:1"]);
  });

  it("reminds nobody about a commitment without an owner", () => {
    const input = base("2026-07-10T10:00:00Z");
    input.commitments[0]!.ownerId = null;
    expect(computeReminders(input)).toEqual([]);
  });

  it("asks every editor of a team for the retrospective of a period that ended", () => {
    const retrospectives = [
      { teamId: "t1", teamName: "Platform", teamSlug: "platform", periodLabel: "FY2026-Q2", periodEnd: "2026-06-30", editorIds: ["u1", "u2"] },
    ];
    expect(computeReminders(base("2026-06-30T10:00:00Z", { commitments: [], retrospectives }))).toEqual([]);
    const due = computeReminders(base("2026-07-01T10:00:00Z", { commitments: [], retrospectives }));
    expect(due.map((r) => [r.userId, r.dedupeKey, r.path])).toEqual([
      ["u1", "retrospective:t1:FY2026-Q2", "/retrospectives/platform/FY2026-Q2"],
      ["u2", "retrospective:t1:FY2026-Q2", "/retrospectives/platform/FY2026-Q2"],
    ]);
  });
});

describe("the weekly digest", () => {
  it("labels ISO weeks, across a year's end too", () => {
    expect(isoWeekLabel("2026-11-30")).toBe("2026-W49");
    expect(isoWeekLabel("2027-01-01")).toBe("2026-W53");
    expect(isoWeekLabel("2027-01-04")).toBe("2027-W01");
  });

  it("is sent on Monday in the organisation's time zone", () => {
    expect(isDigestDay(new Date("2026-11-29T23:30:00Z"), "Europe/Berlin")).toBe(true);
    expect(isDigestDay(new Date("2026-11-29T23:30:00Z"), "UTC")).toBe(false);
  });

  it("orders sections by urgency and their items by due date", () => {
    const sections = digestSections([
      { section: "outcome", commitmentId: "a", statement: "A", dueDate: "2026-09-01" },
      { section: "due_soon", commitmentId: "b", statement: "B", dueDate: "2026-12-10" },
      { section: "due_soon", commitmentId: "c", statement: "C", dueDate: "2026-12-01" },
      { section: "past_due", commitmentId: "d", statement: "D", dueDate: "2026-11-01" },
    ]);
    expect(sections.map((s) => [s.heading, s.items.map((i) => i.statement).join("")])).toEqual([
      ["Past due without an outcome", "D"],
      ["Due in the next 14 days", "CB"],
      ["Outcomes recorded this week", "A"],
    ]);
  });
});
