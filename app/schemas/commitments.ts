import { z } from "zod";
import { COMMITMENT_LIMITS as LIMITS, normaliseTags } from "~/domain/commitment";
import { isValidIsoDate, parsePeriodLabel, startOfLocalDay } from "~/domain/period";
import { AUDIENCES, COMPARATORS, CONTROLS, FORECASTS, OUTCOME_STATUSES, REASON_CATEGORIES } from "~/domain/types";
import { OptionalEvidenceFieldSchema, UuidSchema, optionalReasonField } from "./common";

// conform turns empty inputs into undefined, so optional text is `.optional()` and required
// text gets its message from `error` when missing.

const text = (max: number, required: string) =>
  z
    .string({ error: required })
    .trim()
    .min(1, { error: required })
    .max(max, { error: `Keep it under ${max} characters.` });

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `Keep it under ${max} characters.` })
    .optional()
    .transform((v) => (v ? v : null));

const optionalNumber = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return null;
      const n = Number(v.replace(/[\s_,](?=\d{3}\b)/g, ""));
      if (!Number.isFinite(n)) {
        ctx.addIssue({ code: "custom", message: `${label} must be a number, like 300 or 99.95.` });
        return z.NEVER;
      }
      return n;
    });

export const IsoDateSchema = (what: string) =>
  z
    .string({ error: `Enter the ${what}.` })
    .trim()
    .refine(isValidIsoDate, { error: `Enter the ${what} as a real date (YYYY-MM-DD).` });

/**
 * A day a list counts from ("outcome recorded on or after"), for the list page and the API alike:
 * a real date, in the range whose first instant, in any time zone, an ISO timestamp can carry.
 */
export const ListSinceDaySchema = z
  .string()
  .trim()
  .refine(isValidIsoDate, { error: "Use a real date as YYYY-MM-DD." })
  .refine((v) => v >= "1970-01-01" && v <= "9999-12-30", { error: "Use a date from 1970-01-01 on." });

/**
 * Where "outcome recorded on or after" starts: a day (from its first instant in the organisation's
 * time zone, as typed into the list's date field) or an exact instant with its offset (how the
 * dashboard's "outcomes in the last 30 days" continues in the list: the same window to the second).
 */
export const ListSinceSchema = z
  .string()
  .trim()
  .refine((v) => !/^\d{4}-\d{2}-\d{2}T/.test(v) || (z.iso.datetime({ offset: true }).safeParse(v).success && isValidIsoDate(v.slice(0, 10))), {
    error: "Use a real date as YYYY-MM-DD, or an instant such as 2026-10-31T09:30:00Z.",
  })
  .refine((v) => /^\d{4}-\d{2}-\d{2}T/.test(v) || isValidIsoDate(v), { error: "Use a real date as YYYY-MM-DD." })
  .refine((v) => v.slice(0, 10) >= "1970-01-01" && v.slice(0, 10) <= "9999-12-30", { error: "Use a date from 1970-01-01 on." });

/** The instant a valid `ListSinceSchema` value starts at. */
export function sinceInstant(value: string, timeZone: string): Date {
  return value.length === 10 ? startOfLocalDay(value, timeZone) : new Date(value);
}

export const PeriodLabelSchema = z
  .string({ error: "Choose a period." })
  .trim()
  .toUpperCase()
  .refine((v) => parsePeriodLabel(v) !== null, { error: "Choose a period such as FY2026, FY2026-H1 or FY2026-Q3." });

export const CommitmentFieldsSchema = z.object({
    statement: text(LIMITS.statement, "Write the commitment in one sentence."),
    details: optionalText(LIMITS.details),
    measureKind: z.enum(["metric", "deliverable"], { error: "Choose a metric or a deliverable." }),
    metricName: optionalText(LIMITS.metricName),
    metricBaseline: optionalNumber("The baseline"),
    metricComparator: z.enum(COMPARATORS, { error: "Choose at least, at most or exactly." }).optional(),
    metricTarget: optionalNumber("The target"),
    metricUnit: optionalText(LIMITS.metricUnit),
    deliverableEvent: optionalText(LIMITS.deliverableEvent),
    evidenceSource: optionalText(LIMITS.evidenceSource),
    dueDate: IsoDateSchema("due date"),
    periodLabel: PeriodLabelSchema,
    teamId: UuidSchema,
    ownerId: z
      .union([z.literal("").transform(() => null), UuidSchema])
      .optional()
      .transform((v) => v ?? null),
    audience: z.enum(AUDIENCES, { error: "Choose public or internal." }),
    tags: z
      .string()
      .max(LIMITS.tagsText, { error: "Too many themes." })
      .optional()
      .transform((v) => normaliseTags(v ?? ""))
      .refine((tags) => tags.length <= LIMITS.tags, { error: `Use at most ${LIMITS.tags} themes.` })
      .refine((tags) => tags.every((t) => t.length <= LIMITS.tag), { error: `Keep each theme under ${LIMITS.tag} characters.` }),
  });

