// What publishing a letter checks and freezes: the rules that make a published letter the
// whole truth of the record (PRODUCT.md, "Letter"). Pure: the service gathers the data,
// hashes and stores; this module decides.
import { describeMeasure, formatNumber } from "./commitment";
import {
  DEFAULT_COLLATOR,
  EN_GB_COLLATOR,
  escapeMarkdown,
  formatLetterDate,
  inScope,
  isSummarisedYear,
  ledgerFilePath,
  movedToNote,
  movedToText,
  originalStatement,
  shortfallsToQuote,
  type LetterCommitment,
  type NextYearCommitment,
} from "./letter";
import { findWholePhrases, type PhraseSearchStats } from "./phrase-search";

import { lateness } from "./outcome-rules";
import { OUTCOME_LABEL, type Audience, type OutcomeStatus } from "./types";

/** The permanent address of a letter: the public one by year, the internal one beside it. */
export function letterPath(fiscalYear: number, audience: Audience): string {
  return audience === "public" ? `/letters/${fiscalYear}` : `/letters/${fiscalYear}/internal`;
}

/** The heading of the generator's section that lists every commitment as it was made. */
export const SAID_HEADING = "What we said we would do";

// ---------------------------------------------------------------------------------------------
// Mentions: decided on what a reader sees (docs/decisions/0008-what-a-letter-mentions.md)

/** Headings of the sections Kept appends after the body; a body may not use them. */
export const LEDGER_APPENDIX_HEADING = "Ledger appendix";
export const RATING_METHOD_HEADING = "How we rate outcomes";
export const ERRATA_HEADING = "Errata";
export const RECORD_CHECKPOINT_HEADING = "Record checkpoint";
export const RESERVED_HEADINGS: readonly string[] = [LEDGER_APPENDIX_HEADING, RATING_METHOD_HEADING, ERRATA_HEADING, RECORD_CHECKPOINT_HEADING];

/**
 * A letter body as its readers meet it, worked out by app/utils/letter-reading.server.ts:
 * the visible text by section (h1/h2) for each way the body is displayed, every heading, and
 * whatever the body leaves open or may not contain.
 */
export interface LetterBodyReading {
  renderings: ReadonlyArray<ReadonlyArray<{ heading: string | null; text: string }>>;
  headings: readonly string[];
  open: ReadonlyArray<{ kind: "fence" | "comment" | "html_block" | "html_element" | "block"; line: number | null; detail: string }>;
  forbiddenMarkup: readonly string[];
}

/**
 * Text as a reader takes it in, for matching: compatibility forms folded (NFKC), characters
 * that render as nothing (zero-width spaces and joiners, soft hyphens, the BOM) removed, curly
 * quotes straightened, whitespace (non-breaking included) collapsed, case folded.
 */
export function normaliseForMatch(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u00AD\u200B-\u200D\u2060\uFEFF]/g, "")
    .replace(/[“”„]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/\s+/g, " ")
    .trim()
    .toLocaleLowerCase("en-GB");
}

/**
 * For each rendering, the visible text outside the "What we said we would do" section: that
 * section quotes every commitment as it was made, so a mention there says nothing about what
 * happened to it.
 */
export function visibleTextOutsideSaid(reading: LetterBodyReading): string[] {
  const said = normaliseForMatch(SAID_HEADING);
  return reading.renderings.map((sections) =>
    normaliseForMatch(
      sections
        .filter((s) => s.heading === null || normaliseForMatch(s.heading) !== said)
        .map((s) => `${s.heading ?? ""}\n¶\n${s.text}`)
        .join("\n¶\n"),
    ),
  );
}

function headingKey(text: string): string {
  // "2. Ledger appendix:", "LEDGER APPENDIX" and "Ledger  appendix" are all the same heading.
  return normaliseForMatch(text)
    .replace(/^[\p{N}\p{P}\s]+/u, "")
    .replace(/[\p{P}\s]+$/u, "");
}

