import { afterAll, describe, expect, it } from "vitest";

import {
  FINDING_CODES,
  MAX_SCORE,
  SCORE_WEIGHTS,
  STATEMENT_MAX_CHARS,
  STATEMENT_MAX_WORDS,
  VAGUE_TERMS,
  lintCommitment,
  type LintInput,
  type LintResult,
} from "./falsifiability";
import type { DeliverableMeasure, MetricMeasure } from "./types";

// Every case below states its findings as "<severity letter> <code>[ <term>]" in the exact order
// the linter must return them, so each row checks the set, the severities and the ordering.

const TODAY = "2025-03-15";
const Q2 = { label: "Q2 2025", start: "2025-04-01", end: "2025-06-30" };

const latency: MetricMeasure = {
  kind: "metric",
  name: "p95 checkout latency",
  baseline: 900,
  comparator: "lte",
  target: 300,
  unit: "ms",
};
const euLaunch: DeliverableMeasure = { kind: "deliverable", event: "generally available in eu-west-1" };

const sharpMetric: LintInput = {
  statement: "Cut p95 checkout latency from 900 ms to 300 ms by 30 June 2025.",
  measure: latency,
  evidenceSource: "Datadog dashboard 'Checkout p95', 28-day window",
  dueDate: "2025-06-30",
  period: Q2,
  hasOwner: true,
  today: TODAY,
};

// A deliverable carries no number, so vague words in these statements are only backed by numbers
// written in the statement itself.
const sharpDeliverable: LintInput = {
  ...sharpMetric,
  statement: "Make Kept generally available in eu-west-1 by 30 June 2025.",
  measure: euLaunch,
  evidenceSource: "Public status page and changelog entry",
};

const seen = new Set<string>();

function summary(result: LintResult): string[] {
  for (const f of result.findings) seen.add(f.code);
  return result.findings.map((f) => {
    const letter = f.severity === "error" ? "E" : f.severity === "warning" ? "W" : "I";
    return f.term ? `${letter} ${f.code} ${f.term}` : `${letter} ${f.code}`;
  });
}

function lint(overrides: Partial<LintInput>, base: LintInput = sharpMetric): LintResult {
  return lintCommitment({ ...base, ...overrides });
}

describe("sharp commitments", () => {
  it.each<[string, LintInput]>([
    ["metric", sharpMetric],
    ["deliverable", sharpDeliverable],
  ])("a fully sharp %s commitment scores 100 with no findings", (_name, input) => {
    const result = lintCommitment(input);
    expect(summary(result)).toEqual([]);
    expect(result.score).toBe(100);
    expect(result.falsifiable).toBe(true);
  });
});

