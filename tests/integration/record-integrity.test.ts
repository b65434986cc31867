// The record against someone who holds the database: what the runtime role tries is refused;
// what the owner does with the guards off is detected by the integrity check, which names the
// first entry that disagrees. Runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL with
// the two roles production uses (the PostgreSQL-only cases skip cleanly without it).
import pino from "pino";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { connect, type Database } from "../../db/client";
import { verifyChain } from "~/domain/record-log";
import { ledgerAppendixRow, type LedgerEntry } from "~/domain/letter-publish";
import { getLetter } from "~/models/letter.server";
import { rowsOf } from "~/models/rows.server";
import { readWholeLog, sha256Hex } from "~/models/record-log.server";
import { addCheckIn, createCommitment } from "~/services/commitments.server";
import { exportOrganisation, importOrganisation } from "~/services/export.server";
import { checkRecordIntegrity, RecordIntegrityMonitor } from "~/services/record-log.server";
import { loadEnv } from "~/utils/env.server";
import * as logRoute from "~/routes/api.v1.public.log";
import * as feedRoute from "~/routes/letters.feed[.xml]";
import { addMember, makeCommitmentInput, makeTeam } from "../factories";
import { statementsDuring } from "../support/statements";
import { resetDatabase, runtimeDatabaseUrl, superuserDatabase, testDatabase } from "../setup/db";
import { sampleOrganisationWorld } from "../support/world";

/** Where the invitations an import makes point; nothing is mailed in these tests. */
const LINKS = { baseUrl: "http://kept.test", mail: false };

const NOW = new Date("2026-11-27T10:00:00.000Z");
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

const sample = (db: Database) => sampleOrganisationWorld(db, NOW);

/** Runs `statement` as someone holding the database with every trigger off (replica mode). */
async function asOwnerWithoutGuards(statement: ReturnType<typeof sql>) {
  const { db } = await superuserDatabase();
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(statement);
  });
}

/** A published letter of the sample, its Markdown and its frozen ledger as the app reads it. */
async function publishedWithLedger(db: Database): Promise<{ id: string; md: string; ledger: LedgerEntry[] }> {
  const letter = await one<{ id: string; md: string }>(db, sql`select id, published_markdown as md from letters where status = 'published' limit 1`);
  return { ...letter, ledger: (await getLetter(db, letter.id))!.ledger as LedgerEntry[] };
}

async function one<T>(db: Database, query: ReturnType<typeof sql>): Promise<T> {
  const [row] = rowsOf<T>(await db.execute(query));
  return row!;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const e = error as { message?: string; cause?: { message?: string } };
    return `${e.message ?? ""} ${e.cause?.message ?? ""}`;
  }
  return "(not refused)";
}

