// The falsifiability linter: reads a draft commitment and says, field by field, what stops a
// sceptical reader from ever proving it wrong. It runs in the browser on every keystroke as well
// as on the server before saving, so it is pure, allocation-light and has no dependencies beyond
// the shared types. Every rule is a heuristic; the findings are advice to a person, which is why
// each one carries a concrete rewrite rather than just a complaint.
import { COMPARATOR_SYMBOL, type Measure, type MetricMeasure } from "./types";

export type Severity = "error" | "warning" | "info";
export type FindingField = "statement" | "measure" | "dueDate" | "evidenceSource" | "owner" | "details";

export const FINDING_CODES = [
  "STATEMENT.MISSING",
  "STATEMENT.VAGUE_TERM",
  "STATEMENT.TOO_LONG",
  "STATEMENT.MULTIPLE_SENTENCES",
  "STATEMENT.NO_NUMBER_OR_EVENT",
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
// An error alone costs a quarter of the score so that a single unfalsifiable flaw visibly drags a
// commitment down, while a handful of style warnings still leaves it in the "good" range.
export const SCORE_WEIGHTS: Readonly<Record<Severity, number>> = { error: 25, warning: 10, info: 3 };

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

type TokenKind = "quantity" | "date" | "identifier" | "word";

interface Analysis {
  text: string;
  tokens: Token[];
  kinds: TokenKind[];
  hasQuantity: boolean;
  titleCased: boolean;
}

const LEADING_PUNCT = /^[^\p{L}\p{N}]+/u;
const TRAILING_PUNCT = /[^\p{L}\p{N}%+×]+$/u;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(/\S+/g)) {
    const raw = m[0];
    const word = raw.replace(LEADING_PUNCT, "").replace(TRAILING_PUNCT, "");
    tokens.push({ raw, word, lower: word.toLowerCase(), start: m.index, end: m.index + raw.length });
  }
  return tokens;
}

// Number words back a vague word as well as digits do ("twice as many"). "one" is left out
// because it is far more often a pronoun ("no one", "one of").
const NUMBER_WORDS = new Set([
  "zero", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
  "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
  "ninety", "hundred", "thousand", "million", "billion", "dozen", "half", "double", "twice",
  "triple", "threefold", "fivefold", "tenfold",
]);

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
  "article", "rule", "part", "room",
]);
const YEAR_FOLLOWERS = new Set([
  "and", "or", "to", "with", "for", "at", "in", "on", "the", "a", "when", "while", "through",
  "across", "so", "but", "we", "our", "as",
]);
const YEAR_PREPOSITIONS = new Set([
  "in", "by", "before", "until", "till", "through", "during", "since", "from", "of", "end", "mid",
  "early", "late", "fy", "cy", "q1", "q2", "q3", "q4", "h1", "h2", "for",
]);

// What may trail the digits of an amount: units, multipliers, ordinals, "+" for "10k+".
const AMOUNT_SUFFIX =
  /^(?:%|x|×|k|m|b|bn|mm|ms|s|sec|secs|min|mins|h|hr|hrs|d|kb|mb|gb|tb|pb|st|nd|rd|th|pp|bps|kbps|mbps|gbps|rps|qps|tps|rpm|fps|px)?\+?$/i;
