// The commitment record: revisions written with every change, the append-only trigger, lock
// and re-scope, optimistic concurrency, outcomes, check-ins and carry-forward.
import { asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { checkIns, commitmentRevisions, commitments, outcomes } from "../../db/schema";
import {
  getCommitment,
  getOutcome,
  listCheckIns,
  listRevisions,
  successorsOf,
} from "~/models/commitment.server";
import { lockCommitmentsForLetter } from "~/models/letter.server";
import type { CommitmentInput } from "~/schemas/commitments";
import {
  addCheckIn,
  carryForward,
  createCommitment,
  recordOutcome,
  updateCommitment,
  type CheckInInput,
  type OutcomeInput,
} from "~/services/commitments.server";
import { makeCommitmentInput, makeUser } from "../factories";
import { superuserDatabase, testDatabase } from "../setup/db";
import { world as makeWorld } from "../support/world";
import { refusal } from "../support/refusal";

// Fiscal year from January, UTC: FY2026-Q3 is 2026-07-01..2026-09-30.
const BEFORE = new Date("2026-06-01T09:00:00.000Z"); // before FY2026-Q3 starts: unlocked
const DURING = new Date("2026-08-10T09:00:00.000Z"); // inside FY2026-Q3: locked
const LATER = new Date("2026-08-12T15:30:00.000Z");

// PGlite runs as the tables' owner, so the trigger answers; on PostgreSQL the runtime role has
// no UPDATE or DELETE privilege on these tables at all, so the database refuses first.
const APPEND_ONLY = /append-only|permission denied/;

async function world(db: Database) {
  const w = await makeWorld(db, {
    organisation: { fiscalYearStartMonth: 1, timeZone: "UTC" },
    teams: { team: { slug: "checkout", name: "Checkout" } },
    people: { admin: { role: "admin", name: "Ada Admin" }, editor: { role: "member", name: "Eve Editor", teams: { team: "editor" } } },
  });
  const { team } = w.teams;
  const editor = w.actors.editor;
  const input = (overrides: Partial<CommitmentInput> = {}) => makeCommitmentInput(team.id, overrides);
  const commit = (overrides: Partial<CommitmentInput> = {}, now = BEFORE) => w.commit(editor, team, overrides, now);
  return { team, admin: w.actors.admin, editor, editorUser: w.people.editor, input, commit };
}

const checkIn = (overrides: Partial<CheckInInput> = {}): CheckInInput => ({
  date: "2026-08-10",
  forecast: "at_risk",
  probability: 60,
  progressValue: 420,
  note: "CDN cache rolled out in two of five regions.",
  ...overrides,
});

const delivered = (overrides: Partial<OutcomeInput> = {}): OutcomeInput => ({
  status: "delivered",
  resolvedAt: "2026-08-05",
  actualValue: 280,
  evidenceUrl: "https://grafana.example.com/d/checkout-slo",
  partialDescription: null,
  reasonCategory: null,
  control: null,
  explanation: null,
  lesson: null,
  ...overrides,
});

const missed = (overrides: Partial<OutcomeInput> = {}): OutcomeInput => ({
  status: "missed",
  resolvedAt: "2026-08-05",
  actualValue: 450,
  evidenceUrl: null,
  partialDescription: null,
  reasonCategory: "underestimated_scope",
  control: "ours",
  explanation: "The payment provider round trip alone costs 250 ms.",
  lesson: "Measure third-party latency before promising an end-to-end number.",
  ...overrides,
});

const partial = (overrides: Partial<OutcomeInput> = {}): OutcomeInput =>
  missed({ status: "partial", partialDescription: "Under 300 ms in four of five EU regions.", ...overrides });

async function revisionRows(db: Database) {
  return db.select().from(commitmentRevisions).orderBy(asc(commitmentRevisions.id));
}
async function commitmentRows(db: Database) {
  return db.select().from(commitments).orderBy(asc(commitments.id));
}
async function checkInRows(db: Database) {
  return db.select().from(checkIns).orderBy(asc(checkIns.id));
}
async function outcomeRows(db: Database) {
  return db.select().from(outcomes).orderBy(asc(outcomes.commitmentId));
}
async function snapshot(db: Database) {
  return { commitments: await commitmentRows(db), revisions: await revisionRows(db), checkIns: await checkInRows(db), outcomes: await outcomeRows(db) };
}

/** Oldest first (listRevisions is newest first). */
async function history(db: Database, id: string) {
  return (await listRevisions(db, id)).reverse();
}

/** Awaits something the database must refuse and returns the whole error chain's text. */

function mustOk<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe("every change writes a revision", () => {
  it("records create, edit, check-in, outcome, outcome change and carry-forward with actor, time and from/to", async () => {
    const { db } = await testDatabase();
    const { admin, editor, input } = await world(db);

    const created = mustOk(await createCommitment(db, editor, input(), BEFORE));
    // Sharp but without an owner: only the owner warning costs points.
    expect(created).toMatchObject({ version: 1, status: "open", attempt: 1, committedBy: editor.id, committedAt: BEFORE, lintScore: 90 });
    expect((created.lintFindings as Array<{ code: string }>).map((f) => f.code)).toEqual(["OWNER.MISSING"]);
    let revs = await history(db, created.id);
    expect(revs).toHaveLength(1);
    expect(revs[0]).toMatchObject({ kind: "create", version: 1, actorId: editor.id, actorName: "Eve Editor", at: BEFORE, reason: null });
    expect(revs[0]!.changes).toEqual(
      expect.arrayContaining([
        { field: "statement", from: null, to: "Move checkout for every EU customer to the Frankfurt region by the end of the quarter" },
        { field: "metricTarget", from: null, to: 300 },
        { field: "dueDate", from: null, to: "2026-09-15" },
        { field: "tags", from: null, to: ["Reliability"] },
      ]),
    );
    // Empty values are not reported as "set".
    expect(revs[0]!.changes.map((c) => c.field)).not.toContain("details");
    expect(revs[0]!.changes.map((c) => c.field)).not.toContain("ownerId");

    const edited = mustOk(await updateCommitment(db, editor, created.id, input({ metricTarget: 250 }), 1, null, BEFORE));
    expect(edited).toMatchObject({ rescope: false, commitment: { version: 2, metricTarget: 250 } });
    revs = await history(db, created.id);
    expect(revs[1]).toMatchObject({
      kind: "edit",
      version: 2,
      actorId: editor.id,
      at: BEFORE,
      reason: null,
      changes: [{ field: "metricTarget", from: 300, to: 250 }],
    });

    mustOk(await addCheckIn(db, editor, created.id, checkIn(), DURING));
    revs = await history(db, created.id);
    expect(revs[2]).toMatchObject({
      kind: "check_in",
      version: 2,
      actorId: editor.id,
      at: DURING,
      reason: "CDN cache rolled out in two of five regions.",
      changes: [
        { field: "date", from: null, to: "2026-08-10" },
        { field: "forecast", from: null, to: "at_risk" },
        { field: "probability", from: null, to: 60 },
        { field: "progressValue", from: null, to: 420 },
      ],
    });

    const resolved = mustOk(await recordOutcome(db, editor, created.id, missed(), 2, null, DURING));
    expect(resolved).toMatchObject({ version: 3, status: "missed" });
    revs = await history(db, created.id);
    expect(revs[3]).toMatchObject({ kind: "outcome", version: 3, actorId: editor.id, at: DURING, reason: null });
    expect(revs[3]!.changes).toEqual(
      expect.arrayContaining([
        { field: "status", from: null, to: "missed" },
        { field: "resolvedAt", from: null, to: "2026-08-05" },
        { field: "reasonCategory", from: null, to: "underestimated_scope" },
      ]),
    );

    const changed = mustOk(await recordOutcome(db, admin, created.id, partial(), 3, "Four regions did reach the target.", LATER));
    expect(changed).toMatchObject({ version: 4, status: "partial" });
    revs = await history(db, created.id);
    expect(revs[4]).toMatchObject({
      kind: "outcome_change",
      version: 4,
      actorId: admin.id,
      at: LATER,
      reason: "Four regions did reach the target.",
      changes: [
        { field: "status", from: "missed", to: "partial" },
        { field: "partialDescription", from: null, to: "Under 300 ms in four of five EU regions." },
      ],
    });

    const successor = mustOk(
      await carryForward(
        db,
        editor,
        created.id,
        { periodLabel: "FY2026-Q4", dueDate: "2026-12-15", statement: "Serve checkout p95 under 250 ms in all five EU regions" },
        4,
        LATER,
      ),
    );
    revs = await history(db, created.id);
    expect(revs).toHaveLength(6);
    expect(revs[5]).toMatchObject({
      kind: "carry_forward",
      actorId: editor.id,
      at: LATER,
      changes: [{ field: "successor", from: null, to: successor.id }],
    });
    const successorRevs = await history(db, successor.id);
    expect(successorRevs).toHaveLength(1);
    expect(successorRevs[0]).toMatchObject({ kind: "carried_from", version: 1, actorId: editor.id, at: LATER });
    expect(successorRevs[0]!.changes).toEqual(
      expect.arrayContaining([
        { field: "predecessor", from: null, to: created.id },
        { field: "periodLabel", from: null, to: "FY2026-Q4" },
        { field: "statement", from: null, to: "Serve checkout p95 under 250 ms in all five EU regions" },
      ]),
    );

    // listRevisions is newest first.
    expect((await listRevisions(db, created.id)).map((r) => r.kind)).toEqual([
      "carry_forward",
      "outcome_change",
      "outcome",
      "check_in",
      "edit",
      "create",
    ]);
  });

  it("writes the revision in the same transaction: if the revision insert fails, the change is rolled back", async () => {
    const { db } = await testDatabase();
    const { editor, input, commit } = await world(db);
    const c = await commit();
    const resolvedOne = await commit({ statement: "Serve search p95 under 200 ms for every EU customer", metricTarget: 200 });
    mustOk(await recordOutcome(db, editor, resolvedOne.id, missed(), 1, null, DURING));
    const before = await snapshot(db);
    const { db: superuser } = await superuserDatabase();

    await superuser.execute(
      sql.raw(`create or replace function kept_test_refuse_revision() returns trigger as $$
        begin raise exception 'revision insert refused by the test'; end; $$ language plpgsql`),
    );
    await superuser.execute(
      sql.raw(`create trigger kept_test_refuse_revision before insert on commitment_revisions
        for each row execute function kept_test_refuse_revision()`),
    );
    try {
      expect(await refusal(createCommitment(db, editor, input({ statement: "Serve cart p95 under 300 ms for every EU customer" }), BEFORE))).toMatch(
        /refused by the test/,
      );
      expect(await refusal(updateCommitment(db, editor, c.id, input({ metricTarget: 250 }), 1, null, BEFORE))).toMatch(/refused by the test/);
      expect(await refusal(addCheckIn(db, editor, c.id, checkIn(), DURING))).toMatch(/refused by the test/);
      expect(await refusal(recordOutcome(db, editor, c.id, missed(), 1, null, DURING))).toMatch(/refused by the test/);
      expect(
        await refusal(carryForward(db, editor, resolvedOne.id, { periodLabel: "FY2026-Q4", dueDate: "2026-12-15", statement: "Serve search p95 under 200 ms" }, 2, DURING)),
      ).toMatch(/refused by the test/);
    } finally {
      await superuser.execute(sql.raw(`drop trigger if exists kept_test_refuse_revision on commitment_revisions`));
      await superuser.execute(sql.raw(`drop function if exists kept_test_refuse_revision()`));
    }

    expect(await snapshot(db)).toEqual(before);
  });
});

describe("the database keeps history append-only", () => {
  async function seeded(db: Database) {
    const { editor, commit } = await world(db);
    const c = await commit();
    mustOk(await addCheckIn(db, editor, c.id, checkIn(), DURING));
    return c;
  }

  it("refuses UPDATE and DELETE on commitment_revisions, raw or through drizzle", async () => {
    const { db } = await testDatabase();
    const c = await seeded(db);
    const before = await revisionRows(db);
    expect(before).toHaveLength(2);

    expect(await refusal(db.execute(sql`update commitment_revisions set reason = 'x'`))).toMatch(APPEND_ONLY);
    expect(await refusal(db.execute(sql`delete from commitment_revisions`))).toMatch(APPEND_ONLY);
    expect(await refusal(db.update(commitmentRevisions).set({ reason: "rewritten" }).where(eq(commitmentRevisions.commitmentId, c.id)))).toMatch(
      APPEND_ONLY,
    );
    expect(await refusal(db.delete(commitmentRevisions).where(eq(commitmentRevisions.commitmentId, c.id)))).toMatch(APPEND_ONLY);

    expect(await revisionRows(db)).toEqual(before);
  });

  it("refuses UPDATE and DELETE on check_ins", async () => {
    const { db } = await testDatabase();
    await seeded(db);
    const before = await checkInRows(db);
    expect(before).toHaveLength(1);

    expect(await refusal(db.execute(sql`update check_ins set note = 'x'`))).toMatch(APPEND_ONLY);
    expect(await refusal(db.execute(sql`update check_ins set probability = 100`))).toMatch(APPEND_ONLY);
    expect(await refusal(db.execute(sql`delete from check_ins`))).toMatch(APPEND_ONLY);

    expect(await checkInRows(db)).toEqual(before);
  });
});

describe("lock and re-scope", () => {
  it("before the period starts, changing the target is a plain edit that needs no reason", async () => {
    const { db } = await testDatabase();
    const { editor, input, commit } = await world(db);
    const c = await commit();

    const result = await updateCommitment(db, editor, c.id, input({ metricTarget: 250 }), 1, null, new Date("2026-06-30T23:59:00.000Z"));

    expect(result).toEqual({ ok: true, value: expect.objectContaining({ rescope: false }) });
    expect(await getCommitment(db, c.id)).toMatchObject({ metricTarget: 250, version: 2 });
    expect((await listRevisions(db, c.id))[0]).toMatchObject({ kind: "edit", reason: null });
  });

  const rescopes: Array<[string, Partial<CommitmentInput>, unknown, unknown]> = [
    ["metricTarget", { metricTarget: 350 }, 300, 350],
    [
      "statement",
      { statement: "Move checkout for every EU customer to the Frankfurt and Paris regions by the end of the quarter" },
      "Move checkout for every EU customer to the Frankfurt region by the end of the quarter",
      "Move checkout for every EU customer to the Frankfurt and Paris regions by the end of the quarter",
    ],
    ["dueDate", { dueDate: "2026-09-30" }, "2026-09-15", "2026-09-30"],
    ["periodLabel", { periodLabel: "FY2026-H2" }, "FY2026-Q3", "FY2026-H2"],
    ["audience", { audience: "internal" }, "public", "internal"],
  ];

  it.each(rescopes)("once locked, changing %s needs a reason and is recorded as a re-scope", async (field, change, from, to) => {
    const { db } = await testDatabase();
    const { editor, input, commit } = await world(db);
    const c = await commit();
    const before = await snapshot(db);

    // The period started on 2026-07-01 (UTC): the first instant of that day is already locked.
    const locked = new Date("2026-07-01T00:00:00.000Z");
    const refused = await updateCommitment(db, editor, c.id, input(change), 1, null, locked);
    expect(refused).toEqual({ ok: false, error: expect.objectContaining({ code: "COMMITMENT.RESCOPE_REASON_REQUIRED", field: "reason" }) });
    expect(await updateCommitment(db, editor, c.id, input(change), 1, "", locked)).toEqual(refused);
    expect(await snapshot(db)).toEqual(before);

    const result = await updateCommitment(db, editor, c.id, input(change), 1, "The payment provider cannot go below 250 ms.", DURING);
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({ rescope: true, changes: [{ field, from, to }], commitment: expect.objectContaining({ version: 2, [field]: to }) }),
    });
    const row = await getCommitment(db, c.id);
    expect(row).toMatchObject({ version: 2, [field]: to });
    const revs = await listRevisions(db, c.id);
    expect(revs).toHaveLength(2);
    expect(revs[0]).toMatchObject({
      kind: "rescope",
      version: 2,
      actorId: editor.id,
      at: DURING,
      reason: "The payment provider cannot go below 250 ms.",
      changes: [{ field, from, to }],
    });
  });

  it("a change of period also moves the stored period dates", async () => {
    const { db } = await testDatabase();
    const { editor, input, commit } = await world(db);
    const c = await commit();

    mustOk(await updateCommitment(db, editor, c.id, input({ periodLabel: "FY2026-Q4", dueDate: "2026-12-15" }), 1, "Moved behind the PSP migration.", DURING));

    expect(await getCommitment(db, c.id)).toMatchObject({ periodLabel: "FY2026-Q4", periodStart: "2026-10-01", periodEnd: "2026-12-31", fiscalYear: 2026 });
    expect((await listRevisions(db, c.id))[0]).toMatchObject({
      kind: "rescope",
      changes: [
        { field: "dueDate", from: "2026-09-15", to: "2026-12-15" },
        { field: "periodLabel", from: "FY2026-Q3", to: "FY2026-Q4" },
      ],
    });
  });

  it("once locked, changing details, owner or tags is a plain edit without a reason", async () => {
    const { db } = await testDatabase();
    const { editor, input, commit } = await world(db);
    const owner = await makeUser(db, { name: "Olu Owner" });
    const c = await commit();

    const details = await updateCommitment(db, editor, c.id, input({ details: "Measured at the EU edge." }), 1, null, DURING);
    expect(details).toEqual({ ok: true, value: expect.objectContaining({ rescope: false }) });
    const ownerChange = await updateCommitment(db, editor, c.id, input({ details: "Measured at the EU edge.", ownerId: owner.id }), 2, null, DURING);
    expect(ownerChange).toEqual({ ok: true, value: expect.objectContaining({ rescope: false }) });
    const tags = await updateCommitment(
      db,
      editor,
      c.id,
      input({ details: "Measured at the EU edge.", ownerId: owner.id, tags: ["Reliability", "Cost"] }),
      3,
      null,
      DURING,
    );
    expect(tags).toEqual({ ok: true, value: expect.objectContaining({ rescope: false }) });

    expect(await getCommitment(db, c.id)).toMatchObject({
      version: 4,
      details: "Measured at the EU edge.",
      ownerId: owner.id,
      tags: ["Reliability", "Cost"],
      metricTarget: 300,
    });
    expect((await listRevisions(db, c.id)).map((r) => [r.kind, r.reason, r.changes])).toEqual([
      ["edit", null, [{ field: "tags", from: ["Reliability"], to: ["Reliability", "Cost"] }]],
      ["edit", null, [{ field: "ownerId", from: null, to: owner.id }]],
      ["edit", null, [{ field: "details", from: "", to: "Measured at the EU edge." }]],
      ["create", null, expect.any(Array)],
    ]);
  });

  it("a commitment included in a published letter is locked even before its period starts", async () => {
    const { db } = await testDatabase();
    const { editor, input, commit } = await world(db);
    const c = await commit();
    // As publishing does it: the lock and its revision in one transaction.
    await db.transaction((tx) => lockCommitmentsForLetter(tx, [c.id], "/letters/2025", editor.id, new Date("2026-05-20T10:00:00.000Z")));

    const result = await updateCommitment(db, editor, c.id, input({ metricTarget: 350 }), 1, null, BEFORE);

    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "COMMITMENT.RESCOPE_REASON_REQUIRED", field: "reason" }) });
    expect(await getCommitment(db, c.id)).toMatchObject({ version: 1, metricTarget: 300 });
  });

  it("saving the form unchanged writes nothing", async () => {
    const { db } = await testDatabase();
    const { editor, input, commit } = await world(db);
    const c = await commit();
    const before = await snapshot(db);

    const result = await updateCommitment(db, editor, c.id, input(), 1, null, DURING);

    expect(result).toEqual({ ok: true, value: expect.objectContaining({ rescope: false, changes: [] }) });
    expect(await snapshot(db)).toEqual(before);
  });
});

