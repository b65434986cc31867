import { asc } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { teamMembers, teams } from "../../db/schema";
import { ancestorIds, getTeamById, getTeamBySlug, listMembers, subtreeIds, teamsOfUser } from "~/models/team.server";
import type { PublicUser } from "~/models/user.server";
import type { Actor } from "~/domain/result";
import { addTeamMember, createTeam, removeTeamMember, updateTeam, type TeamInput } from "~/services/teams.server";
import { addMember, makeTeam, makeUser } from "../factories";
import { testDatabase } from "../setup/db";

const NOW = new Date("2026-03-02T09:00:00.000Z");
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

const actorOf = (user: PublicUser): Actor => ({ id: user.id, role: user.role });

const teamInput = (overrides: Partial<TeamInput> = {}): TeamInput => ({
  name: "Payments",
  slug: "payments",
  mission: "Money moves safely.",
  parentId: null,
  ...overrides,
});

async function teamRows(db: Database) {
  return db.select().from(teams).orderBy(asc(teams.id));
}

async function memberRows(db: Database) {
  return db.select().from(teamMembers).orderBy(asc(teamMembers.teamId), asc(teamMembers.userId));
}

/** root → middle → leaf, plus a sibling of middle, all built through the service. */
async function threeLevels(db: Database, admin: PublicUser) {
  const make = async (slug: string, parentId: string | null) => {
    const r = await createTeam(db, actorOf(admin), teamInput({ name: slug, slug, parentId }));
    if (!r.ok) throw new Error(r.error.code);
    return r.value;
  };
  const root = await make("root", null);
  const middle = await make("middle", root.id);
  const leaf = await make("leaf", middle.id);
  const sibling = await make("sibling", root.id);
  return { root, middle, leaf, sibling };
}

describe("creating teams", () => {
  it("an admin creates a team", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });

    const result = await createTeam(db, actorOf(admin), teamInput());

    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({ name: "Payments", slug: "payments", mission: "Money moves safely.", parentId: null }),
    });
    expect(await getTeamBySlug(db, "payments")).toMatchObject({ name: "Payments", mission: "Money moves safely." });
  });

  it("an admin creates a sub-team under an existing parent", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const parent = await makeTeam(db, { slug: "platform" });

    const result = await createTeam(db, actorOf(admin), teamInput({ parentId: parent.id }));

    expect(result).toEqual({ ok: true, value: expect.objectContaining({ slug: "payments", parentId: parent.id }) });
    expect((await getTeamBySlug(db, "payments"))?.parentId).toBe(parent.id);
  });

  for (const role of ["member", "viewer"] as const) {
    it(`a ${role} cannot create, edit or staff a team`, async () => {
      const { db } = await testDatabase();
      const actor = await makeUser(db, { role });
      const other = await makeUser(db, { role: "member" });
      const existing = await makeTeam(db, { slug: "existing", name: "Existing" });
      await addMember(db, existing.id, actor.id, "editor");
      await addMember(db, existing.id, other.id, "viewer");
      const teamsBefore = await teamRows(db);
      const membersBefore = await memberRows(db);
      const forbidden = { ok: false, error: expect.objectContaining({ code: "FORBIDDEN" }) };

      expect(await createTeam(db, actorOf(actor), teamInput())).toEqual(forbidden);
      // Even an editor of the team may not change the team itself.
      expect(await updateTeam(db, actorOf(actor), existing.id, teamInput({ slug: "renamed" }), NOW)).toEqual(forbidden);
      expect(await addTeamMember(db, actorOf(actor), existing.id, other.id, "editor")).toEqual(forbidden);
      expect(await removeTeamMember(db, actorOf(actor), existing.id, other.id)).toEqual(forbidden);

      expect(await teamRows(db)).toEqual(teamsBefore);
      expect(await memberRows(db)).toEqual(membersBefore);
    });
  }

  it("refuses a slug another team already uses, naming the field", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    await makeTeam(db, { slug: "payments", name: "The original" });

    const result = await createTeam(db, actorOf(admin), teamInput({ name: "Another payments" }));

    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "TEAM.SLUG_TAKEN", field: "slug" }) });
    expect(await teamRows(db)).toHaveLength(1);
    expect((await getTeamBySlug(db, "payments"))?.name).toBe("The original");
  });

  it("lets exactly one of several simultaneous creations of the same slug win", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });

    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => createTeam(db, actorOf(admin), teamInput({ name: `Payments ${i}` }))),
    );

    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok)) {
      expect(r).toEqual({ ok: false, error: expect.objectContaining({ code: "TEAM.SLUG_TAKEN", field: "slug" }) });
    }
    expect(await teamRows(db)).toHaveLength(1);
  });

  it("refuses a parent that does not exist", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });

    const result = await createTeam(db, actorOf(admin), teamInput({ parentId: UNKNOWN_ID }));

    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "TEAM.PARENT_NOT_FOUND", field: "parentId" }),
    });
    expect(await teamRows(db)).toHaveLength(0);
  });
});

