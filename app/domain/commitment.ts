// Rules about a commitment's record: which changes are re-scopes, when it is locked, and how
// two versions differ. Pure: the caller supplies today's date.
import { compareIsoDates } from "./period";
import type { Audience, Comparator, Measure } from "./types";

/**
 * How long each of a commitment's fields (and of its check-ins and outcome) may be: the one
 * set the form, the JSON API and the CSV import all validate against (the CSV import reads
 * rows through the form's schema), and the OpenAPI document states as maxLength/maxItems.
 */
export const COMMITMENT_LIMITS = {
  statement: 400,
  details: 20_000,
  metricName: 200,
  metricUnit: 40,
  deliverableEvent: 300,
  evidenceSource: 500,
  /** Themes per commitment, each theme's length, and the comma-separated themes as typed in the form. */
  tags: 10,
  tag: 40,
  tagsText: 500,
  checkInNote: 4000,
  partialDescription: 2000,
  explanation: 8000,
  lesson: 8000,
} as const;

/**
 * Orders a commitment list can be sorted in (every one keyset-paginated on key + id).
 * `outcome_desc` is by when the outcome was recorded, newest first: it lists only commitments
 * that have an outcome.
 */
export const COMMITMENT_SORTS = ["due", "due_desc", "committed_desc", "score", "outcome_desc"] as const;
export type CommitmentSort = (typeof COMMITMENT_SORTS)[number];

/** The editable fields of a commitment, flattened the way they are stored and diffed. */
export interface CommitmentFields {
  statement: string;
  details: string;
  measureKind: "metric" | "deliverable";
  metricName: string | null;
  metricBaseline: number | null;
  metricComparator: Comparator | null;
  metricTarget: number | null;
  metricUnit: string | null;
  deliverableEvent: string | null;
  evidenceSource: string;
  dueDate: string;
  periodLabel: string;
  teamId: string;
  ownerId: string | null;
  audience: Audience;
  tags: string[];
}

export const COMMITMENT_FIELDS: ReadonlyArray<keyof CommitmentFields> = [
  "statement",
  "details",
  "measureKind",
  "metricName",
  "metricBaseline",
  "metricComparator",
  "metricTarget",
  "metricUnit",
  "deliverableEvent",
  "evidenceSource",
  "dueDate",
  "periodLabel",
  "teamId",
  "ownerId",
  "audience",
  "tags",
];

/**
 * Changing any of these after the commitment is locked moves the goalposts: it is a
 * re-scope, needs a written reason, and is disclosed original-beside-current.
 */
export const RESCOPE_FIELDS: ReadonlySet<keyof CommitmentFields> = new Set([
  "statement",
  "measureKind",
  "metricName",
  "metricBaseline",
  "metricComparator",
  "metricTarget",
  "metricUnit",
  "deliverableEvent",
  "dueDate",
  "periodLabel",
  "audience",
]);

export const FIELD_LABEL: Record<keyof CommitmentFields, string> = {
  statement: "Statement",
  details: "Details",
  measureKind: "Kind of measure",
  metricName: "Metric",
  metricBaseline: "Baseline",
  metricComparator: "Comparator",
  metricTarget: "Target",
  metricUnit: "Unit",
  deliverableEvent: "Observable event",
  evidenceSource: "Evidence source",
  dueDate: "Due date",
  periodLabel: "Period",
  teamId: "Team",
  ownerId: "Owner",
  audience: "Audience",
  tags: "Themes",
};

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

export function diffFields(before: CommitmentFields, after: CommitmentFields): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of COMMITMENT_FIELDS) {
    if (!same(before[field], after[field])) changes.push({ field, from: before[field], to: after[field] });
  }
  return changes;
}

export function isRescope(changes: FieldChange[]): boolean {
  return changes.some((c) => RESCOPE_FIELDS.has(c.field as keyof CommitmentFields));
}

/** Locked once its period has started, or once a published letter has included it. */
export function isLocked(c: { periodStart: string; lockedByLetterAt: Date | string | null }, today: string): boolean {
  return c.lockedByLetterAt !== null || compareIsoDates(c.periodStart, today) <= 0;
}

