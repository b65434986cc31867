// A commitment's history as plain sentences. The revision rows keep machine names (field
// "reasonCategory", value "underestimated_scope", "lockedByLetter" → "/letters/2025"); people
// read "Ana recorded the outcome: Missed, on 15 May 2026." with dates in the organisation's
// time zone, labels instead of codes, names instead of ids and Markdown reduced to its words.
import { FIELD_LABEL, formatFieldValue, type FieldChange } from "./commitment";
import { formatDay, formatMoment } from "./dates";
import { CONTROL_LABEL, FORECAST_LABEL, OUTCOME_LABEL, REASON_LABEL, type Control, type Forecast, type OutcomeStatus, type ReasonCategory } from "./types";

export interface HistoryRevision {
  kind: string;
  at: Date | string;
  actorName: string | null;
  changes: FieldChange[];
  reason: string | null;
}

export interface HistoryContext {
  timeZone: string;
  /** A person's or a team's name from its id; null when it is unknown (or was deleted). */
  nameOf: (kind: "person" | "team", id: string) => string | null;
}

export interface HistorySentence {
  /** When, in the organisation's zone: "29 November 2026, 14:05 CET". */
  when: string;
  /** One sentence that says what happened and who did it. */
  sentence: string;
  /** Further sentences, one per changed field, where one sentence cannot hold them. */
  details: string[];
  /** The reason given, or the check-in's note, as the person wrote it. */
  why: string | null;
}

const OUTCOME_FIELD_LABEL: Record<string, string> = {
  status: "outcome",
  resolvedAt: "resolution date",
  actualValue: "actual value",
  evidenceUrl: "evidence link",
  partialDescription: "delivered part",
  reasonCategory: "primary reason",
  control: "control",
  explanation: "explanation",
  lesson: "lesson",
};

const DAY_FIELDS = new Set(["dueDate", "resolvedAt", "date"]);
const PROSE_FIELDS = new Set(["statement", "details", "explanation", "lesson", "partialDescription", "deliverableEvent", "evidenceSource", "note"]);
const PROSE_LIMIT = 160;

function labelOf(field: string): string {
  const commitmentLabel = (FIELD_LABEL as Record<string, string | undefined>)[field];
  if (commitmentLabel) return commitmentLabel.toLowerCase();
  return OUTCOME_FIELD_LABEL[field] ?? field.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

/** Markdown reduced to its words: "**53%** of _requests_" → "53% of requests". */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, "")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[^\w*])[*_]([^*_\n]+)[*_](?=[^\w*]|$)/g, "$1$2")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

/** One field's value in words. */
export function describeValue(field: string, value: unknown, ctx: HistoryContext): string {
  if (isEmpty(value)) return "nothing";
  if (DAY_FIELDS.has(field) && typeof value === "string") return formatDay(value);
  if (field === "status") return OUTCOME_LABEL[value as OutcomeStatus] ?? String(value);
  if (field === "reasonCategory") return REASON_LABEL[value as ReasonCategory] ?? String(value);
  if (field === "control") return CONTROL_LABEL[value as Control] ?? String(value);
  if (field === "forecast") return FORECAST_LABEL[value as Forecast] ?? String(value);
  if (field === "audience") return value === "public" ? "public" : "internal";
  if (field === "measureKind") return value === "deliverable" ? "a deliverable" : "a metric";
  if (field === "ownerId" && typeof value === "string") return ctx.nameOf("person", value) ?? "a person no longer in Kept";
  if (field === "teamId" && typeof value === "string") return ctx.nameOf("team", value) ?? "a team no longer in Kept";
  if (PROSE_FIELDS.has(field) && typeof value === "string") {
    const text = plainText(value);
    return `“${text.length > PROSE_LIMIT ? `${text.slice(0, PROSE_LIMIT - 1).trimEnd()}…` : text}”`;
  }
  return formatFieldValue(field, value);
}

/** "changed the due date from 15 May 2026 to 30 June 2026", "set the unit to ms", "removed the lesson". */
export function describeChange(change: FieldChange, ctx: HistoryContext): string {
  const label = labelOf(change.field);
  if (isEmpty(change.from) && isEmpty(change.to)) return `left the ${label} empty`;
  if (isEmpty(change.from)) return `set the ${label} to ${describeValue(change.field, change.to, ctx)}`;
  if (isEmpty(change.to)) return `removed the ${label} (it was ${describeValue(change.field, change.from, ctx)})`;
  return `changed the ${label} from ${describeValue(change.field, change.from, ctx)} to ${describeValue(change.field, change.to, ctx)}`;
}

