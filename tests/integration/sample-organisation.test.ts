// The sample organisation: what loading it produces (two fiscal years told through the real
// services, every outcome kind, a re-scope, a carried-forward miss, a retrospective, last
// year's published letter and this year's draft), that it only ever goes into an empty
// organisation, and that first-run setup loads it only when asked.
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { actionItems, checkIns, commitmentRevisions, commitments, letters, outcomes, retrospectives, teams, users } from "../../db/schema";
import { getOrganisation } from "~/models/organisation.server";
import { countUsers } from "~/models/user.server";
import { login } from "~/services/auth.server";
import { loadSampleOrganisation } from "~/services/sample-organisation.server";
import { SAMPLE_EMAIL_DOMAIN } from "~/sample/organisation";
import { setupOrganisation } from "~/services/setup.server";
import { resetDatabase, testDatabase } from "../setup/db";
import { world } from "../support/world";

// FY from January in Europe/Berlin (the factory's organisation): this year is FY2026.
const NOW = new Date("2026-11-27T10:00:00.000Z");

/** An organisation with its admin and nothing else: the shared world without teams. */
async function emptyOrganisation(db: Database, fiscalYearStartMonth = 1) {
  return (await world(db, { organisation: { fiscalYearStartMonth }, people: { admin: { role: "admin", name: "Ada Admin" } } })).people.admin;
}

