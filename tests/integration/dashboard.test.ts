// The home page: for the teams a person belongs to (with their sub-teams), what is due soon,
// overdue, at risk and recently resolved, with totals beyond the bounded lists, and how the
// current quarter is going. An admin on no team sees the whole organisation.
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { insertCheckIn, type Commitment } from "~/models/commitment.server";
import { DASHBOARD_LIST_LIMIT, type DashboardItem } from "~/models/dashboard.server";
import { recordOutcome, type OutcomeInput } from "~/services/commitments.server";
import { loadDashboard, MY_LIST_LIMIT } from "~/pages/dashboard.server";
import { firstRunProgress } from "~/models/home.server";
import { summarizeInDatabase } from "~/models/statistics.server";
import { labelsWithin } from "~/domain/period";
import type { Actor } from "~/domain/result";
import { addMember, makeCommitment, makeTeam, makeUser } from "../factories";
import { testDatabase } from "../setup/db";
import { world as makeWorld } from "../support/world";

// Fiscal year from January, UTC: today is 2026-08-10, in FY2026-Q3 (2026-07-01..2026-09-30).
const NOW = new Date("2026-08-10T12:00:00.000Z");
const CREATED = new Date("2026-06-01T09:00:00.000Z");
const DAY = 86_400_000;
const PAST_DUE_ON_A = 26;

const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

function outcome(status: "delivered" | "missed" | "withdrawn", resolvedAt: string): OutcomeInput {
  return status === "delivered"
    ? {
        status,
        resolvedAt,
        actualValue: 280,
        evidenceUrl: "https://grafana.example.com/d/checkout-slo",
        partialDescription: null,
        reasonCategory: null,
        control: null,
        explanation: null,
        lesson: null,
      }
    : {
        status,
        resolvedAt,
        actualValue: null,
        evidenceUrl: null,
        partialDescription: null,
        reasonCategory: "deprioritised",
        control: "ours",
        explanation: "Other work came first.",
        lesson: "Say no earlier.",
      };
}

/**
 * Team A (with sub-team A1) and team B, all in FY2026-Q3:
 *   past due   26 on A (2026-07-02..07-27) and 2 on A1 (07-28, 08-09); 1 on B (07-01)
 *   due soon   A today (08-10), A1 on day 30 (09-09); A on day 31 (09-10) is not; 1 on B
 *   at risk    A at_risk, A1 stalled, A off_track; A recovered (at_risk then on_track) and A
 *              same-day (at_risk then on_track, same date) are not; 1 on B
 *   resolved   A delivered, recorded 5 days ago; A missed (last check-in at risk), recorded
 *              40 days ago; A1 withdrawn, recorded exactly 30 days ago; B delivered 2 days ago
 */
