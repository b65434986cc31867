// Retrospectives: the scope a slug names, the figures and outcomes table of a scope and period,
// notes saved with optimistic concurrency, action items, and promoting an action item into a
// next-period commitment (linked both ways, once).
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { actionItems, commitmentRevisions, commitments, retrospectives } from "../../db/schema";
import { periodFromLabel, type Period } from "~/domain/period";
import { insertCheckIn } from "~/models/commitment.server";
import { createCommitment, recordOutcome, type OutcomeInput } from "~/services/commitments.server";
import type { Actor, Result } from "~/domain/result";
import {
  addActionItem,
  canEditScope,
  changeActionItemStatus,
  loadRetrospective,
  promotionDraft,
  resolveScope,
  saveNotes,
  type Notes,
  type Scope,
} from "~/services/retrospectives.server";
import { makeCommitment, makeCommitmentInput, makeUser } from "../factories";
import { testDatabase } from "../setup/db";
import { world as makeWorld } from "../support/world";

// Fiscal year from January, UTC: FY2026-Q3 is 2026-07-01..2026-09-30.
const CAL = { startMonth: 1, timeZone: "UTC" };
const BEFORE = new Date("2026-06-01T09:00:00.000Z");
const DURING = new Date("2026-08-10T09:00:00.000Z");
const AFTER = new Date("2026-10-05T09:00:00.000Z");
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

const period = (label: string): Period => periodFromLabel(label, CAL)!;

function mustOk<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

function outcome(status: "delivered" | "partial" | "missed" | "withdrawn", resolvedAt: string): OutcomeInput {
  if (status === "delivered") {
    return {
      status,
      resolvedAt,
      actualValue: 280,
      evidenceUrl: "https://grafana.example.com/d/checkout-slo",
      partialDescription: null,
      reasonCategory: null,
      control: null,
      explanation: null,
      lesson: null,
    };
  }
  return {
    status,
    resolvedAt,
    actualValue: null,
    evidenceUrl: null,
    partialDescription: status === "partial" ? "Four of five regions." : null,
    reasonCategory: status === "withdrawn" ? "deprioritised" : "underestimated_scope",
    control: status === "withdrawn" ? "shared" : "ours",
    explanation: "It did not happen as promised.",
    lesson: "Measure before promising.",
  };
}

async function world(db: Database) {
  const w = await makeWorld(db, {
    organisation: { fiscalYearStartMonth: 1, timeZone: "UTC" },
    teams: {
      platform: { slug: "platform", name: "Platform" },
      checkout: { slug: "checkout", name: "Checkout", parent: "platform" },
      checkoutEu: { slug: "checkout-eu", name: "Checkout EU", parent: "checkout" },
      growth: { slug: "growth", name: "Growth" },
    },
    people: {
      admin: { role: "admin", name: "Ada Admin" },
      editor: { role: "member", name: "Eve Editor", teams: { platform: "editor" } },
      teamViewer: { role: "member", name: "Tom Teamviewer", teams: { platform: "viewer" } },
      viewer: { role: "viewer", name: "Vic Viewer", teams: { platform: "viewer" } },
      outsider: { role: "member", name: "Otto Outsider", teams: { growth: "editor" } },
    },
  });
  return { ...w.teams, ...w.actors, editorUser: w.people.editor };
}

type World = Awaited<ReturnType<typeof world>>;

async function scopeOf(db: Database, slug: string): Promise<Scope> {
  const scope = await resolveScope(db, slug);
  if (!scope) throw new Error(`no scope ${slug}`);
  return scope;
}

async function resolve(
  db: Database,
  actor: Actor,
  c: { id: string; version: number },
  status: "delivered" | "partial" | "missed" | "withdrawn",
  resolvedAt: string,
  now: Date,
) {
  return mustOk(await recordOutcome(db, actor, c.id, outcome(status, resolvedAt), c.version, null, now));
}

async function checkIn(
  db: Database,
  by: string,
  commitmentId: string,
  date: string,
  forecast: "on_track" | "at_risk" | "off_track" | "stalled",
  probability: number,
  createdAt: Date,
) {
  await insertCheckIn(db, { commitmentId, date, forecast, probability, progressValue: null, note: "", createdBy: by, createdAt });
}