async function load(db: Database, adminId: string, now = NOW) {
  const result = await loadSampleOrganisation(db, { adminId }, now);
  if (!result.ok) throw new Error(`expected the sample to load, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** What a reader of the record sees, without ids or wall-clock columns. */
async function recordOf(db: Database) {
  const rows = await db
    .select({
      statement: commitments.statement,
      periodLabel: commitments.periodLabel,
      dueDate: commitments.dueDate,
      status: commitments.status,
      attempt: commitments.attempt,
      lintScore: commitments.lintScore,
      committedAt: commitments.committedAt,
    })
    .from(commitments)
    .orderBy(asc(commitments.committedAt), asc(commitments.statement));
  const revisions = await db
    .select({ kind: commitmentRevisions.kind, at: commitmentRevisions.at, reason: commitmentRevisions.reason })
    .from(commitmentRevisions)
    .orderBy(asc(commitmentRevisions.at), asc(commitmentRevisions.kind), asc(commitmentRevisions.reason));
  const bodies = await db.select({ fiscalYear: letters.fiscalYear, status: letters.status, body: letters.body }).from(letters).orderBy(asc(letters.fiscalYear));
  return { rows, revisions, bodies };
}

describe("the sample organisation", () => {
  it("tells two fiscal years through the real services, marked as sample data", async () => {
    const { db } = await testDatabase();
    const admin = await emptyOrganisation(db);
    const summary = await load(db, admin.id);

    const org = await getOrganisation(db);
    expect(org?.isSample).toBe(true);
    expect(summary.teams).toBeGreaterThanOrEqual(4);

    // A team tree, with people who are editors and viewers.
    const teamRows = await db.select({ id: teams.id, parentId: teams.parentId, mission: teams.mission }).from(teams);
    expect(teamRows.length).toBe(summary.teams);
    expect(teamRows.some((t) => t.parentId !== null)).toBe(true);
    expect(teamRows.every((t) => t.mission.length > 0)).toBe(true);
    const people = await db.select({ email: users.email, role: users.role }).from(users);
    expect(people.filter((p) => p.email.endsWith(`@${SAMPLE_EMAIL_DOMAIN}`)).length).toBeGreaterThanOrEqual(6);
    expect(new Set(people.map((p) => p.role))).toEqual(new Set(["admin", "member", "viewer"]));

    const rows = await db.select().from(commitments);
    expect(rows).toHaveLength(summary.commitments);
    const years = new Set(rows.map((c) => c.fiscalYear));
    expect(years).toEqual(new Set([2025, 2026, 2027]));
    expect(rows.filter((c) => c.fiscalYear === 2027).length).toBeGreaterThanOrEqual(3);
    expect(new Set(rows.map((c) => c.audience))).toEqual(new Set(["public", "internal"]));
    expect(rows.some((c) => c.measureKind === "metric") && rows.some((c) => c.measureKind === "deliverable")).toBe(true);
    // Falsifiable, and public ones clear the organisation's own minimum.
    for (const c of rows) {
      expect(c.lintScore, c.statement).toBeGreaterThanOrEqual(90);
      if (c.audience === "public") expect(c.lintScore).toBeGreaterThanOrEqual(org!.minPublicScore);
      expect(c.committedAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
    }
    expect(org!.minPublicScore).toBeGreaterThan(0);

    // Every outcome kind, several reasons and controls, and a late delivery.
    const outcomeRows = await db
      .select({ status: outcomes.status, reason: outcomes.reasonCategory, control: outcomes.control, resolvedAt: outcomes.resolvedAt, dueDate: commitments.dueDate, fiscalYear: commitments.fiscalYear })
      .from(outcomes)
      .innerJoin(commitments, eq(commitments.id, outcomes.commitmentId));
    expect(new Set(outcomeRows.map((o) => o.status))).toEqual(new Set(["delivered", "partial", "missed", "withdrawn"]));
    expect(new Set(outcomeRows.filter((o) => o.fiscalYear === 2025).map((o) => o.status)).size).toBe(4);
    expect(new Set(outcomeRows.map((o) => o.reason).filter(Boolean)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(outcomeRows.map((o) => o.control).filter(Boolean)).size).toBeGreaterThanOrEqual(2);
    expect(outcomeRows.some((o) => o.status === "delivered" && o.resolvedAt > o.dueDate)).toBe(true);
    // Nothing is resolved after the moment the sample was loaded.
    expect(outcomeRows.every((o) => o.resolvedAt <= "2026-11-27")).toBe(true);

    // A re-scope with its written reason.
    const rescopes = await db.select().from(commitmentRevisions).where(eq(commitmentRevisions.kind, "rescope"));
    expect(rescopes.length).toBeGreaterThanOrEqual(1);
    expect(rescopes[0]!.reason?.length).toBeGreaterThan(40);
    expect(rescopes[0]!.changes.map((c) => c.field)).toContain("dueDate");

    // Last year's miss carried forward into this year as attempt 2.
    const byId = new Map(rows.map((c) => [c.id, c]));
    const chains = rows.filter((c) => c.attempt === 2).map((c) => ({ next: c, previous: byId.get(c.predecessorId!)! }));
    expect(chains.some(({ next, previous }) => previous.status === "missed" && previous.fiscalYear === 2025 && next.fiscalYear === 2026)).toBe(true);

    // A surprise: missed while the last check-in said on track.
    const checkInRows = await db.select().from(checkIns).orderBy(asc(checkIns.date));
    const lastForecast = new Map<string, string>();
    for (const ci of checkInRows) lastForecast.set(ci.commitmentId, ci.forecast);
    expect(rows.some((c) => c.status === "missed" && lastForecast.get(c.id) === "on_track")).toBe(true);
    expect(checkInRows.every((ci) => ci.date <= "2026-11-27")).toBe(true);

    // A retrospective with notes and action items, one promoted into a commitment.
    const [retro] = await db.select().from(retrospectives);
    expect(retro).toBeDefined();
    expect(retro!.periodLabel).toBe("FY2025");
    expect(retro!.wentWell && retro!.wentBadly && retro!.willChange).toBeTruthy();
    const items = await db.select().from(actionItems).where(eq(actionItems.retrospectiveId, retro!.id));
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(items.some((i) => i.promotedCommitmentId !== null)).toBe(true);

    // Last year's letter published, this year's a draft.
    const letterRows = await db.select().from(letters).orderBy(asc(letters.fiscalYear));
    expect(letterRows.map((l) => [l.fiscalYear, l.audience, l.status])).toEqual([
      [2025, "public", "published"],
      [2026, "public", "draft"],
    ]);
    expect(summary.letters).toEqual({ published: letterRows[0]!.id, draft: letterRows[1]!.id });
    expect(letterRows[0]!.publishedAt!.getTime()).toBeLessThanOrEqual(NOW.getTime());
  });

  it("lets only the admin sign in: sample people have passwords nobody knows", async () => {
    const { db } = await testDatabase();
    const admin = await emptyOrganisation(db);
    await load(db, admin.id);
    const sampleEmails = (await db.select({ email: users.email }).from(users)).map((u) => u.email).filter((e) => e.endsWith(`@${SAMPLE_EMAIL_DOMAIN}`));
    const attempt = await login(db, { email: sampleEmails[0]!, password: "correct horse battery staple", ip: "198.51.100.7", userAgent: null });
    expect(attempt.ok).toBe(false);
  });

  it("is deterministic for a given moment", async () => {
    const handle = await testDatabase();
    const first = await emptyOrganisation(handle.db);
    await load(handle.db, first.id);
    const before = await recordOf(handle.db);
    await resetDatabase(handle);
    const second = await emptyOrganisation(handle.db);
    await load(handle.db, second.id);
    const after = await recordOf(handle.db);
    expect(after.rows).toEqual(before.rows);
    expect(after.revisions).toEqual(before.revisions);
    // The letters name the admin, who is the same person each time.
    expect(after.bodies).toEqual(before.bodies);
  });

  it("places the years on the organisation's own fiscal calendar", async () => {
    const { db } = await testDatabase();
    // From July: 27 November 2026 falls in FY2027, so the sample covers FY2026 and FY2027.
    const admin = await emptyOrganisation(db, 7);
    await load(db, admin.id);
    const years = new Set((await db.select({ fy: commitments.fiscalYear }).from(commitments)).map((r) => r.fy));
    expect(years).toEqual(new Set([2026, 2027, 2028]));
    const letterRows = await db.select({ fiscalYear: letters.fiscalYear, status: letters.status }).from(letters).orderBy(asc(letters.fiscalYear));
    expect(letterRows).toEqual([
      { fiscalYear: 2026, status: "published" },
      { fiscalYear: 2027, status: "draft" },
    ]);
  });

  it("loads on the first day of a fiscal year, leaving this year's future out", async () => {
    const { db } = await testDatabase();
    const admin = await emptyOrganisation(db);
    // 00:30 on 1 January 2026 in Berlin.
    const firstDay = new Date("2025-12-31T23:30:00.000Z");
    await load(db, admin.id, firstDay);
    const thisYear = await db.select({ status: commitments.status }).from(commitments).where(eq(commitments.fiscalYear, 2026));
    expect(thisYear.length).toBeGreaterThan(0);
    expect(thisYear.every((c) => c.status === "open")).toBe(true);
    expect(await db.select().from(checkIns).where(eq(checkIns.date, "2026-01-02"))).toHaveLength(0);
  });

  it("refuses to load twice, leaving the first load as it was", async () => {
    const { db } = await testDatabase();
    const admin = await emptyOrganisation(db);
    const summary = await load(db, admin.id);
    const again = await loadSampleOrganisation(db, { adminId: admin.id }, NOW);
    expect(again).toEqual({ ok: false, error: expect.objectContaining({ code: "SAMPLE.NOT_EMPTY" }) });
    expect(await db.$count(commitments)).toBe(summary.commitments);
    expect(await db.$count(teams)).toBe(summary.teams);
  });

  it("refuses an organisation that already has teams, and changes nothing", async () => {
    const { db } = await testDatabase();
    const { admin } = (
      await world(db, {
        organisation: { fiscalYearStartMonth: 1 },
        teams: { real: { name: "Real team", slug: "real-team" } },
        people: { admin: { role: "admin", name: "Ada Admin" } },
      })
    ).people;
    const result = await loadSampleOrganisation(db, { adminId: admin.id }, NOW);
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "SAMPLE.NOT_EMPTY" }) });
    expect(await db.$count(teams)).toBe(1);
    expect(await db.$count(commitments)).toBe(0);
    expect(await countUsers(db)).toBe(1);
    expect((await getOrganisation(db))?.isSample).toBe(false);
  });

  it("is loaded only on an admin's behalf", async () => {
    const { db } = await testDatabase();
    const { member } = (await world(db, { organisation: { fiscalYearStartMonth: 1 }, people: { admin: { role: "admin", name: "Ada Admin" }, member: { role: "member" } } })).people;
    const result = await loadSampleOrganisation(db, { adminId: member.id }, NOW);
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "FORBIDDEN" }) });
    expect(await db.$count(teams)).toBe(0);
  });
});

describe("first-run setup and the sample", () => {
  const input = {
    organisationName: "Acme Cloud",
    fiscalYearStartMonth: 1,
    timeZone: "Europe/Berlin",
    adminName: "Ada Admin",
    adminEmail: "ada@example.com",
    adminPassword: "a long enough password",
  };

  it("loads the sample when asked, after the admin exists", async () => {
    const { db } = await testDatabase();
    const result = await setupOrganisation(db, { ...input, sampleOrganisation: true }, NOW);
    expect(result.ok).toBe(true);
    const org = await getOrganisation(db);
    expect(org).toMatchObject({ name: "Acme Cloud", isSample: true, signatoryName: "Ada Admin" });
    expect(await db.$count(teams)).toBeGreaterThan(0);
    expect(await db.$count(commitments)).toBeGreaterThan(0);
    const [letter] = await db.select({ createdBy: letters.createdBy }).from(letters).limit(1);
    expect(letter?.createdBy).toBe(result.ok ? result.value.userId : null);
    // The admin signs in with the password chosen at setup.
    const session = await login(db, { email: input.adminEmail, password: input.adminPassword, ip: "198.51.100.8", userAgent: null });
    expect(session.ok).toBe(true);
  });

  it("never loads it unless asked", async () => {
    const { db } = await testDatabase();
    expect((await setupOrganisation(db, input, NOW)).ok).toBe(true);
    expect((await setupOrganisation(db, { ...input, adminEmail: "x@example.com", sampleOrganisation: true }, NOW)).ok).toBe(false);
    expect((await getOrganisation(db))?.isSample).toBe(false);
    expect(await db.$count(teams)).toBe(0);
    expect(await db.$count(commitments)).toBe(0);
    expect(await db.$count(letters)).toBe(0);
  });
});
