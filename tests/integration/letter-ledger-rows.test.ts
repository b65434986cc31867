// A published letter's frozen ledger kept as rows (ADR 0047): the database accepts them only from
// the transaction that publishes their letter, and all of them; it never changes or removes one;
// and the ledgers published as one jsonb value before migration 0043 read the same after it.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { connect, type Database, type DbOrTx } from "../../db/client";
import { MIGRATIONS_FOLDER, migrateToLatest } from "../../db/migrate";
import { frozenLedgerPage, frozenLedgerSize, frozenLedgerStatuses, getLetter, insertLedgerEntries, insertLedgerSection } from "~/models/letter.server";
import { LEDGER_SECTION_SEPARATOR } from "~/domain/letter-publish";
import { publishedLetterWorld, world } from "../support/world";
import { resetDatabase, superuserDatabase, testDatabase } from "../setup/db";
import { refusal, rows } from "../support/refusal";

async function fresh(): Promise<Database> {
  const handle = await testDatabase();
  await resetDatabase(handle);
  return handle.db;
}

const ENTRY = (id: string) => JSON.stringify({ id, statement: "Smuggled", status: "delivered" });

/** A public FY2027 draft, made by whoever made the published letter. */
async function draftBeside(db: Database, letterId: string): Promise<{ id: string }> {
  const [draft] = await rows<{ id: string }>(
    db,
    sql`insert into letters (fiscal_year, audience, title, body, generated_body, created_by) select 2027, 'public', 'Draft', 'Body', 'Body', created_by from letters where id = ${letterId} returning id`,
  );
  return draft!;
}

/** Publishes a draft by hand as a publication does (freezeLetter, then insertLedgerSection): its one UPDATE (with the ledger's size), then `writeRows`, in one transaction. */
function publishByHand(db: Database, letterId: string, size: number, writeRows: (tx: DbOrTx) => Promise<unknown>) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`update letters set status = 'published', published_at = now(), published_markdown = 'M', published_html = 'H', sha256 = 'S', ledger_size = ${size} where id = ${letterId}`);
    await writeRows(tx);
  });
}

