// A letter stays a letter at any size (ADR 0015): a 25,000-commitment year composes to a body
// under its bound, quotes only the most consequential shortfalls, counts every one, and the
// ledger file holds every commitment. The quotation search does work linear in its input.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EN_GB_COLLATOR, LETTER_CONSEQUENTIAL_LIMIT, compareCommitments, compareShortfalls, compareText, composeLetter, firstInOrder, shortfallsToQuote, sortedCommitments, type LetterCommitment, type LetterInput, type NextYearCommitment } from "./letter";
import { appendixTableRows, compareLedgerEntries, LEDGER_FILE_CLOSING, ledgerAppendixMarkdown, ledgerEntries, ledgerFileJson, ledgerFileOpening, ledgerFileSection, statedLedgerFile } from "./letter-publish";
import { findWholePhrases, type PhraseSearchStats } from "./phrase-search";

/** The most a generated body may hold, whatever the size of the year. */
const BODY_BOUND = 120_000;

function bigYear(n: number): LetterInput {
  const statuses = ["delivered", "missed", "partial", "withdrawn", null] as const;
  const commitments: LetterCommitment[] = [];
  for (let i = 0; i < n; i += 1) {
    const status = statuses[i % statuses.length] ?? null;
    commitments.push({
      id: `c-${String(i).padStart(6, "0")}`,
      statement: `Ship improvement number ${i} to region ${i % 37} by the end of the quarter`,
      team: { name: `Team ${i % 200}` },
      ownerName: null,
      audience: "public",
      dueDate: "2026-06-30",
      periodLabel: "FY2026-Q2",
      committedAt: "2026-01-05",
      measure: { kind: "deliverable", event: "The release notes list it" },
      evidenceSource: "Release notes",
      attempt: 1,
      outcome: status === null ? null : { status, resolvedAt: `2026-07-${String((i % 28) + 1).padStart(2, "0")}`, actualValue: null, evidenceUrl: null, partialDescription: null, reasonCategory: status === "delivered" ? null : "capacity_change", control: null, explanation: null, lesson: null },
      checkIns: [],
      revisions: i % 50 === 0 ? [{ kind: "rescope", at: "2026-03-01T00:00:00Z", actorName: null, reason: "Narrowed the scope to what we could ship.", changes: [{ field: "dueDate", from: "2026-05-31", to: "2026-06-30" }] }] : [],
    });
  }
  return { organisation: { name: "Acme", signatoryName: "", signatoryTitle: "" }, fiscalYear: 2026, audience: "public", generatedFor: "FY2026", commitments, previousLetter: null, nextYearCommitments: [], earlierYears: [], openCarriedForward: [] };
}

describe("a letter of a large year", { timeout: 120_000 }, () => {
  const input = bigYear(25_000);
  const letter = composeLetter(input);

  it("stays under its size bound and counts every shortfall", () => {
    expect(letter.markdown.length).toBeLessThan(BODY_BOUND);
    expect(letter.markdown).toContain("In FY2026 we made 25,000 commitments to our customers.");
    expect(letter.markdown).toContain("We fell short on 15,000 commitments");
    expect(letter.markdown).toContain("/letters/2026/ledger.json");
    // Every commitment is reachable: the letter names the ledger file for those it does not quote.
    expect(new Set(letter.mentionedIds).size).toBe(25_000);
  });

  it("quotes only the most consequential shortfalls, and they are the ones the publish check requires", () => {
    const required = shortfallsToQuote(input.commitments, "public");
    expect(required).toHaveLength(LETTER_CONSEQUENTIAL_LIMIT);
    for (const c of required) expect(letter.markdown).toContain(c.statement);
  });

  it("states a ledger file that holds every commitment", () => {
    const entries = ledgerEntries(input.commitments, "public");
    const file = ledgerFileJson({ fiscalYear: 2026, audience: "public" }, entries);
    const parsed = JSON.parse(file) as { count: number; entries: Array<{ id: string }> };
    expect(parsed.count).toBe(25_000);
    expect(new Set(parsed.entries.map((e) => e.id))).toEqual(new Set(input.commitments.map((c) => c.id)));
    const sha = "a".repeat(64);
    const appendix = ledgerAppendixMarkdown(entries, "FY2026", "public", [{ since: null, score: 0 }], { fiscalYear: 2026, sha256: sha });
    expect(appendix.length).toBeLessThan(5_000);
    expect(statedLedgerFile(`body\n\n${appendix}`)).toEqual({ sha256: sha, count: 25_000 });
    expect(appendixTableRows(entries)).toBe(6);
  });

  it("is the same file written a page of entries at a time (how the record check hashes it)", () => {
    const entries = ledgerEntries(input.commitments, "public");
    const meta = { fiscalYear: 2026, audience: "public" as const };
    const file = ledgerFileJson(meta, entries);
    for (const perPage of [1, 7, 2_000, 25_000, 30_000]) {
      let text = ledgerFileOpening({ ...meta, count: entries.length });
      for (let i = 0; i < entries.length; i += perPage) text += ledgerFileSection(entries.slice(i, i + perPage), i > 0);
      expect(`${text}${LEDGER_FILE_CLOSING}`).toBe(file);
    }
    expect(`${ledgerFileOpening({ ...meta, count: 0 })}${ledgerFileSection([], false)}${LEDGER_FILE_CLOSING}`).toBe(ledgerFileJson(meta, []));
  });
});