async function world(db: Database) {
  const w = await makeWorld(db, {
    organisation: { name: "Acme Cloud", fiscalYearStartMonth: 1, timeZone: "UTC" },
    teams: { teamA: { slug: "team-a", name: "A" }, teamA1: { slug: "team-a1", name: "A1", parent: "teamA" }, teamB: { slug: "team-b", name: "B" } },
    people: {
      admin: { role: "admin", name: "Ada Admin" },
      member: { role: "member", name: "Mia Member", teams: { teamA: "editor" } },
      lonely: { role: "member", name: "Lou Lonely" },
      adminOnA: { role: "admin", name: "Abe Admin", teams: { teamA: "viewer" } },
    },
  });
  const { teamA, teamA1, teamB } = w.teams;
  const admin = w.actors.admin;

  // Short handles, not promises to customers: internal, so the public minimum does not apply.
  const make = (teamId: string, due: string, statement: string) => w.commit(admin, { id: teamId }, { dueDate: due, statement, audience: "internal" }, CREATED);
  const check = async (c: Commitment, date: string, forecast: "on_track" | "at_risk" | "off_track" | "stalled", probability: number, at: Date) =>
    insertCheckIn(db, { commitmentId: c.id, date, forecast, probability, progressValue: null, note: "", createdBy: admin.id, createdAt: at });
  const resolve = async (c: Commitment, status: "delivered" | "missed" | "withdrawn", recordedAt: Date) => {
    const result = await recordOutcome(db, admin, c.id, outcome(status, recordedAt.toISOString().slice(0, 10)), c.version, null, recordedAt);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value;
  };

  const pastDueA: Commitment[] = [];
  for (let i = 0; i < PAST_DUE_ON_A; i++) pastDueA.push(await make(teamA.id, addDays("2026-07-02", i), `Past due A ${i}`));
  const pastDueA1 = [await make(teamA1.id, "2026-07-28", "Past due A1 0"), await make(teamA1.id, "2026-08-09", "Past due A1 yesterday")];
  const pastDueB = await make(teamB.id, "2026-07-01", "Past due B");

  const dueToday = await make(teamA.id, "2026-08-10", "Due today A");
  const dueDay30 = await make(teamA1.id, "2026-09-09", "Due on day 30 A1");
  const dueDay31 = await make(teamA.id, "2026-09-10", "Due on day 31 A");
  const dueSoonB = await make(teamB.id, "2026-08-20", "Due soon B");

  const risky = await make(teamA.id, "2026-09-20", "Risky A");
  await check(risky, "2026-07-01", "on_track", 90, new Date("2026-07-01T10:00:00Z"));
  await check(risky, "2026-08-01", "at_risk", 35, new Date("2026-08-01T10:00:00Z"));
  const stalled = await make(teamA1.id, "2026-09-21", "Stalled A1");
  await check(stalled, "2026-08-03", "stalled", 20, new Date("2026-08-03T10:00:00Z"));
  const offTrack = await make(teamA.id, "2026-09-22", "Off track A");
  await check(offTrack, "2026-08-04", "off_track", 10, new Date("2026-08-04T10:00:00Z"));
  const recovered = await make(teamA.id, "2026-09-23", "Recovered A");
  await check(recovered, "2026-07-15", "at_risk", 30, new Date("2026-07-15T10:00:00Z"));
  await check(recovered, "2026-08-05", "on_track", 80, new Date("2026-08-05T10:00:00Z"));
  const sameDay = await make(teamA.id, "2026-09-24", "Same day A");
  await check(sameDay, "2026-08-06", "at_risk", 40, new Date("2026-08-06T09:00:00Z"));
  await check(sameDay, "2026-08-06", "on_track", 85, new Date("2026-08-06T15:00:00Z"));
  const atRiskB = await make(teamB.id, "2026-09-25", "At risk B");
  await check(atRiskB, "2026-08-01", "at_risk", 30, new Date("2026-08-01T10:00:00Z"));

  const deliveredRecent = await make(teamA.id, "2026-08-20", "Delivered A");
  await resolve(deliveredRecent, "delivered", new Date(NOW.getTime() - 5 * DAY));
  const missedOld = await make(teamA.id, "2026-07-15", "Missed A");
  await check(missedOld, "2026-06-20", "at_risk", 30, new Date("2026-06-20T10:00:00Z"));
  await resolve(missedOld, "missed", new Date(NOW.getTime() - 40 * DAY));
  const withdrawnBoundary = await make(teamA1.id, "2026-09-15", "Withdrawn A1");
  await resolve(withdrawnBoundary, "withdrawn", new Date(NOW.getTime() - 30 * DAY));
  const deliveredB = await make(teamB.id, "2026-08-25", "Delivered B");
  await resolve(deliveredB, "delivered", new Date(NOW.getTime() - 2 * DAY));

  return {
    teamA,
    teamA1,
    teamB,
    ...w.actors,
    c: {
      pastDueA,
      pastDueA1,
      pastDueB,
      dueToday,
      dueDay30,
      dueDay31,
      dueSoonB,
      risky,
      stalled,
      offTrack,
      recovered,
      sameDay,
      atRiskB,
      deliveredRecent,
      missedOld,
      withdrawnBoundary,
      deliveredB,
    },
  };
}

const ids = (items: DashboardItem[]) => items.map((i) => i.id);