describe("optimistic concurrency", () => {
  it("of two simultaneous saves from the same version exactly one wins; the other is told what changed", async () => {
    const { db } = await testDatabase();
    const { admin, editor, input, commit } = await world(db);
    const c = await commit();

    const [target, details] = await Promise.all([
      updateCommitment(db, editor, c.id, input({ metricTarget: 250 }), 1, null, BEFORE),
      updateCommitment(db, admin, c.id, input({ details: "Measured at the EU edge." }), 1, null, BEFORE),
    ]);

    expect([target, details].filter((r) => r.ok)).toHaveLength(1);
    const targetWon = target.ok;
    const loser = targetWon ? details : target;
    expect(loser).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: "VERSION.CONFLICT",
        conflict: { currentVersion: 2, changedFields: [targetWon ? "metricTarget" : "details"] },
      }),
    });
    expect(await getCommitment(db, c.id)).toMatchObject(
      targetWon ? { version: 2, metricTarget: 250, details: "" } : { version: 2, metricTarget: 300, details: "Measured at the EU edge." },
    );
    const revs = await listRevisions(db, c.id);
    expect(revs.map((r) => [r.kind, r.version, r.actorId])).toEqual([
      ["edit", 2, targetWon ? editor.id : admin.id],
      ["create", 1, editor.id],
    ]);
  });

  it("of six simultaneous saves from the same version exactly one is written", async () => {
    const { db } = await testDatabase();
    const { editor, input, commit } = await world(db);
    const c = await commit();

    const results = await Promise.all(
      [250, 260, 270, 280, 290, 295].map((t) => updateCommitment(db, editor, c.id, input({ metricTarget: t }), 1, null, BEFORE)),
    );

    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok)) {
      expect(r).toEqual({ ok: false, error: expect.objectContaining({ code: "VERSION.CONFLICT", conflict: expect.objectContaining({ currentVersion: 2 }) }) });
    }
    const winning = winners[0]!.ok ? winners[0]!.value.commitment.metricTarget : null;
    expect(await getCommitment(db, c.id)).toMatchObject({ version: 2, metricTarget: winning });
    expect(await revisionRows(db)).toHaveLength(2);
  });

  it("a save from a stale version is refused and changes nothing", async () => {
    const { db } = await testDatabase();
    const { admin, editor, input, commit } = await world(db);
    const c = await commit();
    mustOk(await updateCommitment(db, editor, c.id, input({ metricTarget: 250 }), 1, null, BEFORE));
    const before = await snapshot(db);

    // The admin opened the form at version 1 (target 300) and only edited the details.
    const stale = await updateCommitment(db, admin, c.id, input({ details: "Measured at the EU edge." }), 1, null, BEFORE);

    expect(stale).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "VERSION.CONFLICT", conflict: expect.objectContaining({ currentVersion: 2 }) }),
    });
    expect(await snapshot(db)).toEqual(before);
    expect(await getCommitment(db, c.id)).toMatchObject({ version: 2, metricTarget: 250, details: "" });
  });

  it("a save from a stale version names the fields the other save changed", async () => {
    const { db } = await testDatabase();
    const { admin, editor, input, commit } = await world(db);
    const c = await commit();
    mustOk(await updateCommitment(db, editor, c.id, input({ metricTarget: 250 }), 1, null, BEFORE));

    const stale = await updateCommitment(db, admin, c.id, input({ details: "Measured at the EU edge." }), 1, null, BEFORE);

    expect(stale).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "VERSION.CONFLICT", conflict: { currentVersion: 2, changedFields: ["metricTarget"] } }),
    });
  });

  it("an outcome recorded from a stale version is refused", async () => {
    const { db } = await testDatabase();
    const { editor, input, commit } = await world(db);
    const c = await commit();
    mustOk(await updateCommitment(db, editor, c.id, input({ details: "Measured at the EU edge." }), 1, null, BEFORE));
    const before = await snapshot(db);

    const stale = await recordOutcome(db, editor, c.id, missed(), 1, null, DURING);

    expect(stale).toEqual({ ok: false, error: expect.objectContaining({ code: "VERSION.CONFLICT", conflict: expect.objectContaining({ currentVersion: 2 }) }) });
    expect(await snapshot(db)).toEqual(before);
  });
});

