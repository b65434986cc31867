// The commitments list's filters by the latest check-in's forecast and by when the outcome was
// recorded: where the dashboard's bounded "at risk" and "outcomes in the last 30 days" lists
// continue in full. The model, the list page and the API share them.
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { countCommitments, cursorKeyOf, getCommitment, listCommitments, SORTS, type ListCursor, type ListFilters, type Sort } from "~/models/commitment.server";
import { startOfLocalDay } from "~/domain/period";
import { NOT_ON_TRACK_FORECASTS, type Forecast } from "~/domain/types";
import { addCheckIn, recordOutcome, type OutcomeInput } from "~/services/commitments.server";
import * as commitmentsList from "~/routes/commitments._index";
import type { Actor } from "~/domain/result";
import { testDatabase } from "../setup/db";
import { world as makeWorld } from "../support/world";
import { callRoute, signIn } from "../support/routes";
import { apiClient } from "../support/api-client";
import { loadDashboard } from "~/pages/dashboard.server";
import { sql } from "drizzle-orm";

const MADE = new Date("2026-06-01T09:00:00.000Z");
const ZONE = "Europe/Berlin";

const delivered: OutcomeInput = {
  status: "delivered",
  resolvedAt: "2026-08-01",
  actualValue: 250,
  evidenceUrl: "https://grafana.example.com/d/checkout",
  partialDescription: null,
  reasonCategory: null,
  control: null,
  explanation: null,
  lesson: null,
};

function mustOk(result: { ok: boolean; error?: { code: string; message: string } }) {
  if (!result.ok) throw new Error(`${result.error?.code}: ${result.error?.message}`);
}

async function checkIn(db: Database, actor: Actor, id: string, date: string, forecast: Forecast, at: Date) {
  mustOk(await addCheckIn(db, actor, id, { date, forecast, probability: forecast === "on_track" ? 80 : 30, progressValue: null, note: null }, at));
}

async function resolve(db: Database, actor: Actor, id: string, recordedAt: Date) {
  const current = await getCommitment(db, id);
  mustOk(await recordOutcome(db, actor, id, delivered, current!.version, null, recordedAt));
}

/**
 * Commitments whose latest check-in differs from their earlier ones, two check-ins on one day
 * (the later entry counts), and outcomes recorded either side of midnight in Berlin.
 */
async function catalogue(db: Database) {
  const w = await makeWorld(db, {
    organisation: { fiscalYearStartMonth: 1, timeZone: ZONE },
    teams: { platform: { slug: "platform" }, growth: { slug: "growth" } },
    people: { admin: { role: "admin" }, viewer: { role: "viewer" } },
  });
  const admin = w.actors.admin;
  const c = (team: "platform" | "growth", overrides: Parameters<typeof w.commit>[2] = {}) => w.commit(admin, w.teams[team], overrides, MADE);
  const rows = {
    atRiskNow: await c("platform", { tags: ["Security"], dueDate: "2026-09-10" }),
    recovered: await c("platform", { tags: ["Security"], dueDate: "2026-09-11" }),
    stalledLater: await c("growth", { tags: ["Cost"], dueDate: "2026-09-12" }),
    offTrack: await c("growth", { tags: ["Security"], dueDate: "2026-09-13" }),
    silent: await c("platform", { tags: ["Security"], dueDate: "2026-09-14" }),
    afterMidnight: await c("platform", { tags: ["Security"], dueDate: "2026-09-15" }),
    beforeMidnight: await c("growth", { tags: ["Security"], dueDate: "2026-09-16" }),
  };
  const at = (iso: string) => new Date(iso);
  await checkIn(db, admin, rows.atRiskNow.id, "2026-08-01", "on_track", at("2026-08-01T10:00:00Z"));
  await checkIn(db, admin, rows.atRiskNow.id, "2026-08-05", "at_risk", at("2026-08-05T10:00:00Z"));
  await checkIn(db, admin, rows.recovered.id, "2026-08-01", "off_track", at("2026-08-01T10:01:00Z"));
  await checkIn(db, admin, rows.recovered.id, "2026-08-05", "on_track", at("2026-08-05T10:01:00Z"));
  // Same day: the entry made later is the latest, whatever it says.
  await checkIn(db, admin, rows.stalledLater.id, "2026-08-05", "on_track", at("2026-08-05T10:02:00Z"));
  await checkIn(db, admin, rows.stalledLater.id, "2026-08-05", "stalled", at("2026-08-05T15:02:00Z"));
  // Entered late but dated earlier: the date decides, not when it was typed.
  await checkIn(db, admin, rows.offTrack.id, "2026-08-06", "off_track", at("2026-08-06T10:03:00Z"));
  await checkIn(db, admin, rows.offTrack.id, "2026-08-02", "on_track", at("2026-08-07T10:03:00Z"));
  await checkIn(db, admin, rows.afterMidnight.id, "2026-08-01", "at_risk", at("2026-08-01T10:04:00Z"));
  // 00:30 and 23:30 in Berlin (UTC+2 in August): either side of the start of 10 August there.
  await resolve(db, admin, rows.afterMidnight.id, at("2026-08-09T22:30:00Z"));
  await resolve(db, admin, rows.beforeMidnight.id, at("2026-08-09T21:30:00Z"));
  return { w, rows };
}