const AMOUNT = /^(\d[\d,]*(?:\.\d+)?)(?:[-–]\d[\d,]*(?:\.\d+)?)?(.*)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const SLASH_DATE = /^\d{1,2}\/\d{1,2}(?:\/\d{2,4})?$|^\d{1,2}\.\d{1,2}\.\d{2,4}$/;

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

  if (!/\d/.test(word)) return NUMBER_WORDS.has(t.lower) ? "quantity" : "word";
  // Letters before the digits make a name: p95, Q3, FY26, S3, IPv6, eu-west-1, GPT-4.
  if (!/^\d/.test(word)) return "identifier";
  if (ISO_DATE.test(word) || SLASH_DATE.test(word)) return "date";

  const amount = AMOUNT.exec(word);
  // Digits followed by something that isn't a unit are a name too: 2FA, 5G, 3rd-party.
  if (!amount || !AMOUNT_SUFFIX.test(amount[2] ?? "")) return "identifier";
  if (prev && IDENTIFIER_PREFIXES.has(prev.lower)) return "identifier";

  if (isDayNumber(t) && (isMonth(prev) || isMonth(next) || (next?.lower === "of" && isMonth(tokens[i + 2])))) {
    return "date";
  }
  if (/^(19|20)\d\d$/.test(word)) {
    if (isMonth(prev) || isDayNumber(prev)) return "date";
    // "by 2026" is a year, "by 2000 ms" is an amount: look at what follows the preposition.
    const nextIsNoun = next !== undefined && /^\p{Ll}/u.test(next.word) && !YEAR_FOLLOWERS.has(next.lower);
    if (prev && YEAR_PREPOSITIONS.has(prev.lower) && !nextIsNoun) return "date";
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
  const tokens = tokenize(text);
  const kinds = tokens.map((_, i) => classify(tokens, i));
  return { text, tokens, kinds, hasQuantity: kinds.includes("quantity"), titleCased: isTitleCased(tokens) };
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

interface VagueRule {
  term: string;
  re: RegExp;
  /** Completes a sentence that starts with the quoted term: `"Improve" <why>`. */
  why: string;
  suggestion: string;
  /** For comparatives: a number right next to the word makes it specific ("2x faster"). */
  comparative?: boolean;
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
  extra: Pick<VagueRule, "comparative" | "skip"> = {},
): VagueRule {
  return { term, re: wordRe(forms), why, suggestion, ...extra };
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
    "Say exactly when it applies: 'within 2 business days of every P1 incident'."),
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
    { comparative: true }),
  rule("faster", "faster",
    "needs a number",
    "Give the before and after: 'checkout loads in under 1.5 s at p95, down from 3 s'.",
    { comparative: true }),
  rule("more", "more",
    "doesn't say how many",
    "Give the count: 'onboard 40 new enterprise customers', not 'more customers'.",
    { comparative: true }),
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
    "State the bar: '100% of production deploys pass the dependency scan'."),
  // "enabled" is left out on purpose: "MFA enabled for every admin" describes a checkable state.
  rule("enable", "enabl(?:e|es|ing|ement)",
    "says something becomes possible, not that anything happens",
    "Say who can do what: 'every workspace admin can export audit logs as CSV'."),
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
    "Close the list: name every item you are committing to and drop 'etc.'."),
  rule("as soon as possible", `as${SP}soon${SP}as${SP}(?:possible|we${SP}can)|asap|a\\.s\\.a\\.p\\.?`,
    "has no date, so it can never be late",
    "Let the due date do the work: 'by 30 June', and drop 'ASAP'."),
  rule("where possible", `(?:where|wherever|when|whenever|if)${SP}possible`,
    "lets any case be exempted after the fact",
    "State the scope and the exceptions up front: 'every EU customer except those on legacy plans'."),
  rule("industry-leading", `industry${HY}lead(?:ing|ers?)`,
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
    "Commit to the floor you will guarantee: 'restore service within 4 hours for every P1 incident'."),
  rule("reasonable", "reasonabl(?:e|y)",
    "leaves the threshold to whoever is judging",
    "Replace it with the threshold: 'within 2 business days', not 'in a reasonable time'."),
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
    { comparative: true }), // "twice as many" is a number
];

export const VAGUE_TERMS: readonly string[] = VAGUE_RULES.map((r) => r.term);

// A number beside a comparative makes it a claim: "2x faster", "200 ms faster", "3 times
// faster", "more than 500", "faster by 40%". The token test is deliberately local; a number
// elsewhere in the sentence only downgrades the finding to a warning.
function isLocallyQuantified(c: MatchContext): boolean {
  const { analysis, tokenIndex: i } = c;
  const token = analysis.tokens[i];
  if (!token) return false;
  if (/\d/.test(analysis.text.slice(token.start, c.index))) return true; // "10x-faster"
  if (analysis.kinds[i - 1] === "quantity") return true;
  if (analysis.kinds[i - 2] === "quantity" && analysis.kinds[i - 1] === "word") return true;
  const after = analysis.tokens[i + 1]?.lower;
  if (after === "than" || after === "by") {
    return analysis.kinds[i + 2] === "quantity" || analysis.kinds[i + 3] === "quantity";
  }
  return false;
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
}

