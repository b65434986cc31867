// The annual letter: only admins generate, edit, publish and correct; a draft is composed from
// the record; publishing is refused while the body hides a shortfall or next year's public
// commitments are not falsifiable enough; a published letter is frozen (by the service and by
// the database) with its ledger appendix and SHA-256, locks what it covers, and is corrected
// only by append-only errata; the public site reads what is published.
import { createHash } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { checkIns, commitmentRevisions, commitments, letterErrata, letters, outcomes, teams, users } from "../../db/schema";
import { measureOf } from "~/domain/commitment";
import { checkInsAsLetterReads, composeLetter, escapeMarkdown, inScope, isSummarisedYear, LETTER_CREATION_FIELDS, LETTER_REVISION_KINDS, revisionsAsLetterReads, withChart, type LetterCommitment, type LetterInput } from "~/domain/letter";
import { changedAfterLetterText, ledgerAppendixMarkdown, publishedMarkdown, type LedgerEntry } from "~/domain/letter-publish";
import { checkpointSection, parseCheckpointSection, withCheckpoint } from "~/domain/record-log";
import type { Audience } from "~/domain/types";
import { getCommitment, listRevisions } from "~/models/commitment.server";
import { commitmentsOfYear, frozenLedgerStatuses, frozenStatusesOf, getLetter, isoInstantFromUtcText, publicLedgerPage, revisionsOfYear } from "~/models/letter.server";
import { updateOrganisation } from "~/models/organisation.server";
import { rowsOf } from "~/models/rows.server";
import { appendixRendersAsTable } from "~/utils/letter-reading.server";
import { loadCommitmentPage } from "~/pages/commitment-page.server";
import { addCheckIn, carryForward, recordOutcome, updateCommitment, type OutcomeInput } from "~/services/commitments.server";
import {
  appendErratum,
  checkLetterDraft,
  discardLetterDraft,
  feedFor,
  generateCheckedLetterDraft,
  generateLetterDraft,
  lettersFor,
  publicLedger,
  minimumInForceForYear,
  publishLetter,
  publishedEtag,
  publishedLetterFor,
  saveLetterDraft,
  sha256Hex,
} from "~/services/letters.server";
import type { Result } from "~/domain/result";
import { makeCommitment, makeCommitmentInput } from "../factories";
import { superuserDatabase, testDatabase } from "../setup/db";
import { world as makeWorld } from "../support/world";
import { refusal } from "../support/refusal";
import { statementsDuring } from "../support/statements";

// Fiscal year from January, UTC: FY2026-Q3 is 2026-07-01..2026-09-30, FY2027-Q1 starts 2027-01-01.
const T0 = new Date("2026-06-01T09:00:00.000Z"); // commitments made, before their periods start
const DURING = new Date("2026-08-10T09:00:00.000Z"); // inside FY2026-Q3: FY2026-Q3 is locked by its period
const RESOLVED = new Date("2026-10-05T09:00:00.000Z");
const DRAFTED = new Date("2026-11-15T09:00:00.000Z");
const PUBLISH = new Date("2026-11-20T10:00:00.000Z"); // FY2027 has not started: next year is unlocked by period
const LATER = new Date("2026-11-25T10:00:00.000Z");
const NEXT_YEAR = new Date("2027-02-01T10:00:00.000Z"); // FY2027 under way: its letter can be drafted

