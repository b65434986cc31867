import { count } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { commitments, rateLimits } from "../../db/schema";
import { createToken, revokeToken } from "~/services/api-tokens.server";
import { RATE_LIMIT_PER_MINUTE } from "~/api/handler.server";
import { addMember, makeOrganisation, makeTeam, makeUser } from "../factories";
import { testDatabase } from "../setup/db";
import { apiClient } from "../support/api-client";

async function world() {
  const { db } = await testDatabase();
  await makeOrganisation(db, { fiscalYearStartMonth: 1, timeZone: "UTC" });
  const admin = await makeUser(db, { role: "admin" });
  const editor = await makeUser(db, { role: "member" });
  const outsider = await makeUser(db, { role: "member" });
  const viewer = await makeUser(db, { role: "viewer" });
  const team = await makeTeam(db, { slug: "platform" });
  const other = await makeTeam(db, { slug: "apps" });
  await addMember(db, team.id, editor.id, "editor");
  await addMember(db, other.id, outsider.id, "editor");
  const token = async (user: { id: string; role: "admin" | "member" | "viewer" }, scope: "read" | "write" = "write") => {
    const result = await createToken(db, { id: user.id, role: user.role }, { name: "test", scope, expiresAt: null }, new Date());
    if (!result.ok) throw new Error(result.error.message);
    return result.value.token;
  };
  return { db, admin, editor, outsider, viewer, team, other, token, call: apiClient(db) };
}

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

