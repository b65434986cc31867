// kill -9 in the middle of a burst of idempotent POSTs, restart, replay every key: each gets
// its original answer or a fresh, single execution; no key is stuck (ADR 0010). PostgreSQL
// only: a killed process must leave the database as a crash leaves it, which the embedded
// database in a folder does not promise.
import { afterAll, describe, expect, it } from "vitest";
import { createScratchDatabase } from "../setup/db";
import { SETUP_FIELDS, cookieFrom, freePort, postForm, requireBuild, startServer, type RunningServer } from "../support/server-process";

const base = process.env.TEST_DATABASE_URL;
const KEYS = 48;

describe.skipIf(!base)("idempotency across a crash", { timeout: 180_000 }, () => {
  const servers: RunningServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
  });

  it("answers every replayed key with its original answer or one fresh execution", async () => {
    requireBuild();
    const url = await createScratchDatabase(base!, `kept_crash_${process.pid}`);
    const port = String(await freePort());
    // The scratch database's superuser, accepted explicitly: this test is about crashes, the two
    // roles are server-postgres.test.ts's.
    const first = await startServer({ DATABASE_URL: url, PORT: port, ALLOW_PRIVILEGED_DATABASE_ROLE: "true" });
    servers.push(first);
    const setup = await postForm(first, "/setup", SETUP_FIELDS);
    const cookie = cookieFrom(setup);
    const page = await postForm(first, "/account/tokens", { intent: "create", name: "crash test", scope: "write" }, cookie);
    const token = /kept_[a-z0-9]{10}_[A-Za-z0-9_-]{43}/.exec(await page.text())?.[0];
    expect(token).toBeDefined();

    const send = (server: RunningServer, i: number) =>
      fetch(`${server.url}/api/v1/teams`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": `crash-key-${String(i).padStart(4, "0")}` },
        body: JSON.stringify({ name: `Team ${i}`, slug: `team-${i}`, mission: "" }),
      });

    // The burst: every key at once; the process is killed once a handful have answered.
    const answered = new Map<number, { status: number; location: string | null }>();
    const burst = Array.from({ length: KEYS }, (_, i) =>
      send(first, i).then(
        (res) => answered.set(i, { status: res.status, location: res.headers.get("location") }),
        () => undefined,
      ),
    );
    const deadline = Date.now() + 30_000;
    while (answered.size < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    first.child.kill("SIGKILL");
    await first.exited;
    await Promise.all(burst);
    expect(answered.size).toBeGreaterThan(0);
    expect(answered.size).toBeLessThan(KEYS);

    const second = await startServer({ DATABASE_URL: url, PORT: port, ALLOW_PRIVILEGED_DATABASE_ROLE: "true" });
    servers.push(second);
    const replays = await Promise.all(Array.from({ length: KEYS }, async (_, i) => {
      const res = await send(second, i);
      return { i, status: res.status, location: res.headers.get("location"), replayed: res.headers.get("idempotent-replayed") };
    }));
    for (const r of replays) {
      expect(r.status, `key ${r.i}`).toBe(201);
      const original = answered.get(r.i);
      if (original) {
        expect(r.replayed).toBe("true");
        expect(r.location).toBe(original.location);
      }
    }
    // A second replay of every key now answers as the first replay did.
    for (const r of replays) {
      const again = await send(second, r.i);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(again.headers.get("location")).toBe(r.location);
    }
    // One execution per key: exactly one team per slug, at the address the key answers with.
    const list = await fetch(`${second.url}/api/v1/teams?limit=100`, { headers: { Authorization: `Bearer ${token}` } });
    const body = (await list.json()) as { items: Array<{ id: string; slug: string }> };
    for (let i = 0; i < KEYS; i++) {
      const matching = body.items.filter((t) => t.slug === `team-${i}`);
      expect(matching, `team-${i}`).toHaveLength(1);
      expect(replays[i]!.location).toBe(`/api/v1/teams/${matching[0]!.id}`);
    }
  });
});
