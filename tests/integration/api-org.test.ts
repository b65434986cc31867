// The JSON API for people, teams, carry-forward and retrospectives: every endpoint through its
// route module, every response checked against the OpenAPI document (tests/support/api-client).
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accountLinks, actionItems, commitments, idempotencyKeys, sessions, teams, users } from "../../db/schema";
import { ACCOUNT_LINKS_PER_PERSON_PER_HOUR } from "~/domain/accounts";
import { hashToken } from "~/services/auth.server";
import { makeTeam, makeUser } from "../factories";
import { testDatabase } from "../setup/db";
import { world as makeWorld } from "../support/world";
import { apiClient, type ApiResult } from "../support/api-client";

const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

async function world() {
  const { db } = await testDatabase();
  const w = await makeWorld(db, {
    organisation: { fiscalYearStartMonth: 1, timeZone: "UTC" },
    teams: { teamA: { slug: "platform", name: "Platform" }, teamB: { slug: "apps", name: "Apps" } },
    people: {
      admin: { role: "admin", name: "Ada Admin" },
      editorA: { role: "member", name: "Eve Editor", teams: { teamA: "editor" } },
      editorB: { role: "member", name: "Otto Outsider", teams: { teamB: "editor" } },
      member: { role: "member", name: "Max Member" },
      viewer: { role: "viewer", name: "Vic Viewer" },
    },
  });
  return { db, ...w.people, ...w.teams, token: w.token, call: apiClient(db) };
}

type World = Awaited<ReturnType<typeof world>>;

function commitmentBody(teamId: string, overrides: Record<string, unknown> = {}) {
  return {
    statement: "Move checkout for every EU customer to the Frankfurt region by the end of the quarter",
    measure: { kind: "metric", name: "p95 checkout latency", baseline: 900, comparator: "lte", target: 300, unit: "ms" },
    evidenceSource: "Grafana SLO dashboard",
    dueDate: "2026-09-15",
    periodLabel: "FY2026-Q3",
    teamId,
    audience: "public",
    tags: ["Reliability"],
    ...overrides,
  };
}

const missedOutcome = {
  status: "missed",
  resolvedAt: "2026-10-01",
  reasonCategory: "underestimated_scope",
  control: "ours",
  explanation: "Two regions needed a new database.",
  lesson: "Survey every region before promising.",
};
const deliveredOutcome = { status: "delivered", resolvedAt: "2026-09-10", actualValue: 280, evidenceUrl: "https://grafana.example.com/d/slo" };
const nextAttempt = { periodLabel: "FY2030-Q1", dueDate: "2030-03-15", statement: "Serve checkout p95 under 300 ms in all five EU regions" };

function fieldNames(res: ApiResult): string[] {
  return ((res.body as { fields?: Array<{ name: string }> }).fields ?? []).map((f) => f.name);
}

function idOf(res: ApiResult): string {
  return (res.body as { id: string }).id;
}

/** A commitment of team A, committed by its editor through the API. */
async function commit(w: World, t: string, overrides: Record<string, unknown> = {}) {
  const res = await w.call("POST", "/api/v1/commitments", { token: t, body: commitmentBody(w.teamA.id, overrides) });
  expect(res.status).toBe(201);
  return { id: idOf(res), etag: res.headers.get("etag")! };
}

async function missedCommitment(w: World, t: string) {
  const c = await commit(w, t);
  const res = await w.call("POST", `/api/v1/commitments/${c.id}/outcome`, { token: t, body: missedOutcome });
  expect(res.status).toBe(201);
  return { id: c.id, etag: res.headers.get("etag")! };
}

describe("API authorization matrix", () => {
  it("answers 401 without a token and 403 to a read-only token on every new write", async () => {
    const w = await world();
    const read = await w.token(w.admin, "read");
    const c = await missedCommitment(w, await w.token(w.editorA));
    const writes: Array<[string, string, unknown]> = [
      ["POST", "/api/v1/people", { name: "New Person", email: "new@example.com", role: "member", password: "long enough" }],
      ["PATCH", `/api/v1/people/${w.member.id}`, { role: "viewer" }],
      ["POST", "/api/v1/teams", { name: "Data", slug: "data" }],
      ["PATCH", `/api/v1/teams/${w.teamA.id}`, { mission: "Keep it up" }],
      ["PUT", `/api/v1/teams/${w.teamA.id}/members/${w.member.id}`, { role: "editor" }],
      ["DELETE", `/api/v1/teams/${w.teamA.id}/members/${w.editorA.id}`, undefined],
      ["POST", `/api/v1/commitments/${c.id}/carry-forward`, nextAttempt],
      ["PUT", "/api/v1/retrospectives/platform/FY2026-Q3/notes", { wentWell: "x" }],
      ["POST", "/api/v1/retrospectives/platform/FY2026-Q3/action-items", { text: "Survey regions" }],
      ["PATCH", `/api/v1/action-items/${UNKNOWN_ID}`, { status: "done" }],
    ];
    for (const [method, path, body] of writes) {
      const anonymous = await w.call(method, path, { body });
      expect(anonymous, `${method} ${path} anonymous`).toMatchObject({ status: 401, body: { code: "AUTH.REQUIRED" } });
      const readOnly = await w.call(method, path, { token: read, body, headers: { "If-Match": '"x"' } });
      expect(readOnly, `${method} ${path} read-only`).toMatchObject({ status: 403, body: { code: "TOKEN.READ_ONLY" } });
    }
    const reads = ["/api/v1/people", `/api/v1/people/${w.member.id}`, `/api/v1/teams/${w.teamA.id}`, "/api/v1/retrospectives/org/FY2026", "/api/v1/retrospectives/org/FY2026/notes"];
    for (const path of reads) {
      expect((await w.call("GET", path)).status, `GET ${path} anonymous`).toBe(401);
      expect((await w.call("GET", path, { token: read })).status, `GET ${path} read token`).toBe(200);
    }
    // Nothing was written by any refused request.
    const [people] = await w.db.select({ n: count() }).from(users);
    expect(people?.n).toBe(5);
    const [team] = await w.db.select({ n: count() }).from(teams);
    expect(team?.n).toBe(2);
  });

  it("refuses admin-only changes to members and viewers with 403, and lets an admin make them", async () => {
    const w = await world();
    const asMember = await w.token(w.editorA);
    const asViewer = await w.token(w.viewer, "read");
    const asAdmin = await w.token(w.admin);
    const adminOnly: Array<[string, string, unknown, number]> = [
      ["POST", "/api/v1/people", { name: "New Person", email: "new@example.com", role: "member", password: "long enough" }, 201],
      ["PATCH", `/api/v1/people/${w.member.id}`, { role: "viewer" }, 200],
      ["POST", "/api/v1/teams", { name: "Data", slug: "data" }, 201],
      ["PATCH", `/api/v1/teams/${w.teamA.id}`, { mission: "Keep it up" }, 200],
      ["PUT", `/api/v1/teams/${w.teamA.id}/members/${w.member.id}`, { role: "editor" }, 200],
      ["DELETE", `/api/v1/teams/${w.teamA.id}/members/${w.member.id}`, undefined, 204],
    ];
    for (const [method, path, body, okStatus] of adminOnly) {
      const byMember = await w.call(method, path, { token: asMember, body });
      expect(byMember, `${method} ${path} by a member`).toMatchObject({ status: 403, body: { code: "FORBIDDEN" } });
      expect((await w.call(method, path, { token: asViewer, body })).status, `${method} ${path} by a viewer`).toBe(403);
      expect((await w.call(method, path, { token: asAdmin, body })).status, `${method} ${path} by an admin`).toBe(okStatus);
    }
  });
});