describe("API access", () => {
  it("answers 401 without a token, with a malformed one, and with a wrong secret", async () => {
    const { call, editor, token } = await world();
    const good = await token(editor);
    expect((await call("GET", "/api/v1/me")).status).toBe(401);
    expect((await call("GET", "/api/v1/me", { token: "nonsense" })).status).toBe(401);
    const wrong = good.slice(0, -4) + (good.endsWith("AAAA") ? "BBBB" : "AAAA");
    const res = await call("GET", "/api/v1/me", { token: wrong });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: "AUTH.REQUIRED", status: 401 });
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
  });

  it("ignores cookies entirely: a browser session cannot reach the API", async () => {
    const { call } = await world();
    const res = await call("GET", "/api/v1/me", { headers: { Cookie: "kept_session=anything" } });
    expect(res.status).toBe(401);
  });

  it("acts as the token's user, and stops at once when the token is revoked", async () => {
    const { db, call, editor, token } = await world();
    const t = await token(editor);
    const me = await call("GET", "/api/v1/me", { token: t });
    expect(me).toMatchObject({ status: 200, body: { id: editor.id, role: "member", tokenScope: "write" } });
    const [row] = await db.query.apiTokens.findMany({ where: (x, { eq: e }) => e(x.userId, editor.id) });
    const revoked = await revokeToken(db, { id: editor.id, role: "member" }, row!.id, new Date());
    expect(revoked.ok).toBe(true);
    expect((await call("GET", "/api/v1/me", { token: t })).status).toBe(401);
  });

  it("lets an admin revoke anyone's token, but a member only their own", async () => {
    const { db, editor, outsider, admin, token } = await world();
    await token(editor);
    const [row] = await db.query.apiTokens.findMany({ where: (x, { eq: e }) => e(x.userId, editor.id) });
    expect((await revokeToken(db, { id: outsider.id, role: "member" }, row!.id, new Date())).ok).toBe(false);
    expect((await revokeToken(db, { id: admin.id, role: "admin" }, row!.id, new Date())).ok).toBe(true);
  });

  it("refuses changes through a read-only token, and write tokens to viewers", async () => {
    const { db, call, editor, viewer, team, token } = await world();
    const read = await token(editor, "read");
    const res = await call("POST", "/api/v1/commitments", { token: read, body: commitmentBody(team.id) });
    expect(res).toMatchObject({ status: 403, body: { code: "TOKEN.READ_ONLY" } });
    const viewerWrite = await createToken(db, { id: viewer.id, role: "viewer" }, { name: "x", scope: "write", expiresAt: null }, new Date());
    expect(viewerWrite).toMatchObject({ ok: false, error: { code: "VALIDATION", field: "scope" } });
  });

  it("limits each token's requests per minute, counted in the database, with Retry-After", async () => {
    const { db, call, editor, token } = await world();
    const t = await token(editor);
    const [row] = await db.query.apiTokens.findMany({ where: (x, { eq: e }) => e(x.userId, editor.id) });
    const windowStart = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    await db.insert(rateLimits).values({ key: `token:${row!.id}`, windowStart, count: RATE_LIMIT_PER_MINUTE });
    const res = await call("GET", "/api/v1/me", { token: t });
    expect(res).toMatchObject({ status: 429, body: { code: "RATE_LIMITED" } });
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("API bodies", () => {
  it("takes JSON only (415), refuses malformed JSON (400) and names failing fields", async () => {
    const { call, editor, team, token } = await world();
    const t = await token(editor);
    const form = await call("POST", "/api/v1/commitments", { token: t, body: "statement=x", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(form).toMatchObject({ status: 415, body: { code: "UNSUPPORTED_MEDIA_TYPE" } });
    const malformed = await call("POST", "/api/v1/commitments", { token: t, body: "{not json" });
    expect(malformed).toMatchObject({ status: 400, body: { code: "MALFORMED_JSON" } });
    const invalid = await call("POST", "/api/v1/commitments", {
      token: t,
      body: commitmentBody(team.id, { dueDate: "2026-02-30", measure: { kind: "metric", name: "x", comparator: "lte", target: "three" } }),
    });
    expect(invalid.status).toBe(400);
    const names = (invalid.body as { fields: Array<{ name: string }> }).fields.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(["dueDate", "measure.target"]));
  });

  it("answers a domain refusal as problem+json with its code (unknown team, other team's commitment)", async () => {
    const { call, outsider, team, token } = await world();
    const t = await token(outsider);
    const res = await call("POST", "/api/v1/commitments", { token: t, body: commitmentBody(team.id) });
    expect(res).toMatchObject({ status: 403, body: { code: "FORBIDDEN" } });
    const unknown = await call("POST", "/api/v1/commitments", { token: t, body: commitmentBody("00000000-0000-4000-8000-000000000000") });
    expect(unknown).toMatchObject({ status: 400, body: { code: "VALIDATION", fields: [{ name: "teamId" }] } });
  });
});

describe("API commitments", () => {
  it("creates, reads with an ETag, and updates only with a current If-Match", async () => {
    const { call, editor, team, token } = await world();
    const t = await token(editor);
    const created = await call("POST", "/api/v1/commitments", { token: t, body: commitmentBody(team.id) });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    expect(created.headers.get("location")).toBe(`/api/v1/commitments/${id}`);
    const etag = created.headers.get("etag")!;

    const read = await call("GET", `/api/v1/commitments/${id}`, { token: t });
    expect(read.headers.get("etag")).toBe(etag);
    expect((await call("GET", `/api/v1/commitments/${id}`, { token: t, headers: { "If-None-Match": etag } })).status).toBe(304);

    const body = commitmentBody(team.id, { evidenceSource: "Public status page" });
    expect((await call("PATCH", `/api/v1/commitments/${id}`, { token: t, body })).status).toBe(428);
    const ok = await call("PATCH", `/api/v1/commitments/${id}`, { token: t, body, headers: { "If-Match": etag } });
    expect(ok).toMatchObject({ status: 200, body: { evidenceSource: "Public status page", version: 2 } });
    const stale = await call("PATCH", `/api/v1/commitments/${id}`, { token: t, body: commitmentBody(team.id, { evidenceSource: "x" }), headers: { "If-Match": etag } });
    expect(stale).toMatchObject({ status: 412, body: { code: "VERSION.CONFLICT" } });
  });

  it("creates one commitment for 20 parallel identical POSTs with one Idempotency-Key", async () => {
    const { db, call, editor, team, token } = await world();
    const t = await token(editor);
    const body = commitmentBody(team.id);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => call("POST", "/api/v1/commitments", { token: t, body, headers: { "Idempotency-Key": "create-once-123" } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const ids = new Set(results.map((r) => (r.body as { id: string }).id));
    expect(ids.size).toBe(1);
    const [rows] = await db.select({ n: count() }).from(commitments);
    expect(rows?.n).toBe(1);
    expect(results.filter((r) => r.headers.get("idempotent-replayed") === "true")).toHaveLength(19);
    // A replay answers exactly as the first response did, Location and ETag included.
    const locations = new Set(results.map((r) => r.headers.get("location")));
    const etags = new Set(results.map((r) => r.headers.get("etag")));
    expect([...locations]).toEqual([`/api/v1/commitments/${[...ids][0]}`]);
    expect(etags.size).toBe(1);
    expect([...etags][0]).toMatch(/^"/);
    const different = await call("POST", "/api/v1/commitments", {
      token: t,
      body: { ...body, statement: "Something else entirely by 30 September" },
      headers: { "Idempotency-Key": "create-once-123" },
    });
    expect(different).toMatchObject({ status: 422, body: { code: "IDEMPOTENCY.MISMATCH" } });
  });

  it("checks in, records an outcome and shows the history", async () => {
    const { call, editor, team, token } = await world();
    const t = await token(editor);
    const created = await call("POST", "/api/v1/commitments", { token: t, body: commitmentBody(team.id) });
    const id = (created.body as { id: string }).id;
    const checkIn = await call("POST", `/api/v1/commitments/${id}/check-ins`, {
      token: t,
      body: { date: "2026-05-20", forecast: "at_risk", probability: 40, note: "Vendor is late" },
    });
    expect(checkIn).toMatchObject({ status: 201, body: { forecast: "at_risk", probability: 40 } });
    const incomplete = await call("POST", `/api/v1/commitments/${id}/outcome`, { token: t, body: { status: "missed", resolvedAt: "2026-06-01" } });
    expect(incomplete.status).toBe(400);
    expect((incomplete.body as { fields: Array<{ name: string }> }).fields.map((f) => f.name)).toEqual(
      expect.arrayContaining(["reasonCategory", "control", "explanation", "lesson"]),
    );
    const missed = await call("POST", `/api/v1/commitments/${id}/outcome`, {
      token: t,
      body: { status: "missed", resolvedAt: "2026-06-01", reasonCategory: "dependency_blocker", control: "external", explanation: "The vendor slipped.", lesson: "Order earlier." },
    });
    expect(missed).toMatchObject({ status: 201, body: { status: "missed", outcome: { reasonCategory: "dependency_blocker" } } });
    const history = await call("GET", `/api/v1/commitments/${id}/revisions`, { token: t });
    expect((history.body as { items: Array<{ kind: string }> }).items.map((r) => r.kind)).toEqual(["outcome", "check_in", "create"]);
  });

  it("pages through a filtered list with next links, visiting every row once", async () => {
    const { call, editor, team, token } = await world();
    const t = await token(editor);
    for (let i = 0; i < 7; i++) {
      const res = await call("POST", "/api/v1/commitments", { token: t, body: commitmentBody(team.id, { dueDate: `2026-09-0${i + 1}`, statement: `Ship item ${i} by September` }) });
      expect(res.status).toBe(201);
    }
    const seen: string[] = [];
    let next: string | null = "/api/v1/commitments?team=platform&limit=3";
    while (next) {
      const page = await call("GET", next, { token: t });
      expect(page.status).toBe(200);
      const { items, next: following } = page.body as { items: Array<{ id: string; dueDate: string }>; next: string | null };
      seen.push(...items.map((i) => i.dueDate));
      next = following;
    }
    expect(seen).toEqual(["2026-09-01", "2026-09-02", "2026-09-03", "2026-09-04", "2026-09-05", "2026-09-06", "2026-09-07"]);
    const bad = await call("GET", "/api/v1/commitments?status=finished", { token: t });
    expect(bad).toMatchObject({ status: 400, body: { fields: [{ name: "status" }] } });
  });
});