describe("finding every required quotation", { timeout: 60_000 }, () => {
  it("does work linear in the text plus the phrases, not their product", () => {
    const work = (n: number) => {
      const phrases = Array.from({ length: n }, (_, i) => `ship improvement number ${i} to region`);
      const text = phrases.map((p, i) => (i % 2 === 0 ? `we missed ${p} this year.` : "nothing to see here at all today.")).join(" ");
      const stats: PhraseSearchStats = { nodes: 0, steps: 0 };
      const found = findWholePhrases(text, phrases, stats);
      return { found: found.size, steps: stats.steps, input: text.length + phrases.reduce((s, p) => s + p.length, 0) };
    };
    const small = work(100);
    const large = work(10_000);
    expect(small.found).toBe(50);
    expect(large.found).toBe(5_000);
    // A bounded number of steps per character of input, the same at 100 and at 10,000 phrases.
    expect(small.steps / small.input).toBeLessThan(4);
    expect(large.steps / large.input).toBeLessThan(4);
  });

  it("finds phrases only as whole words, as the publish check always has", () => {
    const found = findWholePhrases("launch in germany and austria; launch in france.", ["launch in germany", "launch in france", "in fr"]);
    expect([...found].sort()).toEqual([0, 1]);
  });
});

describe("the letter's order of commitments", () => {
  // sortedCommitments ranks team names and days once instead of collating them on every
  // comparison; it must order exactly as compareCommitments does, ties and all.
  const text = fc.constantFrom("Alpha", "alpha", "Äpfel", "Zeta", "zeta", "Ω team", "10 Ops", "9 Ops", "", " ");
  const day = fc.constantFrom("2026-01-05", "2026-01-05T23:30:00Z", "2026-01-06T00:10:00+02:00", "2025-12-31");
  const due = fc.constantFrom("2026-06-30", "2026-07-01", "2026-06-30");
  const commitment = fc.record({ id: fc.uuid(), team: text, committedAt: day, dueDate: due, statement: text, created: fc.option(text, { nil: undefined }) });
  it("is compareCommitments' order, whatever the names, days and statements", () => {
    fc.assert(
      fc.property(fc.array(commitment, { maxLength: 60 }), (rows) => {
        const list: LetterCommitment[] = rows.map((r) => ({
          ...bigYear(1).commitments[0]!,
          id: r.id,
          statement: r.statement,
          team: { name: r.team },
          committedAt: r.committedAt,
          dueDate: r.dueDate,
          revisions: r.created === undefined ? [] : [{ kind: "create", at: r.committedAt, actorName: null, reason: null, changes: [{ field: "statement", from: null, to: r.created }] }],
        }));
        expect(sortedCommitments(list).map((c) => c.id)).toEqual([...list].sort(compareCommitments).map((c) => c.id));
      }),
      { numRuns: 300 },
    );
  });
});

