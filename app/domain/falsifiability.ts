// The falsifiability linter: reads a draft commitment and says, field by field, what stops a
// sceptical reader from ever proving it wrong. It runs in the browser on every keystroke as well
// as on the server before saving, so it is pure, allocation-light and has no dependencies beyond
// the shared types. Every rule is a heuristic; the findings are advice to a person, which is why
// each one carries a concrete rewrite rather than just a complaint.
import { COMPARATOR_SYMBOL, type Comparator, type Measure, type MetricMeasure } from "./types";

export type Severity = "error" | "warning" | "info";
export type FindingField = "statement" | "measure" | "dueDate" | "evidenceSource" | "owner" | "details";

export const FINDING_CODES = [
  "STATEMENT.MISSING",
  "STATEMENT.VAGUE_TERM",
  "STATEMENT.TOO_LONG",
  "STATEMENT.MULTIPLE_SENTENCES",
  "STATEMENT.NO_NUMBER_OR_EVENT",
  "STATEMENT.NO_DATE",
  "STATEMENT.LANGUAGE_NOT_CHECKED",
  "STATEMENT.DISAGREES_TARGET",
  "STATEMENT.DISAGREES_BASELINE",
  "STATEMENT.DISAGREES_UNIT",
  "STATEMENT.DISAGREES_DUE_DATE",
  "MEASURE.MISSING",
  "METRIC.NO_NAME",
  "METRIC.NO_TARGET",
  "METRIC.NO_BASELINE",
  "METRIC.NO_UNIT",
  "METRIC.ALREADY_MET",
  "DELIVERABLE.NO_EVENT",
  "DELIVERABLE.VAGUE_EVENT",
  "DUE_DATE.MISSING",
  "DUE_DATE.INVALID",
  "DUE_DATE.OUTSIDE_PERIOD",
  "DUE_DATE.PAST",
  "EVIDENCE.MISSING",
  "EVIDENCE.VAGUE",
  "OWNER.MISSING",
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export interface Finding {
  code: FindingCode;
  severity: Severity;
  field: FindingField;
  message: string;
  suggestion: string;
  /** For vague words: the canonical entry of VAGUE_TERMS that matched. */
  term?: string;
  /** For vague words: the text exactly as the person wrote it, e.g. "Improving". */
  matched?: string;
  /** For vague words: where `matched` starts in the field's text, for highlighting. */
  index?: number;
}

export interface LintInput {
  statement: string;
  /** null = none chosen yet. */
  measure: Measure | null;
  evidenceSource: string | null;
  /** ISO date (YYYY-MM-DD) or null. */
  dueDate: string | null;
  period: { label: string; start: string; end: string } | null;
  hasOwner: boolean;
  /** ISO date, for "already past". */
  today: string;
  /** A past due date only matters while writing a new (unresolved) commitment. Default true. */
  isNew?: boolean;
}

export interface LintResult {
  /** Integer 0..100. */
  score: number;
  /** Errors, then warnings, then info; within a severity by field order, then code. */
  findings: Finding[];
  /** True when there are no error findings. */
  falsifiable: boolean;
}

export const MAX_SCORE = 100;
// Severity follows what a reader could check: an error means a customer reading the statement
// could not tell whether it was kept, and it alone takes the score below the default minimum
// (100 - 40 = 60 < 70). Warnings are gaps a careful reader can work round; three of them still
// pass, a fourth does not. The minimum and its corpus figures are in docs/decisions/0009.
export const SCORE_WEIGHTS: Readonly<Record<Severity, number>> = { error: 40, warning: 10, info: 2 };

/**
 * The minimum score a new organisation starts with for public commitments: the threshold that
 * best separates the labelled corpus (tests/lint-corpus) into vague and checkable with every
 * field filled in. `npm run lint:eval` prints the figures behind it.
 */
export const DEFAULT_MIN_PUBLIC_SCORE = 70;
export const DEFAULT_MIN_PUBLIC_SCORE_WHY =
  "A commitment whose statement a customer could not check scores at most 60; one that is checkable, with at most three smaller gaps, scores 70 or more.";

// Beyond these a reader stops holding the whole promise in their head at once.
export const STATEMENT_MAX_WORDS = 35;
export const STATEMENT_MAX_CHARS = 240;

export const SEVERITY_ORDER: readonly Severity[] = ["error", "warning", "info"];
export const FIELD_ORDER: readonly FindingField[] = [
  "statement",
  "measure",
  "dueDate",
  "evidenceSource",
  "owner",
  "details",
];

// ---------------------------------------------------------------------------------------------
// Tokens and numbers
// ---------------------------------------------------------------------------------------------

interface Token {
  /** The whitespace-delimited chunk as written. */
  raw: string;
  /** `raw` without surrounding punctuation ("99.95%." → "99.95%", "(Explorer)" → "Explorer"). */
  word: string;
  lower: string;
  start: number;
  end: number;
}

// "quantity" is a number that sizes the claim (300 ms, 40 customers, 99.95%). Years, versions,
// ordinals and bare multipliers carry digits but size nothing a reader could check.
type TokenKind = "quantity" | "date" | "year" | "ordinal" | "multiplier" | "version" | "identifier" | "word";

interface Analysis {
  /** The text with markup, URLs and code masked out by spaces, so offsets still match. */
  text: string;
  tokens: Token[];
  kinds: TokenKind[];
  hasQuantity: boolean;
  titleCased: boolean;
}

const LEADING_PUNCT = /^[^\p{L}\p{N}]+/u;
const TRAILING_PUNCT = /[^\p{L}\p{N}%+×]+$/u;

// Digits inside a tag, an address or a code span are not part of what the reader is promised:
// "<h2>" or "https://status.example.com/v2" size nothing. Masking keeps every offset in place.
const MARKUP = /<\/?[a-z][^<>]*>|&[a-z]+;|&#\d+;|https?:\/\/\S+|www\.\S+|\]\([^)]*\)|`[^`]*`/gi;

export function maskMarkup(text: string): string {
  return text.replace(MARKUP, (m) => (m.startsWith("](") ? `]${" ".repeat(m.length - 1)}` : " ".repeat(m.length)));
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(/\S+/g)) {
    const raw = m[0];
    const word = raw.replace(LEADING_PUNCT, "").replace(TRAILING_PUNCT, "");
    tokens.push({ raw, word, lower: word.toLowerCase(), start: m.index, end: m.index + raw.length });
  }
  return tokens;
}

// Number words size a claim as well as digits do ("two regions"). "one" is left out because it
// is far more often a pronoun ("no one", "one of").
const NUMBER_WORDS = new Set([
  "zero", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
  "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
  "ninety", "hundred", "thousand", "million", "billion", "dozen",
]);
// A multiple of an unstated base: "double", "10x", "twice as fast". Without the base a reader
// can't tell what would count.
const MULTIPLIER_WORDS = new Set([
  "double", "doubled", "doubling", "twice", "triple", "tripled", "threefold", "fivefold", "tenfold",
  "half", "halve", "halved", "quadruple",
]);
const ORDINAL_WORDS = new Set(["first", "second", "third", "fourth", "fifth", "tenth", "hundredth"]);

// "May" and "March" are only months when capitalised; lower-case they are ordinary words.
const MONTHS = new Set([
  "january", "february", "march", "april", "may", "june", "july", "august", "september",
  "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
  "sept", "oct", "nov", "dec",
]);
const AMBIGUOUS_MONTHS = new Set(["may", "march", "mar"]);
const WEEKDAYS = new Set(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]);

// A number right after these names a standard, version or stage, not an amount:
// "SOC 2", "ISO 27001", "phase 2", "Windows 11".
const IDENTIFIER_PREFIXES = new Set([
  "soc", "iso", "tls", "ssl", "http", "oauth", "wcag", "pci", "phase", "tier", "level", "version",
  "ver", "step", "stage", "sprint", "gen", "generation", "series", "model", "windows", "ios",
  "android", "macos", "python", "node", "java", "php", "ruby", "iphone", "chapter", "section",
  "article", "rule", "part", "room", "release", "v", "postgres", "postgresql", "mysql", "rfc",
  "iec", "nist", "sp", "en", "type", "pixel", "ubuntu", "debian", "react", "kubernetes", "api",
]);
const YEAR_FOLLOWERS = new Set([
  "and", "or", "to", "with", "for", "at", "in", "on", "the", "a", "when", "while", "through",
  "across", "so", "but", "we", "our", "as", "is", "will", "be", "was", "has", "than", "year",
  "onwards", "onward", "budget", "roadmap", "plan", "release", "edition", "cohort",
]);
const YEAR_PREPOSITIONS = new Set([
  "in", "by", "before", "until", "till", "through", "during", "since", "from", "of", "end", "mid",
  "early", "late", "fy", "cy", "q1", "q2", "q3", "q4", "h1", "h2", "for", "throughout",
]);

// What may trail the digits of an amount: units and "+" for "10k+".
const AMOUNT_SUFFIX =
  /^(?:%|k|m|b|bn|mm|ms|s|sec|secs|min|mins|h|hr|hrs|d|kb|mb|gb|tb|pb|pp|bps|kbps|mbps|gbps|rps|qps|tps|rpm|fps|px|g|kg|t|kwh|mwh|gwh|tco2e?|co2e?)?\+?(?:\/[a-z]+)?$/i;
const AMOUNT = /^(\d[\d,]*(?:\.\d+)?)(?:[-–]\d[\d,]*(?:\.\d+)?)?(.*)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const SLASH_DATE = /^\d{1,2}\/\d{1,2}\/\d{2,4}$|^\d{1,2}\.\d{1,2}\.\d{2,4}$/;
// Version numbers: 1.2.3, 2.0.1; and "24/7" is a statement of hours, not a date.
const SEMVER = /^\d+\.\d+\.\d+$/;

function isMonth(token: Token | undefined): boolean {
  if (!token) return false;
  const lower = token.lower.replace(/\.$/, "");
  if (!MONTHS.has(lower)) return false;
  const first = token.word.charAt(0);
  return !AMBIGUOUS_MONTHS.has(lower) || first !== first.toLowerCase();
}

function isDayNumber(token: Token | undefined): boolean {
  if (!token) return false;
  const m = /^(\d{1,2})(?:st|nd|rd|th)?$/i.exec(token.word);
  if (!m) return false;
  const n = Number(m[1]);
  return n >= 1 && n <= 31;
}

