import { describe, expect, it } from "vitest";

import type { FieldChange } from "./commitment";
import { composeLetter, escapeMarkdown, type LetterCommitment, type LetterInput, type NextYearCommitment } from "./letter";
import {
  SAID_HEADING,
  ledgerAppendixMarkdown,
  ledgerEntries,
  ledgerOutcome,
  letterPath,
  minimumsInForce,
  publishProblems,
  publishedMarkdown,
  visibleTextOutsideSaid,
  type LedgerEntry,
  type MinimumSegment,
} from "./letter-publish";
import { readLetterBody } from "~/utils/letter-reading.server";
import type { Audience, Measure, Outcome, OutcomeStatus } from "./types";

// ---------------------------------------------------------------------------------------------
// Builders (in the manner of letter.test.ts)

function metric(name: string, comparator: "gte" | "lte" | "eq", target: number, unit: string, baseline: number | null = null): Measure {
  return { kind: "metric", name, comparator, target, unit, baseline };
}

function deliverable(event: string): Measure {
  return { kind: "deliverable", event };
}

function delivered(resolvedAt: string, evidenceUrl: string | null, actualValue: number | null = null): Outcome {
  return {
    status: "delivered",
    resolvedAt,
    actualValue,
    evidenceUrl,
    partialDescription: null,
    reasonCategory: null,
    control: null,
    explanation: null,
    lesson: null,
  };
}

function shortfall(status: Exclude<OutcomeStatus, "delivered">, resolvedAt: string, actualValue: number | null = null): Outcome {
  return {
    status,
    resolvedAt,
    actualValue,
    evidenceUrl: null,
    partialDescription: status === "partial" ? "Four of five regions." : null,
    reasonCategory: status === "withdrawn" ? "deprioritised" : "underestimated_scope",
    control: "ours",
    explanation: "The provider's round trip alone costs 250 ms.",
    lesson: "Measure third-party latency before promising.",
  };
}

interface Spec {
  id: string;
  statement: string;
  team?: string;
  audience?: Audience;
  committedAt?: string;
  due?: string;
  period?: string;
  measure?: Measure;
  attempt?: number;
  outcome?: Outcome | null;
  rescopes?: Array<{ at: string; reason: string; changes: FieldChange[] }>;
}

/** A commitment whose creation revision holds the fields as first committed (every re-scope undone). */
function commitment(s: Spec): LetterCommitment {
  const rescopes = s.rescopes ?? [];
  const due = s.due ?? "2026-06-30";
  const audience = s.audience ?? "public";
  const original: Record<string, unknown> = { statement: s.statement, dueDate: due, audience };
  for (const r of [...rescopes].reverse()) for (const c of r.changes) original[c.field] = c.from;
  const committedAt = s.committedAt ?? "2025-12-01";
  return {
    id: s.id,
    statement: s.statement,
    team: { name: s.team ?? "Platform" },
    ownerName: "Sofia Marsh",
    audience,
    dueDate: due,
    periodLabel: s.period ?? "FY2026-Q2",
    committedAt,
    measure: s.measure ?? metric("p95 checkout latency", "lte", 300, "ms", 900),
    evidenceSource: "Public status page",
    attempt: s.attempt ?? 1,
    predecessor: (s.attempt ?? 1) > 1 ? { periodLabel: "FY2025-H2", attempt: (s.attempt ?? 1) - 1 } : null,
    successor: null,
    outcome: s.outcome ?? null,
    checkIns: [],
    revisions: [
      {
        kind: (s.attempt ?? 1) > 1 ? "carried_from" : "create",
        at: `${committedAt}T09:00:00Z`,
        actorName: "Sofia Marsh",
        reason: null,
        changes: [
          { field: "statement", from: null, to: original.statement },
          { field: "dueDate", from: null, to: original.dueDate },
          { field: "audience", from: null, to: original.audience },
        ],
      },
      ...rescopes.map((r) => ({ kind: "rescope", at: `${r.at}T14:30:00Z`, actorName: "Sofia Marsh", reason: r.reason, changes: r.changes })),
    ],
  };
}

function next(statement: string, o: { audience?: Audience; lintScore?: number } = {}): NextYearCommitment {
  return {
    statement,
    dueDate: "2027-06-30",
    measure: deliverable("generally available in ap-southeast-2"),
    teamName: "Platform",
    ownerName: "Sofia Marsh",
    audience: o.audience ?? "public",
    lintScore: o.lintScore ?? 100,
  };
}

function letterInput(commitments: LetterCommitment[], o: Partial<LetterInput> = {}): LetterInput {
  return {
    organisation: { name: "Northwind & <Sons>", signatoryName: "Amara Okafor", signatoryTitle: "CTO" },
    fiscalYear: 2026,
    audience: "public",
    generatedFor: "FY2026",
    commitments,
    previousLetter: null,
    nextYearCommitments: [],
    earlierYears: [],
    openCarriedForward: [],
    ...o,
  };
}

function problemsOf(body: string, commitments: LetterCommitment[], o: { audience?: Audience; next?: NextYearCommitment[]; min?: number } = {}) {
  return publishProblems({
    body,
    reading: readLetterBody(body),
    audience: o.audience ?? "public",
    commitments,
    nextYearCommitments: o.next ?? [],
    minPublicScore: o.min ?? 0,
  });
}

const NOT_DELIVERED_HEADING = "## What we did not deliver, and why";

/**
 * The body with one shortfall's bullet (its head line and its indented detail lines) removed
 * from "What we did not deliver, and why".
 */
function withoutShortfallBullet(markdown: string, statement: string): string {
  const lines = markdown.split("\n");
  const section = lines.indexOf(NOT_DELIVERED_HEADING);
  expect(section, "the letter has a not-delivered section").toBeGreaterThan(-1);
  const head = lines.findIndex((l, i) => i > section && l.startsWith(`- “${escapeMarkdown(statement)}”`));
  expect(head, "the shortfall has a bullet in the not-delivered section").toBeGreaterThan(section);
  let end = head + 1;
  while (end < lines.length && lines[end]!.startsWith("  ")) end += 1;
  return [...lines.slice(0, head), ...lines.slice(end)].join("\n");
}

