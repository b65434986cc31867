// The pages people live on, through their loaders and actions: a team's home, its edit page,
// a person's page (what they own, putting them on a team), the commitments list's defaults
// and clean addresses, and a new team's address made from its name.
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import * as commitmentsList from "~/routes/commitments._index";
import * as personPage from "~/routes/people.$userId";
import * as teamPage from "~/routes/teams.$slug";
import * as teamEdit from "~/routes/teams.$slug_.edit";
import * as teamsPage from "~/routes/teams._index";
import { localDate, periodFromLabel, periodsUnderWay } from "~/domain/period";
import { teamsOfUser } from "~/models/team.server";
import { recordOutcome } from "~/services/commitments.server";
import { makeCommitment } from "../factories";
import { testDatabase } from "../setup/db";
import { world as makeWorld } from "../support/world";
import { callRoute, signIn } from "../support/routes";

// Today (the machine's clock, which the loaders use) decides the current fiscal year; the
// world is built around it so the test holds whenever it runs.
const NOW = new Date();
const FY = NOW.getUTCFullYear();
const CREATED = new Date(Date.UTC(FY - 1, 10, 1));

async function world(db: Database) {
  const w = await makeWorld(db, {
    organisation: { name: "Acme", fiscalYearStartMonth: 1, timeZone: "UTC" },
    teams: { parent: { slug: "platform", name: "Platform" }, child: { slug: "database", name: "Database", parent: "parent" }, other: { slug: "sales", name: "Sales" } },
    people: {
      admin: { role: "admin", email: "admin@acme.test" },
      editor: { role: "member", name: "Eddie Editor", email: "eddie@acme.test", teams: { parent: "editor" } },
      viewer: { role: "member", email: "vera@acme.test", teams: { parent: "viewer" } },
    },
  });
  const { parent, child, other } = w.teams;
  const { admin, editor, viewer } = w.people;
  const actor = w.actors.admin;
  // Each written a minute after the one before, so "newest first" has an order to show.
  let written = 0;
  const make = (teamId: string, periodLabel: string, dueDate: string, ownerId: string | null = null) =>
    w.commit(actor, { id: teamId }, { periodLabel, dueDate, ownerId, audience: "internal" }, new Date(CREATED.getTime() + ++written * 60_000));
  const thisYear = await make(parent.id, `FY${FY}`, `${FY}-12-20`, editor.id);
  const thisQ = await make(child.id, `FY${FY}-Q4`, `${FY}-12-10`);
  const lastYear = await make(parent.id, `FY${FY - 1}`, `${FY - 1}-12-15`, editor.id);
  const delivered = await make(parent.id, `FY${FY - 1}`, `${FY - 1}-11-30`);
  const done = await recordOutcome(
    db,
    actor,
    delivered.id,
    { status: "delivered", resolvedAt: `${FY - 1}-11-29`, actualValue: 280, evidenceUrl: "https://grafana.example.com/d/x", partialDescription: null, reasonCategory: null, control: null, explanation: null, lesson: null },
    delivered.version,
    null,
    new Date(Date.UTC(FY - 1, 10, 29, 12)),
  );
  if (!done.ok) throw new Error(done.error.message);
  const elsewhere = await make(other.id, `FY${FY}`, `${FY}-12-01`);
  return { parent, child, other, admin, editor, viewer, c: { thisYear, thisQ, lastYear, delivered, elsewhere } };
}

type TeamHome = { total: number; periods: Array<{ label: string; items: Array<{ id: string }> }>; figures: Array<{ label: string; deliveryRate: number | null; counts: { open: number; delivered: number } }>; canWrite: boolean; canManage: boolean; children: Array<{ slug: string }>; members: Array<{ name: string }> };