// The object above gives the browser its field constraints; this adds the rules that span
// fields (a metric needs a target, a deliverable its event).
export const CommitmentFormSchema = CommitmentFieldsSchema
  .superRefine((v, ctx) => {
    if (v.measureKind === "metric") {
      if (v.metricTarget === null) ctx.addIssue({ code: "custom", path: ["metricTarget"], message: "A metric needs a target number." });
      if (!v.metricComparator) ctx.addIssue({ code: "custom", path: ["metricComparator"], message: "Choose at least, at most or exactly." });
      if (!v.metricName) ctx.addIssue({ code: "custom", path: ["metricName"], message: "Name what is measured, like “p95 checkout latency”." });
    } else if (!v.deliverableEvent) {
      ctx.addIssue({
        code: "custom",
        path: ["deliverableEvent"],
        message: "Describe the observable event that proves delivery, like “generally available in eu-west-1”.",
      });
    }
  })
  .transform((v) => ({
    ...v,
    details: v.details ?? "",
    evidenceSource: v.evidenceSource ?? "",
    metricComparator: v.measureKind === "metric" ? (v.metricComparator ?? null) : null,
    metricName: v.measureKind === "metric" ? v.metricName : null,
    metricBaseline: v.measureKind === "metric" ? v.metricBaseline : null,
    metricTarget: v.measureKind === "metric" ? v.metricTarget : null,
    metricUnit: v.measureKind === "metric" ? v.metricUnit : null,
    deliverableEvent: v.measureKind === "deliverable" ? v.deliverableEvent : null,
  }));

export type CommitmentInput = z.output<typeof CommitmentFormSchema>;

const VersionSchema = z
  .string({ error: "The form lost track of the version; reload the page." })
  .regex(/^\d+$/, { error: "The form lost track of the version; reload the page." })
  .transform(Number);

export const EditCommitmentSchema = z.object({
  version: VersionSchema,
  reason: optionalReasonField(),
});

export const CheckInSchema = z.object({
  intent: z.literal("check-in"),
  date: IsoDateSchema("date of this check-in"),
  forecast: z.enum(FORECASTS, { error: "Choose on track, at risk, off track or stalled." }),
  probability: z
    .string({ error: "Give the probability of delivery, 0 to 100." })
    .trim()
    .regex(/^\d{1,3}$/, { error: "Give a whole number from 0 to 100." })
    .transform(Number)
    .refine((n) => n >= 0 && n <= 100, { error: "Give a whole number from 0 to 100." }),
  progressValue: optionalNumber("Progress"),
  note: optionalText(LIMITS.checkInNote),
});

export const OutcomeFormSchema = z.object({
  intent: z.literal("outcome"),
  version: VersionSchema,
  status: z.enum(OUTCOME_STATUSES, { error: "Choose delivered, partially delivered, missed or withdrawn." }),
  resolvedAt: IsoDateSchema("date it was resolved"),
  actualValue: optionalNumber("The actual value"),
  evidenceUrl: OptionalEvidenceFieldSchema,
  partialDescription: optionalText(LIMITS.partialDescription),
  reasonCategory: z.enum(REASON_CATEGORIES).optional(),
  control: z.enum(CONTROLS).optional(),
  explanation: optionalReasonField(LIMITS.explanation),
  lesson: optionalText(LIMITS.lesson),
  changeReason: optionalReasonField(),
});

export const CarryForwardSchema = z.object({
  intent: z.literal("carry-forward"),
  version: VersionSchema,
  periodLabel: PeriodLabelSchema,
  dueDate: IsoDateSchema("new due date"),
  statement: text(LIMITS.statement, "Write the commitment for its next attempt."),
});
