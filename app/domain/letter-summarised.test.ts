// A summarised year's draft is composed from a narrow read of the year and the few commitments it
// sets out in full, read whole (commitmentsSetOutInFull, ADR 0053). That is the same letter as
// the one composed from the whole year only if composition never prints, of any other commitment,
// a field the narrow read leaves out. Composed both ways on random years above the limit, with
// ties of everything the orders compare.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { commitmentsSetOutInFull, compareText, composeLetter, composeSummarisedLetter, inScope, sortedCommitments, SUMMARY_TODAY, isSummarisedYear, LETTER_CONSEQUENTIAL_LIMIT, LETTER_IN_FULL_LIMIT, type LetterCommitment, type LetterInput, type LetterRevision } from "./letter";
import { countedSetOutIds, countedYear, withWhole, type PlainCounts } from "./letter-counted";
import { lateness } from "./outcome-rules";
import { emptySummary, forecastOfRecord, isSurprise, summarize } from "./statistics";
import { REASON_CATEGORIES, type Audience } from "./types";

/**
 * A commitment as the narrow read gives it (NarrowYearCommitmentRow, as the service maps it):
 * no owner, measure texts, evidence source, evidence link, partial description, control,
 * explanation or lesson.
 */
function narrowed(c: LetterCommitment): LetterCommitment {
  const measure: LetterCommitment["measure"] = c.measure.kind === "metric" ? { ...c.measure, name: "", unit: "" } : { kind: "deliverable", event: "" };
  return {
    ...c,
    ownerName: null,
    measure,
    evidenceSource: "",
    outcome: c.outcome && { ...c.outcome, evidenceUrl: null, partialDescription: null, control: null, explanation: null, lesson: null },
  };
}

function composedFromNarrow(input: LetterInput): string {
  const narrow = input.commitments.map(narrowed);
  const setOut = new Set(commitmentsSetOutInFull({ commitments: narrow, audience: input.audience }));
  return composeLetter({ ...input, commitments: narrow.map((c, i) => (setOut.has(c.id) ? input.commitments[i]! : c)) }).markdown;
}

// Names that collate apart from their bytes ("alpha" before "Beta", "Äpfel" beside "Apfel"),
// and equal by the collator although their code units differ (a precomposed and a combining "é").
const team = fc.constantFrom("Alpha", "alpha", "Beta", "Äpfel", "Apfel", "\u00e9quipe", "e\u0301quipe", "10 Ops", "9 Ops");
const statement = fc.constantFrom("Ship the export", "ship the export", "Ship the export", "Äpfel export for every customer", "Serve search under 200 ms");
const day = fc.constantFrom("2026-01-05T09:00:00.000Z", "2026-01-05T23:30:00.000Z", "2026-01-06T00:10:00.000Z");
const due = fc.constantFrom("2026-06-30", "2026-07-01");
const resolved = fc.constantFrom("2026-06-20", "2026-06-30", "2026-07-15", "2026-09-01");
const audience = fc.constantFrom<Audience>("public", "internal");
const text = fc.option(fc.constantFrom("The vendor slipped.", "We underestimated it", "See https://example.com/x"), { nil: null });

const commitment = fc.record({
  team,
  statement,
  committedAt: day,
  dueDate: due,
  audience,
  /** The audience it was made with, when a re-scope changed it since. */
  madeAs: fc.option(audience, { nil: null }),
  /** Words first committed, when an edit before the lock changed them. */
  firstWords: fc.option(statement, { nil: null }),
  rescopes: fc.array(fc.record({ at: fc.constantFrom("2026-03-01T10:00:00.000Z", "2026-04-01T10:00:00.000Z"), from: due, reason: text }), { maxLength: 2 }),
  carriedForward: fc.boolean(),
  movedTo: fc.option(fc.constantFrom("FY2027-Q1"), { nil: null }),
  owner: fc.option(fc.constantFrom("Ada", "Eve"), { nil: null }),
  metric: fc.option(fc.record({ baseline: fc.option(fc.constantFrom(900, 300), { nil: null }), target: fc.constantFrom(300, 250), comparator: fc.constantFrom("lte" as const, "gte" as const) }), { nil: null }),
  outcome: fc.option(
    fc.record({
      status: fc.constantFrom("delivered" as const, "partial" as const, "missed" as const, "withdrawn" as const),
      resolvedAt: resolved,
      actualValue: fc.option(fc.constantFrom(280, 320, 400), { nil: null }),
      reasonCategory: fc.option(fc.constantFrom(...REASON_CATEGORIES), { nil: null }),
      control: fc.option(fc.constantFrom("ours" as const, "external" as const), { nil: null }),
      explanation: text,
      lesson: text,
      partialDescription: text,
      evidenceUrl: fc.option(fc.constantFrom("https://example.com/evidence"), { nil: null }),
    }),
    { nil: null, freq: 4 },
  ),
  forecast: fc.option(fc.record({ date: fc.constantFrom("2026-05-01", "2026-06-01"), forecast: fc.constantFrom("on_track" as const, "at_risk" as const), probability: fc.constantFrom(20, 50, 80) }), { nil: null }),
});