describe("a team's home", () => {
  it("lists its and its sub-teams' commitments by period, newest first, with the year's delivery rates", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const reply = await callRoute(db, teamPage.loader, "/teams/platform", { cookie: await signIn(db, w.editor.email), params: { slug: "platform" } });
    expect(reply.status).toBe(200);
    const home = reply.data as TeamHome;
    expect(home.total).toBe(4);
    expect(home.periods.map((p) => [p.label, p.items.map((i) => i.id)])).toEqual([
      [`FY${FY}-Q4`, [w.c.thisQ.id]],
      [`FY${FY}`, [w.c.thisYear.id]],
      [`FY${FY - 1}`, [w.c.delivered.id, w.c.lastYear.id]],
    ]);
    expect(home.figures.map((f) => [f.label, f.deliveryRate, f.counts.open])).toEqual([
      [`FY${FY}`, 0, 2],
      [`FY${FY - 1}`, 0.5, 1],
    ]);
    expect(home.children.map((c) => c.slug)).toEqual(["database"]);
    expect(home.canWrite).toBe(true);
    expect(home.canManage).toBe(false);

    const asViewer = (await callRoute(db, teamPage.loader, "/teams/platform", { cookie: await signIn(db, w.viewer.email), params: { slug: "platform" } })).data as TeamHome;
    expect(asViewer.canWrite).toBe(false);
    expect((await callRoute(db, teamPage.loader, "/teams/nope", { cookie: await signIn(db, w.viewer.email), params: { slug: "nope" } })).status).toBe(404);
  });

  it("keeps the team's form on its edit page, for admins only", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const form = { intent: "update", name: "Platform Engineering", slug: "platform-eng", mission: "", parentId: "" };
    const refused = await callRoute(db, teamEdit.action, "/teams/platform/edit", { cookie: await signIn(db, w.editor.email), params: { slug: "platform" }, form });
    expect(refused.status).toBe(403);
    expect((await callRoute(db, teamEdit.loader, "/teams/platform/edit", { cookie: await signIn(db, w.editor.email), params: { slug: "platform" } })).status).toBe(403);
    const saved = await callRoute(db, teamEdit.action, "/teams/platform/edit", { cookie: await signIn(db, w.admin.email), params: { slug: "platform" }, form });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toBe("/teams/platform-eng?saved=1");
    // A taken address is an error beside the field, not a 500.
    const taken = await callRoute(db, teamEdit.action, "/teams/platform-eng/edit", { cookie: await signIn(db, w.admin.email), params: { slug: "platform-eng" }, form: { ...form, slug: "sales" } });
    expect(taken.status).toBe(409);
    expect(JSON.stringify(taken.data)).toContain("already uses the address");
  });
});

describe("a new team's address", () => {
  it("is made from the name when left empty, and refused beside the field when it cannot be", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const cookie = await signIn(db, w.admin.email);
    const made = await callRoute(db, teamsPage.action, "/teams", { cookie, form: { intent: "create", name: "Customer Success & Support", slug: "", mission: "", parentId: "" } });
    expect(made.status).toBe(302);
    expect(made.headers.get("Location")).toBe("/teams/customer-success-support?created=1");
    const none = await callRoute(db, teamsPage.action, "/teams", { cookie, form: { intent: "create", name: "!!!", slug: "", mission: "", parentId: "" } });
    expect(none.status).toBe(400);
    expect((none.data as { result: { error: Record<string, string[]> } }).result.error.slug![0]).toMatch(/Enter an address/);
  });
});

