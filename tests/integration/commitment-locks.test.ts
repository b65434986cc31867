// A letter's lock kept beside the commitment (ADR 0033): the database refuses what the app
// refuses, the hash chain is still checked entry by entry when a statement appends many, and a
// record whose locks were written the old way (in the commitment row) still verifies, with the
// same locks, after the migration.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { connect, type Database, type DbOrTx } from "../../db/client";
import { migrateToLatest, MIGRATIONS_FOLDER } from "../../db/migrate";
import { ChainVerifier, nextEntry } from "~/domain/record-log";
import { getCommitment } from "~/models/commitment.server";
import { appendRevisions, logContentOf, readLogPage, sha256Hex, toLogEntry, type NewRevision } from "~/models/record-log.server";
import { checkRecordIntegrity } from "~/services/record-log.server";
import { resetDatabase, superuserDatabase, testDatabase } from "../setup/db";
import { sampleOrganisationWorld } from "../support/world";
import { refusal, refusalWithCode, rows } from "../support/refusal";

const NOW = new Date("2026-11-27T10:00:00.000Z");

const sample = (db: Database) => sampleOrganisationWorld(db, NOW);

/** Appends one revision to the chain by hand, as a writer with table rights could. */
async function appendRaw(tx: DbOrTx, commitmentId: string, kind: string, changes: Array<{ field: string; from: unknown; to: unknown }>, reason: string | null, at: Date) {
  const [head] = await rows<{ seq: number; hash: string }>(tx, sql`select seq::int as seq, hash from commitment_revisions order by seq desc limit 1`);
  const [current] = await rows<{ version: number }>(tx, sql`select version from commitments where id = ${commitmentId}`);
  const version = current!.version;
  const entry = nextEntry(sha256Hex, { seq: Number(head!.seq), hash: head!.hash }, logContentOf({ commitmentId, version, kind, actorId: null, at, changes, reason }));
  await tx.execute(
    sql`insert into commitment_revisions (commitment_id, version, kind, actor_id, at, changes, reason, seq, prev_hash, content_hash, hash)
        values (${commitmentId}, ${version}, ${kind}, null, ${at.toISOString()}::timestamptz, ${JSON.stringify(changes)}::jsonb, ${reason}, ${entry.seq}, ${entry.prevHash}, ${entry.contentHash}, ${entry.hash})`,
  );
}

/** A migration's statements, found by its name whatever number it was given. */
function migrationStatements(name: string): string[] {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, "utf8")) as { entries: Array<{ tag: string }> };
  const entry = journal.entries.find((e) => e.tag.replace(/^\d+_/, "") === name);
  if (!entry) throw new Error(`no migration named ${name}`);
  return readFileSync(`${MIGRATIONS_FOLDER}/${entry.tag}.sql`, "utf8")
    .split("--> statement-breakpoint")
    .map((s) => s.replace(/^(\s*--[^\n]*\n)+/, "").trim())
    .filter((s) => s.length > 0);
}

async function lockedCommitments(db: Database): Promise<Map<string, string>> {
  const found = await rows<{ id: string; locked_at: string }>(
    db,
    sql`select commitment_id as id, to_char(locked_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as locked_at from commitment_locks order by 1`,
  );
  return new Map(found.map((r) => [String(r.id), r.locked_at]));
}