describe("outcomes", () => {
  it("a delivered outcome needs an evidence link", async () => {
    const { db } = await testDatabase();
    const { editor, commit } = await world(db);
    const c = await commit();
    const before = await snapshot(db);

    const result = await recordOutcome(db, editor, c.id, delivered({ evidenceUrl: null }), 1, null, DURING);

    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "VALIDATION", fieldErrors: { evidenceUrl: [expect.stringMatching(/evidence/i)] } }),
    });
    expect(await snapshot(db)).toEqual(before);
  });

  it("a missed outcome needs a reason category, control, explanation and lesson", async () => {
    const { db } = await testDatabase();
    const { editor, commit } = await world(db);
    const c = await commit();
    const before = await snapshot(db);

    const result = await recordOutcome(db, editor, c.id, missed({ reasonCategory: null, control: null, explanation: "  ", lesson: null }), 1, null, DURING);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("VALIDATION");
    expect(Object.keys(result.error.fieldErrors ?? {}).sort()).toEqual(["control", "explanation", "lesson", "reasonCategory"]);
    for (const messages of Object.values(result.error.fieldErrors ?? {})) expect(messages).toEqual([expect.any(String)]);
    expect(await getOutcome(db, c.id)).toBeNull();
    expect(await snapshot(db)).toEqual(before);
  });

  it("a partial outcome must say which part was delivered", async () => {
    const { db } = await testDatabase();
    const { editor, commit } = await world(db);
    const c = await commit();

    const result = await recordOutcome(db, editor, c.id, partial({ partialDescription: null }), 1, null, DURING);

    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "VALIDATION", fieldErrors: { partialDescription: [expect.any(String)] } }),
    });
    expect(await getOutcome(db, c.id)).toBeNull();
    expect(await getCommitment(db, c.id)).toMatchObject({ status: "open", version: 1 });
  });

  it("records an outcome, mirrors its status, and changing it needs a reason", async () => {
    const { db } = await testDatabase();
    const { admin, editor, commit } = await world(db);
    const c = await commit();

    const first = await recordOutcome(db, editor, c.id, delivered(), 1, null, DURING);
    expect(first).toEqual({ ok: true, value: expect.objectContaining({ status: "delivered", version: 2 }) });
    expect(await getCommitment(db, c.id)).toMatchObject({ status: "delivered", version: 2 });
    expect(await getOutcome(db, c.id)).toMatchObject({
      status: "delivered",
      resolvedAt: "2026-08-05",
      actualValue: 280,
      evidenceUrl: "https://grafana.example.com/d/checkout-slo",
      recordedBy: editor.id,
      recordedAt: DURING,
    });
    const afterFirst = await snapshot(db);

    for (const reason of [null, ""]) {
      const noReason = await recordOutcome(db, admin, c.id, missed(), 2, reason, LATER);
      expect(noReason).toEqual({ ok: false, error: expect.objectContaining({ code: "OUTCOME.REASON_REQUIRED", field: "changeReason" }) });
    }
    expect(await snapshot(db)).toEqual(afterFirst);

    const changed = await recordOutcome(db, admin, c.id, missed(), 2, "The dashboard sampled only one region.", LATER);
    expect(changed).toEqual({ ok: true, value: expect.objectContaining({ status: "missed", version: 3 }) });
    expect(await getCommitment(db, c.id)).toMatchObject({ status: "missed", version: 3 });
    expect(await getOutcome(db, c.id)).toMatchObject({
      status: "missed",
      actualValue: 450,
      evidenceUrl: null,
      reasonCategory: "underestimated_scope",
      control: "ours",
      recordedBy: admin.id,
      recordedAt: LATER,
    });
    expect(await outcomeRows(db)).toHaveLength(1);
    const [latest] = await listRevisions(db, c.id);
    expect(latest).toMatchObject({ kind: "outcome_change", version: 3, actorId: admin.id, reason: "The dashboard sampled only one region." });
    expect(latest!.changes).toEqual(
      expect.arrayContaining([
        { field: "status", from: "delivered", to: "missed" },
        { field: "actualValue", from: 280, to: 450 },
        { field: "evidenceUrl", from: "https://grafana.example.com/d/checkout-slo", to: null },
      ]),
    );
  });

  it("a resolved commitment takes no more check-ins or edits", async () => {
    const { db } = await testDatabase();
    const { editor, input, commit } = await world(db);
    const c = await commit();
    mustOk(await recordOutcome(db, editor, c.id, missed(), 1, null, DURING));
    const before = await snapshot(db);

    expect(await addCheckIn(db, editor, c.id, checkIn(), LATER)).toEqual({ ok: false, error: expect.objectContaining({ code: "COMMITMENT.RESOLVED" }) });
    expect(await updateCommitment(db, editor, c.id, input({ details: "Too late." }), 2, null, LATER)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "COMMITMENT.RESOLVED" }),
    });
    expect(await updateCommitment(db, editor, c.id, input({ metricTarget: 500 }), 2, "Make it look met.", LATER)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "COMMITMENT.RESOLVED" }),
    });
    expect(await snapshot(db)).toEqual(before);
  });

  it("refuses an outcome resolved in the future", async () => {
    const { db } = await testDatabase();
    const { editor, commit } = await world(db);
    const c = await commit();

    const result = await recordOutcome(db, editor, c.id, delivered({ resolvedAt: "2026-08-11" }), 1, null, DURING);

    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "VALIDATION", fieldErrors: { resolvedAt: [expect.any(String)] } }) });
    expect(await getOutcome(db, c.id)).toBeNull();
  });
});