const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id).sort();

describe("filtering the list by the latest check-in", () => {
  it("matches the latest check-in only: by date, then the later entry of a day", async () => {
    const { db } = await testDatabase();
    const { rows } = await catalogue(db);
    const list = (filters: ListFilters) => listCommitments(db, filters, "due", 100);

    expect(ids(await list({ forecasts: ["at_risk"] }))).toEqual(ids([rows.atRiskNow, rows.afterMidnight]));
    expect(ids(await list({ forecasts: ["on_track"] }))).toEqual(ids([rows.recovered]));
    expect(ids(await list({ forecasts: ["stalled"] }))).toEqual(ids([rows.stalledLater]));
    expect(ids(await list({ forecasts: ["off_track"] }))).toEqual(ids([rows.offTrack]));
    expect(ids(await list({ forecasts: NOT_ON_TRACK_FORECASTS }))).toEqual(ids([rows.atRiskNow, rows.stalledLater, rows.offTrack, rows.afterMidnight]));
    // The dashboard's list: open, and not on track by the latest check-in.
    expect(ids(await list({ forecasts: NOT_ON_TRACK_FORECASTS, status: "open" }))).toEqual(ids([rows.atRiskNow, rows.stalledLater, rows.offTrack]));
    expect(await list({ forecasts: [] })).toEqual([]);
    expect(await countCommitments(db, { forecasts: NOT_ON_TRACK_FORECASTS, status: "open" })).toBe(3);
    expect(await countCommitments(db, { forecasts: NOT_ON_TRACK_FORECASTS }, 1)).toBe(2);
    // Through commitment_tags (ADR 0026) as well as the commitments table.
    expect(ids(await list({ forecasts: NOT_ON_TRACK_FORECASTS, tag: "Security" }))).toEqual(ids([rows.atRiskNow, rows.offTrack, rows.afterMidnight]));
    expect(await countCommitments(db, { forecasts: NOT_ON_TRACK_FORECASTS, tag: "Security", status: "open" })).toBe(2);
  });

  it("counts an outcome from the first instant of the day in the organisation's time zone", async () => {
    const { db } = await testDatabase();
    const { rows } = await catalogue(db);
    const since = (day: string) => startOfLocalDay(day, ZONE);
    const list = (filters: ListFilters) => listCommitments(db, filters, "committed_desc", 100);

    expect(ids(await list({ outcomeRecordedSince: since("2026-08-10") }))).toEqual(ids([rows.afterMidnight]));
    expect(ids(await list({ outcomeRecordedSince: since("2026-08-09") }))).toEqual(ids([rows.afterMidnight, rows.beforeMidnight]));
    expect(await list({ outcomeRecordedSince: since("2026-08-11") })).toEqual([]);
    expect(ids(await list({ outcomeRecordedSince: since("2026-08-09"), tag: "Security", teamIds: [(await getCommitment(db, rows.afterMidnight.id))!.teamId] }))).toEqual(
      ids([rows.afterMidnight]),
    );
    expect(await countCommitments(db, { outcomeRecordedSince: since("2026-08-09"), tag: "Security" })).toBe(2);
    // An open commitment has no outcome, so no "recorded since" can match it.
    expect(await list({ outcomeRecordedSince: since("2000-01-01"), status: "open" })).toEqual([]);
  });

  // By outcome is paged below, over resolved commitments.
  it.each(SORTS.filter((s) => s !== "outcome_desc").flatMap((sort) => [{ sort, tag: undefined }, { sort, tag: "Security" }]))(
    "pages through the filtered list sorted by $sort (tag $tag) visiting each match once, in order",
    async ({ sort, tag }: { sort: Sort; tag: string | undefined }) => {
      const { db } = await testDatabase();
      const w = await makeWorld(db, { organisation: { fiscalYearStartMonth: 1, timeZone: "UTC" }, teams: { t: { slug: "platform" } }, people: { admin: { role: "admin" } } });
      const admin = w.actors.admin;
      const expected: string[] = [];
      for (let i = 0; i < 14; i++) {
        // Ties in due date, commit time and score, so the keyset must break them by id.
        const made = await w.commit(admin, w.teams.t, { dueDate: `2026-09-0${1 + (i % 4)}`, tags: i % 2 ? ["Security"] : ["Cost"], ownerId: i % 3 ? null : w.people.admin.id }, new Date(MADE.getTime() + (i % 3) * 60_000));
        const forecast: Forecast = i % 5 === 0 ? "on_track" : i % 5 === 1 ? "at_risk" : i % 5 === 2 ? "off_track" : "stalled";
        await checkIn(db, admin, made.id, "2026-08-01", forecast, new Date(`2026-08-01T10:${String(i).padStart(2, "0")}:00Z`));
        if (forecast !== "on_track" && (!tag || i % 2)) expected.push(made.id);
      }
      const filters: ListFilters = { forecasts: NOT_ON_TRACK_FORECASTS, tag };
      const whole = await listCommitments(db, filters, sort, 100);
      expect(ids(whole)).toEqual([...expected].sort());

      const visited: string[] = [];
      let after: ListCursor | undefined;
      for (let guard = 0; guard < 10; guard++) {
        const page = await listCommitments(db, filters, sort, 3, after);
        if (page.length === 0) break;
        visited.push(...page.map((r) => r.id));
        const last = page[page.length - 1]!;
        after = { key: cursorKeyOf(last, sort), id: last.id };
      }
      expect(visited).toEqual(whole.map((r) => r.id));
    },
  );
});