describe("loadDashboard", () => {
  it("shows a member their teams and sub-teams: due soon, past due, at risk, recent, totals and the quarter", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const { c } = w;
    const data = await loadDashboard(db, w.member, NOW);

    expect(data.organisationName).toBe("Acme Cloud");
    expect(data.today).toBe("2026-08-10");
    expect(data.quarter).toMatchObject({ label: "FY2026-Q3", start: "2026-07-01", end: "2026-09-30" });
    expect(data.wholeOrganisation).toBe(false);
    expect(data.myTeams.map((t) => [t.id, t.role])).toEqual([[w.teamA.id, "editor"]]);

    const { lists } = data;
    // Open, due today up to and including day 30, by due date.
    expect(ids(lists.dueSoon)).toEqual([c.dueToday.id, c.dueDay30.id]);
    expect(lists.dueSoon[1]).toMatchObject({ statement: "Due on day 30 A1", team_name: "A1", due_date: "2026-09-09", status: "open" });

    // Open and due before today; the list stops at the limit, the total does not.
    expect(DASHBOARD_LIST_LIMIT).toBe(25);
    expect(ids(lists.pastDue)).toEqual(c.pastDueA.slice(0, DASHBOARD_LIST_LIMIT).map((x) => x.id));
    expect(lists.pastDue[0]).toMatchObject({ due_date: "2026-07-02", team_name: "A", status: "open" });
    expect(lists.totals).toEqual({ dueSoon: 2, pastDue: PAST_DUE_ON_A + 2 });

    // The latest check-in decides; a newer on-track one (even the same day) clears the risk.
    expect(ids(lists.atRisk)).toEqual([c.risky.id, c.stalled.id, c.offTrack.id]);
    expect(lists.atRisk.map((i) => [i.forecast, Number(i.probability)])).toEqual([
      ["at_risk", 35],
      ["stalled", 20],
      ["off_track", 10],
    ]);
    expect(lists.atRisk[1]!.team_name).toBe("A1");

    // Outcomes recorded in the last 30 days, newest first; 40 days ago is too old.
    expect(ids(lists.recent)).toEqual([c.deliveredRecent.id, c.withdrawnBoundary.id]);
    expect(lists.recent.map((i) => i.status)).toEqual(["delivered", "withdrawn"]);
    expect(new Date(lists.recent[0]!.recorded_at!).getTime()).toBe(NOW.getTime() - 5 * DAY);
    expect(new Date(lists.recent[1]!.recorded_at!).getTime()).toBe(NOW.getTime() - 30 * DAY);

    // Team B never shows.
    const bIds = [c.pastDueB.id, c.dueSoonB.id, c.atRiskB.id, c.deliveredB.id];
    for (const list of [lists.dueSoon, lists.pastDue, lists.atRisk, lists.recent]) {
      expect(ids(list).filter((id) => bIds.includes(id))).toEqual([]);
    }

    // Due in FY2026-Q3 for A and A1: 28 past due + 3 due later + 5 watched + 3 resolved.
    expect(data.quarterCounts).toEqual({ delivered: 1, partial: 0, missed: 1, withdrawn: 1, open: 36 });
    // This quarter's open work of my teams, soonest first, with the total beyond the list.
    expect(data.teamsThisQuarter.total).toBe(36);
    expect(data.teamsThisQuarter.items).toHaveLength(MY_LIST_LIMIT);
    expect(data.teamsThisQuarter.items[0]).toMatchObject({ id: c.pastDueA[0]!.id, teamName: "A", teamSlug: "team-a", status: "open" });
    // A member gets no first-run checklist: that is the admin's.
    expect(data.checklist).toBeNull();

    // The bounded lists continue in the commitments list, of the one team shown (with its sub-teams).
    expect(data.openListHref).toBe("/commitments?status=open&year=all&sort=due&team=team-a");
    // Bounded as a whole: a commitment none of the lists shows is nowhere in the page's data
    // (the year's figure is counted, not a summary with every open-past-due id).
    expect(JSON.stringify(data)).not.toContain(c.pastDueA[DASHBOARD_LIST_LIMIT]!.id);
    // The year's delivery rate is the retrospective's figure for the same teams and year.
    const retro = await summarizeInDatabase(db, { teamIds: [w.teamA.id, w.teamA1.id], periodLabels: labelsWithin(data.year) }, { today: data.today });
    expect(data.yearSummary).toEqual({ counts: retro.counts, made: retro.made, deliveryRate: retro.deliveryRate });
    expect(retro.made).toBeGreaterThan(0);
  });

  it("shows an admin on no team the whole organisation", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const { c } = w;
    const data = await loadDashboard(db, w.admin, NOW);

    expect(data.wholeOrganisation).toBe(true);
    expect(data.myTeams).toEqual([]);
    const { lists } = data;
    expect(ids(lists.dueSoon)).toEqual([c.dueToday.id, c.dueSoonB.id, c.dueDay30.id]);
    // B's past-due commitment (07-01) sorts first.
    expect(ids(lists.pastDue)).toEqual([c.pastDueB.id, ...c.pastDueA.slice(0, DASHBOARD_LIST_LIMIT - 1).map((x) => x.id)]);
    expect(lists.totals).toEqual({ dueSoon: 3, pastDue: PAST_DUE_ON_A + 2 + 1 });
    expect(ids(lists.atRisk)).toEqual([c.risky.id, c.stalled.id, c.offTrack.id, c.atRiskB.id]);
    expect(ids(lists.recent)).toEqual([c.deliveredB.id, c.deliveredRecent.id, c.withdrawnBoundary.id]);

    expect(data.quarterCounts).toEqual({ delivered: 2, partial: 0, missed: 1, withdrawn: 1, open: 39 });
    expect(data.teamsThisQuarter.total).toBe(39);
    expect(data.openListHref).toBe("/commitments?status=open&year=all&sort=due");
  });

  it("shows an admin who is on a team that team, and a member on no team nothing", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const { c } = w;

    const onA = await loadDashboard(db, w.adminOnA, NOW);
    expect(onA.wholeOrganisation).toBe(false);
    expect(ids(onA.lists.dueSoon)).toEqual([c.dueToday.id, c.dueDay30.id]);
    expect(onA.lists.totals).toEqual({ dueSoon: 2, pastDue: 28 });
    expect(onA.quarterCounts.open).toBe(36);

    const lonely = await loadDashboard(db, w.lonely, NOW);
    expect(lonely.wholeOrganisation).toBe(false);
    expect(lonely.myTeams).toEqual([]);
    expect(lonely.lists).toEqual({ dueSoon: [], pastDue: [], atRisk: [], recent: [], totals: { dueSoon: 0, pastDue: 0 } });
    expect(lonely.quarterCounts).toEqual({ delivered: 0, partial: 0, missed: 0, withdrawn: 0, open: 0 });
    expect(lonely.teamsThisQuarter).toEqual({ items: [], total: 0 });
    expect(lonely.mine).toEqual({ items: [], total: 0 });
  });

  it("reckons today in the organisation's time zone", async () => {
    const { db } = await testDatabase();
    const w = await makeWorld(db, {
      organisation: { fiscalYearStartMonth: 1, timeZone: "Pacific/Auckland" },
      teams: { team: {} },
      people: { user: { role: "member", teams: { team: "editor" } } },
    });
    const c = await w.commit(w.actors.user, w.teams.team, { dueDate: "2026-08-10" }, CREATED);
    // 2026-08-10T12:00Z is already 2026-08-11 in Auckland: due yesterday there.
    const data = await loadDashboard(db, w.actors.user, NOW);
    expect(data.today).toBe("2026-08-11");
    expect(ids(data.lists.pastDue)).toEqual([c.id]);
    expect(data.lists.dueSoon).toEqual([]);
  });

  it("counts a year's or a half's commitment due this quarter in this quarter's figures, and the first commitment at once", async () => {
    const { db } = await testDatabase();
    const w = await makeWorld(db, {
      organisation: { fiscalYearStartMonth: 1, timeZone: "UTC" },
      teams: { payments: { slug: "payments", name: "Payments" } },
      people: { owner: { role: "member", name: "Olu Owner", teams: { payments: "editor" } }, admin: { role: "admin" } },
    });
    const team = w.teams.payments;
    const owner = w.people.owner;
    const actor = w.actors.owner;

    const empty = await loadDashboard(db, actor, NOW);
    expect(empty.quarterCounts).toEqual({ delivered: 0, partial: 0, missed: 0, withdrawn: 0, open: 0 });

    // Made for the year and for the half, both due in FY2026-Q3; the latter is at risk.
    const yearly = await makeCommitment(db, actor, team.id, { periodLabel: "FY2026", dueDate: "2026-09-20", ownerId: owner.id, audience: "internal" }, CREATED);
    const half = await makeCommitment(db, actor, team.id, { periodLabel: "FY2026-H2", dueDate: "2026-09-30", audience: "internal" }, CREATED);
    await insertCheckIn(db, { commitmentId: half.id, date: "2026-08-01", forecast: "at_risk", probability: 30, progressValue: null, note: "", createdBy: owner.id, createdAt: new Date("2026-08-01T10:00:00Z") });
    // The year's commitment due next quarter is mine but not this quarter's.
    const later = await makeCommitment(db, actor, team.id, { periodLabel: "FY2026", dueDate: "2026-12-15", ownerId: owner.id, audience: "internal" }, CREATED);
    // Someone else's, and one of mine already delivered: not in "mine".
    const delivered = await makeCommitment(db, actor, team.id, { periodLabel: "FY2026-Q3", dueDate: "2026-07-20", ownerId: owner.id, audience: "internal" }, CREATED);
    const done = await recordOutcome(db, w.actors.admin, delivered.id, outcome("delivered", "2026-07-19"), delivered.version, null, new Date("2026-07-19T10:00:00Z"));
    expect(done.ok).toBe(true);

    const data = await loadDashboard(db, actor, NOW);
    expect(ids(data.lists.atRisk)).toEqual([half.id]);
    expect(data.quarterCounts).toEqual({ delivered: 1, partial: 0, missed: 0, withdrawn: 0, open: 2 });
    expect(data.teamsThisQuarter.items.map((i) => i.id)).toEqual([yearly.id, half.id]);
    expect(data.teamsThisQuarter.items[1]).toMatchObject({ periodLabel: "FY2026-H2", forecast: "at_risk", probability: 30 });
    expect(data.mine.items.map((i) => i.id)).toEqual([yearly.id, later.id]);
    expect(data.mine.total).toBe(2);
    expect(data.mine.items[0]).toMatchObject({ ownerName: "Olu Owner", dueDate: "2026-09-20", teamName: "Payments" });
  });
});