describe("vague terms in the statement (deliverable measure: no metric target to back them)", () => {
  it.each<[string, string[], number]>([
    ["Improve onboarding.", ["E STATEMENT.VAGUE_TERM improve"], 75],
    ["Improving onboarding for new teams.", ["E STATEMENT.VAGUE_TERM improve"], 75],
    ["Ship onboarding improvements to new teams.", ["E STATEMENT.VAGUE_TERM improve"], 75],
    ["Enhance the editor.", ["E STATEMENT.VAGUE_TERM enhance"], 75],
    ["Optimise the billing pipeline.", ["E STATEMENT.VAGUE_TERM optimize"], 75],
    ["Explore usage-based pricing.", ["E STATEMENT.VAGUE_TERM explore"], 75],
    ["We will support all customers.", ["E STATEMENT.VAGUE_TERM support"], 75],
    ["We aim to ship dark mode.", ["E STATEMENT.VAGUE_TERM aim to"], 75],
    ["Continue to publish the changelog.", ["E STATEMENT.VAGUE_TERM continue to"], 75],
    ["Build a world-class help centre.", ["E STATEMENT.VAGUE_TERM world-class"], 75],
    ["Build a world class help centre.", ["E STATEMENT.VAGUE_TERM world-class"], 75],
    ["Seamless migration to the new billing system.", ["E STATEMENT.VAGUE_TERM seamless"], 75],
    ["Significantly reduce churn.", ["E STATEMENT.VAGUE_TERM significantly"], 75],
    ["Hire engineers as needed.", ["E STATEMENT.VAGUE_TERM as needed"], 75],
    [
      "Streamline and modernise the sign-up flow.",
      ["E STATEMENT.VAGUE_TERM streamline", "E STATEMENT.VAGUE_TERM modernize"],
      50,
    ],
    [
      "Leverage AI to drive revenue.",
      ["E STATEMENT.VAGUE_TERM leverage", "E STATEMENT.VAGUE_TERM drive"],
      50,
    ],
    [
      "A robust, scalable, efficient platform.",
      [
        "E STATEMENT.VAGUE_TERM robust",
        "E STATEMENT.VAGUE_TERM scalable",
        "E STATEMENT.VAGUE_TERM efficient",
      ],
      25,
    ],
    [
      "Revamp the dashboard to empower admins.",
      ["E STATEMENT.VAGUE_TERM revamp", "E STATEMENT.VAGUE_TERM empower"],
      50,
    ],
    [
      "Ensure admins can enable SSO.",
      ["E STATEMENT.VAGUE_TERM ensure", "E STATEMENT.VAGUE_TERM enable"],
      50,
    ],
    // "SOC 2" names a standard; the 2 is not an amount, so nothing backs "work towards".
    ["Work towards SOC 2 compliance.", ["E STATEMENT.VAGUE_TERM work towards"], 75],
    [
      "Look into and investigate slow syncs.",
      ["E STATEMENT.VAGUE_TERM look into", "E STATEMENT.VAGUE_TERM investigate"],
      50,
    ],
    [
      "Integrate various chat tools, etc.",
      ["E STATEMENT.VAGUE_TERM various", "E STATEMENT.VAGUE_TERM etc."],
      50,
    ],
    ["Fix the export bug ASAP.", ["E STATEMENT.VAGUE_TERM as soon as possible"], 75],
    ["Fix the export bug as soon as possible.", ["E STATEMENT.VAGUE_TERM as soon as possible"], 75],
    ["Translate the app where possible.", ["E STATEMENT.VAGUE_TERM where possible"], 75],
    [
      "Offer an industry-leading, cutting-edge, next-generation editor.",
      [
        "E STATEMENT.VAGUE_TERM industry-leading",
        "E STATEMENT.VAGUE_TERM cutting-edge",
        "E STATEMENT.VAGUE_TERM next-generation",
      ],
      25,
    ],
    [
      "Take a holistic approach to find synergies.",
      ["E STATEMENT.VAGUE_TERM holistic", "E STATEMENT.VAGUE_TERM synergy"],
      50,
    ],
    [
      "Make setup user-friendly and intuitive.",
      ["E STATEMENT.VAGUE_TERM user-friendly", "E STATEMENT.VAGUE_TERM intuitive"],
      50,
    ],
    [
      "Provide best-effort replies in a reasonable time.",
      ["E STATEMENT.VAGUE_TERM best effort", "E STATEMENT.VAGUE_TERM reasonable"],
      50,
    ],
    [
      "Be best-in-class for key customers.",
      ["E STATEMENT.VAGUE_TERM best-in-class", "E STATEMENT.VAGUE_TERM key"],
      50,
    ],
    [
      "Help some teams and many partners.",
      ["E STATEMENT.VAGUE_TERM some", "E STATEMENT.VAGUE_TERM many"],
      50,
    ],
    ["Make checkout faster.", ["E STATEMENT.VAGUE_TERM faster"], 75],
    ["Make checkout better.", ["E STATEMENT.VAGUE_TERM better"], 75],
    ["Onboard more customers.", ["E STATEMENT.VAGUE_TERM more"], 75],
    ["Strive to keep customers happy.", ["E STATEMENT.VAGUE_TERM strive"], 75],
    // Repeating a term (in any inflection) is still one finding, at its first use.
    ["Improve search and improve the improvements.", ["E STATEMENT.VAGUE_TERM improve"], 75],
    // Hyphens separate words: "AI-enhanced" and "data-driven" are still vague.
    ["Ship AI-enhanced search.", ["E STATEMENT.VAGUE_TERM enhance"], 75],
    ["Grow data-driven decisions.", ["E STATEMENT.VAGUE_TERM drive"], 75],
    // Decision: a hyphenated label still uses the word, so "supported-by" counts as "support".
    ["Publish a supported-by badge for partners.", ["E STATEMENT.VAGUE_TERM support"], 75],
    // Title Case says nothing about proper nouns, so "Faster" is still the vague word.
    ["Make Checkout Faster.", ["E STATEMENT.VAGUE_TERM faster"], 75],
  ])("%s", (statement, expected, score) => {
    const result = lint({ statement }, sharpDeliverable);
    expect(summary(result)).toEqual(expected);
    expect(result.score).toBe(score);
    expect(result.falsifiable).toBe(false);
  });
});

