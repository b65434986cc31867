// The one way Kept writes a date or a moment for people to read: day, month name and year
// ("29 November 2026"), and for a moment the time in the organisation's time zone with the
// zone's abbreviation ("29 November 2026, 14:05 CET"). A calendar date (a due date, a
// check-in's date) is a day, not an instant: it is written as it is, never shifted by a zone.
// Pure: instants come in as arguments; Intl does the time-zone arithmetic, DST included.

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const dayFormats = new Map<string, Intl.DateTimeFormat>();
const momentFormats = new Map<string, Intl.DateTimeFormat>();

function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone });
    dayFormats.set(timeZone, f);
  }
  return f;
}

function momentFormat(timeZone: string): Intl.DateTimeFormat {
  let f = momentFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      day: "numeric",
      month: "long",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
      timeZone,
    });
    momentFormats.set(timeZone, f);
  }
  return f;
}

/**
 * Days already written, by ISO day: a list page writes the same few due dates many times, and
 * Intl's format is the costly part (1.2% of the list page's CPU under load, ADR 0048). A day's
 * words never change; the map is emptied when it reaches its bound.
 */
const writtenDays = new Map<string, string>();
const WRITTEN_DAYS_MAX = 4096;

/** "2026-05-15" → "15 May 2026". Anything that is not an ISO calendar day is returned as it is. */
export function formatDay(isoDay: string | null | undefined): string {
  if (!isoDay) return "";
  const written = writtenDays.get(isoDay);
  if (written !== undefined) return written;
  const m = ISO_DAY.exec(isoDay);
  if (!m) return isoDay;
  const instant = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(instant.getTime()) || instant.toISOString().slice(0, 10) !== isoDay) return isoDay;
  const words = dayFormat("UTC").format(instant);
  if (writtenDays.size >= WRITTEN_DAYS_MAX) writtenDays.clear();
  writtenDays.set(isoDay, words);
  return words;
}

function toInstant(value: Date | string): Date | null {
  const d = typeof value === "string" ? new Date(value) : value;
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The calendar day an instant falls on in `timeZone`, written like formatDay. */
export function formatDayOf(instant: Date | string, timeZone: string): string {
  const d = toInstant(instant);
  return d ? dayFormat(timeZone).format(d) : "";
}

/** An instant as the organisation reads it: "29 November 2026, 14:05 CET". */
export function formatMoment(instant: Date | string, timeZone: string): string {
  const d = toInstant(instant);
  if (!d) return "";
  const parts = momentFormat(timeZone).formatToParts(d);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("day")} ${get("month")} ${get("year")}, ${get("hour")}:${get("minute")} ${get("timeZoneName")}`;
}

/**
 * A stored date as people read it: a calendar day ("2026-12-15") as it is, an instant
 * ("2026-12-15T23:30:00Z") as the day it falls on in `timeZone`. Anything else comes back as it is.
 */
export function formatDateValue(value: string, timeZone: string): string {
  if (ISO_DAY.test(value)) return formatDay(value);
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) return formatDayOf(value, timeZone) || value;
  return value;
}

/** A date-time attribute value for <time>: the ISO string a machine reads beside the words. */
export function machineMoment(instant: Date | string): string {
  const d = toInstant(instant);
  return d ? d.toISOString() : "";
}