describe("resolveScope", () => {
  it("names the whole organisation, a team with its whole subtree, or nothing", async () => {
    const { db } = await testDatabase();
    const w = await world(db);

    expect(await resolveScope(db, "org")).toEqual({ slug: "org", team: null, teamIds: undefined, name: "the whole organisation" });

    const platform = await resolveScope(db, "platform");
    expect(platform).toMatchObject({ slug: "platform", name: "Platform", team: { id: w.platform.id, slug: "platform" } });
    expect([...platform!.teamIds!].sort()).toEqual([w.platform.id, w.checkout.id, w.checkoutEu.id].sort());

    const checkout = await resolveScope(db, "checkout");
    expect([...checkout!.teamIds!].sort()).toEqual([w.checkout.id, w.checkoutEu.id].sort());

    const leaf = await resolveScope(db, "growth");
    expect(leaf!.teamIds).toEqual([w.growth.id]);

    expect(await resolveScope(db, "no-such-team")).toBeNull();
  });

  it("lets team editors and admins hold a team's retrospective, and only admins the organisation's", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const platform = await scopeOf(db, "platform");
    const org = await scopeOf(db, "org");
    expect(await canEditScope(db, w.editor, platform)).toBe(true);
    expect(await canEditScope(db, w.admin, platform)).toBe(true);
    expect(await canEditScope(db, w.teamViewer, platform)).toBe(false);
    expect(await canEditScope(db, w.viewer, platform)).toBe(false);
    expect(await canEditScope(db, w.outsider, platform)).toBe(false);
    expect(await canEditScope(db, w.admin, org)).toBe(true);
    expect(await canEditScope(db, w.editor, org)).toBe(false);
  });
});

/**
 * Platform (with Checkout and Checkout EU below it) in FY2026-Q3:
 *   p1 delivered on time, c1 (Checkout) delivered 5 days late, p2 missed while the last
 *   check-in said on track (a surprise), p3 withdrawn, c2 (Checkout EU) still open.
 * Outside the quarter: p4 delivered in FY2026-Q2, p5 open in FY2026-H2, p0 missed in FY2025-Q4.
 * Outside the team: g1 (Growth) delivered in FY2026-Q3.
 */
async function fixture(db: Database, w: World) {
  const { admin } = w;
  const make = (teamId: string, due: string, periodLabel: string, statement: string, now = BEFORE) =>
    // Short handles, not promises to customers: internal, so the public minimum does not apply.
    makeCommitment(db, admin, teamId, { dueDate: due, periodLabel, statement, audience: "internal" }, now);

  const p1 = await make(w.platform.id, "2026-07-31", "FY2026-Q3", "P1 ship the status page");
  const c1 = await make(w.checkout.id, "2026-08-15", "FY2026-Q3", "C1 checkout p95 under 300 ms");
  const p2 = await make(w.platform.id, "2026-08-31", "FY2026-Q3", "P2 migrate the queue");
  const p3 = await make(w.platform.id, "2026-09-10", "FY2026-Q3", "P3 retire the old CDN");
  const c2 = await make(w.checkoutEu.id, "2026-09-30", "FY2026-Q3", "C2 EU wallets");
  const g1 = await make(w.growth.id, "2026-08-01", "FY2026-Q3", "G1 growth experiment");
  const p4 = await make(w.platform.id, "2026-06-20", "FY2026-Q2", "P4 second-quarter thing", new Date("2026-04-01T09:00:00Z"));
  const p5 = await make(w.platform.id, "2026-12-15", "FY2026-H2", "P5 half-year thing");
  const p0 = await make(w.platform.id, "2025-11-15", "FY2025-Q4", "P0 last year's thing", new Date("2025-10-01T09:00:00Z"));

  await checkIn(db, admin.id, p1.id, "2026-07-15", "on_track", 90, new Date("2026-07-15T10:00:00Z"));
  await checkIn(db, admin.id, p2.id, "2026-08-01", "at_risk", 40, new Date("2026-08-01T10:00:00Z"));
  await checkIn(db, admin.id, p2.id, "2026-08-20", "on_track", 80, new Date("2026-08-20T10:00:00Z"));

  await resolve(db, admin, p1, "delivered", "2026-07-30", AFTER);
  await resolve(db, admin, c1, "delivered", "2026-08-20", AFTER);
  await resolve(db, admin, p2, "missed", "2026-09-01", AFTER);
  await resolve(db, admin, p3, "withdrawn", "2026-08-25", AFTER);
  await resolve(db, admin, g1, "delivered", "2026-08-01", AFTER);
  await resolve(db, admin, p4, "delivered", "2026-06-18", new Date("2026-06-19T09:00:00Z"));
  await resolve(db, admin, p0, "missed", "2025-11-20", new Date("2025-12-01T09:00:00Z"));
  return { p1, c1, p2, p3, c2, g1, p4, p5, p0 };
}