describe("the ledger's order of entries", () => {
  // ledgerEntries ranks team names and due dates once instead of collating them on every
  // comparison; it must order exactly as compareLedgerEntries does, including names the collator
  // finds equal although their code units differ (a precomposed and a combining "é").
  const text = fc.constantFrom("Alpha", "alpha", "\u00e9quipe", "e\u0301quipe", "Zeta", "Ω team", "10 Ops", "9 Ops", "", " ");
  const due = fc.constantFrom("2026-06-30", "2026-07-01", "2025-12-31");
  it("is compareLedgerEntries' order, whatever the teams, due dates and statements", () => {
    expect(EN_GB_COLLATOR.compare("\u00e9quipe", "e\u0301quipe")).toBe(0);
    fc.assert(
      fc.property(fc.uniqueArray(fc.record({ id: fc.uuid(), team: text, dueDate: due, statement: text }), { maxLength: 60, selector: (r) => r.id }), (rows) => {
        const list: LetterCommitment[] = rows.map((r) => ({ ...bigYear(1).commitments[0]!, id: r.id, statement: r.statement, team: { name: r.team }, dueDate: r.dueDate }));
        const entries = ledgerEntries(list, "internal");
        expect(entries.map((e) => e.id)).toEqual([...entries].sort(compareLedgerEntries).map((e) => e.id));
        expect(entries).toHaveLength(list.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe("the most consequential first, without sorting everything", () => {
  it("firstInOrder is the sorted list's first k, for any list, k and total order", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.string({ maxLength: 3 })), { maxLength: 80 }), fc.integer({ min: 0, max: 30 }), (rows, k) => {
        const list = rows.map(([a, b, s], i) => ({ a, b, s, i }));
        const compare = (x: (typeof list)[number], y: (typeof list)[number]) => x.a - y.a || y.b - x.b || (x.s < y.s ? -1 : x.s > y.s ? 1 : 0) || x.i - y.i;
        expect(firstInOrder(list, k, compare)).toEqual([...list].sort(compare).slice(0, k));
      }),
      { numRuns: 500 },
    );
  });

  it("shows the next year's commitments a full sort by due date, team and words would put first", () => {
    // Ties of due date and team, and words that collate apart from their code units.
    const words = ["Äpfel", "apfel", "Zeta", "zeta", "Beta"];
    const next: NextYearCommitment[] = Array.from({ length: 60 }, (_, i) => ({
      statement: `${words[i % words.length]} next-year commitment ${String((i * 37) % 60).padStart(2, "0")}`,
      dueDate: i % 3 === 0 ? "2027-03-31" : "2027-06-30",
      measure: { kind: "deliverable", event: "The release notes list it" },
      teamName: i % 4 === 0 ? "alpha" : i % 4 === 1 ? "Alpha" : "Beta",
      ownerName: null,
      audience: "public",
      lintScore: 80,
    }));
    const body = composeLetter({ ...bigYear(200), nextYearCommitments: next }).markdown;
    const section = body.slice(body.indexOf("## What we commit to next year"));
    const shown = [...section.matchAll(/^- “(.+?)”/gm)].map((m) => m[1]);
    const sorted = [...next].sort((a, b) => compareText(a.dueDate, b.dueDate) || compareText(a.teamName, b.teamName) || compareText(a.statement, b.statement));
    expect(shown).toEqual(sorted.slice(0, LETTER_CONSEQUENTIAL_LIMIT).map((c) => c.statement));
    expect(section).toContain("Those are the first 25 by due date; the other 35 are on our [public ledger]");
  });

  it("quotes the shortfalls a full sort by compareShortfalls would put first", () => {
    const input = bigYear(2_000);
    const shortfalls = input.commitments.filter((c) => c.outcome !== null && c.outcome.status !== "delivered");
    expect(shortfallsToQuote(input.commitments, "public").map((c) => c.id)).toEqual([...shortfalls].sort(compareShortfalls).slice(0, LETTER_CONSEQUENTIAL_LIMIT).map((c) => c.id));
  });
});