describe("the integrity check", { timeout: 300_000 }, () => {
  it("finds the sample organisation's record intact: chain, derived rows and letters' checkpoints", async () => {
    const { db } = await testDatabase();
    await sample(db);
    const report = await checkRecordIntegrity(db, NOW);
    expect(report.problem).toBeNull();
    const { n } = await one<{ n: number }>(db, sql`select count(*)::int as n from commitment_revisions`);
    expect(report.entries).toBe(n);
    expect(report.head?.seq).toBe(n);
    // Every published letter states a checkpoint that is in the chain.
    const letters = rowsOf<{ md: string }>(await db.execute(sql`select published_markdown as md from letters where status = 'published'`));
    expect(letters.length).toBeGreaterThan(0);
    for (const l of letters) expect(l.md).toMatch(/\n## Record checkpoint\n[\s\S]*- Sequence: [1-9]\d*\n- Head hash: [0-9a-f]{64}\n/);
  });

  it("names an outcome rewritten with the guards off (Missed → Delivered): the commitment and its last entry", async () => {
    const { db } = await testDatabase();
    await sample(db);
    const missed = await one<{ id: string }>(db, sql`select commitment_id as id from outcomes where status = 'missed' order by commitment_id limit 1`);
    const last = await one<{ seq: number }>(db, sql`select max(seq)::int as seq from commitment_revisions where commitment_id = ${missed.id}`);
    await asOwnerWithoutGuards(
      sql`update outcomes set status = 'delivered', evidence_url = 'https://example.com/proof' where commitment_id = ${missed.id}`,
    );
    const report = await checkRecordIntegrity(db, NOW);
    expect(report.problem).toMatchObject({ code: "RECORD.DISAGREES", seq: last.seq });
    expect(report.problem!.message).toContain(missed.id);
    expect(report.problem!.message).toMatch(/status|evidenceUrl/);
  });

  it("names a commitment_stats row rewritten or removed with the guards off: what letters select and count by must agree with the record", async () => {
    const { db } = await testDatabase();
    await sample(db);
    /** The problem the check names with `tamper` done, then nothing once `restore` has undone it. */
    const problemWith = async (tamper: ReturnType<typeof sql>, restore: ReturnType<typeof sql>) => {
      await asOwnerWithoutGuards(tamper);
      const report = await checkRecordIntegrity(db, NOW);
      await asOwnerWithoutGuards(restore);
      expect((await checkRecordIntegrity(db, NOW)).problem).toBeNull();
      expect(report.problem).toMatchObject({ code: "RECORD.STATS_DISAGREE" });
      return report.problem!;
    };
    // A re-scoped commitment's flag cleared: a letter would print its present terms as the ones first promised.
    const flagged = await one<{ id: string; seq: number }>(
      db,
      sql`select s.commitment_id as id, (select max(seq)::int from commitment_revisions r where r.commitment_id = s.commitment_id) as seq
          from commitment_stats s where s.letter_revisions order by s.commitment_id limit 1`,
    );
    expect(flagged, "the sample has a commitment whose letter reads its revisions").toBeDefined();
    const cleared = await problemWith(
      sql`update commitment_stats set letter_revisions = false where commitment_id = ${flagged.id}`,
      sql`update commitment_stats set letter_revisions = true where commitment_id = ${flagged.id}`,
    );
    expect(cleared.seq).toBe(flagged.seq);
    expect(cleared.message).toContain(flagged.id);
    expect(cleared.message).toContain("letterRevisions false; the record gives true");

    // Moved out of its year of record: the year's letter would leave it out.
    const missed = await one<{ id: string; label: string }>(db, sql`select commitment_id as id, record_label as label from commitment_stats where status = 'missed' order by commitment_id limit 1`);
    const moved = await problemWith(
      sql`update commitment_stats set record_label = 'FY1999' where commitment_id = ${missed.id}`,
      sql`update commitment_stats set record_label = ${missed.label} where commitment_id = ${missed.id}`,
    );
    expect(moved.message).toContain(`recordLabel "FY1999"; the record gives "${missed.label}"`);

    // A forecast of record rewritten (the figures' calibration), and a row removed.
    const forecast = await one<{ id: string; p: number }>(db, sql`select commitment_id as id, probability as p from commitment_stats where forecast is not null order by commitment_id limit 1`);
    // Another probability whatever it was (the row, picked by a random id, may say 50).
    const rewritten = forecast.p === 100 ? 99 : forecast.p + 1;
    const recalibrated = await problemWith(
      sql`update commitment_stats set probability = ${rewritten} where commitment_id = ${forecast.id}`,
      sql`update commitment_stats set probability = ${forecast.p} where commitment_id = ${forecast.id}`,
    );
    expect(recalibrated.message).toContain(`probability ${rewritten}; the record gives ${forecast.p}`);
    const removed = await problemWith(
      sql`delete from commitment_stats where commitment_id = ${missed.id}`,
      sql`select kept_refresh_commitment_stats(array[${missed.id}::uuid])`,
    );
    expect(removed.message).toContain(`commitment ${missed.id} is indexed unlike its record (last #`);
    expect(removed.message).toContain("no commitment_stats row");
  });

  it("names a locked target rewritten with the guards off", async () => {
    const { db } = await testDatabase();
    await sample(db);
    const locked = await one<{ id: string }>(
      db,
      sql`select id from commitments where id in (select commitment_id from commitment_locks) and measure_kind = 'metric' order by id limit 1`,
    );
    await asOwnerWithoutGuards(sql`update commitments set metric_target = metric_target + 1 where id = ${locked.id}`);
    const report = await checkRecordIntegrity(db, NOW);
    expect(report.problem).toMatchObject({ code: "RECORD.DISAGREES" });
    expect(report.problem!.message).toContain("metricTarget");
  });

  it("names the first entry of a rewritten, a deleted and a re-hashed revision", { timeout: 240_000 }, async () => {
    const { db } = await testDatabase();
    await sample(db);
    await asOwnerWithoutGuards(sql`update commitment_revisions set reason = 'Rewritten afterwards.' where seq = 7`);
    expect((await checkRecordIntegrity(db, NOW)).problem).toMatchObject({ code: "LOG.CONTENT", seq: 7 });

    await resetDatabase(await testDatabase());
    await sample(db);
    await asOwnerWithoutGuards(sql`delete from commitment_revisions where seq = 5`);
    expect((await checkRecordIntegrity(db, NOW)).problem).toMatchObject({ code: "LOG.SEQUENCE", seq: 5 });

    // Rewriting the content and its content hash still breaks the link hash.
    await resetDatabase(await testDatabase());
    await sample(db);
    const row = await one<{ content_hash: string }>(db, sql`select content_hash from commitment_revisions where seq = 3`);
    await asOwnerWithoutGuards(sql`update commitment_revisions set content_hash = ${sha256Hex("forged")} where seq = 3`);
    expect(row.content_hash).not.toBe(sha256Hex("forged"));
    expect((await checkRecordIntegrity(db, NOW)).problem).toMatchObject({ seq: 3 });
  });

  it("names a published letter whose Markdown was rewritten and its SHA-256 recomputed past its checkpoint", async () => {
    const { db } = await testDatabase();
    await sample(db);
    const letter = await one<{ id: string; md: string }>(db, sql`select id, published_markdown as md from letters where status = 'published' limit 1`);
    const forged = letter.md.replace(/- Head hash: [0-9a-f]{64}/, `- Head hash: ${"a".repeat(64)}`);
    await asOwnerWithoutGuards(sql`update letters set published_markdown = ${forged}, sha256 = ${sha256Hex(forged)} where id = ${letter.id}`);
    const report = await checkRecordIntegrity(db, NOW);
    expect(report.problem).toMatchObject({ code: "CHECKPOINT.MISMATCH" });
  });

  it("names a published letter whose appendix and hash were rewritten together (Missed → Delivered): the record at its checkpoint disagrees", async () => {
    const { db } = await testDatabase();
    await sample(db);
    const letter = await publishedWithLedger(db);
    const shortfall = letter.ledger.find((e) => e.status !== "delivered" && e.status !== "open");
    expect(shortfall, "the sample letter reports a shortfall").toBeDefined();
    const rewritten: LedgerEntry = { ...shortfall!, status: "delivered", resolvedAt: shortfall!.resolvedAt ?? "2025-12-01", daysLate: 0 };
    const forged = letter.md.replace(ledgerAppendixRow(shortfall!), ledgerAppendixRow(rewritten));
    expect(forged).not.toBe(letter.md);
    await asOwnerWithoutGuards(sql`update letters set published_markdown = ${forged}, sha256 = ${sha256Hex(forged)} where id = ${letter.id}`);
    await asOwnerWithoutGuards(sql`update letter_ledger_entries set entry = ${JSON.stringify(rewritten)}::json where letter_id = ${letter.id} and commitment_id = ${shortfall!.id}`);
    const report = await checkRecordIntegrity(db, NOW);
    expect(report.problem).toMatchObject({ code: "LETTER.LEDGER" });
    expect(report.problem!.message).toContain(shortfall!.id);
    expect(report.problem!.message).toContain(`was delivered, but the record`);
    expect(report.problem!.message).toContain(`says ${shortfall!.status}`);
  });

  it("names a published letter whose appendix row alone was rewritten with its hash", async () => {
    const { db } = await testDatabase();
    await sample(db);
    const letter = await publishedWithLedger(db);
    const shortfall = letter.ledger.find((e) => e.status !== "delivered" && e.status !== "open")!;
    const forged = letter.md.replace(ledgerAppendixRow(shortfall), ledgerAppendixRow({ ...shortfall, status: "delivered", daysLate: 0 }));
    await asOwnerWithoutGuards(sql`update letters set published_markdown = ${forged}, sha256 = ${sha256Hex(forged)} where id = ${letter.id}`);
    const report = await checkRecordIntegrity(db, NOW);
    expect(report.problem).toMatchObject({ code: "LETTER.APPENDIX" });
    expect(report.problem!.message).toContain(shortfall.id);
  });

  it("names a published letter one of whose ledger rows was removed, or one added, with the guards off", async () => {
    const { db } = await testDatabase();
    await sample(db);
    const letter = await publishedWithLedger(db);
    const [last] = rowsOf<{ position: number; entry: string }>(
      await db.execute(sql`select position, entry::text as entry from letter_ledger_entries where letter_id = ${letter.id} order by position desc limit 1`),
    );
    await asOwnerWithoutGuards(sql`delete from letter_ledger_entries where letter_id = ${letter.id} and position = ${last!.position}`);
    const removed = await checkRecordIntegrity(db, NOW);
    expect(removed.problem).toMatchObject({ code: "LETTER.APPENDIX" });
    expect(removed.problem!.message).toContain(`holds ${letter.ledger.length - 1} entries where it was published with ${letter.ledger.length}`);
    // Put back, and one more beyond its size.
    await asOwnerWithoutGuards(sql`insert into letter_ledger_entries (letter_id, position, entry) values (${letter.id}, ${last!.position}, ${last!.entry}::json), (${letter.id}, ${last!.position + 1}, ${last!.entry}::json)`);
    const added = await checkRecordIntegrity(db, NOW);
    expect(added.problem).toMatchObject({ code: "LETTER.APPENDIX" });
    expect(added.problem!.message).toContain(`holds ${letter.ledger.length + 1} entries where it was published with ${letter.ledger.length}`);
  });

  it("logs a break at error level once per break, keeps its first time, and never repairs", async () => {
    const { db } = await testDatabase();
    await sample(db);
    const lines: string[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    let clock = new Date("2026-11-27T10:00:00.000Z");
    const monitor = new RecordIntegrityMonitor(db, logger, () => clock);
    expect((await monitor.check()).state).toBe("intact");
    await asOwnerWithoutGuards(sql`update commitment_revisions set reason = 'Rewritten.' where seq = 4`);
    const first = await monitor.check();
    clock = new Date("2026-11-27T11:00:00.000Z");
    const second = await monitor.check();
    expect(second).toMatchObject({ state: "broken", problem: { seq: 4 }, brokenSince: first.checkedAt });
    expect(monitor.publicStatus()).toEqual({ broken: true, checking: false, seq: 4, since: "2026-11-27T10:00:00.000Z" });
    const errors = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 50);
    expect(errors.length).toBe(2);
    expect(errors[0]!.msg).toMatch(/record integrity broken at #4/);
    // Still broken: nothing was put back.
    const row = await one<{ reason: string }>(db, sql`select reason from commitment_revisions where seq = 4`);
    expect(row.reason).toBe("Rewritten.");
  });

  it("reads and checks in batches, yielding to the event loop between them, with the same report; a break across a batch boundary is still named", async () => {
    const { db } = await testDatabase();
    await sample(db);
    const whole = await checkRecordIntegrity(db, NOW);
    expect(whole.problem).toBeNull();
    const { commitments } = await one<{ commitments: number }>(db, sql`select count(*)::int as commitments from commitments`);
    // Batches of 3: every page of the log and of the commitments is one more statement, and
    // something scheduled on the event loop runs before the check ends (it would not if the
    // check held the thread from start to end).
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const { result: batched, statements } = await statementsDuring(db, () => checkRecordIntegrity(db, NOW, 3));
    ticking = false;
    expect(batched).toEqual(whole);
    const logPages = statements.filter((s) => /from "commitment_revisions" inner join "commitments"/.test(s)).length;
    expect(logPages).toBe(Math.floor(whole.entries / 3) + 1);
    const commitmentPages = statements.filter((s) => /from "commitments" (where|order by)/.test(s)).length;
    expect(commitmentPages).toBe(Math.floor(commitments / 3) + 1);
    expect(turns).toBeGreaterThanOrEqual(logPages + commitmentPages - 2);

    // Entry 4 is the first of the second batch of 3: the link from #3 is checked across pages.
    await asOwnerWithoutGuards(sql`update commitment_revisions set reason = 'Rewritten.' where seq = 4`);
    expect((await checkRecordIntegrity(db, NOW, 3)).problem).toMatchObject({ code: "LOG.CONTENT", seq: 4 });
    await asOwnerWithoutGuards(sql`delete from commitment_revisions where seq = 6`);
    expect((await checkRecordIntegrity(db, NOW, 3)).problem).toMatchObject({ seq: 4 });
  });

  it("says 'checking' until the first check ends (the public ledger cannot vouch yet), and 'unchecked' again when it could not run", async () => {
    const { db } = await testDatabase();
    await sample(db);
    const logger = pino({ level: "silent" });
    const monitor = new RecordIntegrityMonitor(db, logger, () => NOW);
    expect(monitor.status().state).toBe("unchecked");
    expect(monitor.publicStatus()).toEqual({ broken: false, checking: true, seq: null, since: null });
    const first = monitor.startInBackground(60 * 60_000);
    try {
      expect(monitor.status().state).toBe("checking");
      expect(monitor.publicStatus()).toEqual({ broken: false, checking: true, seq: null, since: null });
      expect((await first).state).toBe("intact");
      expect(monitor.publicStatus()).toEqual({ broken: false, checking: false, seq: null, since: null });
    } finally {
      monitor.stop();
    }

    const unreachable = new RecordIntegrityMonitor(
      { ...db, select: () => { throw new Error("database unreachable"); } } as unknown as Database,
      logger,
      () => NOW,
    );
    const failed = await unreachable.check();
    expect(failed).toMatchObject({ state: "unchecked", lastError: "database unreachable" });
    expect(unreachable.publicStatus().checking).toBe(true);
  });

  it("an export imported elsewhere carries the chain: same head, still intact", async () => {
    const { db } = await testDatabase();
    await sample(db);
    const before = await checkRecordIntegrity(db, NOW);
    const document = await exportOrganisation(db, NOW);
    expect(document.revisions[0]).toMatchObject({ seq: 1, prevHash: "0".repeat(64) });
    await resetDatabase(await testDatabase());
    const imported = await importOrganisation(db, document, { adminEmail: "ada@example.com", adminPassword: "another horse battery staple", links: LINKS });
    expect(imported.ok).toBe(true);
    const after = await checkRecordIntegrity(db, NOW);
    expect(after.problem).toBeNull();
    expect(after.head).toEqual(before.head);
  });

  it("chains an export from before the chain existed on import, in id order", async () => {
    const { db } = await testDatabase();
    await sample(db);
    const document = await exportOrganisation(db, NOW);
    const legacy = { ...document, revisions: document.revisions.map(({ seq: _s, prevHash: _p, contentHash: _c, hash: _h, ...rest }) => rest) };
    await resetDatabase(await testDatabase());
    const imported = await importOrganisation(db, legacy, { adminEmail: "ada@example.com", adminPassword: "another horse battery staple", links: LINKS });
    expect(imported.ok).toBe(true);
    expect((await checkRecordIntegrity(db, NOW)).problem).toBeNull();
  });
});

describe("the public log", { timeout: 300_000 }, () => {
  async function get(db: Database, path: string) {
    const context = { db, env: loadEnv({ NODE_ENV: "test" }), logger: pino({ level: "silent" }), requestId: "t", cspNonce: "", clientIp: "127.0.0.1" };
    try {
      const res = (await logRoute.loader({ request: new Request(`http://localhost${path}`), params: {}, context } as never)) as Response;
      return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
    } catch (thrown) {
      if (!(thrown instanceof Response)) throw thrown;
      return { status: thrown.status, headers: thrown.headers, body: (await thrown.json()) as Record<string, unknown> };
    }
  }

  it("pages through the whole chain; internal entries carry only their hashes; the chain checks from the outside", async () => {
    const { db } = await testDatabase();
    await sample(db);
    const entries: Array<{ seq: number; prevHash: string; contentHash: string; hash: string; visibility: string; content?: never }> = [];
    let next: string | null = "/api/v1/public/log?limit=50";
    while (next) {
      const page = await get(db, next);
      expect(page.status).toBe(200);
      entries.push(...(page.body.entries as typeof entries));
      next = page.body.next as string | null;
    }
    const whole = await get(db, "/api/v1/public/log?download=true");
    expect(whole.headers.get("content-disposition")).toMatch(/attachment; filename="kept-log-\d+\.json"/);
    expect(whole.body.entries).toEqual(entries);
    expect(entries.some((e) => e.visibility === "internal" && e.content === undefined)).toBe(true);
    expect(entries.some((e) => e.visibility === "public" && e.content !== undefined)).toBe(true);
    const chain = verifyChain(
      entries.map((e) => ({ ...e, content: e.content ?? null })),
      sha256Hex,
    );
    expect(chain.ok).toBe(true);
  });

  it("the Atom feed carries one checkpoint per month of the log: the month's last entry and its hash", async () => {
    const { db } = await testDatabase();
    await sample(db);
    const { rows } = await readWholeLog(db);
    const lastOfMonth = new Map<string, { seq: number; hash: string }>();
    for (const r of rows) lastOfMonth.set(r.content.at.slice(0, 7), { seq: r.seq, hash: r.hash });
    expect(lastOfMonth.size).toBeGreaterThan(1);
    const context = { db, env: loadEnv({ NODE_ENV: "test" }), logger: pino({ level: "silent" }), requestId: "t", cspNonce: "", clientIp: "127.0.0.1" };
    const res = (await feedRoute.loader({ request: new Request("http://localhost/letters/feed.xml"), params: {}, context } as never)) as Response;
    const xml = await res.text();
    const titles = [...xml.matchAll(/<title type="html"><!\[CDATA\[(Record checkpoint #(\d+) \((\d{4}-\d{2})\))\]\]><\/title>|<title[^>]*>(Record checkpoint #(\d+) \((\d{4}-\d{2})\))<\/title>/g)].map(
      (m) => ({ seq: Number(m[2] ?? m[5]), month: String(m[3] ?? m[6]) }),
    );
    expect(titles.map((t) => t.month).sort()).toEqual([...lastOfMonth.keys()].sort());
    for (const t of titles) {
      const expected = lastOfMonth.get(t.month)!;
      expect(t.seq).toBe(expected.seq);
      expect(xml).toContain(`head hash ${expected.hash}`);
    }
  });

  it("answers bad paging with a problem naming the field, and 404 while the public site is off", async () => {
    const { db } = await testDatabase();
    await sample(db);
    for (const [query, field] of [["limit=0", "limit"], ["after=-1", "after"], ["limit=abc", "limit"], ["download=yes", "download"]] as const) {
      const res = await get(db, `/api/v1/public/log?${query}`);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain(`"${field}"`);
    }
    await db.execute(sql`update organisation set public_site_enabled = false`);
    expect((await get(db, "/api/v1/public/log")).status).toBe(404);
  });
});

describe.skipIf(!onPostgres)("on PostgreSQL, as the runtime role", { timeout: 300_000 }, () => {
  const TABLES = ["commitment_revisions", "check_ins", "letter_errata", "commitments", "outcomes", "letters"] as const;

  it("is refused every tamper with the record, and the record stays intact", async () => {
    const { db } = await testDatabase();
    await sample(db);
    const who = await one<{ superuser: boolean; owns: number }>(
      db,
      sql`select rolsuper as superuser, (select count(*)::int from pg_tables where schemaname = 'public' and tableowner = current_user) as owns from pg_roles where rolname = current_user`,
    );
    expect(who).toEqual({ superuser: false, owns: 0 });
    for (const table of TABLES) {
      const t = sql.raw(table);
      for (const statement of [
        sql`update ${t} set ${sql.raw(table === "letters" ? "title" : table === "commitments" ? "statement" : table === "outcomes" ? "lesson" : table === "check_ins" ? "note" : table === "letter_errata" ? "body" : "reason")} = 'rewritten'${sql.raw(table === "letters" ? " where status = 'published'" : "")}`,
        sql`delete from ${t}`,
        sql`truncate ${t} cascade`,
        sql`alter table ${t} disable trigger all`,
        sql`drop table ${t} cascade`,
      ]) {
        expect(await refusal(db.execute(statement)), `${table}: ${statement.queryChunks.length}`).toMatch(
          /permission denied|must be owner|append-only|is published|needs its revision|is locked|revision/,
        );
      }
    }
    expect((await checkRecordIntegrity(db, NOW)).problem).toBeNull();
  });

  it("refuses an UPDATE of a locked target or a recorded outcome unless the same transaction appends its revision", async () => {
    const { db } = await testDatabase();
    await sample(db);
    const locked = await one<{ id: string }>(db, sql`select id from commitments where id in (select commitment_id from commitment_locks) and measure_kind = 'metric' limit 1`);
    expect(await refusal(db.execute(sql`update commitments set metric_target = metric_target + 1 where id = ${locked.id}`))).toMatch(/revision/);
    const outcome = await one<{ id: string }>(db, sql`select commitment_id as id from outcomes where status = 'missed' limit 1`);
    expect(await refusal(db.execute(sql`update outcomes set status = 'delivered', evidence_url = 'https://example.com/x' where commitment_id = ${outcome.id}`))).toMatch(
      /outcome_change revision/,
    );
    expect(await refusal(db.execute(sql`update commitments set status = 'delivered' where id = ${outcome.id}`))).toMatch(/revision/);
    // A revision without a reason does not license a re-scope either (nor does one out of order).
    const refusedRescope = await refusal(
      db.transaction(async (tx) => {
        await tx.execute(sql`update commitments set metric_target = metric_target + 1, version = version + 1 where id = ${locked.id}`);
        await tx.execute(
          sql`insert into commitment_revisions (commitment_id, version, kind, changes, reason, seq, prev_hash, content_hash, hash)
              select ${locked.id}, (select version from commitments where id = ${locked.id}), 'edit', '[]'::jsonb, null, max(seq) + 1, (array_agg(hash order by seq desc))[1], ${"0".repeat(64)}, ${"0".repeat(64)} from commitment_revisions`,
        );
      }),
    );
    expect(refusedRescope).toMatch(/re-scope/);
    expect((await checkRecordIntegrity(db, NOW)).problem).toBeNull();
  });

  it("keeps one unbroken chain with many writers on two separate connection pools", async () => {
    const { db } = await testDatabase();
    const admin = await sample(db);
    const team = await makeTeam(db, { name: "Concurrency" });
    await addMember(db, team.id, admin, "editor");
    // A second pool of its own sessions, as a second app process would have.
    const second = await connect({ databaseUrl: runtimeDatabaseUrl()!, dataDir: "", poolMax: 5 });
    const pools = [db, second.db];
    const actor = { id: admin, role: "admin" as const };
    const created = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        createCommitment(pools[i % 2]!, actor, makeCommitmentInput(team.id, { statement: `Answer ${i + 1} in ten support tickets within a day`, periodLabel: "FY2027-Q1", dueDate: "2027-03-15" }), NOW),
      ),
    );
    for (const c of created) expect(c.ok).toBe(true);
    const ids = created.map((c) => (c.ok ? c.value.id : ""));
    await Promise.all(
      ids.flatMap((id, i) => [0, 1].map((k) => addCheckIn(pools[(i + k) % 2]! as Database, actor, id, { date: "2026-11-20", forecast: "on_track", probability: 70 + k, progressValue: null, note: null }, NOW))),
    );
    await second.close();
    const report = await checkRecordIntegrity(db, NOW);
    expect(report.problem).toBeNull();
    const seqs = rowsOf<{ seq: number }>(await db.execute(sql`select seq::int from commitment_revisions order by seq`)).map((r) => r.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });
});
