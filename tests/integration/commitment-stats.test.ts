// commitment_stats (ADR 0032) is what the retrospective, the team page and the dashboard's year
// count: one row per commitment with its period of record, scope, outcome and forecast of record,
// kept by triggers. It must equal a recomputation from the record after every kind of change, or
// a figure would drift from what the domain computes. The recomputation here uses the app's own
// definitions (recordPeriodLabel, forecastOfRecordJoin), not the trigger's SQL.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import type { FieldChange } from "~/domain/commitment";
import { LETTER_CREATION_FIELDS, LETTER_REVISION_KINDS, revisionsAsLetterReads, type LetterRevision } from "~/domain/letter";
import type { Result } from "~/domain/result";
import type { Audience } from "~/domain/types";
import { getCommitment } from "~/models/commitment.server";
import { recordPeriodLabel } from "~/models/record-period.server";
import { rowsOf } from "~/models/rows.server";
import { forecastOfRecordJoin } from "~/models/statistics.server";
import { addCheckIn, carryForward, recordOutcome, updateCommitment, type CheckInInput, type OutcomeInput } from "~/services/commitments.server";
import { generateLetterDraft, publishLetter } from "~/services/letters.server";
import { checkRecordIntegrity } from "~/services/record-log.server";
import { fieldsOf } from "~/services/commitments.server";
import { makeCommitmentInput } from "../factories";
import { testDatabase } from "../setup/db";
import { world as makeWorld } from "../support/world";

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

const T0 = new Date("2026-06-01T09:00:00.000Z"); // before FY2026-Q3 starts: nothing of Q3 is locked
const DURING = new Date("2026-08-10T09:00:00.000Z"); // FY2026-Q3 has started
const LATER = new Date("2026-10-05T09:00:00.000Z");
const PUBLISH = new Date("2027-01-20T10:00:00.000Z");
const REASON = "The storage migration had to come first, so this moved behind it.";

function mustOk<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

interface StatRow {
  id: string;
  record_label: string;
  team_id: string;
  audience: string;
  status: string;
  due_date: string;
  resolved_at: string | null;
  reason_category: string | null;
  control: string | null;
  forecast: string | null;
  probability: number | null;
  recorded_at: string | null;
  letter_revisions: boolean;
}

const columns = sql`record_label, team_id::text, audience, status, due_date::text, resolved_at::text, reason_category, control, forecast, probability, recorded_at::text`;

async function kept(db: Database): Promise<StatRow[]> {
  return rowsOf<StatRow>(await db.execute(sql`select commitment_id::text as id, ${columns}, letter_revisions from commitment_stats order by commitment_id`));
}

/**
 * Whether a letter reads any of each commitment's revisions, by the domain's rule
 * (revisionsAsLetterReads on its letter revisions and current values), not the trigger's SQL.
 */
async function readByLetters(db: Database): Promise<Map<string, boolean>> {
  const current = rowsOf<{ id: string; statement: string; dueDate: string; audience: Audience }>(
    await db.execute(sql`select id::text as id, statement, due_date::text as "dueDate", audience from commitments`),
  );
  const revisions = rowsOf<{ commitmentId: string; kind: string; changes: FieldChange[] }>(
    await db.execute(sql`
      select commitment_id::text as "commitmentId", kind, changes from commitment_revisions
      where kind in (${sql.join(LETTER_REVISION_KINDS.map((k) => sql`${k}`), sql`, `)}) order by id`),
  );
  const by = new Map<string, LetterRevision[]>();
  for (const r of revisions) {
    const list = by.get(r.commitmentId) ?? [];
    list.push({ kind: r.kind as LetterRevision["kind"], at: "2026-01-01T00:00:00.000Z", actorName: null, reason: null, changes: r.changes });
    by.set(r.commitmentId, list);
  }
  return new Map(current.map((c) => [c.id, revisionsAsLetterReads(by.get(c.id) ?? [], c).length > 0]));
}