// A statement full of characters the generator must escape: emphasis, underscores, a tag, an
// ampersand, a table pipe, a backslash, straight and curly quotes.
const TRICKY =
  "Ship the *fast* checkout_v2 path to <Enterprise> & “premium” customers' \"EU\" accounts | no \\ excuses by 31 March 2026.";
const PLAIN_MISS = "Checkout p95 latency will be 300 ms or less by 30 June 2026.";
const PARTIAL = "Refunds will reach customers within three working days by 30 September 2026.";
const DELIVERED = "Northwind will be generally available in eu-west-1 by 31 March 2026.";

function year(): LetterCommitment[] {
  return [
    commitment({ id: "c-tricky", statement: TRICKY, due: "2026-03-31", period: "FY2026-Q1", measure: deliverable("GA <announced> & *live*"), outcome: shortfall("missed", "2026-04-10") }),
    commitment({ id: "c-miss", statement: PLAIN_MISS, outcome: shortfall("missed", "2026-07-05", 420) }),
    commitment({ id: "c-partial", statement: PARTIAL, team: "Payments", due: "2026-09-30", period: "FY2026-Q3", outcome: shortfall("partial", "2026-09-30", 4) }),
    commitment({ id: "c-done", statement: DELIVERED, team: "Payments", due: "2026-03-31", measure: deliverable("GA in eu-west-1"), outcome: delivered("2026-03-20", "https://example.com/ga") }),
    commitment({ id: "c-open", statement: "Open thing will ship by 31 December 2026.", due: "2026-12-31", period: "FY2026-Q4" }),
  ];
}

// ---------------------------------------------------------------------------------------------

describe("letterPath", () => {
  it("gives the public letter its year and the internal one a path beside it", () => {
    expect(letterPath(2026, "public")).toBe("/letters/2026");
    expect(letterPath(2026, "internal")).toBe("/letters/2026/internal");
    expect(letterPath(1999, "public")).toBe("/letters/1999");
  });
});

/** What a reader sees of a body outside the said section, in the published rendering, blocks joined by a space. */
function readableText(markdown: string): string {
  return visibleTextOutsideSaid(readLetterBody(markdown))[0]!
    .split("¶")
    .map((b) => b.trim())
    .filter(Boolean)
    .join(" ");
}

describe("the visible text of a body", () => {
  it("undoes backslash escapes and entities, normalises quotes and whitespace, and folds case", () => {
    expect(readableText("\\*Fast\\* path\\_v2 \\| \\\\ \\[x\\]\\(y) \\# \\- \\>")).toBe("*fast* path_v2 | \\ [x](y) # - >");
    expect(readableText("&lt;b&gt; &amp; &quot;q&quot; &#39;s&#39;")).toBe("<b> & \"q\" 's'");
    expect(readableText("“Curly” ‘single’ „low”")).toBe("\"curly\" 'single' \"low\"");
    expect(readableText("  many\n  lines\tand   spaces  ")).toBe("many lines and spaces");
  });

  it("decodes an escaped entity only once", () => {
    // escapeMarkdown("&lt;") is "&amp;lt;": the reader sees "&lt;", not "<".
    expect(readableText(escapeMarkdown("a &lt; b"))).toBe("a &lt; b");
  });

  it("reads every escaped statement back as its words", () => {
    for (const s of [TRICKY, "- leading dash", "+ plus", "1. numbered", "2) second", "# hash", "> quote", "[link](javascript:x)", "a\\b_c*d", "R&D; <tag>", "a &lt; b", "= 99.9% uptime"]) {
      // What the matcher compares against: the statement with quotes, spaces and case normalised.
      const words = s.replace(/[“”„]/g, '"').replace(/[‘’]/g, "'").replace(/\s+/g, " ").trim().toLocaleLowerCase("en-GB");
      expect(readableText(escapeMarkdown(s)), s).toBe(words);
    }
    const c = [commitment({ id: "eq", statement: "= 99.9% uptime", outcome: shortfall("missed", "2026-07-05") })];
    expect(problemsOf(`We missed “${escapeMarkdown("= 99.9% uptime")}”.`, c)).toEqual([]);
  });

  it("leaves out the said section, its sub-headings included, up to the next heading of level one or two", () => {
    const body = ["# Annual letter FY2026", "", "intro", "", `## ${SAID_HEADING}`, "", "promised A", "", "### Platform", "", "promised B", "", "## What we delivered", "", "delivered C"].join("\n");
    expect(readableText(body)).toBe("annual letter fy2026 intro what we delivered delivered c");
  });

  it("matches the said heading whatever its case, spacing or closing hashes, and ignores one inside fenced code", () => {
    expect(readableText(["before", "", "##   what WE said we would DO  ##", "", "promised", "", "# Next", "", "after"].join("\n"))).toBe("before next after");
    const fenced = ["```", `## ${SAID_HEADING}`, "```", "", "kept"].join("\n");
    expect(readableText(fenced)).toBe("kept");
  });
});

