// The annual letter generator: composes the draft of a backward-looking-first accountability
// letter from data alone. What we said, what we did, what we did not do and why, and only then
// what we commit to next (PRODUCT.md, "The annual letter").
//
// Pure and deterministic: the same input gives byte-identical Markdown. Everything is sorted
// with explicit tie-breakers (never by input order or object key order), strings are compared
// with an explicit "en-GB" collation, and dates are formatted from calendar days, never from
// instants in the server's time zone.
import { format, parseISO } from "date-fns";

import {
  FIELD_LABEL,
  RESCOPE_FIELDS,
  formatFieldValue,
  formatNumber,
  describeMeasure,
  unitAfterNumber,
  rescopeView,
  type CommitmentFields,
  type FieldChange,
} from "./commitment";
import { renderScorecardChart, escapeXml, type ChartYear } from "./letter-chart";
import { distanceFromTarget, lateness } from "./outcome-rules";
import { deliveryRate, forecastOfRecord, formatPercent, summarize, type ForecastCheckIn, type Summary } from "./statistics";
import {
  CONTROL_LABEL,
  OUTCOME_LABEL,
  REASON_LABEL,
  type Audience,
  type Measure,
  type Outcome,
  type OutcomeStatus,
} from "./types";

// ---------------------------------------------------------------------------------------------
// Input and output

export interface LetterRevision {
  /** "create", "carried_from", "rescope", "edit", "carry_forward", … */
  kind: string;
  /** ISO date or timestamp. */
  at: string;
  actorName: string | null;
  reason: string | null;
  changes: FieldChange[];
}

/**
 * The kinds of revision a letter reads: the creation (the words first committed), re-scopes and
 * carry-forwards. The generator asks the record for these only: check-ins, outcomes, edits and
 * locks reach the letter through the commitment's own rows, and a year's record holds several
 * of them per commitment (ADR 0034).
 */
export const LETTER_REVISION_KINDS = ["create", "carried_from", "rescope", "carry_forward"] as const;

/**
 * What a letter reads of a creation revision (create, carried_from) of a commitment that was never
 * re-scoped: the words, due date and audience first committed (originalStatement, the due date
 * "Made on …, due …" names, inScope). A re-scoped commitment's letter sets every re-scoped field's
 * original beside its final value, so its creation is read whole. A creation holds every field of
 * the commitment, and parsing all of them for every commitment of a large year was most of the
 * cost of reading its revisions (ADR 0043).
 */
export const LETTER_CREATION_FIELDS = ["statement", "dueDate", "audience"] as const;

/**
 * A commitment's revisions as the generator reads them from the record (revisionsOfYear states
 * the same rule in SQL): unless one is a re-scope, its creation keeps only LETTER_CREATION_FIELDS,
 * and a lone creation whose fields all still hold (`current`: the commitment as it stands) is left
 * out, since the letter then reads the current values, which are the same. Only a commitment
 * edited before it was locked keeps its creation. The letter composed from them is the letter
 * composed from the whole revisions.
 */
export function revisionsAsLetterReads(
  revisions: readonly LetterRevision[],
  current: Pick<LetterCommitment, (typeof LETTER_CREATION_FIELDS)[number]>,
): LetterRevision[] {
  if (revisions.some((r) => r.kind === "rescope")) return [...revisions];
  const read = new Set<string>(LETTER_CREATION_FIELDS);
  const isCreation = (r: LetterRevision) => r.kind === "create" || r.kind === "carried_from";
  const lone = revisions.filter(isCreation).length === 1;
  return revisions.flatMap((r) => {
    if (!isCreation(r)) return [r];
    const changes = r.changes.filter((c) => read.has(c.field));
    const restates = changes.every((c) => c.to === current[c.field as keyof typeof current]);
    return lone && restates ? [] : [{ ...r, changes }];
  });
}

export interface LetterCommitment {
  id: string;
  /** The statement as it stands now; the words first committed come from the revisions. */
  statement: string;
  team: { name: string };
  ownerName: string | null;
  audience: Audience;
  dueDate: string;
  periodLabel: string;
  /** ISO date (or timestamp; only its calendar day is used). */
  committedAt: string;
  measure: Measure;
  evidenceSource: string;
  attempt: number;
  /** The commitment this one was carried forward from. */
  predecessor?: { periodLabel: string; attempt: number } | null;
  /** The commitment this one was carried forward to, when it was. */
  successor?: { periodLabel: string; attempt: number } | null;
  /**
   * Its period now, when a re-scope moved it out of the letter's year after it was locked. It
   * still belongs to this letter's year (its period of record) and counts as made here.
   */
  movedTo?: string | null;
  outcome: Outcome | null;
  /** Its check-ins, or only its forecast of record (checkInsAsLetterReads): the letter reads no other. */
  checkIns: ForecastCheckIn[];
  revisions: LetterRevision[];
}

/**
 * A commitment's check-ins as the generator reads them from the record (commitmentsOfYear states
 * the same rule in SQL): its forecast of record alone, the one check-in a letter reads (the
 * calibration and the surprises), or none while it has no outcome. A year of weekly check-ins
 * holds tens of them per commitment; the letter composed from these is the letter composed from
 * them all.
 */
export function checkInsAsLetterReads(c: Pick<LetterCommitment, "checkIns" | "dueDate" | "outcome">): ForecastCheckIn[] {
  const record = c.outcome ? forecastOfRecord(c.checkIns, c.dueDate, c.outcome.resolvedAt) : null;
  return record ? [{ date: record.date, forecast: record.forecast, probability: record.probability }] : [];
}

export interface NextYearCommitment {
  statement: string;
  dueDate: string;
  measure: Measure;
  teamName: string;
  ownerName: string | null;
  audience: Audience;
  /** Falsifiability score 0..100; shown in internal letters only. */
  lintScore: number;
}

/** One earlier year's tallies, already scoped to the letter's audience by the caller. */
export interface EarlierYear {
  fiscalYear: number;
  made: number;
  delivered: number;
  partial: number;
  missed: number;
  withdrawn: number;
}

export interface OpenCarriedForward {
  statement: string;
  /** The attempt the commitment is on now. */
  attempt: number;
  firstCommittedYear: number;
  currentPeriodLabel: string;
  /** "open": the current attempt has no outcome; "carried": carried forward again. */
  status: "open" | "carried" | OutcomeStatus;
}

/** An outcome an earlier published letter reported that has been changed since (with its reason). */
export interface OutcomeChangedSinceLetter {
  statement: string;
  /** The year of the letter that reported the outcome now changed. */
  fiscalYear: number;
  was: OutcomeStatus | "open";
  now: OutcomeStatus | "open";
  reason: string | null;
}

export interface LetterInput {
  organisation: { name: string; signatoryName: string; signatoryTitle: string };
  fiscalYear: number;
  audience: Audience;
  /** The year label, e.g. "FY2026". */
  generatedFor: string;
  commitments: LetterCommitment[];
  previousLetter: { fiscalYear: number; url: string; title: string } | null;
  nextYearCommitments: NextYearCommitment[];
  earlierYears: EarlierYear[];
  openCarriedForward: OpenCarriedForward[];
  /** Outcomes reported by earlier letters and changed since the previous letter: disclosed under "What changed". */
  changedSinceEarlierLetters?: OutcomeChangedSinceLetter[];
}

export const LETTER_SECTION_IDS = [
  "masthead",
  "scorecard",
  "said",
  "delivered",
  "not-delivered",
  "changed",
  "forecast",
  "still-open",
  "next-year",
  "signature",
] as const;
export type LetterSectionId = (typeof LETTER_SECTION_IDS)[number];

export interface LetterSection {
  id: LetterSectionId;
  heading: string;
  /** The section's body, without its heading. */
  markdown: string;
}

/**
 * Where the scorecard chart goes. The body holds this marker (invisible in any renderer) and Kept
 * replaces it with its own chart when the letter is shown or published: see withChart.
 */
export const CHART_MARKER = "<!-- kept:scorecard-chart -->";

/** The body with Kept's chart in place of each marker line (or the marker removed when there is no chart). */
export function withChart(body: string, chart: string | null): string {
  return body
    .split("\n")
    .flatMap((line) => (line.trim() === CHART_MARKER ? (chart === null ? [] : [chart]) : [line]))
    .join("\n");
}

// ---------------------------------------------------------------------------------------------
// A letter stays a letter at any size (docs/decisions/0015-cached-letters-and-letters-at-any-size.md)

/**
 * A year with more commitments in scope than this is summarised: the letter sets out the most
 * consequential shortfalls and re-scopes in full and summarises the rest by reason and team, with
 * counts; every commitment stays in the ledger file, whose SHA-256 the letter states.
 */
export const LETTER_IN_FULL_LIMIT = 100;
/** In a summarised letter: how many shortfalls, re-scopes and other named lists are set out in full. */
export const LETTER_CONSEQUENTIAL_LIMIT = 25;
/** In a summarised letter: how many teams (or reasons) a summary table names before "all other teams". */
export const LETTER_SUMMARY_ROWS = 25;

/** Whether a year with this many commitments in scope gets a summarised letter. */
export function isSummarisedYear(inScopeCount: number): boolean {
  return inScopeCount > LETTER_IN_FULL_LIMIT;
}

/** The frozen ledger of a published letter as a file: every commitment it covers. */
export function ledgerFilePath(fiscalYear: number, audience: Audience, format: "json" | "csv" = "json"): string {
  return audience === "public" ? `/letters/${fiscalYear}/ledger.${format}` : `/letters/${fiscalYear}/internal/ledger.${format}`;
}

