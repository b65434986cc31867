// The database counts what app/domain/statistics.ts counts from loaded rows (the same tally),
// so the one domain function that turns a tally into figures serves the retrospective page
// (counted in SQL) and letters (counted from rows) alike.
import { asc } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { checkIns, commitments, outcomes } from "../../db/schema";
import { summarize, tallyOf, type StatCommitment, type Summary, type SummaryTally } from "~/domain/statistics";
import { CONTROLS, FORECASTS, REASON_CATEGORIES, type CheckIn, type Outcome } from "~/domain/types";
import { insertCheckIn, insertRevision, upsertOutcome, updateCommitmentIfCurrent } from "~/models/commitment.server";
import { summarizeInDatabase, tallyInDatabase } from "~/models/statistics.server";
import { testDatabase } from "../setup/db";
import { world } from "../support/world";

// A small deterministic generator, so a failure reproduces.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const STATUSES = ["delivered", "partial", "missed", "withdrawn", "open"] as const;
const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

async function loadForPure(db: Awaited<ReturnType<typeof testDatabase>>["db"]): Promise<StatCommitment[]> {
  const rows = await db.select().from(commitments).orderBy(asc(commitments.dueDate), asc(commitments.id));
  const outs = new Map((await db.select().from(outcomes)).map((o) => [o.commitmentId, o]));
  const cis = await db.select().from(checkIns).orderBy(asc(checkIns.createdAt), asc(checkIns.id));
  return rows.map((c) => {
    const o = outs.get(c.id);
    const outcome: Outcome | null = o
      ? {
          status: o.status,
          resolvedAt: o.resolvedAt,
          actualValue: o.actualValue,
          evidenceUrl: o.evidenceUrl,
          partialDescription: o.partialDescription,
          reasonCategory: o.reasonCategory,
          control: o.control,
          explanation: o.explanation,
          lesson: o.lesson,
        }
      : null;
    const list: CheckIn[] = cis
      .filter((ci) => ci.commitmentId === c.id)
      .map((ci) => ({ date: ci.date, forecast: ci.forecast, probability: ci.probability, progressValue: ci.progressValue, note: ci.note }));
    return { id: c.id, dueDate: c.dueDate, audience: c.audience, outcome, checkIns: list };
  });
}

/** A tally with its groups in one order (SQL groups come in any order; ids sorted). */
function sortedTally(t: SummaryTally) {
  const by = <T,>(list: T[], key: (x: T) => string) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
  return {
    ...t,
    deliveriesByDaysLate: by(t.deliveriesByDaysLate, (g) => String(g.days).padStart(6, "0")),
    byCategory: by(t.byCategory, (g) => g.category),
    byControl: by(t.byControl, (g) => g.control),
    forecasts: by(t.forecasts, (g) => `${String(g.probability).padStart(3, "0")}${g.status}`),
    openPastDue: [...t.openPastDue].sort(),
    surprises: [...t.surprises].sort(),
  };
}

function normalise(s: Summary) {
  return { ...s, openPastDue: [...s.openPastDue].sort(), surprises: [...s.surprises].sort() };
}