describe("near misses: words that contain or resemble vague words", () => {
  it.each<[string, string[]]>([
    ["Import 40 legacy projects for Acme.", []],
    ["Transport all backups to cold storage.", []],
    ["Ship the Explorer app to the App Store.", []],
    ["Explorer ships to 3 regions.", []],
    ["Open the explorer view to 500 beta users.", []],
    // Decision: agent nouns name a component, not an intention.
    ["Ship the query optimizer to 100% of workspaces.", []],
    ["Ship the audio enhancer to 3 regions.", []],
    ["Ship a supportive onboarding checklist.", []],
    // Capitalised mid-sentence reads as a product name.
    ["Ship the Explore tab to all users.", []],
    ["Move shared files to Google Drive by June.", []],
    ["Rotate every API key within 90 days.", []],
    ["Rotate the signing key every 90 days.", []],
    ["Answer support tickets within 4 hours.", []],
    ["Ship SAML support for Okta and Azure AD.", []],
    ["Upgrade etcd to 3.5 on all clusters.", []],
    // Decision: "enabled" is a checkable state, unlike "enable".
    ["MFA enabled for every admin account.", []],
    ["Hire two engineers for the platform team.", []],
  ])("%s", (statement, expected) => {
    const result = lint({ statement }, sharpDeliverable);
    expect(summary(result)).toEqual(expected);
    expect(result.score).toBe(100);
  });
});

describe("numbers backing vague words", () => {
  it.each<[string, string[], number?]>([
    // A number in the sentence turns the vague word into a warning: the promise is checkable.
    ["Improve p95 latency from 900 ms to 300 ms.", ["W STATEMENT.VAGUE_TERM improve"], 90],
    ["Reach 99.95% uptime and ensure failover.", ["W STATEMENT.VAGUE_TERM ensure"], 90],
    ["Ensure twice as many signups.", ["W STATEMENT.VAGUE_TERM ensure"], 90],
    ["Improve NPS from 30 to 45 by 31 December.", ["W STATEMENT.VAGUE_TERM improve"], 90],
    ["Strive for zero incidents.", ["W STATEMENT.VAGUE_TERM strive"], 90],
    // Comparatives with a number right beside them are not vague at all.
    ["Make search 10x faster.", []],
    ["Make search 30% faster.", []],
    ["Make search 200 ms faster.", []],
    ["Make search three times faster.", []],
    ["Make search faster than 300 ms at p95.", []],
    ["Make search faster by 40%.", []],
    ["Onboard more than 500 customers.", []],
    ["Onboard 500 more customers.", []],
    ["Keep no more than 2 open P1 incidents.", []],
    // A number elsewhere in the sentence only backs the comparative: warning.
    ["Onboard 40 customers and more partners.", ["W STATEMENT.VAGUE_TERM more"], 90],
    // Labels and dates are not amounts.
    ["Improve p95 checkout latency.", ["E STATEMENT.VAGUE_TERM improve"], 75],
    ["Improve onboarding by 30 June 2025.", ["E STATEMENT.VAGUE_TERM improve"], 75],
    ["Improve onboarding by 2025-06-30.", ["E STATEMENT.VAGUE_TERM improve"], 75],
    ["Improve onboarding in Q3.", ["E STATEMENT.VAGUE_TERM improve"], 75],
    ["Improve onboarding by June 30, 2025.", ["E STATEMENT.VAGUE_TERM improve"], 75],
    ["Improve onboarding in eu-west-1.", ["E STATEMENT.VAGUE_TERM improve"], 75],
  ])("%s", (statement, expected, score = 100) => {
    const result = lint({ statement }, sharpDeliverable);
    expect(summary(result)).toEqual(expected);
    expect(result.score).toBe(score);
  });

  it.each<[string, string[], number]>([
    ["Improve checkout latency.", ["W STATEMENT.NO_NUMBER_OR_EVENT", "W STATEMENT.VAGUE_TERM improve"], 80],
    ["Make checkout faster.", ["W STATEMENT.NO_NUMBER_OR_EVENT", "W STATEMENT.VAGUE_TERM faster"], 80],
  ])("a metric target backs %s", (statement, expected, score) => {
    const result = lint({ statement }, sharpMetric);
    expect(summary(result)).toEqual(expected);
    expect(result.score).toBe(score);
    expect(result.falsifiable).toBe(true);
  });

  it("a metric without a target backs nothing", () => {
    const result = lint({ statement: "Improve checkout latency.", measure: { ...latency, target: null } });
    expect(summary(result)).toEqual(["E STATEMENT.VAGUE_TERM improve", "E METRIC.NO_TARGET"]);
    expect(result.score).toBe(50);
  });
});