describe("editing teams", () => {
  it("renames and re-slugs a team", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const team = await makeTeam(db, { slug: "payments", name: "Payments" });
    const parent = await makeTeam(db, { slug: "platform" });

    const result = await updateTeam(
      db,
      actorOf(admin),
      team.id,
      { name: "Billing", slug: "billing", mission: "Invoices on time.", parentId: parent.id },
      NOW,
    );

    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({ id: team.id, name: "Billing", slug: "billing", mission: "Invoices on time.", parentId: parent.id }),
    });
    expect(await getTeamBySlug(db, "payments")).toBeNull();
    expect(await getTeamById(db, team.id)).toMatchObject({ slug: "billing", name: "Billing", updatedAt: NOW });
    expect((await getTeamById(db, team.id))?.createdAt).toEqual(team.createdAt);
  });

  it("keeps its own slug when only the name changes, and can move back to the top level", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const parent = await makeTeam(db, { slug: "platform" });
    const team = await makeTeam(db, { slug: "payments", parentId: parent.id });

    const result = await updateTeam(db, actorOf(admin), team.id, teamInput({ name: "Payments & Billing" }), NOW);

    expect(result).toEqual({ ok: true, value: expect.objectContaining({ slug: "payments", name: "Payments & Billing", parentId: null }) });
  });

  it("refuses to take another team's slug", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    await makeTeam(db, { slug: "payments" });
    const team = await makeTeam(db, { slug: "billing", name: "Billing" });

    const result = await updateTeam(db, actorOf(admin), team.id, teamInput({ name: "Billing" }), NOW);

    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "TEAM.SLUG_TAKEN", field: "slug" }) });
    expect(await getTeamById(db, team.id)).toMatchObject({ slug: "billing", name: "Billing" });
  });

  it("refuses to place a team under one of its own descendants", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const a = await makeTeam(db, { slug: "a" });
    const b = await makeTeam(db, { slug: "b", parentId: a.id });
    const c = await makeTeam(db, { slug: "c", parentId: b.id });
    const before = await teamRows(db);

    const result = await updateTeam(db, actorOf(admin), a.id, teamInput({ name: "A", slug: "a", parentId: c.id }), NOW);

    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "TEAM.PARENT_CYCLE", field: "parentId" }) });
    expect(await teamRows(db)).toEqual(before);
    expect((await getTeamById(db, a.id))?.parentId).toBeNull();
  });

  it("refuses to make a team its own parent", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const a = await makeTeam(db, { slug: "a" });

    const result = await updateTeam(db, actorOf(admin), a.id, teamInput({ slug: "a", parentId: a.id }), NOW);

    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "TEAM.PARENT_CYCLE", field: "parentId" }) });
  });

  it("never lets two simultaneous moves form a cycle between them", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    // Each round is a fresh pair racing to sit under each other; one round alone could be lucky.
    for (let round = 0; round < 10; round++) {
      const a = await makeTeam(db, { slug: `a-${round}` });
      const b = await makeTeam(db, { slug: `b-${round}` });

      const results = await Promise.all([
        updateTeam(db, actorOf(admin), a.id, teamInput({ name: "A", slug: a.slug, parentId: b.id }), NOW),
        updateTeam(db, actorOf(admin), b.id, teamInput({ name: "B", slug: b.slug, parentId: a.id }), NOW),
      ]);

      const codes = results.map((r) => (r.ok ? "ok" : r.error.code)).sort();
      expect(codes, `round ${round}`).toEqual(["TEAM.PARENT_CYCLE", "ok"]);
      const chain = await ancestorIds(db, a.id);
      expect(new Set(chain).size, `round ${round}: ${chain.length} ancestors`).toBe(chain.length);
    }
  });

  it("allows moving a team under an unrelated branch", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const a = await makeTeam(db, { slug: "a" });
    const b = await makeTeam(db, { slug: "b", parentId: a.id });
    const c = await makeTeam(db, { slug: "c", parentId: b.id });
    const other = await makeTeam(db, { slug: "other" });

    const result = await updateTeam(db, actorOf(admin), b.id, teamInput({ name: "B", slug: "b", parentId: other.id }), NOW);

    expect(result).toEqual({ ok: true, value: expect.objectContaining({ id: b.id, parentId: other.id }) });
    expect(await ancestorIds(db, c.id)).toEqual([c.id, b.id, other.id]);
  });

  it("refuses a parent that does not exist, and an unknown team", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const team = await makeTeam(db, { slug: "payments" });

    expect(await updateTeam(db, actorOf(admin), team.id, teamInput({ parentId: UNKNOWN_ID }), NOW)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "TEAM.PARENT_NOT_FOUND", field: "parentId" }),
    });
    expect((await getTeamById(db, team.id))?.parentId).toBeNull();
    expect(await updateTeam(db, actorOf(admin), UNKNOWN_ID, teamInput({ slug: "ghost" }), NOW)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "NOT_FOUND" }),
    });
    expect(await teamRows(db)).toHaveLength(1);
  });
});