describe("a published letter's ledger rows", () => {
  it("are never changed, removed or truncated, even on a superuser connection", async () => {
    const db = await fresh();
    const { letter } = await publishedLetterWorld(db);
    const { db: superuser } = await superuserDatabase();
    const before = await getLetter(db, letter.id);
    expect((before!.ledger as unknown[]).length).toBe(1);
    for (const conn of [db, superuser]) {
      expect(await refusal(conn.execute(sql`update letter_ledger_entries set entry = ${ENTRY("x")}::json where letter_id = ${letter.id}`))).toMatch(/append-only|permission denied/);
      expect(await refusal(conn.execute(sql`delete from letter_ledger_entries where letter_id = ${letter.id}`))).toMatch(/append-only|permission denied/);
    }
    expect(await refusal(superuser.execute(sql`truncate letter_ledger_entries`))).toMatch(/TRUNCATE|truncate/);
    expect(await getLetter(db, letter.id)).toEqual(before);
  });

  it("are refused outside the transaction that publishes their letter: after it, before it, and on a draft", async () => {
    const db = await fresh();
    const { letter } = await publishedLetterWorld(db);
    const { db: superuser } = await superuserDatabase();
    // Published already: every place is taken, and there is no place beyond its size.
    for (const conn of [db, superuser]) {
      expect(await refusal(conn.execute(sql`insert into letter_ledger_entries (letter_id, position, entry) values (${letter.id}, 2, ${ENTRY(letter.id)}::json)`))).toMatch(/not a place of its published ledger/);
      expect(await refusal(conn.execute(sql`insert into letter_ledger_entries (letter_id, position, entry) values (${letter.id}, 1, ${ENTRY(letter.id)}::json)`))).toMatch(/duplicate key|unique/);
    }
    // A draft has no ledger, and no letter at all has none either.
    const draft = await draftBeside(db, letter.id);
    expect(await refusal(insertLedgerEntries(db, draft.id, `[${ENTRY(draft.id)}]`))).toMatch(/not a place of its published ledger/);
    expect(await refusal(insertLedgerEntries(db, "00000000-0000-4000-8000-000000000000", `[${ENTRY("x")}]`))).toMatch(/not a place of its published ledger/);
    expect((await getLetter(db, letter.id))!.ledger).toHaveLength(1);
    expect(await frozenLedgerSize(db, letter.id)).toBe(1);
  });

  it("are all there when a letter's publication commits, or it does not commit", async () => {
    const db = await fresh();
    const { letter } = await publishedLetterWorld(db);
    const draft = await draftBeside(db, letter.id);
    const publish = (size: number, entries: string[]) =>
      publishByHand(db, draft.id, size, async (tx) => {
        if (entries.length) await insertLedgerEntries(tx, draft.id, `[${entries.join(",")}]`);
      });
    // Published without its rows, or with some of them: refused at commit.
    expect(await refusal(publish(2, []))).toMatch(/published with 0 ledger entries of 2/);
    expect(await refusal(publish(2, [ENTRY("a")]))).toMatch(/published with 1 ledger entries of 2/);
    // Published without a size at all: the check constraint.
    expect(await refusal(db.execute(sql`update letters set status = 'published', published_at = now(), published_markdown = 'M', published_html = 'H', sha256 = 'S' where id = ${draft.id}`))).toMatch(
      /letters_published_complete_check/,
    );
    expect((await getLetter(db, draft.id))!.status).toBe("draft");
    // With all of them, in the same transaction: published, in their order.
    await publish(2, [ENTRY("a"), ENTRY("b")]);
    expect(((await getLetter(db, draft.id))!.ledger as Array<{ id: string }>).map((e) => e.id)).toEqual(["a", "b"]);
    expect(await frozenLedgerStatuses(db, 2027, "public", ["b", "c"])).toEqual([{ id: "b", status: "delivered" }]);
  });

  it("are written from the ledger file's section as the entries' own text, whatever their strings hold (ADR 0051)", async () => {
    const db = await fresh();
    const { letter } = await publishedLetterWorld(db);
    const draft = await draftBeside(db, letter.id);
    // Strings holding the separator, a line break, brackets, quotes and non-ASCII: JSON.stringify
    // escapes the line break, so the section breaks lines only between entries.
    const texts = [
      JSON.stringify({ id: "a", statement: "Ship it,\nthen say so", status: "missed", measure: "≤ 5 ms" }),
      JSON.stringify({ id: "b", statement: 'A "quoted", [bracketed] one\\', status: "delivered", movedTo: null }),
      JSON.stringify({ id: "c", statement: ",\n", status: "withdrawn" }),
    ];
    const publish = (size: number, section: string) => publishByHand(db, draft.id, size, (tx) => insertLedgerSection(tx, draft.id, section));
    // A section that does not split into entries is refused, and so is one of another count.
    expect(await refusal(publish(3, texts.join(",")))).toMatch(/invalid input syntax for type json/);
    expect(await refusal(publish(4, texts.join(LEDGER_SECTION_SEPARATOR)))).toMatch(/published with 3 ledger entries of 4/);
    await publish(3, texts.join(LEDGER_SECTION_SEPARATOR));
    const stored = await rows<{ entry: string; commitment_id: string; status: string }>(
      db,
      sql`select entry::text as entry, commitment_id, status from letter_ledger_entries where letter_id = ${draft.id} order by position`,
    );
    expect(stored.map((r) => r.entry)).toEqual(texts);
    expect(stored.map((r) => [r.commitment_id, r.status])).toEqual([
      ["a", "missed"],
      ["b", "delivered"],
      ["c", "withdrawn"],
    ]);
    expect(((await getLetter(db, draft.id))!.ledger as Array<{ statement: string }>).map((e) => e.statement)).toEqual(["Ship it,\nthen say so", 'A "quoted", [bracketed] one\\', ",\n"]);
  });
});

/** The migrations folder as it stood before `name`: its journal cut there. */
function migrationsBefore(name: string): string {
  const folder = mkdtempSync(join(tmpdir(), "kept-migrations-"));
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: Array<{ tag: string }> };
  const at = journal.entries.findIndex((e) => e.tag.replace(/^\d+_/, "") === name);
  if (at === -1) throw new Error(`no migration named ${name}`);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  return folder;
}

describe("a publication whose statement fails", () => {
  // The publication sends some statements before the one before them has returned (ADR 0056);
  // it still fails with the failing statement's own error, not the "transaction is aborted" of a
  // statement queued behind it, and leaves nothing behind.
  it.each([
    ["letters", "update"],
    ["letter_ledger_entries", "insert"],
    ["commitment_revisions", "insert"],
    ["commitment_locks", "insert"],
  ])("fails with the error of the %s %s and leaves the draft as it was", async (table, event) => {
    const db = await fresh();
    const { generateLetterDraft, publishLetter } = await import("../../app/services/letters.server");
    const w = await world(db, { organisation: { fiscalYearStartMonth: 1, timeZone: "UTC" }, teams: { team: {} }, people: { admin: { role: "admin" } } });
    const actor = w.actors.admin;
    await w.commit(actor, w.teams.team, { audience: "public", dueDate: "2026-06-30", periodLabel: "FY2026-Q2" }, new Date("2026-01-10T10:00:00Z"));
    const now = new Date("2027-01-20T10:00:00Z");
    const draft = await generateLetterDraft(db, actor, { fiscalYear: 2026, audience: "public" }, now);
    if (!draft.ok) throw new Error(draft.error.message);
    const { db: superuser } = await superuserDatabase();
    const counts = sql`select (select count(*) from commitment_revisions)::int as revisions, (select count(*) from commitment_locks)::int as locks, (select count(*) from letter_ledger_entries)::int as entries`;
    const before = await rows(db, counts);
    await superuser.execute(sql.raw(`create function test_refuse() returns trigger language plpgsql as $$ begin raise exception 'refused by the test on %', tg_table_name; end $$`));
    await superuser.execute(sql.raw(`create trigger test_refuse before ${event} on ${table} for each statement execute function test_refuse()`));
    try {
      expect(await refusal(publishLetter(db, actor, draft.value.id, draft.value.version, now))).toContain(`refused by the test on ${table}`);
    } finally {
      await superuser.execute(sql.raw(`drop trigger test_refuse on ${table}`));
      await superuser.execute(sql.raw(`drop function test_refuse()`));
    }
    expect((await getLetter(db, draft.value.id))!.status).toBe("draft");
    expect(await rows(db, counts)).toEqual(before);
    const published = await publishLetter(db, actor, draft.value.id, draft.value.version, now);
    expect(published.ok).toBe(true);
  });
});

