import { describe, expect, it } from "vitest";
import { forecastOfRecord, periodOfRecord, statsDisagreement, statsRowOf, type StatsSource } from "./commitment-stats";

const commitment: StatsSource["commitment"] = {
  statement: "Cut p95 checkout latency to 300 ms",
  teamId: "team-1",
  audience: "public",
  status: "missed",
  dueDate: "2026-09-30",
  periodLabel: "FY2026-Q3",
};
const outcome: NonNullable<StatsSource["outcome"]> = { resolvedAt: "2026-09-20", reasonCategory: "capacity", control: "ours", recordedAt: "2026-09-21T08:00:00.000Z" };
const create = { kind: "create", at: "2026-07-01T09:00:00.000Z", reason: null, changes: [{ field: "statement", from: null, to: commitment.statement }, { field: "dueDate", from: null, to: "2026-09-30" }, { field: "audience", from: null, to: "public" }] };
const checkIn = (id: string, date: string, createdAt: string, probability: number) => ({ id, date, createdAt, forecast: probability >= 50 ? "on_track" : "at_risk", probability });

describe("a commitment's commitment_stats row from its record", () => {
  it("takes the forecast of record from the last check-in on or before both the due date and the resolution day", () => {
    const source = (checkIns: StatsSource["checkIns"], o: StatsSource["outcome"] = outcome): StatsSource => ({ commitment, outcome: o, checkIns, revisions: [create] });
    const early = checkIn("a", "2026-08-01", "2026-08-01T10:00:00.000000", 80);
    // After the resolution day, though before the due date: not of record.
    expect(forecastOfRecord(source([early, checkIn("b", "2026-09-25", "2026-09-25T10:00:00.000000", 10)]))).toEqual({ forecast: "on_track", probability: 80 });
    // After the due date, with the resolution later still: not of record either.
    expect(forecastOfRecord(source([early, checkIn("b", "2026-10-02", "2026-10-02T10:00:00.000000", 10)], { ...outcome, resolvedAt: "2026-10-05" }))).toEqual({ forecast: "on_track", probability: 80 });
    // On one day the later written wins, to the microsecond; at the same instant, the greater id.
    const sameDay = [checkIn("b", "2026-09-20", "2026-09-20T10:00:00.000002", 30), checkIn("c", "2026-09-20", "2026-09-20T10:00:00.000001", 90)];
    expect(forecastOfRecord(source([early, ...sameDay]))?.probability).toBe(30);
    const sameInstant = [checkIn("d", "2026-09-20", "2026-09-20T10:00:00.000001", 60), checkIn("c", "2026-09-20", "2026-09-20T10:00:00.000001", 20)];
    expect(forecastOfRecord(source(sameInstant))?.probability).toBe(60);
    // Open: no forecast of record, whatever was checked in.
    expect(forecastOfRecord(source([early], null))).toBeNull();
  });

  it("keeps the period it was first moved away from as its period of record", () => {
    const move = (from: unknown, to: string) => ({ kind: "rescope", at: "2026-08-01T09:00:00.000Z", reason: "Slipped.", changes: [{ field: "periodLabel", from, to }] });
    const dueOnly = { kind: "rescope", at: "2026-07-15T09:00:00.000Z", reason: "Later.", changes: [{ field: "dueDate", from: "2026-09-30", to: "2026-09-29" }] };
    expect(periodOfRecord("FY2026-Q4", [create])).toBe("FY2026-Q4");
    expect(periodOfRecord("FY2027-Q1", [create, dueOnly, move("FY2026-Q3", "FY2026-Q4"), move("FY2026-Q4", "FY2027-Q1")])).toBe("FY2026-Q3");
    // An edit (before the period started) moves nothing of record.
    expect(periodOfRecord("FY2026-Q4", [create, { ...move("FY2026-Q3", "FY2026-Q4"), kind: "edit" }])).toBe("FY2026-Q4");
    expect(periodOfRecord("FY2026-Q4", [create, move(null, "FY2026-Q4")])).toBe("FY2026-Q4");
  });

  it("flags the commitments whose letter reads their revisions, and names the first column a kept row gets wrong", () => {
    const row = statsRowOf({ commitment, outcome, checkIns: [], revisions: [create] });
    expect(row).toMatchObject({ recordLabel: "FY2026-Q3", status: "missed", resolvedAt: "2026-09-20", forecast: null, letterRevisions: false });
    const reworded = statsRowOf({ commitment: { ...commitment, statement: "Cut p95 checkout latency" }, outcome, checkIns: [], revisions: [create] });
    expect(reworded.letterRevisions).toBe(true);
    expect(statsDisagreement(row, row)).toBeNull();
    expect(statsDisagreement(undefined, row)).toMatch(/no commitment_stats row/);
    expect(statsDisagreement({ ...row, audience: "internal", letterRevisions: true }, row)).toBe('its commitment_stats row says audience "internal"; the record gives "public"');
    expect(statsDisagreement({ ...row, recordedAt: null }, row)).toContain('recordedAt null; the record gives "2026-09-21T08:00:00.000Z"');
  });
});
