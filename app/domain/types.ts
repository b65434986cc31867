// The shared vocabulary of Kept's pure domain. Everything here is plain data: no Remix, no
// drizzle, no node: imports. Calendar dates are ISO strings (YYYY-MM-DD) because a due date
// is a day on the organisation's calendar, not an instant; instants are Date objects.

export const AUDIENCES = ["public", "internal"] as const;
export type Audience = (typeof AUDIENCES)[number];

export const COMPARATORS = ["gte", "lte", "eq"] as const;
export type Comparator = (typeof COMPARATORS)[number];
export const COMPARATOR_SYMBOL: Record<Comparator, string> = { gte: "≥", lte: "≤", eq: "=" };

export const MEASURE_KINDS = ["metric", "deliverable"] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

export interface MetricMeasure {
  kind: "metric";
  /** What is measured, e.g. "p95 checkout latency". */
  name: string;
  baseline: number | null;
  comparator: Comparator;
  target: number | null;
  /** e.g. "ms", "%", "customers". */
  unit: string;
}

export interface DeliverableMeasure {
  kind: "deliverable";
  /** The observable event that proves delivery, e.g. "generally available in eu-west-1". */
  event: string;
}

export type Measure = MetricMeasure | DeliverableMeasure;

export const FORECASTS = ["on_track", "at_risk", "off_track", "stalled"] as const;
export type Forecast = (typeof FORECASTS)[number];
export const FORECAST_LABEL: Record<Forecast, string> = {
  on_track: "On track",
  at_risk: "At risk",
  off_track: "Off track",
  stalled: "Stalled",
};
/** The forecasts that put an open commitment on the dashboard's "at risk or off track" list. */
export const NOT_ON_TRACK_FORECASTS: readonly Forecast[] = ["at_risk", "off_track", "stalled"];
/**
 * What a commitments list can filter on by the latest check-in's forecast: one forecast, or
 * every forecast that is not on track (the dashboard's list, continued).
 */
export const FORECAST_FILTERS = [...FORECASTS, "not_on_track"] as const;
export type ForecastFilter = (typeof FORECAST_FILTERS)[number];
export const FORECAST_FILTER_LABEL: Record<ForecastFilter, string> = {
  ...FORECAST_LABEL,
  not_on_track: "At risk, off track or stalled",
};
/** The forecasts a forecast filter matches. */
export function forecastsOf(filter: ForecastFilter): readonly Forecast[] {
  return filter === "not_on_track" ? NOT_ON_TRACK_FORECASTS : [filter];
}

export const OUTCOME_STATUSES = ["delivered", "partial", "missed", "withdrawn"] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];
export const OUTCOME_LABEL: Record<OutcomeStatus, string> = {
  delivered: "Delivered",
  partial: "Partially delivered",
  missed: "Missed",
  withdrawn: "Withdrawn",
};

export const REASON_CATEGORIES = [
  "deprioritised",
  "underestimated_scope",
  "dependency_blocker",
  "capacity_change",
  "assumption_wrong",
  "execution_shortfall",
  "badly_specified",
  "quality_safety",
] as const;
export type ReasonCategory = (typeof REASON_CATEGORIES)[number];
export const REASON_LABEL: Record<ReasonCategory, string> = {
  deprioritised: "Deprioritised for something more important",
  underestimated_scope: "Underestimated scope",
  dependency_blocker: "Dependency or external blocker",
  capacity_change: "Capacity or funding change",
  assumption_wrong: "Assumption proved wrong",
  execution_shortfall: "Execution shortfall",
  badly_specified: "Badly specified commitment",
  quality_safety: "Chose not to ship on quality or safety grounds",
};

export const CONTROLS = ["ours", "shared", "external"] as const;
export type Control = (typeof CONTROLS)[number];
export const CONTROL_LABEL: Record<Control, string> = {
  ours: "In our control",
  shared: "Shared control",
  external: "Outside our control",
};

export const ROLES = ["admin", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const TEAM_ROLES = ["editor", "viewer"] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

/** What a team role lets its holder do, as the team page lists its members. */
export const TEAM_ROLE_SUMMARY: Record<TeamRole, string> = {
  editor: "Editor: writes commitments",
  viewer: "Viewer: reads",
};

/** A check-in as the domain sees it. `date` is the calendar day it was made. */
export interface CheckIn {
  date: string;
  forecast: Forecast;
  /** Probability of delivery, 0–100. */
  probability: number;
  progressValue: number | null;
  note: string;
}

/** The one final outcome of a commitment. */
export interface Outcome {
  status: OutcomeStatus;
  /** Calendar day it was resolved. */
  resolvedAt: string;
  actualValue: number | null;
  evidenceUrl: string | null;
  /** For a partial delivery: which part was delivered. */
  partialDescription: string | null;
  reasonCategory: ReasonCategory | null;
  control: Control | null;
  explanation: string | null;
  lesson: string | null;
}