describe("loadRetrospective", () => {
  it("computes the quarter's figures, outcomes table and trend for a team with its sub-teams", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const f = await fixture(db, w);
    const data = await loadRetrospective(db, w.editor, await scopeOf(db, "platform"), period("FY2026-Q3"), AFTER);

    expect(data.today).toBe("2026-10-05");
    expect(data.period.label).toBe("FY2026-Q3");
    expect(data.previousPeriod.label).toBe("FY2026-Q2");
    expect(data.nextPeriod.label).toBe("FY2026-Q4");
    expect(data.canEdit).toBe(true);

    const s = data.summary;
    expect(s.made).toBe(5);
    expect(s.counts).toEqual({ delivered: 2, partial: 0, missed: 1, withdrawn: 1, open: 1 });
    expect(s.resolved).toBe(3);
    expect(s.deliveryRate).toBeCloseTo(2 / 5, 12);
    expect(s.deliveryRateOfResolved).toBeCloseTo(2 / 3, 12);
    // p1 on time, c1 five days late.
    expect(s.onTimeRate).toBe(0.5);
    expect(s.daysLate).toEqual({ total: 5, max: 5, lateCount: 1, mean: 5 });
    expect(s.reasons.total).toBe(2);
    expect(s.reasons.byCategory.find((r) => r.category === "underestimated_scope")!.count).toBe(1);
    expect(s.reasons.byCategory.find((r) => r.category === "deprioritised")!.count).toBe(1);
    expect(s.reasons.byControl).toEqual([
      { control: "ours", count: 1 },
      { control: "shared", count: 1 },
      { control: "external", count: 0 },
    ]);
    // Missed while the last check-in (2026-08-20) said on track.
    expect(s.surprises).toEqual([f.p2.id]);
    expect(s.surpriseCount).toBe(1);
    expect(s.openPastDue).toEqual([f.c2.id]);
    expect(s.openPastDueCount).toBe(1);
    // Each row of the table says itself whether it is a surprise (its own forecast of record).
    expect(data.rows.filter((r) => r.surprise).map((r) => r.id)).toEqual([f.p2.id]);
    // p1 judged by 90 against delivered, p2 by 80 against missed.
    expect(s.calibration.n).toBe(2);
    expect(s.calibration.brier).toBeCloseTo(((0.9 - 1) ** 2 + 0.8 ** 2) / 2, 10);

    // Every commitment in scope, sub-teams included, by due date; nothing of Growth or other periods.
    expect(data.truncated).toBe(false);
    expect(data.rows.map((r) => [r.id, r.teamName, r.status])).toEqual([
      [f.p1.id, "Platform", "delivered"],
      [f.c1.id, "Checkout", "delivered"],
      [f.p2.id, "Platform", "missed"],
      [f.p3.id, "Platform", "withdrawn"],
      [f.c2.id, "Checkout EU", "open"],
    ]);
    expect(data.rows[2]).toMatchObject({ resolvedAt: "2026-09-01", reasonCategory: "underestimated_scope", control: "ours" });
    expect(data.rows[4]).toMatchObject({ resolvedAt: null, reasonCategory: null });

    // Six quarters ending with this one.
    expect(data.trend.map((t) => t.label)).toEqual(["FY2025-Q2", "FY2025-Q3", "FY2025-Q4", "FY2026-Q1", "FY2026-Q2", "FY2026-Q3"]);
    // n is what each point rests on: the commitments made in the period.
    expect(data.trend.map((t) => t.n)).toEqual([0, 0, 1, 0, 1, 5]);
    expect(data.trend.map((t) => (t.rate === null ? null : Number(t.rate.toFixed(6))))).toEqual([
      null,
      null,
      0,
      null,
      1,
      Number((2 / 5).toFixed(6)),
    ]);

    // Nothing written yet.
    expect(data.notes).toEqual({ wentWell: "", wentBadly: "", willChange: "", version: 0 });
    expect(data.items).toEqual([]);
    expect(data.previousOpenItems).toEqual([]);
    expect(await db.select().from(retrospectives)).toHaveLength(0);
  });

  it("pages the outcomes table by keyset: every row once, in due-date order, and the page's figures still count them all", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    await fixture(db, w);
    const scope = await scopeOf(db, "platform");
    const whole = await loadRetrospective(db, w.editor, scope, period("FY2026-Q3"), AFTER);
    expect(whole.rows).toHaveLength(5);
    const seen: string[] = [];
    let after: { dueDate: string; id: string } | undefined;
    for (let page = 0; page < 5; page++) {
      const data = await loadRetrospective(db, w.editor, scope, period("FY2026-Q3"), AFTER, { limit: 2, after });
      // Figures are the period's, whichever page of the table is shown.
      expect(data.summary).toEqual(whole.summary);
      seen.push(...data.rows.map((r) => r.id));
      const last = data.rows.at(-1);
      if (!data.truncated || !last) break;
      after = { dueDate: last.dueDate, id: last.id };
    }
    expect(seen).toEqual(whole.rows.map((r) => r.id));
  });

  it("covers a sub-team alone, the whole organisation, and a year with its halves and quarters", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const f = await fixture(db, w);

    const checkout = await loadRetrospective(db, w.teamViewer, await scopeOf(db, "checkout"), period("FY2026-Q3"), AFTER);
    expect(checkout.canEdit).toBe(false);
    expect(checkout.summary.made).toBe(2);
    expect(checkout.summary.counts).toEqual({ delivered: 1, partial: 0, missed: 0, withdrawn: 0, open: 1 });
    expect(checkout.summary.deliveryRate).toBe(0.5);
    expect(checkout.rows.map((r) => r.id)).toEqual([f.c1.id, f.c2.id]);

    const org = await loadRetrospective(db, w.admin, await scopeOf(db, "org"), period("FY2026-Q3"), AFTER);
    expect(org.canEdit).toBe(true);
    expect(org.summary.made).toBe(6);
    expect(org.summary.counts).toEqual({ delivered: 3, partial: 0, missed: 1, withdrawn: 1, open: 1 });
    // Delivered in full ÷ made: the withdrawn and the open one count as made.
    expect(org.summary.deliveryRate).toBe(0.5);
    expect(org.rows.map((r) => r.id)).toEqual([f.p1.id, f.g1.id, f.c1.id, f.p2.id, f.p3.id, f.c2.id]);
    expect(org.trend.at(-1)).toEqual({ label: "FY2026-Q3", rate: 0.5, n: 6 });

    const growthOnly = await loadRetrospective(db, w.outsider, await scopeOf(db, "growth"), period("FY2026-Q3"), AFTER);
    expect(growthOnly.canEdit).toBe(true);
    expect(growthOnly.rows.map((r) => r.id)).toEqual([f.g1.id]);

    // The year holds FY2026-Q2 (p4), FY2026-Q3 and FY2026-H2 (p5); FY2025-Q4 (p0) is another year.
    const year = await loadRetrospective(db, w.editor, await scopeOf(db, "platform"), period("FY2026"), AFTER);
    expect(year.previousPeriod.label).toBe("FY2025");
    expect(year.nextPeriod.label).toBe("FY2027");
    expect(year.summary.made).toBe(7);
    expect(year.summary.counts).toEqual({ delivered: 3, partial: 0, missed: 1, withdrawn: 1, open: 2 });
    expect(year.summary.deliveryRate).toBe(3 / 7);
    expect(year.rows.map((r) => r.id)).toEqual([f.p4.id, f.p1.id, f.c1.id, f.p2.id, f.p3.id, f.c2.id, f.p5.id]);
    expect(year.trend.map((t) => t.label)).toEqual(["FY2021", "FY2022", "FY2023", "FY2024", "FY2025", "FY2026"]);
    // The trend's last point is the retrospective's own period, so it must agree with its
    // delivery rate: a year's point covers the commitments of its halves and quarters.
    expect(year.trend.at(-1)).toEqual({ label: "FY2026", rate: 3 / 7, n: 7 });
    expect(year.trend.at(-2)).toEqual({ label: "FY2025", rate: 0, n: 1 });

    // A half holds its two quarters.
    const h2 = await loadRetrospective(db, w.editor, await scopeOf(db, "platform"), period("FY2026-H2"), AFTER);
    expect(h2.summary.made).toBe(6);
    expect(h2.rows.map((r) => r.id)).not.toContain(f.p4.id);
  });
});

