// drizzle runs every statement unnamed, which postgres.js sends as two round trips (Parse and
// Describe, then Bind and Execute) with a parse each time; db/client.ts prepares them instead,
// up to a bound, with custom plans as before (ADR 0041). PostgreSQL only: the embedded database
// has no protocol round trips.
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, PREPARED_STATEMENTS_MAX, preparingStatements, type DatabaseHandle } from "../../db/client";
import { rowsOf } from "../../app/models/rows.server";
import { createScratchDatabase } from "../setup/db";

const base = process.env.TEST_DATABASE_URL;

describe.skipIf(!base)("statements prepared once per connection", () => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    // One connection, so every statement below runs in the session whose prepared statements are read.
    handle = await connect({ databaseUrl: base!, dataDir: "memory://", poolMax: 1 });
  });

  afterAll(async () => {
    await handle?.close();
  });

  const preparedTexts = async () =>
    rowsOf<{ statement: string }>(await handle.db.execute(sql`select statement from pg_prepared_statements`)).map((r) => r.statement);

  it("prepares a statement the first time and reuses it after, with the same answers", async () => {
    const answers: number[] = [];
    for (const n of [1, 2, 3]) {
      const [row] = rowsOf<{ n: number }>(await handle.db.execute(sql`select ${n}::int + 40 as n`));
      answers.push(row!.n);
    }
    expect(answers).toEqual([41, 42, 43]);
    expect((await preparedTexts()).filter((text) => text === "select $1::int + 40 as n")).toHaveLength(1);
  });

  it("leaves statements without parameters unnamed (one round trip already; migrations' DDL is such)", async () => {
    await handle.db.execute(sql`select 40 + 2 as n`);
    expect(await preparedTexts()).not.toContain("select 40 + 2 as n");
  });

  it("keeps custom plans, as unnamed statements had", async () => {
    const [row] = rowsOf<{ plan_cache_mode: string }>(await handle.db.execute(sql`show plan_cache_mode`));
    expect(row!.plan_cache_mode).toBe("force_custom_plan");
  });

  it("reads dates and instants as ISO text whatever DateStyle the server defaults to", async () => {
    // A year's reads parse dates and instants from text (ADR 0043), as drizzle's date columns do.
    const url = await createScratchDatabase(base!, `kept_datestyle_${process.pid}`);
    const name = new URL(url).pathname.slice(1);
    const admin = postgres(base!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`alter database "${name}" set datestyle = 'SQL, DMY'`);
    const raw = postgres(url, { max: 1, onnotice: () => {} });
    const app = await connect({ databaseUrl: url, dataDir: "memory://", poolMax: 1 });
    try {
      const query = "select (date '2026-01-05')::text as d, (timestamptz '2026-01-05 09:30:00.123456+00' at time zone 'UTC')::text as t";
      // What the server's default would have handed over.
      expect({ ...(await raw.unsafe(query))[0] }).toEqual({ d: "05/01/2026", t: "05/01/2026 09:30:00.123456" });
      const [row] = rowsOf<{ d: string; t: string }>(await app.db.execute(sql.raw(query)));
      expect(row).toEqual({ d: "2026-01-05", t: "2026-01-05 09:30:00.123456" });
    } finally {
      await app.close();
      await raw.end();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });

  it("prepares inside transactions and savepoints too", async () => {
    const seen = await handle.db.transaction(async (tx) => {
      const [outer] = rowsOf<{ n: number }>(await tx.execute(sql`select ${7}::int * 6 as n`));
      const inner = await tx.transaction(async (sp) => rowsOf<{ n: number }>(await sp.execute(sql`select ${5}::int * 6 as n`))[0]!.n);
      return [outer!.n, inner];
    });
    expect(seen).toEqual([42, 30]);
    const texts = await preparedTexts();
    expect(texts).toContain("select $1::int * 6 as n");
  });

  it("runs statements unnamed once the bound of distinct texts is reached", async () => {
    const client = postgres(base!, { max: 1, onnotice: () => {} });
    try {
      const full = new Set(Array.from({ length: PREPARED_STATEMENTS_MAX }, (_, i) => `select ${i}`));
      const bounded = preparingStatements(client, full);
      expect(await bounded.unsafe("select $1::int + 1 as n", [1])).toEqual([{ n: 2 }]);
      const open = preparingStatements(client, new Set());
      expect(await open.unsafe("select $1::int + 2 as n", [1])).toEqual([{ n: 3 }]);
      const texts = (await client.unsafe("select statement from pg_prepared_statements")).map((r) => String(r.statement));
      expect(texts).not.toContain("select $1::int + 1 as n");
      expect(texts).toContain("select $1::int + 2 as n");
      expect(full.size).toBe(PREPARED_STATEMENTS_MAX);
    } finally {
      await client.end({ timeout: 0 });
    }
  });
});