function mustOk<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message} ${JSON.stringify(result.error.problems ?? "")}`);
  return result.value;
}

function mustFail<T>(result: Result<T>) {
  if (result.ok) throw new Error("expected a refusal, got ok");
  return result.error;
}

/** Awaits something the database must refuse and returns the whole error chain's text. */

const STATEMENT = {
  delivered: "Move checkout for every EU customer to the Frankfurt region by the end of the quarter",
  missed: "Serve search p95 under 200 ms for every EU customer",
  successor: "Serve search p95 under 200 ms in all five EU regions",
  original: "Publish the EU data residency whitepaper on our website",
  rescoped: "Publish the EU and UK data residency whitepaper on our website",
  internal: "Rotate production database credentials every 30 days",
  nextPublic: "Serve checkout p95 under 250 ms for every EU customer",
  nextInternal: "Move the ledger service to the new cluster by 31 March 2027",
};

function delivered(resolvedAt: string, actualValue: number | null = 280): OutcomeInput {
  return {
    status: "delivered",
    resolvedAt,
    actualValue,
    evidenceUrl: "https://grafana.example.com/d/checkout-slo",
    partialDescription: null,
    reasonCategory: null,
    control: null,
    explanation: null,
    lesson: null,
  };
}

function shortfall(status: "partial" | "missed" | "withdrawn", resolvedAt: string, actualValue: number | null = null): OutcomeInput {
  return {
    status,
    resolvedAt,
    actualValue,
    evidenceUrl: null,
    partialDescription: status === "partial" ? "Published on the website; the UK edition is still in legal review." : null,
    reasonCategory: "underestimated_scope",
    control: "ours",
    explanation: "The payment provider round trip alone costs 250 ms.",
    lesson: "Measure third-party latency before promising an end-to-end number.",
  };
}

/**
 * A year of record: FY2026 with a delivered, a missed (carried forward), a re-scoped partial and
 * an internal miss; FY2027 with a public and an internal commitment.
 */
async function world(db: Database) {
  const w = await makeWorld(db, {
    organisation: { name: "Acme Cloud", fiscalYearStartMonth: 1, timeZone: "UTC" },
    teams: { checkout: { slug: "checkout", name: "Checkout" }, payments: { slug: "payments", name: "Payments" } },
    people: {
      admin: { role: "admin", name: "Ada Admin" },
      editor: { role: "member", name: "Eve Editor", teams: { checkout: "editor", payments: "editor" } },
      member: { role: "member", name: "Max Member" },
      viewer: { role: "viewer", name: "Vic Viewer", teams: { checkout: "viewer" } },
    },
  });
  await updateOrganisation(db, { signatoryName: "Amara Okafor", signatoryTitle: "Chief Technology Officer" }, T0);
  const { checkout, payments } = w.teams;
  const { admin: adminUser, editor: editorUser } = w.people;
  const editor = w.actors.editor;

  const c = {
    delivered: await makeCommitment(db, editor, checkout.id, { statement: STATEMENT.delivered }, T0),
    missed: await makeCommitment(
      db,
      editor,
      checkout.id,
      { statement: STATEMENT.missed, metricName: "p95 search latency", metricBaseline: 600, metricTarget: 200, ownerId: editorUser.id },
      T0,
    ),
    rescoped: await makeCommitment(
      db,
      editor,
      payments.id,
      {
        statement: STATEMENT.original,
        measureKind: "deliverable",
        metricName: null,
        metricBaseline: null,
        metricComparator: undefined,
        metricTarget: null,
        metricUnit: null,
        deliverableEvent: "whitepaper live at /trust/residency",
        evidenceSource: "The trust centre page",
        dueDate: "2026-09-30",
      },
      T0,
    ),
    internal: await makeCommitment(db, editor, payments.id, { statement: STATEMENT.internal, audience: "internal", dueDate: "2026-09-30" }, T0),
    nextPublic: await makeCommitment(
      db,
      editor,
      checkout.id,
      { statement: STATEMENT.nextPublic, metricBaseline: 300, metricTarget: 250, periodLabel: "FY2027-Q1", dueDate: "2027-03-15" },
      T0,
    ),
    nextInternal: await makeCommitment(
      db,
      editor,
      payments.id,
      {
        statement: STATEMENT.nextInternal,
        audience: "internal",
        measureKind: "deliverable",
        metricName: null,
        metricBaseline: null,
        metricComparator: undefined,
        metricTarget: null,
        metricUnit: null,
        deliverableEvent: "ledger service serving from the new cluster",
        periodLabel: "FY2027-Q1",
        dueDate: "2027-03-15",
      },
      T0,
    ),
  };

  // The period has started, so changing the statement is a re-scope with a reason.
  const rescope = await updateCommitment(
    db,
    editor,
    c.rescoped.id,
    makeCommitmentInput(payments.id, {
      statement: STATEMENT.rescoped,
      measureKind: "deliverable",
      metricName: null,
      metricBaseline: null,
      metricComparator: undefined,
      metricTarget: null,
      metricUnit: null,
      deliverableEvent: "whitepaper live at /trust/residency",
      evidenceSource: "The trust centre page",
      dueDate: "2026-09-30",
    }),
    1,
    "Our UK customers asked for the same document.",
    DURING,
  );
  expect(mustOk(rescope).rescope).toBe(true);
  mustOk(await addCheckIn(db, editor, c.missed.id, { date: "2026-08-10", forecast: "at_risk", probability: 40, progressValue: 350, note: "" }, DURING));

  mustOk(await recordOutcome(db, editor, c.delivered.id, delivered("2026-09-10"), 1, null, RESOLVED));
  const missed = mustOk(await recordOutcome(db, editor, c.missed.id, shortfall("missed", "2026-09-30", 320), 1, null, RESOLVED));
  mustOk(await recordOutcome(db, editor, c.rescoped.id, shortfall("partial", "2026-09-30"), 2, null, RESOLVED));
  mustOk(await recordOutcome(db, editor, c.internal.id, shortfall("missed", "2026-09-30", 0), 1, null, RESOLVED));
  const successor = mustOk(
    await carryForward(db, editor, c.missed.id, { periodLabel: "FY2026-Q4", dueDate: "2026-12-15", statement: STATEMENT.successor }, missed.version, RESOLVED),
  );

  return {
    checkout,
    payments,
    admin: w.actors.admin,
    adminUser,
    editor,
    member: w.actors.member,
    viewer: w.actors.viewer,
    c: { ...c, successor },
  };
}

type World = Awaited<ReturnType<typeof world>>;

/**
 * The generator's input for a year, gathered here straight from the tables so the draft can be
 * compared with composeLetter's output (no earlier years, previous letters or older chains).
 */
async function expectedLetterInput(db: Database, fiscalYear: number, audience: Audience): Promise<LetterInput> {
  const all = await db.select().from(commitments).orderBy(asc(commitments.id));
  const teamName = new Map((await db.select().from(teams)).map((t) => [t.id, t.name]));
  const userName = new Map((await db.select({ id: users.id, name: users.name }).from(users)).map((u) => [u.id, u.name]));
  const outcomeOf = new Map((await db.select().from(outcomes)).map((o) => [o.commitmentId, o]));
  const checkInRows = await db.select().from(checkIns).orderBy(asc(checkIns.date), asc(checkIns.createdAt), asc(checkIns.id));
  const revisionRows = await db.select().from(commitmentRevisions).orderBy(asc(commitmentRevisions.id));
  const byId = new Map(all.map((r) => [r.id, r]));
  const org = (await db.execute(sql`select name, signatory_name, signatory_title from organisation`)) as unknown;
  const [o] = rowsOf<{ name: string; signatory_name: string | null; signatory_title: string | null }>(org);

  const year: LetterCommitment[] = all
    .filter((r) => r.fiscalYear === fiscalYear)
    .map((r) => {
      const pred = r.predecessorId ? byId.get(r.predecessorId) : undefined;
      const succ = all.find((s) => s.predecessorId === r.id);
      const out = outcomeOf.get(r.id);
      return {
        id: r.id,
        statement: r.statement,
        team: { name: teamName.get(r.teamId)! },
        ownerName: r.ownerId ? (userName.get(r.ownerId) ?? null) : null,
        audience: r.audience,
        dueDate: r.dueDate,
        periodLabel: r.periodLabel,
        committedAt: r.committedAt.toISOString(),
        measure: measureOf(r),
        evidenceSource: r.evidenceSource,
        attempt: r.attempt,
        predecessor: pred ? { periodLabel: pred.periodLabel, attempt: pred.attempt } : null,
        successor: succ ? { periodLabel: succ.periodLabel, attempt: succ.attempt } : null,
        outcome: out
          ? {
              status: out.status,
              resolvedAt: out.resolvedAt,
              actualValue: out.actualValue,
              evidenceUrl: out.evidenceUrl,
              partialDescription: out.partialDescription,
              reasonCategory: out.reasonCategory,
              control: out.control,
              explanation: out.explanation,
              lesson: out.lesson,
            }
          : null,
        checkIns: checkInRows
          .filter((ci) => ci.commitmentId === r.id)
          .map((ci) => ({ date: ci.date, forecast: ci.forecast, probability: ci.probability, progressValue: ci.progressValue, note: ci.note })),
        revisions: revisionRows
          .filter((rev) => rev.commitmentId === r.id)
          .map((rev) => ({
            kind: rev.kind,
            at: rev.at.toISOString(),
            actorName: rev.actorId ? (userName.get(rev.actorId) ?? null) : null,
            reason: rev.reason,
            changes: rev.changes,
          })),
      };
    });
  const next = all
    .filter((r) => r.fiscalYear === fiscalYear + 1 && (audience === "internal" || r.audience === "public") && outcomeOf.get(r.id)?.status !== "withdrawn")
    .map((r) => ({
      statement: r.statement,
      dueDate: r.dueDate,
      measure: measureOf(r),
      teamName: teamName.get(r.teamId)!,
      ownerName: r.ownerId ? (userName.get(r.ownerId) ?? null) : null,
      audience: r.audience,
      lintScore: r.lintScore,
    }));
  return {
    organisation: { name: o!.name, signatoryName: o!.signatory_name ?? "", signatoryTitle: o!.signatory_title ?? "" },
    fiscalYear,
    audience,
    generatedFor: `FY${fiscalYear}`,
    commitments: year,
    previousLetter: null,
    nextYearCommitments: next,
    earlierYears: [],
    openCarriedForward: [],
  };
}

/** The body with one shortfall's bullet removed from "What we did not deliver, and why". */
function withoutShortfallBullet(markdown: string, statement: string): string {
  const lines = markdown.split("\n");
  const section = lines.indexOf("## What we did not deliver, and why");
  const head = lines.findIndex((l, i) => i > section && l.startsWith(`- “${escapeMarkdown(statement)}”`));
  if (section < 0 || head < 0) throw new Error(`no bullet for ${statement}`);
  let end = head + 1;
  while (end < lines.length && lines[end]!.startsWith("  ")) end += 1;
  return [...lines.slice(0, head), ...lines.slice(end)].join("\n");
}

/** The typed confirmation publishing asks for until the year has ended (ADR 0017). */
const confirmPublishing = (fiscalYear: number) => `publish FY${fiscalYear}`;

async function draftOf(db: Database, w: World, fiscalYear = 2026, audience: Audience = "public", now = DRAFTED) {
  return mustOk(await generateLetterDraft(db, w.admin, { fiscalYear, audience }, now));
}

/** Generates and publishes a letter, returning the published row. */
async function published(db: Database, w: World, fiscalYear: number, audience: Audience, now = PUBLISH) {
  const draft = await draftOf(db, w, fiscalYear, audience, now);
  return mustOk(await publishLetter(db, w.admin, draft.id, draft.version, now, confirmPublishing(fiscalYear)));
}

// ---------------------------------------------------------------------------------------------

describe("who may write letters", () => {
  it("refuses members and viewers everything that writes, and lets admins", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    for (const actor of [w.member, w.viewer, w.editor]) {
      expect(mustFail(await generateLetterDraft(db, actor, { fiscalYear: 2026, audience: "public" }, DRAFTED)).code).toBe("FORBIDDEN");
    }
    expect(await db.select().from(letters)).toEqual([]);

    const draft = await draftOf(db, w);
    for (const actor of [w.member, w.viewer, w.editor]) {
      expect(mustFail(await saveLetterDraft(db, actor, draft.id, { title: "Mine", body: "Mine", version: draft.version }, DRAFTED)).code).toBe("FORBIDDEN");
      expect(mustFail(await publishLetter(db, actor, draft.id, draft.version, PUBLISH, confirmPublishing(2026))).code).toBe("FORBIDDEN");
      expect(mustFail(await discardLetterDraft(db, actor, draft.id, draft.version)).code).toBe("FORBIDDEN");
    }
    expect(await getLetter(db, draft.id)).toEqual(draft);

    const letter = mustOk(await publishLetter(db, w.admin, draft.id, draft.version, PUBLISH, confirmPublishing(2026)));
    for (const actor of [w.member, w.viewer, w.editor]) {
      expect(mustFail(await appendErratum(db, actor, letter.id, "Not mine to correct.", LATER)).code).toBe("FORBIDDEN");
    }
    expect(await db.select().from(letterErrata)).toEqual([]);
    mustOk(await appendErratum(db, w.admin, letter.id, "A correction.", LATER));
    expect(await db.select().from(letterErrata)).toHaveLength(1);
  });

  it("lets an admin discard a draft, with the current version only", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const draft = await draftOf(db, w);
    expect(mustFail(await discardLetterDraft(db, w.admin, draft.id, draft.version + 1)).code).toBe("VERSION.CONFLICT");
    mustOk(await discardLetterDraft(db, w.admin, draft.id, draft.version));
    expect(await getLetter(db, draft.id)).toBeNull();
  });
});

describe("generating a draft", () => {
  it("stores exactly what composeLetter writes from the record, for each audience", async () => {
    const { db } = await testDatabase();
    const w = await world(db);

    for (const audience of ["public", "internal"] as const) {
      const draft = await draftOf(db, w, 2026, audience);
      const expected = composeLetter(await expectedLetterInput(db, 2026, audience));
      expect(draft).toMatchObject({
        fiscalYear: 2026,
        audience,
        status: "draft",
        version: 1,
        title: expected.title,
        createdBy: w.admin.id,
        createdAt: DRAFTED,
        generatedAt: DRAFTED,
        publishedAt: null,
        publishedMarkdown: null,
        sha256: null,
      });
      expect(draft.body).toBe(expected.markdown);
      expect(draft.generatedBody).toBe(expected.markdown);
    }
    const publicDraft = (await db.select().from(letters).where(eq(letters.audience, "public")))[0]!;
    // Sanity: the record is in it, the internal commitment only in the internal letter.
    expect(publicDraft.body).toContain(`“${STATEMENT.missed}”`);
    expect(publicDraft.body).toContain(`“${STATEMENT.original}”`);
    expect(publicDraft.body).toContain(`“${STATEMENT.rescoped}”`);
    expect(publicDraft.body).toContain(`“${STATEMENT.nextPublic}”`);
    expect(publicDraft.body).not.toContain(STATEMENT.internal);
    expect(publicDraft.body).not.toContain(STATEMENT.nextInternal);
    // Checked against the record, the generated draft can be published as it stands.
    expect(await checkLetterDraft(db, publicDraft)).toEqual([]);
  });

  it("composes a summarised year from its counts and the few commitments it orders or sets out in full, as from the whole record (ADR 0053, 0059)", { timeout: 180_000 }, async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    // More than a letter lists in full, with ties of team, day, due date and words (two that
    // collate apart from their bytes), equal forecasts across teams, creations edited before the
    // period was locked, more re-scopes, shortfalls and surprises than a letter sets out, promises
    // made internal or moved out of the year by a re-scope, and owners shown in internal letters.
    const where = "for every EU customer to the Frankfurt region by the end of the quarter";
    const words = [STATEMENT.delivered, STATEMENT.delivered, `Move invoices ${where}`, `move invoices ${where}`, `Äpfel: move search ${where}`, `Zeta: move search ${where}`];
    const outcomes = [
      () => delivered("2026-09-10"),
      () => shortfall("missed", "2026-10-01", 320),
      () => shortfall("partial", "2026-09-30"),
      () => shortfall("withdrawn", "2026-09-12"),
    ];
    for (let i = 0; i < 160; i += 1) {
      const team = i % 2 === 0 ? w.checkout : w.payments;
      const fields = {
        statement: words[i % words.length]!,
        audience: i % 3 === 0 ? ("internal" as const) : ("public" as const),
        dueDate: i % 4 === 0 ? "2026-09-15" : "2026-09-30",
        ownerId: i % 7 === 0 ? w.adminUser.id : null,
        metricTarget: 300 - (i % 5) * 10,
      };
      const made = await makeCommitment(db, w.editor, team.id, fields, i % 8 < 4 ? T0 : new Date("2026-06-02T23:30:00.000Z"));
      let version = 1;
      if (i % 11 === 0) {
        // Some made internal by that edit: made public, so a public letter still covers them.
        const edited = { ...fields, statement: `${fields.statement}, edited`, audience: i % 22 === 0 ? ("internal" as const) : fields.audience };
        mustOk(await updateCommitment(db, w.editor, made.id, makeCommitmentInput(team.id, edited), version, null, T0));
        version += 1;
      }
      const moved = i % 13 === 4;
      if (i % 3 === 1) {
        const change = moved
          ? { ...fields, periodLabel: "FY2027-Q1", dueDate: "2027-02-15" }
          : { ...fields, dueDate: fields.dueDate === "2026-09-30" ? "2026-09-28" : "2026-09-30", audience: i % 9 === 4 ? ("internal" as const) : fields.audience };
        const rescope = mustOk(await updateCommitment(db, w.editor, made.id, makeCommitmentInput(team.id, change), version, i % 5 === 0 ? "Narrowed to what we could ship this quarter." : "Our customers asked for it.", DURING));
        expect(rescope.rescope).toBe(true);
        version += 1;
      }
      mustOk(await addCheckIn(db, w.editor, made.id, { date: "2026-08-10", forecast: i % 4 === 3 ? "at_risk" : "on_track", probability: (i % 4) * 25, progressValue: 350, note: "" }, DURING));
      const outcome = outcomes[i % 5];
      if (outcome && !moved) mustOk(await recordOutcome(db, w.editor, made.id, outcome(), version, null, RESOLVED));
    }

    for (const audience of ["public", "internal"] as const) {
      const input = await expectedLetterInput(db, 2026, audience);
      expect(isSummarisedYear(input.commitments.filter((c) => inScope(c, audience)).length)).toBe(true);
      const { result: draft, statements } = await statementsDuring(db, () => draftOf(db, w, 2026, audience));
      // The checked draft is composed from the whole year as publication reads it (yearRecord).
      // (expectedLetterInput leaves out the commitments moved out of the year, which still belong to it.)
      const expected = mustOk(await generateCheckedLetterDraft(db, w.admin, { fiscalYear: 2026, audience }, DRAFTED)).letter.body;
      expect(draft.body).toBe(expected);
      expect(draft.body).not.toBe(composeLetter(input).markdown);
      // Composed from counts (ADR 0059): the plain commitments counted, the few that can come
      // first in an order and the ones with letter revisions read narrow, not the year's rows;
      // the commitments set out read whole by id.
      expect(statements.filter((q) => /'team' as kind/.test(q))).toHaveLength(1);
      expect(statements.filter((q) => /\bas narrow_fields\b/.test(q))).toHaveLength(2);
      expect(statements.filter((q) => /c\.id in \(select s\.commitment_id from commitment_stats s/.test(q))).toEqual([]);
      const whole = statements.filter((q) => /left join users u on u\.id = c\.owner_id/.test(q));
      expect(whole).toHaveLength(1);
      expect(whole[0]).toMatch(/where c\.id = any\(/);
      // Sanity: the letter sets out some of each and counts the rest.
      expect(expected).toContain("most consequential are set out in full below");
      expect(expected).toContain("re-scoped commitments, by team:");
      expect(expected).toMatch(/more surprised us the same way/);
      expect(expected).toContain("moved to a later period by a re-scope");
    }
  });

  it("reads the year's revisions as the letter reads them: a creation whole only where the commitment was re-scoped, none where it restates the commitment", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    // Edited before its period was locked: its creation's words are not the commitment's now.
    const edited = await makeCommitment(db, w.editor, w.checkout.id, { statement: "Serve search p95 under 250 ms", audience: "internal", periodLabel: "FY2026-Q4", dueDate: "2026-12-15" }, T0);
    mustOk(await updateCommitment(db, w.editor, edited.id, makeCommitmentInput(w.checkout.id, { statement: "Serve search p95 under 240 ms", audience: "internal", periodLabel: "FY2026-Q4", dueDate: "2026-12-15" }), 1, null, T0));
    const read = await revisionsOfYear(db, 2026, "internal");
    const current = new Map((await db.select().from(commitments)).map((c) => [c.id, c]));
    const ids = [w.c.delivered.id, w.c.missed.id, w.c.rescoped.id, w.c.internal.id, w.c.successor.id, edited.id];
    const stored = await db
      .select({ id: commitmentRevisions.id, commitmentId: commitmentRevisions.commitmentId, kind: commitmentRevisions.kind, at: commitmentRevisions.at, reason: commitmentRevisions.reason, changes: commitmentRevisions.changes })
      .from(commitmentRevisions)
      .orderBy(asc(commitmentRevisions.id));
    const letterKinds: readonly string[] = LETTER_REVISION_KINDS;
    const shape = (r: { kind: string; at: string; reason: string | null; changes: unknown }) => ({ kind: r.kind, at: r.at, reason: r.reason, changes: r.changes });
    for (const id of ids) {
      const whole = stored
        .filter((r) => r.commitmentId === id && letterKinds.includes(r.kind))
        .map((r) => ({ kind: r.kind, at: r.at.toISOString(), actorName: null, reason: r.reason, changes: r.changes as LetterCommitment["revisions"][number]["changes"] }));
      const got = read.filter((r) => r.commitmentId === id).map((r) => ({ kind: r.kind, at: isoInstantFromUtcText(r.atUtc), reason: r.reason, changes: r.changes }));
      expect(got, id).toEqual(revisionsAsLetterReads(whole, current.get(id)!).map(shape));
    }
    // Each row sent names its actor (a re-scope's "by …" in an internal letter): looked up for the rows sent only (ADR 0050).
    const actorOf = new Map((await db.select({ id: commitmentRevisions.id, actorId: commitmentRevisions.actorId }).from(commitmentRevisions)).map((r) => [Number(r.id), r.actorId]));
    const nameOf = new Map((await db.select({ id: users.id, name: users.name }).from(users)).map((u) => [u.id, u.name]));
    expect(read.some((r) => r.kind === "rescope" && r.actorName === "Eve Editor")).toBe(true);
    for (const r of read) expect(r.actorName, `revision ${r.id}`).toBe(nameOf.get(actorOf.get(r.id) ?? "") ?? null);
    const creationFields = (id: string) => read.find((r) => r.commitmentId === id && (r.kind === "create" || r.kind === "carried_from"))?.changes.map((c) => c.field);
    expect([...(creationFields(edited.id) ?? [])].sort()).toEqual([...LETTER_CREATION_FIELDS].sort());
    expect(creationFields(w.c.rescoped.id)).toContain("deliverableEvent");
    // Restating the commitment as it stands: not sent.
    expect(creationFields(w.c.delivered.id)).toBeUndefined();
    // For a public letter, the same for every commitment it covers, and nothing of the internal one.
    const readForPublic = await revisionsOfYear(db, 2026, "public");
    expect(read.some((r) => r.commitmentId === edited.id)).toBe(true);
    expect(readForPublic).toEqual(read.filter((r) => r.commitmentId !== w.c.internal.id && r.commitmentId !== edited.id));
  });

  it("reads for a public letter exactly the commitments it covers, a public promise made internal by a re-scope among them", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    // Made public, then moved to internal once its period had started: a re-scope, and still a
    // promise the public letter must account for (inScope reads its creation's audience).
    const fields = { statement: "Serve payments API p95 under 300 ms for every EU customer by 30 September 2026", dueDate: "2026-09-30", ownerId: w.adminUser.id };
    const moved = await makeCommitment(db, w.editor, w.payments.id, { ...fields, audience: "public" }, T0);
    const change = makeCommitmentInput(w.payments.id, { ...fields, audience: "internal" });
    expect(mustOk(await updateCommitment(db, w.editor, moved.id, change, 1, "Only our own teams read it now.", DURING)).rescope).toBe(true);
    const whole = (await expectedLetterInput(db, 2026, "internal")).commitments;
    for (const audience of ["public", "internal"] as const) {
      const read = (await commitmentsOfYear(db, 2026, audience)).map((r) => r.id);
      expect(read.sort(), audience).toEqual(whole.filter((c) => inScope(c, audience)).map((c) => c.id).sort());
    }
    const publicIds = (await commitmentsOfYear(db, 2026, "public")).map((r) => r.id);
    expect(publicIds).toContain(moved.id);
    expect(publicIds).not.toContain(w.c.internal.id);
    expect((await commitmentsOfYear(db, 2026, "internal")).map((r) => r.id)).toContain(w.c.internal.id);
  });

  it("reads each commitment's forecast of record as statistics.forecastOfRecord finds it among all its check-ins", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    // Due 2026-09-30: before and after the due day, two on one day (the later written counts),
    // one after the day it was resolved; and one on a commitment still open.
    const open = await makeCommitment(db, w.editor, w.checkout.id, { statement: "Serve search p95 under 250 ms", audience: "internal", periodLabel: "FY2026-Q4", dueDate: "2026-12-15" }, T0);
    const add = async (id: string, date: string, forecast: "on_track" | "at_risk" | "off_track", probability: number, now = DURING) =>
      mustOk(await addCheckIn(db, w.editor, id, { date, forecast, probability, progressValue: null, note: "" }, now));
    const tied = await makeCommitment(db, w.editor, w.payments.id, { statement: "Move the ledger to the new cluster", audience: "internal", dueDate: "2026-09-30" }, T0);
    await add(tied.id, "2026-08-01", "on_track", 70);
    await add(tied.id, "2026-08-09", "at_risk", 50);
    // Written a minute later: same day, so this one is the forecast of record.
    await add(tied.id, "2026-08-09", "on_track", 55, new Date(DURING.getTime() + 60_000));
    mustOk(await recordOutcome(db, w.editor, tied.id, shortfall("missed", "2026-09-30", 0), 1, null, RESOLVED));
    await add(open.id, "2026-08-05", "off_track", 10);
    // Resolved on 2026-08-05, before its due date: a check-in after the resolution day is not its forecast of record.
    const early = await makeCommitment(db, w.editor, w.payments.id, { statement: "Retire the v1 ledger API", audience: "internal", dueDate: "2026-09-30" }, T0);
    await add(early.id, "2026-08-01", "at_risk", 60);
    await add(early.id, "2026-08-09", "on_track", 99);
    mustOk(await recordOutcome(db, w.editor, early.id, delivered("2026-08-05"), 1, null, RESOLVED));
    const read = new Map((await commitmentsOfYear(db, 2026, "internal")).map((r) => [r.id, r]));
    const stored = await db.select().from(checkIns).orderBy(asc(checkIns.date), asc(checkIns.createdAt), asc(checkIns.id));
    const outcomeOf = new Map((await db.select().from(outcomes)).map((o) => [o.commitmentId, o]));
    const yearIds = (await db.select({ id: commitments.id, fy: commitments.fiscalYear }).from(commitments)).filter((c) => c.fy === 2026).map((c) => c.id);
    let withRecord = 0;
    for (const id of yearIds) {
      const row = read.get(id)!;
      const o = outcomeOf.get(id);
      const expected = checkInsAsLetterReads({
        dueDate: row.dueDate,
        outcome: o ? { status: o.status, resolvedAt: o.resolvedAt, actualValue: null, evidenceUrl: null, partialDescription: null, reasonCategory: null, control: null, explanation: null, lesson: null } : null,
        checkIns: stored.filter((ci) => ci.commitmentId === id),
      });
      const got = row.recordDate === null ? [] : [{ date: row.recordDate, forecast: row.recordForecast, probability: row.recordProbability }];
      expect(got, id).toEqual(expected);
      withRecord += got.length;
    }
    expect(read.get(tied.id)).toMatchObject({ recordDate: "2026-08-09", recordForecast: "on_track", recordProbability: 55 });
    expect(read.get(early.id)).toMatchObject({ recordDate: "2026-08-01", recordProbability: 60 });
    expect(read.get(open.id)?.recordDate).toBeNull();
    expect(withRecord).toBeGreaterThanOrEqual(2);
  });

  it("writes the instants it reads as text exactly as Date.toISOString does", async () => {
    const { db } = await testDatabase();
    const rows = rowsOf<{ utc: string; ms: number }>(
      await db.execute(sql`
        select (t at time zone 'UTC')::text as utc, floor(extract(epoch from t) * 1000)::float8 as ms
        from (values ('2026-01-05 09:30:00+00'::timestamptz), ('2026-01-05 09:30:00.5+00'), ('2026-01-05 23:59:59.123999+00'),
                     ('2026-03-29 01:30:00.9999+02'), ('1999-12-31 23:59:59.001-05')) v(t)`),
    );
    expect(rows).toHaveLength(5);
    for (const r of rows) expect(isoInstantFromUtcText(r.utc)).toBe(new Date(Number(r.ms)).toISOString());
  });

  it("regenerates an unedited draft freely, and refuses to regenerate over edits unless told to replace them", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const draft = await draftOf(db, w);

    const again = mustOk(await generateLetterDraft(db, w.admin, { fiscalYear: 2026, audience: "public" }, LATER));
    expect(again).toMatchObject({ id: draft.id, version: 2, body: draft.body, generatedAt: LATER });

    const edited = mustOk(
      await saveLetterDraft(db, w.admin, draft.id, { title: "Our year", body: `${draft.body}\nA personal note.\n`, version: 2 }, LATER),
    );
    expect(edited).toMatchObject({ version: 3, title: "Our year", generatedBody: draft.body, updatedBy: w.admin.id });

    const refused = mustFail(await generateLetterDraft(db, w.admin, { fiscalYear: 2026, audience: "public" }, LATER));
    expect(refused.code).toBe("LETTER.HAS_EDITS");
    expect(await getLetter(db, draft.id)).toEqual(edited);
    expect(mustFail(await generateLetterDraft(db, w.admin, { fiscalYear: 2026, audience: "public", replaceEdits: false }, LATER)).code).toBe(
      "LETTER.HAS_EDITS",
    );

    const replaced = mustOk(await generateLetterDraft(db, w.admin, { fiscalYear: 2026, audience: "public", replaceEdits: true }, LATER));
    expect(replaced).toMatchObject({ id: draft.id, version: 4, body: draft.body, generatedBody: draft.body, title: draft.title });
  });

  it("makes one draft when several first-time generations race, and tells the others it exists", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => generateLetterDraft(db, w.admin, { fiscalYear: 2026, audience: "internal" }, LATER)),
    );
    for (const r of results) {
      if (!r.ok) expect(["LETTER.EXISTS", "VERSION.CONFLICT"]).toContain(r.error.code);
    }
    expect(results.some((r) => r.ok)).toBe(true);
    const rows = await db.select().from(letters).where(and(eq(letters.fiscalYear, 2026), eq(letters.audience, "internal")));
    expect(rows).toHaveLength(1);
  });

  it("refuses years out of range", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    for (const fiscalYear of [1969, 2201, 2026.5]) {
      expect(mustFail(await generateLetterDraft(db, w.admin, { fiscalYear, audience: "public" }, DRAFTED))).toMatchObject({
        code: "VALIDATION",
        field: "fiscalYear",
      });
    }
  });
});

describe("saving a draft", () => {
  it("refuses a stale version with VERSION.CONFLICT and keeps the newer save", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const draft = await draftOf(db, w);
    const first = mustOk(await saveLetterDraft(db, w.admin, draft.id, { title: draft.title, body: `${draft.body}\nFirst.`, version: 1 }, DRAFTED));
    expect(first.version).toBe(2);

    const stale = mustFail(await saveLetterDraft(db, w.admin, draft.id, { title: draft.title, body: `${draft.body}\nSecond.`, version: 1 }, LATER));
    expect(stale).toMatchObject({ code: "VERSION.CONFLICT", conflict: { currentVersion: 2 } });
    expect(await getLetter(db, draft.id)).toEqual(first);
  });

  it("validates title and body", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const draft = await draftOf(db, w);
    expect(mustFail(await saveLetterDraft(db, w.admin, draft.id, { title: "  ", body: "x", version: 1 }, DRAFTED))).toMatchObject({
      code: "VALIDATION",
      field: "title",
    });
    expect(mustFail(await saveLetterDraft(db, w.admin, draft.id, { title: "T", body: " \n ", version: 1 }, DRAFTED))).toMatchObject({
      code: "VALIDATION",
      field: "body",
    });
    expect(mustFail(await saveLetterDraft(db, w.admin, "00000000-0000-4000-8000-000000000000", { title: "T", body: "B", version: 1 }, DRAFTED)).code).toBe(
      "NOT_FOUND",
    );
  });
});

describe("publishing is refused while the letter is not the whole truth", () => {
  it("refuses a body that no longer says what became of a missed commitment, and names it", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const draft = await draftOf(db, w);
    const body = withoutShortfallBullet(draft.body, STATEMENT.missed);
    // Still quoted where the letter lists what was promised; that does not count.
    expect(body).toContain(`“${STATEMENT.missed}”`);
    const saved = mustOk(await saveLetterDraft(db, w.admin, draft.id, { title: draft.title, body, version: draft.version }, DRAFTED));

    const refused = mustFail(await publishLetter(db, w.admin, saved.id, saved.version, PUBLISH, confirmPublishing(2026)));
    expect(refused).toMatchObject({ code: "LETTER.NOT_PUBLISHABLE", field: "body" });
    expect(refused.problems).toEqual([
      {
        code: "SHORTFALL_NOT_MENTIONED",
        commitmentId: w.c.missed.id,
        message: `“${STATEMENT.missed}” was missed, but the letter does not say so where readers can see it: quote it in the text where you explain what happened (not in a link title, image text, comment, code block, struck-through or hidden text).`,
      },
    ]);
    expect(await checkLetterDraft(db, saved)).toMatchObject([{ code: "SHORTFALL_NOT_MENTIONED", commitmentId: w.c.missed.id }]);
    // Nothing was published or locked.
    expect(await getLetter(db, saved.id)).toEqual(saved);
    expect((await getCommitment(db, w.c.missed.id))!.lockedByLetterAt).toBeNull();

    // The internal letter does not excuse the public one, and an internal miss is not needed in
    // the public letter: removing the internal commitment's mention changes nothing publicly.
    const internal = await draftOf(db, w, 2026, "internal");
    const internalBody = withoutShortfallBullet(internal.body, STATEMENT.internal);
    const savedInternal = mustOk(await saveLetterDraft(db, w.admin, internal.id, { title: internal.title, body: internalBody, version: 1 }, DRAFTED));
    expect(mustFail(await publishLetter(db, w.admin, savedInternal.id, savedInternal.version, PUBLISH, confirmPublishing(2026))).problems).toEqual([
      expect.objectContaining({ code: "SHORTFALL_NOT_MENTIONED", commitmentId: w.c.internal.id }),
    ]);
  });

  it("refuses while a public commitment for next year scores below the organisation's minimum", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const next = (await getCommitment(db, w.c.nextPublic.id))!;
    const internalNext = (await getCommitment(db, w.c.nextInternal.id))!;
    // Raise the bar above the public one's score, and far above the internal one's.
    const minimum = next.lintScore + 1;
    expect(internalNext.lintScore).toBeLessThan(minimum);
    await updateOrganisation(db, { minPublicScore: minimum }, DRAFTED);

    const draft = await draftOf(db, w);
    const refused = mustFail(await publishLetter(db, w.admin, draft.id, draft.version, PUBLISH, confirmPublishing(2026)));
    expect(refused.code).toBe("LETTER.NOT_PUBLISHABLE");
    expect(refused.problems).toEqual([
      {
        code: "NEXT_YEAR_BELOW_MINIMUM",
        message: `Next year’s public commitment “${STATEMENT.nextPublic}” scores ${next.lintScore}, below the minimum of ${minimum}: make it falsifiable before publishing.`,
      },
    ]);
    expect((await getLetter(db, draft.id))!.status).toBe("draft");

    // At the minimum it publishes.
    await updateOrganisation(db, { minPublicScore: next.lintScore }, DRAFTED);
    expect(mustOk(await publishLetter(db, w.admin, draft.id, draft.version, PUBLISH, confirmPublishing(2026))).status).toBe("published");
  });

  it("refuses a stale version", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const draft = await draftOf(db, w);
    mustOk(await saveLetterDraft(db, w.admin, draft.id, { title: draft.title, body: `${draft.body}\nEdited.`, version: 1 }, DRAFTED));
    expect(mustFail(await publishLetter(db, w.admin, draft.id, 1, PUBLISH, confirmPublishing(2026)))).toMatchObject({ code: "VERSION.CONFLICT", conflict: { currentVersion: 2 } });
    expect((await getLetter(db, draft.id))!.status).toBe("draft");
  });
});

describe("a published letter", () => {
  it("stores the frozen Markdown with its appendix, safe HTML, its SHA-256, the ledger and the link to last year's letter", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const lastYear = await published(db, w, 2025, "public", new Date("2026-01-20T09:00:00.000Z"));
    expect(lastYear.previousLetterId).toBeNull();

    const draft = await draftOf(db, w);
    // Last year's letter is linked from the masthead.
    expect(draft.body).toContain("Last year’s letter: [Annual letter FY2025](</letters/2025>).");
    // A body may not carry <script> at all (it is refused, see "what the body may not do");
    // what it may carry is still sanitised: the handler and the javascript: link are dropped.
    const body = `${draft.body}\n<img src="x" onerror="alert(1)">\n\n[click](javascript:alert(2))\n`;
    const saved = mustOk(await saveLetterDraft(db, w.admin, draft.id, { title: draft.title, body, version: 1 }, DRAFTED));

    const letter = mustOk(await publishLetter(db, w.admin, saved.id, saved.version, PUBLISH, confirmPublishing(2026)));
    expect(letter).toMatchObject({
      status: "published",
      version: 3,
      body,
      publishedAt: PUBLISH,
      publishedBy: w.admin.id,
      updatedAt: PUBLISH,
      previousLetterId: lastYear.id,
    });
    expect(await getLetter(db, letter.id)).toEqual(letter);

    // published_markdown = body + the generated appendix; the hash is of exactly those bytes.
    const ledger = letter.ledger as LedgerEntry[];
    const appendix = ledgerAppendixMarkdown(ledger, "FY2026", "public", await minimumInForceForYear(db, 2026));
    expect(letter.publishedMarkdown).toContain("- **Falsifiability minimum**: in FY2026 a public commitment could only be made with a falsifiability score of at least");
    // The body holds a marker where Kept draws its chart; the published Markdown has the chart,
    // then Kept's record checkpoint: the chain's head when it was published, covered by the hash.
    const chart = composeLetter(await expectedLetterInput(db, 2026, "public")).chart;
    const checkpoint = parseCheckpointSection(letter.publishedMarkdown!);
    expect(checkpoint).toEqual({ seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(letter.publishedMarkdown).toBe(
      withCheckpoint(publishedMarkdown(withChart(body, chart), appendix), checkpointSection({ ...checkpoint!, at: PUBLISH.toISOString() }, "/api/v1/public/log")),
    );
    expect(letter.publishedMarkdown!.startsWith(withChart(body, chart).trimEnd())).toBe(true);
    expect(letter.publishedMarkdown).toContain("## Ledger appendix");
    expect(letter.publishedMarkdown).toContain("## How we rate outcomes");
    expect(letter.publishedMarkdown).toContain(`| ${STATEMENT.rescoped} (re-scoped) | Payments | 30 September 2026 |`);
    expect(letter.publishedMarkdown).toContain(`| ${STATEMENT.successor} (attempt 2) | Checkout | 15 December 2026 |`);
    expect(letter.publishedMarkdown).toContain("| Missed on 30 September 2026, 15 days late | 320 |");
    expect(letter.sha256).toBe(createHash("sha256").update(letter.publishedMarkdown!, "utf8").digest("hex"));
    expect(letter.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(sha256Hex(letter.publishedMarkdown!)).toBe(letter.sha256);

    // The HTML is rendered and sanitised: the handler and the javascript: link are gone, the appendix is a table.
    expect(letter.publishedHtml).not.toMatch(/onerror|javascript:/i);
    expect(letter.publishedHtml).toContain("<h2>Ledger appendix</h2>");
    expect(letter.publishedHtml).toContain("<table>");
    expect(letter.publishedHtml).toContain(STATEMENT.missed);

    // The ledger: every public commitment of FY2026, internal ones left out.
    expect(ledger.map((e) => e.id).sort()).toEqual([w.c.delivered.id, w.c.missed.id, w.c.successor.id, w.c.rescoped.id].sort());
    const entry = (id: string) => ledger.find((e) => e.id === id);
    expect(entry(w.c.missed.id)).toMatchObject({
      statement: STATEMENT.missed,
      teamName: "Checkout",
      status: "missed",
      resolvedAt: "2026-09-30",
      daysLate: 15,
      actualValue: 320,
      attempt: 1,
      rescoped: false,
      audience: "public",
    });
    expect(entry(w.c.delivered.id)).toMatchObject({ status: "delivered", daysLate: 0, evidenceUrl: "https://grafana.example.com/d/checkout-slo", actualValue: 280 });
    expect(entry(w.c.rescoped.id)).toMatchObject({ statement: STATEMENT.rescoped, status: "partial", rescoped: true });
    expect(entry(w.c.successor.id)).toMatchObject({ status: "open", resolvedAt: null, attempt: 2, periodLabel: "FY2026-Q4" });
  });

  it("locks every commitment it covers, with a lock revision, so changing a promise afterwards is a re-scope", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    // Before publication next year's commitment is not locked: its period has not started.
    expect((await getCommitment(db, w.c.nextPublic.id))!.lockedByLetterAt).toBeNull();

    await published(db, w, 2026, "public");

    for (const id of [w.c.delivered.id, w.c.missed.id, w.c.rescoped.id, w.c.successor.id, w.c.nextPublic.id]) {
      const row = (await getCommitment(db, id))!;
      expect(row.lockedByLetterAt, id).toEqual(PUBLISH);
      const [latest] = await listRevisions(db, id);
      expect(latest).toMatchObject({
        kind: "lock",
        version: row.version,
        actorId: w.admin.id,
        at: PUBLISH,
        changes: [{ field: "lockedByLetter", from: null, to: "/letters/2026" }],
      });
      expect(latest!.reason).toMatch(/published letter/);
    }
    // The internal letter was not published: internal commitments are untouched.
    for (const id of [w.c.internal.id, w.c.nextInternal.id]) {
      expect((await getCommitment(db, id))!.lockedByLetterAt).toBeNull();
      expect((await listRevisions(db, id)).map((r) => r.kind)).not.toContain("lock");
    }

    const next = (await getCommitment(db, w.c.nextPublic.id))!;
    const change = makeCommitmentInput(w.checkout.id, {
      statement: "Serve checkout p95 under 280 ms for every EU customer",
      metricBaseline: 300,
      metricTarget: 280,
      periodLabel: "FY2027-Q1",
      dueDate: "2027-03-15",
    });
    expect(mustFail(await updateCommitment(db, w.editor, next.id, change, next.version, null, LATER))).toMatchObject({
      code: "COMMITMENT.RESCOPE_REASON_REQUIRED",
      field: "reason",
    });
    expect((await getCommitment(db, next.id))!.statement).toBe(STATEMENT.nextPublic);
    const rescoped = mustOk(await updateCommitment(db, w.editor, next.id, change, next.version, "The CDN contract fell through.", LATER));
    expect(rescoped.rescope).toBe(true);
    expect((await listRevisions(db, next.id))[0]).toMatchObject({ kind: "rescope", reason: "The CDN contract fell through." });

    // The same kind of change to next year's internal commitment, which no published letter
    // covers and whose period has not started, is a plain edit.
    const internalNext = (await getCommitment(db, w.c.nextInternal.id))!;
    const internalChange = makeCommitmentInput(w.payments.id, {
      statement: "Move the ledger service to the new cluster by 15 March 2027",
      audience: "internal",
      measureKind: "deliverable",
      metricName: null,
      metricBaseline: null,
      metricComparator: undefined,
      metricTarget: null,
      metricUnit: null,
      deliverableEvent: "ledger service serving from the new cluster",
      periodLabel: "FY2027-Q1",
      dueDate: "2027-03-15",
    });
    expect(mustOk(await updateCommitment(db, w.editor, internalNext.id, internalChange, internalNext.version, null, LATER)).rescope).toBe(false);
  });

  it("refuses a body whose markup never closes (a table, a <details>, a comment), saying what is open, and publishes nothing", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const draft = await draftOf(db, w);
    // Rendered together by an ordinary Markdown renderer, these would swallow the appendix.
    const body = `${draft.body}\n<details open><table><tr><td><!-- <style>\n`;
    const saved = mustOk(await saveLetterDraft(db, w.admin, draft.id, { title: draft.title, body, version: draft.version }, DRAFTED));
    const refused = mustFail(await publishLetter(db, w.admin, draft.id, saved.version, PUBLISH, confirmPublishing(2026)));
    expect(refused.code).toBe("LETTER.NOT_PUBLISHABLE");
    const messages = (refused.problems ?? []).map((p) => p.message).join("\n");
    expect(refused.problems?.every((p) => p.code === "BODY_LEFT_OPEN")).toBe(true);
    for (const what of ["<details>", "<table>", "HTML comment"]) expect(messages).toContain(what);
    expect(await checkLetterDraft(db, saved)).toEqual(expect.arrayContaining([expect.objectContaining({ code: "BODY_LEFT_OPEN" })]));
    expect((await getLetter(db, draft.id))!.status).toBe("draft");
  });

  it("refuses a body that takes a heading Kept appends, or carries SVG, with the reason", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const draft = await draftOf(db, w);
    const body = `${draft.body}\n## Ledger appendix\n\n| Commitment | Outcome |\n| --- | --- |\n| Everything | Delivered |\n\n<svg><text>hi</text></svg>\n`;
    const saved = mustOk(await saveLetterDraft(db, w.admin, draft.id, { title: draft.title, body, version: draft.version }, DRAFTED));
    const refused = mustFail(await publishLetter(db, w.admin, draft.id, saved.version, PUBLISH, confirmPublishing(2026)));
    expect(refused.problems).toEqual([
      expect.objectContaining({ code: "BODY_FORBIDDEN_MARKUP" }),
      expect.objectContaining({ code: "BODY_RESERVED_HEADING", message: expect.stringContaining("“Ledger appendix” is a section Kept adds") }),
    ]);
  });

  it("publishes Markdown that a CommonMark reader shows with the appendix as a table of every entry", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const letter = await published(db, w, 2026, "public");
    const ledger = letter.ledger as LedgerEntry[];
    expect(ledger.length).toBeGreaterThan(0);
    expect(appendixRendersAsTable(letter.publishedMarkdown!, "Ledger appendix", ledger.length)).toBe(true);
    expect(appendixRendersAsTable(letter.publishedMarkdown!, "Ledger appendix", ledger.length + 1)).toBe(false);
    // The same Markdown with the body's end left open would not pass.
    const broken = letter.publishedMarkdown!.replace("## Ledger appendix", "```\n## Ledger appendix");
    expect(appendixRendersAsTable(broken, "Ledger appendix", ledger.length)).toBe(false);
  });

  it("marks on the public ledger an outcome changed after the letter: was Missed, now Delivered, with the reason", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    await published(db, w, 2026, "public");
    const before = (await publicLedger(db, w.admin, 2026, null))!;
    expect(before.items.every((i) => i.changedAfterLetter === null)).toBe(true);

    // The successor commitment was carried forward from the miss; the miss itself is re-judged.
    const reason = "The latency fix shipped in a hotfix on 29 September; we found the dashboard proof late.";
    const current = (await getCommitment(db, w.c.missed.id))!;
    mustOk(await recordOutcome(db, w.editor, w.c.missed.id, delivered("2026-09-29", 290), current.version, reason, LATER));

    const after = (await publicLedger(db, w.admin, 2026, null))!;
    const item = after.items.find((i) => i.id === w.c.missed.id)!;
    expect(item.status).toBe("delivered");
    expect(item.changedAfterLetter).toEqual({ fiscalYear: 2026, was: "missed", now: "delivered", reason });
    expect(changedAfterLetterText(item.changedAfterLetter!)).toBe(`Changed after the FY2026 letter: was Missed, now Delivered — ${reason}`);
    expect(after.items.filter((i) => i.changedAfterLetter !== null).map((i) => i.id)).toEqual([w.c.missed.id]);
  });

  it("reads of a frozen ledger only the entries a ledger page shows, and none before the letter is published", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const stranger = "00000000-0000-4000-8000-000000000000";
    expect(await frozenLedgerStatuses(db, 2026, "public", [w.c.missed.id, w.c.delivered.id])).toEqual([]);
    const letter = await published(db, w, 2026, "public");
    const ledger = letter.ledger as LedgerEntry[];
    expect(ledger.length).toBeGreaterThan(2);
    const asked = await frozenLedgerStatuses(db, 2026, "public", [w.c.missed.id, stranger, w.c.delivered.id]);
    expect(asked.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [
        { id: w.c.missed.id, status: "missed" },
        { id: w.c.delivered.id, status: "delivered" },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(await frozenLedgerStatuses(db, 2026, "public", [])).toEqual([]);
    expect(await frozenLedgerStatuses(db, 2026, "internal", [w.c.missed.id])).toEqual([]);
  });

  it("reads a frozen ledger only when the outcome was recorded after the letter", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const letter = await published(db, w, 2026, "public");
    const frozenOf = (id: string, recordedAt: Date) => frozenStatusesOf(db, id, recordedAt);
    // The ledger lists the miss, but an outcome recorded before publication cannot differ from it: not read.
    expect(await frozenOf(w.c.missed.id, new Date(letter.publishedAt!.getTime() - 1))).toEqual([]);
    expect(await frozenOf(w.c.missed.id, LATER)).toEqual([{ fiscalYear: 2026, audience: "public", status: "missed" }]);
    // Not in any published letter's ledger (an internal commitment, absent from the public letter): nothing.
    const internal = (await getCommitment(db, w.c.internal.id))!;
    expect(internal.audience).toBe("internal");
    expect(await frozenOf(internal.id, LATER)).toEqual([]);
  });

  it("marks the change on the commitment page, and the next letter discloses it under what changed, once", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    await published(db, w, 2026, "public");
    expect((await loadCommitmentPage(db, w.editor, w.c.missed.id, LATER))!.changedAfterLetter).toBeNull();

    const reason = "The latency fix shipped in a hotfix on 29 September; we found the dashboard proof late.";
    const current = (await getCommitment(db, w.c.missed.id))!;
    mustOk(await recordOutcome(db, w.editor, w.c.missed.id, delivered("2026-09-29", 290), current.version, reason, LATER));

    const page = (await loadCommitmentPage(db, w.editor, w.c.missed.id, LATER))!;
    expect(page.changedAfterLetter).toEqual({ fiscalYear: 2026, was: "missed", now: "delivered", reason });
    expect(changedAfterLetterText(page.changedAfterLetter!)).toBe(`Changed after the FY2026 letter: was Missed, now Delivered — ${reason}`);
    // A commitment whose outcome still matches the letter carries no marker.
    expect((await loadCommitmentPage(db, w.editor, w.c.delivered.id, LATER))!.changedAfterLetter).toBeNull();

    // FY2027 must have begun before its letter can be drafted or published.
    const nextLetter = await draftOf(db, w, 2027, "public", NEXT_YEAR);
    const changed = nextLetter.body.slice(nextLetter.body.indexOf("## What changed along the way"), nextLetter.body.indexOf("## How well we forecast"));
    expect(changed).toContain("Since our last letter we changed the recorded outcome of one commitment that an earlier letter reported.");
    expect(changed).toContain(
      `- “${escapeMarkdown(STATEMENT.missed)}” Changed after the FY2026 letter: was Missed, now Delivered. Reason: ${escapeMarkdown(reason)}`,
    );
    // No internal letter froze it, so the internal letter has nothing to disclose.
    expect((await draftOf(db, w, 2027, "internal", NEXT_YEAR)).body).not.toContain("Changed after the FY2026 letter");

    // Once the next letter is published, the letter after it does not disclose it again.
    mustOk(await publishLetter(db, w.admin, nextLetter.id, nextLetter.version, NEXT_YEAR, confirmPublishing(2027)));
    const afterNext = await draftOf(db, w, 2028, "public", new Date("2028-01-26T10:00:00.000Z"));
    expect(afterNext.body).not.toContain("Changed after the FY2026 letter");
  });

  it("cannot be published twice, saved, regenerated or discarded", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const letter = await published(db, w, 2026, "public");

    expect(mustFail(await publishLetter(db, w.admin, letter.id, letter.version, LATER)).code).toBe("LETTER.PUBLISHED");
    expect(mustFail(await saveLetterDraft(db, w.admin, letter.id, { title: "New", body: "Rewritten.", version: letter.version }, LATER)).code).toBe(
      "LETTER.PUBLISHED",
    );
    expect(mustFail(await generateLetterDraft(db, w.admin, { fiscalYear: 2026, audience: "public", replaceEdits: true }, LATER)).code).toBe(
      "LETTER.PUBLISHED",
    );
    expect(mustFail(await discardLetterDraft(db, w.admin, letter.id, letter.version)).code).toBe("LETTER.PUBLISHED");
    expect(await getLetter(db, letter.id)).toEqual(letter);
  });

  it("is frozen by the database itself: raw UPDATE and DELETE are refused, even on a superuser connection", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const letter = await published(db, w, 2026, "public");
    const { db: superuser } = await superuserDatabase();
    const [who] = rowsOf<{ superuser: boolean }>(await superuser.execute(sql`select rolsuper as superuser from pg_roles where rolname = current_user`));
    expect(who!.superuser).toBe(true);

    expect(await refusal(superuser.execute(sql`update letters set title = 'Rewritten' where id = ${letter.id}`))).toMatch(/is published/);
    expect(await refusal(superuser.execute(sql`update letters set status = 'draft' where id = ${letter.id}`))).toMatch(/is published/);
    expect(await refusal(superuser.execute(sql`update letters set published_markdown = 'x', sha256 = 'y'`))).toMatch(/is published/);
    expect(await refusal(superuser.execute(sql`delete from letters where id = ${letter.id}`))).toMatch(/is published/);
    expect(await refusal(superuser.update(letters).set({ body: "Rewritten." }).where(eq(letters.id, letter.id)))).toMatch(/is published/);
    expect(await refusal(superuser.delete(letters).where(eq(letters.id, letter.id)))).toMatch(/is published/);
    expect(await getLetter(db, letter.id)).toEqual(letter);

    // A draft stays an ordinary row.
    const draft = await draftOf(db, w, 2026, "internal");
    await db.execute(sql`update letters set title = 'Renamed' where id = ${draft.id}`);
    expect((await getLetter(db, draft.id))!.title).toBe("Renamed");
    await db.execute(sql`delete from letters where id = ${draft.id}`);
    expect(await getLetter(db, draft.id)).toBeNull();
  });
});