describe("every listed vague term is caught, with a term-specific suggestion", () => {
  const required = [
    "improve", "enhance", "optimize", "explore", "support", "strive", "aim to", "continue to",
    "world-class", "seamless", "robust", "significantly", "as needed", "best-in-class", "leverage",
    "streamline", "better", "faster", "more", "scalable", "efficient", "modernize", "revamp",
    "drive", "empower", "ensure", "enable", "work towards", "look into", "investigate", "various",
    "etc.", "as soon as possible", "where possible", "industry-leading", "cutting-edge",
    "next-generation", "holistic", "synergy", "user-friendly", "intuitive", "best effort",
    "reasonable", "key", "some", "many",
  ];
  const suggestions = new Map<string, string>();

  it.each(required)("%s", (term) => {
    expect(VAGUE_TERMS).toContain(term);
    const result = lint({ statement: `We will ${term} it` }, sharpDeliverable);
    const finding = result.findings.find((f) => f.code === "STATEMENT.VAGUE_TERM" && f.term === term);
    expect(finding).toBeDefined();
    expect(finding?.severity).toBe("error");
    expect(finding?.message).toContain(`"${term}"`);
    expect(finding?.index).toBe(8);
    suggestions.set(term, finding?.suggestion ?? "");
  });

  it.each<[string, string, string, string]>([
    ["optimise (British)", "Optimise the queue.", "optimize", "Optimise"],
    ["modernise (British)", "Modernise the stack.", "modernize", "Modernise"],
    ["enhancement", "Ship the enhancement to 3 teams.", "enhance", "enhancement"],
    ["robustness", "Add robustness to 3 services.", "robust", "robustness"],
    ["supporting", "Keep supporting 3 regions.", "support", "supporting"],
    ["worldclass", "Be worldclass in 3 markets.", "world-class", "worldclass"],
    ["world – class", "Be world – class in 3 markets.", "world-class", "world – class"],
    ["aiming for", "Aiming for 3 launches.", "aim to", "Aiming for"],
    ["work toward", "Work toward 3 launches.", "work towards", "Work toward"],
    ["shouting", "IMPROVING 3 flows.", "improve", "IMPROVING"],
  ])("inflection %s is caught and quoted as written", (_name, statement, term, matched) => {
    const result = lint({ statement }, sharpDeliverable);
    const finding = result.findings.find((f) => f.code === "STATEMENT.VAGUE_TERM");
    expect(finding?.term).toBe(term);
    expect(finding?.matched).toBe(matched);
    expect(finding?.message).toContain(`"${matched}"`);
  });

  it("gives every term its own suggestion", () => {
    expect(suggestions.size).toBe(required.length);
    expect(new Set(suggestions.values()).size).toBe(required.length);
    expect(suggestions.get("improve")).toBe(
      "Say from what to what: 'cut p95 checkout latency from 900 ms to 300 ms'.",
    );
  });
});