const NOTES: Notes = { wentWell: "Shipped the status page early.", wentBadly: "The queue migration.", willChange: "Measure first." };

describe("retrospective notes", () => {
  it("creates the row on the first save and then moves version by version", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const scope = await scopeOf(db, "platform");
    const q3 = period("FY2026-Q3");

    expect(mustOk(await saveNotes(db, w.editor, scope, q3, NOTES, 0, DURING))).toEqual({ version: 1 });
    const [row] = await db.select().from(retrospectives);
    expect(row).toMatchObject({
      teamId: w.platform.id,
      periodLabel: "FY2026-Q3",
      periodStart: "2026-07-01",
      periodEnd: "2026-09-30",
      ...NOTES,
      version: 1,
      updatedBy: w.editor.id,
      updatedAt: DURING,
    });

    const second = { ...NOTES, willChange: "Measure first, then promise." };
    expect(mustOk(await saveNotes(db, w.admin, scope, q3, second, 1, AFTER))).toEqual({ version: 2 });

    // A save from a version someone else already moved past changes nothing.
    const stale = await saveNotes(db, w.editor, scope, q3, { ...NOTES, wentWell: "Mine" }, 1, AFTER);
    expect(stale.ok).toBe(false);
    if (!stale.ok) {
      expect(stale.error.code).toBe("VERSION.CONFLICT");
      expect(stale.error.conflict).toEqual({ currentVersion: 2, changedFields: ["notes"] });
    }
    // A form opened before anything was written is stale now too.
    const fromZero = await saveNotes(db, w.editor, scope, q3, { ...NOTES, wentWell: "Mine" }, 0, AFTER);
    expect(fromZero.ok ? "ok" : fromZero.error.code).toBe("VERSION.CONFLICT");

    const rows = await db.select().from(retrospectives);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ...second, version: 2, updatedBy: w.admin.id });

    const data = await loadRetrospective(db, w.editor, scope, q3, AFTER);
    expect(data.notes).toEqual({ ...second, version: 2 });
  });

  it("makes the first save version 1 also where adding an action item made the row first", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const scope = await scopeOf(db, "platform");
    const q3 = period("FY2026-Q3");
    mustOk(await addActionItem(db, w.editor, scope, q3, { text: "Measure first", ownerId: null, dueDate: null }, DURING));
    expect((await loadRetrospective(db, w.editor, scope, q3, DURING)).notes.version).toBe(0);
    // A form opened before the item was added (version 0) and one opened after (also 0) save alike.
    expect(mustOk(await saveNotes(db, w.editor, scope, q3, NOTES, 0, AFTER))).toEqual({ version: 1 });
    const again = await saveNotes(db, w.admin, scope, q3, NOTES, 0, AFTER);
    expect(again.ok ? "ok" : again.error.code).toBe("VERSION.CONFLICT");
    expect((await loadRetrospective(db, w.editor, scope, q3, AFTER)).notes).toEqual({ ...NOTES, version: 1 });
  });

  it("lets exactly one of two concurrent saves from the same version through", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const scope = await scopeOf(db, "platform");
    const q3 = period("FY2026-Q3");

    mustOk(await saveNotes(db, w.editor, scope, q3, NOTES, 0, DURING));
    const a = { ...NOTES, wentWell: "A" };
    const b = { ...NOTES, wentWell: "B" };
    const results = await Promise.all([saveNotes(db, w.editor, scope, q3, a, 1, AFTER), saveNotes(db, w.admin, scope, q3, b, 1, AFTER)]);
    expect(results.filter((r) => r.ok)).toEqual([{ ok: true, value: { version: 2 } }]);
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? null : r.error.code))).toEqual(["VERSION.CONFLICT"]);
    const [row] = await db.select().from(retrospectives);
    expect(row!.version).toBe(2);
    expect(row!.wentWell).toBe(results[0]!.ok ? "A" : "B");
  });

  it("lets exactly one of two concurrent first saves (version 0) through", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const scope = await scopeOf(db, "platform");

    for (let round = 0; round < 5; round++) {
      const label = `FY202${round}-Q3`;
      const p = period(label);
      const results = await Promise.all([
        saveNotes(db, w.editor, scope, p, { ...NOTES, wentWell: "A" }, 0, AFTER),
        saveNotes(db, w.admin, scope, p, { ...NOTES, wentWell: "B" }, 0, AFTER),
      ]);
      const codes = results.map((r) => (r.ok ? "ok" : r.error.code)).sort();
      expect(codes, `round ${round}`).toEqual(["VERSION.CONFLICT", "ok"]);
      const rows = await db.select().from(retrospectives).where(eq(retrospectives.periodLabel, label));
      expect(rows).toHaveLength(1);
      expect(rows[0]!.version).toBe(1);
    }
  });

  it("refuses viewers, members of other teams and, for the organisation, everyone but admins", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const platform = await scopeOf(db, "platform");
    const org = await scopeOf(db, "org");
    const q3 = period("FY2026-Q3");

    for (const actor of [w.viewer, w.teamViewer, w.outsider]) {
      const result = await saveNotes(db, actor, platform, q3, NOTES, 0, DURING);
      expect(result.ok ? "ok" : result.error.code).toBe("FORBIDDEN");
    }
    expect(await db.select().from(retrospectives)).toHaveLength(0);

    // An editor of a team is no one special for the organisation's retrospective.
    const member = await saveNotes(db, w.editor, org, q3, NOTES, 0, DURING);
    expect(member.ok ? "ok" : member.error.code).toBe("FORBIDDEN");
    expect(await db.select().from(retrospectives)).toHaveLength(0);

    expect(mustOk(await saveNotes(db, w.admin, org, q3, NOTES, 0, DURING))).toEqual({ version: 1 });
    const rows = await db.select().from(retrospectives);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ teamId: null, periodLabel: "FY2026-Q3", version: 1, ...NOTES });
    // The organisation's retrospective and a team's of the same period are different rows.
    expect(mustOk(await saveNotes(db, w.editor, platform, q3, NOTES, 0, DURING))).toEqual({ version: 1 });
    expect(await db.select().from(retrospectives)).toHaveLength(2);
    // A second "first save" of the organisation's retrospective is stale, not a second row.
    const again = await saveNotes(db, w.admin, org, q3, NOTES, 0, DURING);
    expect(again.ok ? "ok" : again.error.code).toBe("VERSION.CONFLICT");
    expect(await db.select().from(retrospectives)).toHaveLength(2);
  });
});