describe("migration letter_ledger_entries", () => {
  it("moves every published ledger into rows that read exactly as the jsonb value did", { timeout: 300_000 }, async () => {
    const handle = await connect({ dataDir: "memory://" });
    const folder = migrationsBefore("letter_ledger_entries");
    try {
      const { migrate } = await import("drizzle-orm/pglite/migrator");
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      await migrate(handle.db as any, { migrationsFolder: folder });
      const { db } = handle;
      const [user] = await rows<{ id: string }>(db, sql`insert into users (email, name, role, password_hash) values ('a@example.com', 'A', 'admin', 'x') returning id`);
      // Entries as jsonb stored them: the app's keys, a ledger frozen before movedTo existed, and
      // keys jsonb orders in its own way (length first, then bytes; non-ASCII; nested).
      const entries = [
        { id: "11111111-1111-4111-8111-111111111111", statement: "Ship EU checkout", teamName: "Payments", periodLabel: "FY2025-Q2", dueDate: "2025-06-30", audience: "public", status: "missed", resolvedAt: "2025-07-01", daysLate: 1, measure: "Shipped", actualValue: null, evidenceUrl: null, attempt: 1, rescoped: false, movedTo: null },
        { id: "22222222-2222-4222-8222-222222222222", statement: "Halve p99 — “latency”", teamName: "Édition", periodLabel: "FY2025", dueDate: "2025-12-31", audience: "public", status: "delivered", resolvedAt: "2025-11-02", daysLate: 0, measure: "p99 < 200 ms", actualValue: 180.5, evidenceUrl: "https://example.com/e", attempt: 2, rescoped: true },
        { id: "33333333-3333-4333-8333-333333333333", status: "open", zz: 1, "é": 2, b: { y: [1, { b: 2, aa: 3 }], x: true }, "10": "ten", "2": "two", ab: null },
      ];
      const ledger = JSON.stringify(entries);
      const published = (year: number, value: string) => sql`
        insert into letters (fiscal_year, audience, title, body, generated_body, status, created_by, published_at, published_by, published_markdown, published_html, sha256, ledger)
        values (${year}, 'public', 'FY', 'Body', 'Body', 'published', ${user!.id}, now(), ${user!.id}, 'M', 'H', 'S', ${value}::jsonb) returning id`;
      const [big] = await rows<{ id: string }>(db, published(2025, ledger));
      const [empty] = await rows<{ id: string }>(db, published(2024, "[]"));
      await db.execute(sql`insert into letters (fiscal_year, audience, title, body, generated_body, created_by) values (2026, 'public', 'Draft', 'Body', 'Body', ${user!.id})`);
      const [asJsonb] = await rows<{ text: string }>(db, sql`select ledger::text as text from letters where id = ${big!.id}`);
      const before = JSON.stringify(JSON.parse(asJsonb!.text));

      await migrateToLatest(handle);

      const after = await getLetter(db, big!.id);
      expect(JSON.stringify(after!.ledger)).toBe(before);
      expect(await frozenLedgerSize(db, big!.id)).toBe(3);
      expect(JSON.stringify(await frozenLedgerPage(db, big!.id, 2, 2))).toBe(JSON.stringify((JSON.parse(before) as unknown[]).slice(1)));
      expect(await frozenLedgerStatuses(db, 2025, "public", [entries[1]!.id, entries[2]!.id])).toEqual([
        { id: entries[1]!.id, status: "delivered" },
        { id: entries[2]!.id, status: "open" },
      ]);
      expect((await getLetter(db, empty!.id))!.ledger).toEqual([]);
      expect(await frozenLedgerSize(db, empty!.id)).toBe(0);
      const drafts = await rows<{ n: number }>(db, sql`select count(*)::int as n from letters where status = 'draft' and ledger_size is null`);
      expect(drafts[0]!.n).toBe(1);
      const columns = await rows<{ n: number }>(db, sql`select count(*)::int as n from information_schema.columns where table_name = 'letters' and column_name = 'ledger'`);
      expect(columns[0]!.n).toBe(0);
      // And the moved rows are as frozen as new ones.
      expect(await refusal(db.execute(sql`delete from letter_ledger_entries where letter_id = ${big!.id}`))).toMatch(/append-only/);
    } finally {
      await handle.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