describe("errata", () => {
  it("are appended to a published letter, refused on a draft by the service and by the database, and never changed", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const letter = await published(db, w, 2026, "public");
    const draft = await draftOf(db, w, 2026, "internal");

    const erratum = mustOk(await appendErratum(db, w.admin, letter.id, "  The search figure was **320 ms**, not 330 ms. <script>x()</script>  ", LATER));
    expect(erratum).toMatchObject({ letterId: letter.id, body: "The search figure was **320 ms**, not 330 ms. <script>x()</script>", createdAt: LATER, createdBy: w.admin.id });
    expect(erratum.bodyHtml).toContain("<strong>320 ms</strong>");
    expect(erratum.bodyHtml).not.toMatch(/<script/i);
    // The letter itself is untouched.
    expect(await getLetter(db, letter.id)).toEqual(letter);

    expect(mustFail(await appendErratum(db, w.admin, draft.id, "Fix this.", LATER)).code).toBe("LETTER.NOT_PUBLISHED");
    expect(mustFail(await appendErratum(db, w.admin, letter.id, "   ", LATER))).toMatchObject({ code: "VALIDATION", field: "body" });
    expect(mustFail(await appendErratum(db, w.admin, "00000000-0000-4000-8000-000000000000", "Fix.", LATER)).code).toBe("NOT_FOUND");
    expect(
      await refusal(db.execute(sql`insert into letter_errata (letter_id, body, body_html, created_by) values (${draft.id}, 'x', '<p>x</p>', ${w.admin.id})`)),
    ).toMatch(/published letter/);
    expect(await refusal(db.insert(letterErrata).values({ letterId: draft.id, body: "x", bodyHtml: "x", createdBy: w.admin.id }))).toMatch(/published letter/);

    expect(await refusal(db.execute(sql`update letter_errata set body = 'rewritten' where id = ${erratum.id}`))).toMatch(/append-only|permission denied/);
    expect(await refusal(db.execute(sql`delete from letter_errata where id = ${erratum.id}`))).toMatch(/append-only|permission denied/);
    expect(await db.select().from(letterErrata)).toEqual([erratum]);
  });

  it("change the published page's ETag", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const letter = await published(db, w, 2026, "public");
    const before = publishedEtag(letter, (await publishedLetterFor(db, null, 2026, "public"))!.errata);
    expect(before).toMatch(new RegExp(`^"${letter.sha256}\\.0\\.[0-9a-f]{16}"$`));

    mustOk(await appendErratum(db, w.admin, letter.id, "First correction.", LATER));
    const one = publishedEtag(letter, (await publishedLetterFor(db, null, 2026, "public"))!.errata);
    mustOk(await appendErratum(db, w.admin, letter.id, "Second correction.", new Date("2026-11-26T10:00:00.000Z")));
    const two = publishedEtag(letter, (await publishedLetterFor(db, null, 2026, "public"))!.errata);
    expect(new Set([before, one, two]).size).toBe(3);
    expect(one).toMatch(new RegExp(`^"${letter.sha256}\\.1\\.[0-9a-f]{16}"$`));
  });

  it("change the published page's ETag when the page's link to the next letter appears", async () => {
    // The page (app/utils/letter-route.server.ts) renders view.next, and entry.server answers a
    // matching If-None-Match with 304: an ETag that ignores `next` keeps caches on a page
    // without the link to the following year's letter until the next erratum.
    const { db } = await testDatabase();
    const w = await world(db);
    await published(db, w, 2026, "public");
    const before = (await publishedLetterFor(db, null, 2026, "public"))!;
    expect(before.next).toBeNull();

    await published(db, w, 2027, "public", new Date("2028-01-20T09:00:00.000Z"));
    const after = (await publishedLetterFor(db, null, 2026, "public"))!;
    expect(after.next).toMatchObject({ fiscalYear: 2027, path: "/letters/2027" });
    expect(publishedEtag(after.letter, after.errata, after.next?.id ?? null)).not.toBe(publishedEtag(before.letter, before.errata, before.next?.id ?? null));
  });
});