describe("a person's page", () => {
  it("lists the commitments they own, open ones first, and puts them on a team", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const cookie = await signIn(db, w.admin.email);
    const page = await callRoute(db, personPage.loader, `/people/${w.editor.id}`, { cookie, params: { userId: w.editor.id } });
    const data = page.data as { owned: { total: number; items: Array<{ id: string }> }; teamOptions: Array<{ value: string }> };
    expect(data.owned.total).toBe(2);
    expect(data.owned.items.map((i) => i.id)).toEqual([w.c.thisYear.id, w.c.lastYear.id]);
    // Teams they are already on are not offered.
    expect(data.teamOptions.map((o) => o.value).sort()).toEqual([w.child.id, w.other.id].sort());

    const added = await callRoute(db, personPage.action, `/people/${w.editor.id}`, { cookie, params: { userId: w.editor.id }, form: { intent: "add-to-team", teamId: w.other.id, teamRole: "viewer" } });
    expect(added.status).toBe(200);
    expect((await teamsOfUser(db, w.editor.id)).map((t) => [t.slug, t.role])).toEqual([
      ["platform", "editor"],
      ["sales", "viewer"],
    ]);

    const noTeam = await callRoute(db, personPage.action, `/people/${w.editor.id}`, { cookie, params: { userId: w.editor.id }, form: { intent: "add-to-team", teamId: "", teamRole: "editor" } });
    expect(noTeam.status).toBe(400);
    expect((noTeam.data as { result: { error: Record<string, string[]> } }).result.error.teamId).toEqual(["Choose a team."]);
    const gone = await callRoute(db, personPage.action, `/people/${w.editor.id}`, { cookie, params: { userId: w.editor.id }, form: { intent: "add-to-team", teamId: "00000000-0000-4000-8000-000000000000", teamRole: "editor" } });
    expect(gone.status).toBe(400);
    expect((gone.data as { result: { error: Record<string, string[]> } }).result.error.teamId).toEqual(["That team does not exist."]);

    const member = await callRoute(db, personPage.action, `/people/${w.editor.id}`, { cookie: await signIn(db, w.viewer.email), params: { userId: w.editor.id }, form: { intent: "add-to-team", teamId: w.child.id, teamRole: "editor" } });
    expect(member.status).toBe(403);
  });
});