type ListData = {
  rows: Array<{ id: string }>;
  total: number;
  filters: Record<string, string | undefined>;
  outcomeSinceError: string | null;
};

describe("the list page's forecast and outcome filters", () => {
  it("reads them from the address, keeps a malformed day in its field with an error, and drops an unknown forecast", async () => {
    const { db } = await testDatabase();
    const { w, rows } = await catalogue(db);
    const cookie = await signIn(db, w.people.viewer.email);
    const list = async (search: string) => (await callRoute(db, commitmentsList.loader, `/commitments${search}`, { cookie })).data as ListData;

    const atRisk = await list("?status=open&forecast=not_on_track&sort=due");
    expect(atRisk.rows.map((r) => r.id)).toEqual([rows.atRiskNow.id, rows.stalledLater.id, rows.offTrack.id]);
    expect(atRisk).toMatchObject({ total: 3, outcomeSinceError: null, filters: { forecast: "not_on_track", status: "open", year: "all" } });

    const since = await list("?outcomeSince=2026-08-10");
    expect(since.rows.map((r) => r.id)).toEqual([rows.afterMidnight.id]);
    expect(since.filters.outcomeSince).toBe("2026-08-10");

    // A day that does not exist is not applied, and stays where it was typed, with the reason.
    const impossible = await list("?outcomeSince=2026-02-30");
    expect(impossible.outcomeSinceError).toMatch(/real date/);
    expect(impossible.filters.outcomeSince).toBe("2026-02-30");
    expect(impossible.total).toBe(7);
    expect((await list("?outcomeSince=1969-12-31")).outcomeSinceError).toMatch(/1970/);

    const unknown = await list("?forecast=sunny");
    expect(unknown.filters.forecast).toBeUndefined();
    expect(unknown.total).toBe(7);
  });

  it("answers a form sent without JavaScript with the clean address of the new filters", async () => {
    const { db } = await testDatabase();
    const { w } = await catalogue(db);
    const cookie = await signIn(db, w.people.viewer.email);
    const reply = await callRoute(db, commitmentsList.loader, "/commitments?q=&team=&forecast=at_risk&outcomeSince=&owner=", { cookie });
    expect(reply.status).toBe(302);
    expect(reply.headers.get("Location")).toBe("/commitments?forecast=at_risk");
  });
});