describe("action items", () => {
  it("adds items with owner and due date, changes their status, and carries open ones to the next retrospective", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const scope = await scopeOf(db, "platform");
    const q3 = period("FY2026-Q3");
    const q4 = period("FY2026-Q4");

    const measure = mustOk(
      await addActionItem(db, w.editor, scope, q3, { text: "Measure third-party latency", ownerId: w.editor.id, dueDate: "2026-10-31" }, DURING),
    );
    const later = new Date(DURING.getTime() + 60_000);
    const vendor = mustOk(await addActionItem(db, w.editor, scope, q3, { text: "Sign vendor contracts first", ownerId: null, dueDate: null }, later));
    const runbook = mustOk(
      await addActionItem(db, w.admin, scope, q3, { text: "Write the runbook", ownerId: null, dueDate: null }, new Date(later.getTime() + 60_000)),
    );
    const reopened = mustOk(
      await addActionItem(db, w.editor, scope, q3, { text: "Review alerts", ownerId: null, dueDate: null }, new Date(later.getTime() + 120_000)),
    );

    // Adding an item creates the retrospective (version 0: no notes saved yet) if needed.
    const retros = await db.select().from(retrospectives);
    expect(retros).toHaveLength(1);
    expect(retros[0]).toMatchObject({ teamId: w.platform.id, periodLabel: "FY2026-Q3", version: 0, wentWell: "" });
    const [stored] = await db.select().from(actionItems).where(eq(actionItems.id, measure.id));
    expect(stored).toMatchObject({
      retrospectiveId: retros[0]!.id,
      text: "Measure third-party latency",
      ownerId: w.editor.id,
      dueDate: "2026-10-31",
      status: "open",
      promotedCommitmentId: null,
      createdBy: w.editor.id,
      createdAt: DURING,
    });

    expect(mustOk(await changeActionItemStatus(db, w.editor, vendor.id, "done", AFTER))).toBeNull();
    expect(mustOk(await changeActionItemStatus(db, w.admin, runbook.id, "dropped", AFTER))).toBeNull();
    mustOk(await changeActionItemStatus(db, w.editor, reopened.id, "done", AFTER));
    mustOk(await changeActionItemStatus(db, w.editor, reopened.id, "open", AFTER));
    const [vendorRow] = await db.select().from(actionItems).where(eq(actionItems.id, vendor.id));
    expect(vendorRow).toMatchObject({ status: "done", updatedAt: AFTER });

    const thisOne = await loadRetrospective(db, w.editor, scope, q3, AFTER);
    expect(thisOne.notes.version).toBe(0);
    expect(thisOne.items.map((i) => [i.text, i.status])).toEqual([
      ["Measure third-party latency", "open"],
      ["Sign vendor contracts first", "done"],
      ["Write the runbook", "dropped"],
      ["Review alerts", "open"],
    ]);
    expect(thisOne.items[0]).toMatchObject({ ownerId: w.editor.id, ownerName: "Eve Editor", dueDate: "2026-10-31" });

    // The next quarter's retrospective starts with what is still open from this one.
    const next = await loadRetrospective(db, w.editor, scope, q4, AFTER);
    expect(next.items).toEqual([]);
    expect(next.previousOpenItems.map((i) => i.id)).toEqual([measure.id, reopened.id]);
    expect(next.previousOpenItems[0]).toMatchObject({ text: "Measure third-party latency", ownerName: "Eve Editor", status: "open" });

    // Another team's next retrospective does not see them.
    const growthNext = await loadRetrospective(db, w.outsider, await scopeOf(db, "growth"), q4, AFTER);
    expect(growthNext.previousOpenItems).toEqual([]);
    // Nor does a sub-team's.
    const checkoutNext = await loadRetrospective(db, w.editor, await scopeOf(db, "checkout"), q4, AFTER);
    expect(checkoutNext.previousOpenItems).toEqual([]);
  });

  it("refuses an inactive or unknown owner and people who cannot edit the scope", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const scope = await scopeOf(db, "platform");
    const org = await scopeOf(db, "org");
    const q3 = period("FY2026-Q3");
    const gone = await makeUser(db, { role: "member", name: "Gone Person", active: false });

    for (const ownerId of [gone.id, UNKNOWN_ID]) {
      const result = await addActionItem(db, w.editor, scope, q3, { text: "Do it", ownerId, dueDate: null }, DURING);
      expect(result.ok ? null : [result.error.code, result.error.field]).toEqual(["VALIDATION", "ownerId"]);
    }
    for (const actor of [w.viewer, w.teamViewer, w.outsider]) {
      const result = await addActionItem(db, actor, scope, q3, { text: "Do it", ownerId: null, dueDate: null }, DURING);
      expect(result.ok ? "ok" : result.error.code).toBe("FORBIDDEN");
    }
    const member = await addActionItem(db, w.editor, org, q3, { text: "Do it", ownerId: null, dueDate: null }, DURING);
    expect(member.ok ? "ok" : member.error.code).toBe("FORBIDDEN");
    expect(await db.select().from(actionItems)).toHaveLength(0);
    expect(await db.select().from(retrospectives)).toHaveLength(0);

    const item = mustOk(await addActionItem(db, w.editor, scope, q3, { text: "Do it", ownerId: null, dueDate: null }, DURING));
    const orgItem = mustOk(await addActionItem(db, w.admin, org, q3, { text: "Org-wide", ownerId: null, dueDate: null }, DURING));
    for (const actor of [w.viewer, w.teamViewer, w.outsider]) {
      const result = await changeActionItemStatus(db, actor, item.id, "done", AFTER);
      expect(result.ok ? "ok" : result.error.code).toBe("FORBIDDEN");
    }
    const onOrg = await changeActionItemStatus(db, w.editor, orgItem.id, "done", AFTER);
    expect(onOrg.ok ? "ok" : onOrg.error.code).toBe("FORBIDDEN");
    const missing = await changeActionItemStatus(db, w.admin, UNKNOWN_ID, "done", AFTER);
    expect(missing.ok ? "ok" : missing.error.code).toBe("NOT_FOUND");
    const rows = await db.select().from(actionItems).orderBy(asc(actionItems.createdAt));
    expect(rows.map((r) => r.status)).toEqual(["open", "open"]);

    mustOk(await changeActionItemStatus(db, w.admin, orgItem.id, "done", AFTER));
    const [orgRow] = await db.select().from(actionItems).where(eq(actionItems.id, orgItem.id));
    expect(orgRow!.status).toBe("done");
  });
});