function classify(tokens: Token[], i: number): TokenKind {
  const t = tokens[i];
  if (!t) return "word";
  const prev = tokens[i - 1];
  const next = tokens[i + 1];
  const word = t.word;

  if (!/\d/.test(word)) {
    if (t.lower === "zero" && prev?.lower === "net") return "identifier"; // "net zero" is a target's name, not a count
    if (NUMBER_WORDS.has(t.lower)) {
      if (next?.lower === "times" && !/^(?:as|than)$/.test(tokens[i + 2]?.lower ?? "")) return "multiplier"; // "three times faster"
      return NUMBER_WORDS.has(prev?.lower ?? "") || prev?.lower === "top" ? "ordinal" : "quantity";
    }
    if (MULTIPLIER_WORDS.has(t.lower)) return "multiplier";
    if (ORDINAL_WORDS.has(t.lower)) return "ordinal";
    return "word";
  }
  if (/^24\s*[/x×]\s*7$/i.test(word)) return "quantity";
  if (/^\d+(?:\.\d+)?:\d+$/.test(word)) return "quantity"; // a ratio: "4.5:1 contrast"
  // Letters before the digits make a name: p95, Q3, FY26, S3, IPv6, eu-west-1, GPT-4.
  if (!/^\d/.test(word)) return "identifier";
  if (ISO_DATE.test(word) || SLASH_DATE.test(word)) return "date";
  if (SEMVER.test(word)) return "version";
  if (/^\d+(?:\.\d+)?\s*[x×]$/i.test(word)) return "multiplier";
  if (/^\d+(?:st|nd|rd|th)$/i.test(word)) {
    return isMonth(prev) || isMonth(next) || (next?.lower === "of" && isMonth(tokens[i + 2])) ? "date" : "ordinal";
  }

  const amount = AMOUNT.exec(word);
  // Digits followed by something that isn't a unit are a name too: 2FA, 5G, 3rd-party.
  if (!amount || !AMOUNT_SUFFIX.test(amount[2] ?? "")) return "identifier";
  if (prev && IDENTIFIER_PREFIXES.has(prev.lower)) return "identifier";
  // "the top 3 requests" ranks without naming them.
  if (prev?.lower === "top") return "ordinal";
  // "Ship 2.0", "release 4.2 of the CLI": a decimal with no unit after a release verb is a version.
  if (/^\d+\.\d+$/.test(word) && /^(?:ship|ships|shipped|release|releases|released|launch|launches|launched|publish|deploy|upgrade|to)$/.test(prev?.lower ?? "") && !normaliseUnit(next?.lower ?? "")) {
    return "version";
  }
  if (next && /^(?:x|×|times)$/i.test(next.word) && !/^(?:as|than)$/.test(tokens[i + 2]?.lower ?? "")) return "multiplier";

  if (isDayNumber(t) && (isMonth(prev) || isMonth(next) || (next?.lower === "of" && isMonth(tokens[i + 2])))) {
    return "date";
  }
  if (/^(19|20)\d\d$/.test(word)) {
    if (isMonth(prev) || isDayNumber(prev)) return "date";
    // "by 2026" is a year, "2000 customers" is an amount: look at what follows.
    const nextIsNoun =
      next !== undefined && next.raw === next.word && /^\p{Ll}/u.test(next.word) && !YEAR_FOLLOWERS.has(next.lower) && t.raw === t.word;
    if (!nextIsNoun) return prev && YEAR_PREPOSITIONS.has(prev.lower) ? "date" : "year";
  }
  return "quantity";
}

// A statement written In Title Case capitalises every word, so capitals there say nothing about
// proper nouns; elsewhere a capitalised word mid-sentence is probably a name ("Support Portal").
function isTitleCased(tokens: Token[]): boolean {
  let considered = 0;
  let capitalised = 0;
  for (let i = 1; i < tokens.length; i++) {
    const word = tokens[i]?.word ?? "";
    if (!/^\p{L}+$/u.test(word) || word.length < 2) continue;
    if (word === word.toUpperCase()) continue;
    considered++;
    const first = word.charAt(0);
    if (first !== first.toLowerCase()) capitalised++;
  }
  return capitalised >= 2 && capitalised * 2 >= considered;
}

function analyse(text: string): Analysis {
  const masked = maskMarkup(text);
  const tokens = tokenize(masked);
  const kinds = tokens.map((_, i) => classify(tokens, i));
  return { text: masked, tokens, kinds, hasQuantity: kinds.includes("quantity"), titleCased: isTitleCased(tokens) };
}