/** A full stop, unless the text already ends a sentence or a quotation. */
function stop(text: string): string {
  return /[.!?”]$/.test(text) ? text : `${text}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "/letters/2025" → "the FY2025 letter"; "/letters/2025/internal" → "the internal FY2025 letter". */
export function letterName(path: unknown): string {
  const m = typeof path === "string" ? /^\/letters\/(\d{4})(\/internal)?\/?$/.exec(path) : null;
  if (!m) return "a published letter";
  return m[2] ? `the internal FY${m[1]} letter` : `the FY${m[1]} letter`;
}

function valueOf(changes: FieldChange[], field: string): unknown {
  return changes.find((c) => c.field === field)?.to ?? null;
}

/** The sentences for one revision. */
export function historySentence(r: HistoryRevision, ctx: HistoryContext): HistorySentence {
  const who = r.actorName ?? "Someone";
  const when = formatMoment(r.at, ctx.timeZone);
  const changed = r.changes.filter((c) => JSON.stringify(c.from ?? null) !== JSON.stringify(c.to ?? null));
  const listed = (cs: FieldChange[]) => cs.map((c) => stop(capitalise(describeChange(c, ctx))));
  switch (r.kind) {
    case "create":
      return { when, sentence: `${who} made the commitment.`, details: [], why: r.reason };
    case "carried_from":
      return { when, sentence: `${who} committed to it again, as the next attempt of an earlier commitment.`, details: [], why: r.reason };
    case "edit":
    case "rescope": {
      const verb = r.kind === "rescope" ? "re-scoped it" : "edited it";
      if (changed.length === 1) return { when, sentence: stop(`${who} ${verb}: ${describeChange(changed[0]!, ctx)}`), details: [], why: r.reason };
      return { when, sentence: `${who} ${verb}, changing ${changed.length} things.`, details: listed(changed), why: r.reason };
    }
    case "check_in": {
      const date = valueOf(r.changes, "date");
      const forecast = valueOf(r.changes, "forecast");
      const probability = valueOf(r.changes, "probability");
      const progress = valueOf(r.changes, "progressValue");
      const parts = [
        forecast ? describeValue("forecast", forecast, ctx).toLowerCase() : null,
        typeof probability === "number" ? `${probability}% likely to be delivered` : null,
        !isEmpty(progress) ? `progress ${describeValue("progressValue", progress, ctx)}` : null,
      ].filter((p): p is string => p !== null);
      const day = typeof date === "string" ? ` for ${formatDay(date)}` : "";
      return { when, sentence: `${who} checked in${day}: ${parts.join(", ") || "no forecast"}.`, details: [], why: r.reason };
    }
    case "outcome": {
      const status = valueOf(r.changes, "status");
      const resolvedAt = valueOf(r.changes, "resolvedAt");
      const on = typeof resolvedAt === "string" ? `, on ${formatDay(resolvedAt)}` : "";
      const rest = r.changes.filter((c) => c.field !== "status" && c.field !== "resolvedAt" && !isEmpty(c.to));
      return {
        when,
        sentence: `${who} recorded the outcome: ${describeValue("status", status, ctx)}${on}.`,
        details: rest.map((c) => stop(`${capitalise(labelOf(c.field))}: ${describeValue(c.field, c.to, ctx)}`)),
        why: r.reason,
      };
    }
    case "outcome_change": {
      const status = changed.find((c) => c.field === "status");
      const sentence = status
        ? `${who} changed the outcome from ${describeValue("status", status.from, ctx)} to ${describeValue("status", status.to, ctx)}.`
        : `${who} changed the recorded outcome.`;
      return { when, sentence, details: listed(changed.filter((c) => c.field !== "status")), why: r.reason };
    }
    case "carry_forward":
      return { when, sentence: `${who} carried it forward to a later period as the next attempt.`, details: [], why: r.reason };
    case "lock":
      return {
        when,
        sentence: `It was locked when ${letterName(valueOf(r.changes, "lockedByLetter"))} was published${r.actorName ? ` by ${r.actorName}` : ""}: changing what it promises is now a re-scope.`,
        details: [],
        why: null,
      };
    default:
      return { when, sentence: `${who} changed it.`, details: listed(changed), why: r.reason };
  }
}