describe("promoting an action item", () => {
  it("drafts a next-period commitment, links both ways once, and refuses a second promotion", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const scope = await scopeOf(db, "platform");
    const q3 = period("FY2026-Q3");
    const item = mustOk(
      await addActionItem(
        db,
        w.editor,
        scope,
        q3,
        { text: "Publish third-party latency budgets for every checkout dependency", ownerId: w.editor.id, dueDate: "2026-11-30" },
        DURING,
      ),
    );

    const draft = await promotionDraft(db, w.editor, item.id, AFTER);
    expect(draft).toEqual({
      alreadyPromoted: null,
      allowed: true,
      itemId: item.id,
      statement: "Publish third-party latency budgets for every checkout dependency",
      teamId: w.platform.id,
      ownerId: w.editor.id,
      periodLabel: "FY2026-Q4",
      // The item's due date lies in the next quarter, so it is kept.
      dueDate: "2026-11-30",
    });
    expect(await promotionDraft(db, w.viewer, item.id, AFTER)).toMatchObject({ allowed: false, periodLabel: "FY2026-Q4" });
    expect(await promotionDraft(db, w.admin, UNKNOWN_ID, AFTER)).toBeNull();

    const input = makeCommitmentInput(w.platform.id, {
      statement: draft!.statement!,
      periodLabel: draft!.periodLabel!,
      dueDate: draft!.dueDate!,
      ownerId: draft!.ownerId,
    });
    const created = mustOk(await createCommitment(db, w.editor, input, AFTER, { sourceActionItemId: item.id }));
    expect(created).toMatchObject({ sourceActionItemId: item.id, periodLabel: "FY2026-Q4", teamId: w.platform.id, status: "open" });
    const [commitmentRow] = await db.select().from(commitments).where(eq(commitments.id, created.id));
    expect(commitmentRow!.sourceActionItemId).toBe(item.id);
    const [itemRow] = await db.select().from(actionItems).where(eq(actionItems.id, item.id));
    expect(itemRow).toMatchObject({ promotedCommitmentId: created.id, updatedAt: AFTER });

    // Once only: no second commitment, no stray revision.
    const again = await createCommitment(db, w.editor, input, new Date(AFTER.getTime() + 1000), { sourceActionItemId: item.id });
    expect(again.ok ? "ok" : again.error.code).toBe("ACTION.ALREADY_PROMOTED");
    expect(await db.select().from(commitments)).toHaveLength(1);
    expect(await db.select().from(commitmentRevisions)).toHaveLength(1);
    const [stillLinked] = await db.select().from(actionItems).where(eq(actionItems.id, item.id));
    expect(stillLinked!.promotedCommitmentId).toBe(created.id);

    expect(await promotionDraft(db, w.editor, item.id, AFTER)).toEqual({ alreadyPromoted: created.id });
    const data = await loadRetrospective(db, w.editor, scope, q3, AFTER);
    expect(data.items[0]).toMatchObject({ id: item.id, promotedCommitmentId: created.id });
  });

  it("rolls into the next fiscal year, defaults the due date to the period's end, and lets one of two concurrent promotions through", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const scope = await scopeOf(db, "platform");
    const q4 = period("FY2026-Q4");
    // Due inside Q4 itself, so not inside the period the commitment will be for.
    const item = mustOk(await addActionItem(db, w.editor, scope, q4, { text: "Rehearse the failover", ownerId: null, dueDate: "2026-12-01" }, AFTER));
    const draft = await promotionDraft(db, w.editor, item.id, AFTER);
    expect(draft).toMatchObject({ alreadyPromoted: null, periodLabel: "FY2027-Q1", dueDate: "2027-03-31", ownerId: null, teamId: w.platform.id });

    const input = makeCommitmentInput(w.platform.id, { statement: "Run 2 EU failover rehearsals by 31 March 2027", periodLabel: "FY2027-Q1", dueDate: "2027-03-31" });
    const results = await Promise.all([
      createCommitment(db, w.editor, input, AFTER, { sourceActionItemId: item.id }),
      createCommitment(db, w.admin, input, AFTER, { sourceActionItemId: item.id }),
    ]);
    expect(results.map((r) => (r.ok ? "ok" : r.error.code)).sort()).toEqual(["ACTION.ALREADY_PROMOTED", "ok"]);
    const rows = await db.select().from(commitments);
    expect(rows).toHaveLength(1);
    const [itemRow] = await db.select().from(actionItems).where(eq(actionItems.id, item.id));
    expect(itemRow!.promotedCommitmentId).toBe(rows[0]!.id);
    expect(rows[0]!.sourceActionItemId).toBe(item.id);

    // The organisation's action items have no team: only admins may promote them.
    const orgItem = mustOk(
      await addActionItem(db, w.admin, await scopeOf(db, "org"), q4, { text: "Org-wide thing", ownerId: null, dueDate: null }, AFTER),
    );
    expect(await promotionDraft(db, w.editor, orgItem.id, AFTER)).toMatchObject({ allowed: false, teamId: null });
    expect(await promotionDraft(db, w.admin, orgItem.id, AFTER)).toMatchObject({ allowed: true, teamId: null, periodLabel: "FY2027-Q1" });
  });
});