function findVagueTerms(a: Analysis): VagueHit[] {
  const hits: VagueHit[] = [];
  for (const r of VAGUE_RULES) {
    for (const m of a.text.matchAll(r.re)) {
      const matched = m[0];
      const ctx: MatchContext = { analysis: a, tokenIndex: tokenAt(a, m.index), lower: matched.toLowerCase(), index: m.index };
      if (looksLikeProperNoun(a, matched, m.index)) continue;
      if (r.skip?.(ctx)) continue;
      if (r.comparative && isLocallyQuantified(ctx)) continue;
      hits.push({ rule: r, matched, index: m.index });
      break; // one finding per distinct term: the first use is the one to highlight
    }
  }
  return hits.sort((x, y) => x.index - y.index);
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

// Observable events and quantifiers: a statement with one of these says what a reader could see
// happen, even if the number lives in the measure.
const EVENT_OR_QUANTIFIER = [
  "ship(?:s|ped|ping)?", "launch(?:es|ed|ing)?", "releas(?:e|es|ed|ing)", "publish(?:es|ed|ing)?",
  "deploy(?:s|ed|ing)?", "migrat(?:e|es|ed|ing)", "retir(?:e|es|ed|ing)", "deprecat(?:e|es|ed|ing)",
  "remov(?:e|es|ed|ing)", "delet(?:e|es|ed|ing)", "sunset(?:s|ting)?", "open(?:s|ed|ing)?",
  "clos(?:e|es|ed|ing)", "generally available", "general availability", "GA", "available",
  "certif(?:y|ied|ication)", "pass(?:es|ed)?", "hir(?:e|es|ed|ing)", "eliminat(?:e|es|ed|ing)",
  "replac(?:e|es|ed|ing)", "go(?:es)? live", "went live", "roll(?:s|ed)? out", "shut down",
  "switch(?:es|ed)? off", "turn(?:s|ed)? off", "decommission(?:s|ed)?", "sign(?:s|ed)?",
  "all", "every", "none", "zero",
  "end of (?:the )?(?:year|quarter|month|half)", "year[- ]end", "quarter[- ]end",
].join("|");
const EVENT_RE = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${EVENT_OR_QUANTIFIER})(?![\\p{L}\\p{N}_])`, "iu");

function namesSomethingSpecific(a: Analysis): boolean {
  if (/\d/.test(a.text)) return true;
  for (const t of a.tokens) {
    if (NUMBER_WORDS.has(t.lower) || WEEKDAYS.has(t.lower) || isMonth(t)) return true;
  }
  return EVENT_RE.test(a.text);
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

function vagueFinding(hit: VagueHit, backed: boolean): Finding {
  const written = hit.matched;
  const message = backed
    ? `"${written}" ${hit.rule.why}. Your numbers already carry the promise, so the word only blurs it.`
    : `"${written}" ${hit.rule.why}, and nothing else in the commitment puts a number on it, so no one could prove it wrong.`;
  return {
    code: "STATEMENT.VAGUE_TERM",
    severity: backed ? "warning" : "error",
    field: "statement",
    message,
    suggestion: hit.rule.suggestion,
    term: hit.rule.term,
    matched: written,
    index: hit.index,
  };
}

function lintStatement(input: LintInput, statementAnalysis: Analysis | null, out: Finding[]): void {
  const statement = input.statement.trim();
  if (statementAnalysis === null) {
    out.push({
      code: "STATEMENT.MISSING",
      severity: "error",
      field: "statement",
      message: "There is no statement yet.",
      suggestion:
        "Write the one sentence a customer will read, with the number or event that proves it: 'Cut p95 checkout latency from 900 ms to 300 ms by 30 June.'",
    });
    return;
  }

  const metricTarget = input.measure?.kind === "metric" && isNumber(input.measure.target);
  const backed = statementAnalysis.hasQuantity || metricTarget;
  const hits = findVagueTerms(statementAnalysis);
  for (const hit of hits) out.push(vagueFinding(hit, backed));

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

  // An unbacked vague word already says "there is no number here"; saying it twice would make
  // typing a first draft score worse than leaving the statement empty.
  const alreadyFlagged = hits.length > 0 && !backed;
  if (!alreadyFlagged && !namesSomethingSpecific(statementAnalysis)) {
    out.push({
      code: "STATEMENT.NO_NUMBER_OR_EVENT",
      severity: "warning",
      field: "statement",
      message: "The statement names no number, date or observable event, so a reader who never sees the measure can't tell what would count as kept.",
      suggestion: "Put the target in the sentence itself: 'Onboard 40 enterprise customers by 30 September' or 'Make Kept generally available in eu-west-1'.",
    });
  }
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
      const backed = eventAnalysis.hasQuantity || (statementAnalysis?.hasQuantity ?? false);
      out.push({
        code: "DELIVERABLE.VAGUE_EVENT",
        severity: backed ? "warning" : "error",
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
