// The database goes away under load and comes back: how fast pages and the API say so, and
// how fast they recover. PostgreSQL only (the embedded database cannot go away); the outage
// is played by a loopback proxy in front of the test server, in two forms: a server that
// refuses connections, and one that hangs without closing anything.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase } from "../setup/db";
import { SETUP_FIELDS, cookieFrom, postForm, requireBuild, startServer, type RunningServer } from "../support/server-process";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";

const base = process.env.TEST_DATABASE_URL;
const FAIL_WITHIN_MS = 2000;
const RECOVER_WITHIN_MS = 5000;

interface Sample {
  kind: "page" | "api";
  start: number;
  end: number;
  status: number;
  retryAfter: string | null;
  type: string | null;
}

describe.skipIf(!base)("a database outage under load", { timeout: 300_000 }, () => {
  let proxy: TcpProxy;
  let server: RunningServer;
  let cookie: string;

  beforeAll(async () => {
    requireBuild();
    const url = new URL(await createScratchDatabase(base!, `kept_outage_load_${process.pid}`));
    proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.hostname = "127.0.0.1";
    url.port = String(proxy.port);
    // The scratch database's superuser, accepted explicitly: this test is about outages, the
    // two roles are server-postgres.test.ts's.
    server = await startServer({ DATABASE_URL: url.toString(), ALLOW_PRIVILEGED_DATABASE_ROLE: "true" });
    const setup = await postForm(server, "/setup", SETUP_FIELDS);
    expect(setup.status).toBe(302);
    cookie = cookieFrom(setup);
  });

  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
  });

  async function underLoad(outage: () => void | Promise<void>) {
    const samples: Sample[] = [];
    let running = true;
    const loop = async (kind: Sample["kind"]) => {
      while (running) {
        const start = Date.now();
        try {
          const res =
            kind === "page"
              ? await fetch(`${server.url}/teams`, { headers: { Cookie: cookie }, signal: AbortSignal.timeout(20_000) })
              : await fetch(`${server.url}/api/v1/me`, { headers: { Authorization: "Bearer kept_aaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" }, signal: AbortSignal.timeout(20_000) });
          await res.arrayBuffer();
          samples.push({ kind, start, end: Date.now(), status: res.status, retryAfter: res.headers.get("retry-after"), type: res.headers.get("content-type") });
        } catch {
          samples.push({ kind, start, end: Date.now(), status: 0, retryAfter: null, type: null });
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const loops = [loop("page"), loop("page"), loop("api"), loop("api")];
    // Warm up: the first render of a page is the slowest.
    await new Promise((r) => setTimeout(r, 2500));
    const downAt = Date.now();
    await outage();
    await new Promise((r) => setTimeout(r, 4000));
    const backAt = Date.now();
    await proxy.restore();
    await new Promise((r) => setTimeout(r, RECOVER_WITHIN_MS + 1500));
    running = false;
    await Promise.all(loops);
    return { samples, downAt, backAt };
  }

  function check({ samples, downAt, backAt }: Awaited<ReturnType<typeof underLoad>>) {
    // Healthy before: pages 200, the API's 401 for a token that does not exist.
    const before = samples.filter((s) => s.end < downAt);
    expect(before.length).toBeGreaterThan(2);
    for (const s of before) expect(s.status).toBe(s.kind === "page" ? 200 : 401);

    // Every request in flight during the outage is answered within 2 s of the outage (or of
    // being sent), and once the outage is known, the answer is 503 with Retry-After.
    const during = samples.filter((s) => s.end >= downAt && s.start < backAt);
    expect(during.length).toBeGreaterThan(8);
    for (const s of during) {
      expect(s.status, `${s.kind} sent ${s.start - downAt} ms into the outage`).not.toBe(0);
      expect(s.end - Math.max(s.start, downAt), `${s.kind} sent ${s.start - downAt} ms into the outage`).toBeLessThanOrEqual(FAIL_WITHIN_MS);
    }
    const known = during.filter((s) => s.start >= downAt + FAIL_WITHIN_MS);
    expect(known.length).toBeGreaterThan(4);
    for (const s of known) {
      expect(s.status).toBe(503);
      expect(Number(s.retryAfter)).toBeGreaterThan(0);
      if (s.kind === "api") expect(s.type).toMatch(/^application\/problem\+json/);
    }

    // Back within 5 s of the database's return, and stays back.
    const firstPage = samples.find((s) => s.kind === "page" && s.start >= backAt && s.status === 200);
    expect(firstPage, "a page answered 200 after the database came back").toBeDefined();
    expect(firstPage!.end - backAt).toBeLessThanOrEqual(RECOVER_WITHIN_MS);
    for (const s of samples.filter((x) => x.start >= backAt + RECOVER_WITHIN_MS)) expect(s.status).toBe(s.kind === "page" ? 200 : 401);
  }

  it("fails fast and recovers when the database refuses connections", async () => {
    check(await underLoad(() => proxy.cut()));
  });

  it("fails fast and recovers when the database hangs without closing connections", async () => {
    check(await underLoad(() => proxy.blackhole()));
  });
});
