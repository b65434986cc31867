// The embedded database's readiness ping: PGlite runs one query at a time, so a ping sent while
// a long transaction runs waits behind it. Waiting is not an outage: the ping must say "up",
// or the server answers every request in flight — the transaction's own included — 503.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connect, type DatabaseHandle } from "../../db/client";

let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await connect({ dataDir: "memory://" });
});

afterAll(async () => {
  await handle.close();
});

it("answers up while a transaction longer than the ping's timeout holds the database", async () => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  const inside = new Promise<void>((resolve) => (started = resolve));
  const transaction = handle.db.transaction(async (tx) => {
    await tx.execute(sql`select 1`);
    started();
    await held;
  });
  await inside;
  const ping = handle.ping(20);
  // Longer than the ping's timeout, then the transaction ends.
  setTimeout(release, 200);
  expect(await ping).toBe(true);
  await transaction;
});

it("answers down once the database is closed", async () => {
  const other = await connect({ dataDir: "memory://" });
  await other.close();
  expect(await other.ping(20)).toBe(false);
});
