// Request and response schemas of the JSON API. The same schemas validate requests and
// generate the OpenAPI document (app/api/openapi.server.ts), so the contract cannot drift.
import { z } from "zod";
import { AUDIENCES, COMPARATORS, CONTROLS, FORECASTS, OUTCOME_STATUSES, REASON_CATEGORIES } from "~/domain/types";
import { PERIOD_LABEL_PATTERN, isValidIsoDate, parsePeriodLabel } from "~/domain/period";
import { EVIDENCE_DESCRIPTION, EvidenceWriteSchema, REASON_DESCRIPTION, reasonWrite } from "~/schemas/common";

const IsoDate = z
  .string()
  .refine(isValidIsoDate, { error: "Use a real date as YYYY-MM-DD." })
  .meta({ format: "date", example: "2026-09-30" });
const Uuid = z.uuid({ error: "Use a valid id." });

export const MeasureSchema = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("metric"),
      name: z.string().trim().min(1).max(200),
      baseline: z.number().nullable().default(null),
      comparator: z.enum(COMPARATORS),
      target: z.number(),
      unit: z.string().trim().max(40).default(""),
    }),
    z.object({ kind: z.literal("deliverable"), event: z.string().trim().min(1).max(300) }),
  ])
  .meta({ id: "Measure" });

export const CommitmentWriteSchema = z
  .object({
    statement: z.string().trim().min(1, { error: "Write the commitment in one sentence." }).max(400),
    details: z.string().max(20_000).default(""),
    measure: MeasureSchema,
    evidenceSource: z.string().trim().max(500).default(""),
    dueDate: IsoDate,
    periodLabel: z
      .string()
      .meta({ pattern: PERIOD_LABEL_PATTERN })
      .transform((v) => v.trim().toUpperCase())
      .refine((v) => parsePeriodLabel(v) !== null, { error: "Use a period such as FY2026, FY2026-H1 or FY2026-Q3." }),
    teamId: Uuid,
    ownerId: Uuid.nullable().default(null),
    audience: z.enum(AUDIENCES),
    tags: z.array(z.string().trim().min(1).max(40)).max(10).default([]),
    reason: reasonWrite().nullable().optional().describe(`Why, when changing a locked commitment (a re-scope). ${REASON_DESCRIPTION}`),
    sourceActionItemId: Uuid.nullable()
      .optional()
      .describe("On create only: the retrospective action item this commitment promotes (it is linked in the same transaction; 409 if already promoted)."),
  })
  .meta({ id: "CommitmentWrite" });

export const CheckInWriteSchema = z
  .object({
    date: IsoDate,
    forecast: z.enum(FORECASTS),
    probability: z.number().int().min(0).max(100),
    progressValue: z.number().nullable().default(null),
    note: z.string().max(4000).default(""),
  })
  .meta({ id: "CheckInWrite" });

export const OutcomeWriteSchema = z
  .object({
    status: z.enum(OUTCOME_STATUSES),
    resolvedAt: IsoDate,
    actualValue: z.number().nullable().default(null),
    evidenceUrl: EvidenceWriteSchema.nullable().default(null).describe(`Required when delivered. ${EVIDENCE_DESCRIPTION}`),
    partialDescription: z.string().max(2000).nullable().default(null),
    reasonCategory: z.enum(REASON_CATEGORIES).nullable().default(null),
    control: z.enum(CONTROLS).nullable().default(null),
    explanation: reasonWrite(8000).nullable().default(null).describe(`Required unless delivered. ${REASON_DESCRIPTION}`),
    lesson: z.string().max(8000).nullable().default(null),
    changeReason: reasonWrite().nullable().default(null).describe(`Required when an outcome is already recorded. ${REASON_DESCRIPTION}`),
  })
  .meta({ id: "OutcomeWrite" });

export const CarryForwardWriteSchema = z
  .object({ periodLabel: z.string().transform((v) => v.trim().toUpperCase()), dueDate: IsoDate, statement: z.string().trim().min(1).max(400) })
  .meta({ id: "CarryForwardWrite" });

export const TokenWriteSchema = z.object({
  name: z.string().trim().min(1, { error: "Name the token after what will use it." }).max(100),
  scope: z.enum(["read", "write"]),
  expiresAt: IsoDate.nullable().default(null),
});

// ---- responses ---------------------------------------------------------------------------

export const OutcomeSchema = z
  .object({
    status: z.enum(OUTCOME_STATUSES),
    resolvedAt: IsoDate,
    actualValue: z.number().nullable(),
    evidenceUrl: z.string().nullable(),
    partialDescription: z.string().nullable(),
    reasonCategory: z.enum(REASON_CATEGORIES).nullable(),
    control: z.enum(CONTROLS).nullable(),
    explanation: z.string().nullable(),
    lesson: z.string().nullable(),
    daysLate: z.number().int(),
  })
  .meta({ id: "Outcome" });

export const CommitmentSchema = z
  .object({
    id: Uuid,
    statement: z.string(),
    details: z.string(),
    measure: MeasureSchema,
    evidenceSource: z.string(),
    dueDate: IsoDate,
    periodLabel: z.string(),
    fiscalYear: z.number().int(),
    teamId: Uuid,
    ownerId: Uuid.nullable(),
    audience: z.enum(AUDIENCES),
    tags: z.array(z.string()),
    status: z.enum(["open", ...OUTCOME_STATUSES]),
    falsifiabilityScore: z.number().int().min(0).max(100),
    version: z.number().int(),
    attempt: z.number().int(),
    predecessorId: Uuid.nullable(),
    sourceActionItemId: Uuid.nullable().describe("The retrospective action item this commitment was promoted from."),
    lockedByLetterAt: z.string().nullable().describe("When a published letter included it; changing what was promised is then a re-scope."),
    committedAt: z.iso.datetime(),
    outcome: OutcomeSchema.nullable().optional(),
  })
  .meta({ id: "Commitment" });

export const CommitmentListSchema = z
  .object({ items: z.array(CommitmentSchema.omit({ outcome: true, details: true })), next: z.string().nullable() })
  .meta({ id: "CommitmentList" });

export const CheckInSchema = z
  .object({ id: Uuid, date: IsoDate, forecast: z.enum(FORECASTS), probability: z.number().int(), progressValue: z.number().nullable(), note: z.string() })
  .meta({ id: "CheckIn" });

export const RevisionSchema = z
  .object({
    id: z.number().int(),
    version: z.number().int(),
    kind: z.string(),
    at: z.iso.datetime(),
    actorName: z.string().nullable(),
    reason: z.string().nullable(),
    changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
  })
  .meta({ id: "Revision" });

export const TeamSchema = z
  .object({ id: Uuid, slug: z.string(), name: z.string(), mission: z.string(), parentId: Uuid.nullable() })
  .meta({ id: "Team" });

export const MeSchema = z
  .object({ id: Uuid, name: z.string(), email: z.string(), role: z.enum(["admin", "member", "viewer"]), tokenScope: z.enum(["read", "write"]) })
  .meta({ id: "Me" });

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string().optional(),
    fields: z.array(z.object({ name: z.string(), message: z.string() })).optional(),
    conflict: z.object({ currentVersion: z.number().int(), changedFields: z.array(z.string()) }).optional(),
    problems: z
      .array(z.object({ code: z.string(), message: z.string(), commitmentId: z.string().optional() }))
      .optional()
      .describe("Why a letter cannot be published yet: every item must be fixed."),
  })
  .meta({ id: "Problem" });