export interface ComposedLetter {
  title: string;
  sections: LetterSection[];
  /**
   * The whole letter: the masthead heading as `#`, every other heading as `##`, except the
   * signature, which a letter writes without a heading.
   */
  markdown: string;
  /** Ids of every commitment the body names, in order of first mention. */
  mentionedIds: string[];
  /** The scorecard chart Kept puts in place of CHART_MARKER; null when there is none (fewer than two years). */
  chart: string | null;
}

// ---------------------------------------------------------------------------------------------
// Words and numbers, as people write them

const SMALL_NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
const ORDINALS = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"];

/** One to nine spelled out, 10 and above in digits with thousands separators ("1,234"). */
export function numberWord(n: number): string {
  if (Number.isInteger(n) && n >= 0 && n < 10) return SMALL_NUMBERS[n] ?? String(n);
  return formatNumber(n);
}

/** "first" … "ninth", then "10th", "21st", "112th". */
export function ordinalWord(n: number): string {
  if (Number.isInteger(n) && n >= 0 && n < 10) return ORDINALS[n] ?? String(n);
  const mod100 = n % 100;
  const mod10 = n % 10;
  const suffix = mod100 >= 11 && mod100 <= 13 ? "th" : mod10 === 1 ? "st" : mod10 === 2 ? "nd" : mod10 === 3 ? "rd" : "th";
  return `${formatNumber(n)}${suffix}`;
}

/** "no commitments", "one commitment", "three commitments", "12 commitments". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  if (n === 0) return `no ${pluralForm}`;
  return `${numberWord(n)} ${n === 1 ? singular : pluralForm}`;
}

/** "A", "A and B", "A, B and C". */
export function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function days(n: number): string {
  return plural(n, "day");
}

/**
 * The "en-GB" collation, built once. `a.localeCompare(b, "en-GB")` is defined as this
 * collator's compare but builds a collator on every call, which dominated sorting large years.
 */
export const EN_GB_COLLATOR = new Intl.Collator("en-GB");
/** The runtime's default collation: what a bare `a.localeCompare(b)` compares with. */
export const DEFAULT_COLLATOR = new Intl.Collator();