describe("team members", () => {
  it("adds an editor and a viewer", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const team = await makeTeam(db);
    const ed = await makeUser(db, { name: "Ed" });
    const vi = await makeUser(db, { name: "Vi", role: "viewer" });

    expect(await addTeamMember(db, actorOf(admin), team.id, ed.id, "editor")).toEqual({ ok: true, value: null });
    expect(await addTeamMember(db, actorOf(admin), team.id, vi.id, "viewer")).toEqual({ ok: true, value: null });

    const members = await listMembers(db, team.id);
    expect(members.map((m) => [m.userId, m.role])).toEqual([
      [ed.id, "editor"],
      [vi.id, "viewer"],
    ]);
    expect(await teamsOfUser(db, ed.id)).toEqual([expect.objectContaining({ id: team.id, role: "editor" })]);
  });

  it("re-adding a member changes their role without a second row", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const team = await makeTeam(db);
    const person = await makeUser(db);
    await addTeamMember(db, actorOf(admin), team.id, person.id, "editor");

    const again = await addTeamMember(db, actorOf(admin), team.id, person.id, "viewer");

    expect(again).toEqual({ ok: true, value: null });
    const rows = await memberRows(db);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ teamId: team.id, userId: person.id, role: "viewer" });
  });

  it("removes a member, and says NOT_FOUND for someone who is not one", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const team = await makeTeam(db);
    const otherTeam = await makeTeam(db);
    const person = await makeUser(db);
    const stranger = await makeUser(db);
    await addMember(db, team.id, person.id, "editor");
    await addMember(db, otherTeam.id, person.id, "viewer");

    expect(await removeTeamMember(db, actorOf(admin), team.id, person.id)).toEqual({ ok: true, value: null });
    expect(await listMembers(db, team.id)).toEqual([]);
    // Only that membership went.
    expect(await memberRows(db)).toEqual([expect.objectContaining({ teamId: otherTeam.id, userId: person.id, role: "viewer" })]);

    expect(await removeTeamMember(db, actorOf(admin), team.id, person.id)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "NOT_FOUND" }),
    });
    expect(await removeTeamMember(db, actorOf(admin), team.id, stranger.id)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "NOT_FOUND" }),
    });
  });

  it("refuses a deactivated or unknown person, and an unknown team", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const team = await makeTeam(db);
    const dormant = await makeUser(db, { active: false });
    const person = await makeUser(db);

    expect(await addTeamMember(db, actorOf(admin), team.id, dormant.id, "editor")).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "TEAM.USER_NOT_FOUND", field: "userId" }),
    });
    expect(await addTeamMember(db, actorOf(admin), team.id, UNKNOWN_ID, "editor")).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "TEAM.USER_NOT_FOUND", field: "userId" }),
    });
    expect(await addTeamMember(db, actorOf(admin), UNKNOWN_ID, person.id, "editor")).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "NOT_FOUND" }),
    });
    expect(await memberRows(db)).toEqual([]);
  });
});

describe("the team tree", () => {
  it("subtreeIds and ancestorIds follow a three-level tree", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const { root, middle, leaf, sibling } = await threeLevels(db, admin);
    const unrelated = await makeTeam(db, { slug: "unrelated" });

    expect((await subtreeIds(db, root.id)).sort()).toEqual([root.id, middle.id, leaf.id, sibling.id].sort());
    expect((await subtreeIds(db, middle.id)).sort()).toEqual([middle.id, leaf.id].sort());
    expect(await subtreeIds(db, leaf.id)).toEqual([leaf.id]);
    expect(await subtreeIds(db, unrelated.id)).toEqual([unrelated.id]);

    // Nearest first.
    expect(await ancestorIds(db, leaf.id)).toEqual([leaf.id, middle.id, root.id]);
    expect(await ancestorIds(db, sibling.id)).toEqual([sibling.id, root.id]);
    expect(await ancestorIds(db, root.id)).toEqual([root.id]);

    expect(await subtreeIds(db, UNKNOWN_ID)).toEqual([]);
    expect(await ancestorIds(db, UNKNOWN_ID)).toEqual([]);
  });
});
