// A summarised year's draft is counted in the database (ADR 0059): generateLetterDraft counts the
// year's plain commitments in commitment_stats, reads whole only the few that can come first in an
// order the letter reads, and the commitments with letter revisions. The checked draft
// (generateCheckedLetterDraft) is composed from the whole year as publication reads it. On random
// years above the limit, made through the services, the two must be the same bytes, for either
// audience, on PGlite and on PostgreSQL (TEST_DATABASE_URL).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isSummarisedYear } from "~/domain/letter";
import { REASON_CATEGORIES, type Audience } from "~/domain/types";
import { addCheckIn, recordOutcome, updateCommitment, type OutcomeInput } from "~/services/commitments.server";
import { generateCheckedLetterDraft, generateLetterDraft } from "~/services/letters.server";
import type { Result } from "~/domain/result";
import { makeCommitment, makeCommitmentInput } from "../factories";
import { resetDatabase, testDatabase } from "../setup/db";
import { world } from "../support/world";
import { statementsDuring } from "../support/statements";

const T0 = new Date("2026-06-01T09:00:00.000Z"); // made before the periods start
const LATE_EVENING = new Date("2026-06-02T23:30:00.000Z"); // another day, close to midnight
const DURING = new Date("2026-08-10T09:00:00.000Z"); // FY2026-Q3 locked: a change is a re-scope
const RESOLVED = new Date("2026-10-05T09:00:00.000Z");
const DRAFTED = new Date("2026-11-15T09:00:00.000Z");

function mustOk<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

// Team names that collate apart from their bytes; duplicate words; ties of day and due date.
const TEAMS = ["Alpha", "alpha", "Äpfel", "Apfel", "Beta"] as const;
const WHERE = "for every EU customer to the Frankfurt region by the end of the quarter";
const WORDS = [`Move invoices ${WHERE}`, `move invoices ${WHERE}`, `Äpfel: move search ${WHERE}`];

const spec = fc.record({
  team: fc.integer({ min: 0, max: TEAMS.length - 1 }),
  words: fc.integer({ min: 0, max: WORDS.length - 1 }),
  audience: fc.constantFrom<Audience>("public", "public", "public", "internal"),
  late: fc.boolean(),
  // Enough days that the 25th of an order often starts a key of its own (a cut there shows).
  due: fc.constantFrom("2026-09-05", "2026-09-12", "2026-09-15", "2026-09-20", "2026-09-25", "2026-09-30"),
  /** Edited before the period was locked: its words, or made internal (its creation was public). */
  edit: fc.constantFrom("none", "none", "none", "words", "internal"),
  /** Re-scoped after the period started: the due date, the audience, or moved out of the year. */
  rescope: fc.constantFrom("none", "none", "none", "none", "due", "audience", "moved"),
  checkIn: fc.option(fc.record({ forecast: fc.constantFrom("on_track" as const, "on_track" as const, "at_risk" as const), probability: fc.constantFrom(0, 40, 80) }), { nil: null, freq: 4 }),
  // More shortfalls and surprises than a letter sets out.
  outcome: fc.constantFrom("none", "delivered", "delivered", "partial", "partial", "missed", "missed", "withdrawn"),
  /** Resolved before its due date, on it, or after it. */
  resolved: fc.constantFrom("early", "on the day", "late"),
  reason: fc.option(fc.constantFrom(...REASON_CATEGORIES.slice(0, 3)), { nil: null }),
  actual: fc.constantFrom(250, 300, 320),
});

function outcomeOf(s: typeof spec extends fc.Arbitrary<infer T> ? T : never, dueDate: string): OutcomeInput {
  const status = s.outcome as OutcomeInput["status"];
  return {
    status,
    resolvedAt: s.resolved === "early" ? "2026-09-01" : s.resolved === "late" ? "2026-10-01" : dueDate,
    actualValue: s.actual,
    evidenceUrl: status === "delivered" ? "https://example.com/evidence" : null,
    partialDescription: status === "partial" ? "The EU half." : null,
    reasonCategory: status === "delivered" ? null : (s.reason ?? "underestimated_scope"),
    control: status === "delivered" ? null : "ours",
    explanation: status === "delivered" ? null : "It took longer than we said.",
    lesson: status === "delivered" ? null : "Measure first.",
  };
}

