// A publication has PostgreSQL describe the statements it writes with before it reads the year
// (describeAhead, ADR 0065), so that each is sent whole the moment it is issued instead of
// waiting, Parse and Describe first, for the server to finish the statement before it. That only
// helps if the texts described are the texts then run, and if describing really prepares them on
// the transaction's connection: both are checked here.
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { connect, describeAhead, type Database, type DatabaseHandle } from "../../db/client";
import { publicationStatements } from "~/models/letter.server";
import { rowsOf } from "~/models/rows.server";
import { generateLetterDraft, publishLetter } from "~/services/letters.server";
import { resetDatabase, runtimeDatabaseUrl, testDatabase } from "../setup/db";
import { statementsDuring } from "../support/statements";
import { world } from "../support/world";

const MADE = new Date("2026-01-10T10:00:00Z");
const NOW = new Date("2027-01-20T10:00:00Z");

async function fresh(): Promise<Database> {
  const handle = await testDatabase();
  await resetDatabase(handle);
  return handle.db;
}

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const ownHandles: DatabaseHandle[] = [];
afterAll(async () => {
  await Promise.all(ownHandles.map((h) => h.close()));
});

/** A pool of one connection of its own: nothing is prepared on it but what the test prepares. */
async function newConnection(): Promise<Database> {
  const handle = await connect({ databaseUrl: runtimeDatabaseUrl()!, dataDir: "", poolMax: 1 });
  ownHandles.push(handle);
  return handle.db;
}

describe("the statements a publication describes ahead", () => {
  it("are, text for text, statements the publication then runs", async () => {
    const db = await fresh();
    const w = await world(db, { organisation: { fiscalYearStartMonth: 1, timeZone: "UTC" }, teams: { team: {} }, people: { admin: { role: "admin" } } });
    const actor = w.actors.admin;
    for (const [i, due] of ["2026-03-31", "2026-06-30"].entries()) {
      await w.commit(actor, w.teams.team, { audience: "public", dueDate: due, periodLabel: `FY2026-Q${i + 1}` }, MADE);
    }
    const draft = await generateLetterDraft(db, actor, { fiscalYear: 2026, audience: "public" }, NOW);
    if (!draft.ok) throw new Error(draft.error.message);

    const { result, statements } = await statementsDuring(db, () => publishLetter(db, actor, draft.value.id, draft.value.version, NOW));

    expect(result.ok).toBe(true);
    const described = publicationStatements(db).map((s) => s.sql);
    // The lock reads and writes, the setting set back, the freeze and the ledger's rows.
    expect(described.length).toBe(8);
    for (const text of described) expect(statements).toContain(text);
  });

  it.skipIf(!onPostgres)("are prepared on the transaction's connection once described, before any of them has run", async () => {
    const db = await newConnection();
    const prepared = await db.transaction(async (tx) => {
      await describeAhead(tx, publicationStatements(tx));
      return rowsOf<{ statement: string }>(await tx.execute(sql`select statement from pg_prepared_statements`)).map((r) => r.statement);
    });
    const withParameters = publicationStatements(db).filter((s) => s.params.length > 0);
    expect(withParameters.length).toBeGreaterThan(0);
    for (const s of withParameters) expect(prepared).toContain(s.sql);
  });

  it.skipIf(!onPostgres)("fails with the statement's own error when one cannot be described, as running it would have", async () => {
    const db = await newConnection();
    await expect(
      db.transaction(async (tx) => {
        await describeAhead(tx, [{ sql: "select $1::no_such_type", params: ["x"] }]);
      }),
    ).rejects.toThrow(/type "no_such_type" does not exist/);
  });

  it.skipIf(onPostgres)("does nothing on the embedded database, which prepares nothing", async () => {
    const db = await fresh();
    // A statement that could not even be parsed is not sent: PGlite runs statements when they run.
    await expect(db.transaction((tx) => describeAhead(tx, [{ sql: "select $1::no_such_type", params: ["x"] }]))).resolves.toBeUndefined();
  });
});
