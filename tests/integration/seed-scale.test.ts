// The scale seed (db/seed-scale.ts) writes the record the app would have written: a server
// started on it, and the benchmark's record-check figures, describe a valid record, not one
// broken at every commitment ("no revision in the log"). The app's own integrity check is the
// judge; a letter published on the seed then checks its ledger, in batches, against it.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { seedScale } from "../../db/seed-scale";
import { statedLedgerFile, ledgerFileJson, type LedgerEntry } from "~/domain/letter-publish";
import { getLetter } from "~/models/letter.server";
import { rowsOf } from "~/models/rows.server";
import { sha256Hex } from "~/models/record-log.server";
import { addCheckIn } from "~/services/commitments.server";
import { generateLetterDraft, publishLetter } from "~/services/letters.server";
import { checkRecordIntegrity } from "~/services/record-log.server";
import { resetDatabase, superuserDatabase, testDatabase } from "../setup/db";
import { statementsDuring } from "../support/statements";

const NOW = new Date("2026-11-29T10:00:00.000Z");
/**
 * FY2024–FY2027, 200 commitments each: FY2025 has ~133 public ones, more than a letter lists in
 * full. The seed works 333 rows at a time (the chain's 2,133 links in seven batches, the last
 * partial; the stats in three), so every test here runs across its batch boundaries as a million does.
 */
const SCALE = { teams: 6, people: 12, commitments: 800, batch: 333 };

async function one<T>(db: Database, query: ReturnType<typeof sql>): Promise<T> {
  const [row] = rowsOf<T>(await db.execute(query));
  return row!;
}

/** Runs `statement` as someone holding the database with every trigger off (replica mode). */
async function asOwnerWithoutGuards(statement: ReturnType<typeof sql>) {
  const { db } = await superuserDatabase();
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(statement);
  });
}

async function seeded(): Promise<Database> {
  const app = await testDatabase();
  await resetDatabase(app);
  // Replica mode needs a superuser: the seed runs as the database's owner, as the benchmark does.
  await seedScale((await superuserDatabase()).db, SCALE);
  return app.db;
}

async function admin(db: Database) {
  const { id } = await one<{ id: string }>(db, sql`select id from users where email = 'scale1@example.com'`);
  return { id, role: "admin" as const };
}

async function publishFy2025(db: Database) {
  const actor = await admin(db);
  const draft = await generateLetterDraft(db, actor, { fiscalYear: 2025, audience: "public" }, NOW);
  if (!draft.ok) throw new Error(draft.error.message);
  const published = await publishLetter(db, actor, draft.value.id, draft.value.version, NOW);
  if (!published.ok) throw new Error(published.error.message);
  const letter = await one<{ id: string; md: string }>(db, sql`select id, published_markdown as md from letters where id = ${draft.value.id}`);
  return { ...letter, ledger: (await getLetter(db, letter.id))!.ledger as LedgerEntry[] };
}