describe("the first-run checklist", () => {
  const step = (data: Awaited<ReturnType<typeof loadDashboard>>, id: string) => data.checklist!.steps.find((s) => s.id === id)!;

  it("follows an empty instance's real progress, step by step, and folds away when done", async () => {
    const { db } = await testDatabase();
    const { setupOrganisation } = await import("~/services/setup.server");
    const { saveOrganisationSettings } = await import("~/services/organisation.server");
    const setup = await setupOrganisation(
      db,
      { organisationName: "Fresh Co", fiscalYearStartMonth: 1, timeZone: "UTC", adminName: "Ada", adminEmail: "ada@fresh.example", adminPassword: "a long unusual passphrase 42" },
      NOW,
    );
    if (!setup.ok) throw new Error(setup.error.message);
    const admin: Actor = { id: setup.value.userId, role: "admin" };

    let data = await loadDashboard(db, admin, NOW);
    expect(data.checklist!.steps.map((s) => [s.id, s.done])).toEqual([
      ["team", false],
      ["people", false],
      ["commitment", false],
      ["minimum", false],
      ["publish", true],
    ]);
    expect(data.checklist!.complete).toBe(false);
    expect(step(data, "team").href).toBe("/teams");
    expect(step(data, "commitment").href).toBe("/commitments/new");
    expect(step(data, "publish").detail).toContain("FY2026");

    const team = await makeTeam(db, { slug: "core", name: "Core" });
    data = await loadDashboard(db, admin, NOW);
    expect(step(data, "team").done).toBe(true);
    expect(step(data, "people").done).toBe(false);

    // A member on no team keeps the step open, and the step says so.
    const member = await makeUser(db, { role: "member" });
    data = await loadDashboard(db, admin, NOW);
    expect(step(data, "people").done).toBe(false);
    expect(step(data, "people").detail).toBe("1 person is on no team yet.");
    await addMember(db, team.id, member.id, "editor");
    data = await loadDashboard(db, admin, NOW);
    expect(step(data, "people").done).toBe(true);

    await makeCommitment(db, { id: member.id, role: "member" }, team.id, { audience: "internal", periodLabel: "FY2026", dueDate: "2026-09-01" }, CREATED);
    data = await loadDashboard(db, admin, NOW);
    expect(step(data, "commitment").done).toBe(true);
    // The admin on no team sees the whole organisation, so the first commitment counts at once.
    expect(data.quarterCounts.open).toBe(1);
    expect(data.checklist!.complete).toBe(false);

    const org = await (await import("~/models/organisation.server")).getOrganisation(db);
    const saved = await saveOrganisationSettings(
      db,
      admin,
      {
        organisationName: org!.name,
        fiscalYearStartMonth: org!.fiscalYearStartMonth,
        timeZone: org!.timeZone,
        signatoryName: null,
        signatoryTitle: null,
        publicSiteEnabled: true,
        minPublicScore: org!.minPublicScore,
      },
      new Date(NOW.getTime() + DAY),
    );
    expect(saved.ok).toBe(true);
    data = await loadDashboard(db, admin, NOW);
    expect(step(data, "minimum").done).toBe(true);
    expect(data.checklist!.complete).toBe(true);
    expect(data.checklist!.doneCount).toBe(5);

    // Commitments are counted up to the bound and one more, never further.
    await makeCommitment(db, { id: member.id, role: "member" }, team.id, { audience: "internal", periodLabel: "FY2026", dueDate: "2026-09-02" }, CREATED);
    await makeCommitment(db, { id: member.id, role: "member" }, team.id, { audience: "internal", periodLabel: "FY2026", dueDate: "2026-09-03" }, CREATED);
    expect((await firstRunProgress(db)).commitments).toBe(3);
    expect((await firstRunProgress(db, 3)).commitments).toBe(3);
    expect((await firstRunProgress(db, 2)).commitments).toBe(3);
    expect((await firstRunProgress(db, 1)).commitments).toBe(2);
  });
});