export function measureOf(f: Pick<CommitmentFields, "measureKind" | "metricName" | "metricBaseline" | "metricComparator" | "metricTarget" | "metricUnit" | "deliverableEvent">): Measure {
  if (f.measureKind === "metric") {
    return {
      kind: "metric",
      name: f.metricName ?? "",
      baseline: f.metricBaseline,
      comparator: f.metricComparator ?? "gte",
      target: f.metricTarget,
      unit: f.metricUnit ?? "",
    };
  }
  return { kind: "deliverable", event: f.deliverableEvent ?? "" };
}

/** A unit as written after a number: "300 ms", but "99.95%" (no space before %, ‰ or °). */
export function unitAfterNumber(unit: string): string {
  if (!unit) return "";
  return /^[%‰°]/.test(unit) ? unit : ` ${unit}`;
}

/** "p95 latency ≤ 300 ms (from 900 ms)" or the deliverable's event, as a reader sees it. */
export function describeMeasure(m: Measure): string {
  if (m.kind === "deliverable") return m.event;
  const symbol = m.comparator === "gte" ? "≥" : m.comparator === "lte" ? "≤" : "=";
  const unit = unitAfterNumber(m.unit);
  const target = m.target === null ? "?" : formatNumber(m.target);
  const from = m.baseline === null ? "" : ` (from ${formatNumber(m.baseline)}${unit})`;
  return `${m.name || "Metric"} ${symbol} ${target}${unit}${from}`;
}

// Built once: constructing an Intl.NumberFormat costs far more than formatting with one, and a
// letter formats tens of thousands of numbers.
const NUMBER_FORMAT = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 4 });

export function formatNumber(n: number): string {
  return NUMBER_FORMAT.format(n);
}

/** Normalises typed theme tags: trimmed, case-insensitively unique, in the order typed. */
export function normaliseTags(raw: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of raw.split(",")) {
    const tag = part.trim().replace(/\s+/g, " ");
    if (!tag) continue;
    const key = tag.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  return out;
}

export interface RevisionLike {
  kind: string;
  changes: FieldChange[];
  reason: string | null;
  at: Date | string;
  actorName: string | null;
}

export interface RescopeView {
  /** Field by field: as first committed beside what stands now. */
  rows: Array<{ field: string; label: string; original: unknown; current: unknown }>;
  events: Array<{ at: Date | string; actorName: string | null; reason: string | null; changes: FieldChange[] }>;
}

/**
 * Original beside current for every field a re-scope touched. "Original" is the value at
 * creation (the words first committed), not the value before the latest re-scope.
 */
export function rescopeView(revisions: RevisionLike[], current: CommitmentFields): RescopeView | null {
  const events = revisions
    .filter((r) => r.kind === "rescope")
    .map((r) => ({ at: r.at, actorName: r.actorName, reason: r.reason, changes: r.changes }));
  if (events.length === 0) return null;
  const creation = revisions.find((r) => r.kind === "create" || r.kind === "carried_from");
  const original = new Map<string, unknown>((creation?.changes ?? []).map((c) => [c.field, c.to]));
  // Oldest re-scope's "from" is the original too, for fields the creation left empty.
  const ordered = [...events].sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
  for (const e of ordered) for (const c of e.changes) if (!original.has(c.field)) original.set(c.field, c.from);
  const fields = [...new Set(ordered.flatMap((e) => e.changes.map((c) => c.field)))].filter((f) =>
    RESCOPE_FIELDS.has(f as keyof CommitmentFields),
  );
  return {
    rows: fields.map((f) => ({
      field: f,
      label: FIELD_LABEL[f as keyof CommitmentFields] ?? f,
      original: original.get(f) ?? null,
      current: current[f as keyof CommitmentFields] ?? null,
    })),
    events: ordered,
  };
}

export function formatFieldValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (field === "metricComparator") return value === "gte" ? "at least (≥)" : value === "lte" ? "at most (≤)" : "exactly (=)";
  if (typeof value === "number") return formatNumber(value);
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
}

/** The permalink of a public commitment's page on the public site. */
export function publicCommitmentPath(id: string): string {
  return `/ledger/commitments/${id}`;
}

/** A commitment's page for people signed in to Kept. */
export function commitmentPath(id: string): string {
  return `/commitments/${id}`;
}

/** Where a letter for `audience` links a commitment it names: the public permalink or the staff page. */
export function letterCommitmentPath(id: string, audience: "public" | "internal"): string {
  return audience === "public" ? publicCommitmentPath(id) : commitmentPath(id);
}
