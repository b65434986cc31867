// The idempotency key, the business write and the stored answer commit together (ADR 0010).
import type { AppLoadContext } from "@remix-run/node";
import { eq } from "drizzle-orm";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { idempotencyKeys, teams } from "../../db/schema";
import { insertTeam } from "~/models/team.server";
import { loadEnv } from "~/utils/env.server";
import { IDEMPOTENCY_RETENTION_MS, idempotent, json, problem } from "~/api/handler.server";
import { makeUser } from "../factories";
import { testDatabase } from "../setup/db";

async function setUp() {
  const { db } = await testDatabase();
  const user = await makeUser(db, { role: "admin" });
  const principal = { tokenId: "t", scope: "write" as const, user: { id: user.id, name: user.name, email: user.email, role: user.role } };
  const context = { db, env: loadEnv({}), logger: pino({ level: "silent" }), requestId: "test", cspNonce: "n", clientIp: "127.0.0.1" } as unknown as AppLoadContext;
  const request = (key: string, body = "{}") =>
    new Request("http://kept.test/api/v1/teams", { method: "POST", headers: { "Idempotency-Key": key, "Content-Type": "application/json" }, body });
  let runs = 0;
  const createTeam = (slug: string, outcome: "ok" | "fail" | "throw" = "ok") => async (tx: Database) => {
    runs++;
    const team = await insertTeam(tx, { name: slug, slug, mission: "", parentId: null });
    if (outcome === "fail") return problem(503, "DATABASE.UNAVAILABLE", "Service unavailable");
    if (outcome === "throw") throw new Error("crash after the write");
    return json({ id: team.id }, { status: 201, headers: { Location: `/api/v1/teams/${team.id}` } });
  };
  return { db, principal, context, request, createTeam, runs: () => runs };
}

async function teamCount(db: Database, slug: string) {
  return (await db.select().from(teams).where(eq(teams.slug, slug))).length;
}

describe("idempotency keys", () => {
  it("replays the committed answer, with its Location, and runs the write once", async () => {
    const t = await setUp();
    const first = await idempotent(t.request("key-00000001"), t.context, t.principal, "{}", t.createTeam("alpha"));
    const again = await idempotent(t.request("key-00000001"), t.context, t.principal, "{}", t.createTeam("alpha"));
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(again.headers.get("Location")).toBe(first.headers.get("Location"));
    expect(await again.json()).toEqual(await first.json());
    expect(t.runs()).toBe(1);
    expect(await teamCount(t.db, "alpha")).toBe(1);
  });

  it("rolls back the write and the key together when the request fails, so a retry runs afresh once", async () => {
    const t = await setUp();
    const failed = await idempotent(t.request("key-00000002"), t.context, t.principal, "{}", t.createTeam("beta", "fail"));
    expect(failed.status).toBe(503);
    expect(await teamCount(t.db, "beta")).toBe(0);
    await expect(idempotent(t.request("key-00000002"), t.context, t.principal, "{}", t.createTeam("beta", "throw"))).rejects.toThrow("crash after the write");
    expect(await teamCount(t.db, "beta")).toBe(0);
    expect(await t.db.select().from(idempotencyKeys)).toHaveLength(0);

    const retry = await idempotent(t.request("key-00000002"), t.context, t.principal, "{}", t.createTeam("beta"));
    expect(retry.status).toBe(201);
    expect(retry.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await teamCount(t.db, "beta")).toBe(1);
  });

  it("answers parallel requests with one key from one execution", async () => {
    const t = await setUp();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => idempotent(t.request("key-00000003"), t.context, t.principal, "{}", t.createTeam("gamma"))),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    expect(new Set(answers.map((a) => a.headers.get("Location"))).size).toBe(1);
    expect(await teamCount(t.db, "gamma")).toBe(1);
  });

  it(`keeps a key for ${IDEMPOTENCY_RETENTION_MS / 3_600_000} hours, then sweeps it so it can be used afresh`, async () => {
    const t = await setUp();
    await idempotent(t.request("key-00000004"), t.context, t.principal, "{}", t.createTeam("delta"));
    await idempotent(t.request("key-00000005"), t.context, t.principal, "{}", t.createTeam("epsilon"));
    const almost = new Date(Date.now() - IDEMPOTENCY_RETENTION_MS + 60_000);
    const expired = new Date(Date.now() - IDEMPOTENCY_RETENTION_MS - 60_000);
    await t.db.update(idempotencyKeys).set({ createdAt: almost }).where(eq(idempotencyKeys.key, "key-00000004"));
    await t.db.update(idempotencyKeys).set({ createdAt: expired }).where(eq(idempotencyKeys.key, "key-00000005"));

    const stillKept = await idempotent(t.request("key-00000004"), t.context, t.principal, "{}", t.createTeam("delta"));
    expect(stillKept.headers.get("Idempotent-Replayed")).toBe("true");
    const afresh = await idempotent(t.request("key-00000005"), t.context, t.principal, "{}", t.createTeam("zeta"));
    expect(afresh.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await teamCount(t.db, "zeta")).toBe(1);
    const rows = await t.db.select({ key: idempotencyKeys.key, createdAt: idempotencyKeys.createdAt }).from(idempotencyKeys);
    expect(rows.every((r) => r.createdAt.getTime() > expired.getTime())).toBe(true);
  });
});