describe("the API list's forecast and outcome filters", () => {
  it("filters as the page does and names a malformed parameter in a problem", async () => {
    const { db } = await testDatabase();
    const { w, rows } = await catalogue(db);
    const call = apiClient(db);
    const token = await w.token(w.people.viewer, "read");
    const get = (search: string) => call("GET", `/api/v1/commitments${search}`, { token });
    const itemIds = (body: unknown) => (body as { items: Array<{ id: string }> }).items.map((i) => i.id);

    const atRisk = await get("?status=open&forecast=not_on_track&sort=due");
    expect(atRisk.status).toBe(200);
    expect(itemIds(atRisk.body)).toEqual([rows.atRiskNow.id, rows.stalledLater.id, rows.offTrack.id]);

    // Paged: the next link keeps the filters.
    const first = await get("?forecast=not_on_track&sort=due&limit=2");
    const next = (first.body as { next: string | null }).next;
    expect(next).toContain("forecast=not_on_track");
    const second = await call("GET", next!, { token });
    expect([...itemIds(first.body), ...itemIds(second.body)]).toEqual([rows.atRiskNow.id, rows.stalledLater.id, rows.offTrack.id, rows.afterMidnight.id]);

    const since = await get("?outcomeSince=2026-08-10");
    expect(itemIds(since.body)).toEqual([rows.afterMidnight.id]);

    expect(await get("?outcomeSince=2026-02-30")).toMatchObject({ status: 400, body: { code: "VALIDATION", fields: [{ name: "outcomeSince" }] } });
    expect(await get("?forecast=sunny")).toMatchObject({ status: 400, body: { code: "VALIDATION", fields: [{ name: "forecast" }] } });
  });
});


