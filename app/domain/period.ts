// Fiscal periods (year, halves, quarters) are pure calendar arithmetic over the organisation's
// fiscal-year start month and time zone, so they never need to be stored as rows.
//
// Calendar dates are ISO 'YYYY-MM-DD' strings (see types.ts). Internally they are handled as
// midnight-UTC TZDates: UTC has no DST, so month and day arithmetic on them can never be
// skewed by the time zone of whatever machine runs this code. Only the instant helpers
// (localDate, periodStartInstant, periodEndInstant, startOfLocalDay) look at cal.timeZone.

import { TZDate, tz } from "@date-fns/tz";
import { addDays, format, isValid, parse } from "date-fns";

export type PeriodKind = "year" | "half" | "quarter";
export const PERIOD_KINDS = ["year", "half", "quarter"] as const satisfies readonly PeriodKind[];

export interface Period {
  kind: PeriodKind;
  /** Named by the calendar year the fiscal year ends in. */
  fiscalYear: number;
  /** 1 for a year; 1–2 for halves; 1–4 for quarters. */
  index: number;
  /** Normalised, e.g. "FY2026", "FY2026-H1", "FY2026-Q3". */
  label: string;
  /** First day, inclusive. */
  start: string;
  /** Last day, inclusive. */
  end: string;
}

export interface FiscalCalendar {
  /** 1–12: the calendar month the fiscal year starts in. */
  startMonth: number;
  /** IANA time zone the organisation's calendar days are reckoned in. */
  timeZone: string;
}

export interface PeriodRef {
  kind: PeriodKind;
  fiscalYear: number;
  index: number;
}

// Bounded so that every Period has a four-digit label and survives a label round trip.
export const MIN_FISCAL_YEAR = 1970;
export const MAX_FISCAL_YEAR = 9999;

const MONTHS_IN: Record<PeriodKind, number> = { year: 12, half: 6, quarter: 3 };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LABEL = /^FY(\d{4})(?:-([HQ])(\d))?$/i;
/** Every label parsePeriodLabel accepts in its canonical spelling, for the API document. */
export const PERIOD_LABEL_PATTERN = "^FY(19[7-9][0-9]|[2-9][0-9]{3})(-(H[12]|Q[1-4]))?$";
const UTC = "UTC";
const ISO_FORMAT = "yyyy-MM-dd";

/** How many periods of this kind make up one fiscal year. */
export function periodsPerYear(kind: PeriodKind): number {
  return 12 / MONTHS_IN[kind];
}