describe("tallyInDatabase and summarizeInDatabase", () => {
  it.each([
    [1, false],
    [2, true],
    [3, false],
  ])("counts what counting the rows counts, and so gives the same figures (seed %i, partial as half: %s)", async (seed, half) => {
    const { db } = await testDatabase();
    const w = await world(db, {
      organisation: { fiscalYearStartMonth: 1, timeZone: "UTC" },
      teams: { team: {} },
      people: { admin: { role: "admin", teams: { team: "editor" } } },
    });
    const { admin } = w.people;
    const { team } = w.teams;
    const actor = w.actors.admin;
    const random = rng(seed);
    const pick = <T,>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;

    for (let i = 0; i < 40; i++) {
      const due = addDays("2026-07-01", Math.floor(random() * 92));
      const c = await w.commit(actor, team, { dueDate: due, statement: `Ship thing ${i} by ${due}` });
      const createdAt = new Date("2026-07-01T00:00:00Z");
      // Several check-ins, some on the same day, some after the due date.
      const checks = Math.floor(random() * 4);
      for (let k = 0; k < checks; k++) {
        const date = addDays(due, Math.floor(random() * 40) - 30);
        await insertCheckIn(db, {
          commitmentId: c.id,
          date,
          forecast: pick(FORECASTS),
          probability: Math.floor(random() * 101),
          progressValue: null,
          note: "",
          createdBy: admin.id,
          createdAt: new Date(createdAt.getTime() + (i * 10 + k) * 1000),
        });
      }
      const status = pick(STATUSES);
      if (status === "open") continue;
      // Written as recordOutcome writes it (the database refuses an outcome without its
      // revision), but with any resolution date, so the figures meet every edge.
      await db.transaction(async (tx) => {
        const updated = await updateCommitmentIfCurrent(tx, actor, c.id, c.version, { status }, new Date());
        await upsertOutcome(tx, {
          commitmentId: c.id,
          status,
          resolvedAt: addDays(due, Math.floor(random() * 30) - 10),
          actualValue: null,
          evidenceUrl: status === "delivered" ? "https://example.com/proof" : null,
          partialDescription: status === "partial" ? "half of it" : null,
          reasonCategory: status === "delivered" ? null : pick(REASON_CATEGORIES),
          control: status === "delivered" ? null : pick(CONTROLS),
          explanation: status === "delivered" ? null : "because",
          lesson: status === "delivered" ? null : "learned",
          recordedAt: new Date(),
          recordedBy: admin.id,
        });
        await insertRevision(tx, { commitmentId: c.id, version: updated!.version, kind: "outcome", actorId: admin.id, at: new Date(), changes: [], reason: null });
      });
    }

    const today = "2026-09-01";
    const loaded = await loadForPure(db);
    const counted = sortedTally(tallyOf(loaded, today));
    const inDatabase = await tallyInDatabase(db, { periodLabels: ["FY2026-Q3"] }, today);
    expect(sortedTally(inDatabase)).toEqual(counted);
    // Bounded id lists (a year of a large organisation has thousands): the first ones by due
    // date, while the counts still count every one.
    const bounded = await tallyInDatabase(db, { periodLabels: ["FY2026-Q3"] }, today, 2);
    expect(bounded.openPastDue).toEqual(inDatabase.openPastDue.slice(0, 2));
    expect(bounded.surprises).toEqual(inDatabase.surprises.slice(0, 2));
    expect(bounded.openPastDueCount).toBe(counted.openPastDue.length);
    expect(bounded.surpriseCount).toBe(counted.surprises.length);
    expect(counted.openPastDue.length).toBeGreaterThan(2);
    // Generated data meets every kind of group, so the comparison above compares something.
    expect(counted.forecasts.length).toBeGreaterThan(0);
    expect(counted.deliveriesByDaysLate.some((g) => g.days > 0)).toBe(true);
    expect(counted.byCategory.length).toBeGreaterThan(0);

    const pure = summarize(loaded, { today, partialCountsAsHalf: half });
    const inDb = await summarizeInDatabase(db, { periodLabels: ["FY2026-Q3"] }, { today, partialCountsAsHalf: half });
    expect(pure.made).toBe(40);
    const a = normalise(inDb);
    const b = normalise(pure);
    expect(a.calibration.n).toBe(b.calibration.n);
    expect(a.surprises).toEqual(b.surprises);
    // Floating-point sums may differ in the last bits between Postgres and JavaScript.
    expect(a.calibration.brier ?? 0).toBeCloseTo(b.calibration.brier ?? 0, 10);
    a.calibration.buckets.forEach((bucket, i) => {
      expect(bucket.count).toBe(b.calibration.buckets[i]!.count);
      expect(bucket.meanForecast ?? -1).toBeCloseTo(b.calibration.buckets[i]!.meanForecast ?? -1, 10);
      expect(bucket.observedRate ?? -1).toBeCloseTo(b.calibration.buckets[i]!.observedRate ?? -1, 10);
    });
    expect({ ...a, calibration: { n: a.calibration.n } }).toEqual({ ...b, calibration: { n: b.calibration.n } });
    expect(pure.counts.open + pure.counts.delivered).toBeGreaterThan(0);
  });

  it("counts only the scope asked for: team, period and audience", async () => {
    const { db } = await testDatabase();
    const w = await world(db, { organisation: { fiscalYearStartMonth: 1, timeZone: "UTC" }, teams: { a: {}, b: {} }, people: { admin: { role: "admin" } } });
    const { a, b } = w.teams;
    const actor = w.actors.admin;
    await w.commit(actor, a, { audience: "public" });
    await w.commit(actor, a, { audience: "internal" });
    await w.commit(actor, b, {});
    await w.commit(actor, a, { periodLabel: "FY2026-Q4", dueDate: "2026-11-15" });
    const opts = { today: "2026-08-01" };
    expect((await summarizeInDatabase(db, { periodLabels: ["FY2026-Q3"] }, opts)).made).toBe(3);
    expect((await summarizeInDatabase(db, { periodLabels: ["FY2026-Q3"], teamIds: [a.id] }, opts)).made).toBe(2);
    expect((await summarizeInDatabase(db, { periodLabels: ["FY2026-Q3"], teamIds: [a.id], audience: "public" }, opts)).made).toBe(1);
    expect((await summarizeInDatabase(db, { periodLabels: ["FY2026-Q3", "FY2026-Q4"], teamIds: [a.id] }, opts)).made).toBe(3);
    expect((await summarizeInDatabase(db, { periodLabels: ["FY2026-Q3"], teamIds: [] }, opts)).made).toBe(0);
  });
});