describe("the commitments list", () => {
  type List = { total: number; rows: Array<{ id: string }>; filters: { year: string; sort: string }; anyAtAll: boolean };

  it("opens on the periods under way now, newest first, with a count; the year is one choice away; a filter looks at every year", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const cookie = await signIn(db, w.viewer.email);
    // The quarter and half under way, and a quarter and half of this year that are not.
    const [, half, quarter] = periodsUnderWay(localDate(NOW, "UTC"), { startMonth: 1, timeZone: "UTC" });
    const otherQuarter = `FY${FY}-Q${(quarter!.index % 4) + 1}`;
    const otherHalf = `FY${FY}-H${(half!.index % 2) + 1}`;
    const actor = { id: w.admin.id, role: "admin" as const };
    const at = (minutes: number) => new Date(CREATED.getTime() + minutes * 3_600_000);
    const nowQ = await makeCommitment(db, actor, w.parent.id, { periodLabel: quarter!.label, dueDate: quarter!.end, audience: "internal" }, at(10));
    const nowH = await makeCommitment(db, actor, w.parent.id, { periodLabel: half!.label, dueDate: half!.end, audience: "internal" }, at(11));
    await makeCommitment(db, actor, w.parent.id, { periodLabel: otherQuarter, dueDate: periodFromLabel(otherQuarter, { startMonth: 1, timeZone: "UTC" })!.end, audience: "internal" }, at(12));
    await makeCommitment(db, actor, w.parent.id, { periodLabel: otherHalf, dueDate: periodFromLabel(otherHalf, { startMonth: 1, timeZone: "UTC" })!.end, audience: "internal" }, at(13));

    const opening = (await callRoute(db, commitmentsList.loader, "/commitments", { cookie })).data as List & { underWay: string[] };
    expect(opening.filters).toMatchObject({ year: "now", sort: "committed_desc" });
    expect(opening.underWay).toEqual([`FY${FY}`, half!.label, quarter!.label]);
    // The year's own commitments and the half's and quarter's under way; not the other quarter or half.
    const thisQuarterToo = quarter!.label === `FY${FY}-Q4` ? [w.c.thisQ.id] : [];
    expect(opening.rows.map((r) => r.id)).toEqual([nowH.id, nowQ.id, w.c.elsewhere.id, ...thisQuarterToo, w.c.thisYear.id]);
    expect(opening.total).toBe(opening.rows.length);

    const wholeYear = (await callRoute(db, commitmentsList.loader, `/commitments?year=FY${FY}`, { cookie })).data as List;
    expect(wholeYear.total).toBe(7);
    const team = (await callRoute(db, commitmentsList.loader, "/commitments?team=platform", { cookie })).data as List;
    expect(team.filters.year).toBe("all");
    expect(team.total).toBe(8);
    const teamNow = (await callRoute(db, commitmentsList.loader, "/commitments?team=platform&year=now", { cookie })).data as List;
    expect(teamNow.total).toBe(opening.total - 1);
    const lastYear = (await callRoute(db, commitmentsList.loader, `/commitments?year=FY${FY - 1}`, { cookie })).data as List;
    expect(lastYear.total).toBe(2);
    const none = (await callRoute(db, commitmentsList.loader, "/commitments?q=zyxwvu", { cookie })).data as List;
    expect(none).toMatchObject({ total: 0, anyAtAll: true });
  });

  it("finds an owner by part of a name or email typed in, or by the id a link carries, and never lists every person", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const cookie = await signIn(db, w.viewer.email);
    const list = async (search: string) => (await callRoute(db, commitmentsList.loader, `/commitments${search}`, { cookie })).data as List & { ownerText: string; options: Record<string, unknown> };
    const eddies = [w.c.thisYear.id, w.c.lastYear.id].sort();
    // As a form without JavaScript sends it: the text typed, any case, name or email.
    for (const typed of ["eddie", "EDITOR", "eddie%40acme", "ddie@acme.te"]) {
      const found = await list(`?owner=${typed}`);
      expect(found.rows.map((r) => r.id).sort(), typed).toEqual(eddies);
      expect(found.total).toBe(2);
      expect(found.ownerText).toBe(decodeURIComponent(typed));
    }
    // % and _ are letters here, not wildcards; nobody matching is an empty list, not an error.
    expect((await list("?owner=%25")).total).toBe(0);
    expect((await list("?owner=nobody-here")).total).toBe(0);
    // A link from a person's page or the dashboard: exactly that person, shown by name.
    const linked = await list(`?owner=${w.editor.id}`);
    expect(linked.rows.map((r) => r.id).sort()).toEqual(eddies);
    expect(linked.ownerText).toBe("Eddie Editor");
    // The page carries no picker of people: its size does not grow with the organisation.
    expect(Object.keys(linked.options)).not.toContain("people");
    expect(JSON.stringify(linked)).not.toContain(w.admin.id);
  });

  it("redirects an address with empty filters to the clean one", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const cookie = await signIn(db, w.viewer.email);
    const reply = await callRoute(db, commitmentsList.loader, "/commitments?q=&team=&period=&status=open&audience=&tag=&owner=&sort=", { cookie });
    expect(reply.status).toBe(302);
    expect(reply.headers.get("Location")).toBe("/commitments?status=open");
    const bare = await callRoute(db, commitmentsList.loader, "/commitments?q=&team=", { cookie });
    expect(bare.headers.get("Location")).toBe("/commitments");
    // "Apply" with only the default chosen: the list's own address, nothing in it.
    const applied = await callRoute(db, commitmentsList.loader, "/commitments?q=&year=now&sort=", { cookie });
    expect(applied.headers.get("Location")).toBe("/commitments");
    const nowOnly = await callRoute(db, commitmentsList.loader, "/commitments?year=now", { cookie });
    expect(nowOnly.headers.get("Location")).toBe("/commitments");
    // Beside another filter "now" is a choice, not the default, and stays.
    const withSearch = await callRoute(db, commitmentsList.loader, "/commitments?q=db&year=now&team=", { cookie });
    expect(withSearch.headers.get("Location")).toBe("/commitments?q=db&year=now");
  });
});