describe("API people", () => {
  it("pages through everyone by name with next links, searches, and never shows a password hash", async () => {
    const w = await world();
    const t = await w.token(w.viewer, "read");
    const names: string[] = [];
    let next: string | null = "/api/v1/people?limit=2";
    let pages = 0;
    while (next) {
      const page = await w.call("GET", next, { token: t });
      expect(page.status).toBe(200);
      const body = page.body as { items: Array<Record<string, unknown>>; next: string | null };
      for (const item of body.items) expect(Object.keys(item).sort()).toEqual(["active", "createdAt", "deactivatedAt", "email", "id", "name", "role"]);
      names.push(...body.items.map((i) => String(i.name)));
      if (body.next) expect(page.headers.get("link")).toBe(`<${body.next}>; rel="next"`);
      next = body.next;
      pages++;
    }
    expect(pages).toBe(3);
    expect(names).toEqual(["Ada Admin", "Eve Editor", "Max Member", "Otto Outsider", "Vic Viewer"]);

    const search = await w.call("GET", "/api/v1/people?q=OUTSIDER", { token: t });
    expect((search.body as { items: Array<{ id: string }> }).items.map((i) => i.id)).toEqual([w.editorB.id]);
    expect(JSON.stringify(search.body)).not.toMatch(/password/i);

    const badCursor = await w.call("GET", "/api/v1/people?cursor=%21%21", { token: t });
    expect(badCursor).toMatchObject({ status: 400, body: { code: "VALIDATION" } });
    expect(fieldNames(badCursor)).toEqual(["cursor"]);
    const badLimit = await w.call("GET", "/api/v1/people?limit=0", { token: t });
    expect(fieldNames(badLimit)).toEqual(["limit"]);
  });

  it("reads one person with their teams; 404 for unknown and malformed ids", async () => {
    const w = await world();
    const t = await w.token(w.member, "read");
    const res = await w.call("GET", `/api/v1/people/${w.editorA.id}`, { token: t });
    expect(res).toMatchObject({ status: 200, body: { id: w.editorA.id, name: "Eve Editor", role: "member", active: true, teams: [{ id: w.teamA.id, slug: "platform", role: "editor" }] } });
    expect(JSON.stringify(res.body)).not.toMatch(/password|hash/i);
    expect((await w.call("GET", `/api/v1/people/${UNKNOWN_ID}`, { token: t })).status).toBe(404);
    expect(await w.call("GET", "/api/v1/people/not-a-uuid", { token: t })).toMatchObject({ status: 404, body: { code: "NOT_FOUND" } });
  });

  it("adds a person with the form's validation: 415, 400 naming fields, 409 for a taken email", async () => {
    const w = await world();
    const t = await w.token(w.admin);
    const form = await w.call("POST", "/api/v1/people", { token: t, body: "name=x", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(form).toMatchObject({ status: 415, body: { code: "UNSUPPORTED_MEDIA_TYPE" } });
    const invalid = await w.call("POST", "/api/v1/people", { token: t, body: { name: " ", email: "not-an-email", role: "owner", password: "short" } });
    expect(invalid).toMatchObject({ status: 400, body: { code: "VALIDATION" } });
    expect(fieldNames(invalid).sort()).toEqual(["email", "name", "password", "role"]);

    const created = await w.call("POST", "/api/v1/people", {
      token: t,
      body: { name: "Nia New", email: "  Nia@Example.com ", role: "member", password: "a temporary password" },
    });
    expect(created).toMatchObject({ status: 201, body: { name: "Nia New", email: "nia@example.com", role: "member", active: true, teams: [] } });
    expect(created.headers.get("location")).toBe(`/api/v1/people/${idOf(created)}`);
    expect(JSON.stringify(created.body)).not.toMatch(/password|hash/i);
    // The password was stored hashed, not as sent.
    const [row] = await w.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, idOf(created)));
    expect(row?.hash).toMatch(/^\$argon2/);

    const taken = await w.call("POST", "/api/v1/people", { token: t, body: { name: "Nia Again", email: "nia@example.com", role: "viewer", password: "another password" } });
    expect(taken).toMatchObject({ status: 409, body: { code: "USER.EMAIL_TAKEN", fields: [{ name: "email" }] } });
  });

  it("adds one person for parallel retries with one Idempotency-Key", async () => {
    const w = await world();
    const t = await w.token(w.admin);
    const body = { name: "Ida Idem", email: "ida@example.com", role: "member", password: "a temporary password" };
    const results = await Promise.all(
      Array.from({ length: 8 }, () => w.call("POST", "/api/v1/people", { token: t, body, headers: { "Idempotency-Key": "add-ida-0001" } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(results.map(idOf)).size).toBe(1);
    const [rows] = await w.db.select({ n: count() }).from(users).where(eq(users.email, "ida@example.com"));
    expect(rows?.n).toBe(1);
    const other = await w.call("POST", "/api/v1/people", { token: t, body: { ...body, role: "viewer" }, headers: { "Idempotency-Key": "add-ida-0001" } });
    expect(other).toMatchObject({ status: 422, body: { code: "IDEMPOTENCY.MISMATCH" } });
  });

  it("changes role, deactivates (ending sessions and tokens) and reactivates", async () => {
    const w = await world();
    const t = await w.token(w.admin);
    const memberToken = await w.token(w.member);
    await w.db.insert(sessions).values({ tokenHash: "h".repeat(64), userId: w.member.id, expiresAt: new Date(Date.UTC(2099, 0, 1)) });

    const role = await w.call("PATCH", `/api/v1/people/${w.member.id}`, { token: t, body: { role: "admin" } });
    expect(role).toMatchObject({ status: 200, body: { role: "admin", active: true } });

    const off = await w.call("PATCH", `/api/v1/people/${w.member.id}`, { token: t, body: { active: false, role: "viewer" } });
    expect(off).toMatchObject({ status: 200, body: { role: "viewer", active: false } });
    expect((off.body as { deactivatedAt: string | null }).deactivatedAt).not.toBeNull();
    expect(await w.db.select().from(sessions).where(eq(sessions.userId, w.member.id))).toEqual([]);
    expect((await w.call("GET", "/api/v1/me", { token: memberToken })).status).toBe(401);

    const on = await w.call("PATCH", `/api/v1/people/${w.member.id}`, { token: t, body: { active: true } });
    expect(on).toMatchObject({ status: 200, body: { role: "viewer", active: true, deactivatedAt: null } });
  });

  it("refuses empty and invalid changes, yourself, the last admin and unknown people, changing nothing", async () => {
    const w = await world();
    const t = await w.token(w.admin);
    const empty = await w.call("PATCH", `/api/v1/people/${w.member.id}`, { token: t, body: {} });
    expect(empty).toMatchObject({ status: 400, body: { code: "VALIDATION" } });
    const badRole = await w.call("PATCH", `/api/v1/people/${w.member.id}`, { token: t, body: { role: "owner", active: "no" } });
    expect(fieldNames(badRole).sort()).toEqual(["active", "role"]);

    // Deactivating yourself is refused before the role part of the same request is applied.
    const self = await w.call("PATCH", `/api/v1/people/${w.admin.id}`, { token: t, body: { role: "member", active: false } });
    expect(self).toMatchObject({ status: 409, body: { code: "USER.SELF" } });
    const lastAdmin = await w.call("PATCH", `/api/v1/people/${w.admin.id}`, { token: t, body: { role: "member" } });
    expect(lastAdmin).toMatchObject({ status: 409, body: { code: "USER.LAST_ADMIN", fields: [{ name: "role" }] } });
    expect(await w.call("GET", `/api/v1/people/${w.admin.id}`, { token: t })).toMatchObject({ body: { role: "admin", active: true } });

    expect((await w.call("PATCH", `/api/v1/people/${UNKNOWN_ID}`, { token: t, body: { role: "viewer" } })).status).toBe(404);
  });
});

describe("API sign-in links", () => {
  type Link = { purpose: string; url: string | null; expiresAt: string; emailed: boolean };
  const tokenOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);

  it("adding a person without a password answers with an invitation link stored only as a hash; a replay carries no link", async () => {
    const w = await world();
    const t = await w.token(w.admin);
    const body = { name: "Ines Invited", email: "ines@example.com", role: "member" };
    const first = await w.call("POST", "/api/v1/people", { token: t, body, headers: { "Idempotency-Key": "add-ines-0001" } });
    expect(first.status).toBe(201);
    const invitation = (first.body as { invitation: Link }).invitation;
    expect(invitation).toMatchObject({ purpose: "invitation", emailed: false });
    expect(invitation.url).toMatch(/\/set-password\/[A-Za-z0-9_-]{43}$/);
    const token = tokenOf(invitation.url!);
    const [link] = await w.db.select({ tokenHash: accountLinks.tokenHash }).from(accountLinks).where(eq(accountLinks.userId, idOf(first)));
    expect(link?.tokenHash).toBe(hashToken(token));

    const replay = await w.call("POST", "/api/v1/people", { token: t, body, headers: { "Idempotency-Key": "add-ines-0001" } });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect((replay.body as { invitation: Link }).invitation).toMatchObject({ purpose: "invitation", url: null });
    // Nothing the database keeps for replays holds the link.
    const stored = await w.db.select({ body: idempotencyKeys.responseBody }).from(idempotencyKeys);
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it("issues a reset link, re-issues (withdrawing the first) and withdraws, admins only, answering problem+json", async () => {
    const w = await world();
    const t = await w.token(w.admin);
    const path = `/api/v1/people/${w.member.id}/sign-in-link`;

    const reset = await w.call("POST", path, { token: t, body: { purpose: "reset" } });
    expect(reset.status).toBe(201);
    expect(reset.headers.get("cache-control")).toBe("no-store");
    const first = (reset.body as Link).url!;
    const again = await w.call("POST", path, { token: t, body: { purpose: "reset" } });
    expect(again.status).toBe(201);
    const rows = await w.db.select({ tokenHash: accountLinks.tokenHash, revokedAt: accountLinks.revokedAt }).from(accountLinks).where(eq(accountLinks.userId, w.member.id));
    expect(rows.find((r) => r.tokenHash === hashToken(tokenOf(first)))?.revokedAt).toBeInstanceOf(Date);
    expect(rows.filter((r) => r.revokedAt === null)).toHaveLength(1);

    const withdrawn = await w.call("DELETE", path, { token: t });
    expect(withdrawn.status).toBe(204);
    const open = await w.db.select({ id: accountLinks.id }).from(accountLinks).where(eq(accountLinks.userId, w.member.id));
    expect(open).toHaveLength(2);

    for (const [res, status, code] of [
      [await w.call("POST", path, { token: t, body: { purpose: "welcome" } }), 400, "VALIDATION"],
      [await w.call("POST", path, { token: t, body: { purpose: "invitation" } }), 409, "USER.HAS_PASSWORD"],
      [await w.call("POST", `/api/v1/people/${UNKNOWN_ID}/sign-in-link`, { token: t, body: { purpose: "reset" } }), 404, "NOT_FOUND"],
      [await w.call("POST", path, { token: await w.token(w.member), body: { purpose: "reset" } }), 403, "FORBIDDEN"],
      [await w.call("POST", path, { token: await w.token(w.admin, "read"), body: { purpose: "reset" } }), 403, undefined],
      [await w.call("POST", path, { body: { purpose: "reset" } }), 401, undefined],
    ] as const) {
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      if (code) expect((res.body as { code: string }).code).toBe(code);
    }
    expect(fieldNames(await w.call("POST", path, { token: t, body: { purpose: "welcome" } }))).toEqual(["purpose"]);
  });

  it("limits the links issued for one person per hour, with Retry-After", async () => {
    const w = await world();
    const t = await w.token(w.admin);
    const path = `/api/v1/people/${w.viewer.id}/sign-in-link`;
    for (let i = 0; i < ACCOUNT_LINKS_PER_PERSON_PER_HOUR; i++) {
      expect((await w.call("POST", path, { token: t, body: { purpose: "reset" } })).status).toBe(201);
    }
    const limited = await w.call("POST", path, { token: t, body: { purpose: "reset" } });
    expect(limited).toMatchObject({ status: 429, body: { code: "CREDENTIALS.RATE_LIMITED" } });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another person is not affected.
    expect((await w.call("POST", `/api/v1/people/${w.member.id}/sign-in-link`, { token: t, body: { purpose: "reset" } })).status).toBe(201);
  });
});

describe("API teams", () => {
  it("reads a team with its members; 404 for unknown ids", async () => {
    const w = await world();
    const t = await w.token(w.viewer, "read");
    const res = await w.call("GET", `/api/v1/teams/${w.teamA.id}`, { token: t });
    expect(res).toMatchObject({
      status: 200,
      body: { id: w.teamA.id, slug: "platform", name: "Platform", parentId: null, members: [{ userId: w.editorA.id, name: "Eve Editor", role: "editor", active: true }] },
    });
    expect((await w.call("GET", `/api/v1/teams/${UNKNOWN_ID}`, { token: t })).status).toBe(404);
    expect((await w.call("GET", "/api/v1/teams/platform", { token: t })).status).toBe(404);
  });

  it("creates a team with the form's slug rules; 409 for a taken slug, 422 for an unknown parent", async () => {
    const w = await world();
    const t = await w.token(w.admin);
    const reserved = await w.call("POST", "/api/v1/teams", { token: t, body: { name: "Everyone", slug: "org" } });
    expect(reserved).toMatchObject({ status: 400, body: { code: "VALIDATION" } });
    expect(fieldNames(reserved)).toEqual(["slug"]);
    const invalid = await w.call("POST", "/api/v1/teams", { token: t, body: { name: "", slug: "Not A Slug", mission: "two\nlines" } });
    expect(fieldNames(invalid).sort()).toEqual(["mission", "name", "slug"]);
    const taken = await w.call("POST", "/api/v1/teams", { token: t, body: { name: "Platform 2", slug: "platform" } });
    expect(taken).toMatchObject({ status: 409, body: { code: "TEAM.SLUG_TAKEN", fields: [{ name: "slug" }] } });
    const orphan = await w.call("POST", "/api/v1/teams", { token: t, body: { name: "Data", slug: "data", parentId: UNKNOWN_ID } });
    expect(orphan).toMatchObject({ status: 422, body: { code: "TEAM.PARENT_NOT_FOUND", fields: [{ name: "parentId" }] } });

    const created = await w.call("POST", "/api/v1/teams", { token: t, body: { name: "Checkout", slug: "checkout", mission: "Take the money", parentId: w.teamA.id } });
    expect(created).toMatchObject({ status: 201, body: { name: "Checkout", slug: "checkout", mission: "Take the money", parentId: w.teamA.id, members: [] } });
    expect(created.headers.get("location")).toBe(`/api/v1/teams/${idOf(created)}`);
    const list = await w.call("GET", "/api/v1/teams", { token: t });
    expect((list.body as { items: Array<{ slug: string }> }).items.map((i) => i.slug).sort()).toEqual(["apps", "checkout", "platform"]);
  });

  it("creates one team for retries with one Idempotency-Key", async () => {
    const w = await world();
    const t = await w.token(w.admin);
    const body = { name: "Data", slug: "data" };
    const first = await w.call("POST", "/api/v1/teams", { token: t, body, headers: { "Idempotency-Key": "team-data-0001" } });
    const retry = await w.call("POST", "/api/v1/teams", { token: t, body, headers: { "Idempotency-Key": "team-data-0001" } });
    expect(first.status).toBe(201);
    expect(retry).toMatchObject({ status: 201, body: { id: idOf(first) } });
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    const [rows] = await w.db.select({ n: count() }).from(teams).where(eq(teams.slug, "data"));
    expect(rows?.n).toBe(1);
  });

  it("PATCH changes only the fields sent and refuses cycles", async () => {
    const w = await world();
    const t = await w.token(w.admin);
    const child = await makeTeam(w.db, { slug: "checkout", name: "Checkout", parentId: w.teamA.id });
    const mission = await w.call("PATCH", `/api/v1/teams/${w.teamA.id}`, { token: t, body: { mission: "Keep the lights on" } });
    expect(mission).toMatchObject({ status: 200, body: { name: "Platform", slug: "platform", mission: "Keep the lights on", parentId: null, members: [{ userId: w.editorA.id }] } });
    const cycle = await w.call("PATCH", `/api/v1/teams/${w.teamA.id}`, { token: t, body: { parentId: child.id } });
    expect(cycle).toMatchObject({ status: 422, body: { code: "TEAM.PARENT_CYCLE", fields: [{ name: "parentId" }] } });
    const taken = await w.call("PATCH", `/api/v1/teams/${w.teamA.id}`, { token: t, body: { slug: "apps" } });
    expect(taken).toMatchObject({ status: 409, body: { code: "TEAM.SLUG_TAKEN" } });
    const top = await w.call("PATCH", `/api/v1/teams/${child.id}`, { token: t, body: { parentId: null, name: "Checkout Team" } });
    expect(top).toMatchObject({ status: 200, body: { slug: "checkout", name: "Checkout Team", parentId: null } });
    const empty = await w.call("PATCH", `/api/v1/teams/${w.teamA.id}`, { token: t, body: {} });
    expect(empty).toMatchObject({ status: 400, body: { code: "VALIDATION" } });
    expect((await w.call("PATCH", `/api/v1/teams/${UNKNOWN_ID}`, { token: t, body: { name: "X" } })).status).toBe(404);
  });

  it("PUT adds a member or changes their role, DELETE removes them, and membership decides who may commit", async () => {
    const w = await world();
    const t = await w.token(w.admin);
    const memberToken = await w.token(w.member);
    const path = `/api/v1/teams/${w.teamA.id}/members/${w.member.id}`;
    expect((await w.call("POST", "/api/v1/commitments", { token: memberToken, body: commitmentBody(w.teamA.id) })).status).toBe(403);

    const added = await w.call("PUT", path, { token: t, body: { role: "editor" } });
    expect(added).toMatchObject({ status: 200, body: { userId: w.member.id, name: "Max Member", role: "editor" } });
    expect((await w.call("POST", "/api/v1/commitments", { token: memberToken, body: commitmentBody(w.teamA.id) })).status).toBe(201);

    const changed = await w.call("PUT", path, { token: t, body: { role: "viewer" } });
    expect(changed).toMatchObject({ status: 200, body: { role: "viewer" } });
    const team = await w.call("GET", `/api/v1/teams/${w.teamA.id}`, { token: t });
    expect((team.body as { members: Array<{ userId: string; role: string }> }).members).toEqual(
      expect.arrayContaining([expect.objectContaining({ userId: w.member.id, role: "viewer" })]),
    );

    const removed = await w.call("DELETE", path, { token: t });
    expect(removed).toMatchObject({ status: 204, body: null });
    expect(await w.call("DELETE", path, { token: t })).toMatchObject({ status: 404, body: { code: "NOT_FOUND" } });

    const badRole = await w.call("PUT", path, { token: t, body: { role: "owner" } });
    expect(fieldNames(badRole)).toEqual(["role"]);
    const nobody = await w.call("PUT", `/api/v1/teams/${w.teamA.id}/members/${UNKNOWN_ID}`, { token: t, body: { role: "editor" } });
    expect(nobody).toMatchObject({ status: 422, body: { code: "TEAM.USER_NOT_FOUND" } });
    expect((await w.call("PUT", `/api/v1/teams/${UNKNOWN_ID}/members/${w.member.id}`, { token: t, body: { role: "editor" } })).status).toBe(404);
  });
});

describe("API carry-forward", () => {
  it("commits the next attempt of a missed commitment in a later period, once", async () => {
    const w = await world();
    const t = await w.token(w.editorA);
    const missed = await missedCommitment(w, t);
    const res = await w.call("POST", `/api/v1/commitments/${missed.id}/carry-forward`, { token: t, body: nextAttempt, headers: { "If-Match": missed.etag } });
    expect(res).toMatchObject({
      status: 201,
      body: { statement: nextAttempt.statement, periodLabel: "FY2030-Q1", dueDate: "2030-03-15", attempt: 2, predecessorId: missed.id, status: "open", teamId: w.teamA.id, version: 1 },
    });
    const id = idOf(res);
    expect(id).not.toBe(missed.id);
    expect(res.headers.get("location")).toBe(`/api/v1/commitments/${id}`);
    expect(res.headers.get("etag")).toBe(`"${id}.v1"`);
    expect(await w.call("GET", `/api/v1/commitments/${id}`, { token: t })).toMatchObject({ status: 200, body: { predecessorId: missed.id, outcome: null } });
    const history = await w.call("GET", `/api/v1/commitments/${missed.id}/revisions`, { token: t });
    expect((history.body as { items: Array<{ kind: string }> }).items[0]?.kind).toBe("carry_forward");

    const again = await w.call("POST", `/api/v1/commitments/${missed.id}/carry-forward`, { token: t, body: nextAttempt });
    expect(again).toMatchObject({ status: 409, body: { code: "COMMITMENT.ALREADY_CARRIED" } });
  });

  it("refuses open and delivered commitments, other teams' editors, stale If-Match and bad bodies", async () => {
    const w = await world();
    const t = await w.token(w.editorA);
    const open = await commit(w, t);
    expect(await w.call("POST", `/api/v1/commitments/${open.id}/carry-forward`, { token: t, body: nextAttempt })).toMatchObject({
      status: 409,
      body: { code: "COMMITMENT.NOT_CARRYABLE" },
    });
    const delivered = await commit(w, t, { statement: "Serve search p95 under 300 ms for every EU customer" });
    await w.call("POST", `/api/v1/commitments/${delivered.id}/outcome`, { token: t, body: deliveredOutcome });
    expect((await w.call("POST", `/api/v1/commitments/${delivered.id}/carry-forward`, { token: t, body: nextAttempt })).status).toBe(409);

    const missed = await missedCommitment(w, t);
    const outsider = await w.call("POST", `/api/v1/commitments/${missed.id}/carry-forward`, { token: await w.token(w.editorB), body: nextAttempt });
    expect(outsider).toMatchObject({ status: 403, body: { code: "FORBIDDEN" } });
    const onNoTeam = await w.token(w.member);
    expect((await w.call("POST", `/api/v1/commitments/${missed.id}/carry-forward`, { token: onNoTeam, body: nextAttempt })).status).toBe(403);

    const stale = await w.call("POST", `/api/v1/commitments/${missed.id}/carry-forward`, { token: t, body: nextAttempt, headers: { "If-Match": `"${missed.id}.v1"` } });
    expect(stale).toMatchObject({ status: 412, body: { code: "VERSION.CONFLICT" } });
    expect(stale.headers.get("etag")).toBe(missed.etag);

    const earlier = await w.call("POST", `/api/v1/commitments/${missed.id}/carry-forward`, { token: t, body: { ...nextAttempt, periodLabel: "FY2026-Q2", dueDate: "2026-06-15" } });
    expect(earlier).toMatchObject({ status: 400, body: { code: "VALIDATION", fields: [{ name: "periodLabel" }] } });
    const invalid = await w.call("POST", `/api/v1/commitments/${missed.id}/carry-forward`, { token: t, body: { periodLabel: "FY2030-Q1", dueDate: "2030-02-30", statement: "" } });
    expect(fieldNames(invalid).sort()).toEqual(["dueDate", "statement"]);
    expect((await w.call("POST", `/api/v1/commitments/${UNKNOWN_ID}/carry-forward`, { token: t, body: nextAttempt })).status).toBe(404);

    const [successors] = await w.db.select({ n: count() }).from(commitments).where(eq(commitments.predecessorId, missed.id));
    expect(successors?.n).toBe(0);
  });

  it("carries forward once for parallel retries with one Idempotency-Key", async () => {
    const w = await world();
    const t = await w.token(w.editorA);
    const missed = await missedCommitment(w, t);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        w.call("POST", `/api/v1/commitments/${missed.id}/carry-forward`, { token: t, body: nextAttempt, headers: { "Idempotency-Key": "carry-once-0001" } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map(idOf)).size).toBe(1);
    const [successors] = await w.db.select({ n: count() }).from(commitments).where(eq(commitments.predecessorId, missed.id));
    expect(successors?.n).toBe(1);
  });
});

describe("API retrospectives", () => {
  async function heldQuarter(w: World) {
    const t = await w.token(w.editorA);
    const delivered = await commit(w, t, { statement: "Serve search p95 under 300 ms for every EU customer", dueDate: "2026-09-01" });
    const checkIn = (id: string, body: Record<string, unknown>) => w.call("POST", `/api/v1/commitments/${id}/check-ins`, { token: t, body });
    expect((await checkIn(delivered.id, { date: "2026-08-01", forecast: "on_track", probability: 80 })).status).toBe(201);
    expect((await w.call("POST", `/api/v1/commitments/${delivered.id}/outcome`, { token: t, body: deliveredOutcome })).status).toBe(201);
    const missed = await commit(w, t);
    expect((await checkIn(missed.id, { date: "2026-08-15", forecast: "on_track", probability: 90 })).status).toBe(201);
    expect((await w.call("POST", `/api/v1/commitments/${missed.id}/outcome`, { token: t, body: missedOutcome })).status).toBe(201);
    const open = await commit(w, t, { statement: "Serve login p95 under 300 ms for every EU customer", dueDate: "2026-09-20" });
    // Team B's commitment stays out of team A's retrospective but counts for the organisation.
    expect((await w.call("POST", "/api/v1/commitments", { token: await w.token(w.editorB), body: commitmentBody(w.teamB.id) })).status).toBe(201);
    return { t, delivered, missed, open };
  }

  it("returns a team's figures, outcomes table, notes and action items", async () => {
    const w = await world();
    const { t, delivered, missed, open } = await heldQuarter(w);
    const res = await w.call("GET", "/api/v1/retrospectives/platform/FY2026-Q3", { token: t });
    expect(res).toMatchObject({
      status: 200,
      body: {
        scope: { slug: "platform", name: "Platform", teamId: w.teamA.id },
        period: { label: "FY2026-Q3", start: "2026-07-01", end: "2026-09-30" },
        previousPeriod: "FY2026-Q2",
        nextPeriod: "FY2026-Q4",
        summary: {
          made: 3,
          counts: { delivered: 1, partial: 0, missed: 1, withdrawn: 0, open: 1 },
          resolved: 2,
          // Delivered in full ÷ made (the open one counts); ÷ resolved is the labelled secondary rate.
          deliveryRate: 1 / 3,
          deliveryRateOfResolved: 0.5,
          surprises: [missed.id],
          openPastDue: [open.id],
          calibration: { n: 2 },
        },
        notes: { wentWell: "", wentBadly: "", willChange: "", version: 0, etag: `"retro.${w.teamA.id}.FY2026-Q3.v0"` },
        actionItems: [],
        previousOpenActionItems: [],
        truncated: false,
        canEdit: true,
      },
    });
    const body = res.body as { summary: { reasons: { byCategory: Array<{ category: string; count: number }> } }; commitments: Array<{ id: string; status: string }> };
    expect(body.summary.reasons.byCategory).toContainEqual({ category: "underestimated_scope", count: 1 });
    expect(body.commitments.map((c) => [c.id, c.status])).toEqual([
      [delivered.id, "delivered"],
      [missed.id, "missed"],
      [open.id, "open"],
    ]);

    const org = await w.call("GET", "/api/v1/retrospectives/ORG/fy2026-q3", { token: await w.token(w.editorB, "read") });
    expect(org).toMatchObject({ status: 200, body: { scope: { slug: "org", teamId: null }, summary: { made: 4 }, canEdit: false } });
    expect(await w.call("GET", "/api/v1/retrospectives/nowhere/FY2026-Q3", { token: t })).toMatchObject({ status: 404, body: { code: "NOT_FOUND" } });
    expect((await w.call("GET", "/api/v1/retrospectives/platform/Q3-2026", { token: t })).status).toBe(404);
  });

  it("saves notes only with a current If-Match: 428 without, 412 when stale or for other notes", async () => {
    const w = await world();
    const t = await w.token(w.editorA);
    const path = "/api/v1/retrospectives/platform/FY2026-Q3/notes";
    const first = await w.call("GET", path, { token: t });
    const etag0 = first.headers.get("etag")!;
    expect(first).toMatchObject({ status: 200, body: { version: 0, etag: etag0 } });
    expect((await w.call("GET", path, { token: t, headers: { "If-None-Match": etag0 } })).status).toBe(304);

    const notes = { wentWell: "Shipped the SLO dashboard.", wentBadly: "Two regions slipped.", willChange: "Survey first." };
    expect(await w.call("PUT", path, { token: t, body: notes })).toMatchObject({ status: 428, body: { code: "PRECONDITION.REQUIRED" } });
    const saved = await w.call("PUT", path, { token: t, body: notes, headers: { "If-Match": etag0 } });
    // The first save is version 1, as in the UI (it was once 2: the row was made at 1, then written).
    expect(saved).toMatchObject({ status: 200, body: { ...notes, version: 1 } });
    const etag1 = saved.headers.get("etag")!;
    expect(etag1).toBe(`"retro.${w.teamA.id}.FY2026-Q3.v1"`);

    const stale = await w.call("PUT", path, { token: t, body: { wentWell: "Overwrite" }, headers: { "If-Match": etag0 } });
    expect(stale).toMatchObject({ status: 412, body: { code: "VERSION.CONFLICT", conflict: { currentVersion: 1 } } });
    expect(stale.headers.get("etag")).toBe(etag1);
    const otherPeriod = await w.call("PUT", path, { token: t, body: notes, headers: { "If-Match": `"retro.${w.teamA.id}.FY2026-Q2.v1"` } });
    expect(otherPeriod).toMatchObject({ status: 412, body: { code: "VERSION.CONFLICT" } });
    const neverWritten = await w.call("PUT", "/api/v1/retrospectives/platform/FY2026-Q4/notes", { token: t, body: notes, headers: { "If-Match": `"retro.${w.teamA.id}.FY2026-Q4.v3"` } });
    expect(neverWritten).toMatchObject({ status: 412, body: { code: "VERSION.CONFLICT" } });

    const tooLong = await w.call("PUT", path, { token: t, body: { wentWell: "x".repeat(20_001) }, headers: { "If-Match": etag1 } });
    expect(tooLong).toMatchObject({ status: 400, body: { code: "VALIDATION" } });
    expect(fieldNames(tooLong)).toEqual(["wentWell"]);

    const partial = await w.call("PUT", path, { token: t, body: { wentWell: "Only this." }, headers: { "If-Match": etag1 } });
    expect(partial).toMatchObject({ status: 200, body: { wentWell: "Only this.", wentBadly: "", willChange: "", version: 2 } });
    const retro = await w.call("GET", "/api/v1/retrospectives/platform/FY2026-Q3", { token: t });
    expect(retro).toMatchObject({ body: { notes: { wentWell: "Only this.", version: 2 } } });
  });

  it("lets only the team's editors and admins write a team's retrospective, and only admins the organisation's", async () => {
    const w = await world();
    const editorA = await w.token(w.editorA);
    const editorB = await w.token(w.editorB);
    const admin = await w.token(w.admin);
    const v0 = (scope: string) => ({ "If-Match": `"retro.${scope}.FY2026-Q3.v0"` });

    const outsider = await w.call("PUT", "/api/v1/retrospectives/platform/FY2026-Q3/notes", { token: editorB, body: { wentWell: "Not mine" }, headers: v0(w.teamA.id) });
    expect(outsider).toMatchObject({ status: 403, body: { code: "FORBIDDEN" } });
    // Even without If-Match, the answer is that they may not, not how they should ask.
    expect((await w.call("PUT", "/api/v1/retrospectives/platform/FY2026-Q3/notes", { token: editorB, body: {} })).status).toBe(403);
    const itemByOutsider = await w.call("POST", "/api/v1/retrospectives/platform/FY2026-Q3/action-items", { token: editorB, body: { text: "Not mine" } });
    expect(itemByOutsider).toMatchObject({ status: 403, body: { code: "FORBIDDEN" } });
    expect((await w.call("GET", "/api/v1/retrospectives/platform/FY2026-Q3", { token: editorB })).body).toMatchObject({ canEdit: false });

    expect((await w.call("PUT", "/api/v1/retrospectives/org/FY2026-Q3/notes", { token: editorA, body: { wentWell: "x" }, headers: v0("org") })).status).toBe(403);
    expect((await w.call("POST", "/api/v1/retrospectives/org/FY2026-Q3/action-items", { token: editorA, body: { text: "x" } })).status).toBe(403);

    expect((await w.call("PUT", "/api/v1/retrospectives/org/FY2026-Q3/notes", { token: admin, body: { wentWell: "Org-wide" }, headers: v0("org") })).status).toBe(200);
    expect((await w.call("PUT", "/api/v1/retrospectives/platform/FY2026-Q3/notes", { token: admin, body: { wentWell: "By admin" }, headers: v0(w.teamA.id) })).status).toBe(200);
    expect((await w.call("POST", "/api/v1/retrospectives/apps/FY2026-Q3/action-items", { token: editorB, body: { text: "Mine" } })).status).toBe(201);
    const [items] = await w.db.select({ n: count() }).from(actionItems);
    expect(items?.n).toBe(1);
  });

  it("promotes an action item into a commitment, as the UI does, and only once", async () => {
    const w = await world();
    const t = await w.token(w.editorA);
    const item = await w.call("POST", "/api/v1/retrospectives/platform/FY2026-Q3/action-items", { token: t, body: { text: "Add a latency budget per region" } });
    expect(item.status).toBe(201);
    const itemId = idOf(item);
    const body = commitmentBody(w.teamA.id, { periodLabel: "FY2026-Q4", dueDate: "2026-12-15", sourceActionItemId: itemId });
    const promoted = await w.call("POST", "/api/v1/commitments", { token: t, body });
    expect(promoted).toMatchObject({ status: 201, body: { sourceActionItemId: itemId, lockedByLetterAt: null } });
    const [row] = await w.db.select({ promoted: actionItems.promotedCommitmentId }).from(actionItems).where(eq(actionItems.id, itemId));
    expect(row?.promoted).toBe(idOf(promoted));

    const again = await w.call("POST", "/api/v1/commitments", { token: t, body });
    expect(again).toMatchObject({ status: 409, body: { code: "ACTION.ALREADY_PROMOTED" } });
    const [n] = await w.db.select({ n: count() }).from(commitments).where(eq(commitments.sourceActionItemId, itemId));
    expect(n?.n).toBe(1);
  });

  it("adds action items (once per Idempotency-Key), reads them and changes their status", async () => {
    const w = await world();
    const t = await w.token(w.editorA);
    const path = "/api/v1/retrospectives/platform/FY2026-Q3/action-items";
    const invalid = await w.call("POST", path, { token: t, body: { text: "  ", dueDate: "2026-13-01", ownerId: "nobody" } });
    expect(invalid).toMatchObject({ status: 400, body: { code: "VALIDATION" } });
    expect(fieldNames(invalid).sort()).toEqual(["dueDate", "ownerId", "text"]);
    const inactiveOwner = await makeUser(w.db, { active: false });
    const refusedOwner = await w.call("POST", path, { token: t, body: { text: "Survey regions", ownerId: inactiveOwner.id } });
    expect(refusedOwner).toMatchObject({ status: 400, body: { code: "VALIDATION", fields: [{ name: "ownerId" }] } });

    const body = { text: "Survey every region before promising", ownerId: w.editorA.id, dueDate: "2026-10-31" };
    const results = await Promise.all(Array.from({ length: 5 }, () => w.call("POST", path, { token: t, body, headers: { "Idempotency-Key": "action-survey-01" } })));
    expect(results.map((r) => r.status)).toEqual(Array(5).fill(201));
    expect(new Set(results.map(idOf)).size).toBe(1);
    const [rows] = await w.db.select({ n: count() }).from(actionItems).where(eq(actionItems.text, body.text));
    expect(rows?.n).toBe(1);
    // Replays carry the stored body only; the first answer also has the Location.
    const created = results.find((r) => r.headers.get("idempotent-replayed") !== "true")!;
    expect(results.filter((r) => r.headers.get("idempotent-replayed") === "true")).toHaveLength(4);
    const id = idOf(created);
    expect(created).toMatchObject({ body: { ...body, status: "open", promotedCommitmentId: null, teamId: w.teamA.id, periodLabel: "FY2026-Q3" } });
    expect(created.headers.get("location")).toBe(`/api/v1/action-items/${id}`);
    expect(await w.call("GET", `/api/v1/action-items/${id}`, { token: t })).toMatchObject({ status: 200, body: { id, status: "open" } });

    const outsider = await w.call("PATCH", `/api/v1/action-items/${id}`, { token: await w.token(w.editorB), body: { status: "done" } });
    expect(outsider).toMatchObject({ status: 403, body: { code: "FORBIDDEN" } });
    const badStatus = await w.call("PATCH", `/api/v1/action-items/${id}`, { token: t, body: { status: "finished" } });
    expect(fieldNames(badStatus)).toEqual(["status"]);
    const done = await w.call("PATCH", `/api/v1/action-items/${id}`, { token: t, body: { status: "done" } });
    expect(done).toMatchObject({ status: 200, body: { id, status: "done" } });
    expect((await w.call("PATCH", `/api/v1/action-items/${UNKNOWN_ID}`, { token: t, body: { status: "done" } })).status).toBe(404);

    const retro = await w.call("GET", "/api/v1/retrospectives/platform/FY2026-Q3", { token: t });
    expect(retro).toMatchObject({ body: { actionItems: [{ id, status: "done", ownerId: w.editorA.id }], notes: { version: 0 } } });
    // An open item of the previous quarter shows up in the next one's retrospective.
    const reopened = await w.call("PATCH", `/api/v1/action-items/${id}`, { token: t, body: { status: "open" } });
    expect(reopened.status).toBe(200);
    const nextQuarter = await w.call("GET", "/api/v1/retrospectives/platform/FY2026-Q4", { token: t });
    expect(nextQuarter).toMatchObject({ body: { actionItems: [], previousOpenActionItems: [{ id, periodLabel: "FY2026-Q3" }] } });
  });
});

describe("the organisation's settings", () => {
  const settings = {
    name: "Acme Cloud GmbH",
    fiscalYearStartMonth: 4,
    timeZone: "Europe/London",
    signatoryName: "Ada Admin",
    signatoryTitle: "CTO",
    publicSiteEnabled: false,
    minPublicScore: 70,
  };

  it("reads them with an ETag and changes them only with a current If-Match, as an admin", async () => {
    const w = await world();
    const admin = await w.token(w.admin);
    const read = await w.call("GET", "/api/v1/organisation", { token: await w.token(w.viewer, "read") });
    expect(read).toMatchObject({ status: 200, body: { name: "Acme Cloud", fiscalYearStartMonth: 1, timeZone: "UTC", isSample: false } });
    const etag = read.headers.get("etag")!;
    expect(etag).toMatch(/^"org\.\d+"$/);

    expect((await w.call("PUT", "/api/v1/organisation", { token: admin, body: settings })).status).toBe(428);
    expect((await w.call("PUT", "/api/v1/organisation", { token: await w.token(w.member), body: settings, headers: { "If-Match": etag } })).status).toBe(403);
    const bad = await w.call("PUT", "/api/v1/organisation", { token: admin, body: { ...settings, timeZone: "Mars/Olympus", fiscalYearStartMonth: 13 }, headers: { "If-Match": etag } });
    expect(bad.status).toBe(400);
    expect(fieldNames(bad).sort()).toEqual(["fiscalYearStartMonth", "timeZone"]);

    const saved = await w.call("PUT", "/api/v1/organisation", { token: admin, body: settings, headers: { "If-Match": etag } });
    expect(saved).toMatchObject({ status: 200, body: { ...settings } });
    const newEtag = saved.headers.get("etag");
    expect(newEtag).not.toBe(etag);

    // The ETag read before that save is stale now: nothing is written.
    const stale = await w.call("PUT", "/api/v1/organisation", { token: admin, body: { ...settings, name: "Overwritten" }, headers: { "If-Match": etag } });
    expect(stale).toMatchObject({ status: 412, body: { code: "VERSION.CONFLICT" } });
    expect((await w.call("GET", "/api/v1/organisation", { token: admin })).body).toMatchObject({ name: "Acme Cloud GmbH", publicSiteEnabled: false, minPublicScore: 70 });
    expect((await w.call("GET", "/api/v1/organisation", { token: admin, headers: { "If-None-Match": newEtag! } })).status).toBe(304);
  });
});

describe("personal access tokens over the API", () => {
  it("lists your tokens without secrets, and lets admins list anyone's", async () => {
    const w = await world();
    const mine = await w.token(w.editorA);
    await w.token(w.editorA, "read");
    const list = await w.call("GET", "/api/v1/tokens", { token: mine });
    expect(list.status).toBe(200);
    const items = (list.body as { items: Array<Record<string, unknown>> }).items;
    expect(items).toHaveLength(2);
    expect(items.every((t) => t.userId === w.editorA.id)).toBe(true);
    expect(JSON.stringify(list.body)).not.toMatch(/secret|hash/i);
    // The secret is base64url, which may itself hold "_": cut the known prefix, never split.
    const secret = mine.replace(/^kept_[a-z0-9]{10}_/, "");
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(list.body)).not.toContain(secret);

    const other = await w.call("GET", `/api/v1/tokens?userId=${w.editorA.id}`, { token: await w.token(w.editorB) });
    expect(other).toMatchObject({ status: 403, body: { code: "FORBIDDEN" } });
    const byAdmin = await w.call("GET", `/api/v1/tokens?userId=${w.editorA.id}`, { token: await w.token(w.admin) });
    expect((byAdmin.body as { items: unknown[] }).items).toHaveLength(2);
  });

  it("revokes a token at once: your own, or anyone's as an admin; others' tokens are not found", async () => {
    const w = await world();
    const mine = await w.token(w.editorA);
    const spare = await w.token(w.editorA);
    const list = await w.call("GET", "/api/v1/tokens", { token: mine });
    const ids = (list.body as { items: Array<{ id: string; prefix: string }> }).items;
    const spareId = ids.find((t) => spare.startsWith(`kept_${t.prefix}_`))!.id;
    const mineId = ids.find((t) => mine.startsWith(`kept_${t.prefix}_`))!.id;

    expect((await w.call("DELETE", `/api/v1/tokens/${spareId}`, { token: await w.token(w.editorB) })).status).toBe(404);
    expect((await w.call("DELETE", `/api/v1/tokens/${spareId}`, { token: await w.token(w.editorA, "read") })).status).toBe(403);
    expect((await w.call("GET", "/api/v1/me", { token: spare })).status).toBe(200);

    expect((await w.call("DELETE", `/api/v1/tokens/${spareId}`, { token: mine })).status).toBe(204);
    expect((await w.call("GET", "/api/v1/me", { token: spare })).status).toBe(401);

    expect((await w.call("DELETE", `/api/v1/tokens/${mineId}`, { token: await w.token(w.admin) })).status).toBe(204);
    expect((await w.call("GET", "/api/v1/me", { token: mine })).status).toBe(401);
  });
});
