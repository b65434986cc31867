// The commitments list's team filter is a search field (ADR 0036): the page does not send every
// team to pick from; the server resolves a slug from a link, or a name or part of one typed in.
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import * as commitmentsList from "~/routes/commitments._index";
import * as teamSuggestions from "~/routes/suggestions.teams";
import { testDatabase } from "../setup/db";
import { world as makeWorld } from "../support/world";
import { callRoute, signIn } from "../support/routes";

const MADE = new Date("2026-06-01T09:00:00.000Z");

type ListData = {
  rows: Array<{ id: string }>;
  total: number;
  teamText: string;
  teamError: string | null;
  teamMatches: Array<{ slug: string; name: string }>;
  filters: Record<string, string | undefined>;
  options: Record<string, unknown>;
};

async function teamsWorld(db: Database) {
  const w = await makeWorld(db, {
    organisation: { fiscalYearStartMonth: 1, timeZone: "UTC" },
    teams: {
      payments: { slug: "payments", name: "Payments" },
      checkout: { slug: "checkout-web", name: "Checkout Web", parent: "payments" },
      checkoutApi: { slug: "checkout-api", name: "Checkout API" },
      growth: { slug: "growth", name: "Growth 100%_" },
    },
    people: { viewer: { role: "viewer" }, admin: { role: "admin" } },
  });
  const c = (team: keyof typeof w.teams) => w.commit(w.actors.admin, w.teams[team], {}, MADE);
  const rows = { payments: await c("payments"), checkout: await c("checkout"), checkoutApi: await c("checkoutApi"), growth: await c("growth") };
  const cookie = await signIn(db, w.people.viewer.email);
  const get = (search: string) => callRoute(db, commitmentsList.loader, `/commitments${search}`, { cookie });
  const list = async (search: string) => (await get(search)).data as ListData;
  return { w, rows, get, list };
}

const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id).sort();

describe("the list's team filter", () => {
  it("applies a linked slug with its sub-teams, shows the team's name, and sends no list of teams", async () => {
    const { db } = await testDatabase();
    const { rows, list } = await teamsWorld(db);
    const payments = await list("?team=payments");
    expect(ids(payments.rows)).toEqual(ids([rows.payments, rows.checkout]));
    expect(payments).toMatchObject({ teamText: "Payments", teamError: null, teamMatches: [] });
    expect(payments.options).not.toHaveProperty("teams");
    expect(JSON.stringify(payments)).not.toContain("checkout-api");
  });

  it("answers a typed name, whole or part, any case, with the address of the team's slug", async () => {
    const { db } = await testDatabase();
    const { get } = await teamsWorld(db);
    for (const [typed, slug] of [
      ["Checkout%20Web", "checkout-web"],
      ["checkout%20api", "checkout-api"],
      ["PAYM", "payments"],
      // LIKE's wildcards are matched as text.
      ["100%25_", "growth"],
    ] as const) {
      const reply = await get(`?team=${typed}&status=open`);
      expect(reply.status, typed).toBe(302);
      expect(reply.headers.get("Location"), typed).toBe(`/commitments?team=${slug}&status=open`);
    }
  });

  it("keeps an ambiguous or unknown text in the field with the reason, lists what it could mean, and applies nothing", async () => {
    const { db } = await testDatabase();
    const { list } = await teamsWorld(db);
    const several = await list("?team=checkout");
    expect(several.teamText).toBe("checkout");
    expect(several.teamError).toMatch(/2 teams match/);
    expect(several.teamMatches).toEqual([
      { slug: "checkout-api", name: "Checkout API" },
      { slug: "checkout-web", name: "Checkout Web" },
    ]);
    expect(several.total).toBe(4);

    const none = await list("?team=zzz");
    expect(none).toMatchObject({ teamText: "zzz", teamMatches: [], total: 4 });
    expect(none.teamError).toMatch(/No team's name contains “zzz”/);
  });
});

describe("/suggestions/teams", () => {
  it("suggests, while someone types, the teams the filter would resolve the text to, by name", async () => {
    const { db } = await testDatabase();
    const { w } = await teamsWorld(db);
    const cookie = await signIn(db, w.people.viewer.email);
    const suggest = async (q: string) => {
      const reply = await callRoute(db, teamSuggestions.loader, `/suggestions/teams?q=${encodeURIComponent(q)}`, { cookie });
      expect(reply.status).toBe(200);
      expect(reply.headers.get("Cache-Control")).toBe("private, no-store");
      return (JSON.parse(reply.data as string) as { teams: Array<{ label: string; slug: string }> }).teams;
    };
    expect((await suggest("CHECK")).map((t) => t.label)).toEqual(["Checkout API", "Checkout Web"]);
    // Each suggestion, chosen, is a name the list resolves to that one team.
    for (const t of await suggest("check")) {
      const reply = await callRoute(db, commitmentsList.loader, `/commitments?team=${encodeURIComponent(t.label)}`, { cookie });
      expect(reply.headers.get("Location")).toBe(`/commitments?team=${t.slug}`);
    }
    // The exact slug first; LIKE's wildcards are text.
    expect((await suggest("payments")).map((t) => t.slug)).toEqual(["payments"]);
    expect((await suggest("%_")).map((t) => t.slug)).toEqual(["growth"]);
    expect(await suggest("   ")).toEqual([]);
    expect(await suggest("x".repeat(201))).toEqual([]);
  });

  it("is for people who are signed in", async () => {
    const { db } = await testDatabase();
    await teamsWorld(db);
    const anonymous = await callRoute(db, teamSuggestions.loader, "/suggestions/teams?q=check").catch((reply: unknown) => reply as Response);
    expect([302, 401]).toContain((anonymous as { status: number }).status);
  });
});