export function formatPeriodLabel(kind: PeriodKind, fiscalYear: number, index: number): string {
  switch (kind) {
    case "year":
      return `FY${fiscalYear}`;
    case "half":
      return `FY${fiscalYear}-H${index}`;
    case "quarter":
      return `FY${fiscalYear}-Q${index}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Calendar dates

// The regex comes first because date-fns `parse` is lenient about digit counts ("2025-1-5").
// A TZDate reference keeps the result in UTC, and `parse` (unlike the Date constructor) does
// not remap years 0–99 to the 1900s.
function parseDay(s: string): TZDate | null {
  if (!ISO_DATE.test(s)) return null;
  const day = parse(s, ISO_FORMAT, new TZDate(0, UTC));
  return isValid(day) ? day : null;
}

/**
 * Year, month (1–12) and day of a valid YYYY-MM-DD, or null: plain arithmetic, for the period
 * functions every page calls (date-fns' parse and TZDate cost a time-zone lookup per call).
 */
function isoParts(s: string): [number, number, number] | null {
  const match = typeof s === "string" ? ISO_DATE.exec(s) : null;
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return [year, month, day];
}

function requireParts(s: string): [number, number, number] {
  const parts = isoParts(s);
  if (!parts) throw new RangeError(`Not a valid ISO calendar date: ${JSON.stringify(s)}`);
  return parts;
}

/** Proleptic Gregorian, as date-fns reckons. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isoDay(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function requireDay(s: string): TZDate {
  const day = parseDay(s);
  if (!day) throw new RangeError(`Not a valid ISO calendar date: ${JSON.stringify(s)}`);
  return day;
}

function formatDay(day: Date): string {
  return format(day, ISO_FORMAT);
}

/** True only for a real calendar date written exactly as YYYY-MM-DD. */
export function isValidIsoDate(s: string): boolean {
  return typeof s === "string" && parseDay(s) !== null;
}

/**
 * Negative, zero or positive, for sorting. Fixed-width ISO dates order lexicographically, so
 * only the shape is checked: full validation would make sorting large lists needlessly slow.
 */
export function compareIsoDates(a: string, b: string): number {
  if (!ISO_DATE.test(a) || !ISO_DATE.test(b)) {
    throw new RangeError(`Not ISO calendar dates: ${JSON.stringify(a)}, ${JSON.stringify(b)}`);
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** b − a in whole calendar days (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  // Plain arithmetic, not date-fns' parse with a time zone: the hourly reminder sweep asks this
  // twice for every open commitment, and at 200,000 commitments the parses held the server's
  // thread for half a minute. Same answer (a property test holds it to differenceInCalendarDays).
  return dayNumber(requireParts(b)) - dayNumber(requireParts(a));
}

/** Days since 1970-01-01 of a proleptic Gregorian date (years 0–99 included, unlike Date.UTC). */
function dayNumber([year, month, day]: [number, number, number]): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.round(date.getTime() / 86_400_000);
}

/** The calendar date `days` days after (or before, if negative) `date`. */
export function addDaysToIsoDate(date: string, days: number): string {
  return formatDay(addDays(requireDay(date), days));
}

// ---------------------------------------------------------------------------------------------
// Time zones and instants

/**
 * True for a time-zone name the runtime's Intl knows. Names must start with a letter: newer
 * runtimes also accept raw UTC offsets such as "+05:00", which ignore DST and would make a
 * stored setting valid on one Node version and invalid on another.
 */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== "string" || !/^[A-Za-z]/.test(timeZone)) return false;
  if (KNOWN_TIME_ZONES.has(timeZone)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
  } catch {
    return false;
  }
  KNOWN_TIME_ZONES.add(timeZone);
  return true;
}

/**
 * Zones already found valid: building an Intl.DateTimeFormat to ask costs more than the
 * conversion it guards, and localDate runs on every page. Only valid names are kept, so the
 * set is bounded by the runtime's zone database, whatever input arrives.
 */
const KNOWN_TIME_ZONES = new Set<string>();

function requireTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) {
    throw new RangeError(`Not a valid IANA time zone: ${JSON.stringify(timeZone)}`);
  }
}

/**
 * One formatter per zone, built on first use: date-fns' `format` with a time zone looks the zone
 * up on every call, and the reminder sweep asks for a local date per open commitment. Only zones
 * found valid get one, so the map is bounded by the runtime's zone database.
 */
const LOCAL_DAY_FORMATS = new Map<string, Intl.DateTimeFormat>();

function localDayFormat(timeZone: string): Intl.DateTimeFormat {
  let formatter = LOCAL_DAY_FORMATS.get(timeZone);
  if (!formatter) {
    requireTimeZone(timeZone);
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, calendar: "gregory", numberingSystem: "latn", era: "short", year: "numeric", month: "numeric", day: "numeric" });
    LOCAL_DAY_FORMATS.set(timeZone, formatter);
  }
  return formatter;
}

/** The calendar date (YYYY-MM-DD) that `instant` falls on in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError("Invalid Date");
  let year = 0;
  let month = 0;
  let day = 0;
  let bc = false;
  for (const part of localDayFormat(timeZone).formatToParts(instant)) {
    if (part.type === "year") year = Number(part.value);
    else if (part.type === "month") month = Number(part.value);
    else if (part.type === "day") day = Number(part.value);
    else if (part.type === "era") bc = part.value === "BC";
  }
  // Outside what Kept stores (before year 1): the same answer by the slower road.
  if (bc) return format(instant, ISO_FORMAT, { in: tz(timeZone) });
  return isoDay(year, month, day);
}

/**
 * The first instant of calendar day `date` in `timeZone`. Where DST starts at midnight (e.g.
 * America/Santiago) local midnight does not exist; TZDate then moves forward to the first
 * wall-clock time that does, which is exactly when that day begins.
 */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const day = requireDay(date);
  requireTimeZone(timeZone);
  const year = day.getFullYear();
  const local = new TZDate(year, day.getMonth(), day.getDate(), timeZone);
  // Like Date, the constructor reads years 0–99 as 1900–1999.
  if (year < 100) local.setFullYear(year, day.getMonth(), day.getDate());
  return new Date(local.getTime());
}

/** The instant the period begins: local midnight of `start` in cal.timeZone. */
export function periodStartInstant(p: Period, cal: FiscalCalendar): Date {
  return startOfLocalDay(p.start, cal.timeZone);
}

/** The exclusive end: local midnight of the day after `end` in cal.timeZone. */
export function periodEndInstant(p: Period, cal: FiscalCalendar): Date {
  return startOfLocalDay(addDaysToIsoDate(p.end, 1), cal.timeZone);
}

// ---------------------------------------------------------------------------------------------
// Periods

function requireStartMonth(cal: FiscalCalendar): number {
  const m = cal.startMonth;
  if (!Number.isInteger(m) || m < 1 || m > 12) {
    throw new RangeError(`Fiscal-year start month must be an integer 1–12, got ${m}`);
  }
  return m;
}

/** Strict label parser for user input; the result is normalised (case does not survive). */
export function parsePeriodLabel(label: string): PeriodRef | null {
  if (typeof label !== "string") return null;
  const match = LABEL.exec(label);
  if (!match) return null;
  const [, yearText, letter, indexText] = match;
  const fiscalYear = Number(yearText);
  if (fiscalYear < MIN_FISCAL_YEAR || fiscalYear > MAX_FISCAL_YEAR) return null;
  if (letter === undefined) return { kind: "year", fiscalYear, index: 1 };
  const kind: PeriodKind = letter.toUpperCase() === "H" ? "half" : "quarter";
  const index = Number(indexText);
  if (index < 1 || index > periodsPerYear(kind)) return null;
  return { kind, fiscalYear, index };
}

/**
 * Builds a period. Throws RangeError for an impossible kind, index, fiscal year or start
 * month: callers get these from parsePeriodLabel or period arithmetic, so a bad value here
 * is a bug rather than user input.
 */
export function periodOf(
  kind: PeriodKind,
  fiscalYear: number,
  index: number,
  cal: FiscalCalendar
): Period {
  const startMonth = requireStartMonth(cal);
  if (!Object.hasOwn(MONTHS_IN, kind)) throw new RangeError(`Unknown period kind: ${kind}`);
  if (
    !Number.isInteger(fiscalYear) ||
    fiscalYear < MIN_FISCAL_YEAR ||
    fiscalYear > MAX_FISCAL_YEAR
  ) {
    throw new RangeError(
      `Fiscal year must be an integer ${MIN_FISCAL_YEAR}–${MAX_FISCAL_YEAR}, got ${fiscalYear}`
    );
  }
  if (!Number.isInteger(index) || index < 1 || index > periodsPerYear(kind)) {
    throw new RangeError(`No ${kind} ${index} in a fiscal year`);
  }

  // A fiscal year is named after the calendar year it ends in, so unless it is the calendar
  // year it began the year before. Months are counted from January of that year (0-based):
  // a period runs from the first day of its first month to the last day of its last.
  const startYear = startMonth === 1 ? fiscalYear : fiscalYear - 1;
  const months = MONTHS_IN[kind];
  const first = startMonth - 1 + months * (index - 1);
  const last = first + months - 1;
  const lastYear = startYear + Math.floor(last / 12);
  const lastMonth = (last % 12) + 1;
  return {
    kind,
    fiscalYear,
    index,
    label: formatPeriodLabel(kind, fiscalYear, index),
    start: isoDay(startYear + Math.floor(first / 12), (first % 12) + 1, 1),
    end: isoDay(lastYear, lastMonth, daysInMonth(lastYear, lastMonth)),
  };
}

/**
 * The label of a commitment's current period when a re-scope moved it out of `fiscalYear`, the
 * year of its period of record; null when it is still in that year.
 */
export function movedOutOfYear(periodLabel: string, fiscalYear: number): string | null {
  const ref = parsePeriodLabel(periodLabel);
  return ref && ref.fiscalYear !== fiscalYear ? periodLabel : null;
}

/** The period a label names under this calendar, or null if the label is not valid. */
export function periodFromLabel(label: string, cal: FiscalCalendar): Period | null {
  const ref = parsePeriodLabel(label);
  return ref ? periodOf(ref.kind, ref.fiscalYear, ref.index, cal) : null;
}

/** The fiscal year a calendar date belongs to (may fall outside the labelable range). */
export function fiscalYearOf(date: string, cal: FiscalCalendar): number {
  const startMonth = requireStartMonth(cal);
  const [year, month] = requireParts(date);
  if (startMonth === 1) return year;
  return month >= startMonth ? year + 1 : year;
}

/**
 * The period of `kind` containing `date`. A Date is an instant and is first turned into the
 * organisation's local calendar date; a string already is one. Throws RangeError for an
 * invalid date or one whose fiscal year is outside MIN_FISCAL_YEAR..MAX_FISCAL_YEAR.
 */
export function periodContaining(
  date: string | Date,
  kind: PeriodKind,
  cal: FiscalCalendar
): Period {
  const iso = typeof date === "string" ? date : localDate(date, cal.timeZone);
  const startMonth = requireStartMonth(cal);
  const [, month] = requireParts(iso);
  const monthsIntoYear = (month - startMonth + 12) % 12;
  const index = Math.floor(monthsIntoYear / MONTHS_IN[kind]) + 1;
  return periodOf(kind, fiscalYearOf(iso, cal), index, cal);
}

/** The following period of the same kind, rolling into the next fiscal year after the last. */
export function nextPeriod(p: Period, cal: FiscalCalendar): Period {
  return p.index < periodsPerYear(p.kind)
    ? periodOf(p.kind, p.fiscalYear, p.index + 1, cal)
    : periodOf(p.kind, p.fiscalYear + 1, 1, cal);
}

/** The preceding period of the same kind, rolling back into the previous fiscal year. */
export function previousPeriod(p: Period, cal: FiscalCalendar): Period {
  return p.index > 1
    ? periodOf(p.kind, p.fiscalYear, p.index - 1, cal)
    : periodOf(p.kind, p.fiscalYear - 1, periodsPerYear(p.kind), cal);
}

/** Whether calendar date `date` lies within the period; an invalid date lies in none. */
export function containsDate(p: Period, date: string): boolean {
  return isValidIsoDate(date) && p.start <= date && date <= p.end;
}

/**
 * The periods under way on `date` (a calendar date in the organisation's zone): the fiscal
 * year, the half and the quarter that contain it, in that order.
 */
export function periodsUnderWay(date: string, cal: FiscalCalendar): Period[] {
  return PERIOD_KINDS.map((kind) => periodContaining(date, kind, cal));
}

/** The fiscal year, then its halves, then its quarters. */
export function periodsOfFiscalYear(fiscalYear: number, cal: FiscalCalendar): Period[] {
  return [
    periodOf("year", fiscalYear, 1, cal),
    periodOf("half", fiscalYear, 1, cal),
    periodOf("half", fiscalYear, 2, cal),
    periodOf("quarter", fiscalYear, 1, cal),
    periodOf("quarter", fiscalYear, 2, cal),
    periodOf("quarter", fiscalYear, 3, cal),
    periodOf("quarter", fiscalYear, 4, cal),
  ];
}

/**
 * Labels of `p` and every period inside it: a year holds its halves and quarters, a half its
 * two quarters, a quarter only itself. A retrospective of `p` covers commitments of these.
 */
export function labelsWithin(p: Pick<Period, "kind" | "fiscalYear" | "index" | "label">): string[] {
  const fy = p.fiscalYear;
  if (p.kind === "year") return [p.label, `FY${fy}-H1`, `FY${fy}-H2`, `FY${fy}-Q1`, `FY${fy}-Q2`, `FY${fy}-Q3`, `FY${fy}-Q4`];
  if (p.kind === "half") return [p.label, `FY${fy}-Q${p.index * 2 - 1}`, `FY${fy}-Q${p.index * 2}`];
  return [p.label];
}

/** Last, this and next fiscal year: every year, half and quarter label. */
export function periodChoices(calendar: FiscalCalendar, today: string): string[] {
  const fy = fiscalYearOf(today, calendar);
  // Labels only: the order of periodsOfFiscalYear, without working out any period's dates.
  return [fy - 1, fy, fy + 1].flatMap((y) => labelsWithin({ kind: "year", fiscalYear: y, index: 1, label: formatPeriodLabel("year", y, 1) }));
}
