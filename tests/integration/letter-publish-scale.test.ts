// Publishing freezes every commitment of the year into the letter and locks each with a revision
// on the record's hash chain. That work must be set-based: the number of statements a publication
// runs is the same for a year of 10 commitments as for one of 200 (issue #13: a 25,000-commitment
// year took 26 s). Query counts, never wall-clock time.
import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { commitmentLocks, commitmentRevisions, commitments, letters } from "../../db/schema";
import * as apiLetters from "~/routes/api.v1.letters";
import { createToken } from "~/services/api-tokens.server";
import { checkLetterDraft, generateLetterDraft, publishLetter } from "~/services/letters.server";
import { checkRecordIntegrity } from "~/services/record-log.server";
import { LETTER_REVISION_KINDS } from "~/domain/letter";
import { getLetter, lockCommitmentsForLetter, revisionsOfYear } from "~/models/letter.server";
import { rowsOf } from "~/models/rows.server";
import { BULK_APPEND_WORK_MEM } from "~/models/record-log.server";
import type { Actor, Result } from "~/domain/result";
import { makeCommitment } from "../factories";
import { testDatabase } from "../setup/db";
import { world } from "../support/world";
import { routeContext } from "../support/routes";
import { statementsDuring } from "../support/statements";

const MADE = new Date("2020-11-01T09:00:00.000Z");
const PUBLISH = new Date("2026-11-20T10:00:00.000Z"); // both years have ended: no typed confirmation

function mustOk<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}


/** Acme Cloud: one team and its admin (tests/support/world.ts). */
async function acmeCloud(db: Database) {
  const w = await world(db, {
    organisation: { name: "Acme Cloud", fiscalYearStartMonth: 1, timeZone: "UTC" },
    teams: { checkout: { slug: "checkout", name: "Checkout" } },
    people: { admin: { role: "admin", name: "Ada Admin" } },
  });
  return { team: w.teams.checkout, admin: w.actors.admin };
}

async function yearOf(db: Database, editor: Actor, teamId: string, fiscalYear: number, count: number) {
  for (let i = 0; i < count; i++) {
    await makeCommitment(
      db,
      editor,
      teamId,
      {
        statement: `Serve p95 checkout latency under ${200 + i} ms in region ${i} for FY${fiscalYear}`,
        periodLabel: `FY${fiscalYear}-Q2`,
        dueDate: `${fiscalYear}-06-${String(1 + (i % 28)).padStart(2, "0")}`,
        audience: "internal",
      },
      MADE,
    );
  }
}

async function publishYear(db: Database, admin: Actor, fiscalYear: number) {
  const draft = mustOk(await generateLetterDraft(db, admin, { fiscalYear, audience: "internal" }, PUBLISH));
  return statementsDuring(db, async () => mustOk(await publishLetter(db, admin, draft.id, draft.version, PUBLISH)));
}

describe("publishing a year", () => {
  it("runs the same number of statements for 10 commitments as for 200, and locks each with a chained revision", async () => {
    const { db } = await testDatabase();
    const { team, admin } = await acmeCloud(db);
    // Made a year before either year begins, so nothing is locked by its period yet.
    // Gap years, so neither letter locks the other's year as "next year"; an earlier letter, so
    // both publications link a previous one.
    await yearOf(db, admin, team.id, 2021, 1);
    await yearOf(db, admin, team.id, 2023, 10);
    await yearOf(db, admin, team.id, 2025, 200);
    await publishYear(db, admin, 2021);

    const small = await publishYear(db, admin, 2023);
    const large = await publishYear(db, admin, 2025);
    expect(small.result.status).toBe("published");
    expect(large.result.status).toBe("published");
    expect(large.statements.length).toBe(small.statements.length);
    // The lock is kept beside the commitments (ADR 0033): publishing rewrites none of their rows.
    expect(large.statements.filter((q) => /^\s*update\s+"?commitments"?\s/i.test(q))).toEqual([]);

    for (const [fiscalYear, count] of [[2023, 10], [2025, 200]] as const) {
      const locked = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(commitments)
        .innerJoin(commitmentLocks, eq(commitmentLocks.commitmentId, commitments.id))
        .where(and(eq(commitments.fiscalYear, fiscalYear), eq(commitmentLocks.lockedAt, PUBLISH)));
      expect(locked[0]!.n).toBe(count);
      const locks = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(commitmentRevisions)
        .innerJoin(commitments, eq(commitments.id, commitmentRevisions.commitmentId))
        .where(and(eq(commitments.fiscalYear, fiscalYear), eq(commitmentRevisions.kind, "lock")));
      expect(locks[0]!.n).toBe(count);
    }
    // The frozen ledger's rows are stored from the JSON text made for the ledger file (ADR 0045,
    // 0047): they must hold exactly the entries the publication returned, in their order, with
    // every key; and read back, each entry has its keys in jsonb's order, as the API showed them
    // when the ledger was one jsonb value.
    for (const { result } of [small, large]) {
      const [stored] = rowsOf<{ same: boolean; n: number; text: string }>(
        await db.execute(
          sql`select jsonb_agg(entry::jsonb order by position) = ${JSON.stringify(result.ledger)}::jsonb as same, count(*)::int as n, jsonb_agg(entry::jsonb order by position)::text as text
              from letter_ledger_entries where letter_id = ${result.id}::uuid`,
        ),
      );
      expect({ same: stored!.same, n: stored!.n }).toEqual({ same: true, n: (result.ledger as unknown[]).length });
      expect(JSON.stringify((await getLetter(db, result.id))!.ledger)).toBe(JSON.stringify(JSON.parse(stored!.text)));
    }
    // Every lock revision extends the hash chain and explains its commitment's change.
    const report = await checkRecordIntegrity(db, PUBLISH);
    expect(report.problem).toBeNull();
    expect(report.entries).toBe(211 * 2);
  });
});