describe("the scale seed", { timeout: 300_000 }, () => {
  it("writes one chained revision per commitment, check-in and outcome, and the integrity check finds the record intact", async () => {
    const db = await seeded();
    const counts = await one<{ commitments: number; check_ins: number; outcomes: number; revisions: number; creates: number; unchained: number; stats: number }>(
      db,
      sql`select (select count(*)::int from commitments) as commitments,
                 (select count(*)::int from check_ins) as check_ins,
                 (select count(*)::int from outcomes) as outcomes,
                 (select count(*)::int from commitment_revisions) as revisions,
                 (select count(*)::int from commitment_revisions where kind = 'create') as creates,
                 (select count(*)::int from commitment_revisions where seq is null) as unchained,
                 (select count(*)::int from commitment_stats) as stats`,
    );
    expect(counts.commitments).toBe(SCALE.commitments);
    expect(counts.creates).toBe(SCALE.commitments);
    expect(counts.outcomes).toBeGreaterThan(0);
    expect(counts.revisions).toBe(counts.commitments + counts.check_ins + counts.outcomes);
    expect(counts.unchained).toBe(0);
    expect(counts.stats).toBe(SCALE.commitments);
    const report = await checkRecordIntegrity(db, NOW);
    expect(report.problem).toBeNull();
    expect(report.entries).toBe(counts.revisions);
    expect(report.head?.seq).toBe(counts.revisions);

    // The app appends after the seeded head, and the chain still checks.
    const open = await one<{ id: string }>(db, sql`select id from commitments where status = 'open' and fiscal_year = 2026 order by id limit 1`);
    const checkedIn = await addCheckIn(db, await admin(db), open.id, { date: "2026-11-28", forecast: "at_risk", probability: 40, progressValue: null, note: "Behind." }, NOW);
    expect(checkedIn.ok).toBe(true);
    expect((await checkRecordIntegrity(db, NOW)).problem).toBeNull();
  });

  it("writes what the rows say: a value changed behind the revisions' back is named", async () => {
    const db = await seeded();
    const { id } = await one<{ id: string }>(db, sql`select id from commitments order by id offset 100 limit 1`);
    await asOwnerWithoutGuards(sql`update commitments set metric_target = metric_target + 1 where id = ${id}`);
    const report = await checkRecordIntegrity(db, NOW);
    expect(report.problem).toMatchObject({ code: "RECORD.DISAGREES" });
    expect(report.problem!.message).toContain(id);
    expect(report.problem!.message).toContain("metricTarget");
  });

  it("a summarised letter published on the seed checks intact in batches; a ledger entry rewritten past the first batch, file hash and all, is still named", async () => {
    const db = await seeded();
    const letter = await publishFy2025(db);
    const stated = statedLedgerFile(letter.md);
    expect(stated, "FY2025 is too large to list in full: the letter states its ledger file").not.toBeNull();
    expect(letter.ledger.length).toBeGreaterThan(100);

    const whole = await checkRecordIntegrity(db, NOW);
    expect(whole.problem).toBeNull();
    // Batches of 40: the ledger is never read whole, but a page of 40 entries at a time (once to
    // hash it as the ledger file, once against the record), and its entries' revisions 40 at a time.
    const { result: batched, statements } = await statementsDuring(db, () => checkRecordIntegrity(db, NOW, 40));
    expect(batched).toEqual(whole);
    expect(statements.filter((s) => /letter_ledger_entries/.test(s) && !/e\.position >= \$\d+ and e\.position < \$\d+/.test(s) && !/count\(e\.position\)/.test(s))).toEqual([]);
    expect(statements.filter((s) => /e\.position >= \$\d+ and e\.position < \$\d+/.test(s))).toHaveLength(2 * Math.ceil(letter.ledger.length / 40));
    const ledgerBatches = statements.filter((s) => /from "commitment_revisions" where .*"commitment_id" in /.test(s)).length;
    expect(ledgerBatches).toBe(Math.ceil(letter.ledger.length / 40));

    // Someone holding the database rewrites a shortfall as delivered in the frozen ledger, the
    // ledger file's hash the letter states, and the letter's own hash: the record still says otherwise.
    const index = letter.ledger.findIndex((e, i) => i >= 40 && e.status !== "delivered" && e.status !== "open");
    expect(index).toBeGreaterThanOrEqual(40);
    const target = letter.ledger[index]!;
    const ledger = letter.ledger.map((e, i) => (i === index ? { ...e, status: "delivered" as const } : e));
    const fileSha = sha256Hex(ledgerFileJson({ fiscalYear: 2025, audience: "public" }, ledger));
    const forged = letter.md.replace(stated!.sha256, fileSha);
    expect(forged).not.toBe(letter.md);
    await asOwnerWithoutGuards(sql`update letters set published_markdown = ${forged}, sha256 = ${sha256Hex(forged)} where id = ${letter.id}`);
    await asOwnerWithoutGuards(sql`update letter_ledger_entries set entry = ${JSON.stringify(ledger[index])}::json where letter_id = ${letter.id} and position = ${index + 1}`);
    for (const size of [40, 2_000]) {
      const report = await checkRecordIntegrity(db, NOW, size);
      expect(report.problem).toMatchObject({ code: "LETTER.LEDGER" });
      expect(report.problem!.message).toContain(`says commitment ${target.id} was delivered, but the record`);
      expect(report.problem!.message).toContain(`says ${target.status}`);
    }

    // The frozen ledger rewritten alone no longer hashes to the file the letter states.
    await asOwnerWithoutGuards(sql`update letters set published_markdown = ${letter.md}, sha256 = ${sha256Hex(letter.md)} where id = ${letter.id}`);
    expect((await checkRecordIntegrity(db, NOW, 40)).problem).toMatchObject({ code: "LETTER.APPENDIX" });
  });
});