describe("statement shape", () => {
  // "Ship 40" plus filler words that are neither vague nor numbers.
  const ofWords = (n: number) => ["Ship", "40", ...Array.from({ length: n - 2 }, () => "tabs")].join(" ");

  it.each<[string, string, string[], number]>([
    ["empty", "", ["E STATEMENT.MISSING"], 75],
    ["whitespace only", "   \n ", ["E STATEMENT.MISSING"], 75],
    ["35 words (at the limit)", ofWords(35), [], 100],
    ["36 words (one over)", ofWords(36), ["W STATEMENT.TOO_LONG"], 90],
    ["240 characters (at the limit)", `Ship 40 ${"w".repeat(232)}`, [], 100],
    ["241 characters (one over)", `Ship 40 ${"w".repeat(233)}`, ["W STATEMENT.TOO_LONG"], 90],
    ["two sentences", "Ship 3 regions. Then hire 2 engineers.", ["W STATEMENT.MULTIPLE_SENTENCES"], 90],
    ["a question and a statement", "Ship 3 regions? We will.", ["W STATEMENT.MULTIPLE_SENTENCES"], 90],
    ["two lines without full stops", "Ship 3 regions\nHire 2 engineers", ["W STATEMENT.MULTIPLE_SENTENCES"], 90],
    ["a decimal is not a full stop", "Reach 99.95% monthly uptime.", [], 100],
    ["abbreviations are not full stops", "Ship v2.1 to 3 regions, e.g. EU and US.", [], 100],
    ["an exclamation at the end is one sentence", "Ship 3 regions!", [], 100],
    ["no number, date or event", "Delight admins.", ["W STATEMENT.NO_NUMBER_OR_EVENT"], 90],
    ["a month counts as a date", "Delight admins by June.", [], 100],
    ["an observable event counts", "Launch the admin console.", [], 100],
    ["a percentage counts", "Delight 80% of admins.", [], 100],
  ])("%s", (_name, statement, expected, score) => {
    const result = lint({ statement });
    expect(summary(result)).toEqual(expected);
    expect(result.score).toBe(score);
  });

  it("checks the word-limit helper builds what it says", () => {
    expect(ofWords(36).split(" ")).toHaveLength(36);
    expect(STATEMENT_MAX_WORDS).toBe(35);
    expect(STATEMENT_MAX_CHARS).toBe(240);
  });
});

describe("measure", () => {
  it.each<[string, Partial<LintInput>, string[], number]>([
    ["no measure chosen", { measure: null }, ["E MEASURE.MISSING"], 75],
    ["metric with no target", { measure: { ...latency, target: null } }, ["E METRIC.NO_TARGET"], 75],
    ["metric with a NaN target", { measure: { ...latency, target: Number.NaN } }, ["E METRIC.NO_TARGET"], 75],
    ["metric with no baseline", { measure: { ...latency, baseline: null } }, ["W METRIC.NO_BASELINE"], 90],
    ["metric with no unit", { measure: { ...latency, unit: " " } }, ["I METRIC.NO_UNIT"], 97],
    ["metric with no name", { measure: { ...latency, name: "" } }, ["W METRIC.NO_NAME"], 90],
    [
      "metric with nothing filled in",
      { measure: { kind: "metric", name: "", baseline: null, comparator: "gte", target: null, unit: "" } },
      ["E METRIC.NO_TARGET", "W METRIC.NO_BASELINE", "W METRIC.NO_NAME", "I METRIC.NO_UNIT"],
      52,
    ],
    ["lte target already met", { measure: { ...latency, baseline: 250 } }, ["I METRIC.ALREADY_MET"], 97],
    [
      "gte target already met",
      { measure: { kind: "metric", name: "monthly uptime", baseline: 99.97, comparator: "gte", target: 99.95, unit: "%" } },
      ["I METRIC.ALREADY_MET"],
      97,
    ],
    ["deliverable with an empty event", { measure: { kind: "deliverable", event: "  " } }, ["E DELIVERABLE.NO_EVENT"], 75],
    ["deliverable with TBD as the event", { measure: { kind: "deliverable", event: "TBD" } }, ["E DELIVERABLE.NO_EVENT"], 75],
    ["deliverable with a bare 'launched'", { measure: { kind: "deliverable", event: "launched" } }, ["W DELIVERABLE.VAGUE_EVENT"], 90],
    ["deliverable with 'in place'", { measure: { kind: "deliverable", event: "In place." } }, ["W DELIVERABLE.VAGUE_EVENT"], 90],
  ])("%s", (_name, overrides, expected, score) => {
    const result = lint(overrides);
    expect(summary(result)).toEqual(expected);
    expect(result.score).toBe(score);
  });

  it.each<[string, string, string[], number]>([
    // The statement here names only dates and a region, so nothing backs the vague event.
    ["improved onboarding flow", "Make Kept generally available in eu-west-1 by 30 June 2025.", ["E DELIVERABLE.VAGUE_EVENT improve"], 75],
    ["improved onboarding flow", "Ship onboarding to 3 regions by 30 June 2025.", ["W DELIVERABLE.VAGUE_EVENT improve"], 90],
    ["SOC 2 Type II report issued", "Get SOC 2 Type II by 30 June 2025.", [], 100],
  ])("deliverable event %j with statement %j", (event, statement, expected, score) => {
    const result = lint({ statement, measure: { kind: "deliverable", event } }, sharpDeliverable);
    expect(summary(result)).toEqual(expected);
    expect(result.score).toBe(score);
  });
});