async function recomputed(db: Database): Promise<StatRow[]> {
  const read = await readByLetters(db);
  return rowsOf<Omit<StatRow, "letter_revisions">>(
    await db.execute(sql`
      select id::text as id, ${columns} from (
        select c.id, ${recordPeriodLabel("c")} as record_label, c.team_id, c.audience, c.status, c.due_date,
               o.resolved_at, o.reason_category, o.control, r.forecast, r.probability, o.recorded_at
        from commitments c
        left join outcomes o on o.commitment_id = c.id
        ${forecastOfRecordJoin}
      ) x order by id`),
  ).map((r) => ({ ...r, letter_revisions: read.get(r.id) ?? false }));
}

/** The kept rows equal the recomputation, row for row; returns them keyed by commitment. */
async function expectInStep(db: Database, step: string): Promise<Map<string, StatRow>> {
  const rows = await kept(db);
  expect(rows, step).toEqual(await recomputed(db));
  // The integrity check recomputes every row from the record on its own (statsRowOf), and finds them in step too.
  expect((await checkRecordIntegrity(db, new Date())).problem, step).toBeNull();
  return new Map(rows.map((r) => [r.id, r]));
}

/** The database's own message for a refused statement (drizzle wraps it), or "accepted". */
async function refusal(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
    return "accepted";
  } catch (error) {
    const e = error as { message: string; cause?: { message?: string } };
    return e.cause?.message ?? e.message;
  }
}

const checkIn = (date: string, forecast: CheckInInput["forecast"], probability: number): CheckInInput => ({ date, forecast, probability, progressValue: null, note: null });

const MISSED: OutcomeInput = {
  status: "missed",
  resolvedAt: "2026-09-20",
  actualValue: null,
  evidenceUrl: null,
  partialDescription: null,
  reasonCategory: "underestimated_scope",
  control: "ours",
  explanation: "The index rebuild took three times the estimate.",
  lesson: "Estimate rebuilds from a dry run, not from the last one.",
};

async function version(db: Database, id: string): Promise<number> {
  return (await getCommitment(db, id))!.version;
}

async function world(db: Database) {
  return makeWorld(db, {
    organisation: { name: "Acme Cloud", fiscalYearStartMonth: 1, timeZone: "UTC" },
    teams: { search: { slug: "search", name: "Search" }, billing: { slug: "billing", name: "Billing" } },
    people: {
      admin: { role: "admin", name: "Ada Admin", teams: { search: "editor", billing: "editor" } },
      editor: { role: "member", name: "Eve Editor", teams: { search: "editor", billing: "editor" } },
    },
  });
}

