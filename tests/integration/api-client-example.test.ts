// scripts/api-client-example.mjs is what an outside developer would write from the OpenAPI
// document alone; it runs here as they would run it: `node`, against the real server process.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { connect, type DatabaseHandle } from "../../db/client";
import { migrateToLatest } from "../../db/migrate";
import { checkIns, commitments, outcomes } from "../../db/schema";
import { createToken, revokeToken } from "~/services/api-tokens.server";
import { openApiDocument } from "~/api/openapi.server";
import { addMember, makeOrganisation, makeTeam, makeUser } from "../factories";
import { createScratchDatabase } from "../setup/db";
import { ROOT, requireBuild, startServer, tempDataDir } from "../support/server-process";

const SCRIPT = path.join(ROOT, "scripts/api-client-example.mjs");
const base = process.env.TEST_DATABASE_URL;
let worlds = 0;

async function dropScratchDatabase(baseUrl: string, name: string) {
  const { default: postgres } = await import("postgres");
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

function runScript(env: Record<string, string>, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Nothing of the test's environment leaks in: the script gets what a developer's shell would.
    const child = spawn(process.execPath, [SCRIPT, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A server of its own with an organisation, a team, its editor and the editor's tokens. On
 * PGlite only one process may open the data folder, so the data is written before the server
 * starts and read back after it stops (`inspect`); on PostgreSQL both connect at once.
 */
async function world() {
  requireBuild();
  const n = ++worlds;
  const data = base ? null : await tempDataDir();
  const databaseUrl = base ? await createScratchDatabase(base, `kept_client_${process.pid}_${n}`) : undefined;
  const open = () => connect(databaseUrl ? { databaseUrl, dataDir: "", poolMax: 2 } : { dataDir: data!.dir });

  const handle = await open();
  await migrateToLatest(handle);
  const { db } = handle;
  await makeOrganisation(db, { fiscalYearStartMonth: 4, timeZone: "Europe/Berlin" });
  const editor = await makeUser(db, { role: "member" });
  const team = await makeTeam(db, { slug: "payments", name: "Payments" });
  await addMember(db, team.id, editor.id, "editor");
  const actor = { id: editor.id, role: editor.role };
  const issue = async (scope: "read" | "write") => {
    const result = await createToken(db, actor, { name: "example client", scope, expiresAt: null }, new Date());
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  };
  const token = (await issue("write")).token;
  const revoked = await issue("write");
  const revokedResult = await revokeToken(db, actor, revoked.row.id, new Date());
  if (!revokedResult.ok) throw new Error(revokedResult.error.message);
  if (!databaseUrl) await handle.close();

  // One role here: this test is about the client, the roles are server-postgres.test.ts's.
  const server = await startServer(databaseUrl ? { DATABASE_URL: databaseUrl, ALLOW_PRIVILEGED_DATABASE_ROLE: "true" } : { DATA_DIR: data!.dir });
  return {
    team,
    token,
    revokedToken: revoked.token,
    server,
    run: (tokenValue: string, args: string[]) => runScript({ KEPT_URL: server.url, KEPT_TOKEN: tokenValue }, args),
    async inspect<T>(fn: (db: DatabaseHandle["db"]) => Promise<T>): Promise<T> {
      if (databaseUrl) return fn(handle.db);
      await server.stop();
      const reopened = await open();
      try {
        return await fn(reopened.db);
      } finally {
        await reopened.close();
      }
    },
    async cleanup() {
      await server.stop();
      if (databaseUrl) {
        await handle.close();
        await dropScratchDatabase(base!, new URL(databaseUrl).pathname.slice(1));
      }
      await data?.cleanup();
    },
  };
}

describe(`the example API client (${base ? "PostgreSQL" : "embedded database"})`, { timeout: 240_000 }, () => {
  it("commits, checks in and records a delivered outcome using only the OpenAPI document", async () => {
    const w = await world();
    try {
      // The fiscal year starts in April: Q3 of FY(y+2) is October to December of y+1.
      const year = new Date().getUTCFullYear();
      const period = `FY${year + 2}-Q3`;
      const due = `${year + 1}-12-15`;
      const given = await w.run(w.token, ["--team", "payments", "--period", period, "--due", due]);
      expect(given.stderr).toBe("");
      expect(given.code).toBe(0);
      expect(given.stdout).toContain(`for Payments (${period}, due ${due}`);
      expect(given.stdout).toContain("Check-ins: 1");
      expect(given.stdout).toContain("Outcome: delivered");

      // The defaults the script's header documents work on any fiscal calendar.
      const defaults = await w.run(w.token, ["--team", w.team.id]);
      expect(defaults.stderr).toBe("");
      expect(defaults.code).toBe(0);
      expect(defaults.stdout).toContain(`(FY${year + 1}, due ${year + 1}-01-15`);

      const stored = await w.inspect(async (db) => {
        const rows = await db.select().from(commitments).where(eq(commitments.teamId, w.team.id)).orderBy(commitments.dueDate);
        return Promise.all(
          rows.map(async (row) => ({
            row,
            checkIns: await db.select().from(checkIns).where(eq(checkIns.commitmentId, row.id)),
            outcomes: await db.select().from(outcomes).where(eq(outcomes.commitmentId, row.id)),
          })),
        );
      });
      expect(stored).toHaveLength(2);
      const [byDefault, byOption] = stored;
      expect(byOption!.row).toMatchObject({ periodLabel: period, dueDate: due, status: "delivered", audience: "internal" });
      expect(byDefault!.row).toMatchObject({ periodLabel: `FY${year + 1}`, dueDate: `${year + 1}-01-15`, status: "delivered" });
      expect(given.stdout).toContain(byOption!.row.id);
      for (const { checkIns: ins, outcomes: outs } of stored) {
        expect(ins).toHaveLength(1);
        expect(ins[0]).toMatchObject({ forecast: "on_track", probability: 80 });
        expect(outs).toHaveLength(1);
        expect(outs[0]).toMatchObject({ status: "delivered", evidenceUrl: "https://example.com/release-notes" });
      }
    } finally {
      await w.cleanup();
    }
  });

  it("exits 1 with the server's explanation for a bad token or a refused commitment, and changes nothing", async () => {
    const w = await world();
    try {
      for (const token of [w.revokedToken, "kept_notarealtoken"]) {
        const result = await w.run(token, ["--team", "payments"]);
        expect(result.code).toBe(1);
        expect(result.stdout).toBe("");
        expect(result.stderr).toContain("listTeams (GET /api/v1/teams) answered 401 AUTH.REQUIRED");
        expect(result.stderr).toContain("Send a valid personal access token");
      }
      const refused = await w.run(w.token, ["--team", "payments", "--period", "FY2027-Q9"]);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe("");
      expect(refused.stderr).toContain("createCommitment (POST /api/v1/commitments) answered 400 VALIDATION");
      expect(refused.stderr).toContain("periodLabel");

      const count = await w.inspect(async (db) => (await db.select({ id: commitments.id }).from(commitments)).length);
      expect(count).toBe(0);
    } finally {
      await w.cleanup();
    }
  });

  it("refuses to send a body the document says is incomplete: a contract change shows up before the server has to say so", async () => {
    // A stand-in server whose contract has moved on: commitments now require an "impact".
    const doc = structuredClone(openApiDocument()) as { components: { schemas: Record<string, { required: string[] }> } };
    doc.components.schemas.CommitmentWrite!.required.push("impact");
    const me = { id: randomUUID(), name: "Ed Editor", email: "ed@example.com", role: "member", tokenScope: "write" };
    const team = { id: randomUUID(), slug: "payments", name: "Payments", mission: "", parentId: null };
    const answers: Record<string, unknown> = {
      "GET /api/v1/openapi.json": doc,
      "GET /api/v1/me": me,
      "GET /api/v1/teams": { items: [team], next: null },
    };
    const seen: string[] = [];
    const stub = http.createServer((req, res) => {
      const key = `${req.method} ${req.url}`;
      seen.push(key);
      const body = answers[key];
      res.writeHead(body ? 200 : 500, { "Content-Type": "application/json" }).end(JSON.stringify(body ?? { detail: "unexpected" }));
    });
    await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = stub.address() as AddressInfo;
      const result = await runScript({ KEPT_URL: `http://127.0.0.1:${port}`, KEPT_TOKEN: "kept_whatever" }, ["--team", "payments"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("The createCommitment body no longer matches the API's contract: body.impact is required.");
      expect(seen.filter((s) => !s.startsWith("GET "))).toEqual([]);
    } finally {
      await new Promise((resolve) => stub.close(resolve));
    }
  });
});
