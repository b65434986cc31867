// A publication writes its lock revisions and locks while node builds the appendix and renders
// the letter (ADR 0063). What is found wrong after they are sent rolls them back: the answer is
// the check's, and the record is as it was. A refusal found before them writes nothing at all.
// The draft is locked from the start, so two publications of it, or a save during one, queue.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { getLetter } from "~/models/letter.server";
import { rowsOf } from "~/models/rows.server";
import { checkRecordIntegrity } from "~/services/record-log.server";
import { createEndpoint } from "~/services/webhooks.server";
import { generateLetterDraft, publicationFaultForTests, publishLetter, saveLetterDraft } from "~/services/letters.server";
import type { Result } from "~/domain/result";
import { resetDatabase, testDatabase } from "../setup/db";
import { statementsDuring } from "../support/statements";
import { world } from "../support/world";

// The one check that runs after the writes are sent (the appendix read by a CommonMark parser)
// is not known to fail for a body that passes the body's own checks, which is why it is last:
// its failure is injected here, as the problem it would report.
const appendixNotRendered = () => [{ code: "APPENDIX_NOT_RENDERED" as const, message: "injected: the appendix would not read as a table" }];

const MADE = new Date("2026-01-10T10:00:00Z");
const NOW = new Date("2027-01-20T10:00:00Z");

async function fresh(): Promise<Database> {
  const handle = await testDatabase();
  await resetDatabase(handle);
  return handle.db;
}

/** Three public commitments of FY2026, one missed, and a draft of their letter. */
async function draftWorld(db: Database) {
  const w = await world(db, { organisation: { fiscalYearStartMonth: 1, timeZone: "UTC" }, teams: { team: {} }, people: { admin: { role: "admin" } } });
  const actor = w.actors.admin;
  for (const [i, due] of ["2026-03-31", "2026-06-30", "2026-09-30"].entries()) {
    await w.commit(actor, w.teams.team, { audience: "public", dueDate: due, periodLabel: `FY2026-Q${i + 1}` }, MADE);
  }
  const draft = await generateLetterDraft(db, actor, { fiscalYear: 2026, audience: "public" }, NOW);
  if (!draft.ok) throw new Error(draft.error.message);
  return { actor, draft: draft.value };
}

/** What a publication writes, and what it must leave alone when it does not publish. */
async function recordState(db: Database) {
  const [state] = rowsOf<{ revisions: number; head: number | null; hash: string | null; locks: number; ledger: number }>(
    await db.execute(sql`
      select (select count(*)::int from commitment_revisions) as revisions,
             (select max(seq)::int from commitment_revisions) as head,
             (select hash from commitment_revisions order by seq desc nulls last limit 1) as hash,
             (select count(*)::int from commitment_locks) as locks,
             (select count(*)::int from letter_ledger_entries) as ledger`),
  );
  return state!;
}

/** An endpoint subscribed to published letters: a publication that commits queues it one delivery. */
async function subscribeToLetters(db: Database, actor: Parameters<typeof createEndpoint>[1]) {
  const created = await createEndpoint(db, actor, { url: "https://93.184.215.14/letters", description: "", events: ["letter.published"], active: true }, MADE);
  if (!created.ok) throw new Error(created.error.message);
}

/** The letter.published deliveries queued so far, with what their payload names. */
async function letterDeliveries(db: Database) {
  return rowsOf<{ letterId: string; sha256: string | null }>(
    await db.execute(sql`
      select payload->'data'->'letter'->>'id' as "letterId", payload->'data'->'letter'->>'sha256' as sha256
        from webhook_deliveries where event_type = 'letter.published' order by created_at`),
  );
}

function refused<T>(result: Result<T>) {
  if (result.ok) throw new Error("expected a refusal, got ok");
  return result.error;
}