describe("a summarised draft counted in the database", () => {
  it("is the draft composed from the whole year, for either audience", { timeout: 900_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(spec, { minLength: 150, maxLength: 175 }), async (specs) => {
        const handle = await testDatabase();
        await resetDatabase(handle);
        const { db } = handle;
        const w = await world(db, {
          organisation: { name: "Acme Cloud", fiscalYearStartMonth: 1, timeZone: "UTC" },
          teams: Object.fromEntries(TEAMS.map((name, i) => [`t${i}`, { slug: `team-${i}`, name }])) as Record<`t${number}`, { slug: string; name: string }>,
          people: { admin: { role: "admin" }, editor: { role: "admin", name: "Eve Editor" } },
        });
        const teamIds = TEAMS.map((_, i) => w.teams[`t${i}`]!.id);
        const editor = w.actors.editor;
        for (const s of specs) {
          const fields: { statement: string; audience: Audience; dueDate: string; metricTarget: number; periodLabel: string } = { statement: WORDS[s.words]!, audience: s.audience, dueDate: s.due, metricTarget: 300, periodLabel: "FY2026-Q3" };
          const made = await makeCommitment(db, editor, teamIds[s.team]!, fields, s.late ? LATE_EVENING : T0);
          let version = 1;
          let now = fields;
          if (s.edit === "words" || (s.edit === "internal" && s.audience === "public")) {
            now = s.edit === "words" ? { ...fields, statement: `${fields.statement}, edited` } : { ...fields, audience: "internal" };
            mustOk(await updateCommitment(db, editor, made.id, makeCommitmentInput(teamIds[s.team]!, now), version, null, T0));
            version += 1;
          }
          if (s.rescope !== "none") {
            const change =
              s.rescope === "due"
                ? { ...now, dueDate: now.dueDate === "2026-09-30" ? "2026-09-28" : "2026-09-30" }
                : s.rescope === "audience"
                  ? { ...now, audience: now.audience === "public" ? ("internal" as const) : ("public" as const) }
                  : { ...now, periodLabel: "FY2027-Q1", dueDate: "2027-02-15" };
            mustOk(await updateCommitment(db, editor, made.id, makeCommitmentInput(teamIds[s.team]!, change), version, "Our customers asked for it.", DURING));
            version += 1;
            now = change;
          }
          if (s.checkIn) mustOk(await addCheckIn(db, editor, made.id, { date: "2026-08-10", ...s.checkIn, progressValue: 350, note: "" }, DURING));
          if (s.outcome !== "none" && s.rescope !== "moved") mustOk(await recordOutcome(db, editor, made.id, outcomeOf(s, now.dueDate), version, null, RESOLVED));
        }
        for (const audience of ["public", "internal"] as const) {
          const { result, statements } = await statementsDuring(db, () => generateLetterDraft(db, w.actors.admin, { fiscalYear: 2026, audience }, DRAFTED));
          const draft = mustOk(result);
          const whole = mustOk(await generateCheckedLetterDraft(db, w.actors.admin, { fiscalYear: 2026, audience }, DRAFTED)).letter.body;
          expect(draft.body).toBe(whole);
          // Counted, when summarised: no statement reads the year's rows (narrowCommitmentsOfYear).
          const counted = statements.some((q) => /'team' as kind/.test(q));
          expect(counted).toBe(whole.includes("this letter counts them by team"));
          if (counted) expect(statements.filter((q) => /c\.id in \(select s\.commitment_id from commitment_stats s/.test(q))).toEqual([]);
        }
        // The years drawn are summarised for the internal letter at least.
        expect(isSummarisedYear(specs.length)).toBe(true);
      }),
      // A failure prints the seed and path to replay, not a counterexample of 150 commitments.
      { numRuns: Number(process.env.LETTER_COUNTED_RUNS ?? 3), endOnFailure: true, reporter: (details) => {
        if (details.failed) throw new Error(`seed ${details.seed}, path ${details.counterexamplePath}: ${String(details.errorInstance)}`);
      } },
    );
  });
});