function tokenAt(a: Analysis, index: number): number {
  for (let i = 0; i < a.tokens.length; i++) {
    const t = a.tokens[i];
    if (t && index >= t.start && index < t.end) return i;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Vague terms
// ---------------------------------------------------------------------------------------------

interface MatchContext {
  analysis: Analysis;
  tokenIndex: number;
  /** The match lower-cased. */
  lower: string;
  /** Offset of the match within its text. */
  index: number;
}

type Needs = "quantity" | "local" | "duration" | "named" | "never";

interface VagueRule {
  term: string;
  re: RegExp;
  /** Completes a sentence that starts with the quoted term: `"Improve" <why>`. */
  why: string;
  suggestion: string;
  /**
   * What in the statement pins the claim down, so the word only blurs a checkable promise:
   * - "quantity": a number that sizes the claim anywhere in the statement;
   * - "local": a comparative; the number must stand beside it ("from 3 s to 1 s", "by 40%");
   * - "duration": a time word; it needs a duration or a date ("within 4 hours");
   * - "named": a capability word; a named standard, product or quantity pins it ("support IPv6");
   * - "never": an escape hatch ("where possible"): no number makes the promise binding.
   */
  needs: Needs;
  /** Uses of the word that are not vague at all, e.g. "API key" or "support tickets". */
  skip?: (ctx: MatchContext) => boolean;
}

const SP = "[\\s\\u00a0]+";
// "world-class", "world class" and "world–class" are the same word to a reader.
const HY = "(?:[\\s\\u00a0]*[-\\u2010\\u2011\\u2013][\\s\\u00a0]*|[\\s\\u00a0]+)";

// Hyphens count as word boundaries, so "data-driven" and "AI-enhanced" are caught; letters,
// digits and underscores do not, so "import", "transport", "etcd" and "Explorer" are safe.
// Agent nouns (explorer, optimizer, enhancer, supporter) and adjectives that mean something
// else (supportive) are deliberately not listed as inflections.
function wordRe(forms: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${forms})(?![\\p{L}\\p{N}_])`, "giu");
}

const prevLower = (c: MatchContext, back = 1): string => c.analysis.tokens[c.tokenIndex - back]?.lower ?? "";
const nextLower = (c: MatchContext, ahead = 1): string => c.analysis.tokens[c.tokenIndex + ahead]?.lower ?? "";

const SUPPORT_NOUN_NEXT = new Set([
  "for", "ticket", "tickets", "case", "cases", "queue", "queues", "team", "teams", "request",
  "requests", "contact", "contacts", "volume", "engineer", "engineers", "agent", "agents", "staff",
  "sla", "slas", "response", "responses", "backlog", "portal", "inbox", "chat", "call", "calls",
  "rota", "desk", "hours", "plan", "plans", "matrix",
]);
const SUPPORT_NOUN_PREV = new Set([
  "customer", "technical", "tech", "premium", "enterprise", "phone", "email", "priority",
  "dedicated", "product", "on-call", "first-line", "second-line", "24/7", "native", "official",
  "browser", "platform", "language", "our", "the", "of", "with", "without",
]);
const KEY_NOUN_PREV = new Set([
  "api", "access", "encryption", "license", "licence", "ssh", "signing", "secret", "private",
  "public", "product", "master", "root", "hardware", "security", "gpg", "pgp", "kms",
  "idempotency", "primary", "foreign", "partition", "sort", "cache",
]);
const KEY_NOUN_NEXT = new Set(["rotation", "rotations", "management", "store", "vault", "pair", "pairs", "ring"]);
const ACRONYM = /^(?:[A-Z][A-Z0-9.+#/-]+|[A-Za-z]*\d[A-Za-z0-9]*)$/;
const DRIVE_NOUN_PREV = new Set([
  "hard", "usb", "flash", "google", "shared", "network", "disk", "thumb", "test", "external",
  "ssd", "disc", "cd", "dvd", "optical", "solid-state", "team",
]);

function rule(
  term: string,
  forms: string,
  why: string,
  suggestion: string,
  extra: Partial<Pick<VagueRule, "needs" | "skip">> = {},
): VagueRule {
  return { term, re: wordRe(forms), why, suggestion, needs: "quantity", ...extra };
}

const VAGUE_RULES: readonly VagueRule[] = [
  rule("improve", "improve[sd]?|improving|improvements?",
    "says which direction, not how far",
    "Say from what to what: 'cut p95 checkout latency from 900 ms to 300 ms'."),
  rule("enhance", "enhance[sd]?|enhancing|enhancements?",
    "names no change anyone could check",
    "Name the capability and the bar it clears: 'export any report to CSV in under 5 seconds'."),
  rule("optimize", "optimi[sz]e[sd]?|optimi[sz]ing|optimi[sz]ations?",
    "has no finish line",
    "State the number you will reach: 'cut monthly cloud spend from $120k to $90k'."),
  rule("explore", "explore[sd]?|exploring|explorations?|exploratory",
    "promises activity, not a result",
    "Commit to the decision it produces: 'publish a go/no-go decision on usage-based pricing by 30 June'."),
  rule("support", "support(?:s|ed|ing)?",
    "can mean anything from a help article to a full integration",
    "Say what a customer will be able to do: 'customers can sign in with SAML SSO from Okta and Azure AD'.",
    {
      needs: "named",
      skip: (c) =>
        c.lower === "support" &&
        (SUPPORT_NOUN_NEXT.has(nextLower(c)) ||
          SUPPORT_NOUN_PREV.has(prevLower(c)) ||
          // "SAML support", "ARM64 support": a feature name in front makes it a noun.
          ACRONYM.test(c.analysis.tokens[c.tokenIndex - 1]?.word ?? "")),
    }),
  rule("strive", "strive[sd]?|striving|strove|striven",
    "promises effort, not an outcome",
    "Drop it and state the outcome: 'answer 90% of tickets within 4 hours'."),
  rule("aim to", `aim(?:s|ed|ing)?${SP}(?:to|for)`,
    "hedges the promise before it starts",
    "Commit outright: 'ship dark mode on web and iOS', not 'aim to ship dark mode'."),
  rule("continue to", `continu(?:e|es|ed|ing)${SP}to`,
    "commits to nothing new and has no end point",
    "Say what will be true on the due date: 'keep monthly uptime at or above 99.95% every month of 2025'."),
  rule("world-class", `world(?:${HY})?class`,
    "is a boast, not a measure",
    "Name the benchmark you will meet: 'NPS of 50 or higher in the Q4 customer survey'."),
  rule("seamless", "seamless(?:ly|ness)?",
    "can't be observed or disproved",
    "Count the friction you will remove: 'migrate every workspace with zero downtime and no manual steps'."),
  rule("robust", "robust(?:ly|ness)?",
    "sets no failure threshold",
    "State the failure rate you will stay under: 'fewer than 1 failed sync per 10,000 runs'."),
  rule("significantly", "significant(?:ly)?",
    "leaves the size of the change open",
    "Put the number in: 'reduce monthly churn from 3.1% to 2.5%', not 'significantly reduce churn'."),
  rule("as needed", `as${SP}(?:needed|required|appropriate|necessary)`,
    "lets anyone decide later that it wasn't needed",
    "Say exactly when it applies: 'within 2 business days of every P1 incident'.",
    { needs: "never" }),
  rule("best-in-class", `best${HY}in${HY}class`,
    "compares against a class nobody named",
    "Name the comparison and the number: 'first response under 1 hour, against a 4-hour industry median'."),
  rule("leverage", "leverag(?:e|es|ed|ing)",
    "says what you'll use, not what will change",
    "State the outcome the tool buys you: 'use the new search index to return results in under 200 ms'."),
  rule("streamline", "streamlin(?:e|es|ed|ing)",
    "doesn't say what gets shorter",
    "Count the steps or the time: 'cut sign-up from 7 steps to 3'."),
  rule("better", "better",
    "needs a 'than what' and a 'by how much'",
    "Say better by which measure and by how much: 'raise onboarding completion from 40% to 60%'.",
    { needs: "local" }),
  rule("faster", "faster",
    "needs a number",
    "Give the before and after: 'checkout loads in under 1.5 s at p95, down from 3 s'.",
    { needs: "local" }),
  rule("more", "more",
    "doesn't say how many",
    "Give the count: 'onboard 40 new enterprise customers', not 'more customers'.",
    { needs: "local" }),
  rule("scalable", "scalab(?:le|ility)",
    "doesn't say to what load",
    "State the load you will handle: 'serve 5,000 requests per second with p99 under 250 ms'."),
  rule("efficient", "efficien(?:t|tly|cy|cies)",
    "doesn't say what is saved",
    "Name the saving: 'cut cost per 1,000 API calls from $0.40 to $0.25'."),
  rule("modernize", "moderni[sz](?:e|es|ed|ing|ation)",
    "doesn't say what the end state is",
    "Name the end state: 'every service running on Node 22 and Postgres 16'."),
  rule("revamp", "revamp(?:s|ed|ing)?",
    "doesn't say what changes",
    "Say what ships and how you'll know it worked: 'new pricing page live, trial sign-ups from 2% to 3% of visitors'."),
  rule("drive", "drive[sn]?|driving|drove",
    "names a push, not a result",
    "State the result you will reach: 'grow weekly active teams from 1,200 to 1,800'.",
    { skip: (c) => DRIVE_NOUN_PREV.has(prevLower(c)) }),
  rule("empower", "empower(?:s|ed|ing|ment)?",
    "describes a feeling, not something anyone can observe",
    "Say what people will be able to do: 'workspace admins can create custom roles without filing a ticket'."),
  rule("ensure", "ensur(?:e|es|ed|ing)",
    "states an intent without the bar to check it against",
    "State the bar: '100% of production deploys pass the dependency scan'.",
    { needs: "named" }),
  // "enabled" is left out on purpose: "MFA enabled for every admin" describes a checkable state.
  rule("enable", "enabl(?:e|es|ing|ement)",
    "says something becomes possible, not that anything happens",
    "Say who can do what: 'every workspace admin can export audit logs as CSV'.",
    { needs: "named" }),
  rule("work towards", `work(?:s|ed|ing)?${SP}towards?`,
    "promises progress, not arrival",
    "Commit to where you will arrive: 'SOC 2 Type II report issued', not 'work towards SOC 2'."),
  rule("look into", `look(?:s|ed|ing)?${SP}into`,
    "promises attention, not a result",
    "Commit to what the look produces: 'publish a written decision on offline mode by 15 May'."),
  rule("investigate", "investigat(?:e|es|ed|ing|ion|ions)",
    "promises a study, not a result",
    "Commit to what the investigation delivers: 'publish the root-cause report for duplicate syncs and ship the fix'."),
  rule("various", "various",
    "hides the list",
    "Name them: 'Slack, Microsoft Teams and Google Chat', not 'various chat tools'."),
  rule("etc.", `etc\\.?|et${SP}cetera|and${SP}so${SP}on`,
    "leaves the list open, so anything missing can be excused",
    "Close the list: name every item you are committing to and drop 'etc.'.",
    { needs: "never" }),
  rule("as soon as possible", `as${SP}soon${SP}as${SP}(?:possible|we${SP}can)|asap|a\\.s\\.a\\.p\\.?`,
    "has no date, so it can never be late",
    "Let the due date do the work: 'by 30 June', and drop 'ASAP'.",
    { needs: "never" }),
  rule("where possible", `(?:where|wherever|when|whenever|if)${SP}(?:possible|feasible|practical|practicable|appropriate)`,
    "lets any case be exempted after the fact",
    "State the scope and the exceptions up front: 'every EU customer except those on legacy plans'.",
    { needs: "never" }),
  rule("industry-leading", `(?:industry|market|world)${HY}lead(?:ing|ers?)`,
    "is a claim nobody can check without a named comparison",
    "Name the benchmark: '99.99% monthly uptime, above the 99.9% in our three largest competitors' SLAs'."),
  rule("cutting-edge", `cutting${HY}edge|bleeding${HY}edge|state${HY}of${HY}the${HY}art`,
    "describes novelty, not an outcome",
    "Say what it does and how well: 'answers 60% of support questions without a human'."),
  rule("next-generation", `next${HY}gen(?:eration)?|nextgen`,
    "says it's new, not what it does",
    "Name the capability and its number: 'search 10 million documents with results in under 300 ms'."),
  rule("holistic", "holistic(?:ally)?",
    "draws no boundary to check against",
    "List what's covered: 'one invoice covering seats, storage and API usage'."),
  rule("synergy", "synerg(?:y|ies|istic)",
    "names a hope, not a result",
    "State the combined result: 'sell the analytics add-on to 150 existing customers'."),
  rule("user-friendly", `user${HY}friendl(?:y|iness)|userfriendly`,
    "is a judgement, not an observation",
    "Use a usability number: 'median new user finishes setup in under 10 minutes'."),
  rule("intuitive", "intuitive(?:ly)?",
    "can't be checked by anyone but the writer",
    "Measure it: '80% of new users create a first project without opening help'."),
  rule("best effort", `best${HY}efforts?`,
    "promises trying, not delivering",
    "Commit to the floor you will guarantee: 'restore service within 4 hours for every P1 incident'.",
    { needs: "never" }),
  rule("reasonable", "reasonabl(?:e|y)",
    "leaves the threshold to whoever is judging",
    "Replace it with the threshold: 'within 2 business days', not 'in a reasonable time'.",
    { needs: "never" }),
  rule("timely", `timel(?:y|iness)|prompt(?:ly)?|quick(?:ly)?|soon|rapid(?:ly)?|fast|swift(?:ly)?|responsive(?:ness)?`,
    "says it will be quick without saying how quick",
    "Give the time: 'first reply within 4 business hours', not 'a timely reply'.",
    { needs: "duration" }),
  rule("eventually", `eventually|someday|some${SP}day|over${SP}time|in${SP}due${SP}course|at${SP}some${SP}point|in${SP}the${SP}future|down${SP}the${SP}line`,
    "puts the promise at no date, so it can never be late",
    "Name the date: 'by 30 September 2026'.",
    { needs: "never" }),
  rule("regularly", `regular(?:ly)?|frequent(?:ly)?|periodic(?:ally)?|ongoing|continuous(?:ly)?|every${SP}so${SP}often|from${SP}time${SP}to${SP}time|(?:every${SP})?now${SP}and${SP}(?:then|again)`,
    "doesn't say how often",
    "Give the interval: 'publish an uptime report every month', not 'regularly'.",
    { needs: "duration", skip: (c) => c.lower === "regular" && /^(?:expressions?|plan|plans|price|pricing)$/.test(nextLower(c)) }),
  rule("easier", `easier|simpler|smoother|quicker|cheaper|greater|higher|lower|fewer|less|stronger|smaller|bigger|larger|shorter|safer|clearer`,
    "needs a 'than what' and a 'by how much'",
    "Give the before and after: 'cut sign-up from 7 steps to 3'.",
    { needs: "local", skip: (c) => c.lower === "less" && prevLower(c) === "no" && nextLower(c) === "than" }),
  rule("secure", `secur(?:e|ely)`,
    "names a quality without the test that would show it",
    "Name the control or the certificate: 'SOC 2 Type II report issued', 'MFA required for every admin'.",
    { needs: "named" }),
  rule("great", `great|competitive|affordable|fair|delight(?:s|ed|ing|ful)?|excellent|exceptional|outstanding|amazing|awesome|delightful|superior|unparalleled|unmatched|premium${SP}experience|high${HY}quality|top${HY}notch|first${HY}class`,
    "is praise, not something a reader could check",
    "Name what a customer will measure: 'median time to first value under 10 minutes'."),
  rule("best-ever", `(?:our|the)${SP}best(?:${SP}[\\p{L}-]+){0,2}${SP}ever|best${SP}ever`,
    "is a boast with no scale",
    "Say what you will count at the end: 'renew 95% of annual contracts', not 'our best year ever'."),
  rule("try to", `(?:try|tries|trying|hope|hopes|hoping|plan|plans|planning|intend|intends|intending|seek|seeks|seeking|expect|expects)${SP}to`,
    "hedges the promise before it starts",
    "Commit outright: say what will be true, not what you will try."),
  rule("invest in", `invest(?:s|ed|ing|ments?)?${SP}in|focus(?:es|ed|ing)?${SP}on|prioriti[sz](?:e|es|ed|ing)|double${SP}down${SP}on|commit(?:ted)?${SP}to${SP}(?:improving|being|making)`,
    "promises effort or money, not a result",
    "State what the investment buys: 'serve 99.95% of requests without error every month'."),
  rule("help", `help(?:s|ed|ing)?`,
    "doesn't say what changes for the person helped",
    "Say what they will be able to do, and how many of them: '200 customers migrated with no downtime'.",
    { skip: (c) => /^(?:centre|center|article|articles|desk|docs|page|pages|menu|text|button|widget)$/.test(nextLower(c)) || prevLower(c) === "the" }),
  rule("substantially", `substantial(?:ly)?|dramatic(?:ally)?|considerabl[ey]|greatly|massive(?:ly)?|vast(?:ly)?|material(?:ly)?|noticeabl[ey]|meaningful(?:ly)?|sharply|radical(?:ly)?`,
    "leaves the size of the change open",
    "Put the number in: 'reduce monthly churn from 3.1% to 2.5%'."),
  rule("proactive", `proactive(?:ly)?|active(?:ly)?|closely|carefully|diligent(?:ly)?`,
    "describes an attitude, not an outcome",
    "Say what will happen and when: 'notify affected customers within 30 minutes of a confirmed incident'.",
    { skip: (c) => /^(?:users?|customers?|teams?|workspaces?|accounts?|subscriptions?|subscribers?|seats?|sessions?)$/.test(nextLower(c)) }),
  rule("transparent", `transparen(?:t|tly|cy)|trusted|trustworthy|reliable|reliably|resilien(?:t|ce)|flexib(?:le|ility)|comprehensive(?:ly)?|future${HY}proof|minimi[sz](?:e|es|ed|ing)|maximi[sz](?:e|es|ed|ing)`,
    "names a quality without the test that would show it",
    "Name the test: 'publish a postmortem for every Sev-1 incident within 5 business days'."),
  rule("key", "key",
    "doesn't say which ones",
    "Name them: 'the checkout, search and login pages', not 'key pages'.",
    {
      // Only the adjective is vague ("key customers"); a key at the end of a phrase is a noun.
      skip: (c) => {
        const token = c.analysis.tokens[c.tokenIndex];
        const endsPhrase = !c.analysis.tokens[c.tokenIndex + 1] || (token !== undefined && token.raw !== token.word);
        return endsPhrase || KEY_NOUN_PREV.has(prevLower(c)) || KEY_NOUN_NEXT.has(nextLower(c));
      },
    }),
  rule("some", "some",
    "doesn't say how many or which",
    "Give the number or the list: '3 of our 5 largest accounts', not 'some accounts'."),
  rule("many", "many",
    "doesn't say how many",
    "Give the number: 'at least 200 customers', not 'many customers'.",
    { needs: "local" }), // "twice as many" is a number
];

export const VAGUE_TERMS: readonly string[] = VAGUE_RULES.map((r) => r.term);

// A number beside a comparative makes it a claim: "200 ms faster", "3 times faster", "more than
// 500", "faster by 40%", "lower the price from $20 to $15". "10x faster" and "faster by Q3" are
// not: a multiple of nothing, and a date, size nothing a reader could check.
function isLocallyQuantified(c: MatchContext): boolean {
  const { analysis, tokenIndex: i } = c;
  if (analysis.kinds[i - 1] === "quantity") return true;
  if (analysis.kinds[i - 2] === "quantity" && analysis.kinds[i - 1] === "word") return true;
  // "3 clicks or fewer", "99.9% or higher": the bound stands just before.
  if (analysis.tokens[i - 1]?.lower === "or" && [2, 3].some((k) => analysis.kinds[i - k] === "quantity")) return true;
  for (let j = i + 1; j <= i + 6 && j < analysis.tokens.length; j++) {
    if (analysis.kinds[j] === "quantity") return true;
    // The comparison ends at a clause boundary: "faster, and by Q3 ship 2 regions".
    const raw = analysis.tokens[j]?.raw ?? "";
    if (/[,;:.]$/.test(raw) && analysis.kinds[j] !== "quantity") break;
  }
  return false;
}

function isPinned(rule: VagueRule, c: MatchContext, facts: StatementFacts): boolean {
  switch (rule.needs) {
    case "quantity":
      return facts.hasQuantity;
    case "local":
      return isLocallyQuantified(c);
    case "duration":
      return facts.hasDuration;
    case "named":
      return facts.hasQuantity || facts.hasNamed;
    case "never":
      return false;
  }
}

function isSentenceStart(text: string, index: number): boolean {
  let j = index - 1;
  let sawNewline = false;
  while (j >= 0) {
    const ch = text.charAt(j);
    if (ch === "\n" || ch === "\r") sawNewline = true;
    if (/[\s"'“‘([*•]/u.test(ch)) {
      j--;
      continue;
    }
    break;
  }
  if (j < 0 || sawNewline) return true;
  const ch = text.charAt(j);
  if (".!?:;–—".includes(ch)) return true;
  // A spaced hyphen reads as a dash: "Ship the beta - Improve …".
  return ch === "-" && (j === 0 || /\s/.test(text.charAt(j - 1)));
}

function looksLikeProperNoun(a: Analysis, matched: string, index: number): boolean {
  if (a.titleCased) return false;
  const first = matched.charAt(0);
  if (first === first.toLowerCase()) return false;
  if (matched === matched.toUpperCase()) return false; // ASAP, KEY: shouting, not a name
  return !isSentenceStart(a.text, index);
}

interface VagueHit {
  rule: VagueRule;
  matched: string;
  index: number;
  /** The statement itself sizes or names the claim the word blurs. */
  pinned: boolean;
}

function findVagueTerms(a: Analysis, facts: StatementFacts = factsOf(a)): VagueHit[] {
  const hits: VagueHit[] = [];
  const taken: Array<[number, number]> = [];
  for (const r of VAGUE_RULES) {
    for (const m of a.text.matchAll(r.re)) {
      const matched = m[0];
      const ctx: MatchContext = { analysis: a, tokenIndex: tokenAt(a, m.index), lower: matched.toLowerCase(), index: m.index };
      if (looksLikeProperNoun(a, matched, m.index)) continue;
      if (r.skip?.(ctx)) continue;
      // One word, one finding: "more" inside "more and more" or "best" in "best-in-class".
      if (taken.some(([s, e]) => m.index < e && m.index + matched.length > s)) continue;
      const pinned = isPinned(r, ctx, facts);
      // A capability word naming a standard, or a comparative with its number beside it, is
      // simply precise: "support IPv6", "200 ms faster".
      if (pinned && (r.needs === "named" || r.needs === "local")) break;
      hits.push({ rule: r, matched, index: m.index, pinned });
      taken.push([m.index, m.index + matched.length]);
      break; // one finding per distinct term: the first use is the one to highlight
    }
  }
  return hits.sort((x, y) => x.index - y.index);
}

/** Where the vague words are in a statement, for marking them as the person types. */
export function vagueSpans(statement: string): Array<{ index: number; length: number; term: string; pinned: boolean }> {
  if (isBlank(statement)) return [];
  return findVagueTerms(analyse(statement)).map((h) => ({ index: h.index, length: h.matched.length, term: h.rule.term, pinned: h.pinned }));
}

// ---------------------------------------------------------------------------------------------
// What the statement pins down
// ---------------------------------------------------------------------------------------------

interface StatementFacts {
  /** A number that sizes the claim: 300 ms, 40 customers, 99.95%. */
  hasQuantity: boolean;
  /** A quantity of time: "within 4 hours", "under 2 s", "every 30 minutes". */
  hasDuration: boolean;
  /** By when: a date, a month, a quarter or a year after "by", "in", "before". */
  hasDate: boolean;
  /** A named standard, product, place or identifier: TLS 1.3, IPv6, SAML, eu-west-1, Frankfurt. */
  hasNamed: boolean;
  /** A named standard or protocol specifically. */
  hasStandard: boolean;
  /** An observable event: ship, launch, publish, retire, make available… */
  hasEvent: boolean;
  /** "every", "all", "no", "zero" + something: a scope a reader can count. */
  hasUniversal: boolean;
}

const TIME_UNITS = new Set([
  "ms", "millisecond", "milliseconds", "s", "sec", "secs", "second", "seconds", "min", "mins",
  "minute", "minutes", "h", "hr", "hrs", "hour", "hours", "d", "day", "days", "week", "weeks",
  "month", "months", "business", "working", "calendar", "year", "years",
]);

// Standards and protocols a customer can test for: their name is the specification.
const STANDARD =
  /(?<![\p{L}\p{N}_])(?:TLS|SSL|IPv[46]|HTTP\/[23]|HTTP\/1\.1|SAML|SCIM|OAuth|OIDC|OpenID|SSO|MFA|2FA|FIDO2?|WebAuthn|passkeys?|SOC[\s\u00a0]?[123]|ISO[\s\u00a0]?\d{4,5}|HIPAA|GDPR|CCPA|PCI[\s\u00a0-]?DSS|FedRAMP|WCAG|VPAT|Section[\s\u00a0]508|EN[\s\u00a0]301[\s\u00a0]549|DNSSEC|DMARC|DKIM|SPF|HSTS|SBOM|SLSA|CSA[\s\u00a0]STAR|C5|IRAP|HDS|BSI|NIS2|DORA|CMMC|StateRAMP|ARM64|AES-?256|RFC[\s\u00a0]?\d+|EU[\s\u00a0]Data[\s\u00a0]Boundary|Cyber[\s\u00a0]Essentials)(?![\p{L}_])/u;

const EVENT_VERBS = [
  "ship(?:s|ped|ping)?", "launch(?:es|ed|ing)?", "releas(?:e|es|ed|ing)", "publish(?:es|ed|ing)?",
  "deploy(?:s|ed|ing)?", "migrat(?:e|es|ed|ing)", "retir(?:e|es|ed|ing)", "deprecat(?:e|es|ed|ing)",
  "remov(?:e|es|ed|ing)", "delet(?:e|es|ed|ing)", "sunset(?:s|ting)?", "open(?:s|ed|ing)?",
  "clos(?:e|es|ed|ing)", "generally available", "general availability", "GA", "available",
  "certif(?:y|ied|ication)", "pass(?:es|ed)?", "eliminat(?:e|es|ed|ing)", "replac(?:e|es|ed|ing)",
  "go(?:es)? live", "roll(?:s|ed)? out", "shut down", "switch(?:es|ed)? off", "turn(?:s|ed)? off",
  "decommission(?:s|ed)?", "requir(?:e|es|ed|ing)", "encrypt(?:s|ed|ing)?", "enforc(?:e|es|ed|ing)",
  "offer(?:s|ed|ing)?", "add(?:s|ed|ing)?", "introduc(?:e|es|ed|ing)", "refund(?:s|ed|ing)?",
  "credit(?:s|ed|ing)?", "notif(?:y|ies|ied)", "translat(?:e|es|ed|ing)", "host(?:s|ed|ing)?",
  "stor(?:e|es|ed|ing)", "rotat(?:e|es|ed|ing)", "complet(?:e|es|ed|ing)", "obtain(?:s|ed)?",
  "renew(?:s|ed)?", "list(?:s|ed)?", "announc(?:e|es|ed|ing)", "freez(?:e|es|ing)", "froze",
  "cap(?:s|ped)?", "includ(?:e|es|ed|ing)", "let(?:s)?", "allow(?:s|ed)?", "accept(?:s|ed)?",
  "issu(?:e|es|ed)", "sign(?:s|ed)?", "hir(?:e|es|ed|ing)", "onboard(?:s|ed|ing)?",
  "patch(?:es|ed)?", "fix(?:es|ed)?", "answer(?:s|ed)?", "respond(?:s|ed)?", "resolv(?:e|es|ed)",
  "restor(?:e|es|ed)", "document(?:s|ed)?", "audit(?:s|ed)?", "expand(?:s|ed)?", "mov(?:e|es|ed)",
  "stop(?:s|ped)?", "end(?:s|ed)?", "start(?:s|ed)?", "begin(?:s)?", "switch(?:es|ed)?",
  // Capability verbs are events once what they name is named: "support IPv6", "let admins export".
  "support(?:s|ed)?", "enabl(?:e|es|ed)", "show(?:s|n)?", "display(?:s|ed)?",
  "end of (?:the )?(?:year|quarter|month|half)",
].join("|");
const EVENT_RE = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${EVENT_VERBS})(?![\\p{L}\\p{N}_])`, "iu");
const UNIVERSAL_RE = /(?<![\p{L}\p{N}_])(?:every|all|each|zero|no)[\s\u00a0]+(?!longer\b|more\b|less\b|later\b|one\b|so\b)\p{L}/iu;
const PERIOD_RE = /(?<![\p{L}\p{N}_])(?:by|before|in|during|until|through|end of|within)[\s\u00a0]+(?:the[\s\u00a0]+end[\s\u00a0]+of[\s\u00a0]+)?(?:(?:FY|CY)?\d{2,4}[-\s]?)?(?:Q[1-4]|H[12]|FY\d{2,4})(?![\p{L}\p{N}_])/u;
// Words that are capitalised mid-sentence without naming anything a reader could find.
const NOT_NAMES = new Set(["i", "we", "our", "customers", "customer", "team", "teams", "company", "everyone", "us"]);

function factsOf(a: Analysis): StatementFacts {
  let hasDuration = false;
  // "by the end of the quarter" dates the promise by its period.
  // "by the end of the quarter", "in every month of the year": dated by the period itself.
  let hasDate =
    PERIOD_RE.test(a.text) ||
    /(?<![\p{L}_])(?:end[\s\u00a0]+of|(?:every|each)[\s\u00a0]+(?:day|week|month|quarter)[\s\u00a0]+of|throughout)[\s\u00a0]+(?:the[\s\u00a0]+)?(?:fiscal[\s\u00a0]+)?(?:year|quarter|month|half)(?![\p{L}_])/iu.test(a.text);
  let hasNamed = false;
  a.tokens.forEach((t, i) => {
    const kind = a.kinds[i];
    if (kind === "quantity") {
      const unit = (AMOUNT.exec(t.word)?.[2] ?? "").toLowerCase().replace(/\+$/, "");
      const next = a.tokens[i + 1]?.lower ?? "";
      if (TIME_UNITS.has(unit) || TIME_UNITS.has(next) || /^24\s*[/x×]\s*7$/i.test(t.word)) hasDuration = true;
    }
    if (kind === "date" || WEEKDAYS.has(t.lower) || isMonth(t)) hasDate = true;
    if (kind === "year" && YEAR_PREPOSITIONS.has(a.tokens[i - 1]?.lower ?? "")) hasDate = true;
    if (kind === "identifier") hasNamed = true;
    if (i > 0 && !a.titleCased && /^\p{Lu}/u.test(t.word) && !NOT_NAMES.has(t.lower) && !isMonth(t) && !WEEKDAYS.has(t.lower)) {
      if (!isSentenceStart(a.text, t.start)) hasNamed = true;
    }
    if (/^[A-Z][A-Z0-9]{1,}$/.test(t.word) && !/^(?:ASAP|TBD|TBC|ETC|OK)$/.test(t.word)) hasNamed = true;
    // A capital inside a word is a product's spelling: iOS, macOS, GitHub, PagerDuty.
    if (/^\p{L}+$/u.test(t.word) && /\p{Ll}/u.test(t.word) && /\p{Lu}/u.test(t.word.slice(1))) hasNamed = true;
    if (/^["“'‘]/.test(t.raw) && /["”'’]$/.test(t.raw.replace(/[.,;:]+$/, "")) && t.raw.length > 2) hasNamed = true;
  });
  const hasStandard = STANDARD.test(a.text);
  // "every 30 minutes", "each month": an interval is a duration too.
  if (/(?<![\p{L}_])(?:every|each|per|a)[\s\u00a0]+(?:\d+[\s\u00a0]+)?(?:minute|hour|day|business day|week|month|quarter)s?(?![\p{L}_])/iu.test(a.text)) hasDuration = true;
  if (/(?<![\p{L}_])(?:daily|weekly|monthly|quarterly|annually|yearly|hourly)(?![\p{L}_])/iu.test(a.text)) hasDuration = true;
  if (/(?<![\p{L}_])(?:same|next)[\s\u00a0-]+(?:business[\s\u00a0]+)?day(?![\p{L}_])/iu.test(a.text)) hasDuration = true;
  return {
    hasQuantity: a.hasQuantity,
    hasDuration,
    hasDate,
    hasNamed: hasNamed || hasStandard,
    hasStandard,
    hasEvent: EVENT_RE.test(a.text),
    hasUniversal: UNIVERSAL_RE.test(a.text),
  };
}

/** A reader could tell, from the sentence alone, what would count as kept. */
function pinsSomethingDown(f: StatementFacts): boolean {
  if (f.hasQuantity || f.hasStandard) return true;
  return f.hasEvent && (f.hasNamed || f.hasUniversal || f.hasDate);
}

// ---------------------------------------------------------------------------------------------
// Statement shape
// ---------------------------------------------------------------------------------------------

const ABBREVIATIONS = new Set([
  "etc", "vs", "approx", "incl", "excl", "mr", "mrs", "ms", "dr", "inc", "ltd", "co", "corp", "no",
  "st", "dept", "est", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
  "nov", "dec", "e.g", "i.e", "cf", "al", "min", "max",
]);

function countSentences(text: string): number {
  let count = 1;
  for (const m of text.matchAll(/[.!?]+["'”’)\]]*\s+(?=["'“‘(]?[\p{Lu}\p{N}])/gu)) {
    const before = text.slice(0, m.index);
    const lastWord = (/(\S+)$/.exec(before)?.[1] ?? "").replace(LEADING_PUNCT, "").toLowerCase();
    // "e.g.", "U.S.", "A." and friends end in a full stop without ending the sentence.
    if (ABBREVIATIONS.has(lastWord) || lastWord.includes(".") || /^\p{L}$/u.test(lastWord)) continue;
    count++;
  }
  // A line break between two non-empty lines is a second sentence even without a full stop.
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const unpunctuatedBreaks = lines.slice(0, -1).filter((l) => !/[.!?]["'”’)\]]*\s*$/.test(l)).length;
  return count + unpunctuatedBreaks;
}

function countWords(text: string): number {
  let n = 0;
  for (const m of text.matchAll(/\S+/g)) if (/[\p{L}\p{N}]/u.test(m[0])) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Evidence and deliverables
// ---------------------------------------------------------------------------------------------

function normalisePhrase(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^[\s"'(]+|[\s"').!,;:]+$/g, "");
}

const PLACEHOLDERS = new Set(["", "tbd", "tba", "tbc", "todo", "to do", "tk", "n/a", "na", "n.a", "none", "?", "??", "-", "--", "...", "x", "xxx", "later", "unknown"]);

const VAGUE_EVIDENCE_EXACT = new Set([
  ...PLACEHOLDERS,
  "check", "checked", "review", "reviewed", "internal review", "manual review", "team review",
  "management review", "we'll check", "we will check", "we'll see", "we will see", "we'll know",
  "we will know", "feedback", "customer feedback", "gut feel", "gut feeling", "self-assessment",
  "self assessment", "trust us", "ask the team", "observation", "internal", "manual", "manually",
  "eyeball", "see above", "common sense", "obvious", "the team",
]);
const VAGUE_EVIDENCE_PHRASE =
  /\b(?:we|i|the team|they)(?:'ll| will| shall)\s+(?:check|see|know|review|confirm|verify|look|monitor|assess|evaluate|track|decide)\b|\binternal review\b|\bmanual(?:ly)?\s+(?:review|check)|\b(?:tbd|tbc|tba)\b|\bgut feel|\bby eye\b|\banecdot|\bfeels? like\b|\bspot[- ]check|\bask around\b|\bcommon sense\b/i;
// Something another person could open and read, which rescues an otherwise vague phrase.
const EVIDENCE_ANCHOR =
  /\d|https?:\/\/|www\.|\b[\w-]+\.(?:com|io|org|net|dev|app|co|so)\b|\b(?:dashboards?|reports?|query|queries|sql|logs?|exports?|changelog|status page|release notes|survey|invoices?|audit|analytics|metrics?|tickets?|jira|linear|github|gitlab|datadog|grafana|looker|amplitude|mixpanel|stripe|salesforce|hubspot|zendesk|intercom|pagerduty|sentry|bigquery|snowflake|metabase|tableau|spreadsheet|csv|api|docs|certificate|contract|crm|database|warehouse|panel)\b/i;

function isVagueEvidence(evidence: string): boolean {
  const norm = normalisePhrase(evidence);
  if (VAGUE_EVIDENCE_EXACT.has(norm) || VAGUE_EVIDENCE_EXACT.has(evidence.trim().toLowerCase())) return true;
  return VAGUE_EVIDENCE_PHRASE.test(norm) && !EVIDENCE_ANCHOR.test(evidence);
}

// Bare completion words say that something happened but not what or where.
const GENERIC_EVENTS = new Set([
  "done", "complete", "completed", "finished", "shipped", "launched", "delivered", "released",
  "live", "ready", "deployed", "implemented", "in place", "available", "working", "rolled out",
  "fixed", "achieved", "met", "success", "successful", "go live", "went live", "ga", "in production",
  "out", "shipped it", "it works",
]);

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= daysInMonth;
}

// ---------------------------------------------------------------------------------------------
// The linter
// ---------------------------------------------------------------------------------------------

function isBlank(value: string | null | undefined): boolean {
  return value == null || value.trim() === "";
}

function isNumber(value: number | null): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function quote(text: string, max = 60): string {
  const t = text.trim().replace(/\s+/g, " ");
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function alreadyMet(m: MetricMeasure & { baseline: number; target: number }): boolean {
  switch (m.comparator) {
    case "gte":
      return m.baseline >= m.target;
    case "lte":
      return m.baseline <= m.target;
    case "eq":
      return m.baseline === m.target;
  }
}

function vagueFinding(hit: VagueHit): Finding {
  const written = hit.matched;
  const message = hit.pinned
    ? `"${written}" ${hit.rule.why}. The statement's own numbers already carry the promise, so the word only blurs it.`
    : hit.rule.needs === "never"
      ? `"${written}" ${hit.rule.why}: whatever number stands beside it, it lets any miss be excused.`
      : `"${written}" ${hit.rule.why}, and the statement itself doesn't pin that claim down, so a reader couldn't prove it wrong. Numbers in the measure fields don't help: the customer reads the sentence.`;
  return {
    code: "STATEMENT.VAGUE_TERM",
    severity: hit.pinned ? "warning" : "error",
    field: "statement",
    message,
    suggestion: hit.rule.suggestion,
    term: hit.rule.term,
    matched: written,
    index: hit.index,
  };
}

// ---------------------------------------------------------------------------------------------
// Language: the vague-word lists read English. A statement in another language is said to be
// unchecked, never silently passed.
// ---------------------------------------------------------------------------------------------

const STOPWORDS: Readonly<Record<string, readonly string[]>> = {
  English: ["the", "and", "of", "to", "by", "for", "in", "on", "with", "all", "every", "our", "we", "from", "at", "within", "than", "least", "under", "a", "an", "each", "per", "is", "be", "will", "their", "new"],
  German: ["der", "die", "das", "und", "bis", "für", "mit", "von", "auf", "ist", "wir", "unsere", "unser", "alle", "jede", "jeden", "einen", "eine", "ein", "den", "dem", "des", "zu", "zum", "zur", "innerhalb", "werden", "wird", "nicht", "kunden", "verbessern", "auch", "sind", "im", "ende"],
  French: ["le", "la", "les", "et", "des", "du", "pour", "avec", "nous", "nos", "notre", "tous", "toutes", "chaque", "une", "un", "dans", "sur", "d'ici", "avant", "clients", "est", "sont", "au", "aux", "améliorer", "fin", "en", "de"],
  Spanish: ["el", "la", "los", "las", "y", "del", "para", "con", "nosotros", "nuestro", "nuestra", "nuestros", "todos", "todas", "cada", "una", "un", "en", "antes", "clientes", "es", "son", "al", "mejorar", "fin", "de", "por", "que"],
};

/** The language a statement looks written in, or null when it reads as English or is too short to tell. */
export function detectLanguage(text: string): string | null {
  const words = maskMarkup(text)
    .toLowerCase()
    .split(/[^\p{L}']+/u)
    .filter((w) => w.length > 0);
  if (words.length < 4) return null;
  const counts = Object.entries(STOPWORDS).map(([lang, list]) => {
    const set = new Set(list);
    return [lang, words.filter((w) => set.has(w)).length] as const;
  });
  const english = counts.find(([lang]) => lang === "English")?.[1] ?? 0;
  let best: readonly [string, number] | null = null;
  for (const c of counts) if (c[0] !== "English" && (best === null || c[1] > best[1])) best = c;
  // Umlauts, ß, accents and ¿ settle a close call that shared words ("en", "de") can't.
  const marks = /[äöüß]/.test(text) ? "German" : /[¿¡ñ]/.test(text) ? "Spanish" : /[éèêàçœù]/.test(text) ? "French" : null;
  if (best === null) return null;
  const [lang, n] = marks !== null ? [marks, Math.max(counts.find(([l]) => l === marks)?.[1] ?? 0, 1)] : best;
  return n >= 2 && n > english ? lang : null;
}

// ---------------------------------------------------------------------------------------------
// What the statement says, as values: the numbers and dates a reader will hold the record to
// ---------------------------------------------------------------------------------------------

export interface StatementQuantity {
  value: number;
  /** Normalised unit ("ms", "%", "$") or "" when the number counts things. */
  unit: string;
  /** The text as written, e.g. "300 ms". */
  text: string;
  /** "from" for the baseline of a "from X to Y", "to" for its target. */
  role: "from" | "to" | "plain";
  /** The bound the words around it set: "under 300 ms" is lte, "at least 99.9%" gte. */
  bound: Comparator | null;
}

export interface StatementDate {
  /** YYYY-MM-DD when a day is named, YYYY-MM when only the month is. */
  iso: string;
  text: string;
}

export interface StatementFactsForFields {
  quantities: StatementQuantity[];
  dates: StatementDate[];
  /** The bound on the main quantity: "from X to Y" decides by direction, else the words around it. */
  comparator: Comparator | null;
}

const UNIT_ALIASES: Readonly<Record<string, string>> = {
  ms: "ms", millisecond: "ms", milliseconds: "ms", msec: "ms",
  s: "s", sec: "s", secs: "s", second: "s", seconds: "s",
  min: "min", mins: "min", minute: "min", minutes: "min",
  h: "h", hr: "h", hrs: "h", hour: "h", hours: "h",
  d: "d", day: "d", days: "d",
  week: "wk", weeks: "wk", wk: "wk",
  "%": "%", percent: "%", pct: "%", "per cent": "%",
  pp: "pp", "percentage points": "pp",
  $: "$", usd: "$", dollars: "$", "€": "€", eur: "€", euros: "€", "£": "£", gbp: "£", pounds: "£",
  gb: "GB", tb: "TB", mb: "MB", k: "k",
};
// Seconds per unit, so "2 s" and a target of 2000 ms agree.
const TIME_SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, min: 60, h: 3600, d: 86400, wk: 604800 };

export function normaliseUnit(unit: string): string | null {
  const u = unit.trim().toLowerCase().replace(/\.$/, "");
  if (u === "") return null;
  return UNIT_ALIASES[u] ?? null;
}

function sameAmount(a: { value: number; unit: string }, b: { value: number; unit: string }): boolean | null {
  if (a.unit === b.unit) return Math.abs(a.value - b.value) < 1e-9 * Math.max(1, Math.abs(b.value));
  const fa = TIME_SECONDS[a.unit];
  const fb = TIME_SECONDS[b.unit];
  if (fa !== undefined && fb !== undefined) return Math.abs(a.value * fa - b.value * fb) < 1e-9 * Math.max(1, Math.abs(b.value * fb));
  return null; // different kinds of unit: not comparable
}

const MONTH_NUMBER: Readonly<Record<string, number>> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11, dec: 12, december: 12,
};
const pad = (n: number): string => String(n).padStart(2, "0");

function readDates(a: Analysis, yearHint: number | null): StatementDate[] {
  const out: StatementDate[] = [];
  const toks = a.tokens;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (!t) continue;
    if (ISO_DATE.test(t.word) && isIsoDate(t.word)) {
      out.push({ iso: t.word, text: t.word });
      continue;
    }
    if (!isMonth(t)) continue;
    const month = MONTH_NUMBER[t.lower.replace(/\.$/, "")];
    if (month === undefined) continue;
    // "30 June 2026", "30th of June", "June 30, 2026", "June 2026", "end of June".
    let day: number | null = null;
    let first = i;
    let last = i;
    const before = toks[i - 1];
    const before2 = toks[i - 2];
    if (before && isDayNumber(before)) {
      day = parseInt(before.word, 10);
      first = i - 1;
    } else if (before?.lower === "of" && before2 && isDayNumber(before2)) {
      day = parseInt(before2.word, 10);
      first = i - 2;
    }
    const after = toks[i + 1];
    if (day === null && after && isDayNumber(after)) {
      day = parseInt(after.word, 10);
      last = i + 1;
    }
    const yearToken = toks[last + 1];
    let year: number | null = null;
    if (yearToken && /^(19|20)\d\d$/.test(yearToken.word)) {
      year = Number(yearToken.word);
      last += 1;
    }
    year ??= yearHint;
    const text = a.text.slice(toks[first]?.start ?? t.start, toks[last]?.end ?? t.end).replace(/[.,;:]+$/, "");
    if (year === null) continue;
    if (day !== null) {
      const iso = `${year}-${pad(month)}-${pad(day)}`;
      if (isIsoDate(iso)) out.push({ iso, text });
    } else {
      out.push({ iso: `${year}-${pad(month)}`, text });
    }
  }
  return out;
}

function unitOfQuantity(a: Analysis, i: number): { unit: string; span: number } {
  const t = a.tokens[i];
  if (!t) return { unit: "", span: 0 };
  const suffix = (AMOUNT.exec(t.word)?.[2] ?? "").replace(/\+$/, "").replace(/\/.*$/, "");
  const currency = /^[$€£]/.exec(t.raw.replace(/^[([]/, ""))?.[0];
  if (currency) return { unit: currency, span: 0 };
  if (suffix !== "") return { unit: normaliseUnit(suffix) ?? suffix.toLowerCase(), span: 0 };
  const next = a.tokens[i + 1];
  const next2 = a.tokens[i + 2];
  if (next && next2 && normaliseUnit(`${next.lower} ${next2.lower}`)) return { unit: normaliseUnit(`${next.lower} ${next2.lower}`) ?? "", span: 2 };
  if (next && (next.lower === "business" || next.lower === "working") && next2 && normaliseUnit(next2.lower) === "d") return { unit: "business days", span: 2 };
  if (next) {
    const u = normaliseUnit(next.lower);
    if (u) return { unit: u, span: 1 };
  }
  return { unit: "", span: 0 };
}

function parseAmount(word: string): number | null {
  const m = /^[$€£]?(\d[\d,]*(?:\.\d+)?)/.exec(word);
  if (!m?.[1]) return null;
  const n = Number(m[1].replace(/,/g, ""));
  if (!Number.isFinite(n)) return null;
  const suffix = (AMOUNT.exec(word.replace(/^[$€£]/, ""))?.[2] ?? "").toLowerCase();
  if (suffix === "k") return n * 1000;
  if (suffix === "m" || suffix === "mm") return n * 1_000_000;
  if (suffix === "b" || suffix === "bn") return n * 1_000_000_000;
  return n;
}

/**
 * The numbers and dates in a statement, read the way a customer would read them: what the form
 * offers into the measure and due-date fields, and what the fields must agree with.
 * `yearHint` dates a "30 June" that names no year.
 */
export function readStatement(statement: string, yearHint: number | null = null): StatementFactsForFields {
  const a = analyse(statement);
  const quantities: StatementQuantity[] = [];
  a.tokens.forEach((t, i) => {
    if (a.kinds[i] !== "quantity") return;
    const value = parseAmount(t.raw.replace(/^[([]/, ""));
    if (value === null) return;
    const { unit, span } = unitOfQuantity(a, i);
    const end = a.tokens[i + span]?.end ?? t.end;
    // "from 6% to under 2%": the words between "to" and the number say how, not which.
    let k = i - 1;
    while (k > 0 && /^(?:under|below|above|over|at|most|least|no|more|less|than|just|about)$/.test(a.tokens[k]?.lower ?? "")) k--;
    const prev = a.tokens[k]?.lower ?? "";
    const role = a.tokens[i - 1]?.lower === "from" ? "from" : prev === "to" && quantities.some((q) => q.role === "from") ? "to" : "plain";
    const before = a.tokens.slice(Math.max(0, i - 3), i).map((x) => x.lower).join(" ");
    const after = a.tokens.slice(i + 1 + span, i + 3 + span).map((x) => x.lower).join(" ");
    const bound: Comparator | null =
      /(?:under|below|within|most|than|less|fewer|max|maximum)$/.test(before) && !/(?:more|greater|higher) than$/.test(before)
        ? "lte"
        : /(?:least|above|over|minimum|(?:more|greater|higher) than)$/.test(before)
          ? "gte"
          : /^or (?:less|fewer|lower|below)/.test(after)
            ? "lte"
            : /^or (?:more|higher|better|above)/.test(after)
              ? "gte"
              : null;
    quantities.push({ value, unit, text: a.text.slice(t.start, end).replace(/^[([]/, "").replace(/[.,;:)\]]+$/, ""), role, bound });
  });
  const from = quantities.find((q) => q.role === "from");
  const to = quantities.find((q) => q.role === "to");
  let comparator: Comparator | null = null;
  if (from && to) comparator = to.value < from.value ? "lte" : "gte";
  else comparator = (quantities.find((q) => q.unit !== "") ?? quantities[0])?.bound ?? null;
  return { quantities, dates: readDates(a, yearHint), comparator };
}

function formatDay(iso: string): string {
  const [y, m, d] = iso.split("-");
  const names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  const month = names[Number(m) - 1] ?? m;
  return d ? `${Number(d)} ${month} ${y}` : `${month} ${y}`;
}

function amountText(value: number, unit: string): string {
  const n = String(value);
  if (unit === "") return n;
  if (unit === "%" || /^[$€£]$/.test(unit)) return unit === "%" ? `${n}%` : `${unit}${n}`;
  return `${n} ${unit}`;
}

function agreementFindings(input: LintInput, statement: string, out: Finding[]): void {
  const dueYear = input.dueDate && isIsoDate(input.dueDate) ? Number(input.dueDate.slice(0, 4)) : null;
  const read = readStatement(statement, dueYear);
  const m = input.measure;
  if (m?.kind === "metric" && isNumber(m.target)) {
    const unit = normaliseUnit(m.unit) ?? (isBlank(m.unit) ? "" : m.unit.trim().toLowerCase());
    const target = { value: m.target, unit };
    const to = read.quantities.find((q) => q.role === "to");
    const from = read.quantities.find((q) => q.role === "from");
    const comparable = (q: StatementQuantity) => q.unit === unit || sameAmount(q, target) !== null;
    const candidates = to ? [to] : read.quantities.filter((q) => q.role === "plain" && comparable(q));
    const unitClash = read.quantities.find((q) => q.value === m.target && q.unit !== "" && unit !== "" && q.unit !== unit && sameAmount(q, target) !== true);
    if (unitClash) {
      out.push({
        code: "STATEMENT.DISAGREES_UNIT",
        severity: "error",
        field: "statement",
        message: `The statement says ${unitClash.text}, the unit field says ${m.unit.trim()}: the customer and the record would be measuring different things.`,
        suggestion: `Use one unit in both places: either write ${amountText(m.target, m.unit.trim())} in the statement or change the unit to ${unitClash.unit}.`,
      });
    } else if (candidates.length > 0 && !candidates.some((q) => sameAmount(q, target) === true)) {
      const said = candidates[0];
      if (said && comparable(said)) {
        out.push({
          code: "STATEMENT.DISAGREES_TARGET",
          severity: "error",
          field: "statement",
          message: `The statement says ${said.text}, the target says ${amountText(m.target, m.unit.trim())}: a customer would hold you to a different number than the record judges.`,
          suggestion: "Make the statement and the target the same number.",
        });
      }
    }
    if (from && isNumber(m.baseline) && (from.unit === unit || from.unit === "" || sameAmount(from, target) !== null)) {
      if (sameAmount({ value: from.value, unit: from.unit || unit }, { value: m.baseline, unit }) === false) {
        out.push({
          code: "STATEMENT.DISAGREES_BASELINE",
          severity: "error",
          field: "statement",
          message: `The statement starts from ${from.text}, the baseline says ${amountText(m.baseline, m.unit.trim())}.`,
          suggestion: "Record the same starting point in both places: the baseline is what the reader will compare the result with.",
        });
      }
    }
  }
  const due = input.dueDate?.trim() ?? "";
  if (isIsoDate(due) && read.dates.length > 0) {
    const agrees = read.dates.some((d) => (d.iso.length === 10 ? d.iso === due : due.startsWith(d.iso)));
    const said = read.dates[read.dates.length - 1];
    if (!agrees && said) {
      out.push({
        code: "STATEMENT.DISAGREES_DUE_DATE",
        severity: "error",
        field: "statement",
        message: `The statement says ${said.text}, the due date is ${formatDay(due)}: the customer would be told one deadline and judged against another.`,
        suggestion: `Use one date in both places: ${said.iso.length === 10 ? `set the due date to ${said.iso}` : `set the due date within ${formatDay(said.iso)}`}, or write ${formatDay(due)} in the statement.`,
      });
    }
  }
}

function lintStatement(input: LintInput, statementAnalysis: Analysis | null, out: Finding[]): void {
  const statement = input.statement.trim();
  const visible = statementAnalysis?.tokens.some((t) => /[\p{L}\p{N}]/u.test(t.word)) ?? false;
  if (statementAnalysis === null || !visible) {
    out.push({
      code: "STATEMENT.MISSING",
      severity: "error",
      field: "statement",
      message: statementAnalysis === null ? "There is no statement yet." : "The statement has no words once markup and links are set aside.",
      suggestion:
        "Write the one sentence a customer will read, with the number or event that proves it: 'Cut p95 checkout latency from 900 ms to 300 ms by 30 June.'",
    });
    return;
  }

  const language = detectLanguage(statement);
  if (language !== null) {
    out.push({
      code: "STATEMENT.LANGUAGE_NOT_CHECKED",
      severity: "warning",
      field: "statement",
      message: `Not checked: this looks like ${language}; the vague-word check reads English, so words like "improve" in ${language} were not looked for.`,
      suggestion: "Write the statement in English, or have someone who reads it check that it names a number or event and a date.",
    });
  }

  const facts = factsOf(statementAnalysis);
  const hits = findVagueTerms(statementAnalysis, facts);
  for (const hit of hits) out.push(vagueFinding(hit));

  const words = countWords(statement);
  const chars = Array.from(statement).length;
  if (words > STATEMENT_MAX_WORDS || chars > STATEMENT_MAX_CHARS) {
    out.push({
      code: "STATEMENT.TOO_LONG",
      severity: "warning",
      field: "statement",
      message: `The statement runs to ${words} words and ${chars} characters; past ${STATEMENT_MAX_WORDS} words or ${STATEMENT_MAX_CHARS} characters a reader can't hold the whole promise at once.`,
      suggestion: "Keep the promise itself (what, how much, by when) in the statement and move context and rationale into the details.",
    });
  }

  const sentences = countSentences(statement);
  if (sentences > 1) {
    out.push({
      code: "STATEMENT.MULTIPLE_SENTENCES",
      severity: "warning",
      field: "statement",
      message: `The statement has ${sentences} sentences; customers will read it as one promise and won't know which part is the commitment.`,
      suggestion: "Keep the promise in one sentence and move the rest to the details. If there are two promises, make two commitments.",
    });
  }

  // An unpinned vague word already says "there is nothing checkable here"; saying it twice
  // would only make the list longer.
  const alreadyFlagged = hits.some((h) => !h.pinned);
  // In a language the word lists don't read, only what needs no words counts: a number or a
  // named standard. Events and vague words are invisible there.
  const pinned = language === null ? pinsSomethingDown(facts) : facts.hasQuantity || facts.hasStandard;
  if (!alreadyFlagged && !pinned) {
    out.push({
      code: "STATEMENT.NO_NUMBER_OR_EVENT",
      severity: "error",
      field: "statement",
      message:
        "The statement names no number and no observable event, so a customer reading it can't tell what would count as kept. A target in the measure fields doesn't change what they read.",
      suggestion: "Put the target in the sentence itself: 'Onboard 40 enterprise customers by 30 September' or 'Make Kept generally available in eu-west-1 by 30 June'.",
    });
  }
  if (!facts.hasDate) {
    out.push({
      code: "STATEMENT.NO_DATE",
      severity: "warning",
      field: "statement",
      message: "The statement doesn't say by when; the letter quotes the sentence, so a reader has to look elsewhere for the deadline.",
      suggestion: input.dueDate && isIsoDate(input.dueDate) ? `End it with the due date: '… by ${formatDay(input.dueDate)}'.` : "End it with the date it will be judged on: '… by 30 September 2026'.",
    });
  }
  agreementFindings(input, statement, out);
}

function lintMeasure(input: LintInput, statementAnalysis: Analysis | null, out: Finding[]): void {
  const measure = input.measure;
  if (measure === null) {
    out.push({
      code: "MEASURE.MISSING",
      severity: "error",
      field: "measure",
      message: "There is no measure: no target to hit and no event to observe, so nothing decides whether this was kept.",
      suggestion:
        "Choose a metric with a target (e.g. p95 checkout latency ≤ 300 ms) or a deliverable with the event that proves it (e.g. 'generally available in eu-west-1').",
    });
    return;
  }

  if (measure.kind === "deliverable") {
    const event = measure.event ?? "";
    if (PLACEHOLDERS.has(normalisePhrase(event)) || PLACEHOLDERS.has(event.trim().toLowerCase())) {
      out.push({
        code: "DELIVERABLE.NO_EVENT",
        severity: "error",
        field: "measure",
        message: "The deliverable has no event, so nothing observable marks it as done.",
        suggestion:
          "Describe what someone could see happen: 'generally available in eu-west-1', 'listed on the public status page', 'SOC 2 Type II report issued'.",
      });
      return;
    }
    const eventAnalysis = analyse(event);
    const hit = findVagueTerms(eventAnalysis)[0];
    if (hit) {
      out.push({
        code: "DELIVERABLE.VAGUE_EVENT",
        severity: hit.pinned ? "warning" : "error",
        field: "measure",
        message: `The event uses "${hit.matched}", which ${hit.rule.why}; whoever checks can't tell whether it happened.`,
        suggestion: hit.rule.suggestion,
        term: hit.rule.term,
        matched: hit.matched,
        index: hit.index,
      });
      return;
    }
    if (GENERIC_EVENTS.has(normalisePhrase(event)) || countWords(event) < 2) {
      out.push({
        code: "DELIVERABLE.VAGUE_EVENT",
        severity: "warning",
        field: "measure",
        message: `"${quote(event)}" says that something happened but not what or where, so a checker can't tell which event counts.`,
        suggestion: "Name the thing and where it becomes observable: 'generally available in eu-west-1', not 'launched'.",
      });
    }
    return;
  }

  if (isBlank(measure.name)) {
    out.push({
      code: "METRIC.NO_NAME",
      severity: "warning",
      field: "measure",
      message: "The metric has no name, so it isn't clear what the number counts.",
      suggestion: "Name exactly what is measured and how: 'p95 checkout latency' or 'weekly active teams'.",
    });
  }
  const symbol = COMPARATOR_SYMBOL[measure.comparator];
  if (!isNumber(measure.target)) {
    out.push({
      code: "METRIC.NO_TARGET",
      severity: "error",
      field: "measure",
      message: "The metric has no target, so there is nothing to hit or miss.",
      suggestion: `Set the number that counts as kept, e.g. '${isBlank(measure.name) ? "p95 checkout latency" : measure.name.trim()} ${symbol} …'.`,
    });
  }
  if (!isNumber(measure.baseline)) {
    out.push({
      code: "METRIC.NO_BASELINE",
      severity: "warning",
      field: "measure",
      message: "There is no baseline, so readers can't tell how big the promise is or whether it is already met.",
      suggestion: "Record today's value, e.g. 'currently 900 ms'. If nobody measures it yet, make measuring it the first milestone.",
    });
  }
  if (isBlank(measure.unit)) {
    out.push({
      code: "METRIC.NO_UNIT",
      severity: "info",
      field: "measure",
      message: "The metric has no unit.",
      suggestion: "Add the unit (ms, %, customers, $), or leave it blank only if the metric is a plain count or score such as NPS.",
    });
  }
  if (isNumber(measure.baseline) && isNumber(measure.target)) {
    const m = { ...measure, baseline: measure.baseline, target: measure.target };
    if (alreadyMet(m)) {
      out.push({
        code: "METRIC.ALREADY_MET",
        severity: "info",
        field: "measure",
        message: `The baseline (${measure.baseline}) already satisfies the target (${symbol} ${measure.target}), so this is true today.`,
        suggestion: "If the promise is to hold the line, say so in the statement ('keep … at or above …'); otherwise move the target.",
      });
    }
  }
}

function lintDueDate(input: LintInput, out: Finding[]): void {
  const due = input.dueDate?.trim() ?? "";
  if (due === "") {
    out.push({
      code: "DUE_DATE.MISSING",
      severity: "error",
      field: "dueDate",
      message: "There is no due date, so the commitment can never be late.",
      suggestion: "Pick the day it will be judged on, usually the last day of the period.",
    });
    return;
  }
  if (!isIsoDate(due)) {
    out.push({
      code: "DUE_DATE.INVALID",
      severity: "error",
      field: "dueDate",
      message: `"${quote(due, 20)}" isn't a calendar date.`,
      suggestion: "Use a real date in YYYY-MM-DD form, e.g. 2025-06-30.",
    });
    return;
  }
  const p = input.period;
  // ISO dates compare correctly as strings, which keeps this free of Date and time zones.
  if (p && isIsoDate(p.start) && isIsoDate(p.end) && p.start <= p.end && (due < p.start || due > p.end)) {
    out.push({
      code: "DUE_DATE.OUTSIDE_PERIOD",
      severity: "warning",
      field: "dueDate",
      message: `The due date ${due} falls outside ${p.label} (${p.start} to ${p.end}), so the commitment would be reported in the wrong period.`,
      suggestion: `Move the due date to between ${p.start} and ${p.end}, or file the commitment under the period it really belongs to.`,
    });
  }
  // A past date is only suspicious while the promise is still being made; a resolved commitment
  // legitimately sits in the past.
  if ((input.isNew ?? true) && isIsoDate(input.today) && due < input.today) {
    out.push({
      code: "DUE_DATE.PAST",
      severity: "warning",
      field: "dueDate",
      message: `The due date ${due} has already passed (today is ${input.today}); a promise about the past isn't a promise.`,
      suggestion: "Pick a future date, or record this as a commitment that has already been resolved.",
    });
  }
}

function lintEvidence(input: LintInput, out: Finding[]): void {
  const evidence = input.evidenceSource ?? "";
  if (isBlank(evidence)) {
    out.push({
      code: "EVIDENCE.MISSING",
      severity: "warning",
      field: "evidenceSource",
      message: "There is no evidence source, so it isn't clear how anyone will check the outcome.",
      suggestion: "Say where the proof will come from: a named dashboard, a saved query, a public changelog entry, an audit report.",
    });
    return;
  }
  if (isVagueEvidence(evidence)) {
    out.push({
      code: "EVIDENCE.VAGUE",
      severity: "warning",
      field: "evidenceSource",
      message: `"${quote(evidence)}" doesn't say where the proof will come from; a sceptical reader couldn't check it themselves.`,
      suggestion: "Name a source someone else could open: 'Datadog checkout p95 dashboard, 28-day window' or 'public changelog entry'.",
    });
  }
}

function lintOwner(input: LintInput, out: Finding[]): void {
  if (input.hasOwner) return;
  out.push({
    code: "OWNER.MISSING",
    severity: "warning",
    field: "owner",
    message: "No one owns this commitment.",
    suggestion: "Name one directly responsible person: the one who will report the outcome, kept or not.",
  });
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
    FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field) ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
    (a.index ?? 0) - (b.index ?? 0)
  );
}

export function scoreFindings(findings: readonly Pick<Finding, "severity">[]): number {
  const penalty = findings.reduce((sum, f) => sum + SCORE_WEIGHTS[f.severity], 0);
  return Math.max(0, MAX_SCORE - penalty);
}

export function lintCommitment(input: LintInput): LintResult {
  const findings: Finding[] = [];
  const statementAnalysis = isBlank(input.statement) ? null : analyse(input.statement.trim());
  lintStatement(input, statementAnalysis, findings);
  lintMeasure(input, statementAnalysis, findings);
  lintDueDate(input, findings);
  lintEvidence(input, findings);
  lintOwner(input, findings);
  findings.sort(compareFindings);
  return {
    score: scoreFindings(findings),
    findings,
    falsifiable: !findings.some((f) => f.severity === "error"),
  };
}

// ---------------------------------------------------------------------------------------------
// Writing with it: a rewrite built from what was typed, and values offered into the fields
// ---------------------------------------------------------------------------------------------

export type RewritePart = { kind: "text"; text: string } | { kind: "blank"; label: string };

export interface Rewrite {
  parts: RewritePart[];
  /** The wording with each blank written as "___", ready to put in the statement field. */
  text: string;
  /** How many blanks are left to fill. */
  blanks: number;
}

/** Shown for a blank in the text a person can edit: easy to spot, impossible to mistake for a value. */
export const BLANK = "___";

const LEADING_VERBS = new Set([
  "ship", "launch", "release", "publish", "deploy", "migrate", "retire", "deprecate", "remove",
  "delete", "open", "close", "make", "answer", "respond", "resolve", "restore", "reply", "cut",
  "reduce", "raise", "increase", "grow", "keep", "hold", "serve", "hire", "onboard", "sign",
  "add", "offer", "require", "encrypt", "enforce", "rotate", "patch", "fix", "translate", "move",
  "replace", "turn", "switch", "refund", "credit", "notify", "lower", "reach", "publish", "let",
  "support", "enable", "deliver", "run", "pass", "obtain", "receive", "get", "achieve", "meet",
]);

function directionVerb(comparator: Comparator): string {
  return comparator === "lte" ? "Reduce" : comparator === "gte" ? "Raise" : "Hold";
}

/**
 * A checkable wording built from the statement as typed: the vague words taken out, the
 * measure's numbers and the due date written in where the fields have them, and blanks where
 * nothing says yet. Null when the statement is already sharp or empty.
 */
export function suggestRewrite(input: Pick<LintInput, "statement" | "measure" | "dueDate">): Rewrite | null {
  const statement = input.statement.trim();
  if (statement === "") return null;
  const analysis = analyse(statement);
  const facts = factsOf(analysis);
  const hits = findVagueTerms(analysis, facts);
  const unpinned = hits.filter((h) => !h.pinned);
  const dated = facts.hasDate;
  if (unpinned.length === 0 && pinsSomethingDown(facts) && dated) return null;

  // Take the vague words out, keep everything else as the person wrote it.
  let kept = "";
  let at = 0;
  // Capability words ("support", "enable") often carry the verb; they stay for the person to sharpen.
  for (const h of hits.filter((x) => x.rule.needs !== "named")) {
    kept += statement.slice(at, h.index);
    at = h.index + h.matched.length;
  }
  kept += statement.slice(at);
  const core = kept
    .replace(/\s+/g, " ")
    .replace(/\s+([,.;:])/g, "$1")
    .replace(/^[\s,;:.-]+|[\s,;:.!-]+$/g, "")
    .replace(/^(?:we will|we'll|we|to|our goal is to)\s+/i, "");

  const parts: RewritePart[] = [];
  const text = (t: string) => parts.push({ kind: "text", text: t });
  const blank = (label: string) => parts.push({ kind: "blank", label });
  const m = input.measure;
  const firstWord = (/^\S+/.exec(core)?.[0] ?? "").toLowerCase();
  const startsWithAction = LEADING_VERBS.has(firstWord);

  if (m?.kind === "metric" && !facts.hasQuantity) {
    const subject = isBlank(m.name) ? (startsWithAction ? core.replace(/^\S+\s*/, "") : core) : m.name.trim();
    text(`${directionVerb(m.comparator)} ${subject || ""}`.trimEnd());
    const unit = m.unit.trim();
    const amount = (v: number) => amountText(v, normaliseUnit(unit) === "%" ? "%" : unit);
    text(" from ");
    if (isNumber(m.baseline)) text(amount(m.baseline));
    else blank("today's value");
    text(" to ");
    if (isNumber(m.target)) text(amount(m.target));
    else blank("target");
    if (subject === "") parts.splice(1, 0, { kind: "blank", label: "what is measured" }, { kind: "text", text: " " });
  } else {
    if (core === "") {
      text("Ship ");
      blank("what");
    } else {
      const deliverable = m?.kind === "deliverable";
      text(startsWithAction ? core.charAt(0).toUpperCase() + core.slice(1) : `${deliverable ? "Ship" : "Take"} ${core}`);
      if (!facts.hasQuantity && !(facts.hasEvent && (facts.hasNamed || facts.hasUniversal))) {
        if (m?.kind === "deliverable" && !isBlank(m.event)) text(`, ${m.event.trim()},`);
        else if (deliverable || startsWithAction) {
          text(", ");
          blank("the event anyone could see");
          text(",");
        } else {
          text(" from ");
          blank("today's value");
          text(" to ");
          blank("target");
        }
      }
    }
  }
  if (!dated) {
    text(" by ");
    if (input.dueDate && isIsoDate(input.dueDate)) text(formatDay(input.dueDate));
    else blank("date");
  }
  const joined = parts.map((p) => (p.kind === "text" ? p.text : BLANK)).join("").replace(/,(?= by |$)/, "");
  const blanks = parts.filter((p) => p.kind === "blank").length;
  return { parts, text: `${joined.charAt(0).toUpperCase()}${joined.slice(1)}.`, blanks };
}

export interface FieldOffer {
  metricBaseline: number | null;
  metricTarget: number | null;
  metricUnit: string | null;
  metricComparator: Comparator | null;
  /** YYYY-MM-DD; a month alone offers its last day. */
  dueDate: string | null;
  /** How the offer reads: "target 300 ms, from 800 ms, due 30 September 2026". */
  summary: string;
}

function lastDayOf(yearMonth: string): string {
  const [y, m] = yearMonth.split("-").map(Number) as [number, number];
  for (const d of [31, 30, 29, 28]) {
    const iso = `${yearMonth}-${pad(d)}`;
    if (isIsoDate(iso) && Number(iso.slice(5, 7)) === m && y > 0) return iso;
  }
  return `${yearMonth}-28`;
}

/**
 * The numbers and date the statement names, offered into the measure and due-date fields in one
 * click. Null when the statement names neither, or the fields already say the same.
 */
export function offerFromStatement(statement: string, fields: { measure: Measure | null; dueDate: string | null }, today: string): FieldOffer | null {
  if (isBlank(statement)) return null;
  const yearHint = isIsoDate(today) ? Number(today.slice(0, 4)) : null;
  const read = readStatement(statement, yearHint);
  const to = read.quantities.find((q) => q.role === "to");
  const from = read.quantities.find((q) => q.role === "from");
  const main = to ?? read.quantities.find((q) => q.unit !== "") ?? read.quantities[0] ?? null;
  let date = read.dates.at(-1)?.iso ?? null;
  if (date && date.length === 7) date = lastDayOf(date);
  // "30 June" with no year, already past this year: the next one is meant.
  if (date && yearHint !== null && !read.dates.at(-1)?.text.match(/\d{4}/) && date < today) date = `${yearHint + 1}${date.slice(4)}`;
  if (date && !isIsoDate(date)) date = null;
  if (!main && !date) return null;
  const m = fields.measure?.kind === "metric" ? fields.measure : null;
  const unit = main ? (main.unit === "$" || main.unit === "€" || main.unit === "£" ? main.unit : main.unit) : null;
  const same =
    (!main || (m !== null && m.target === main.value && (from ? m.baseline === from.value : true) && (normaliseUnit(m.unit) ?? m.unit.trim()) === unit)) &&
    (!date || fields.dueDate === date);
  if (same) return null;
  const bits: string[] = [];
  if (main) bits.push(`target ${main.text}`);
  if (from) bits.push(`from ${from.text}`);
  if (date) bits.push(`due ${formatDay(date)}`);
  return {
    metricBaseline: from?.value ?? null,
    metricTarget: main?.value ?? null,
    metricUnit: unit,
    metricComparator: main ? read.comparator : null,
    dueDate: date,
    summary: bits.join(", "),
  };
}
