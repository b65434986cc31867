// Behaviour that only a real PostgreSQL server can show: outages and several app processes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../db/client";
import { prepareDatabase } from "../../db/migrate";
import { createScratchDatabase, createTwoRoleDatabase } from "../setup/db";
import { SETUP_FIELDS, cookieFrom, postForm, requireBuild, startServer, type RunningServer } from "../support/server-process";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";

const base = process.env.TEST_DATABASE_URL;

describe.skipIf(!base)("on PostgreSQL", { timeout: 300_000 }, () => {
  describe("an outage", () => {
    let proxy: TcpProxy;
    let server: RunningServer;

    beforeAll(async () => {
      requireBuild();
      const url = new URL(await createScratchDatabase(base!, `kept_outage_${process.pid}`));
      proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
      url.hostname = "127.0.0.1";
      url.port = String(proxy.port);
      // The outage is the point here, not the roles: the superuser is accepted explicitly.
      server = await startServer({ DATABASE_URL: url.toString(), ALLOW_PRIVILEGED_DATABASE_ROLE: "true" });
    });

    afterAll(async () => {
      await server?.stop();
      await proxy?.close();
    });

    it("reports 503 while the database is unreachable and recovers without a restart", async () => {
      const setup = await postForm(server, "/setup", SETUP_FIELDS);
      expect(setup.status).toBe(302);
      const cookie = cookieFrom(setup);

      await proxy.cut();
      const started = Date.now();
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(3000);
      const page = await fetch(`${server.url}/teams`, { headers: { Cookie: cookie } });
      expect(page.status).toBe(503);
      expect(page.headers.get("retry-after")).toBe("5");

      await proxy.restore();
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = (await fetch(`${server.url}/readyz`)).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(status).toBe(200);
      const back = await fetch(`${server.url}/teams`, { headers: { Cookie: cookie } });
      expect(back.status).toBe(200);
    });
  });

  it("refuses to serve as a superuser or as the tables' owner, saying why; serves as the runtime role once the owner migrated", async () => {
    requireBuild();
    const urls = await createTwoRoleDatabase(base!, `kept_roles_${process.pid}`);
    // The runtime role alone, before the owner migrated: refused, naming the one-shot migration.
    const early = await startServer({ DATABASE_URL: urls.runtimeUrl }, { waitReady: false });
    expect((await early.exited).code).toBe(1);
    expect(early.output()).toMatch(/migrations are pending[\s\S]*npm run db:migrate/);

    // What `npm run db:migrate` does with MIGRATION_DATABASE_URL set.
    const owner = await connect({ databaseUrl: urls.ownerUrl, dataDir: "", poolMax: 1 });
    await prepareDatabase(owner, { runtimeUrl: urls.runtimeUrl });
    await owner.close();

    for (const url of [urls.adminUrl, urls.ownerUrl]) {
      const refused = await startServer({ DATABASE_URL: url }, { waitReady: false });
      expect((await refused.exited).code).toBe(1);
      expect(refused.output()).toMatch(/Kept refuses to serve: the database role "[^"]+" \(DATABASE_URL\) (is a superuser|owns Kept's tables)/);
      expect(refused.output()).toContain("ALLOW_PRIVILEGED_DATABASE_ROLE");
    }
    const runtime = await startServer({ DATABASE_URL: urls.runtimeUrl });
    try {
      expect((await fetch(`${runtime.url}/readyz`)).status).toBe(200);
    } finally {
      await runtime.stop();
    }
  });

  it("runs several app processes on one database as the runtime role, the owner migrating once under an advisory lock", async () => {
    requireBuild();
    const urls = await createTwoRoleDatabase(base!, `kept_multi_${process.pid}`);
    const env = { DATABASE_URL: urls.runtimeUrl, MIGRATION_DATABASE_URL: urls.ownerUrl };
    const [a, b] = await Promise.all([startServer(env), startServer(env)]);
    try {
      // Setup through one process is seen by the other: nothing lives in process memory.
      const setup = await postForm(a, "/setup", SETUP_FIELDS);
      expect(setup.status).toBe(302);
      const cookie = cookieFrom(setup);
      const viaB = await fetch(`${b.url}/people`, { headers: { Cookie: cookie } });
      expect(viaB.status).toBe(200);
      expect(await viaB.text()).toContain(SETUP_FIELDS.adminEmail);
      expect((await fetch(`${b.url}/setup`)).status).toBe(404);

      // Failed sign-ins are counted in the database, so the lock holds across processes.
      for (let i = 0; i < 5; i++) {
        const target = i % 2 === 0 ? a : b;
        const res = await postForm(target, "/login", { email: SETUP_FIELDS.adminEmail, password: `wrong-password-${i}` });
        expect(res.status).toBe(401);
      }
      const locked = await postForm(b, "/login", { email: SETUP_FIELDS.adminEmail, password: SETUP_FIELDS.adminPassword });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(800);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