describe("a letter's lock", () => {
  it("is refused by the database without its lock revision, and never changed or removed", async () => {
    const handle = await testDatabase();
    await resetDatabase(handle);
    const { db } = handle;
    await sample(db);
    const [locked] = await rows<{ id: string }>(db, sql`select commitment_id as id from commitment_locks order by 1 limit 1`);
    const [unlocked] = await rows<{ id: string }>(
      db,
      sql`select id from commitments c where not exists (select 1 from commitment_locks l where l.commitment_id = c.id) order by 1 limit 1`,
    );
    expect(locked && unlocked).toBeTruthy();

    expect(await refusal(db.execute(sql`insert into commitment_locks (commitment_id, locked_at) values (${unlocked!.id}, now())`))).toMatch(/lock revision/);
    // A lock revision of another instant does not explain it either.
    const refusedAtAnotherTime = await refusal(
      db.transaction(async (tx) => {
        await appendRaw(tx, unlocked!.id, "lock", [{ field: "lockedByLetter", from: null, to: "/letters/2026" }], "x", new Date("2026-11-27T09:00:00.000Z"));
        await tx.execute(sql`insert into commitment_locks (commitment_id, locked_at) values (${unlocked!.id}, ${NOW.toISOString()}::timestamptz)`);
      }),
    );
    expect(refusedAtAnotherTime).toMatch(/lock revision/);

    expect(await refusal(db.execute(sql`update commitment_locks set locked_at = now() where commitment_id = ${locked!.id}`))).toMatch(/append-only|permission denied/);
    expect(await refusal(db.execute(sql`delete from commitment_locks where commitment_id = ${locked!.id}`))).toMatch(/append-only|permission denied/);
    expect(await refusal(db.execute(sql`delete from commitments where id = ${locked!.id}`))).toMatch(/locked|permission denied/);
    // What a locked commitment promised changes only as a re-scope with its revision.
    expect(await refusal(db.execute(sql`update commitments set statement = statement || ' (quietly)', version = version + 1 where id = ${locked!.id}`))).toMatch(/revision/);

    // A commitment whose period has not started is locked by its lock row alone: with its lock
    // revision it lands; then an edit of what it promised is refused, a re-scope with a reason is not.
    const [future] = await rows<{ id: string; statement: string }>(
      db,
      sql`select id, statement from commitments c where period_start > ${NOW.toISOString().slice(0, 10)}::date and not exists (select 1 from commitment_locks l where l.commitment_id = c.id) order by 1 limit 1`,
    );
    expect(future).toBeTruthy();
    await db.transaction(async (tx) => {
      await appendRaw(tx, future!.id, "lock", [{ field: "lockedByLetter", from: null, to: "/letters/2026" }], "Appeared in a published letter.", NOW);
      await tx.execute(sql`insert into commitment_locks (commitment_id, locked_at) values (${future!.id}, ${NOW.toISOString()}::timestamptz)`);
    });
    expect((await getCommitment(db, future!.id))!.lockedByLetterAt).toEqual(NOW);
    const changed = `${future!.statement} (sooner)`;
    const rescope = (kind: string, reason: string | null) =>
      db.transaction(async (tx) => {
        await tx.execute(sql`update commitments set statement = ${changed}, version = version + 1 where id = ${future!.id}`);
        await appendRaw(tx, future!.id, kind, [{ field: "statement", from: future!.statement, to: changed }], reason, NOW);
      });
    expect(await refusal(rescope("edit", null))).toMatch(/locked \(by a letter: yes/);
    await rescope("rescope", "The customer asked for it sooner.");
    expect((await getCommitment(db, future!.id))!.statement).toBe(changed);
    expect((await checkRecordIntegrity(db, NOW)).problem).toBeNull();
  });

  it("refuses a lock whose commitment does not exist with the foreign key's error, which its guard now gives (ADR 0051)", async () => {
    const handle = await testDatabase();
    await resetDatabase(handle);
    const { db } = handle;
    await sample(db);
    const [unlocked] = await rows<{ id: string }>(
      db,
      sql`select id from commitments c where not exists (select 1 from commitment_locks l where l.commitment_id = c.id) order by 1 limit 1`,
    );
    const nowhere = randomUUID();
    const fk = {
      code: "23503",
      message: expect.stringContaining('insert or update on table "commitment_locks" violates foreign key constraint "commitment_locks_commitment_id_commitments_id_fk"'),
      detail: `Key (commitment_id)=(${nowhere}) is not present in table "commitments".`,
    };
    expect(await refusalWithCode(db.execute(sql`insert into commitment_locks (commitment_id, locked_at) values (${nowhere}, now())`))).toEqual(fk);
    // Beside a lock that lacks only its revision, in either order: the missing commitment is what is reported.
    expect(await refusalWithCode(db.execute(sql`insert into commitment_locks (commitment_id, locked_at) values (${unlocked!.id}, now()), (${nowhere}, now())`))).toEqual(fk);
    expect(await refusalWithCode(db.execute(sql`insert into commitment_locks (commitment_id, locked_at) values (${nowhere}, now()), (${unlocked!.id}, now())`))).toEqual(fk);
    // A lock revision cannot name it either: its own foreign key refuses it.
    const revision = await refusalWithCode(
      db.transaction(async (tx) => {
        const [head] = await rows<{ seq: number; hash: string }>(tx, sql`select seq::int as seq, hash from commitment_revisions order by seq desc limit 1`);
        const changes = [{ field: "lockedByLetter", from: null, to: "/letters/2026" }];
        const entry = nextEntry(sha256Hex, { seq: Number(head!.seq), hash: head!.hash }, logContentOf({ commitmentId: nowhere, version: 1, kind: "lock", actorId: null, at: NOW, changes, reason: "x" }));
        await tx.execute(sql`insert into commitment_revisions (commitment_id, version, kind, actor_id, at, changes, reason, seq, prev_hash, content_hash, hash)
          values (${nowhere}, 1, 'lock', null, ${NOW.toISOString()}::timestamptz, ${JSON.stringify(changes)}::jsonb, 'x', ${entry.seq}, ${entry.prevHash}, ${entry.contentHash}, ${entry.hash})`);
        await tx.execute(sql`insert into commitment_locks (commitment_id, locked_at) values (${nowhere}, ${NOW.toISOString()}::timestamptz)`);
      }),
    );
    expect(revision.code).toBe("23503");
    expect(revision.message).toMatch(/commitment_revisions_commitment_id_commitments_id_fk/);
    // An existing commitment without its lock revision: the guard's own error, as before.
    expect(await refusalWithCode(db.execute(sql`insert into commitment_locks (commitment_id, locked_at) values (${unlocked!.id}, now())`))).toMatchObject({ code: "42501", message: expect.stringMatching(/lock revision/) });
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)("refuses a delete of a commitment that races its lock, at repeatable read too (ADR 0051)", async () => {
    const handle = await testDatabase();
    await resetDatabase(handle);
    const { db } = handle;
    await sample(db);
    const owner = (await superuserDatabase()).db;
    for (const isolationLevel of ["read committed", "repeatable read"] as const) {
      // A commitment with no revision at all (written past the app, by someone holding the
      // database) in a period not yet started: nothing but the lock being appended holds it.
      const id = randomUUID();
      await owner.execute(sql`
        insert into commitments (id, team_id, period_label, period_start, period_end, fiscal_year, statement, details, measure_kind, metric_name, metric_baseline, metric_comparator, metric_target, metric_unit, deliverable_event, evidence_source, due_date, owner_id, audience, tags, lint_score, lint_findings, status, version, committed_at, committed_by)
        select ${id}::uuid, team_id, period_label, period_start, period_end, fiscal_year, statement || ' (raced)', details, measure_kind, metric_name, metric_baseline, metric_comparator, metric_target, metric_unit, deliverable_event, evidence_source, due_date, owner_id, audience, tags, lint_score, lint_findings, 'open', 1, committed_at, committed_by
        from commitments where period_start > current_date order by id limit 1`);
      let deleting: Promise<string> | undefined;
      await db.transaction(async (tx) => {
        await appendRaw(tx, id, "lock", [{ field: "lockedByLetter", from: null, to: "/letters/2026" }], "Appeared in a published letter.", NOW);
        await tx.execute(sql`insert into commitment_locks (commitment_id, locked_at) values (${id}, ${NOW.toISOString()}::timestamptz)`);
        deleting = refusal(
          owner.transaction(
            async (del) => {
              await del.execute(sql`select count(*) from commitment_locks`); // the snapshot, before the lock commits
              await del.execute(sql`delete from commitments where id = ${id}`);
            },
            { isolationLevel },
          ),
        );
        // The delete waits on the commitment's row, which the lock revision's foreign key holds.
        for (let waited = 0; ; waited += 20) {
          const [blocked] = await rows<{ n: number }>(
            tx,
            sql`select count(*)::int as n from pg_locks where not granted and locktype = 'transactionid' and transactionid::text::bigint = txid_current() % 4294967296`,
          );
          if (blocked!.n > 0) break;
          if (waited > 10_000) throw new Error("the delete never waited on the lock");
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      });
      // At read committed its trigger sees the lock; at repeatable read only the lock revision's
      // foreign key, which looks with a fresh snapshot, does.
      expect(await deleting!).toMatch(isolationLevel === "read committed" ? /is locked: DELETE is not allowed/ : /violates foreign key constraint "commitment_revisions_commitment_id_commitments_id_fk"/);
      expect(await rows(db, sql`select 1 from commitments where id = ${id}`)).toHaveLength(1);
      expect(await rows(db, sql`select 1 from commitment_locks where commitment_id = ${id}`)).toHaveLength(1);
    }
  });

  /**
   * The sample organisation's record, two check-in entries that would extend its head, and a raw
   * INSERT of entries (each field may be broken; `tx` named only when given) past the app's code.
   */
  async function chainAtHead() {
    const handle = await testDatabase();
    await resetDatabase(handle);
    const { db } = handle;
    await sample(db);
    const [head] = await rows<{ seq: number; hash: string }>(db, sql`select seq::int as seq, hash from commitment_revisions order by seq desc limit 1`);
    const [c] = await rows<{ id: string; version: number }>(db, sql`select id, version from commitments order by id limit 1`);
    const content = (n: number) => ({ commitmentId: c!.id, version: c!.version, kind: "check_in", actorId: null, at: NOW, changes: [{ field: "note", from: null, to: `n${n}` }], reason: null });
    const first = nextEntry(sha256Hex, { seq: Number(head!.seq), hash: head!.hash }, logContentOf(content(1)));
    const second = nextEntry(sha256Hex, first, logContentOf(content(2)));
    type Entry = { seq: number | null; prevHash: string | null; contentHash: string | null; hash: string | null };
    const insert = (entries: Entry[], tx?: ReturnType<typeof sql>) =>
      db.execute(sql`insert into commitment_revisions (commitment_id, version, kind, actor_id, at, changes, reason, seq, prev_hash, content_hash, hash${tx ? sql`, tx` : sql``})
        values ${sql.join(
          entries.map((e, i) => sql`(${c!.id}, ${c!.version}, 'check_in', null, ${NOW.toISOString()}::timestamptz, ${JSON.stringify(content(i + 1).changes)}::jsonb, null, ${e.seq}, ${e.prevHash}, ${e.contentHash}, ${e.hash}${tx ? sql`, ${tx}` : sql``})`),
          sql`, `,
        )}`);
    const count = async () => (await rows<{ n: number }>(db, sql`select count(*)::int as n from commitment_revisions`))[0]!.n;
    return { db, head: head!, c: c!, content, first, second, insert, count };
  }

  it("appends to the hash chain set-wise but still refuses a statement whose entries do not link", async () => {
    const { head, first, second, insert, count } = await chainAtHead();
    const before = await count();

    // The second entry names the wrong predecessor; the first alone would have been fine.
    expect(await refusal(insert([first, { ...second, prevHash: head.hash }]))).toMatch(new RegExp(`entry #${second.seq} does not extend`));
    // A gap, and an entry that does not start at the head.
    expect(await refusal(insert([first, { ...second, seq: second.seq + 1 }]))).toMatch(/does not extend/);
    expect(await refusal(insert([{ ...first, seq: first.seq + 1 }]))).toMatch(/does not extend/);
    expect(await refusal(insert([{ ...first, prevHash: "0".repeat(64) }]))).toMatch(new RegExp(`entry #${first.seq} does not extend`));
    expect(await count()).toBe(before);
  });

  it("checks each inserted row's seq, hashes and transaction once per statement, as the row trigger did (ADR 0035)", async () => {
    const { db, c, content, first, second, insert, count } = await chainAtHead();
    const before = await count();

    // The second row of the statement is the one at fault, each time.
    expect(await refusal(insert([first, { ...second, hash: null }]))).toMatch(/must be appended to the hash chain/);
    expect(await refusal(insert([first, { ...second, seq: null }]))).toMatch(/must be appended to the hash chain/);
    expect(await refusal(insert([first, { ...second, contentHash: second.contentHash!.toUpperCase() }]))).toMatch(/64 lowercase hex digits/);
    expect(await refusal(insert([first, { ...second, prevHash: `${second.prevHash!.slice(1)}` }]))).toMatch(/64 lowercase hex digits/);
    // A transaction id is the inserting transaction's, never one a writer names (the guards trust it).
    expect(await refusal(insert([first, second], sql`txid_current() - 1`))).toMatch(/stamped with the transaction that appends it/);
    expect(await count()).toBe(before);

    // Left to its default, tx is the appending transaction, and the same rows land.
    const stamped = await db.transaction(async (tx) => {
      await tx.execute(sql`insert into commitment_revisions (commitment_id, version, kind, actor_id, at, changes, reason, seq, prev_hash, content_hash, hash)
        values (${c.id}, ${c.version}, 'check_in', null, ${NOW.toISOString()}::timestamptz, ${JSON.stringify(content(1).changes)}::jsonb, null, ${first.seq}, ${first.prevHash}, ${first.contentHash}, ${first.hash})`);
      return (await rows<{ same: boolean }>(tx, sql`select tx = txid_current() as same from commitment_revisions where seq = ${first.seq}`))[0]!.same;
    });
    expect(stamped).toBe(true);
    expect(await count()).toBe(before + 1);
  });

  it("appendRevisions stores each row exactly as it was hashed, whatever a batch mixes (ADR 0042)", async () => {
    const { db, head, c } = await chainAtHead();
    const [other] = await rows<{ id: string; version: number }>(db, sql`select id, version from commitments where id <> ${c.id} order by id limit 1`);
    const [actor] = await rows<{ id: string }>(db, sql`select id from users order by email limit 1`);
    const shared = [{ field: "lockedByLetter", from: null, to: "/letters/2026" }];
    const tricky = [{ field: "statement", from: 'Ship "v2" \\ 50 % by Q3,\n{soon}', to: ["é", 1.5, { b: null, a: true }] }];
    const batch: NewRevision[] = [
      { commitmentId: c.id, version: c.version, kind: "lock", actorId: actor!.id, at: NOW, changes: shared, reason: "Appeared in a published letter." },
      { commitmentId: other!.id, version: other!.version, kind: "lock", actorId: actor!.id, at: NOW, changes: shared, reason: "Appeared in a published letter." },
      { commitmentId: c.id, version: c.version, kind: "rescope", actorId: null, at: new Date(NOW.getTime() + 1), changes: tricky, reason: 'Asked "why?" \\ answered,\tNULL' },
      // Equal to the first rows' content but another array: sent again, stored the same.
      { commitmentId: other!.id, version: other!.version, kind: "lock", actorId: actor!.id, at: NOW, changes: structuredClone(shared), reason: "Appeared in a published letter." },
      { commitmentId: other!.id, version: other!.version, kind: "lock", actorId: actor!.id, at: NOW, changes: structuredClone(shared), reason: null },
    ];
    await db.transaction((tx) => appendRevisions(tx, batch));
    const stored = (await readLogPage(db, Number(head.seq), 100)).map((r) => r.content);
    expect(stored).toEqual(batch.map((r) => logContentOf(r)));
    // Each stored row hashes to what was written beside it, in chain order (ids follow seq).
    const verifier = new ChainVerifier(sha256Hex);
    expect(verifier.add((await readLogPage(db, 0, 100_000)).map((r) => toLogEntry(r, true)))).toBe(true);
    const order = await rows<{ ok: boolean }>(db, sql`select bool_and(ok) as ok from (select id > lag(id) over (order by seq) is not false as ok from commitment_revisions) x`);
    expect(order[0]!.ok).toBe(true);
  });

  it("written the old way, in the commitment row, verifies and reads the same after the migration", { timeout: 600_000 }, async () => {
    // A database of its own: it is taken back to the schema before the lock table.
    const handle = await connect({ dataDir: "memory://" });
    try {
      await migrateToLatest(handle);
      const { db } = handle;
      await sample(db);
      const locks = await lockedCommitments(db);
      expect(locks.size).toBeGreaterThan(0);
      const shown = new Map<string, string | null>();
      for (const id of locks.keys()) shown.set(id, (await getCommitment(db, id))!.lockedByLetterAt?.toISOString() ?? null);
      expect([...shown.values()]).toEqual([...locks.values()]);

      // Back to before: the lock in the row, the guards of migrations 0013, 0014 and 0023.
      await db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`alter table commitments add column locked_by_letter_at timestamp with time zone`);
        await tx.execute(sql`update commitments c set locked_by_letter_at = l.locked_at from commitment_locks l where l.commitment_id = c.id`);
        await tx.execute(sql`drop trigger commitment_revisions_chain_lock on commitment_revisions`);
        await tx.execute(sql`drop trigger commitment_revisions_chain_extends on commitment_revisions`);
        // And before ADR 0035: the chain's row trigger on INSERT too, no tx default, no letter index.
        await tx.execute(sql`drop trigger commitment_revisions_chain on commitment_revisions`);
        await tx.execute(sql`create trigger commitment_revisions_chain before insert or update or delete on commitment_revisions for each row execute function kept_revision_chain()`);
        await tx.execute(sql`alter table commitment_revisions alter column tx drop default`);
        await tx.execute(sql`drop index commitment_revisions_letter_idx`);
        await tx.execute(sql`drop table commitment_locks`);
        for (const name of ["record_guards", "min_score_changes_guarded"]) {
          for (const statement of migrationStatements(name).filter((s) => s.startsWith("CREATE OR REPLACE FUNCTION"))) await tx.execute(sql.raw(statement));
        }
        for (const statement of migrationStatements("chain_guards_plan_by_index")) await tx.execute(sql.raw(statement));
      });
      const oldWay = await rows<{ n: number }>(db, sql`select count(*)::int as n from commitments where locked_by_letter_at is not null`);
      expect(oldWay[0]!.n).toBe(locks.size);

      for (const name of ["commitment_locks", "commitment_locks_guarded", "commitments_lock_column_dropped", "revision_tx_default_and_letter_index", "revision_chain_checked_per_statement", "commitment_locks_fk_in_guard"]) {
        await db.transaction(async (tx) => {
          for (const statement of migrationStatements(name)) await tx.execute(sql.raw(statement));
        });
      }

      expect(await lockedCommitments(db)).toEqual(locks);
      for (const [id, at] of shown) expect((await getCommitment(db, id))!.lockedByLetterAt?.toISOString() ?? null).toBe(at);
      const columns = await rows<{ n: number }>(db, sql`select count(*)::int as n from information_schema.columns where table_name = 'commitments' and column_name = 'locked_by_letter_at'`);
      expect(columns[0]!.n).toBe(0);
      expect((await checkRecordIntegrity(db, NOW)).problem).toBeNull();
      const [id] = locks.keys();
      expect(await refusal(db.execute(sql`update commitments set statement = statement || ' (quietly)', version = version + 1 where id = ${id!}`))).toMatch(/revision/);
    } finally {
      await handle.close();
    }
  });
});