describe("due date", () => {
  it.each<[string, Partial<LintInput>, string[], number]>([
    ["first day of the period", { dueDate: "2025-04-01" }, [], 100],
    ["last day of the period", { dueDate: "2025-06-30" }, [], 100],
    ["one day before the period", { dueDate: "2025-03-31" }, ["W DUE_DATE.OUTSIDE_PERIOD"], 90],
    ["one day after the period", { dueDate: "2025-07-01" }, ["W DUE_DATE.OUTSIDE_PERIOD"], 90],
    ["no due date", { dueDate: null }, ["E DUE_DATE.MISSING"], 75],
    ["blank due date", { dueDate: " " }, ["E DUE_DATE.MISSING"], 75],
    ["not a calendar date", { dueDate: "2025-02-30" }, ["E DUE_DATE.INVALID"], 75],
    ["not ISO", { dueDate: "30/06/2025" }, ["E DUE_DATE.INVALID"], 75],
    ["no period to check against", { dueDate: "2026-01-15", period: null }, [], 100],
    ["due today", { dueDate: "2025-06-30", today: "2025-06-30" }, [], 100],
    ["due yesterday", { dueDate: "2025-06-30", today: "2025-07-01" }, ["W DUE_DATE.PAST"], 90],
    ["due yesterday, explicitly new", { dueDate: "2025-06-30", today: "2025-07-01", isNew: true }, ["W DUE_DATE.PAST"], 90],
    ["due yesterday but already resolved", { dueDate: "2025-06-30", today: "2025-07-01", isNew: false }, [], 100],
    [
      "past and outside the period",
      { dueDate: "2025-03-14" },
      ["W DUE_DATE.OUTSIDE_PERIOD", "W DUE_DATE.PAST"],
      80,
    ],
    ["leap day", { dueDate: "2024-02-29", period: null, today: "2024-01-01" }, [], 100],
  ])("%s", (_name, overrides, expected, score) => {
    const result = lint(overrides);
    expect(summary(result)).toEqual(expected);
    expect(result.score).toBe(score);
  });
});

describe("owner and evidence", () => {
  it.each<[string, Partial<LintInput>, string[], number]>([
    ["no owner", { hasOwner: false }, ["W OWNER.MISSING"], 90],
    ["no evidence source", { evidenceSource: null }, ["W EVIDENCE.MISSING"], 90],
    ["blank evidence source", { evidenceSource: "  " }, ["W EVIDENCE.MISSING"], 90],
    ["we'll check", { evidenceSource: "We'll check." }, ["W EVIDENCE.VAGUE"], 90],
    ["internal review", { evidenceSource: "Internal review" }, ["W EVIDENCE.VAGUE"], 90],
    ["tbd", { evidenceSource: "tbd" }, ["W EVIDENCE.VAGUE"], 90],
    ["gut feel", { evidenceSource: "Gut feel from the team" }, ["W EVIDENCE.VAGUE"], 90],
    ["a named dashboard rescues 'we will check'", { evidenceSource: "We will check the Grafana checkout panel" }, [], 100],
    ["a link", { evidenceSource: "https://status.example.com" }, [], 100],
    ["a saved query", { evidenceSource: "Looker: weekly active teams (saved query 4121)" }, [], 100],
    [
      "no owner and no evidence",
      { hasOwner: false, evidenceSource: null },
      ["W EVIDENCE.MISSING", "W OWNER.MISSING"],
      80,
    ],
  ])("%s", (_name, overrides, expected, score) => {
    const result = lint(overrides);
    expect(summary(result)).toEqual(expected);
    expect(result.score).toBe(score);
    expect(result.falsifiable).toBe(true);
  });
});