describe("check-ins", () => {
  it("keeps every check-in, newest first", async () => {
    const { db } = await testDatabase();
    const { admin, editor, commit } = await world(db);
    const c = await commit();

    mustOk(await addCheckIn(db, editor, c.id, checkIn({ date: "2026-07-15", forecast: "on_track", probability: 80, note: "First" }), DURING));
    mustOk(await addCheckIn(db, editor, c.id, checkIn({ date: "2026-08-01", forecast: "off_track", probability: 20, note: "Third" }), DURING));
    mustOk(await addCheckIn(db, admin, c.id, checkIn({ date: "2026-07-20", forecast: "at_risk", probability: 55, progressValue: null, note: null }), DURING));
    // Same date as the last one, written later: both are kept and the later one comes first.
    mustOk(await addCheckIn(db, editor, c.id, checkIn({ date: "2026-08-01", forecast: "stalled", probability: 10, note: "Fourth" }), LATER));

    const list = await listCheckIns(db, c.id);
    expect(list.map((x) => [x.date, x.forecast, x.probability, x.note])).toEqual([
      ["2026-08-01", "stalled", 10, "Fourth"],
      ["2026-08-01", "off_track", 20, "Third"],
      ["2026-07-20", "at_risk", 55, ""],
      ["2026-07-15", "on_track", 80, "First"],
    ]);
    expect(list[2]).toMatchObject({ progressValue: null, createdByName: "Ada Admin" });
    expect(list[0]).toMatchObject({ progressValue: 420, createdByName: "Eve Editor", createdAt: LATER });
    expect((await listRevisions(db, c.id)).filter((r) => r.kind === "check_in")).toHaveLength(4);
    // A check-in does not change what was promised, so it does not bump the version.
    expect(await getCommitment(db, c.id)).toMatchObject({ version: 1, status: "open" });
  });

  it("refuses a check-in dated in the future", async () => {
    const { db } = await testDatabase();
    const { editor, commit } = await world(db);
    const c = await commit();
    const before = await snapshot(db);

    const result = await addCheckIn(db, editor, c.id, checkIn({ date: "2026-08-11" }), DURING);

    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "VALIDATION", field: "date" }) });
    expect(await snapshot(db)).toEqual(before);
    // Today itself is fine.
    expect(await addCheckIn(db, editor, c.id, checkIn({ date: "2026-08-10" }), DURING)).toEqual({ ok: true, value: null });
  });
});