function letterCommitment(r: typeof commitment extends fc.Arbitrary<infer T> ? T : never, i: number): LetterCommitment {
  const revisions: LetterRevision[] = [];
  const created: LetterRevision["changes"] = [];
  if (r.firstWords !== null) created.push({ field: "statement", from: null, to: r.firstWords });
  if (r.madeAs !== null) created.push({ field: "audience", from: null, to: r.madeAs });
  if (r.rescopes.length > 0) created.push({ field: "dueDate", from: null, to: r.rescopes[0]!.from });
  if (created.length > 0 || r.rescopes.length > 0) revisions.push({ kind: "create", at: r.committedAt, actorName: "Ada", reason: null, changes: created });
  for (const s of r.rescopes) revisions.push({ kind: "rescope", at: s.at, actorName: "Eve", reason: s.reason, changes: [{ field: "dueDate", from: s.from, to: r.dueDate }] });
  if (r.carriedForward) revisions.push({ kind: "carry_forward", at: "2026-09-10T10:00:00.000Z", actorName: "Eve", reason: null, changes: [] });
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    statement: r.statement,
    team: { name: r.team },
    ownerName: r.owner,
    audience: r.audience,
    dueDate: r.dueDate,
    periodLabel: r.movedTo ?? "FY2026-Q2",
    committedAt: r.committedAt,
    measure: r.metric ? { kind: "metric", name: "p95 latency", baseline: r.metric.baseline, comparator: r.metric.comparator, target: r.metric.target, unit: "ms" } : { kind: "deliverable", event: "It is live" },
    evidenceSource: "The dashboard",
    attempt: r.carriedForward ? 2 : 1,
    predecessor: r.carriedForward ? { periodLabel: "FY2025-Q4", attempt: 1 } : null,
    successor: null,
    movedTo: r.movedTo,
    outcome: r.movedTo === null ? r.outcome : null,
    checkIns: r.forecast ? [r.forecast] : [],
    revisions,
  };
}

function yearOf(rows: Array<typeof commitment extends fc.Arbitrary<infer T> ? T : never>, audience: Audience): LetterInput {
  return {
    organisation: { name: "Acme", signatoryName: "Ada", signatoryTitle: "CTO" },
    fiscalYear: 2026,
    audience,
    generatedFor: "FY2026",
    commitments: rows.map(letterCommitment),
    previousLetter: null,
    nextYearCommitments: [],
    earlierYears: [{ fiscalYear: 2025, made: 10, delivered: 5, partial: 1, missed: 2, withdrawn: 1 }],
    openCarriedForward: [],
  };
}

describe("a summarised year composed from its narrow read and the commitments it sets out", () => {
  it("is the letter composed from the whole year, for either audience", () => {
    fc.assert(
      fc.property(fc.array(commitment, { minLength: LETTER_IN_FULL_LIMIT + 1, maxLength: 240 }), audience, (rows, reader) => {
        const input = yearOf(rows, reader);
        fc.pre(isSummarisedYear(input.commitments.filter((c) => inScope(c, reader)).length));
        expect(composedFromNarrow(input)).toBe(composeLetter(input).markdown);
      }),
      { numRuns: 60 },
    );
  });

  it("would not be, were a commitment set out read narrow: the property can fail", () => {
    const input = yearOf(
      fc.sample(commitment, { numRuns: 200, seed: 7 }).map((r) => ({ ...r, audience: "public" as const, owner: "Ada", outcome: { status: "missed" as const, resolvedAt: "2026-09-01", actualValue: 400, reasonCategory: null, control: "ours" as const, explanation: "The vendor slipped.", lesson: null, partialDescription: null, evidenceUrl: null }, movedTo: null })),
      "internal",
    );
    const narrowOnly = composeLetter({ ...input, commitments: input.commitments.map(narrowed) }).markdown;
    expect(narrowOnly).not.toBe(composeLetter(input).markdown);
    expect(composedFromNarrow(input)).toBe(composeLetter(input).markdown);
  });
});