function openMessage(o: LetterBodyReading["open"][number]): string {
  const at = o.line === null ? "" : ` on line ${o.line}`;
  switch (o.kind) {
    case "fence":
      return `The body opens a code block (${o.detail})${at} and never closes it, so everything Kept adds after the body, the ledger appendix included, would show as code. Close it with ${o.detail} on a line of its own.`;
    case "comment":
      return `The body opens an HTML comment (<!--)${at} and never ends it (-->), so everything after it, the ledger appendix included, would be hidden. End the comment or remove it.`;
    case "html_block":
      return `The HTML block <${o.detail}>${at} runs on to the end of the body, so the ledger appendix Kept adds after it would be read as part of it. End the block (close the element and leave a blank line after it).`;
    case "html_element":
      return `The body opens <${o.detail}>${at} and never closes it, so the ledger appendix Kept adds after the body would end up inside it. Close it with </${o.detail}>.`;
    case "block":
      return "The end of the body runs on into what Kept adds after it, so the ledger appendix would not stand on its own. End the body with a complete paragraph.";
  }
}

/**
 * Which of the commitments are mentioned in every one of the texts. A commitment counts as
 * mentioned when its words (as now, or as first made) appear as a whole: "Launch in Germany" is
 * not mentioned by "Launch in Germany and Austria". One pass over each text finds every
 * commitment's words at once (app/domain/phrase-search.ts), so the check grows with the text
 * plus the statements, not their product.
 */
export function mentionedInEvery(texts: readonly string[], commitments: readonly LetterCommitment[], stats?: PhraseSearchStats): Set<string> {
  const phrases: string[] = [];
  const owner: number[] = [];
  commitments.forEach((c, i) => {
    for (const phrase of new Set([c.statement, originalStatement(c)].map(normaliseForMatch))) {
      if (phrase === "") continue;
      phrases.push(phrase);
      owner.push(i);
    }
  });
  if (texts.length === 0) return new Set();
  // How many of the texts show each commitment: mentioned when all of them do.
  const shownIn = new Array<number>(commitments.length).fill(0);
  for (const text of texts) {
    const here = new Set<number>();
    for (const p of findWholePhrases(text, phrases, stats)) here.add(owner[p] as number);
    for (const i of here) shownIn[i] = (shownIn[i] ?? 0) + 1;
  }
  return new Set(commitments.filter((_, i) => shownIn[i] === texts.length).map((c) => c.id));
}

export type PublishProblem =
  | { code: "BODY_LEFT_OPEN"; line: number | null; message: string }
  | { code: "BODY_FORBIDDEN_MARKUP"; tag: string; message: string }
  | { code: "BODY_RESERVED_HEADING"; heading: string; message: string }
  | { code: "APPENDIX_NOT_RENDERED"; message: string }
  | { code: "SHORTFALL_NOT_MENTIONED"; commitmentId: string; statement: string; status: OutcomeStatus; message: string }
  | { code: "NEXT_YEAR_BELOW_MINIMUM"; statement: string; lintScore: number; minimum: number; message: string }
  | { code: "EMPTY_BODY"; message: string };

/**
 * Everything that stops a letter from being published, in reading order: the body must be
 * closed (nothing open that would swallow Kept's appendix), carry no SVG or restyling markup,
 * leave Kept's own headings to Kept, say in visible text what became of every missed,
 * partially delivered and withdrawn commitment in scope (outside the list of what was
 * promised), and next year's public commitments must meet the falsifiability minimum.
 */