describe("a publication that is refused", () => {
  it("rolls back the lock revisions and locks it had sent when the appendix check fails after them, and answers as the check does", async () => {
    const db = await fresh();
    const { actor, draft } = await draftWorld(db);
    await subscribeToLetters(db, actor);
    const before = await recordState(db);
    publicationFaultForTests.afterWritesSent = appendixNotRendered;
    try {
      const { result, statements } = await statementsDuring(db, () => publishLetter(db, actor, draft.id, draft.version, NOW));
      // The writes were sent before the check failed: this is the path that must roll back.
      expect(statements.some((s) => /insert into commitment_revisions/.test(s))).toBe(true);
      expect(statements.some((s) => /insert into commitment_locks/.test(s))).toBe(true);
      const error = refused(result);
      expect(error.code).toBe("LETTER.NOT_PUBLISHABLE");
      expect(error.problems).toEqual([expect.objectContaining({ code: "APPENDIX_NOT_RENDERED" })]);
    } finally {
      publicationFaultForTests.afterWritesSent = null;
    }
    expect(await recordState(db)).toEqual(before);
    const letter = await getLetter(db, draft.id);
    expect(letter).toMatchObject({ status: "draft", version: draft.version, sha256: null });
    expect(await letterDeliveries(db), "an abandoned publication tells no webhook").toEqual([]);

    // Published afterwards, the lock revisions extend the head as it was: nothing of the
    // abandoned attempt is left in the chain, and the record checks out whole.
    const done = await publishLetter(db, actor, draft.id, draft.version, NOW);
    expect(done.ok).toBe(true);
    const after = await recordState(db);
    expect(after.locks).toBe(3);
    expect(after.revisions).toBe(before.revisions + 3);
    expect(after.head).toBe((before.head ?? 0) + 3);
    expect(after.ledger).toBe(3);
    const report = await checkRecordIntegrity(db, NOW);
    expect(report.problem).toBeNull();
    expect(report.entries).toBe(after.revisions);
    // The publication that committed is told, once, naming the letter and its digest.
    if (!done.ok) throw new Error(done.error.message);
    expect(await letterDeliveries(db)).toEqual([{ letterId: draft.id, sha256: done.value.sha256 }]);
  });

  it("writes nothing when the body's own checks refuse it: no lock revision is even sent", async () => {
    const db = await fresh();
    const { actor, draft } = await draftWorld(db);
    const saved = await saveLetterDraft(db, actor, draft.id, { title: draft.title, body: `${draft.body}\n<details open>\n`, version: draft.version }, NOW);
    if (!saved.ok) throw new Error(saved.error.message);
    const before = await recordState(db);
    const { result, statements } = await statementsDuring(db, () => publishLetter(db, actor, draft.id, saved.value.version, NOW));
    expect(refused(result).problems).toEqual(expect.arrayContaining([expect.objectContaining({ code: "BODY_LEFT_OPEN" })]));
    expect(statements.some((s) => /insert into (commitment_revisions|commitment_locks|letter_ledger_entries)|update "letters"/i.test(s))).toBe(false);
    expect(await recordState(db)).toEqual(before);
    expect((await getLetter(db, draft.id))!.status).toBe("draft");
  });
});

describe("a draft being published", () => {
  it("is published once when two publications of it race: the other is told it is published", async () => {
    const db = await fresh();
    const { actor, draft } = await draftWorld(db);
    await subscribeToLetters(db, actor);
    const results = await Promise.all([
      publishLetter(db, actor, draft.id, draft.version, NOW),
      publishLetter(db, actor, draft.id, draft.version, NOW),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const other = results.find((r) => !r.ok)!;
    expect(refused(other).code).toBe("LETTER.PUBLISHED");
    const state = await recordState(db);
    expect(state.locks).toBe(3);
    expect(state.ledger).toBe(3);
    expect(await letterDeliveries(db), "one publication, one delivery").toHaveLength(1);
  });

  it("lets a save sent meanwhile land before it or not at all, never into what is published", async () => {
    const db = await fresh();
    const { actor, draft } = await draftWorld(db);
    const [publication, save] = await Promise.all([
      publishLetter(db, actor, draft.id, draft.version, NOW),
      saveLetterDraft(db, actor, draft.id, { title: draft.title, body: `${draft.body}\nOne more line.\n`, version: draft.version }, NOW),
    ]);
    // On PostgreSQL the save waits for the publication's lock on the draft; the embedded database
    // runs one transaction at a time. Either way exactly one of them lands first, and what is
    // published is the body the publication read.
    const letter = (await getLetter(db, draft.id))!;
    if (publication.ok) {
      expect(save.ok).toBe(false);
      expect(letter.status).toBe("published");
      expect(letter.publishedMarkdown).toContain(draft.body.trim().split("\n")[0]!);
      expect(letter.publishedMarkdown).not.toContain("One more line.");
    } else {
      expect(save.ok).toBe(true);
      expect(refused(publication).code).toBe("VERSION.CONFLICT");
      expect(letter.status).toBe("draft");
    }
  });
});