describe("commitment_stats", () => {
  it("equals a recomputation from the record after every kind of change", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const { search, billing } = w.teams;
    const { editor, admin } = w.actors;

    // Create.
    const a = await w.commit(editor, search, { periodLabel: "FY2026-Q3", dueDate: "2026-09-15", audience: "public" }, T0);
    const b = await w.commit(editor, search, { periodLabel: "FY2026-Q3", dueDate: "2026-09-25", audience: "internal" }, T0);
    const c = await w.commit(editor, billing, { periodLabel: "FY2026-Q4", dueDate: "2026-12-10" }, T0);
    const d = await w.commit(editor, search, { periodLabel: "FY2026-Q3", dueDate: "2026-09-28" }, T0);
    const e = await w.commit(editor, search, { periodLabel: "FY2026-Q4", dueDate: "2026-11-30", audience: "internal" }, T0);
    let rows = await expectInStep(db, "created");
    expect(rows.size).toBe(5);
    expect(rows.get(a.id)).toMatchObject({ record_label: "FY2026-Q3", status: "open", forecast: null, letter_revisions: false });

    // Edit before the period starts (not a re-scope): team, audience and due date.
    mustOk(await updateCommitment(db, editor, e.id, makeCommitmentInput(billing.id, { ...fieldsOf((await getCommitment(db, e.id))!), teamId: billing.id, audience: "public", dueDate: "2026-12-01" }), await version(db, e.id), null, T0));
    rows = await expectInStep(db, "edited");
    expect(rows.get(e.id)).toMatchObject({ team_id: billing.id, audience: "public", due_date: "2026-12-01", letter_revisions: true });

    // Check-ins: two on one day (the later written counts), one after the due date (never counts).
    mustOk(await addCheckIn(db, editor, a.id, checkIn("2026-08-01", "on_track", 80), DURING));
    mustOk(await addCheckIn(db, editor, a.id, checkIn("2026-08-01", "at_risk", 40), new Date(DURING.getTime() + 60_000)));
    mustOk(await addCheckIn(db, editor, b.id, checkIn("2026-08-05", "on_track", 90), DURING));
    rows = await expectInStep(db, "checked in");
    expect(rows.get(a.id)?.forecast, "no forecast of record while open").toBeNull();

    // An outcome: the forecast of record is now the last check-in on or before the due date.
    mustOk(await recordOutcome(db, editor, a.id, MISSED, await version(db, a.id), null, LATER));
    mustOk(await addCheckIn(db, editor, b.id, checkIn("2026-09-30", "off_track", 10), LATER));
    rows = await expectInStep(db, "outcome");
    expect(rows.get(a.id)).toMatchObject({ status: "missed", resolved_at: "2026-09-20", reason_category: "underestimated_scope", control: "ours", forecast: "at_risk", probability: 40 });

    // A re-scope of a locked commitment's due date, then its outcome resolved before the later check-in.
    const bNow = (await getCommitment(db, b.id))!;
    mustOk(await updateCommitment(db, editor, b.id, makeCommitmentInput(search.id, { ...fieldsOf(bNow), dueDate: "2026-09-29" }), bNow.version, REASON, LATER));
    mustOk(
      await recordOutcome(
        db,
        editor,
        b.id,
        { ...MISSED, status: "delivered", resolvedAt: "2026-09-26", evidenceUrl: "https://grafana.example.com/d/search", reasonCategory: null, control: null, explanation: null, lesson: null },
        await version(db, b.id),
        null,
        LATER,
      ),
    );
    rows = await expectInStep(db, "re-scoped and delivered");
    expect(rows.get(b.id)).toMatchObject({ status: "delivered", due_date: "2026-09-29", forecast: "on_track", probability: 90 });

    // An outcome changed: missed → partial, a day later, another category and control.
    mustOk(
      await recordOutcome(
        db,
        admin,
        a.id,
        { ...MISSED, status: "partial", partialDescription: "Four of five regions.", reasonCategory: "dependency_blocker", control: "external", resolvedAt: "2026-09-21" },
        await version(db, a.id),
        "Four regions did reach the target.",
        LATER,
      ),
    );
    rows = await expectInStep(db, "outcome changed");
    expect(rows.get(a.id)).toMatchObject({ status: "partial", reason_category: "dependency_blocker", control: "external", resolved_at: "2026-09-21" });

    // Withdrawn.
    mustOk(await recordOutcome(db, editor, c.id, { ...MISSED, status: "withdrawn", resolvedAt: "2026-10-01", reasonCategory: "deprioritised" }, await version(db, c.id), null, LATER));
    rows = await expectInStep(db, "withdrawn");
    expect(rows.get(c.id)).toMatchObject({ status: "withdrawn", reason_category: "deprioritised" });

    // Moved to another year twice: it stays in the period it was locked in.
    for (const [periodLabel, dueDate] of [
      ["FY2027-Q1", "2027-03-15"],
      ["FY2027-Q2", "2027-06-15"],
    ] as const) {
      const current = (await getCommitment(db, d.id))!;
      mustOk(await updateCommitment(db, editor, d.id, makeCommitmentInput(search.id, { ...fieldsOf(current), periodLabel, dueDate }), current.version, REASON, DURING));
    }
    rows = await expectInStep(db, "moved");
    expect(rows.get(d.id)).toMatchObject({ record_label: "FY2026-Q3", due_date: "2027-06-15" });
    expect((await getCommitment(db, d.id))!.periodLabel).toBe("FY2027-Q2");

    // Carried forward: the successor is a commitment of its own period.
    const successor = mustOk(await carryForward(db, editor, a.id, { periodLabel: "FY2026-Q4", dueDate: "2026-12-15", statement: "Move checkout for every EU customer to the Frankfurt region by the end of the quarter" }, await version(db, a.id), LATER));
    rows = await expectInStep(db, "carried forward");
    expect(rows.get(successor.id)).toMatchObject({ record_label: "FY2026-Q4", status: "open" });

    // Locked by a published letter: nothing counted changes, and the rows stay in step.
    const draft = mustOk(await generateLetterDraft(db, admin, { fiscalYear: 2026, audience: "public" }, PUBLISH));
    mustOk(await publishLetter(db, admin, draft.id, draft.version, PUBLISH));
    expect(rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from commitment_locks`))[0]!.n).toBeGreaterThan(0);
    await expectInStep(db, "locked");
  });

  it("stays in step through a random sequence of check-ins, outcomes and due-date changes", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const { editor } = w.actors;
    // A small deterministic generator: the same sequence every run, many orders of events.
    let seed = 20261129;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const forecasts = ["on_track", "at_risk", "off_track", "stalled"] as const;
    const day = (offset: number) => new Date(Date.UTC(2026, 0, 5 + offset)).toISOString().slice(0, 10);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await w.commit(editor, w.teams.search, { periodLabel: "FY2026", dueDate: day(150 + next(60)) }, new Date("2025-12-20T09:00:00Z"))).id);
    const now = new Date("2026-12-30T09:00:00Z");
    // Check-ins before any due date first, so outcomes have forecasts of record to pick among.
    for (const id of ids) {
      for (let i = 0; i < 2; i++) mustOk(await addCheckIn(db, editor, id, checkIn(day(next(140)), forecasts[next(4)]!, next(101)), new Date(now.getTime() - (10 - i) * 1000)));
    }
    for (let step = 0; step < 24; step++) {
      const id = ids[next(ids.length)]!;
      const current = (await getCommitment(db, id))!;
      const kind = next(3);
      if (current.status === "open" && kind === 0) {
        mustOk(await addCheckIn(db, editor, id, checkIn(day(next(300)), forecasts[next(4)]!, next(101)), new Date(now.getTime() + step * 1000)));
      } else if (kind === 1) {
        const status = (["delivered", "missed", "partial"] as const)[next(3)]!;
        const input: OutcomeInput =
          status === "delivered"
            ? { ...MISSED, status, resolvedAt: day(100 + next(200)), evidenceUrl: "https://example.com/evidence", reasonCategory: null, control: null, explanation: null, lesson: null }
            : { ...MISSED, status, resolvedAt: day(100 + next(200)), partialDescription: status === "partial" ? "Half of it." : null };
        mustOk(await recordOutcome(db, editor, id, input, current.version, current.status === "open" ? null : "Corrected from the evidence.", now));
      } else if (current.status === "open") {
        mustOk(await updateCommitment(db, editor, id, makeCommitmentInput(w.teams.search.id, { ...fieldsOf(current), dueDate: day(120 + next(120)) }), current.version, REASON, now));
      }
      await expectInStep(db, `step ${step}`);
    }
    const rows = await kept(db);
    expect(rows.some((r) => r.forecast !== null), "some forecast of record was exercised").toBe(true);
  });

  it("flags exactly the commitments whose revisions a letter reads, through random edits, re-scopes and a publication", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const { editor, admin } = w.actors;
    let seed = 20261130;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const statements = [
      "Move checkout for every EU customer to the Frankfurt region by the end of the quarter",
      "Move checkout for every EU customer to the Dublin region by the end of the quarter",
      "Move search for every EU customer to the Frankfurt region by the end of the quarter",
    ];
    const dueDates = ["2026-09-15", "2026-09-20", "2026-09-30"];
    const audiences = ["public", "internal"] as const;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await w.commit(editor, w.teams.search, { periodLabel: "FY2026-Q3", statement: statements[0], dueDate: dueDates[0], audience: audiences[i % 2] }, T0)).id);
    }
    // The flag's SQL (kept_refresh_commitment_stats, the letter revisions' trigger and the
    // commitments' update trigger, migration commitment_stats_letter_revisions) names these fields
    // and their columns: a field added here needs a migration that names it there too.
    expect(LETTER_CREATION_FIELDS).toEqual(["statement", "dueDate", "audience"]);
    let rows = await expectInStep(db, "created");
    expect([...rows.values()].every((r) => !r.letter_revisions), "a lone creation restated by the current values").toBe(true);
    // An edit of the words alone (no letter revision is written) flags it; editing them back clears it.
    for (const [statement, flag] of [
      [statements[1]!, true],
      [statements[0]!, false],
    ] as const) {
      const current = (await getCommitment(db, ids[0]!))!;
      mustOk(await updateCommitment(db, editor, ids[0]!, makeCommitmentInput(w.teams.search.id, { ...fieldsOf(current), statement }), current.version, null, T0));
      rows = await expectInStep(db, `statement ${flag ? "edited" : "restored"}`);
      expect(rows.get(ids[0]!)?.letter_revisions).toBe(flag);
    }
    const edit = async (step: number, now: Date) => {
      const id = ids[next(ids.length)]!;
      const current = (await getCommitment(db, id))!;
      // One field at a time, often back to the value it was created with.
      const change = next(3);
      const fields = {
        ...fieldsOf(current),
        ...(change === 0 ? { statement: statements[next(statements.length)]! } : change === 1 ? { dueDate: dueDates[next(dueDates.length)]! } : { audience: audiences[next(2)]! }),
      };
      mustOk(await updateCommitment(db, editor, id, makeCommitmentInput(w.teams.search.id, fields), current.version, REASON, now));
      await expectInStep(db, `step ${step}`);
    };
    // Edits before the period starts, then re-scopes once the period has started (locked).
    for (let step = 0; step < 14; step++) await edit(step, T0);
    for (let step = 14; step < 24; step++) await edit(step, DURING);
    const flagged = [...(await kept(db))].filter((r) => r.letter_revisions).length;
    expect(flagged, "some commitments flagged, some not").toBeGreaterThan(0);
    expect(flagged).toBeLessThan(ids.length);
    // A publication's lock revisions flag nothing, and the rows stay in step.
    const draft = mustOk(await generateLetterDraft(db, admin, { fiscalYear: 2026, audience: "internal" }, PUBLISH));
    mustOk(await publishLetter(db, admin, draft.id, draft.version, PUBLISH));
    await expectInStep(db, "published");
  });

  it.skipIf(!onPostgres)("is read-only to the runtime role, which still keeps it by writing the record", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const c = await w.commit(w.actors.editor, w.teams.search, { periodLabel: "FY2026-Q3", dueDate: "2026-09-15" }, T0);
    for (const statement of [
      sql`update commitment_stats set status = 'delivered'`,
      sql`delete from commitment_stats`,
      sql`insert into commitment_stats (commitment_id, record_label, team_id, audience, status, due_date) values (gen_random_uuid(), 'FY2026', ${w.teams.search.id}::uuid, 'public', 'delivered', '2026-01-01')`,
    ]) {
      expect(await refusal(db.execute(statement))).toMatch(/permission denied/);
    }
    mustOk(await addCheckIn(db, w.actors.editor, c.id, checkIn("2026-08-01", "on_track", 70), DURING));
    await expectInStep(db, "as the runtime role");
  });
});