describe("the dashboard's outcomes of the last 30 days, continued in the list", () => {
  // 10:00 UTC: the dashboard's window starts 30 days before, at 10:00 UTC on 6 August, which is
  // midday in Berlin; the first instant of 6 August there is 22:00 UTC on the 5th.
  const NOW = new Date("2026-09-05T10:00:00.000Z");

  async function recentWorld(db: Database) {
    const w = await makeWorld(db, {
      organisation: { fiscalYearStartMonth: 1, timeZone: ZONE },
      teams: { platform: { slug: "platform" } },
      people: { admin: { role: "admin" } },
    });
    const admin = w.actors.admin;
    const c = (dueDate: string) => w.commit(admin, w.teams.platform, { dueDate }, MADE);
    const rows = {
      // Earlier the same day in Berlin as the window's start, but before it: the dashboard leaves it out.
      sameDayBefore: await c("2026-09-10"),
      justInside: await c("2026-09-11"),
      newest: await c("2026-09-12"),
      middle: await c("2026-09-13"),
      longAgo: await c("2026-09-14"),
      stillOpen: await c("2026-09-15"),
    };
    await resolve(db, admin, rows.sameDayBefore.id, new Date("2026-08-06T09:00:00Z"));
    await resolve(db, admin, rows.justInside.id, new Date("2026-08-06T10:00:00Z"));
    await resolve(db, admin, rows.newest.id, new Date("2026-09-04T08:00:00Z"));
    await resolve(db, admin, rows.middle.id, new Date("2026-08-20T08:00:00Z"));
    await resolve(db, admin, rows.longAgo.id, new Date("2026-08-02T08:00:00Z"));
    return { w, rows };
  }

  it("lists the outcomes the dashboard counts, newest first, and no more", async () => {
    const { db } = await testDatabase();
    const { w, rows } = await recentWorld(db);
    const dashboard = await loadDashboard(db, w.actors.admin, NOW);
    const newestFirst = [rows.newest.id, rows.middle.id, rows.justInside.id];
    expect(dashboard.lists.recent.map((r) => r.id)).toEqual(newestFirst);
    expect(dashboard.recentListHref).toContain("sort=outcome_desc");

    const cookie = await signIn(db, w.people.admin.email);
    const list = (await callRoute(db, commitmentsList.loader, dashboard.recentListHref, { cookie })).data as ListData;
    expect(list.outcomeSinceError).toBeNull();
    expect(list.rows.map((r) => r.id)).toEqual(newestFirst);
    expect(list.total).toBe(3);

    // A day typed by hand still counts from its first instant in the organisation's time zone.
    const byDay = (await callRoute(db, commitmentsList.loader, "/commitments?outcomeSince=2026-08-06&sort=outcome_desc", { cookie })).data as ListData;
    expect(byDay.rows.map((r) => r.id)).toEqual([...newestFirst, rows.sameDayBefore.id]);
    expect(byDay.total).toBe(4);

    // The API reads the same instant.
    const token = await w.token(w.people.admin, "read");
    const since = encodeURIComponent(new Date(NOW.getTime() - 30 * 86_400_000).toISOString());
    const api = await apiClient(db)("GET", `/api/v1/commitments?outcomeSince=${since}&sort=outcome_desc`, { token });
    expect((api.body as { items: Array<{ id: string }> }).items.map((i) => i.id)).toEqual(newestFirst);
    expect(await apiClient(db)("GET", "/api/v1/commitments?outcomeSince=2026-08-06T25:00:00Z", { token })).toMatchObject({
      status: 400,
      body: { code: "VALIDATION", fields: [{ name: "outcomeSince" }] },
    });
  });

  it("keeps a malformed instant in its field with the reason, and applies nothing", async () => {
    const { db } = await testDatabase();
    const { w } = await recentWorld(db);
    const cookie = await signIn(db, w.people.admin.email);
    const list = (await callRoute(db, commitmentsList.loader, "/commitments?outcomeSince=2026-08-06T10:00:00", { cookie })).data as ListData;
    expect(list.outcomeSinceError).toMatch(/instant/);
    expect(list.filters.outcomeSince).toBe("2026-08-06T10:00:00");
    expect(list.total).toBe(6);
  });

  it("sorted by outcome, lists only resolved commitments and pages through them once each, ties and microseconds included", async () => {
    const { db } = await testDatabase();
    const { rows } = await recentWorld(db);
    // Two outcomes recorded at one instant (broken by id), and one 400 microseconds after a millisecond.
    await db.execute(sql`update outcomes set recorded_at = '2026-08-20T08:00:00Z' where commitment_id = ${rows.justInside.id}`);
    await db.execute(sql`update outcomes set recorded_at = '2026-08-20T08:00:00.0004Z' where commitment_id = ${rows.sameDayBefore.id}`);
    const [tieA, tieB] = [rows.middle.id, rows.justInside.id].sort().reverse();
    const expected = [rows.newest.id, rows.sameDayBefore.id, tieA!, tieB!, rows.longAgo.id];
    const whole = await listCommitments(db, {}, "outcome_desc", 100);
    expect(whole.map((r) => r.id)).toEqual(expected);
    expect(await countCommitments(db, { withOutcome: true })).toBe(5);

    const visited: string[] = [];
    let after: ListCursor | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const page = await listCommitments(db, {}, "outcome_desc", 1, after);
      if (page.length === 0) break;
      visited.push(page[0]!.id);
      after = { key: cursorKeyOf(page[0]!, "outcome_desc"), id: page[0]!.id };
    }
    expect(visited).toEqual(expected);
  });
});