describe("ordering, score and falsifiability", () => {
  it("orders errors, then warnings, then info; by field, then code, then position", () => {
    const result = lint({
      statement: "Improve onboarding, etc.",
      measure: { ...latency, baseline: null, target: null, unit: "" },
      dueDate: "2025-07-01",
      evidenceSource: "internal review",
      hasOwner: false,
    });
    expect(summary(result)).toEqual([
      "E STATEMENT.VAGUE_TERM improve",
      "E STATEMENT.VAGUE_TERM etc.",
      "E METRIC.NO_TARGET",
      "W METRIC.NO_BASELINE",
      "W DUE_DATE.OUTSIDE_PERIOD",
      "W EVIDENCE.VAGUE",
      "W OWNER.MISSING",
      "I METRIC.NO_UNIT",
    ]);
    expect(result.findings.map((f) => f.field)).toEqual([
      "statement",
      "statement",
      "measure",
      "measure",
      "dueDate",
      "evidenceSource",
      "owner",
      "measure",
    ]);
    expect(result.score).toBe(0);
    expect(result.falsifiable).toBe(false);
  });

  it("scores an empty draft by its five missing pieces", () => {
    const result = lintCommitment({
      statement: "",
      measure: null,
      evidenceSource: null,
      dueDate: null,
      period: null,
      hasOwner: false,
      today: TODAY,
    });
    expect(summary(result)).toEqual([
      "E STATEMENT.MISSING",
      "E MEASURE.MISSING",
      "E DUE_DATE.MISSING",
      "W EVIDENCE.MISSING",
      "W OWNER.MISSING",
    ]);
    expect(result.score).toBe(5);
  });

  it("never scores below zero", () => {
    const result = lint({
      statement: "A robust, scalable, efficient, seamless, intuitive platform.",
      measure: null,
      dueDate: null,
    });
    expect(result.score).toBe(0);
  });

  it("documents its weights", () => {
    expect(MAX_SCORE).toBe(100);
    expect(SCORE_WEIGHTS).toEqual({ error: 25, warning: 10, info: 3 });
  });

  // Each rung fixes one more thing than the one before, so its score must be strictly higher.
  const vague = { ...sharpMetric, statement: "Improve checkout." };
  const ladder: [string, LintInput, number][] = [
    ["a vague statement and nothing else", { ...vague, measure: null, dueDate: null, evidenceSource: null, hasOwner: false }, 5],
    ["plus a due date", { ...vague, measure: null, evidenceSource: null, hasOwner: false }, 30],
    ["plus a metric with a target", { ...vague, evidenceSource: null, hasOwner: false }, 60],
    ["plus an owner", { ...vague, evidenceSource: null }, 70],
    ["plus evidence", vague, 80],
    ["plus numbers in the statement", { ...sharpMetric, statement: "Improve p95 checkout latency from 900 ms to 300 ms." }, 90],
    ["fully sharp", sharpMetric, 100],
  ];

  it.each(ladder)("%s scores as written", (_name, input, score) => {
    expect(lintCommitment(input).score).toBe(score);
  });

  it("scores every rung of the ladder strictly above the one below", () => {
    const scores = ladder.map(([, input]) => lintCommitment(input).score);
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeGreaterThan(scores[i - 1] ?? Infinity);
  });

  it("is deterministic", () => {
    const input: LintInput = { ...sharpDeliverable, statement: "Improve onboarding, etc., where possible." };
    expect(lintCommitment(input)).toEqual(lintCommitment(input));
  });

  it("does not mutate its input", () => {
    const input: LintInput = { ...sharpMetric, measure: { ...latency } };
    const copy = structuredClone(input);
    lintCommitment(input);
    expect(input).toEqual(copy);
  });
});

afterAll(() => {
  // Every code the linter can emit has been produced by at least one case above, and nothing
  // outside FINDING_CODES ever was.
  expect([...seen].sort()).toEqual([...FINDING_CODES].sort());
});