// A summarised draft is composed from counts (ADR 0059): the database counts the year's plain
// commitments (no letter revision to read) and sends whole only PLAIN_CANDIDATES; countedYear
// merges those with the commitments that have revisions. Here the database is played by the
// rules it is given, on the same random years, and the letter must be composeLetter's byte for
// byte (tests/integration/letters.test.ts holds the real statements to the same on PGlite and
// PostgreSQL).
type Key = readonly (number | string)[];
function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < a.length; i += 1) {
    if (a[i]! < b[i]!) return -1;
    if (a[i]! > b[i]!) return 1;
  }
  return 0;
}
/** SQL's rank(): 1 + how many rows have a smaller key. */
function ranked<T>(rows: readonly T[], key: (row: T) => Key): Array<{ row: T; rank: number }> {
  const sorted = [...rows].sort((a, b) => compareKeys(key(a), key(b)));
  return sorted.map((row) => ({ row, rank: 1 + sorted.filter((other) => compareKeys(key(other), key(row)) < 0).length }));
}

function asDatabaseCounts(input: LetterInput, candidateLimit = LETTER_CONSEQUENTIAL_LIMIT) {
  const reader = input.audience;
  const plain = input.commitments.filter((c) => c.revisions.length === 0 && (reader === "internal" || c.audience === "public"));
  const counts: PlainCounts = { teams: [], daysLate: [], reasons: [], forecasts: [], open: [] };
  const group = <T extends object>(list: Array<T & { count: number }>, row: T) => {
    const found = list.find((r) => JSON.stringify({ ...r, count: 0 }) === JSON.stringify({ ...row, count: 0 }));
    if (found) found.count += 1;
    else list.push({ ...row, count: 1 });
  };
  const record = (c: LetterCommitment) => (c.outcome && c.outcome.status !== "withdrawn" ? forecastOfRecord(c.checkIns, c.dueDate, c.outcome.resolvedAt) : null);
  for (const c of plain) {
    const o = c.outcome;
    group(counts.teams, { team: c.team.name, status: o?.status ?? "open", late: o !== null && lateness(c.dueDate, o.resolvedAt).late });
    if (o === null) {
      group(counts.open, { movedTo: c.movedTo ?? null });
      continue;
    }
    if (o.status === "delivered" || o.status === "partial") group(counts.daysLate, { days: lateness(c.dueDate, o.resolvedAt).daysLate });
    if (o.status !== "delivered") {
      group(counts.reasons, { status: o.status, reason: o.reasonCategory });
    }
    const r = record(c);
    if (r && o.status !== "withdrawn") group(counts.forecasts, { probability: r.probability, status: o.status, surprise: isSurprise(o.status, r.forecast) });
  }
  // The candidates, by the rules the database is given: the team names ranked by the collator.
  const names = [...new Set(plain.map((c) => c.team.name))].sort(compareText);
  const canonical = (c: LetterCommitment): Key => [names.indexOf(c.team.name), c.committedAt.slice(0, 10), c.dueDate];
  const candidates = new Set<LetterCommitment>();
  const scored = plain.filter((c) => record(c) !== null);
  for (const c of scored) {
    const sameGroup = scored.filter((d) => record(d)!.probability === record(c)!.probability && d.outcome!.status === c.outcome!.status);
    if (sameGroup.every((d) => compareKeys(canonical(c), canonical(d)) <= 0)) candidates.add(c);
  }
  const surprises = scored.filter((c) => isSurprise(c.outcome!.status, record(c)!.forecast));
  for (const { row, rank } of ranked(surprises, canonical)) if (rank <= candidateLimit) candidates.add(row);
  const shortfalls = plain.filter((c) => c.outcome !== null && c.outcome.status !== "delivered");
  for (const { row, rank } of ranked(shortfalls, (c) => [c.audience === "public" ? 0 : 1, -lateness(c.dueDate, c.outcome!.resolvedAt).daysLate])) if (rank <= candidateLimit) candidates.add(row);
  const open = plain.filter((c) => c.outcome === null);
  if (open.length <= LETTER_CONSEQUENTIAL_LIMIT) for (const c of open) candidates.add(c);
  return { counts, candidates: [...candidates].map(narrowed), revised: input.commitments.filter((c) => c.revisions.length > 0).map(narrowed) };
}

