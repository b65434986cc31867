import { afterAll, describe, expect, it } from "vitest";

import {
  DEFAULT_MIN_PUBLIC_SCORE,
  FINDING_CODES,
  MAX_SCORE,
  SCORE_WEIGHTS,
  STATEMENT_MAX_CHARS,
  STATEMENT_MAX_WORDS,
  VAGUE_TERMS,
  lintCommitment,
  offerFromStatement,
  readStatement,
  suggestRewrite,
  vagueSpans,
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

// Most rows below are about one rule; whether the sentence names its date is checked on its own
// (see "the statement says by when"), so these rows leave STATEMENT.NO_DATE out.
function withoutDate(result: LintResult): string[] {
  return summary(result).filter((s) => s !== "W STATEMENT.NO_DATE");
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

describe("vague terms in the statement are errors when the sentence pins nothing down", () => {
  it.each<[string, string[]]>([
    ["Improve onboarding.", ["E STATEMENT.VAGUE_TERM improve"]],
    ["Improving onboarding for new teams.", ["E STATEMENT.VAGUE_TERM improve"]],
    ["Ship onboarding improvements to new teams.", ["E STATEMENT.VAGUE_TERM improve"]],
    ["Enhance the editor.", ["E STATEMENT.VAGUE_TERM enhance"]],
    ["Optimise the billing pipeline.", ["E STATEMENT.VAGUE_TERM optimize"]],
    ["Explore usage-based pricing.", ["E STATEMENT.VAGUE_TERM explore"]],
    ["We will support all customers.", ["E STATEMENT.VAGUE_TERM support"]],
    ["We aim to ship dark mode.", ["E STATEMENT.VAGUE_TERM aim to"]],
    ["Continue to publish the changelog.", ["E STATEMENT.VAGUE_TERM continue to"]],
    ["Build a world-class help centre.", ["E STATEMENT.VAGUE_TERM world-class"]],
    ["Build a world class help centre.", ["E STATEMENT.VAGUE_TERM world-class"]],
    ["Seamless migration to the new billing system.", ["E STATEMENT.VAGUE_TERM seamless"]],
    ["Significantly reduce churn.", ["E STATEMENT.VAGUE_TERM significantly"]],
    ["Hire engineers as needed.", ["E STATEMENT.VAGUE_TERM as needed"]],
    [
      "Streamline and modernise the sign-up flow.",
      ["E STATEMENT.VAGUE_TERM streamline", "E STATEMENT.VAGUE_TERM modernize"]],
    [
      "Leverage AI to drive revenue.",
      ["E STATEMENT.VAGUE_TERM leverage", "E STATEMENT.VAGUE_TERM drive"]],
    [
      "A robust, scalable, efficient platform.",
      [
        "E STATEMENT.VAGUE_TERM robust",
        "E STATEMENT.VAGUE_TERM scalable",
        "E STATEMENT.VAGUE_TERM efficient",
      ]],
    [
      "Revamp the dashboard to empower admins.",
      ["E STATEMENT.VAGUE_TERM revamp", "E STATEMENT.VAGUE_TERM empower"]],
    [
      "Ensure admins can enable dashboards.",
      ["E STATEMENT.VAGUE_TERM ensure", "E STATEMENT.VAGUE_TERM enable"]],
    // "SOC 2" names a standard; the 2 is not an amount, so nothing backs "work towards".
    ["Work towards SOC 2 compliance.", ["E STATEMENT.VAGUE_TERM work towards"]],
    [
      "Look into and investigate slow syncs.",
      ["E STATEMENT.VAGUE_TERM look into", "E STATEMENT.VAGUE_TERM investigate"]],
    [
      "Integrate various chat tools, etc.",
      ["E STATEMENT.VAGUE_TERM various", "E STATEMENT.VAGUE_TERM etc."]],
    ["Fix the export bug ASAP.", ["E STATEMENT.VAGUE_TERM as soon as possible"]],
    ["Fix the export bug as soon as possible.", ["E STATEMENT.VAGUE_TERM as soon as possible"]],
    ["Translate the app where possible.", ["E STATEMENT.VAGUE_TERM where possible"]],
    [
      "Offer an industry-leading, cutting-edge, next-generation editor.",
      [
        "E STATEMENT.VAGUE_TERM industry-leading",
        "E STATEMENT.VAGUE_TERM cutting-edge",
        "E STATEMENT.VAGUE_TERM next-generation",
      ]],
    [
      "Take a holistic approach to find synergies.",
      ["E STATEMENT.VAGUE_TERM holistic", "E STATEMENT.VAGUE_TERM synergy"]],
    [
      "Make setup user-friendly and intuitive.",
      ["E STATEMENT.VAGUE_TERM user-friendly", "E STATEMENT.VAGUE_TERM intuitive"]],
    [
      "Provide best-effort replies in a reasonable time.",
      ["E STATEMENT.VAGUE_TERM best effort", "E STATEMENT.VAGUE_TERM reasonable"]],
    [
      "Be best-in-class for key customers.",
      ["E STATEMENT.VAGUE_TERM best-in-class", "E STATEMENT.VAGUE_TERM key"]],
    [
      "Help some teams and many partners.",
      ["E STATEMENT.VAGUE_TERM help", "E STATEMENT.VAGUE_TERM some", "E STATEMENT.VAGUE_TERM many"]],
    ["Make checkout faster.", ["E STATEMENT.VAGUE_TERM faster"]],
    ["Make checkout better.", ["E STATEMENT.VAGUE_TERM better"]],
    ["Onboard more customers.", ["E STATEMENT.VAGUE_TERM more"]],
    ["Strive to keep customers happy.", ["E STATEMENT.VAGUE_TERM strive"]],
    // Repeating a term (in any inflection) is still one finding, at its first use.
    ["Improve search and improve the improvements.", ["E STATEMENT.VAGUE_TERM improve"]],
    // Hyphens separate words: "AI-enhanced" and "data-driven" are still vague.
    ["Ship AI-enhanced search.", ["E STATEMENT.VAGUE_TERM enhance"]],
    ["Grow data-driven decisions.", ["E STATEMENT.VAGUE_TERM drive"]],
    // Decision: a hyphenated label still uses the word, so "supported-by" counts as "support".
    ["Publish a supported-by badge for partners.", ["E STATEMENT.VAGUE_TERM support"]],
    // Title Case says nothing about proper nouns, so "Faster" is still the vague word.
    ["Make Checkout Faster.", ["E STATEMENT.VAGUE_TERM faster"]],
  ])("%s", (statement, expected) => {
    const result = lint({ statement }, sharpDeliverable);
    expect(withoutDate(result)).toEqual(expected);
    expect(result.score).toBeLessThan(DEFAULT_MIN_PUBLIC_SCORE);
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
    expect(withoutDate(result).filter((s) => s.includes("VAGUE_TERM"))).toEqual(expected);
  });
});

describe("only the statement's own numbers pin a vague word down", () => {
  it.each<[string, string[]]>([
    // A number that sizes the claim in the sentence makes the vague word a warning: the promise is checkable.
    ["Improve p95 latency from 900 ms to 300 ms.", ["W STATEMENT.VAGUE_TERM improve"]],
    ["Reach 99.95% uptime and ensure failover.", []], // "ensure" is pinned by the number: no finding
    ["Improve NPS from 30 to 45 by 30 June.", ["W STATEMENT.VAGUE_TERM improve"]],
    ["Strive for zero incidents.", ["W STATEMENT.VAGUE_TERM strive"]],
    // Comparatives with a number right beside them are not vague at all.
    ["Make search 30% faster.", []],
    ["Make search 200 ms faster.", []],
    ["Make search faster than 300 ms at p95.", []],
    ["Make search faster by 40%.", []],
    ["Onboard more than 500 customers.", []],
    ["Onboard 500 more customers.", []],
    ["Keep no more than 2 open P1 incidents.", []],
    // A multiple of nothing sizes nothing: "10x", "three times", "twice as many".
    ["Make search 10x faster.", ["E STATEMENT.VAGUE_TERM faster"]],
    ["Make search three times faster.", ["E STATEMENT.VAGUE_TERM faster"]],
    ["Ensure twice as many signups.", ["E STATEMENT.VAGUE_TERM ensure", "E STATEMENT.VAGUE_TERM many"]],
    // A comparative needs its own number; one elsewhere in the sentence sizes something else.
    ["Onboard 40 customers and more partners.", ["E STATEMENT.VAGUE_TERM more"]],
    // Relative words with a date but no base: "faster by Q3".
    ["Make checkout faster by Q3.", ["E STATEMENT.VAGUE_TERM faster"]],
    // Labels, dates and years are not amounts.
    ["Improve p95 checkout latency.", ["E STATEMENT.VAGUE_TERM improve"]],
    ["Improve onboarding by 30 June 2025.", ["E STATEMENT.VAGUE_TERM improve"]],
    ["Improve onboarding by 2025-06-30.", ["E STATEMENT.VAGUE_TERM improve"]],
    ["Improve onboarding in Q3.", ["E STATEMENT.VAGUE_TERM improve"]],
    ["Improve onboarding by June 30, 2025.", ["E STATEMENT.VAGUE_TERM improve"]],
    ["Improve onboarding in eu-west-1.", ["E STATEMENT.VAGUE_TERM improve"]],
    ["Make 2026 our best year ever for customers.", ["E STATEMENT.VAGUE_TERM best-ever"]],
    ["Be the 1st choice for admins.", ["E STATEMENT.NO_NUMBER_OR_EVENT"]],
    ["Ship 2.0.", ["E STATEMENT.NO_NUMBER_OR_EVENT"]],
    // Digits in markup or a link are not part of what the reader is promised.
    ["<h2>Reliability</h2>", ["E STATEMENT.NO_NUMBER_OR_EVENT"]],
    ["See https://example.com/roadmap/2026 for what ships.", ["E STATEMENT.NO_NUMBER_OR_EVENT"]],
    // A time word needs a duration, whatever else is counted.
    ["Respond to 100% of customer emails in a timely manner.", ["E STATEMENT.VAGUE_TERM timely"]],
    ["Respond to 100% of customer emails promptly, within 4 business hours.", ["W STATEMENT.VAGUE_TERM timely"]],
    // An escape hatch is never pinned down by a number.
    ["Patch 100% of critical CVEs within 72 hours where possible.", ["E STATEMENT.VAGUE_TERM where possible"]],
  ])("%s", (statement, expected) => {
    const result = lint({ statement }, sharpDeliverable);
    expect(withoutDate(result)).toEqual(expected);
    expect(result.falsifiable).toBe(!expected.some((s) => s.startsWith("E ")));
  });

  it("a statement that is only markup has no words", () => {
    expect(summary(lint({ statement: "<h2></h2>" }, sharpDeliverable))).toEqual(["E STATEMENT.MISSING"]);
  });

  it.each([
    "Support IPv6 on all public endpoints by 30 June 2025.",
    "Support TLS 1.3 on all public endpoints by 30 June 2025.",
    "Enable SAML single sign-on for every Enterprise workspace by 30 June 2025.",
    "Support importing projects from Jira and Trello by 30 June 2025.",
  ])("a named standard or product pins a capability word: %s", (statement) => {
    const result = lint({ statement }, sharpDeliverable);
    expect(summary(result)).toEqual([]);
    expect(result.score).toBe(100);
  });

  it.each<[string, string[], number]>([
    ["Improve checkout latency.", ["E STATEMENT.VAGUE_TERM improve", "W STATEMENT.NO_DATE"], 50],
    ["Make checkout faster.", ["E STATEMENT.VAGUE_TERM faster", "W STATEMENT.NO_DATE"], 50],
    ["Continue to invest in reliability.", ["E STATEMENT.VAGUE_TERM continue to", "E STATEMENT.VAGUE_TERM invest in", "W STATEMENT.NO_DATE"], 10],
  ])("a metric target in the measure fields does not excuse %s", (statement, expected, score) => {
    const result = lint({ statement }, sharpMetric);
    expect(summary(result)).toEqual(expected);
    expect(result.score).toBe(score);
    expect(result.score).toBeLessThan(DEFAULT_MIN_PUBLIC_SCORE);
    expect(result.falsifiable).toBe(false);
  });

  it("a metric without a target backs nothing either", () => {
    const result = lint({ statement: "Improve checkout latency.", measure: { ...latency, target: null } });
    expect(summary(result)).toEqual(["E STATEMENT.VAGUE_TERM improve", "E METRIC.NO_TARGET", "W STATEMENT.NO_DATE"]);
    expect(result.score).toBe(10);
  });
});

describe("the statement says by when", () => {
  it.each<[string, boolean]>([
    ["Answer 90% of tickets within 4 hours.", false],
    ["Answer 90% of tickets within 4 hours by 30 June 2025.", true],
    ["Answer 90% of tickets within 4 hours in Q2 2025.", true],
    ["Answer 90% of tickets within 4 hours by June.", true],
    ["Answer 90% of tickets within 4 hours by the end of the quarter.", true],
    ["Answer 90% of tickets within 4 hours in 2025.", true],
  ])("%s", (statement, dated) => {
    const result = lint({ statement, measure: euLaunch });
    expect(summary(result).includes("W STATEMENT.NO_DATE")).toBe(!dated);
  });

  it("suggests the due date already chosen", () => {
    const result = lint({ statement: "Answer 90% of tickets within 4 hours.", measure: euLaunch });
    expect(result.findings.find((f) => f.code === "STATEMENT.NO_DATE")?.suggestion).toContain("30 June 2025");
  });
});

describe("the statement and the fields agree", () => {
  it.each<[string, Partial<LintInput>, string[]]>([
    ["target", { statement: "Cut p95 checkout latency from 900 ms to 250 ms by 30 June 2025." }, ["E STATEMENT.DISAGREES_TARGET"]],
    ["baseline", { statement: "Cut p95 checkout latency from 1,200 ms to 300 ms by 30 June 2025." }, ["E STATEMENT.DISAGREES_BASELINE"]],
    ["unit", { statement: "Cut p95 checkout latency from 900 ms to 300 ms by 30 June 2025.", measure: { ...latency, unit: "s" } }, ["E STATEMENT.DISAGREES_BASELINE", "E STATEMENT.DISAGREES_UNIT"]],
    ["due date", { statement: "Cut p95 checkout latency from 900 ms to 300 ms by 15 May 2025." }, ["E STATEMENT.DISAGREES_DUE_DATE"]],
    ["due month", { statement: "Cut p95 checkout latency from 900 ms to 300 ms by May 2025." }, ["E STATEMENT.DISAGREES_DUE_DATE"]],
    // Agreement in another unit of the same kind: 0.3 s is 300 ms.
    ["seconds against milliseconds", { statement: "Cut p95 checkout latency from 0.9 s to 0.3 s by 30 June 2025." }, []],
    ["a month that holds the due date", { statement: "Cut p95 checkout latency from 900 ms to 300 ms by June 2025." }, []],
    ["a day with no year takes the due date's year", { statement: "Cut p95 checkout latency from 900 ms to 300 ms by 30 June." }, []],
    ["numbers of another kind are not compared", { statement: "Cut p95 checkout latency to 300 ms for 40 customers by 30 June 2025." }, []],
  ])("%s", (_name, overrides, expected) => {
    expect(summary(lint(overrides))).toEqual(expected);
  });

  it("says both numbers", () => {
    const result = lint({ statement: "Cut p99 checkout latency to 300 ms by 30 June 2025.", measure: { ...latency, target: 250 } });
    expect(result.findings[0]?.message).toContain("The statement says 300 ms, the target says 250 ms");
  });
});

describe("statements in a language the word lists don't read", () => {
  it.each<[string, string]>([
    ["Wir verbessern die Zuverlässigkeit unserer Plattform für alle Kunden.", "German"],
    ["Nous allons améliorer la satisfaction de nos clients.", "French"],
    ["Vamos a mejorar la experiencia de nuestros clientes con nuevas funciones.", "Spanish"],
  ])("%s is said to be unchecked, and without a number it fails", (statement, language) => {
    const result = lint({ statement }, sharpDeliverable);
    const finding = result.findings.find((f) => f.code === "STATEMENT.LANGUAGE_NOT_CHECKED");
    expect(finding?.message).toContain(`this looks like ${language}; the vague-word check reads English`);
    expect(summary(result)).toContain("E STATEMENT.NO_NUMBER_OR_EVENT");
    expect(result.falsifiable).toBe(false);
  });

  it("a number and a date still count in any language", () => {
    const result = lint({ statement: "Bis zum 30.06.2025 beantworten wir 90 % der Tickets innerhalb von 4 Stunden." }, sharpDeliverable);
    expect(summary(result)).toEqual(["W STATEMENT.LANGUAGE_NOT_CHECKED"]);
  });

  it.each(["Ship the Berlin office by 30 June 2025.", "Launch Kept en español by 30 June 2025.", "Ship it."])("English stays English: %s", (statement) => {
    expect(summary(lint({ statement }, sharpDeliverable))).not.toContain("W STATEMENT.LANGUAGE_NOT_CHECKED");
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
    ["supporting", "Keep supporting new regions.", "support", "supporting"],
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
    ["empty", "", ["E STATEMENT.MISSING"], 60],
    ["whitespace only", "   \n ", ["E STATEMENT.MISSING"], 60],
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
    ["no number, date or event", "Keep admins informed.", ["E STATEMENT.NO_NUMBER_OR_EVENT"], 60],
    ["a month and an event", "Publish the admin guide by June.", [], 100],
    ["an observable event with a scope", "Launch the admin console on every plan.", [], 100],
    ["an event with nothing named, counted or dated", "Launch the admin console.", ["E STATEMENT.NO_NUMBER_OR_EVENT"], 60],
    ["a percentage counts", "Train 80% of admins.", [], 100],
  ])("%s", (_name, statement, expected, score) => {
    // These sentences name no date on purpose; the date rule has its own tests above.
    const result = lint({ statement });
    expect(withoutDate(result)).toEqual(expected);
    expect(result.score).toBe(score - (summary(result).includes("W STATEMENT.NO_DATE") ? SCORE_WEIGHTS.warning : 0));
  });

  it("checks the word-limit helper builds what it says", () => {
    expect(ofWords(36).split(" ")).toHaveLength(36);
    expect(STATEMENT_MAX_WORDS).toBe(35);
    expect(STATEMENT_MAX_CHARS).toBe(240);
  });
});

describe("measure", () => {
  it.each<[string, Partial<LintInput>, string[], number]>([
    ["no measure chosen", { measure: null }, ["E MEASURE.MISSING"], 60],
    ["metric with no target", { measure: { ...latency, target: null } }, ["E METRIC.NO_TARGET"], 60],
    ["metric with a NaN target", { measure: { ...latency, target: Number.NaN } }, ["E METRIC.NO_TARGET"], 60],
    ["metric with no baseline", { measure: { ...latency, baseline: null } }, ["W METRIC.NO_BASELINE"], 90],
    ["metric with no unit", { measure: { ...latency, unit: " " } }, ["I METRIC.NO_UNIT"], 98],
    ["metric with no name", { measure: { ...latency, name: "" } }, ["W METRIC.NO_NAME"], 90],
    [
      "metric with nothing filled in",
      { measure: { kind: "metric", name: "", baseline: null, comparator: "gte", target: null, unit: "" } },
      ["E METRIC.NO_TARGET", "W METRIC.NO_BASELINE", "W METRIC.NO_NAME", "I METRIC.NO_UNIT"],
      38,
    ],
    [
      "lte target already met",
      { measure: { ...latency, baseline: 250 }, statement: "Keep p95 checkout latency at or below 300 ms until 30 June 2025." },
      ["I METRIC.ALREADY_MET"],
      98,
    ],
    [
      "gte target already met",
      { measure: { kind: "metric", name: "monthly uptime", baseline: 99.97, comparator: "gte", target: 99.95, unit: "%" } },
      ["I METRIC.ALREADY_MET"],
      98,
    ],
    ["deliverable with an empty event", { measure: { kind: "deliverable", event: "  " } }, ["E DELIVERABLE.NO_EVENT"], 60],
    ["deliverable with TBD as the event", { measure: { kind: "deliverable", event: "TBD" } }, ["E DELIVERABLE.NO_EVENT"], 60],
    ["deliverable with a bare 'launched'", { measure: { kind: "deliverable", event: "launched" } }, ["W DELIVERABLE.VAGUE_EVENT"], 90],
    ["deliverable with 'in place'", { measure: { kind: "deliverable", event: "In place." } }, ["W DELIVERABLE.VAGUE_EVENT"], 90],
  ])("%s", (_name, overrides, expected, score) => {
    const result = lint(overrides);
    expect(summary(result)).toEqual(expected);
    expect(result.score).toBe(score);
  });

  it.each<[string, string, string[], number]>([
    // The statement here names only dates and a region, so nothing backs the vague event.
    ["improved onboarding flow", "Make Kept generally available in eu-west-1 by 30 June 2025.", ["E DELIVERABLE.VAGUE_EVENT improve"], 60],
    // The event is judged on its own words, as the statement is: a number elsewhere doesn't pin it.
    ["improved onboarding flow", "Ship onboarding to 3 regions by 30 June 2025.", ["E DELIVERABLE.VAGUE_EVENT improve"], 60],
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
    ["no due date", { dueDate: null }, ["E DUE_DATE.MISSING"], 60],
    ["blank due date", { dueDate: " " }, ["E DUE_DATE.MISSING"], 60],
    ["not a calendar date", { dueDate: "2025-02-30" }, ["E DUE_DATE.INVALID"], 60],
    ["not ISO", { dueDate: "30/06/2025" }, ["E DUE_DATE.INVALID"], 60],
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
    // A statement dated by its period, so moving the due date is not a disagreement with it.
    const result = lint({ statement: "Cut p95 checkout latency from 900 ms to 300 ms by the end of the quarter.", ...overrides });
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
      "W STATEMENT.NO_DATE",
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
      "statement",
      "measure",
      "dueDate",
      "evidenceSource",
      "owner",
      "measure",
    ]);
    expect(result.score).toBe(0);
    expect(result.falsifiable).toBe(false);
  });

  it("scores an empty draft at zero", () => {
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
    expect(result.score).toBe(0);
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
    expect(SCORE_WEIGHTS).toEqual({ error: 40, warning: 10, info: 2 });
    // One error alone takes a commitment below the default minimum; three warnings don't.
    expect(MAX_SCORE - SCORE_WEIGHTS.error).toBeLessThan(DEFAULT_MIN_PUBLIC_SCORE);
    expect(MAX_SCORE - 3 * SCORE_WEIGHTS.warning).toBeGreaterThanOrEqual(DEFAULT_MIN_PUBLIC_SCORE);
  });

  // Each rung fixes one more thing than the one before, so its score must be strictly higher.
  const vague = { ...sharpMetric, statement: "Improve checkout." };
  const ladder: [string, LintInput, number][] = [
    ["a vague statement and nothing else", { ...vague, measure: null, dueDate: null, evidenceSource: null, hasOwner: false }, 0],
    ["plus every other field: the statement still can't be checked", vague, 50],
    ["a number in the statement, no date", { ...sharpMetric, statement: "Improve p95 checkout latency from 900 ms to 300 ms." }, 80],
    ["plus the date", { ...sharpMetric, statement: "Improve p95 checkout latency from 900 ms to 300 ms by 30 June 2025." }, 90],
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

describe("writing with it", () => {
  it("marks where the vague words are, and which ones the sentence already pins down", () => {
    expect(vagueSpans("Improve checkout speed significantly")).toEqual([
      { index: 0, length: 7, term: "improve", pinned: false },
      { index: 23, length: 13, term: "significantly", pinned: false },
    ]);
    expect(vagueSpans("Improve p95 latency from 900 ms to 300 ms")).toEqual([{ index: 0, length: 7, term: "improve", pinned: true }]);
    expect(vagueSpans("Support IPv6 on every endpoint")).toEqual([]);
    expect(vagueSpans("")).toEqual([]);
  });

  it.each<[string, Partial<LintInput>, string, number]>([
    // The measure's numbers and the due date fill the sentence; the vague words are gone.
    ["Improve checkout speed significantly", { measure: latency, dueDate: "2025-06-30" }, "Reduce p95 checkout latency from 900 ms to 300 ms by 30 June 2025.", 0],
    // Nothing in the fields yet: what is missing is a blank to fill.
    ["Improve checkout speed significantly", { measure: null, dueDate: null }, "Take checkout speed from ___ to ___ by ___.", 3],
    ["Make checkout faster", { measure: { ...latency, baseline: null, target: null }, dueDate: null }, "Reduce p95 checkout latency from ___ to ___ by ___.", 3],
    // An action the person wrote stays theirs; only the missing parts are added.
    ["Ship dark mode", { measure: euLaunch, dueDate: "2025-06-30" }, "Ship dark mode, generally available in eu-west-1 by 30 June 2025.", 0],
    ["Answer 90% of tickets within 4 hours", { measure: null, dueDate: "2025-06-30" }, "Answer 90% of tickets within 4 hours by 30 June 2025.", 0],
  ])("rewrites %j from what was typed", (statement, fields, text, blanks) => {
    const rewrite = suggestRewrite({ statement, measure: null, dueDate: null, ...fields });
    expect(rewrite?.text).toBe(text);
    expect(rewrite?.blanks).toBe(blanks);
  });

  it("a suggestion with no blanks left is itself checkable", () => {
    const rewrite = suggestRewrite({ statement: "Continue to invest in reliability", measure: latency, dueDate: "2025-06-30" });
    const result = lint({ statement: rewrite!.text });
    expect(result.score).toBe(100);
  });

  it("offers nothing for a sharp statement or an empty one", () => {
    expect(suggestRewrite({ statement: sharpMetric.statement, measure: latency, dueDate: "2025-06-30" })).toBeNull();
    expect(suggestRewrite({ statement: "  ", measure: null, dueDate: null })).toBeNull();
  });

  it("reads the numbers, their roles and bounds, and the dates a customer would hold you to", () => {
    expect(readStatement("Reduce p99 checkout latency from 800 ms to 300 ms by 30 September 2026")).toEqual({
      quantities: [
        { value: 800, unit: "ms", text: "800 ms", role: "from", bound: null },
        { value: 300, unit: "ms", text: "300 ms", role: "to", bound: null },
      ],
      dates: [{ iso: "2026-09-30", text: "30 September 2026" }],
      comparator: "lte",
    });
    expect(readStatement("Keep uptime at least 99.95% every month").comparator).toBe("gte");
    expect(readStatement("Refund within 14 days of a request, from $5").quantities.map((q) => q.unit)).toEqual(["d", "$"]);
    expect(readStatement("Ship by June", 2026).dates).toEqual([{ iso: "2026-06", text: "June" }]);
  });

  it("offers the statement's numbers and date for the fields, and nothing once they agree", () => {
    const offer = offerFromStatement("Cut p95 search latency from 900 ms to 250 ms by 30 September 2026", { measure: null, dueDate: null }, "2026-01-10");
    expect(offer).toEqual({
      metricBaseline: 900,
      metricTarget: 250,
      metricUnit: "ms",
      metricComparator: "lte",
      dueDate: "2026-09-30",
      summary: "target 250 ms, from 900 ms, due 30 September 2026",
    });
    const filled = { measure: { ...latency, baseline: 900, target: 250 }, dueDate: "2026-09-30" };
    expect(offerFromStatement("Cut p95 search latency from 900 ms to 250 ms by 30 September 2026", filled, "2026-01-10")).toBeNull();
    // A month offers its last day; a day already past this year means next year's.
    expect(offerFromStatement("Ship it by June 2026", { measure: null, dueDate: null }, "2026-01-10")?.dueDate).toBe("2026-06-30");
    expect(offerFromStatement("Ship it by 30 June", { measure: null, dueDate: null }, "2026-08-10")?.dueDate).toBe("2027-06-30");
    expect(offerFromStatement("Make things better", { measure: null, dueDate: null }, "2026-01-10")).toBeNull();
  });
});

afterAll(() => {
  // Every code the linter can emit has been produced by at least one case above, and nothing
  // outside FINDING_CODES ever was.
  expect([...seen].sort()).toEqual([...FINDING_CODES].sort());
});