describe("publishProblems: shortfalls must be mentioned outside what we said", () => {
  it("passes the generated letter, whose statements are escaped, for both audiences", () => {
    const commitments = year();
    for (const audience of ["public", "internal"] as const) {
      const { markdown } = composeLetter(letterInput(commitments, { audience }));
      // The tricky statement really is escaped in the Markdown, not copied raw.
      expect(markdown).toContain(escapeMarkdown(TRICKY));
      expect(markdown).not.toContain(TRICKY);
      expect(problemsOf(markdown, commitments, { audience })).toEqual([]);
    }
  });

  it("fails, naming the commitment, when the tricky shortfall's bullet is deleted from what we did not deliver", () => {
    const commitments = year();
    const { markdown } = composeLetter(letterInput(commitments));
    const edited = withoutShortfallBullet(markdown, TRICKY);
    // It is still quoted in "What we said we would do", which does not count.
    expect(edited).toContain(`“${escapeMarkdown(TRICKY)}”`);
    expect(problemsOf(edited, commitments)).toEqual([
      {
        code: "SHORTFALL_NOT_MENTIONED",
        commitmentId: "c-tricky",
        statement: TRICKY,
        status: "missed",
        message: `“${TRICKY}” was missed, but the letter does not say so where readers can see it: quote it in the text where you explain what happened (not in a link title, image text, comment, code block, struck-through or hidden text).`,
      },
    ]);
  });

  it("fails for a deleted partial delivery, and lists several shortfalls ordered by statement", () => {
    const commitments = year();
    const { markdown } = composeLetter(letterInput(commitments));
    const edited = withoutShortfallBullet(withoutShortfallBullet(markdown, TRICKY), PARTIAL);
    const problems = problemsOf(edited, commitments);
    expect(problems.map((p) => [p.code, "commitmentId" in p ? p.commitmentId : null, "status" in p ? p.status : null])).toEqual([
      ["SHORTFALL_NOT_MENTIONED", "c-partial", "partial"],
      ["SHORTFALL_NOT_MENTIONED", "c-tricky", "missed"],
    ]);
    expect(problems[0]!.message).toContain("was partially delivered");
  });

  it("does not count a mention inside the said section, but counts one anywhere else", () => {
    const c = [commitment({ id: "m", statement: PLAIN_MISS, outcome: shortfall("missed", "2026-07-05") })];
    const said = `# Letter\n\n## ${SAID_HEADING}\n\n- “${PLAIN_MISS}” Made on 1 December 2025.\n\n## What we delivered\n\nNothing.\n`;
    expect(problemsOf(said, c).map((p) => p.code)).toEqual(["SHORTFALL_NOT_MENTIONED"]);
    // Under a sub-heading of the said section it is still in the said section.
    const sub = `## ${SAID_HEADING}\n\n### Platform\n\n${PLAIN_MISS}\n`;
    expect(problemsOf(sub, c).map((p) => p.code)).toEqual(["SHORTFALL_NOT_MENTIONED"]);
    // Before the said section, or after it, it counts.
    expect(problemsOf(`We missed ${PLAIN_MISS}\n\n## ${SAID_HEADING}\n\nx\n`, c)).toEqual([]);
    expect(problemsOf(`## ${SAID_HEADING}\n\nx\n\n## What went wrong\n\nWe missed ${PLAIN_MISS}\n`, c)).toEqual([]);
  });

  it("matches a hand-written mention regardless of case, line breaks, curly quotes or escaping", () => {
    const statement = "Customers' \"orders\" will ship_fast by 31 March 2026.";
    const c = [commitment({ id: "q", statement, outcome: shortfall("withdrawn", "2026-02-01") })];
    expect(problemsOf("We withdrew: CUSTOMERS’ “ORDERS” WILL\nship\\_fast by 31 March   2026.", c)).toEqual([]);
    expect(problemsOf("We withdrew: customers&#39; &quot;orders&quot; will ship\\_fast by 31 march 2026.", c)).toEqual([]);
    // A paraphrase is not a mention.
    expect(problemsOf("We withdrew the order shipping promise.", c)).toMatchObject([
      { code: "SHORTFALL_NOT_MENTIONED", commitmentId: "q", status: "withdrawn", statement },
    ]);
  });

  it("accepts the original words or the re-scoped ones after a re-scope, and names the current statement when neither appears", () => {
    const original = "Customers will see live parcel location on a map by 31 March 2026.";
    const revised = "Customers will see parcel location updated every 15 minutes by 30 June 2026.";
    const c = [
      commitment({
        id: "r",
        statement: revised,
        due: "2026-06-30",
        outcome: shortfall("partial", "2026-06-30"),
        rescopes: [
          {
            at: "2026-02-10",
            reason: "The map provider's licence costs more than the feature earns.",
            changes: [
              { field: "statement", from: original, to: revised },
              { field: "dueDate", from: "2026-03-31", to: "2026-06-30" },
            ],
          },
        ],
      }),
    ];
    expect(problemsOf(`## What happened\n\nWe promised ${original} We fell short.`, c)).toEqual([]);
    expect(problemsOf(`## What happened\n\n${revised} was only partly delivered.`, c)).toEqual([]);
    // The generated letter passes, and so does it with the not-delivered bullet gone, because
    // "What changed along the way" still quotes the commitment outside the said section.
    const { markdown } = composeLetter(letterInput(c));
    expect(problemsOf(markdown, c)).toEqual([]);
    // The original words only in the said section do not count.
    expect(problemsOf(`## ${SAID_HEADING}\n\n- “${original}”\n\n## Next\n\nnothing`, c)).toMatchObject([
      { code: "SHORTFALL_NOT_MENTIONED", commitmentId: "r", statement: revised, status: "partial" },
    ]);
  });

  it("ignores internal-only shortfalls in a public letter, but not in an internal one, nor a public promise later made internal", () => {
    const internalMiss = "Rotate database credentials every 30 days by 31 March 2026.";
    const madeInternal = "Publish the fraud model card by 31 March 2026.";
    const c = [
      commitment({ id: "int", statement: internalMiss, audience: "internal", outcome: shortfall("missed", "2026-04-01") }),
      commitment({
        id: "moved",
        statement: madeInternal,
        audience: "internal",
        outcome: shortfall("withdrawn", "2026-03-01"),
        rescopes: [{ at: "2026-02-01", reason: "Legal review.", changes: [{ field: "audience", from: "public", to: "internal" }] }],
      }),
    ];
    expect(problemsOf("Nothing to say.", c, { audience: "public" })).toEqual([
      expect.objectContaining({ code: "SHORTFALL_NOT_MENTIONED", commitmentId: "moved", status: "withdrawn" }),
    ]);
    expect(problemsOf("Nothing to say.", c, { audience: "internal" }).map((p) => ("commitmentId" in p ? p.commitmentId : p.code))).toEqual([
      "moved",
      "int",
    ]);
    // The generated public letter leaves the internal miss out and still passes.
    const { markdown } = composeLetter(letterInput(c));
    expect(markdown).not.toContain("database credentials");
    expect(problemsOf(markdown, c)).toEqual([]);
  });

  it("never asks for delivered or still-open commitments to be mentioned", () => {
    const c = [
      commitment({ id: "d", statement: DELIVERED, outcome: delivered("2026-03-20", "https://example.com") }),
      commitment({ id: "o", statement: "Still open by 31 December 2026.", due: "2026-12-31" }),
    ];
    expect(problemsOf("A short letter.", c)).toEqual([]);
  });

  it("refuses an empty body, first", () => {
    const c = [commitment({ id: "m", statement: PLAIN_MISS, outcome: shortfall("missed", "2026-07-05") })];
    expect(problemsOf("  \n\t\n", [])).toEqual([{ code: "EMPTY_BODY", message: "The letter has no body." }]);
    expect(problemsOf("", c).map((p) => p.code)).toEqual(["EMPTY_BODY", "SHORTFALL_NOT_MENTIONED"]);
  });

  it("does not count words a reader never sees: a mention hidden in an HTML comment", () => {
    // The published HTML is sanitised, which drops comments: the reader would never learn
    // what happened to the commitment, so the mention must not satisfy the rule.
    const c = [commitment({ id: "m", statement: PLAIN_MISS, outcome: shortfall("missed", "2026-07-05") })];
    expect(problemsOf(`We had a good year.\n\n<!-- ${PLAIN_MISS} -->\n`, c).map((p) => p.code)).toEqual(["SHORTFALL_NOT_MENTIONED"]);
  });
});

