// A readiness ping that gives up ends its connection at once. postgres.js opens a connection with
// a catalog query (the array types) whose promise it discards; ended while that query ran, the
// rejection reached nobody and Node ended the server (unhandled CONNECTION_DESTROYED) as it
// started under load (porsager/postgres#1192). PostgreSQL only: the embedded database's ping
// opens no connection.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type DatabaseHandle } from "../../db/client";

const base = process.env.TEST_DATABASE_URL;

describe.skipIf(!base)("the database ping", () => {
  let handle: DatabaseHandle;
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on("unhandledRejection", record);
    handle = await connect({ databaseUrl: base!, dataDir: "memory://" });
  });

  afterAll(async () => {
    process.off("unhandledRejection", record);
    await handle?.close();
  });

  it("gives up on a connection while it opens without leaving a rejection unobserved", async () => {
    // Timeouts shorter than opening a connection takes: every one of these ends a connection
    // somewhere between the socket and its first answer.
    const answers: boolean[] = [];
    for (let i = 0; i < 60; i++) answers.push(await handle.ping(i % 4));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(answers).toContain(false);
    expect(unhandled.map((reason) => String((reason as { code?: string }).code ?? reason))).toEqual([]);
    // And it still answers once given the time to.
    expect(await handle.ping(5000)).toBe(true);
  });
});