describe("carry-forward", () => {
  const next = { periodLabel: "FY2026-Q4", dueDate: "2026-12-15", statement: "Serve checkout p95 under 300 ms in all five EU regions" };

  async function missedOne(db: Database) {
    const w = await world(db);
    const c = await w.commit();
    const resolved = mustOk(await recordOutcome(db, w.editor, c.id, missed(), 1, null, DURING));
    return { ...w, c: resolved };
  }

  it("re-commits a missed commitment in a later period as attempt 2", async () => {
    const { db } = await testDatabase();
    const { editor, team, c } = await missedOne(db);

    const result = await carryForward(db, editor, c.id, next, c.version, DURING);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const successor = result.value;
    expect(successor).toMatchObject({
      predecessorId: c.id,
      attempt: 2,
      statement: next.statement,
      periodLabel: "FY2026-Q4",
      periodStart: "2026-10-01",
      periodEnd: "2026-12-31",
      dueDate: "2026-12-15",
      status: "open",
      version: 1,
      teamId: team.id,
      metricTarget: 300,
      metricComparator: "lte",
      audience: "public",
      tags: ["Reliability"],
      committedBy: editor.id,
      committedAt: DURING,
    });
    expect(successor.id).not.toBe(c.id);
    expect(await successorsOf(db, c.id)).toEqual([{ id: successor.id, periodLabel: "FY2026-Q4", attempt: 2, status: "open" }]);
    // The original keeps its outcome and its promise.
    expect(await getCommitment(db, c.id)).toMatchObject({ status: "missed", statement: "Move checkout for every EU customer to the Frankfurt region by the end of the quarter", periodLabel: "FY2026-Q3" });
  });

  it("also carries a partially delivered commitment", async () => {
    const { db } = await testDatabase();
    const { editor, commit } = await world(db);
    const c = await commit();
    mustOk(await recordOutcome(db, editor, c.id, partial(), 1, null, DURING));

    expect(await carryForward(db, editor, c.id, next, 2, DURING)).toEqual({ ok: true, value: expect.objectContaining({ attempt: 2, predecessorId: c.id }) });
  });

  it("refuses to carry a delivered or open commitment", async () => {
    const { db } = await testDatabase();
    const { editor, commit } = await world(db);
    const open = await commit();
    const done = await commit({ statement: "Serve search p95 under 200 ms for every EU customer", metricTarget: 200 });
    mustOk(await recordOutcome(db, editor, done.id, delivered(), 1, null, DURING));
    const before = await snapshot(db);

    expect(await carryForward(db, editor, done.id, next, 2, DURING)).toEqual({ ok: false, error: expect.objectContaining({ code: "COMMITMENT.NOT_CARRYABLE" }) });
    expect(await carryForward(db, editor, open.id, next, 1, DURING)).toEqual({ ok: false, error: expect.objectContaining({ code: "COMMITMENT.NOT_CARRYABLE" }) });
    expect(await snapshot(db)).toEqual(before);
  });

  it("refuses to carry the same commitment twice", async () => {
    const { db } = await testDatabase();
    const { editor, admin, c } = await missedOne(db);
    const first = mustOk(await carryForward(db, editor, c.id, next, c.version, DURING));
    const before = await snapshot(db);

    const again = await carryForward(db, admin, c.id, { ...next, periodLabel: "FY2027-Q1", dueDate: "2027-03-15" }, c.version, LATER);

    expect(again).toEqual({ ok: false, error: expect.objectContaining({ code: "COMMITMENT.ALREADY_CARRIED" }) });
    expect(await snapshot(db)).toEqual(before);
    expect((await successorsOf(db, c.id)).map((s) => s.id)).toEqual([first.id]);
  });

  it("two simultaneous carry-forwards of one commitment create one successor", async () => {
    const { db } = await testDatabase();
    const { editor, admin, c } = await missedOne(db);

    const results = await Promise.all([
      carryForward(db, editor, c.id, next, c.version, DURING),
      carryForward(db, admin, c.id, { ...next, periodLabel: "FY2027-Q1", dueDate: "2027-03-15" }, c.version, DURING),
    ]);

    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: expect.stringMatching(/^(COMMITMENT\.ALREADY_CARRIED|VERSION\.CONFLICT)$/) }),
    });
    expect(await successorsOf(db, c.id)).toHaveLength(1);
  });

  it.each([
    ["the same period", "FY2026-Q3", "2026-09-20"],
    ["an earlier period", "FY2026-Q2", "2026-06-15"],
    ["a year that started earlier", "FY2026", "2026-12-15"],
    ["no real period", "FY2026-Q5", "2026-12-15"],
  ])("refuses to carry into %s", async (_what, periodLabel, dueDate) => {
    const { db } = await testDatabase();
    const { editor, c } = await missedOne(db);
    const before = await snapshot(db);

    const result = await carryForward(db, editor, c.id, { ...next, periodLabel, dueDate }, c.version, DURING);

    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "VALIDATION", field: "periodLabel" }) });
    expect(await snapshot(db)).toEqual(before);
  });

  it("carrying attempt 2 after it is missed again makes attempt 3", async () => {
    const { db } = await testDatabase();
    const { editor, c } = await missedOne(db);
    const second = mustOk(await carryForward(db, editor, c.id, next, c.version, DURING));
    const january = new Date("2027-01-05T09:00:00.000Z");
    const secondMissed = mustOk(await recordOutcome(db, editor, second.id, missed({ resolvedAt: "2026-12-20" }), second.version, null, january));

    const third = await carryForward(
      db,
      editor,
      second.id,
      { periodLabel: "FY2027-Q1", dueDate: "2027-03-15", statement: "Serve checkout p95 under 300 ms in all EU regions" },
      secondMissed.version,
      january,
    );

    expect(third).toEqual({
      ok: true,
      value: expect.objectContaining({ attempt: 3, predecessorId: second.id, periodLabel: "FY2027-Q1", fiscalYear: 2027, status: "open" }),
    });
    expect((await successorsOf(db, second.id)).map((s) => s.attempt)).toEqual([3]);
    expect((await successorsOf(db, c.id)).map((s) => s.attempt)).toEqual([2]);
  });
});