export function publishProblems(input: {
  body: string;
  reading: LetterBodyReading;
  audience: Audience;
  commitments: readonly LetterCommitment[];
  nextYearCommitments: readonly NextYearCommitment[];
  minPublicScore: number;
  /** Filled with the work the quotation search did, for tests that pin its complexity. */
  stats?: PhraseSearchStats;
}): PublishProblem[] {
  const problems: PublishProblem[] = [];
  if (input.body.trim() === "") problems.push({ code: "EMPTY_BODY", message: "The letter has no body." });
  for (const o of input.reading.open) problems.push({ code: "BODY_LEFT_OPEN", line: o.line, message: openMessage(o) });
  for (const tag of input.reading.forbiddenMarkup) {
    problems.push({
      code: "BODY_FORBIDDEN_MARKUP",
      tag,
      message:
        tag === "svg"
          ? "The body contains SVG (<svg>). Kept draws the letter’s chart itself; a body may not carry its own, since text inside SVG can be hidden from readers. Remove it."
          : `The body contains <${tag}>, which can hide or change the text readers see. Remove it.`,
    });
  }
  const reserved = new Map(RESERVED_HEADINGS.map((h) => [headingKey(h), h]));
  const seen = new Set<string>();
  for (const heading of input.reading.headings) {
    const name = reserved.get(headingKey(heading));
    if (!name || seen.has(name)) continue;
    seen.add(name);
    problems.push({
      code: "BODY_RESERVED_HEADING",
      heading: name,
      message: `“${name}” is a section Kept adds after the body, so the body may not have a heading of that name. Rename or remove it.`,
    });
  }
  const texts = visibleTextOutsideSaid(input.reading);
  // Every shortfall in a year Kept lists in full; in a summarised year the most consequential,
  // while Kept's appendix counts the rest and the ledger file lists them (shortfallsToQuote).
  const shortfalls = shortfallsToQuote(input.commitments, input.audience).sort(
    (a, b) => EN_GB_COLLATOR.compare(a.statement, b.statement) || (a.id < b.id ? -1 : 1),
  );
  // Mentioned only when every way the body is displayed shows it.
  const mentioned = mentionedInEvery(texts, shortfalls, input.stats);
  for (const c of shortfalls) {
    if (mentioned.has(c.id)) continue;
    const status = c.outcome?.status as OutcomeStatus;
    problems.push({
      code: "SHORTFALL_NOT_MENTIONED",
      commitmentId: c.id,
      statement: c.statement,
      status,
      message: `“${c.statement}” was ${OUTCOME_LABEL[status].toLowerCase()}, but the letter does not say so where readers can see it: quote it in the text where you explain what happened (not in a link title, image text, comment, code block, struck-through or hidden text).`,
    });
  }
  const nextYear = input.nextYearCommitments
    .filter((c) => c.audience === "public" && c.lintScore < input.minPublicScore)
    .sort((a, b) => EN_GB_COLLATOR.compare(a.statement, b.statement));
  for (const c of nextYear) {
    problems.push({
      code: "NEXT_YEAR_BELOW_MINIMUM",
      statement: c.statement,
      lintScore: c.lintScore,
      minimum: input.minPublicScore,
      message: `Next year’s public commitment “${c.statement}” scores ${c.lintScore}, below the minimum of ${input.minPublicScore}: make it falsifiable before publishing.`,
    });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The ledger appendix

export interface LedgerEntry {
  id: string;
  statement: string;
  teamName: string;
  periodLabel: string;
  dueDate: string;
  audience: Audience;
  status: OutcomeStatus | "open";
  resolvedAt: string | null;
  daysLate: number;
  measure: string;
  actualValue: number | null;
  evidenceUrl: string | null;
  attempt: number;
  rescoped: boolean;
  /**
   * The later period a re-scope moved it to, outside this year; it still counts as made in this
   * year (its period of record). Absent in ledgers frozen before this was recorded.
   */
  movedTo?: string | null;
}

/** The ledger's order: team, due date, statement, then id, so the order is total. */
export function compareLedgerEntries(a: LedgerEntry, b: LedgerEntry): number {
  return (
    EN_GB_COLLATOR.compare(a.teamName, b.teamName) ||
    DEFAULT_COLLATOR.compare(a.dueDate, b.dueDate) ||
    EN_GB_COLLATOR.compare(a.statement, b.statement) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Ranks of the distinct values in a collator's order: equal exactly when the collator finds them equal. */
function collationRanks(values: readonly string[], collator: Intl.Collator): Map<string, number> {
  const distinct = [...new Set(values)].sort(collator.compare);
  const ranks = new Map<string, number>();
  let rank = 0;
  distinct.forEach((value, i) => {
    if (i > 0 && collator.compare(distinct[i - 1] as string, value) !== 0) rank++;
    ranks.set(value, rank);
  });
  return ranks;
}

/**
 * Every commitment in scope with its outcome, in compareLedgerEntries' order. The few hundred
 * team names and days are ranked once rather than collated on each of a 25,000-entry year's
 * n·log n comparisons (ADR 0045); the order is the same.
 */
export function ledgerEntries(commitments: readonly LetterCommitment[], audience: Audience): LedgerEntry[] {
  return inLedgerOrder(unorderedLedgerEntries(commitments, audience));
}

/** ledgerEntries before they are put in order: the commitments' order, so a caller can make them a slice at a time. */
export function unorderedLedgerEntries(commitments: readonly LetterCommitment[], audience: Audience): LedgerEntry[] {
  return commitments
    .filter((c) => inScope(c, audience))
    .map((c) => ({
      id: c.id,
      statement: c.statement,
      teamName: c.team.name,
      periodLabel: c.periodLabel,
      dueDate: c.dueDate,
      audience: c.audience,
      status: c.outcome?.status ?? ("open" as const),
      resolvedAt: c.outcome ? c.outcome.resolvedAt.slice(0, 10) : null,
      daysLate: c.outcome ? lateness(c.dueDate, c.outcome.resolvedAt).daysLate : 0,
      measure: describeMeasure(c.measure),
      actualValue: c.outcome?.actualValue ?? null,
      evidenceUrl: c.outcome?.evidenceUrl ?? null,
      attempt: c.attempt,
      rescoped: c.revisions.some((r) => r.kind === "rescope"),
      movedTo: c.movedTo ?? null,
    }));
}

/** Ledger entries in compareLedgerEntries' order (a new array). */
export function inLedgerOrder(entries: readonly LedgerEntry[]): LedgerEntry[] {
  const teams = collationRanks(entries.map((e) => e.teamName), EN_GB_COLLATOR);
  const days = collationRanks(entries.map((e) => e.dueDate), DEFAULT_COLLATOR);
  const keyed = entries.map((e) => ({ e, team: teams.get(e.teamName) as number, day: days.get(e.dueDate) as number }));
  keyed.sort(
    (a, b) =>
      a.team - b.team ||
      a.day - b.day ||
      EN_GB_COLLATOR.compare(a.e.statement, b.e.statement) ||
      (a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0),
  );
  return keyed.map((k) => k.e);
}

export const STATUS_LABEL: Record<LedgerEntry["status"], string> = { ...OUTCOME_LABEL, open: "No outcome yet" };

/** Whether a status read back from a frozen ledger is one Kept knows. */
export function isLedgerStatus(status: string): status is LedgerEntry["status"] {
  return Object.hasOwn(STATUS_LABEL, status);
}

function cell(text: string): string {
  return escapeMarkdown(text);
}

/** The outcome column: "Missed, 12 days late", "Delivered on 3 March 2026". */
export function ledgerOutcome(e: LedgerEntry): string {
  if (e.status === "open" || e.resolvedAt === null) return e.movedTo ? movedToText(e.movedTo) : STATUS_LABEL.open;
  const late = e.daysLate > 0 ? `, ${formatNumber(e.daysLate)} ${e.daysLate === 1 ? "day" : "days"} late` : "";
  return `${STATUS_LABEL[e.status]} on ${formatLetterDate(e.resolvedAt)}${late}`;
}

/** One stretch of the year during which the falsifiability minimum held one value. */
export interface MinimumSegment {
  /** Local date (YYYY-MM-DD) the value took effect, or null when it held from the year's start. */
  since: string | null;
  score: number;
}

export interface MinimumChange {
  /** Local date of the change. */
  on: string;
  /** Null for the value set when the organisation was created. */
  fromScore: number | null;
  toScore: number;
}

/**
 * The minimum score for public commitments in force during a year, from the change history
 * (oldest first) and today's value. Without any history (an instance older than the history)
 * the current value is all there is to state.
 */
export function minimumsInForce(changes: readonly MinimumChange[], yearStart: string, yearEnd: string, current: number): MinimumSegment[] {
  const sorted = [...changes].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  if (sorted.length === 0) return [{ since: null, score: current }];
  const before = sorted.filter((c) => c.on < yearStart).at(-1);
  const within = sorted.filter((c) => c.on >= yearStart && c.on <= yearEnd);
  const segments: MinimumSegment[] = [];
  if (before) segments.push({ since: null, score: before.toScore });
  else if (within[0] && within[0].fromScore !== null) segments.push({ since: null, score: within[0].fromScore });
  else if (!within[0]) segments.push({ since: null, score: sorted[0]?.fromScore ?? sorted[0]?.toScore ?? current });
  for (const c of within) {
    const last = segments.at(-1);
    if (last && last.score === c.toScore) continue;
    // Two changes on one day: the day's last value is the one in force.
    if (last && last.since === c.on) last.score = c.toScore;
    else segments.push({ since: c.on, score: c.toScore });
  }
  return segments;
}

function minimumSentence(segments: readonly MinimumSegment[], yearLabel: string): string {
  const parts = segments.map((seg, i) => {
    const next = segments[i + 1];
    const from = seg.since ? ` from ${formatLetterDate(seg.since)}` : "";
    const until = next?.since ? ` until ${formatLetterDate(next.since)}` : "";
    return `at least ${formatNumber(seg.score)} out of 100${i === 0 ? (seg.since ? from : "") : from}${i === 0 ? until : ""}`;
  });
  const joined = parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1) ?? ""}`;
  const off = segments.every((s) => s.score === 0);
  return off
    ? `- **Falsifiability minimum**: in ${escapeMarkdown(yearLabel)} we set no minimum falsifiability score for public commitments.`
    : `- **Falsifiability minimum**: in ${escapeMarkdown(yearLabel)} a public commitment could only be made with a falsifiability score of ${joined}. The score reads the statement itself: what will be true, by when, and how much or which observable event, in words a customer can check.`;
}

/**
 * One commitment's row of the appendix table. The integrity check also reads a published
 * letter with it: every entry of the frozen ledger must stand in the Markdown as this row.
 */
export function ledgerAppendixRow(e: LedgerEntry): string {
  const notes = [
    e.attempt > 1 ? `attempt ${formatNumber(e.attempt)}` : null,
    e.movedTo ? escapeMarkdown(movedToNote(e.movedTo)) : e.rescoped ? "re-scoped" : null,
  ].filter(Boolean);
  const statement = `${cell(e.statement)}${notes.length ? ` (${notes.join(", ")})` : ""}`;
  const result = e.actualValue === null ? "—" : formatNumber(e.actualValue);
  return `| ${statement} | ${cell(e.teamName)} | ${formatLetterDate(e.dueDate)} | ${cell(e.measure)} | ${ledgerOutcome(e)} | ${result} |`;
}

// ---------------------------------------------------------------------------------------------
// The ledger file: every commitment a published letter covers, frozen with it

/** The version of the ledger file's format; a change of format gets a new one. */
export const LEDGER_FILE_FORMAT = "kept-ledger/1";

export interface LedgerFileMeta {
  fiscalYear: number;
  audience: Audience;
  count: number;
}

/**
 * The ledger file is JSON, one entry per line, with the keys in this fixed order, so the same
 * frozen ledger always gives the same bytes (and SHA-256), whatever order the database hands
 * the keys back in. A ledger frozen before `movedTo` existed writes it as null.
 */
export function ledgerFileEntry(e: LedgerEntry): string {
  return JSON.stringify({
    id: e.id,
    statement: e.statement,
    teamName: e.teamName,
    periodLabel: e.periodLabel,
    dueDate: e.dueDate,
    audience: e.audience,
    status: e.status,
    resolvedAt: e.resolvedAt,
    daysLate: e.daysLate,
    measure: e.measure,
    actualValue: e.actualValue,
    evidenceUrl: e.evidenceUrl,
    attempt: e.attempt,
    rescoped: e.rescoped,
    movedTo: e.movedTo ?? null,
  });
}

/** The file's first line; then the entries, each on its own line, separated by ",\n"; then LEDGER_FILE_CLOSING. */
export function ledgerFileOpening(meta: LedgerFileMeta): string {
  return `${JSON.stringify({ format: LEDGER_FILE_FORMAT, fiscalYear: meta.fiscalYear, audience: meta.audience, count: meta.count }).slice(0, -1)},"entries":[\n`;
}

export const LEDGER_FILE_CLOSING = "\n]}\n";

/**
 * Entries of the ledger file as they stand in it after the opening line: `afterOthers` when
 * earlier entries precede them. The file is its opening, its entries' sections in order, then
 * LEDGER_FILE_CLOSING, so a caller can hash 25,000 entries a page at a time.
 */
/**
 * What stands between two entries of the ledger file. An entry (JSON.stringify's text) never
 * holds a raw line break, so this splits a section back into its entries (insertLedgerSection).
 */
export const LEDGER_SECTION_SEPARATOR = ",\n";

export function ledgerFileSection(entries: readonly LedgerEntry[], afterOthers: boolean): string {
  return entries.length === 0 ? "" : `${afterOthers ? LEDGER_SECTION_SEPARATOR : ""}${entries.map(ledgerFileEntry).join(LEDGER_SECTION_SEPARATOR)}`;
}

/** The whole ledger file at once (the server streams the same bytes in pages). */
export function ledgerFileJson(meta: Omit<LedgerFileMeta, "count">, entries: readonly LedgerEntry[]): string {
  return `${ledgerFileOpening({ ...meta, count: entries.length })}${ledgerFileSection(entries, false)}${LEDGER_FILE_CLOSING}`;
}

export const LEDGER_CSV_HEADER = ["id", "statement", "team", "period", "due", "audience", "outcome", "resolved", "days late", "measure", "result", "evidence", "attempt", "re-scoped", "moved to"];

export function ledgerCsvRow(e: LedgerEntry): Array<string | number | boolean | null> {
  return [e.id, e.statement, e.teamName, e.periodLabel, e.dueDate, e.audience, STATUS_LABEL[e.status] ?? e.status, e.resolvedAt, e.daysLate, e.measure, e.actualValue, e.evidenceUrl, e.attempt, e.rescoped, e.movedTo ?? null];
}

/** What a summarised letter's appendix states about its ledger file. */
export interface LedgerFileStatement {
  sha256: string;
  count: number;
}

const LEDGER_FILE_SENTENCE = /holds all ([\d,]+) commitments?; its SHA-256 is `([0-9a-f]{64})`/;

/**
 * The ledger file a published letter states, read from Kept's appendix (after the last "Ledger
 * appendix" heading, which the body may not use): null for a letter with the whole ledger in its
 * appendix.
 */
export function statedLedgerFile(markdown: string): LedgerFileStatement | null {
  const at = markdown.lastIndexOf(`\n## ${LEDGER_APPENDIX_HEADING}\n`);
  if (at === -1) return null;
  const m = LEDGER_FILE_SENTENCE.exec(markdown.slice(at));
  return m ? { count: Number((m[1] ?? "").replace(/,/g, "")), sha256: m[2] ?? "" } : null;
}

const APPENDIX_STATUSES: ReadonlyArray<LedgerEntry["status"]> = ["delivered", "partial", "missed", "withdrawn", "open"];

/** How many body rows the appendix's table has: one per entry, or in a summarised year one per outcome plus the total. */
export function appendixTableRows(entries: readonly LedgerEntry[]): number {
  return isSummarisedYear(entries.length) ? APPENDIX_STATUSES.length + 1 : entries.length;
}

/**
 * The appendix and the rating method, as Markdown. In a year too large to list (isSummarisedYear)
 * the appendix counts the outcomes and states the ledger file, with its SHA-256, that holds every
 * entry; the letter's own hash then covers the file's.
 */
export function ledgerAppendixMarkdown(
  entries: readonly LedgerEntry[],
  yearLabel: string,
  audience: Audience,
  minimum: readonly MinimumSegment[],
  ledgerFile?: { fiscalYear: number; sha256: string },
): string {
  const lines: string[] = [];
  lines.push(`## ${LEDGER_APPENDIX_HEADING}`, "");
  if (isSummarisedYear(entries.length)) {
    if (!ledgerFile) throw new Error("A summarised letter's appendix needs its ledger file's SHA-256.");
    const counts = new Map<LedgerEntry["status"], number>();
    for (const e of entries) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
    const json = ledgerFilePath(ledgerFile.fiscalYear, audience, "json");
    const csv = ledgerFilePath(ledgerFile.fiscalYear, audience, "csv");
    lines.push(
      `Every ${audience === "public" ? "customer-facing " : ""}commitment of ${escapeMarkdown(yearLabel)}, with its outcome as recorded when this letter was published, is in the ledger file that comes with this letter: there are too many for a table here.`,
      "",
      `- **Ledger file**: [ledger.json](<${json}>) (also as [CSV](<${csv}>)) holds all ${formatNumber(entries.length)} commitments; its SHA-256 is \`${ledgerFile.sha256}\`. This letter’s own SHA-256 covers that line, so the file cannot change without the letter’s hash changing too.`,
      "",
      "| Outcome | Commitments |",
      "| --- | ---: |",
      ...APPENDIX_STATUSES.map((status) => `| ${STATUS_LABEL[status]} | ${formatNumber(counts.get(status) ?? 0)} |`),
      `| **All** | ${formatNumber(entries.length)} |`,
    );
  } else if (entries.length === 0) {
    lines.push(`We made no ${audience === "public" ? "customer-facing " : ""}commitments in ${escapeMarkdown(yearLabel)}.`);
  } else {
    lines.push(
      `Every ${audience === "public" ? "customer-facing " : ""}commitment of ${escapeMarkdown(yearLabel)}, with its outcome as recorded when this letter was published.`,
      "",
      "| Commitment | Team | Due | Measure | Outcome | Result |",
      "| --- | --- | --- | --- | --- | ---: |",
    );
    for (const e of entries) lines.push(ledgerAppendixRow(e));
  }
  lines.push(
    "",
    `## ${RATING_METHOD_HEADING}`,
    "",
    "- **Delivered**: the measure was met and the evidence is on record.",
    "- **Partially delivered**: part of what we promised shipped; the letter says which part.",
    "- **Missed**: the measure was not met.",
    "- **Withdrawn**: we stopped pursuing the commitment, and say why. Withdrawn commitments still count as made.",
    "- **Late**: resolved after the due date; the number of days is shown.",
    "- The delivery rate is the share of all commitments made, withdrawn ones included, that were delivered in full.",
    "- Re-scoped commitments are shown as revised; the letter shows the original beside the final wording and the reason.",
    minimumSentence(minimum, yearLabel),
    "- A commitment moved to a later year after it was locked stays in the year it was made and counts there.",
  );
  return `${lines.join("\n")}\n`;
}

/** The exact Markdown that is published and hashed: the body, then the appendix. */
export function publishedMarkdown(body: string, appendix: string): string {
  return `${body.replace(/\s+$/, "")}\n\n${appendix}`;
}

// ---------------------------------------------------------------------------------------------
// After a letter: outcomes that changed since it was published

export interface ChangedAfterLetter {
  fiscalYear: number;
  was: LedgerEntry["status"];
  now: LedgerEntry["status"];
  reason: string | null;
}

/**
 * Whether a commitment's outcome now differs from what a published letter's ledger froze, so the
 * ledger never silently contradicts the letter. Null when the letter didn't cover it or it is
 * unchanged.
 */
export function changedAfterLetter(
  letter: { fiscalYear: number; ledger: readonly Pick<LedgerEntry, "id" | "status">[] },
  current: { id: string; status: LedgerEntry["status"] },
  reason: string | null,
): ChangedAfterLetter | null {
  const frozen = letter.ledger.find((e) => e.id === current.id);
  if (!frozen || frozen.status === current.status) return null;
  return { fiscalYear: letter.fiscalYear, was: frozen.status, now: current.status, reason };
}

/** "Changed after the FY2025 letter: was Missed, now Delivered — the reason." */
export function changedAfterLetterText(c: ChangedAfterLetter): string {
  const base = `Changed after the FY${c.fiscalYear} letter: was ${STATUS_LABEL[c.was]}, now ${STATUS_LABEL[c.now]}`;
  return c.reason ? `${base} — ${c.reason}` : base;
}