describe("what readers see", () => {
  it("shows anonymous readers published public letters only, and only while the public site is on", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const lastYear = await published(db, w, 2025, "public", new Date("2026-01-20T09:00:00.000Z"));
    const letter = await published(db, w, 2026, "public");
    const internal = await published(db, w, 2026, "internal");
    await draftOf(db, w, 2024, "public");
    const erratum = mustOk(await appendErratum(db, w.admin, letter.id, "A correction.", LATER));

    const page = await publishedLetterFor(db, null, 2026, "public");
    expect(page).toMatchObject({
      letter: { id: letter.id, sha256: letter.sha256 },
      path: "/letters/2026",
      previous: { id: lastYear.id, fiscalYear: 2025, path: "/letters/2025" },
      next: null,
      errata: [{ id: erratum.id, body: "A correction.", createdByName: "Ada Admin" }],
    });
    expect(page!.ledger).toEqual(letter.ledger);
    expect((await publishedLetterFor(db, null, 2025, "public"))!.next).toMatchObject({ id: letter.id, path: "/letters/2026" });

    // Internal letters are for signed-in people; drafts are not published letters for anyone.
    expect(await publishedLetterFor(db, null, 2026, "internal")).toBeNull();
    expect(await publishedLetterFor(db, w.viewer, 2026, "internal")).toMatchObject({ letter: { id: internal.id }, path: "/letters/2026/internal" });
    expect(await publishedLetterFor(db, null, 2024, "public")).toBeNull();
    expect(await publishedLetterFor(db, w.admin, 2024, "public")).toBeNull();
    expect(await publishedLetterFor(db, null, 2030, "public")).toBeNull();

    expect((await lettersFor(db, null)).map((l) => [l.fiscalYear, l.audience, l.status])).toEqual([
      [2026, "public", "published"],
      [2025, "public", "published"],
    ]);
    expect((await lettersFor(db, w.viewer)).map((l) => [l.fiscalYear, l.audience, l.status])).toEqual([
      [2026, "internal", "published"],
      [2026, "public", "published"],
      [2025, "public", "published"],
      [2024, "public", "draft"],
    ]);

    await updateOrganisation(db, { publicSiteEnabled: false }, LATER);
    expect(await publishedLetterFor(db, null, 2026, "public")).toBeNull();
    expect(await lettersFor(db, null)).toEqual([]);
    expect(await feedFor(db)).toBeNull();
    expect(await publicLedger(db, null, 2026, null)).toBeNull();
    // Signed-in people still read them.
    expect(await publishedLetterFor(db, w.viewer, 2026, "public")).toMatchObject({ letter: { id: letter.id } });
  });

  it("feeds published public letters and their errata, newest first", async () => {
    const { db } = await testDatabase();
    const w = await world(db);
    const lastYear = await published(db, w, 2025, "public", new Date("2026-01-20T09:00:00.000Z"));
    const letter = await published(db, w, 2026, "public");
    const internal = await published(db, w, 2026, "internal");
    await draftOf(db, w, 2024, "public");
    const erratum = mustOk(await appendErratum(db, w.admin, letter.id, "A correction.", LATER));
    mustOk(await appendErratum(db, w.admin, internal.id, "An internal correction.", LATER));

    const feed = await feedFor(db);
    expect(feed!.organisationName).toBe("Acme Cloud");
    expect(feed!.published.map((p) => p.id)).toEqual([letter.id, lastYear.id]);
    expect(feed!.published[0]).toMatchObject({ fiscalYear: 2026, title: letter.title, publishedAt: PUBLISH, sha256: letter.sha256 });
    expect(feed!.published[0]!.publishedHtml).toBe(letter.publishedHtml);
    expect(feed!.errata).toEqual([
      { id: erratum.id, letterId: letter.id, fiscalYear: 2026, letterTitle: letter.title, bodyHtml: erratum.bodyHtml, createdAt: LATER },
    ]);
  });
});