describe("publishProblems: next year's public commitments and the minimum score", () => {
  it("blocks public commitments below the minimum, in statement order, and ignores internal ones and those at the minimum", () => {
    const nextYear = [
      next("Zebra crossings will be improved.", { lintScore: 40 }),
      next("Apdex will be world-class.", { lintScore: 69 }),
      next("Exactly at the minimum by 30 June 2027.", { lintScore: 70 }),
      next("Internal vague thing.", { audience: "internal", lintScore: 10 }),
    ];
    const problems = problemsOf("A body.", [], { next: nextYear, min: 70 });
    expect(problems).toEqual([
      {
        code: "NEXT_YEAR_BELOW_MINIMUM",
        statement: "Apdex will be world-class.",
        lintScore: 69,
        minimum: 70,
        message: "Next year’s public commitment “Apdex will be world-class.” scores 69, below the minimum of 70: make it falsifiable before publishing.",
      },
      expect.objectContaining({ code: "NEXT_YEAR_BELOW_MINIMUM", statement: "Zebra crossings will be improved.", lintScore: 40, minimum: 70 }),
    ]);
    // Applies to internal letters too: the rule is about public commitments, not the letter's audience.
    expect(problemsOf("A body.", [], { audience: "internal", next: nextYear, min: 70 })).toHaveLength(2);
    expect(problemsOf("A body.", [], { next: nextYear, min: 0 })).toEqual([]);
  });

  it("puts next-year problems after shortfalls", () => {
    const c = [commitment({ id: "m", statement: PLAIN_MISS, outcome: shortfall("missed", "2026-07-05") })];
    expect(problemsOf("A body.", c, { next: [next("Vague.", { lintScore: 5 })], min: 50 }).map((p) => p.code)).toEqual([
      "SHORTFALL_NOT_MENTIONED",
      "NEXT_YEAR_BELOW_MINIMUM",
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// The ledger

function ledgerYear(): LetterCommitment[] {
  return [
    commitment({
      id: "b-2",
      statement: "Zeta: payouts settle next day by 31 March 2026.",
      team: "Payments",
      due: "2026-03-31",
      period: "FY2026-Q1",
      measure: metric("share of payouts settled next day", "gte", 99, "%", 92),
      outcome: delivered("2026-03-31T18:00:00Z", "https://example.com/payouts", 1234.5),
    }),
    commitment({
      id: "b-1",
      statement: "Alpha: refunds within 3 days by 31 March 2026.",
      team: "Payments",
      due: "2026-03-31",
      period: "FY2026-Q1",
      outcome: shortfall("missed", "2026-04-27", 5),
    }),
    commitment({
      id: "a-1",
      statement: "Checkout | p95 ≤ 300 ms by 30 June 2026.",
      team: "Checkout",
      due: "2026-06-30",
      attempt: 2,
      outcome: shortfall("partial", "2026-07-01"),
      rescopes: [{ at: "2026-05-01", reason: "Provider latency.", changes: [{ field: "dueDate", from: "2026-05-31", to: "2026-06-30" }] }],
    }),
    commitment({ id: "a-0", statement: "Checkout open item by 1 May 2026.", team: "Checkout", due: "2026-05-01" }),
    commitment({
      id: "int-1",
      statement: "Internal only by 31 March 2026.",
      team: "Alpha internal",
      audience: "internal",
      due: "2026-03-31",
      outcome: shortfall("withdrawn", "2026-02-01"),
    }),
  ];
}

describe("ledgerEntries", () => {
  it("lists every commitment in scope by team, due date, statement and id, with its outcome", () => {
    const entries = ledgerEntries(ledgerYear(), "public");
    expect(entries.map((e) => e.id)).toEqual(["a-0", "a-1", "b-1", "b-2"]);
    expect(entries[1]).toEqual({
      id: "a-1",
      statement: "Checkout | p95 ≤ 300 ms by 30 June 2026.",
      teamName: "Checkout",
      periodLabel: "FY2026-Q2",
      dueDate: "2026-06-30",
      audience: "public",
      status: "partial",
      resolvedAt: "2026-07-01",
      daysLate: 1,
      measure: "p95 checkout latency ≤ 300 ms (from 900 ms)",
      actualValue: null,
      evidenceUrl: null,
      attempt: 2,
      rescoped: true,
      movedTo: null,
    } satisfies LedgerEntry);
    expect(entries[0]).toMatchObject({ id: "a-0", status: "open", resolvedAt: null, daysLate: 0, attempt: 1, rescoped: false });
    expect(entries[2]).toMatchObject({ id: "b-1", status: "missed", resolvedAt: "2026-04-27", daysLate: 27, actualValue: 5 });
    // A timestamp's calendar day is the resolution day; resolving on the due date is not late.
    expect(entries[3]).toMatchObject({
      id: "b-2",
      status: "delivered",
      resolvedAt: "2026-03-31",
      daysLate: 0,
      actualValue: 1234.5,
      evidenceUrl: "https://example.com/payouts",
      measure: "share of payouts settled next day ≥ 99% (from 92%)",
    });
  });

  it("includes internal commitments only in the internal ledger, and is independent of input order", () => {
    const internal = ledgerEntries(ledgerYear(), "internal");
    expect(internal.map((e) => e.id)).toEqual(["int-1", "a-0", "a-1", "b-1", "b-2"]);
    expect(internal[0]).toMatchObject({ audience: "internal", status: "withdrawn", daysLate: 0 });
    expect(ledgerEntries([...ledgerYear()].reverse(), "internal")).toEqual(internal);
  });

  it("breaks ties on the same team, due date and statement by id", () => {
    const twins = [
      commitment({ id: "z", statement: "Same words by 1 May 2026.", due: "2026-05-01" }),
      commitment({ id: "m", statement: "Same words by 1 May 2026.", due: "2026-05-01" }),
    ];
    expect(ledgerEntries(twins, "public").map((e) => e.id)).toEqual(["m", "z"]);
  });
});

describe("ledgerOutcome", () => {
  const base = ledgerEntries(ledgerYear(), "public");
  it("says what happened, when, and how late", () => {
    expect(base.map(ledgerOutcome)).toEqual([
      "No outcome yet",
      "Partially delivered on 1 July 2026, 1 day late",
      "Missed on 27 April 2026, 27 days late",
      "Delivered on 31 March 2026",
    ]);
    expect(ledgerOutcome({ ...base[2]!, daysLate: 1234 })).toBe("Missed on 27 April 2026, 1,234 days late");
  });
});

const MINIMUM_70: MinimumSegment[] = [{ since: null, score: 70 }];

describe("ledgerAppendixMarkdown", () => {
  it("says so when there were no commitments, and still explains the rating method", () => {
    const md = ledgerAppendixMarkdown([], "FY2026", "public", MINIMUM_70);
    expect(md).toContain("## Ledger appendix\n\nWe made no customer-facing commitments in FY2026.\n\n## How we rate outcomes\n");
    expect(md).not.toContain("| Commitment |");
    expect(md).toContain("- **Withdrawn**: we stopped pursuing the commitment, and say why. Withdrawn commitments still count as made.");
    expect(md.endsWith("\n")).toBe(true);
    expect(ledgerAppendixMarkdown([], "FY2026", "internal", MINIMUM_70)).toContain("We made no commitments in FY2026.");
  });

  it("writes a row per commitment with its team, due date, measure, outcome, lateness, attempt and re-scope", () => {
    const entries = ledgerEntries(ledgerYear(), "public");
    const md = ledgerAppendixMarkdown(entries, "FY2026", "public", MINIMUM_70);
    const lines = md.split("\n");
    expect(lines.slice(0, 6)).toEqual([
      "## Ledger appendix",
      "",
      "Every customer-facing commitment of FY2026, with its outcome as recorded when this letter was published.",
      "",
      "| Commitment | Team | Due | Measure | Outcome | Result |",
      "| --- | --- | --- | --- | --- | ---: |",
    ]);
    expect(lines.slice(6, 10)).toEqual([
      "| Checkout open item by 1 May 2026. | Checkout | 1 May 2026 | p95 checkout latency ≤ 300 ms (from 900 ms) | No outcome yet | — |",
      "| Checkout \\| p95 ≤ 300 ms by 30 June 2026. (attempt 2, re-scoped) | Checkout | 30 June 2026 | p95 checkout latency ≤ 300 ms (from 900 ms) | Partially delivered on 1 July 2026, 1 day late | — |",
      "| Alpha: refunds within 3 days by 31 March 2026. | Payments | 31 March 2026 | p95 checkout latency ≤ 300 ms (from 900 ms) | Missed on 27 April 2026, 27 days late | 5 |",
      "| Zeta: payouts settle next day by 31 March 2026. | Payments | 31 March 2026 | share of payouts settled next day ≥ 99% (from 92%) | Delivered on 31 March 2026 | 1,234.5 |",
    ]);
    expect(lines[10]).toBe("");
    expect(lines[11]).toBe("## How we rate outcomes");
    expect(md).not.toContain("Internal only");
  });

  it("shows only one note when a commitment is just re-scoped or just a later attempt", () => {
    const [entry] = ledgerEntries([commitment({ id: "x", statement: "X by 1 May 2026.", due: "2026-05-01" })], "public");
    const row = (e: LedgerEntry) => ledgerAppendixMarkdown([e], "FY2026", "public", MINIMUM_70).split("\n")[6]!;
    expect(row({ ...entry!, attempt: 3 })).toMatch(/^\| X by 1 May 2026\. \(attempt 3\) \|/);
    expect(row({ ...entry!, rescoped: true })).toMatch(/^\| X by 1 May 2026\. \(re-scoped\) \|/);
    expect(row(entry!)).toMatch(/^\| X by 1 May 2026\. \| Platform \|/);
  });

  it("escapes user text in cells, so a pipe or a tag cannot break the table or inject HTML", () => {
    const [entry] = ledgerEntries(
      [commitment({ id: "x", statement: "A | B <script>alert(1)</script>", team: "Ops | <b>", due: "2026-05-01", measure: deliverable("live | <i>") })],
      "public",
    );
    const row = ledgerAppendixMarkdown([entry!], "FY 2026", "public", MINIMUM_70).split("\n")[6]!;
    expect(row).toBe("| A \\| B &lt;script>alert(1)&lt;/script> | Ops \\| &lt;b> | 1 May 2026 | live \\| &lt;i> | No outcome yet | — |");
    expect(row.split(/(?<!\\)\|/)).toHaveLength(8);
  });

  it("says which year and audience for the internal ledger", () => {
    const md = ledgerAppendixMarkdown(ledgerEntries(ledgerYear(), "internal"), "FY2026", "internal", MINIMUM_70);
    expect(md).toContain("Every commitment of FY2026, with its outcome as recorded when this letter was published.");
    expect(md).toContain("| Internal only by 31 March 2026. | Alpha internal | 31 March 2026 |");
    expect(md).toContain("| Withdrawn on 1 February 2026 | — |");
  });
});

describe("publishedMarkdown", () => {
  it("is the body without trailing whitespace, a blank line, then the appendix", () => {
    const appendix = ledgerAppendixMarkdown([], "FY2026", "public", MINIMUM_70);
    expect(publishedMarkdown("# Letter\n\nBody.\n\n\n  \n", appendix)).toBe(`# Letter\n\nBody.\n\n${appendix}`);
    expect(publishedMarkdown("Body.", appendix)).toBe(`Body.\n\n${appendix}`);
    // Leading text of the body is untouched.
    expect(publishedMarkdown("  indented\n", "A\n")).toBe("  indented\n\nA\n");
  });

  it("keeps the appendix however the body was edited", () => {
    const c = ledgerYear();
    const { markdown } = composeLetter(letterInput(c));
    const appendix = ledgerAppendixMarkdown(ledgerEntries(c, "public"), "FY2026", "public", MINIMUM_70);
    const published = publishedMarkdown(`${markdown}\n## Ledger appendix\n\nfake\n`, appendix);
    expect(published.endsWith(appendix)).toBe(true);
    expect(published.startsWith(markdown.trimEnd())).toBe(true);
  });
});

describe("the falsifiability minimum in force, stated in every letter's rating method", () => {
  const start = "2026-01-01";
  const end = "2026-12-31";

  it.each<[string, Parameters<typeof minimumsInForce>[0], number, MinimumSegment[]]>([
    ["no history: today's value", [], 55, [{ since: null, score: 55 }]],
    ["set before the year, unchanged", [{ on: "2025-03-01", fromScore: null, toScore: 70 }], 70, [{ since: null, score: 70 }]],
    [
      "lowered during the year",
      [
        { on: "2025-03-01", fromScore: null, toScore: 70 },
        { on: "2026-05-03", fromScore: 70, toScore: 50 },
      ],
      50,
      [
        { since: null, score: 70 },
        { since: "2026-05-03", score: 50 },
      ],
    ],
    [
      "a change after the year doesn't reach back",
      [
        { on: "2025-03-01", fromScore: null, toScore: 70 },
        { on: "2027-02-01", fromScore: 70, toScore: 40 },
      ],
      40,
      [{ since: null, score: 70 }],
    ],
    ["set up during the year", [{ on: "2026-04-10", fromScore: null, toScore: 70 }], 70, [{ since: "2026-04-10", score: 70 }]],
    [
      "two changes on one day: the last one counts",
      [
        { on: "2025-01-01", fromScore: null, toScore: 70 },
        { on: "2026-06-01", fromScore: 70, toScore: 30 },
        { on: "2026-06-01", fromScore: 30, toScore: 60 },
      ],
      60,
      [
        { since: null, score: 70 },
        { since: "2026-06-01", score: 60 },
      ],
    ],
  ])("%s", (_name, changes, current, expected) => {
    expect(minimumsInForce(changes, start, end, current)).toEqual(expected);
  });

  it("states the minimum, and when it was lowered", () => {
    expect(ledgerAppendixMarkdown([], "FY2026", "public", MINIMUM_70)).toContain(
      "- **Falsifiability minimum**: in FY2026 a public commitment could only be made with a falsifiability score of at least 70 out of 100.",
    );
    const lowered = ledgerAppendixMarkdown([], "FY2026", "internal", [
      { since: null, score: 70 },
      { since: "2026-05-03", score: 50 },
    ]);
    expect(lowered).toContain("at least 70 out of 100 until 3 May 2026 and at least 50 out of 100 from 3 May 2026.");
  });

  it("says plainly when there was no minimum", () => {
    expect(ledgerAppendixMarkdown([], "FY2026", "public", [{ since: null, score: 0 }])).toContain(
      "in FY2026 we set no minimum falsifiability score for public commitments.",
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Issue 11: "mentioned" is what a reader sees; the body cannot swallow or impersonate Kept's
// appendix. Each hiding place below carries the missed commitment's exact words and is refused.

describe("publishProblems: a mention must be text a reader sees", () => {
  const MISS = "Checkout p95 latency will be 300 ms or less by 30 June 2026.";
  const c = [commitment({ id: "m", statement: MISS, outcome: shortfall("missed", "2026-07-05") })];
  const codes = (body: string) => problemsOf(body, c).map((p) => p.code);
  const lead = "Nothing to report this year.\n\n";

  it.each([
    ["a link title", `${lead}[our status page](https://status.example.com "${MISS}")`],
    ["a link's address", `${lead}[status](https://status.example.com/${encodeURIComponent(MISS)})`],
    ["image alt text", `${lead}![${MISS}](https://example.com/pixel.png)`],
    ["an image title", `${lead}![chart](https://example.com/chart.png "${MISS}")`],
    ["a link-reference definition", `${lead}[status]: https://status.example.com "${MISS}"`],
    ["an HTML comment", `${lead}<!-- ${MISS} -->`],
    ["an inline HTML comment", `${lead}All good <!-- ${MISS} --> here.`],
    ["a fenced code block", `${lead}\`\`\`\n${MISS}\n\`\`\``],
    ["an indented code block", `${lead}    ${MISS}`],
    ["a <pre> element", `${lead}<pre>${MISS}</pre>`],
    ["an element with the hidden attribute", `${lead}<div hidden>${MISS}</div>`],
    ["an aria-hidden element", `${lead}<span aria-hidden="true">${MISS}</span>`],
    ["display:none", `${lead}<span style="display:none">${MISS}</span>`],
    ["visibility:hidden", `${lead}<p style="visibility: hidden">${MISS}</p>`],
    ["font-size:0", `${lead}<span style="font-size:0">${MISS}</span>`],
    ["zero width and height", `${lead}<div style="width:0;height:0;overflow:hidden">${MISS}</div>`],
    ["white text (same colour as the page)", `${lead}<span style="color:#fff">${MISS}</span>`],
    ["off-screen positioning", `${lead}<span style="position:absolute;left:-9999px">${MISS}</span>`],
    ["a class that hides (the site's own visually-hidden class)", `${lead}<span class="visually-hidden">${MISS}</span>`],
    ["a zero width attribute", `${lead}<div width="0" height="0">${MISS}</div>`],
    ["a <font> with a colour", `${lead}<font color="white">${MISS}</font>`],
    ["a closed <details>", `${lead}<details><summary>More</summary>\n\n${MISS}\n\n</details>`],
    ["<noscript>", `${lead}<noscript>${MISS}</noscript>`],
    ["<template>", `${lead}<template>${MISS}</template>`],
    ["<textarea>", `${lead}<textarea>${MISS}</textarea>`],
    ["<select><option>", `${lead}<select><option>${MISS}</option></select>`],
    ["an <object> fallback", `${lead}<object data="x">${MISS}</object>`],
    ["<del> (struck through)", `${lead}<del>${MISS}</del>`],
    ["GFM strikethrough", `${lead}~~${MISS}~~`],
    ["<s>", `${lead}<s>${MISS}</s>`],
    ["superscript", `${lead}Fine.<sup>${MISS}</sup>`],
    ["subscript", `${lead}Fine.<sub>${MISS}</sub>`],
    ["<small>", `${lead}Fine. <small>${MISS}</small>`],
    ["only the said section", `${lead}## ${SAID_HEADING}\n\n${MISS}\n\n## What we delivered\n\nAll of it.`],
  ])("refuses a mention hidden in %s", (_where, body) => {
    expect(codes(body)).toContain("SHORTFALL_NOT_MENTIONED");
  });

  it.each([
    ["SVG <desc>", `${lead}<svg><desc>${MISS}</desc></svg>`],
    ["SVG <title>", `${lead}<svg><title>${MISS}</title></svg>`],
    ["zero-size SVG text", `${lead}<svg width="0" height="0"><text>${MISS}</text></svg>`],
    ["visible SVG text", `${lead}<svg viewBox="0 0 900 20"><text x="0" y="15">${MISS}</text></svg>`],
    ["MathML", `${lead}<math><mtext>${MISS}</mtext></math>`],
  ])("refuses %s: the body may not carry SVG or MathML at all", (_where, body) => {
    expect(codes(body)).toEqual(expect.arrayContaining(["BODY_FORBIDDEN_MARKUP", "SHORTFALL_NOT_MENTIONED"]));
  });

  it("refuses a <style> element (it could hide any paragraph) and a <script>", () => {
    const styled = `<style>p:last-child{display:none}</style>\n\n${lead}${MISS}`;
    expect(problemsOf(styled, c)).toEqual([expect.objectContaining({ code: "BODY_FORBIDDEN_MARKUP", tag: "style" })]);
    expect(codes(`${lead}<script>document.title = 1</script>\n\n${MISS}`)).toEqual(["BODY_FORBIDDEN_MARKUP"]);
  });

  it.each([
    ["plain text", `We missed ${MISS}`],
    ["link text", `We missed [${MISS}](https://status.example.com).`],
    ["bold and emphasis", `We missed **${MISS}**`],
    ["a table cell", `| Commitment | Outcome |\n| --- | --- |\n| ${MISS} | Missed |`],
    ["a heading outside the said section", `## ${MISS}\n\nWe missed it.`],
    ["an open <details>", `<details open><summary>Misses</summary>\n\n${MISS}\n\n</details>`],
    ["a closed <details>' summary", `<details><summary>${MISS}</summary>\n\nWhy.\n\n</details>`],
    ["inline code (visible, though set in code type)", `We missed \`${MISS}\``],
    ["a blockquote", `> ${MISS}`],
    ["a footnote (shown as text by marked, as a footnote by GitHub)", `Good year.[^1]\n\n[^1]: ${MISS}`],
    ["a line break inside the sentence", `We missed ${MISS.replace("will be", "will<br>be")}`],
    ["non-breaking spaces between the words", `We missed ${MISS.replace(/ /g, "&nbsp;")}`],
    ["entities spelling letters", `We missed ${MISS.replace("Checkout", "Ch&#101;ck&#x6f;ut")}`],
    ["a zero-width space inside a word (renders as nothing)", `We missed ${MISS.replace("Checkout", "Check\u200Bout")}`],
    ["a soft hyphen inside a word (renders as nothing unless the line breaks there)", `We missed ${MISS.replace("latency", "laten&shy;cy")}`],
    ["a word split by an inline element", `We missed ${MISS.replace("Checkout", "Check<em>out</em>")}`],
  ])("counts a mention a reader sees in %s", (_where, body) => {
    expect(codes(body)).not.toContain("SHORTFALL_NOT_MENTIONED");
  });

  it("does not let words run together across blocks into a mention", () => {
    const [head, tail] = [MISS.slice(0, 20), MISS.slice(20)];
    expect(codes(`We missed ${head}\n\n${tail}`)).toContain("SHORTFALL_NOT_MENTIONED");
  });
});

describe("publishProblems: the body is closed before Kept appends to it", () => {
  const c: LetterCommitment[] = [];
  const problems = (body: string) => problemsOf(body, c);

  it.each([
    ["an unclosed backtick fence", "All good.\n\n```\nsome code", "fence", 3],
    ["an unclosed tilde fence", "All good.\n\n~~~~ text\nsome code", "fence", 3],
    ["a fence closed by too short a marker", "All good.\n\n````\ncode\n```", "fence", 3],
    ["an unclosed HTML comment block", "All good.\n\n<!-- hidden from here", "comment", 3],
    ["an unclosed inline comment", "All good <!-- hidden from here", "comment", 1],
    ["an unclosed <div>", "All good.\n\n<div hidden>\n\nMore text.", "html_element", 3],
    ["an unclosed <span>", "All <span>good.", "html_element", 1],
    ["an unclosed <details>", "<details>\n\nSecret.", "html_element", 1],
    ["an HTML block running to the end (<script>-type, never ended)", "All good.\n\n<pre>\ntext", "html_block", 3],
  ])("refuses %s, saying where", (_label, body, kind, line) => {
    const found = problems(body).filter((p) => p.code === "BODY_LEFT_OPEN");
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatchObject({ line });
    expect(found.map((p) => p.message).join(" ")).toMatch(kind === "fence" ? /code block/ : kind === "comment" ? /comment/ : /<\w+>/);
  });

  it("accepts balanced HTML, closed fences and a comment that ends", () => {
    expect(problems("<div>\n\nText.\n\n</div>\n\n```\ncode\n```\n\n<!-- note -->\n\nEnd.")).toEqual([]);
  });

  it.each([
    ["## Ledger appendix", "Ledger appendix"],
    ["# LEDGER APPENDIX", "Ledger appendix"],
    ["### 10. Ledger appendix:", "Ledger appendix"],
    ["Ledger appendix\n---------------", "Ledger appendix"],
    ["<h2>Ledger appendix</h2>", "Ledger appendix"],
    ["<h2 hidden>Ledger   appendix</h2>", "Ledger appendix"],
    ["## How we rate outcomes", "How we rate outcomes"],
    ["## Errata", "Errata"],
    ["## Record checkpoint", "Record checkpoint"],
  ])("refuses a heading reserved for Kept: %j", (heading, name) => {
    expect(problems(`Intro.\n\n${heading}\n\n| Commitment | Outcome |\n| --- | --- |\n| All | Delivered |\n`)).toContainEqual(
      expect.objectContaining({ code: "BODY_RESERVED_HEADING", heading: name }),
    );
  });

  it("accepts the same words when they are not a heading", () => {
    expect(problems("See the ledger appendix below; errata, if any, follow it.")).toEqual([]);
  });

  it("passes the generated letter, which holds only a marker where Kept puts the chart", () => {
    const commitments = year();
    const composed = composeLetter(
      letterInput(commitments, { earlierYears: [{ fiscalYear: 2025, made: 4, delivered: 2, partial: 1, missed: 1, withdrawn: 0 }] }),
    );
    expect(composed.chart).toContain("<svg");
    expect(composed.markdown).not.toContain("<svg");
    expect(problemsOf(composed.markdown, commitments)).toEqual([]);
  });
});

describe("a commitment moved to a later year after it was locked", () => {
  const moved = (): LetterCommitment => ({
    ...commitment({
      id: "moved",
      statement: "Search results load in 200 ms or less by 31 March 2027.",
      period: "FY2027-Q1",
      due: "2027-03-31",
      rescopes: [
        {
          at: "2026-05-02",
          reason: "The search index rebuild slipped behind the storage migration.",
          changes: [
            { field: "periodLabel", from: "FY2026-Q2", to: "FY2027-Q1" },
            { field: "dueDate", from: "2026-06-30", to: "2027-03-31" },
          ],
        },
      ],
    }),
    movedTo: "FY2027-Q1",
  });
  const stays = () => commitment({ id: "stays", statement: DELIVERED, due: "2026-03-31", outcome: delivered("2026-03-30", "https://example.com/ga") });

  it("stays in its original year's letter, counted as made there, and is listed under what changed", () => {
    const { sections, markdown } = composeLetter(letterInput([stays(), moved()]));
    const text = (id: string) => sections.find((s) => s.id === id)!.markdown;
    // The denominator keeps it: two made, one delivered in full.
    expect(text("delivered")).toContain("We delivered one of our two commitments in full.");
    expect(text("said")).toContain("Search results load in 200 ms or less");
    expect(text("not-delivered")).toContain("(moved to FY2027-Q1 (re-scope), now due 31 March 2027)");
    const changed = text("changed");
    expect(changed).toContain("Search results load in 200 ms or less");
    expect(changed).toContain("Moved to FY2027-Q1 (re-scope): it still counts as made in FY2026");
    expect(changed).toContain("| Period | FY2026-Q2 | FY2027-Q1 |");
    expect(changed).toContain("The search index rebuild slipped behind the storage migration.");
    expect(markdown).not.toContain("Nothing was re-scoped");
  });

  it("stays in the year's ledger appendix as moved, not as an open commitment", () => {
    const entries = ledgerEntries([stays(), moved()], "public");
    expect(entries.map((e) => e.id)).toEqual(["stays", "moved"]);
    expect(entries[1]).toMatchObject({ status: "open", movedTo: "FY2027-Q1", rescoped: true });
    const md = ledgerAppendixMarkdown(entries, "FY2026", "public", MINIMUM_70);
    expect(md).toContain(
      "| Search results load in 200 ms or less by 31 March 2027. (moved to FY2027-Q1 (re-scope)) | Platform | 31 March 2027 | p95 checkout latency ≤ 300 ms (from 900 ms) | Moved to FY2027-Q1 (re-scope) | — |",
    );
    // A ledger frozen before movedTo was recorded still reads.
    const { movedTo: _dropped, ...old } = entries[1]!;
    expect(ledgerOutcome(old)).toBe("No outcome yet");
  });
});

describe("outcomes changed since an earlier letter", () => {
  it("are disclosed under what changed, beside the re-scopes, with the reason or its absence", () => {
    const changes = [
      { statement: "Checkout | p95 ≤ 300 ms by 30 June 2025.", fiscalYear: 2025, was: "missed" as const, now: "delivered" as const, reason: "The proof turned up late" },
      { statement: "Refunds in three days.", fiscalYear: 2025, was: "open" as const, now: "withdrawn" as const, reason: null },
    ];
    const { sections } = composeLetter(letterInput([], { changedSinceEarlierLetters: changes }));
    const changed = sections.find((s) => s.id === "changed")!.markdown;
    expect(changed).toBe(
      [
        "Nothing was re-scoped.",
        "Since our last letter we changed the recorded outcome of two commitments that an earlier letter reported. The earlier letter stays as published; this is what changed, and why.",
        [
          "- “Checkout \\| p95 ≤ 300 ms by 30 June 2025.” Changed after the FY2025 letter: was Missed, now Delivered. Reason: The proof turned up late.",
          "- “Refunds in three days.” Changed after the FY2025 letter: was No outcome yet, now Withdrawn. No reason was recorded.",
        ].join("\n"),
      ].join("\n\n"),
    );
    const none = composeLetter(letterInput([], { changedSinceEarlierLetters: [] })).sections.find((s) => s.id === "changed")!.markdown;
    expect(none).toBe("Nothing was re-scoped.");
  });
});