describe("regenerating a draft over the API", () => {
  it("reads the year once: the answer's publish check is made from the record the draft came from", async () => {
    const { db } = await testDatabase();
    const { team, admin } = await acmeCloud(db);
    await yearOf(db, admin, team.id, 2025, 5);
    const token = mustOk(await createToken(db, admin, { name: "regenerate", scope: "write", expiresAt: null }, PUBLISH));
    const post = () =>
      apiLetters.action({
        request: new Request("http://kept.test/api/v1/letters", {
          method: "POST",
          headers: { Authorization: `Bearer ${token.token}`, "Content-Type": "application/json" },
          body: JSON.stringify({ fiscalYear: 2025, audience: "internal" }),
        }),
        params: {},
        context: routeContext(db),
      } as never) as Promise<Response>;

    const created = await post();
    expect(created.status).toBe(201);
    const { result: regenerated, statements } = await statementsDuring(db, post);
    expect(regenerated.status).toBe(200);
    // commitmentsOfYear is one of the reads of the year's record: once, not again for the answer.
    expect(statements.filter((q) => /from commitments c\s+join teams t/.test(q))).toHaveLength(1);
    const body = (await regenerated.json()) as { id: string; version: number; publishProblems: Array<{ code: string }> };
    expect(body.version).toBe(2);
    // The same problems a fresh check of the saved draft finds.
    const [saved] = await db.select().from(letters).where(eq(letters.id, body.id));
    const fresh = await checkLetterDraft(db, saved!);
    expect(body.publishProblems.map((p) => p.code)).toEqual(fresh.map((p) => p.code));
  });
});

describe("the year's revisions", () => {
  it("are read through the partial index of exactly the kinds a letter composes from (ADR 0035)", async () => {
    const { db } = await testDatabase();
    const [index] = rowsOf<{ indexdef: string }>(await db.execute(sql`select indexdef from pg_indexes where indexname = 'commitment_revisions_letter_idx'`));
    const kinds = [...(index?.indexdef ?? "").matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1]);
    expect([...kinds].sort()).toEqual([...LETTER_REVISION_KINDS].sort());
    // revisionsOfYear states the same predicate, so the planner can match the index.
    const { statements } = await statementsDuring(db, () => revisionsOfYear(db, 2025, "public"));
    const query = statements.find((q) => /from commitment_revisions r\b/.test(q)) ?? "";
    expect(query).toContain(`r.kind in (${LETTER_REVISION_KINDS.map((k) => `'${k}'`).join(", ")})`);
  });
});

describe("locking a year's commitments", () => {
  it("lets the foreign-key checks reuse their plans only while it appends, then hands the connection's setting back (ADR 0042)", async () => {
    const { db } = await testDatabase();
    const { team, admin } = await acmeCloud(db);
    await yearOf(db, admin, team.id, 2025, 3);
    const ids = (await db.select({ id: commitments.id }).from(commitments)).map((c) => c.id);
    const modes = await db.transaction(async (tx) => {
      const mode = async () => rowsOf<{ plan_cache_mode: string }>(await tx.execute(sql`show plan_cache_mode`))[0]!.plan_cache_mode;
      // As Kept's PostgreSQL connections set it (ADR 0041); PGlite's default is auto.
      await tx.execute(sql`set local plan_cache_mode = force_custom_plan`);
      const locked = await lockCommitmentsForLetter(tx, ids, "/letters/2025", admin.id, PUBLISH);
      const afterLocking = await mode();
      // Already locked: nothing to append, and the setting is handed back on that path too.
      const again = await lockCommitmentsForLetter(tx, ids, "/letters/2025", admin.id, PUBLISH);
      return { locked, afterLocking, again, afterNothing: await mode() };
    });
    expect(modes).toEqual({ locked: 3, afterLocking: "force_custom_plan", again: 0, afterNothing: "force_custom_plan" });
    const [locks] = await db.select({ n: sql<number>`count(*)::int` }).from(commitmentLocks);
    expect(locks!.n).toBe(3);
  });

  it("gives the rest of its transaction the bulk append's work memory, and only that transaction (ADR 0064)", async () => {
    const { db } = await testDatabase();
    const { team, admin } = await acmeCloud(db);
    await yearOf(db, admin, team.id, 2025, 3);
    const ids = (await db.select({ id: commitments.id }).from(commitments)).map((c) => c.id);
    const workMem = async (on: Pick<Database, "execute">) => rowsOf<{ work_mem: string }>(await on.execute(sql`show work_mem`))[0]!.work_mem;
    const before = await workMem(db);
    expect(before).not.toBe(BULK_APPEND_WORK_MEM);
    const during = await db.transaction(async (tx) => {
      await lockCommitmentsForLetter(tx, ids, "/letters/2025", admin.id, PUBLISH);
      // After the locks are written, where a publication inserts its ledger's rows.
      return workMem(tx);
    });
    expect(during).toBe(BULK_APPEND_WORK_MEM);
    expect(await workMem(db)).toBe(before);
  });
});