describe("the public ledger", () => {
  it("tallies public commitments per year and pages through a year by due date and id", async () => {
    const { db } = await testDatabase();
    const w = await world(db);

    const ledger = await publicLedger(db, null, null, null);
    expect(ledger!.years).toEqual([
      { fiscalYear: 2027, made: 1, open: 1, delivered: 0, partial: 0, missed: 0, withdrawn: 0 },
      { fiscalYear: 2026, made: 4, open: 1, delivered: 1, partial: 1, missed: 1, withdrawn: 0 },
    ]);
    // With no year asked for, the latest year.
    expect(ledger!.year).toBe(2027);
    expect(ledger!.items.map((i) => i.id)).toEqual([w.c.nextPublic.id]);
    expect(ledger!.next).toBeNull();

    const year = await publicLedger(db, null, 2026, null);
    expect(year!.organisationName).toBe("Acme Cloud");
    const publicIds = [w.c.delivered.id, w.c.missed.id, w.c.rescoped.id, w.c.successor.id];
    expect(year!.items.map((i) => i.id).sort()).toEqual([...publicIds].sort());
    expect(year!.items.map((i) => i.id)).not.toContain(w.c.internal.id);
    expect(year!.items.find((i) => i.id === w.c.missed.id)).toMatchObject({
      status: "missed",
      resolvedAt: "2026-09-30",
      actualValue: 320,
      teamName: "Checkout",
      measure: "p95 search latency ≤ 200 ms (from 600 ms)",
      daysLate: 15,
    });
    expect(year!.items.find((i) => i.id === w.c.successor.id)).toMatchObject({ status: "open", attempt: 2, resolvedAt: null });
    expect(year!.next).toBeNull();

    // Keyset pages with a small page size: due date, then id, no row twice, none missed.
    const ordered = [...year!.items].sort((a, b) => a.dueDate.localeCompare(b.dueDate) || (a.id < b.id ? -1 : 1)).map((i) => i.id);
    const seen: string[] = [];
    let after: { dueDate: string; id: string } | null = null;
    let pages = 0;
    for (;;) {
      const rows = await publicLedgerPage(db, 2026, after, 1);
      pages += 1;
      const page = rows.slice(0, 1);
      seen.push(...page.map((r) => r.id));
      if (rows.length <= 1) break;
      after = { dueDate: page[0]!.dueDate, id: page[0]!.id };
      expect(pages).toBeLessThan(10);
    }
    expect(seen).toEqual(ordered);
    expect(pages).toBe(4);

    // Two due on the same day are told apart by id.
    const first = await publicLedgerPage(db, 2026, null, 2);
    expect(first).toHaveLength(3);
    expect(first.slice(0, 2).map((r) => r.dueDate)).toEqual(["2026-09-15", "2026-09-15"]);
    const rest = await publicLedgerPage(db, 2026, { dueDate: first[1]!.dueDate, id: first[1]!.id }, 2);
    expect(rest.map((r) => r.id)).toEqual(ordered.slice(2));
  });
});