/** Compares for sorting with an explicit collation, then by code units so ties are total. */
export function compareText(a: string, b: string): number {
  const c = EN_GB_COLLATOR.compare(a, b);
  if (c !== 0) return c;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Dates

// Only the calendar day of a timestamp is used: parsing "2026-01-05T23:30:00Z" as an instant
// would print 5 or 6 January depending on the server's time zone.
function calendarDay(iso: string): string {
  const m = /^\d{4}-\d{2}-\d{2}/.exec(iso);
  return m ? m[0] : iso;
}

// A year's letter formats the same few hundred calendar days thousands of times; parsing and
// formatting each with date-fns was a tenth of the generator's time. Pure, so memoised (bounded).
const letterDates = new Map<string, string>();
const LETTER_DATE_MEMO = 5000;

/** "30 September 2026". */
export function formatLetterDate(iso: string): string {
  const known = letterDates.get(iso);
  if (known !== undefined) return known;
  const day = calendarDay(iso);
  const parsed = parseISO(day);
  const text = Number.isNaN(parsed.getTime()) ? escapeMarkdown(iso) : format(parsed, "d MMMM yyyy");
  if (letterDates.size >= LETTER_DATE_MEMO) letterDates.clear();
  letterDates.set(iso, text);
  return text;
}

function instantOf(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

// ---------------------------------------------------------------------------------------------
// Escaping user text

/**
 * Makes user text safe to place inline in the letter's Markdown while reading verbatim once
 * rendered: whitespace (newlines included) collapses to single spaces so nothing can start a
 * new block; Markdown punctuation that would turn into emphasis, links, code or table cells is
 * backslash-escaped; "<" becomes "&lt;" so no HTML can be injected; and a leading list, quote
 * or numbered-list marker is escaped in case the text starts a line.
 */
export function escapeMarkdown(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  const escaped = oneLine
    .replace(/\\/g, "\\\\")
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/[`*_[\]|~#]/g, (c) => `\\${c}`)
    // marked reads "\](" as the end of a link label; escaping the parenthesis too keeps user
    // text such as "[x](y)" inside a link's text from breaking the link.
    .replace(/\\\]\(/g, "\\]\\(");
  return escaped.replace(/^(>|[-+=](?= |$)|\d+(?=[.)]))/, (m) => (/^\d/.test(m) ? `${m}\\` : `\\${m}`));
}

function quote(statement: string): string {
  return `“${escapeMarkdown(statement)}”`;
}

/** A link target the reader can follow, or null: http(s) URLs, or a site path such as /letters/fy2025. */
function safeHref(url: string): string | null {
  const trimmed = url.trim();
  if (/^\/(?!\/)/.test(trimmed)) return trimmed.replace(/[\s<>]/g, (c) => encodeURIComponent(c));
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  // URL serialisation percent-encodes spaces and angle brackets, so the href can't end the
  // autolink early or open a tag.
  return parsed.href.replace(/[<>]/g, (c) => encodeURIComponent(c));
}

// ---------------------------------------------------------------------------------------------
// Reading a commitment's record

function sortedRevisions(c: LetterCommitment): LetterRevision[] {
  const kindOrder = (k: string) => (k === "create" || k === "carried_from" ? 0 : 1);
  return [...c.revisions].sort(
    (a, b) =>
      compareNumbers(instantOf(a.at), instantOf(b.at)) ||
      compareText(a.at, b.at) ||
      compareNumbers(kindOrder(a.kind), kindOrder(b.kind)) ||
      compareText(a.kind, b.kind) ||
      compareText(JSON.stringify(a.changes), JSON.stringify(b.changes)) ||
      compareText(a.reason ?? "", b.reason ?? ""),
  );
}

// The creation revision of each commitment, found once: sorting its revisions on every lookup
// (the canonical order compares original statements) made sorting a year quadratic-ish. Keyed by
// the commitment object, which composition never mutates.
const creations = new WeakMap<LetterCommitment, LetterRevision | null>();

function creationOf(c: LetterCommitment): LetterRevision | null {
  // Most of a large year, as read, has no revision to look in: nothing to find or remember (a
  // WeakMap entry for each of 25,000 commitments was a tenth of sorting them, ADR 0055).
  if (c.revisions.length === 0) return null;
  let creation = creations.get(c);
  if (creation === undefined) {
    // One revision (most commitments: their creation) needs no sorting to be found.
    const revisions = c.revisions.length <= 1 ? c.revisions : sortedRevisions(c);
    creation = revisions.find((r) => r.kind === "create" || r.kind === "carried_from") ?? null;
    creations.set(c, creation);
  }
  return creation;
}

function creationValue(c: LetterCommitment, field: string): unknown {
  return creationOf(c)?.changes.find((ch) => ch.field === field)?.to;
}

/** The words first committed: the creation revision's statement, else the current one. */
export function originalStatement(c: LetterCommitment): string {
  const v = creationValue(c, "statement");
  return typeof v === "string" && v.trim() !== "" ? v : c.statement;
}

function originalDueDate(c: LetterCommitment): string {
  const v = creationValue(c, "dueDate");
  return typeof v === "string" && v !== "" ? v : c.dueDate;
}

function originalAudience(c: LetterCommitment): Audience {
  const v = creationValue(c, "audience");
  return v === "public" || v === "internal" ? v : c.audience;
}

function currentFields(c: LetterCommitment): CommitmentFields {
  const m = c.measure;
  return {
    statement: c.statement,
    details: "",
    measureKind: m.kind,
    metricName: m.kind === "metric" ? m.name : null,
    metricBaseline: m.kind === "metric" ? m.baseline : null,
    metricComparator: m.kind === "metric" ? m.comparator : null,
    metricTarget: m.kind === "metric" ? m.target : null,
    metricUnit: m.kind === "metric" ? m.unit : null,
    deliverableEvent: m.kind === "deliverable" ? m.event : null,
    evidenceSource: c.evidenceSource,
    dueDate: c.dueDate,
    periodLabel: c.periodLabel,
    teamId: "",
    ownerId: null,
    audience: c.audience,
    tags: [],
  };
}

/**
 * "Moved to FY2027-Q1 (re-scope)": a commitment moved out of its year after it was locked stays
 * in that year's letter and ledger and counts as made there (ADR 0008).
 */
export function movedToText(periodLabel: string): string {
  return `Moved to ${periodLabel} (re-scope)`;
}

/** The same, inside a sentence: "moved to FY2027-Q1 (re-scope)". */
export function movedToNote(periodLabel: string): string {
  return `moved to ${periodLabel} (re-scope)`;
}

export function wasRescoped(c: LetterCommitment): boolean {
  return c.revisions.some((r) => r.kind === "rescope");
}

// A public letter covers every commitment that is customer-facing now or was when it was
// made: moving a public promise to "internal" is itself a re-scope and must not make it
// vanish from the letter customers read.
export function inScope(c: LetterCommitment, audience: Audience): boolean {
  return audience === "internal" || c.audience === "public" || originalAudience(c) === "public";
}

/** Team, then the day it was made, then due date, then words, then id: a total order. */
export function compareCommitments(a: LetterCommitment, b: LetterCommitment): number {
  return (
    compareText(a.team.name, b.team.name) ||
    compareText(calendarDay(a.committedAt), calendarDay(b.committedAt)) ||
    compareText(a.dueDate, b.dueDate) ||
    compareText(originalStatement(a), originalStatement(b)) ||
    compareText(a.id, b.id)
  );
}

/** Ranks of the distinct values in compareText's order: equal ranks exactly when the texts are equal. */
function textRanks(values: Iterable<string>): Map<string, number> {
  return new Map([...new Set(values)].sort(compareText).map((v, i) => [v, i]));
}

/**
 * The commitments in compareCommitments' order, each key worked out once: a year's sort compares
 * n·log n times, and the few hundred team names and days are ranked once instead of collated on
 * every comparison. The same order, since compareText is a total order.
 */
export function sortedCommitments(list: LetterCommitment[]): LetterCommitment[] {
  const days = list.map((c) => calendarDay(c.committedAt));
  const teams = textRanks(list.map((c) => c.team.name));
  const dayRanks = textRanks(days);
  const dues = textRanks(list.map((c) => c.dueDate));
  const keyed = list.map((c, i) => ({ c, team: teams.get(c.team.name)!, day: dayRanks.get(days[i]!)!, due: dues.get(c.dueDate)!, statement: originalStatement(c) }));
  keyed.sort(
    (a, b) =>
      a.team - b.team || a.day - b.day || a.due - b.due || compareText(a.statement, b.statement) || compareText(a.c.id, b.c.id),
  );
  return keyed.map((k) => k.c);
}

// A sort calls the comparator n·log n times; working out lateness (date parsing) and distance
// each time was most of a 25,000-commitment year's publish check. Computed once per commitment.
const shortfallKeys = new WeakMap<LetterCommitment, { audienceRank: number; late: number; distance: number }>();
function shortfallKey(c: LetterCommitment) {
  let key = shortfallKeys.get(c);
  if (!key) {
    key = {
      audienceRank: c.audience === "public" ? 0 : 1,
      late: c.outcome ? lateness(c.dueDate, c.outcome.resolvedAt).daysLate : 0,
      distance: distanceFromTarget(c.measure, c.outcome?.actualValue ?? null) ?? -1,
    };
    shortfallKeys.set(c, key);
  }
  return key;
}

/**
 * Most consequential first: customer-facing before internal, then resolved furthest past the
 * due date, then furthest from target, then by statement (and id, so the order is total).
 */
export function compareShortfalls(a: LetterCommitment, b: LetterCommitment): number {
  const ka = shortfallKey(a);
  const kb = shortfallKey(b);
  return (
    compareNumbers(ka.audienceRank, kb.audienceRank) ||
    compareNumbers(kb.late, ka.late) ||
    compareNumbers(kb.distance, ka.distance) ||
    compareText(a.statement, b.statement) ||
    compareText(a.id, b.id)
  );
}

/**
 * The first `k` of `list` in `compare`'s order: `[...list].sort(compare).slice(0, k)` for a total
 * order, without sorting the whole list. A summarised year sets out 25 of thousands of
 * shortfalls, and sorting all of them was a tenth of composing it; most items lose to the
 * k-th best on their first keys.
 */
export function firstInOrder<T>(list: readonly T[], k: number, compare: (a: T, b: T) => number): T[] {
  if (list.length <= k) return [...list].sort(compare);
  if (k <= 0) return [];
  const best: T[] = [];
  for (const item of list) {
    if (best.length === k && compare(item, best[k - 1]!) >= 0) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(best[mid]!, item) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, item);
    if (best.length > k) best.pop();
  }
  return best;
}

export function isShortfall(c: LetterCommitment): boolean {
  return c.outcome !== null && c.outcome.status !== "delivered";
}

/**
 * The shortfalls (missed, partially delivered, withdrawn) a letter must quote in visible text:
 * all of them, or in a summarised year the LETTER_CONSEQUENTIAL_LIMIT most consequential by
 * compareShortfalls (customer-facing first, then furthest past the due date, then furthest from
 * target). The rest are counted and summarised by reason and team in the letter, and listed in
 * the ledger file. The generator and the publish check both read this one rule.
 */
export function shortfallsToQuote(commitments: readonly LetterCommitment[], audience: Audience): LetterCommitment[] {
  const inScopeCount = commitments.reduce((n, c) => n + (inScope(c, audience) ? 1 : 0), 0);
  const shortfalls = commitments.filter((c) => inScope(c, audience) && isShortfall(c));
  return isSummarisedYear(inScopeCount) ? firstInOrder(shortfalls, LETTER_CONSEQUENTIAL_LIMIT, compareShortfalls) : shortfalls.sort(compareShortfalls);
}

/**
 * Most consequential re-scope first: customer-facing before internal, then the most re-scope
 * events, then the furthest the due date moved out, then by statement and id.
 */
export function compareRescopes(a: LetterCommitment, b: LetterCommitment): number {
  const audienceRank = (c: LetterCommitment) => (c.audience === "public" ? 0 : 1);
  const events = (c: LetterCommitment) => c.revisions.reduce((n, r) => n + (r.kind === "rescope" ? 1 : 0), 0);
  const moved = (c: LetterCommitment) => lateness(originalDueDate(c), c.dueDate).daysLate;
  return (
    compareNumbers(audienceRank(a), audienceRank(b)) ||
    compareNumbers(events(b), events(a)) ||
    compareNumbers(moved(b), moved(a)) ||
    compareText(a.statement, b.statement) ||
    compareText(a.id, b.id)
  );
}

/**
 * The ids of the commitments whose every field a letter of this input prints: in a summarised
 * year (isSummarisedYear), the shortfalls set out in full (shortfallsToQuote) and the re-scopes
 * set out in full; in a year in full, every commitment in scope. Every other commitment of a
 * summarised year is only counted, sorted and ranked, so composition reads no more of it than
 * its team, audience, days, statement, measure, outcome's status, day, actual value and reason,
 * forecast of record and revisions: the letter composed with those alone (the rest blank) and
 * these in full is the letter composed from the whole year (ADR 0053). Chosen from that narrow
 * data: both orders read nothing else.
 */
export function commitmentsSetOutInFull(input: Pick<LetterInput, "commitments" | "audience">): string[] {
  const covered = input.commitments.filter((c) => inScope(c, input.audience));
  if (!isSummarisedYear(covered.length)) return covered.map((c) => c.id);
  const shortfalls = firstInOrder(covered.filter(isShortfall), LETTER_CONSEQUENTIAL_LIMIT, compareShortfalls);
  const rescoped = covered.filter(wasRescoped);
  const rescopes = rescoped.length > LETTER_CONSEQUENTIAL_LIMIT ? firstInOrder(rescoped, LETTER_CONSEQUENTIAL_LIMIT, compareRescopes) : rescoped;
  return [...new Set([...shortfalls, ...rescopes].map((c) => c.id))];
}

export interface CountRow {
  label: string;
  counts: number[];
}

/**
 * What a summarised letter (isSummarisedYear) prints of its year beyond the Summary: counts by
 * team and reason, and the few commitments it sets out, each list in the order it is printed.
 * summarisedYearOf works it out from the year's commitments; a draft counts it in the database
 * instead (letter-counted.ts, ADR 0059). The rows of a count table may come in any order: it
 * sorts them totally (countTable).
 */
export interface SummarisedYear {
  /** By team: [commitments]. */
  byTeam: CountRow[];
  /** Delivered in full, by team: [on time, late]. */
  deliveredByTeam: CountRow[];
  /** How many delivered in full were late. */
  deliveredLate: number;
  /** The shortfalls set out in full, most consequential first (compareShortfalls). */
  shortfallsSetOut: LetterCommitment[];
  /** The other shortfalls, by reason and by team: [partial, missed, withdrawn]. */
  otherShortfallsByReason: CountRow[];
  otherShortfallsByTeam: CountRow[];
  /** Of the open commitments, how many moved out of the year. */
  openMoved: number;
  /** The open commitments in the canonical order when at most LETTER_CONSEQUENTIAL_LIMIT, else null. */
  openListed: LetterCommitment[] | null;
  /** How many were re-scoped, the ones set out (canonical order, or compareRescopes' first when more), the others by team. */
  rescoped: number;
  rescopesSetOut: LetterCommitment[];
  otherRescopesByTeam: CountRow[];
  /** The first LETTER_CONSEQUENTIAL_LIMIT surprises (Summary.surprises) in the canonical order. */
  surprisesShown: LetterCommitment[];
}

/** A shortfall's column in a summarised letter's tables: partial, missed, withdrawn. */
export function shortfallColumn(status: OutcomeStatus | undefined): number {
  return status === "partial" ? 0 : status === "missed" ? 1 : 2;
}

/** The label a summarised letter counts a shortfall's reason under. */
export function reasonLabel(reason: Outcome["reasonCategory"] | null | undefined): string {
  return reason ? REASON_LABEL[reason] : "No reason category was recorded";
}

/**
 * The SummarisedYear of `commitments` (in scope, prepared, in the canonical order) with their
 * `summary`: what the summarised sections printed when they worked it out themselves.
 */
export function summarisedYearOf(commitments: readonly LetterCommitment[], summary: Summary): SummarisedYear {
  const isLate = (c: LetterCommitment) => (c.outcome && lateness(c.dueDate, c.outcome.resolvedAt).late ? 1 : 0);
  const delivered = commitments.filter((c) => c.outcome?.status === "delivered");
  const shortfalls = commitments.filter(isShortfall);
  const shortfallsSetOut = firstInOrder(shortfalls, LETTER_CONSEQUENTIAL_LIMIT, compareShortfalls);
  const setOut = new Set(shortfallsSetOut);
  const otherShortfalls = shortfalls.filter((c) => !setOut.has(c));
  const open = commitments.filter((c) => c.outcome === null);
  const rescoped = commitments.filter(wasRescoped);
  const rescopesSetOut = rescoped.length > LETTER_CONSEQUENTIAL_LIMIT ? firstInOrder(rescoped, LETTER_CONSEQUENTIAL_LIMIT, compareRescopes) : rescoped;
  const shownRescopes = new Set(rescopesSetOut);
  const surpriseIds = new Set(summary.surprises);
  const column = (c: LetterCommitment) => shortfallColumn(c.outcome?.status);
  return {
    byTeam: tally(commitments, (c) => c.team.name, () => 0, 1),
    deliveredByTeam: tally(delivered, (c) => c.team.name, isLate, 2),
    deliveredLate: delivered.reduce((n, c) => n + isLate(c), 0),
    shortfallsSetOut,
    otherShortfallsByReason: tally(otherShortfalls, (c) => reasonLabel(c.outcome?.reasonCategory), column, 3),
    otherShortfallsByTeam: tally(otherShortfalls, (c) => c.team.name, column, 3),
    openMoved: open.filter((c) => c.movedTo).length,
    openListed: open.length > LETTER_CONSEQUENTIAL_LIMIT ? null : open,
    rescoped: rescoped.length,
    rescopesSetOut,
    otherRescopesByTeam: tally(rescoped.filter((c) => !shownRescopes.has(c)), (c) => c.team.name, () => 0, 1),
    surprisesShown: commitments.filter((c) => surpriseIds.has(c.id)).slice(0, LETTER_CONSEQUENTIAL_LIMIT),
  };
}

/**
 * A summary table of counts by a label (team, reason), biggest first, at most
 * LETTER_SUMMARY_ROWS named rows and one row for all the others, then the total.
 */
function countTable(labelHeader: string, columns: readonly string[], rows: CountRow[], otherLabel: string): string {
  const total = (r: CountRow) => r.counts.reduce((a, b) => a + b, 0);
  const sorted = [...rows].sort((a, b) => compareNumbers(total(b), total(a)) || compareText(a.label, b.label));
  const named = sorted.slice(0, LETTER_SUMMARY_ROWS);
  const rest = sorted.slice(LETTER_SUMMARY_ROWS);
  const sum = (list: CountRow[]) => columns.map((_, i) => list.reduce((n, r) => n + (r.counts[i] ?? 0), 0));
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const lines = [
    line([labelHeader, ...columns]),
    line(["---", ...columns.map(() => "---:")]),
    ...named.map((r) => line([escapeMarkdown(r.label), ...r.counts.map(formatNumber)])),
  ];
  if (rest.length > 0) lines.push(line([`${otherLabel} (${formatNumber(rest.length)})`, ...sum(rest).map(formatNumber)]));
  lines.push(line(["**All**", ...sum(sorted).map(formatNumber)]));
  return lines.join("\n");
}

/** Counts by a key, keeping the first label seen for it. */
export function tally<T>(items: readonly T[], keyOf: (item: T) => string, columnOf: (item: T) => number, columns: number): CountRow[] {
  const rows = new Map<string, CountRow>();
  for (const item of items) {
    const key = keyOf(item);
    let row = rows.get(key);
    if (!row) {
      row = { label: key, counts: new Array<number>(columns).fill(0) };
      rows.set(key, row);
    }
    const column = columnOf(item);
    row.counts[column] = (row.counts[column] ?? 0) + 1;
  }
  return [...rows.values()];
}

/** In a summarised letter, the first LETTER_CONSEQUENTIAL_LIMIT items of a list and how many more there are. */
function capped<T>(ctx: Context, list: readonly T[]): { shown: readonly T[]; more: number } {
  if (!ctx.summarised || list.length <= LETTER_CONSEQUENTIAL_LIMIT) return { shown: list, more: 0 };
  return { shown: list.slice(0, LETTER_CONSEQUENTIAL_LIMIT), more: list.length - LETTER_CONSEQUENTIAL_LIMIT };
}

function ledgerPointer(ctx: Context): string {
  return `the [ledger file](<${ledgerFilePath(ctx.input.fiscalYear, ctx.input.audience)}>)`;
}

function sortCheckIns(checkIns: readonly ForecastCheckIn[]): ForecastCheckIn[] {
  // Stable: check-ins made on the same day keep their given order, which is the order they
  // were written in (statistics.forecastOfRecord lets the later one win).
  return [...checkIns].sort((a, b) => compareText(a.date, b.date));
}

export function prepare(c: LetterCommitment): LetterCommitment {
  // A commitment with at most one check-in and one revision (most of a large year, as the record
  // is read) is already in order: copying 25,000 of them was garbage and nothing else.
  if (c.checkIns.length <= 1 && c.revisions.length <= 1) return c;
  return { ...c, checkIns: sortCheckIns(c.checkIns), revisions: sortedRevisions(c) };
}

// ---------------------------------------------------------------------------------------------
// Phrases

function unitSuffix(unit: string): string {
  const text = unitAfterNumber(unit);
  return text.startsWith(" ") ? ` ${escapeMarkdown(text.slice(1))}` : escapeMarkdown(text);
}

/** "Result: 280 ms. Target: p95 checkout latency ≤ 300 ms (from 900 ms)." */
function resultSentences(measure: Measure, actual: number | null): string | null {
  if (measure.kind !== "metric") return null;
  const target = `Target: ${withStop(escapeMarkdown(describeMeasure(measure)))}`;
  if (actual === null) return `No result was recorded. ${target}`;
  return `Result: ${formatNumber(actual)}${unitSuffix(measure.unit)}. ${target}`;
}

/** "three days early", "on its due date", "12 days late". */
function timingPhrase(dueDate: string, resolvedAt: string): string {
  const { late, daysLate } = lateness(dueDate, resolvedAt);
  if (late) return `${days(daysLate)} late`;
  const early = lateness(resolvedAt, dueDate).daysLate;
  return early === 0 ? "on its due date" : `${days(early)} early`;
}

/** "the Payments team", with the owner's name in internal letters: "the Payments team (owner Luca Bianchi)". */
function teamPhrase(teamName: string, ownerName: string | null, audience: Audience): string {
  const name = escapeMarkdown(teamName);
  const team = /\bteam$/i.test(teamName.trim()) ? `the ${name}` : `the ${name} team`;
  return audience === "internal" && ownerName ? `${team} (owner ${escapeMarkdown(ownerName)})` : team;
}

function audienceNote(a: Audience): string {
  return a === "public" ? "Customer-facing." : "Internal only.";
}

// ---------------------------------------------------------------------------------------------
// Sections

interface Context {
  input: LetterInput;
  /** In scope, prepared, in the canonical order. */
  commitments: LetterCommitment[];
  summary: Summary;
  yearLabel: string;
  nextYearLabel: string;
  mention: (id: string) => void;
  /** The scorecard chart as Markdown (a <figure> with SVG), once the scorecard has drawn it. */
  chart: string | null;
  /** Too many commitments to name each: the most consequential in full, the rest summarised. */
  summarised: boolean;
  /** How many commitments the letter covers: `commitments.length`, or a counted year's `made`. */
  made: number;
  /** A summarised year's counts and the commitments it sets out (null in a year in full). */
  year: SummarisedYear | null;
}

function masthead(ctx: Context): string {
  const { input } = ctx;
  const org = escapeMarkdown(input.organisation.name);
  const paragraphs: string[] = [];
  const order = `first what we said we would do in ${ctx.yearLabel}, then what we did, then what we did not do and why, and only then what we commit to for ${ctx.nextYearLabel}`;
  if (input.audience === "public") {
    paragraphs.push(`From ${org}, to our customers.`, `This letter looks back before it looks forward: ${order}.`);
  } else {
    paragraphs.push(
      `From ${org}, for internal readers only.`,
      `This letter covers every commitment we made, internal as well as customer-facing, and is not for publication. It looks back before it looks forward: ${order}.`,
    );
  }
  const prev = input.previousLetter;
  const href = prev ? safeHref(prev.url) : null;
  if (prev && href) {
    const lead = prev.fiscalYear === input.fiscalYear - 1 ? "Last year’s letter" : `Our previous letter, for FY${prev.fiscalYear}`;
    paragraphs.push(`${lead}: [${escapeMarkdown(prev.title)}](<${href}>).`);
  } else if (prev) {
    paragraphs.push(`Our previous letter, for FY${prev.fiscalYear}, was titled “${escapeMarkdown(prev.title)}”.`);
  } else if (input.earlierYears.length === 0) {
    paragraphs.push("This is our first annual letter.");
  } else {
    paragraphs.push("This is our first annual letter; the figures for earlier years come from our records.");
  }
  return paragraphs.join("\n\n");
}

interface YearRow {
  label: string;
  made: number;
  delivered: number;
  partial: number;
  missed: number;
  withdrawn: number;
  open: number;
  current: boolean;
}

/** A year's delivery rate, by the one definition (app/domain/statistics.ts, deliveryRate). */
function rateOf(row: { made: number; delivered: number; partial: number; missed: number; withdrawn: number }): number | null {
  const open = Math.max(0, row.made - row.delivered - row.partial - row.missed - row.withdrawn);
  return deliveryRate({ delivered: row.delivered, partial: row.partial, missed: row.missed, withdrawn: row.withdrawn, open });
}

function scorecard(ctx: Context): string {
  const { summary: s, input } = ctx;
  const { delivered, partial, missed, withdrawn, open } = s.counts;
  const made = s.made;
  const paragraphs: string[] = [];
  const toCustomers = input.audience === "public" ? " to our customers" : "";

  if (made === 0) {
    paragraphs.push(`We made no commitments${toCustomers} for ${ctx.yearLabel}, so there is nothing to score this year.`);
  } else {
    const first = `In ${ctx.yearLabel} we made ${plural(made, "commitment")}${toCustomers}.`;
    let outcomes: string;
    const only = made === 1 ? (ctx.commitments[0]?.outcome?.status ?? "open") : null;
    if (delivered === made) {
      outcomes = made === 1 ? "We delivered it in full." : `We delivered all ${numberWord(made)} in full.`;
    } else if (only !== null) {
      outcomes =
        only === "partial"
          ? "We delivered it only in part."
          : only === "missed"
            ? "We missed it."
            : only === "withdrawn"
              ? "We withdrew it."
              : "We have not yet recorded its outcome.";
    } else {
      const clauses = [delivered === 0 ? "delivered none in full" : `delivered ${numberWord(delivered)} in full`];
      if (partial > 0) clauses.push(`partially delivered ${numberWord(partial)}`);
      if (missed > 0) clauses.push(`missed ${numberWord(missed)}`);
      if (withdrawn > 0) clauses.push(`withdrew ${numberWord(withdrawn)}`);
      outcomes = `We ${joinList(clauses)}.`;
      if (open > 0) {
        outcomes += ` We have not yet recorded an outcome for ${open === 1 ? "one of them" : `${numberWord(open)} of them`}.`;
      }
    }
    paragraphs.push(`${first} ${outcomes}`);

    const rate = s.deliveryRate;
    let rateSentence = `Counting everything we committed to, withdrawn commitments included, we delivered ${formatPercent(rate)} in full.`;
    const previous = [...input.earlierYears]
      .filter((y) => y.fiscalYear < input.fiscalYear && y.made > 0)
      .sort((a, b) => compareNumbers(b.fiscalYear, a.fiscalYear))[0];
    if (previous) {
      const now = Math.round((rate ?? 0) * 100);
      const then = Math.round((rateOf(previous) ?? 0) * 100);
      const direction = now > then ? "up from" : now < then ? "down from" : "the same as";
      rateSentence += ` That is ${direction} ${then}% in FY${previous.fiscalYear}.`;
    }
    paragraphs.push(rateSentence);

    const shipped = delivered + partial;
    const lateCount = s.daysLate.lateCount;
    const onTime = shipped - lateCount;
    if (shipped > 0) {
      const lateBy =
        lateCount === 1
          ? `by ${days(s.daysLate.max)}`
          : `by ${days(Math.round(s.daysLate.mean ?? 0))} on average and ${days(s.daysLate.max)} at most`;
      if (shipped === 1) {
        paragraphs.push(
          lateCount === 0
            ? "The one commitment we delivered in full or in part was on time."
            : `The one commitment we delivered in full or in part was late, ${lateBy}.`,
        );
      } else if (lateCount === 0) {
        paragraphs.push(
          shipped === 2
            ? "Both commitments we delivered in full or in part were on time."
            : `All ${numberWord(shipped)} commitments we delivered in full or in part were on time.`,
        );
      } else {
        const onTimeClause = onTime === 0 ? "none was on time" : `${numberWord(onTime)} ${onTime === 1 ? "was" : "were"} on time (${formatPercent(s.onTimeRate)})`;
        const lateClause = lateCount === shipped ? `all ${numberWord(lateCount)} were late, ${lateBy}` : `${numberWord(lateCount)} ${lateCount === 1 ? "was" : "were"} late, ${lateBy}`;
        paragraphs.push(
          lateCount === shipped
            ? `Of the ${plural(shipped, "commitment")} we delivered in full or in part, ${lateClause}.`
            : `Of the ${plural(shipped, "commitment")} we delivered in full or in part, ${onTimeClause} and ${lateClause}.`,
        );
      }
    }
  }

  const rows = yearRows(input, ctx.yearLabel, s);

  if (rows.length === 1) {
    paragraphs.push("This is the first year we have kept this record, so there are no earlier years to compare with.");
  }

  const showOpen = rows.some((r) => r.open > 0);
  const header = ["Year", "Made", "Delivered", "Partially delivered", "Missed", "Withdrawn", ...(showOpen ? ["Open"] : []), "Delivered in full"];
  const table = [
    `| ${header.join(" | ")} |`,
    `| --- | ${header.slice(1).map(() => "---:").join(" | ")} |`,
    ...rows.map((r) => {
      const cells = [
        r.current ? `**${r.label}**` : r.label,
        formatNumber(r.made),
        formatNumber(r.delivered),
        formatNumber(r.partial),
        formatNumber(r.missed),
        formatNumber(r.withdrawn),
        ...(showOpen ? [formatNumber(r.open)] : []),
        formatPercent(rateOf(r)),
      ];
      return `| ${cells.join(" | ")} |`;
    }),
  ].join("\n");
  paragraphs.push(table);

  const chart = chartOf(rows, input, ctx.yearLabel);
  if (chart !== null) {
    // The body carries only a marker: SVG is not allowed in a body (a body could hide text in
    // it), so Kept puts its own chart in place of the marker when the letter is shown or published.
    ctx.chart = chart;
    paragraphs.push(CHART_MARKER);
  }
  return paragraphs.join("\n\n");
}

/** The scorecard's rows: the earlier years, oldest first, then this one from its summary. */
function yearRows(input: LetterInput, yearLabel: string, s: Summary): YearRow[] {
  const { delivered, partial, missed, withdrawn, open } = s.counts;
  const rows: YearRow[] = [...input.earlierYears]
    .filter((y) => y.fiscalYear < input.fiscalYear)
    .sort((a, b) => compareNumbers(a.fiscalYear, b.fiscalYear))
    .map((y) => ({
      label: `FY${y.fiscalYear}`,
      made: y.made,
      delivered: y.delivered,
      partial: y.partial,
      missed: y.missed,
      withdrawn: y.withdrawn,
      open: Math.max(0, y.made - y.delivered - y.partial - y.missed - y.withdrawn),
      current: false,
    }));
  rows.push({ label: yearLabel, made: s.made, delivered, partial, missed, withdrawn, open, current: true });
  return rows;
}

/** The scorecard chart (a <figure> with SVG) for these rows; null when fewer than two years made any. */
function chartOf(rows: readonly YearRow[], input: LetterInput, yearLabel: string): string | null {
  const charted = rows.filter((r) => r.made > 0);
  if (charted.length < 2) return null;
  const caption = `Commitments delivered in full, as a share of those made: ${joinList(
    charted.map((r) => `${r.label} ${formatPercent(rateOf(r))} (${numberWord(r.delivered)} of ${numberWord(r.made)})`),
  )}.`;
  const years: ChartYear[] = rows.map((r) => ({ label: r.label, rate: rateOf(r), current: r.current }));
  const svg = renderScorecardChart(years, {
    idPrefix: `letter-chart-fy${input.fiscalYear}-${input.audience}`,
    title: `Delivered in full, by year, ${rows[0]?.label ?? ""} to ${yearLabel}`,
    description: caption,
  });
  return ["<figure>", svg, `<figcaption>${escapeXml(caption)}</figcaption>`, "</figure>"].join("\n");
}

function said(ctx: Context): string {
  const { commitments, input } = ctx;
  if (ctx.made === 0) {
    return `We made no commitments${input.audience === "public" ? " to our customers" : ""} for ${ctx.yearLabel}.`;
  }
  const paragraphs: string[] = [];
  let intro = `These are the ${plural(ctx.made, "commitment")} we made${input.audience === "public" ? " to our customers" : ""} for ${ctx.yearLabel}, in the words we used when we made them.`;
  if (ctx.made === 1) intro = `This is the one commitment we made${input.audience === "public" ? " to our customers" : ""} for ${ctx.yearLabel}, in the words we used when we made it.`;
  if (commitments.some(wasRescoped)) {
    intro +=
      commitments.length === 1
        ? " We changed it later; the change is set out under “What changed along the way”."
        : " Where we changed one later, the change is set out under “What changed along the way”.";
  }
  if (ctx.year) {
    paragraphs.push(
      `There are too many to list here, so this letter counts them by team. Every one of them, in the words we used when we made it and with its outcome, is in ${ledgerPointer(ctx)} that comes with this letter; the letter states its SHA-256.`,
    );
    paragraphs.push(countTable("Team", ["Commitments"], ctx.year.byTeam, "All other teams"));
    for (const c of commitments) ctx.mention(c.id);
    return paragraphs.join("\n\n");
  }
  paragraphs.push(intro);

  // One pass groups by team, in order of first appearance (the canonical order sorts by team).
  const byTeam = new Map<string, LetterCommitment[]>();
  for (const c of commitments) {
    const list = byTeam.get(c.team.name);
    if (list) list.push(c);
    else byTeam.set(c.team.name, [c]);
  }
  for (const [team, teamCommitments] of byTeam) {
    const items = teamCommitments
      .map((c) => {
        ctx.mention(c.id);
        const parts = [`- ${quote(originalStatement(c))}`];
        parts.push(`Made on ${formatLetterDate(c.committedAt)}, due ${formatLetterDate(originalDueDate(c))}.`);
        if (c.predecessor) {
          parts.push(`Carried forward from ${escapeMarkdown(c.predecessor.periodLabel)} (attempt ${formatNumber(c.attempt)}).`);
        }
        if (input.audience === "internal") parts.push(audienceNote(originalAudience(c)));
        return parts.join(" ");
      });
    paragraphs.push(`### ${escapeMarkdown(team)}\n\n${items.join("\n")}`);
  }
  return paragraphs.join("\n\n");
}

function delivered(ctx: Context): string {
  const list = ctx.year ? [] : ctx.commitments.filter((c) => c.outcome?.status === "delivered");
  const count = ctx.year ? ctx.summary.counts.delivered : list.length;
  if (count === 0) {
    return ctx.made === 0
      ? "There was nothing to deliver: we made no commitments this year."
      : "We delivered none of our commitments in full this year.";
  }
  const made = ctx.made;
  const intro =
    count === made
      ? made === 1
        ? "We delivered our one commitment in full."
        : `We delivered all ${numberWord(made)} of our commitments in full.`
      : `We delivered ${numberWord(count)} of our ${plural(made, "commitment")} in full.`;
  if (ctx.year) {
    const late = ctx.year.deliveredLate;
    return [
      `${intro} ${late === 0 ? "All of them were on time." : `${capitalise(numberWord(count - late))} were on time and ${numberWord(late)} late.`} Each is in ${ledgerPointer(ctx)} with the date it was delivered and its evidence; by team:`,
      countTable("Team", ["On time", "Late"], ctx.year.deliveredByTeam, "All other teams"),
    ].join("\n\n");
  }
  const items = list.map((c) => {
    const o = c.outcome as Outcome;
    ctx.mention(c.id);
    const parts = [
      `- ${quote(c.statement)}`,
      `Delivered by ${teamPhrase(c.team.name, c.ownerName, ctx.input.audience)} on ${formatLetterDate(o.resolvedAt)}, ${timingPhrase(c.dueDate, o.resolvedAt)}.`,
    ];
    const result = resultSentences(c.measure, o.actualValue);
    if (result) parts.push(result);
    else if (c.measure.kind === "deliverable") parts.push(`What shows it: ${withStop(escapeMarkdown(c.measure.event))}`);
    if (wasRescoped(c)) parts.push("Re-scoped during the year: see “What changed along the way”.");
    const href = o.evidenceUrl ? safeHref(o.evidenceUrl) : null;
    // The evidence link comes last and bare, so a printed letter shows the address in full.
    parts.push(href ? `Evidence: <${href}>` : "No evidence link was recorded.");
    return parts.join(" ");
  });
  return `${intro}\n\n${items.join("\n")}`;
}

function whatHappensNext(c: LetterCommitment, status: OutcomeStatus): string {
  if (status !== "withdrawn") {
    if (c.successor) {
      return `we have committed to it again in ${escapeMarkdown(c.successor.periodLabel)} (attempt ${formatNumber(c.successor.attempt)}).`;
    }
    if (c.revisions.some((r) => r.kind === "carry_forward")) {
      return `we have committed to it again (attempt ${formatNumber(c.attempt + 1)}).`;
    }
  }
  return "we are not pursuing it.";
}

function notDelivered(ctx: Context): string {
  // Summarised, only the most consequential are set out, and the rest are counted (ctx.year).
  const year = ctx.year;
  const shortfalls = year ? [] : ctx.commitments.filter(isShortfall);
  const inFull = year ? year.shortfallsSetOut : shortfalls.sort(compareShortfalls);
  const counts = year ? { partial: ctx.summary.counts.partial, missed: ctx.summary.counts.missed, withdrawn: ctx.summary.counts.withdrawn } : { partial: 0, missed: 0, withdrawn: 0 };
  if (!year) for (const c of shortfalls) counts[c.outcome?.status as "partial" | "missed" | "withdrawn"] += 1;
  const shortfallCount = counts.partial + counts.missed + counts.withdrawn;
  const summarisedCount = year ? shortfallCount - inFull.length : 0;
  const open = year ? (year.openListed ?? []) : ctx.commitments.filter((c) => c.outcome === null);
  const openCount = year ? ctx.summary.counts.open : open.length;
  const paragraphs: string[] = [];

  if (shortfallCount === 0) {
    paragraphs.push(
      ctx.made === 0
        ? "We made no commitments this year, so there is nothing we failed to deliver."
        : "We missed nothing this year: no commitment was missed, partially delivered or withdrawn.",
    );
  } else {
    // When every shortfall is of one kind, "we missed both" reads better than "we missed two".
    const kinds = [counts.partial, counts.missed, counts.withdrawn].filter((n) => n > 0).length;
    const howMany = (n: number) => (kinds > 1 ? numberWord(n) : n === 2 ? "both" : `all ${numberWord(n)}`);
    const clauses: string[] = [];
    if (counts.partial > 0) clauses.push(`delivered ${howMany(counts.partial)} only in part`);
    if (counts.missed > 0) clauses.push(`missed ${howMany(counts.missed)}`);
    if (counts.withdrawn > 0) clauses.push(`withdrew ${howMany(counts.withdrawn)}`);
    const only = counts.partial > 0 ? "partial" : counts.missed > 0 ? "missed" : "withdrawn";
    let intro =
      shortfallCount === 1
        ? `We fell short on one commitment, which we ${only === "partial" ? "delivered only in part" : only === "missed" ? "missed" : "withdrew"}.`
        : `We fell short on ${plural(shortfallCount, "commitment")}: we ${joinList(clauses)}.`;
    if (shortfallCount > 1) {
      intro +=
        ctx.input.audience === "internal"
          ? " The most consequential come first: customer-facing before internal, then those resolved furthest past their due date, then those furthest from their target."
          : " The most consequential come first: those resolved furthest past their due date, then those furthest from their target.";
    }
    if (summarisedCount > 0) {
      intro += ` The ${numberWord(inFull.length)} most consequential are set out in full below; the other ${numberWord(summarisedCount)} are counted by reason and by team after them, and every one is in ${ledgerPointer(ctx)} with its outcome.`;
    }
    paragraphs.push(intro);

    const items = inFull.map((c) => {
      const o = c.outcome as Outcome;
      ctx.mention(c.id);
      const { late, daysLate } = lateness(c.dueDate, o.resolvedAt);
      const due = formatLetterDate(c.dueDate);
      const when = late
        ? `, ${days(daysLate)} after it was due on ${due}`
        : o.resolvedAt.slice(0, 10) === c.dueDate
          ? ", the day it was due"
          : `, before it was due on ${due}`;
      const team = capitalise(teamPhrase(c.team.name, c.ownerName, ctx.input.audience));
      const verb = o.status === "withdrawn" ? "withdrew it" : `recorded it as ${OUTCOME_LABEL[o.status].toLowerCase()}`;
      const head = `- ${quote(c.statement)} ${team} ${verb} on ${formatLetterDate(o.resolvedAt)}${when}.`;
      const details: string[] = [];
      if (ctx.input.audience === "internal") details.push(`Audience: ${c.audience === "public" ? "customer-facing" : "internal only"}.`);
      if (o.status === "partial") {
        details.push(o.partialDescription ? `What we did deliver: ${escapeMarkdown(o.partialDescription)}` : "We did not record which part we delivered.");
      }
      const result = resultSentences(c.measure, o.actualValue);
      if (result && o.status !== "withdrawn") details.push(result);
      if (c.predecessor) {
        details.push(
          `This was our ${ordinalWord(c.attempt)} attempt; the one before it was in ${escapeMarkdown(c.predecessor.periodLabel)}.`,
        );
      }
      const reason = o.reasonCategory ? REASON_LABEL[o.reasonCategory] : "No reason category was recorded";
      const control = o.control ? ` (${CONTROL_LABEL[o.control].toLowerCase()})` : "";
      details.push(`Reason: ${reason}${control}.`);
      details.push(o.explanation ? `What happened: ${withStop(escapeMarkdown(o.explanation))}` : "What happened: no explanation was recorded.");
      details.push(o.lesson ? `What we learned: ${withStop(escapeMarkdown(o.lesson))}` : "What we learned: no lesson was recorded.");
      details.push(`What happens next: ${whatHappensNext(c, o.status)}`);
      return [head, ...details.map((d) => `  - ${withStop(d)}`)].join("\n");
    });
    paragraphs.push(items.join("\n"));
    if (year && summarisedCount > 0) {
      const columns = ["Partially delivered", "Missed", "Withdrawn"];
      paragraphs.push(
        `The other ${plural(summarisedCount, "shortfall")}, by the reason we recorded:`,
        countTable("Reason", columns, year.otherShortfallsByReason, "All other reasons"),
        "And by team:",
        countTable("Team", columns, year.otherShortfallsByTeam, "All other teams"),
      );
    }
  }

  if (year && openCount > LETTER_CONSEQUENTIAL_LIMIT) {
    const moved = year.openMoved;
    paragraphs.push(
      `We have not yet recorded an outcome for ${plural(openCount, "commitment")}${moved > 0 ? `, ${numberWord(moved)} of them moved to a later period by a re-scope` : ""}. Each is in ${ledgerPointer(ctx)}, and we will report what became of them in our next letter.`,
    );
  } else if (open.length > 0) {
    const named = open.map((c) => {
      ctx.mention(c.id);
      return c.movedTo
        ? `${quote(c.statement)} (${movedToNote(c.movedTo)}, now due ${formatLetterDate(c.dueDate)})`
        : `${quote(c.statement)} (due ${formatLetterDate(c.dueDate)})`;
    });
    paragraphs.push(
      `We have not yet recorded an outcome for ${plural(open.length, "commitment")}: ${joinList(named)}. We will report what became of ${open.length === 1 ? "it" : "them"} in our next letter.`,
    );
  }
  return paragraphs.join("\n\n");
}

// Ends a sentence of user text with a full stop unless it already ends with punctuation.
function withStop(text: string): string {
  return /[.!?…][”"')]?$/.test(text) ? text : `${text}.`;
}

function formatRescopeValue(field: string, value: unknown, unit: string): string {
  if (value === null || value === undefined || value === "") return "—";
  if ((field === "metricTarget" || field === "metricBaseline") && typeof value === "number") {
    return `${formatNumber(value)}${unitSuffix(unit)}`;
  }
  if (field === "statement" && typeof value === "string") return quote(value);
  if (field === "dueDate" && typeof value === "string") return formatLetterDate(value);
  if (field === "audience") return value === "public" ? "Customer-facing" : value === "internal" ? "Internal" : escapeMarkdown(String(value));
  if (field === "measureKind") return value === "metric" ? "Metric" : value === "deliverable" ? "Deliverable" : escapeMarkdown(String(value));
  return escapeMarkdown(formatFieldValue(field, value));
}

function statusWord(status: OutcomeStatus | "open"): string {
  return status === "open" ? "No outcome yet" : OUTCOME_LABEL[status];
}

/** Outcomes an earlier letter reported that we have changed since: never silently. */
function changedSinceEarlierLetters(ctx: Context): string | null {
  const list = ctx.input.changedSinceEarlierLetters ?? [];
  if (list.length === 0) return null;
  const { shown, more } = capped(ctx, list);
  const items = shown.map((c) => {
    const why = c.reason ? ` Reason: ${withStop(escapeMarkdown(c.reason))}` : " No reason was recorded.";
    return `- ${quote(c.statement)} Changed after the FY${c.fiscalYear} letter: was ${statusWord(c.was)}, now ${statusWord(c.now)}.${why}`;
  });
  const blocks = [
    `Since our last letter we changed the recorded outcome of ${plural(list.length, "commitment")} that an earlier letter reported. The earlier letter stays as published; this is what changed, and why.`,
    items.join("\n"),
  ];
  if (more > 0) blocks.push(`The first ${numberWord(shown.length)} are listed above; the other ${numberWord(more)} are each marked beside the commitment on our ledger with what changed and why.`);
  return blocks.join("\n\n");
}

function changed(ctx: Context): string {
  const after = changedSinceEarlierLetters(ctx);
  const rescopes = rescopedChanges(ctx);
  return after ? `${rescopes}\n\n${after}` : rescopes;
}

function rescopedChanges(ctx: Context): string {
  const year = ctx.year;
  const rescoped = year ? [] : ctx.commitments.filter(wasRescoped);
  const rescopedCount = year ? year.rescoped : rescoped.length;
  if (rescopedCount === 0) {
    return ctx.made === 0 ? "Nothing was re-scoped." : "Nothing was re-scoped: every commitment stood as first written.";
  }
  const inFull = year ? year.rescopesSetOut : rescoped;
  const paragraphs = [
    inFull.length === rescopedCount
      ? `We re-scoped ${plural(rescopedCount, "commitment")} during the year. Each is shown as we first committed to it beside where it ended, with the reason we gave at the time.`
      : `We re-scoped ${plural(rescopedCount, "commitment")} during the year. The ${numberWord(inFull.length)} most consequential (customer-facing first, then those re-scoped most often, then those whose due date moved furthest) are shown as we first committed to them beside where they ended, with the reason we gave at the time; the others are counted by team at the end of this section, and every one is marked “re-scoped” in ${ledgerPointer(ctx)}.`,
  ];
  for (const c of inFull) {
    ctx.mention(c.id);
    const view = rescopeView(c.revisions, currentFields(c));
    if (!view) continue;
    const unit = c.measure.kind === "metric" ? c.measure.unit : "";
    const rows = view.rows
      .filter((r) => RESCOPE_FIELDS.has(r.field as keyof CommitmentFields))
      .map(
        (r) =>
          `| ${escapeMarkdown(FIELD_LABEL[r.field as keyof CommitmentFields] ?? r.field)} | ${formatRescopeValue(r.field, r.original, unit)} | ${formatRescopeValue(r.field, r.current, unit)} |`,
      );
    const events = view.events.map((e) => {
      const by = ctx.input.audience === "internal" && e.actorName ? ` by ${escapeMarkdown(e.actorName)}` : "";
      const why = e.reason ? `Reason: ${withStop(escapeMarkdown(e.reason))}` : "No reason was recorded.";
      return `- Re-scoped on ${formatLetterDate(typeof e.at === "string" ? e.at : e.at.toISOString())}${by}. ${why}`;
    });
    const moved = c.movedTo
      ? ` ${movedToText(c.movedTo)}: it still counts as made in ${ctx.yearLabel}, and its outcome will be reported against ${ctx.yearLabel}.`
      : "";
    paragraphs.push(
      [
        `**${quote(c.statement)}** Owned by ${teamPhrase(c.team.name, c.ownerName, ctx.input.audience)}.${moved}`,
        ["| What changed | As first committed | Final |", "| --- | --- | --- |", ...rows].join("\n"),
        events.join("\n"),
      ].join("\n\n"),
    );
  }
  if (year && inFull.length !== rescopedCount) {
    paragraphs.push(`The other ${plural(rescopedCount - inFull.length, "re-scoped commitment")}, by team:`, countTable("Team", ["Re-scoped"], year.otherRescopesByTeam, "All other teams"));
  }
  return paragraphs.join("\n\n");
}

function brierInWords(brier: number): string {
  if (brier < 0.05) return "excellent: what we forecast was very close to what happened";
  if (brier < 0.1) return "good: our forecasts were mostly right";
  if (brier < 0.2) return "fair: better than guessing, with room to improve";
  if (brier <= 0.25) return "weak: little better than saying 50% every time";
  return "poor: worse than saying 50% every time";
}

function forecast(ctx: Context): string {
  const { calibration, surprises } = ctx.summary;
  if (ctx.made === 0) return "We made no commitments this year, so there were no forecasts to score.";
  if (calibration.n === 0 || calibration.brier === null) {
    return "We did not record a probability of delivery on any commitment before its due date, so we cannot say how well we forecast.";
  }
  const paragraphs: string[] = [];
  paragraphs.push(
    "At every check-in, the team gives the probability that the commitment will be delivered in full. We take the last such forecast made on or before each due date and score it with the Brier score: the average squared gap between the probability we gave and what happened, where 0 is perfect and 0.25 is what saying 50% every time would score.",
  );
  // Judged on the figure as printed, so "0.20" is never called better than 0.2 would be.
  const brier = calibration.brier.toFixed(2);
  paragraphs.push(
    `Across the ${plural(calibration.n, "commitment")} we forecast, our score was ${brier}, which is ${brierInWords(Number(brier))}.`,
  );
  let forecastSum = 0;
  let observedSum = 0;
  for (const b of calibration.buckets) {
    forecastSum += (b.meanForecast ?? 0) * b.count;
    observedSum += (b.observedRate ?? 0) * b.count;
  }
  const meanForecast = forecastSum / calibration.n;
  const observedRate = observedSum / calibration.n;
  const gap = Math.round(meanForecast * 100) - Math.round(observedRate * 100);
  const verdict =
    gap > 10 ? "We were overconfident." : gap < -10 ? "We were more cautious than we needed to be." : "Our confidence roughly matched the results.";
  paragraphs.push(
    calibration.n === 1
      ? `We put its chance of delivery at ${formatPercent(meanForecast)}; it was ${observedRate === 1 ? "" : "not "}delivered in full. ${verdict}`
      : `On average we put their chance of delivery at ${formatPercent(meanForecast)}, and ${formatPercent(observedRate)} of them were delivered in full. ${verdict}`,
  );

  // The surprises' ids are in ctx.commitments' order (summarize read them from it), so the
  // commitments they name are found by one filter, not a map of the whole year.
  // Summarised, the first LETTER_CONSEQUENTIAL_LIMIT of them (ctx.year) and how many there are.
  const surpriseIds = new Set(surprises);
  const surprising = ctx.year ? ctx.year.surprisesShown : surpriseIds.size === 0 ? [] : ctx.commitments.filter((c) => surpriseIds.has(c.id));
  const surpriseCount = ctx.year ? ctx.summary.surpriseCount : surprising.length;
  const fellShort = ctx.summary.counts.missed + ctx.summary.counts.partial > 0;
  if (surpriseCount > 0) {
    const shown = surprising;
    const more = surpriseCount - shown.length;
    const items = shown.map((c) => {
      const o = c.outcome as Outcome;
      ctx.mention(c.id);
      const record = forecastOfRecord(c.checkIns, c.dueDate, o.resolvedAt);
      const said = record
        ? `on ${formatLetterDate(record.date)} we said it was on track and put its chance of delivery at ${formatPercent(record.probability / 100)}`
        : "our last check-in said it was on track";
      return `- ${quote(c.statement)} ${capitalise(said)}; it was ${o.status === "partial" ? "only partly delivered" : "missed"}.`;
    });
    paragraphs.push(
      `${surpriseCount === 1 ? "One commitment surprised us" : `${capitalise(numberWord(surpriseCount))} commitments surprised us`}: we missed or only partly delivered ${surpriseCount === 1 ? "it" : "them"} while our last check-in still said on track.\n\n${items.join("\n")}` +
        (more > 0 ? `\n\nThose are the first ${numberWord(shown.length)}; ${numberWord(more)} more surprised us the same way.` : ""),
    );
  } else if (fellShort) {
    paragraphs.push("There were no surprises: nothing we missed or only partly delivered was still marked on track at its last check-in.");
  } else {
    paragraphs.push("There were no surprises.");
  }
  return paragraphs.join("\n\n");
}

function stillOpen(ctx: Context): string {
  const list = [...ctx.input.openCarriedForward].sort(
    (a, b) =>
      compareNumbers(a.firstCommittedYear, b.firstCommittedYear) ||
      compareNumbers(b.attempt, a.attempt) ||
      compareText(a.statement, b.statement) ||
      compareText(a.currentPeriodLabel, b.currentPeriodLabel) ||
      compareText(a.status, b.status),
  );
  if (list.length === 0) return "Nothing is outstanding from earlier years.";
  const { shown, more } = capped(ctx, list);
  const items = shown.map((o) => {
    const where = `${escapeMarkdown(o.currentPeriodLabel)} (attempt ${formatNumber(o.attempt)})`;
    const now =
      o.status === "open"
        ? `now in ${where} and still open`
        : o.status === "carried"
          ? `carried forward to ${where}`
          : `${OUTCOME_LABEL[o.status].toLowerCase()} in ${where}`;
    return `- ${quote(o.statement)} First committed in FY${o.firstCommittedYear}; ${now}.`;
  });
  const intro =
    list.length === 1
      ? "We are still working on one commitment from an earlier year:"
      : `We are still working on ${plural(list.length, "commitment")} from earlier years:`;
  const rest = more > 0 ? `\n\nThose are the ${numberWord(shown.length)} we committed to first; ${numberWord(more)} more are still open, each on our ledger for the year it was first made.` : "";
  return `${intro}\n\n${items.join("\n")}${rest}`;
}

function nextYear(ctx: Context): string {
  const { input } = ctx;
  const list = input.nextYearCommitments.filter((c) => input.audience === "internal" || c.audience === "public");
  if (list.length === 0) {
    return `We have not yet made any commitments${input.audience === "public" ? " to our customers" : ""} for ${ctx.nextYearLabel}. When we do, they will appear on our public ledger and in next year’s letter.`;
  }
  const intro =
    list.length === 1
      ? `For ${ctx.nextYearLabel} we commit to one thing. It has a due date, a measure that will show whether we kept it, and a team that owns it. We will report on it in next year’s letter.`
      : `For ${ctx.nextYearLabel} we commit to ${numberWord(list.length)} things. Each has a due date, a measure that will show whether we kept it, and a team that owns it. We will report on every one of them in next year’s letter.`;
  // Summarised, only the first LETTER_CONSEQUENTIAL_LIMIT by due date are shown (capped), so only
  // they are put in order: firstInOrder keeps a stable sort's first k, ties included.
  const compare = (a: NextYearCommitment, b: NextYearCommitment) =>
    compareText(a.dueDate, b.dueDate) ||
    compareText(a.teamName, b.teamName) ||
    compareText(a.statement, b.statement) ||
    compareText(describeMeasure(a.measure), describeMeasure(b.measure)) ||
    compareText(a.ownerName ?? "", b.ownerName ?? "") ||
    compareText(a.audience, b.audience) ||
    compareNumbers(a.lintScore, b.lintScore);
  const { more } = capped(ctx, list);
  const shown = more > 0 ? firstInOrder(list, list.length - more, compare) : list.sort(compare);
  const items = shown.map((c) => {
    const parts = [
      `- ${quote(c.statement)}`,
      `Due ${formatLetterDate(c.dueDate)}.`,
      `Measure: ${withStop(escapeMarkdown(describeMeasure(c.measure)))}`,
      `Owned by ${teamPhrase(c.teamName, c.ownerName, input.audience)}.`,
    ];
    if (input.audience === "internal") {
      parts.push(audienceNote(c.audience), `Falsifiability score ${formatNumber(c.lintScore)}/100.`);
    }
    return parts.join(" ");
  });
  const rest =
    more > 0
      ? `\n\nThose are the first ${numberWord(shown.length)} by due date; the other ${numberWord(more)} are on ${input.audience === "public" ? `our [public ledger](</ledger?year=${input.fiscalYear + 1}>)` : "Kept’s list of commitments"} for ${ctx.nextYearLabel}.`
      : "";
  return `${intro}\n\n${items.join("\n")}${rest}`;
}

function signature(ctx: Context): string {
  const { organisation, audience } = ctx.input;
  const org = escapeMarkdown(organisation.name);
  const name = organisation.signatoryName.trim();
  const title = organisation.signatoryTitle.trim();
  const lines: string[] = [];
  if (audience === "public") lines.push("Thank you for holding us to our word.", "");
  if (name === "") {
    lines.push(`On behalf of ${org}`);
  } else {
    // A backslash at the end of a line is a hard line break in CommonMark.
    lines.push(`${escapeMarkdown(name)}\\`, title === "" ? org : `${escapeMarkdown(title)}, ${org}`);
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Composition

// The letter never uses "past due" figures, which are the only part of summarize() that
// depends on today's date; a fixed day keeps the summary independent of when it is generated.
export const SUMMARY_TODAY = "0001-01-01";

/** Composes the draft letter. Same input, byte-identical output. */
export function composeLetter(input: LetterInput): ComposedLetter {
  const commitments = sortedCommitments(input.commitments.filter((c) => inScope(c, input.audience)).map(prepare));
  const summary = summarize(commitments, { today: SUMMARY_TODAY });
  return composeFrom(input, commitments, summary, isSummarisedYear(commitments.length) ? summarisedYearOf(commitments, summary) : null, commitments.length);
}

/**
 * A summarised year's letter from its counts (ADR 0059): composeLetter's bytes when `summary` and
 * `year` are what summarize and summarisedYearOf give for the year's commitments in scope, `made`
 * of them. Without the year's commitments it names none it does not print, so it has no
 * mentionedIds.
 */
export function composeSummarisedLetter(input: Omit<LetterInput, "commitments">, made: number, summary: Summary, year: SummarisedYear): Omit<ComposedLetter, "mentionedIds"> {
  if (!isSummarisedYear(made)) throw new Error(`A year of ${made} commitments is not summarised.`);
  const { mentionedIds: _, ...letter } = composeFrom({ ...input, commitments: [] }, [], summary, year, made);
  return letter;
}

/**
 * Kept's scorecard chart for the year, exactly as composeLetter draws it, without composing
 * the rest of the letter: showing or publishing a body needs only the chart, and composing a
 * large year again for it cost as much as generating the draft.
 */
export function scorecardChart(input: LetterInput): string | null {
  const summary = summarize(input.commitments.filter((c) => inScope(c, input.audience)).map(prepare), { today: SUMMARY_TODAY });
  return chartOf(yearRows(input, escapeMarkdown(input.generatedFor), summary), input, escapeMarkdown(input.generatedFor));
}

function composeFrom(input: LetterInput, commitments: LetterCommitment[], summary: Summary, year: SummarisedYear | null, made: number): ComposedLetter {
  const mentioned = new Set<string>();
  const ctx: Context = {
    chart: null,
    input,
    commitments,
    summary,
    yearLabel: escapeMarkdown(input.generatedFor),
    nextYearLabel: `FY${input.fiscalYear + 1}`,
    mention: (id) => {
      mentioned.add(id);
    },
    summarised: isSummarisedYear(made),
    made,
    year,
  };

  const title = input.audience === "public" ? `Annual letter ${input.generatedFor}` : `Annual letter ${input.generatedFor} (internal)`;
  const sections: LetterSection[] = [
    { id: "masthead", heading: title, markdown: masthead(ctx) },
    { id: "scorecard", heading: "Scorecard", markdown: scorecard(ctx) },
    { id: "said", heading: "What we said we would do", markdown: said(ctx) },
    { id: "delivered", heading: "What we delivered", markdown: delivered(ctx) },
    { id: "not-delivered", heading: "What we did not deliver, and why", markdown: notDelivered(ctx) },
    { id: "changed", heading: "What changed along the way", markdown: changed(ctx) },
    { id: "forecast", heading: "How well we forecast", markdown: forecast(ctx) },
    { id: "still-open", heading: "Still open from earlier years", markdown: stillOpen(ctx) },
    { id: "next-year", heading: "What we commit to next year", markdown: nextYear(ctx) },
    { id: "signature", heading: "Signature", markdown: signature(ctx) },
  ];

  const blocks = sections.map((s) => {
    if (s.id === "masthead") return `# ${escapeMarkdown(s.heading)}\n\n${s.markdown}`;
    if (s.id === "signature") return s.markdown;
    return `## ${s.heading}\n\n${s.markdown}`;
  });
  return { title, sections, markdown: `${blocks.join("\n\n")}\n`, mentionedIds: [...mentioned], chart: ctx.chart };
}