function composedFromCounts(input: LetterInput, candidateLimit?: number): string {
  const { counts, candidates, revised } = asDatabaseCounts(input, candidateLimit);
  const counted = countedYear(input.audience, counts, candidates, revised);
  // The float sums too, not only as printed: added in the canonical order of their groups.
  const covered = sortedCommitments(input.commitments.filter((c) => inScope(c, input.audience)));
  const summary = summarize(covered, { today: SUMMARY_TODAY });
  expect(counted.summary).toEqual({ ...summary, reasons: { ...summary.reasons, byControl: emptySummary().reasons.byControl }, surprises: [] });
  const whole = new Map(input.commitments.map((c) => [c.id, c]));
  const year = withWhole(counted.year, new Map(countedSetOutIds(counted.year).map((id) => [id, whole.get(id)!])));
  return composeSummarisedLetter(input, counted.made, counted.summary, year).markdown;
}

/** An outcome for the i-th commitment: delivered, partial or missed, on time, late or early. */
const resolvedOutcome = (i: number) => ({ status: (["delivered", "partial", "missed"] as const)[i % 3]!, resolvedAt: (["2026-06-30", "2026-07-15", "2026-06-20"] as const)[i % 3]!, actualValue: null, reasonCategory: null, control: null, explanation: null, lesson: null, partialDescription: null, evidenceUrl: null });

describe("a summarised year composed from counts and the few commitments it orders (ADR 0059)", () => {
  it("is the letter composed from the whole year, for either audience", () => {
    fc.assert(
      fc.property(fc.array(commitment, { minLength: LETTER_IN_FULL_LIMIT + 1, maxLength: 240 }), audience, fc.boolean(), (drawn, reader, mostlyResolved) => {
        // Half the years mostly resolved and not moved: more shortfalls and surprises than a letter sets out.
        const rows = mostlyResolved ? drawn.map((r, i) => (i % 5 === 0 ? r : { ...r, movedTo: null, outcome: r.outcome ?? (i % 9 === 0 ? null : resolvedOutcome(i)) })) : drawn;
        const input = yearOf(rows, reader);
        fc.pre(isSummarisedYear(input.commitments.filter((c) => inScope(c, reader)).length));
        expect(composedFromCounts(input)).toBe(composeLetter(input).markdown);
      }),
      { numRuns: 80 },
    );
  });

  it("is the letter composed from the whole year when every commitment is plain, on one team, day and due date", () => {
    fc.assert(
      fc.property(fc.array(commitment, { minLength: LETTER_IN_FULL_LIMIT + 1, maxLength: 200 }), audience, (rows, reader) => {
        // Few open (listed by name when 25 or fewer): most resolved, on time, late or early.
        const plain = rows.map((r, i) => ({ ...r, team: "Alpha" as const, committedAt: "2026-01-05T09:00:00.000Z" as const, dueDate: "2026-06-30" as const, madeAs: null, firstWords: null, rescopes: [], carriedForward: false, outcome: r.outcome ?? (i % 9 === 0 ? null : resolvedOutcome(i)) }));
        const input = yearOf(plain, reader);
        fc.pre(isSummarisedYear(input.commitments.filter((c) => inScope(c, reader)).length));
        expect(composedFromCounts(input)).toBe(composeLetter(input).markdown);
      }),
      { numRuns: 40 },
    );
  });

  it("would not be, were fewer commitments sent than the rules say: the property can fail", () => {
    const rows = fc.sample(commitment, { numRuns: 200, seed: 11 }).map((r) => ({ ...r, madeAs: null, firstWords: null, rescopes: [], carriedForward: false, movedTo: null }));
    const input = yearOf(rows, "internal");
    expect(composedFromCounts(input)).toBe(composeLetter(input).markdown);
    expect(() => composedFromCounts(input, 3)).not.toThrow();
    expect(composedFromCounts(input, 3)).not.toBe(composeLetter(input).markdown);
  });
});
