// Request and response schemas of the JSON API: People, teams, carry-forward and retrospectives.
// Each is registered with `.meta({ id })` so the OpenAPI document picks it up.
// Request bodies reuse the field schemas of the UI's forms, so a name, slug, email or note
// the form refuses is refused here with the same message.
import { z } from "zod";
import { isValidIsoDate, isValidTimeZone } from "~/domain/period";
import { AUDIENCES, CONTROLS, OUTCOME_STATUSES, REASON_CATEGORIES, ROLES, TEAM_ROLES } from "~/domain/types";
import { SUMMARY_ID_LIMIT } from "~/domain/statistics";
import { TeamSchema } from "./core";
import { NameSchema, RoleSchema, TeamRoleSchema, UuidSchema } from "~/schemas/common";
import { AccentColourSchema, AddPersonSchema } from "~/schemas/people";
import { ActionItemSchema, ActionStatusSchema, NotesSchema } from "~/schemas/retrospectives";
import { SlugSchema, TeamFieldsSchema } from "~/schemas/teams";

// Carry-forward's body (CarryForwardWrite) was registered with the first part of the API.
export { CarryForwardWriteSchema } from "./core";

const IsoDate = z
  .string()
  .refine(isValidIsoDate, { error: "Enter a real date (YYYY-MM-DD)." })
  .meta({ format: "date", example: "2026-09-30" });
const DateTime = z.iso.datetime();

/** Nothing to change is a mistake worth naming, not a silent no-op. */
const someField = <T extends Record<string, unknown>>(value: T) => Object.values(value).some((v) => v !== undefined);

// ---- requests ----------------------------------------------------------------------------

export const PeopleQuerySchema = z.object({
  q: z.string().trim().max(100).optional().describe("Part of a name or email address."),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(1000).optional().describe("From the `next` link of the previous page."),
});

export const PersonWriteSchema = AddPersonSchema.omit({ intent: true })
  .describe(
    "Leave out password (recommended) and the answer carries a one-time invitation link with which the person chooses their own; it is mailed to them when the server has mail. A password given here is a temporary one the admin passes on.",
  )
  .meta({ id: "PersonWrite" });

export const SignInLinkWriteSchema = z
  .object({
    purpose: z
      .enum(["invitation", "reset"], { error: "Choose invitation or reset." })
      .describe("invitation: for someone who has never chosen a password; reset: a new password for anyone active."),
  })
  .meta({ id: "SignInLinkWrite" });

export const PersonPatchSchema = z
  .object({ role: RoleSchema.optional(), active: z.boolean().optional().describe("false deactivates and ends every session.") })
  .refine(someField, { error: "Send role, active or both." })
  .meta({ minProperties: 1, id: "PersonPatch" });

export const TeamWriteSchema = TeamFieldsSchema.extend({ parentId: UuidSchema.nullable().default(null) }).meta({ id: "TeamWrite" });

export const TeamPatchSchema = z
  .object({
    name: NameSchema.optional(),
    slug: SlugSchema.optional(),
    mission: TeamFieldsSchema.shape.mission.unwrap().optional(),
    parentId: UuidSchema.nullable().optional().describe("null moves the team to the top level."),
  })
  .refine(someField, { error: "Send at least one of name, slug, mission and parentId." })
  .meta({ minProperties: 1, id: "TeamPatch" });

export const TeamMemberWriteSchema = z.object({ role: TeamRoleSchema }).meta({ id: "TeamMemberWrite" });

export const RetrospectiveNotesWriteSchema = NotesSchema.omit({ intent: true, version: true })
  .describe("Replaces all three parts; a part left out is saved empty.")
  .meta({ id: "RetrospectiveNotesWrite" });

export const ActionItemWriteSchema = ActionItemSchema.omit({ intent: true })
  .extend({ ownerId: UuidSchema.nullable().default(null), dueDate: IsoDate.nullable().default(null) })
  .meta({ id: "ActionItemWrite" });

export const ActionItemPatchSchema = ActionStatusSchema.pick({ status: true }).meta({ id: "ActionItemPatch" });

// ---- responses ---------------------------------------------------------------------------

export const PersonSchema = z
  .object({
    id: UuidSchema,
    name: z.string(),
    email: z.string(),
    role: z.enum(ROLES),
    active: z.boolean(),
    createdAt: DateTime,
    deactivatedAt: DateTime.nullable(),
  })
  .meta({ id: "Person" });

export const PersonDetailSchema = PersonSchema.extend({
  teams: z.array(z.object({ id: UuidSchema, slug: z.string(), name: z.string(), role: z.enum(TEAM_ROLES) })),
}).meta({ id: "PersonDetail" });

export const SignInLinkSchema = z
  .object({
    purpose: z.enum(["invitation", "reset"]),
    url: z.string().describe("The whole one-time link. Shown only in this answer: Kept stores only its hash."),
    expiresAt: DateTime,
    emailed: z.boolean().describe("Whether Kept also mailed it to the person (only when the server has mail)."),
  })
  .meta({ id: "SignInLink" });

export const PersonAddedSchema = PersonDetailSchema.extend({
  invitation: SignInLinkSchema.extend({
    url: z
      .string()
      .nullable()
      .describe(
        "The whole one-time link, in the first answer only. null in an answer replayed for the same Idempotency-Key: Kept keeps only the link's hash, so issue a new one (POST /api/v1/people/{id}/sign-in-link).",
      ),
  })
    .nullable()
    .describe("The invitation link, or null when a temporary password was given."),
}).meta({ id: "PersonAdded" });

export const PersonListSchema = z
  .object({ items: z.array(PersonSchema), next: z.string().nullable().describe("Path of the next page, or null.") })
  .meta({ id: "PersonList" });

export const TeamMemberSchema = z
  .object({ userId: UuidSchema, name: z.string(), email: z.string(), active: z.boolean(), role: z.enum(TEAM_ROLES), addedAt: DateTime })
  .meta({ id: "TeamMember" });

export const TeamDetailSchema = TeamSchema.extend({ members: z.array(TeamMemberSchema) }).meta({ id: "TeamDetail" });

export const ActionItemStatusSchema = z.enum(["open", "done", "dropped"]);

export const ActionItemResponseSchema = z
  .object({
    id: UuidSchema,
    text: z.string(),
    ownerId: UuidSchema.nullable(),
    dueDate: IsoDate.nullable(),
    status: ActionItemStatusSchema,
    promotedCommitmentId: UuidSchema.nullable(),
    teamId: UuidSchema.nullable().describe("The team whose retrospective it belongs to; null for the organisation's."),
    periodLabel: z.string(),
  })
  .meta({ id: "ActionItem" });

export const RetrospectiveNotesSchema = z
  .object({
    wentWell: z.string(),
    wentBadly: z.string(),
    willChange: z.string(),
    version: z.number().int().describe("0 until someone writes the first notes."),
    etag: z.string().describe("Send as If-Match when saving the notes."),
  })
  .meta({ id: "RetrospectiveNotes" });

const rate = z.number().min(0).max(1).nullable();
const count = z.number().int().min(0);

export const RetrospectiveSummarySchema = z
  .object({
    partialCountsAsHalf: z.boolean().describe("Whether a partial delivery counted as ½ in calibration. It never counts in the delivery rate."),
    made: count,
    counts: z.object({ delivered: count, partial: count, missed: count, withdrawn: count, open: count }),
    resolved: count,
    deliveryRate: rate.describe("The delivery rate: delivered in full ÷ all commitments made (`made`), withdrawn and open ones included. The same figure as on the dashboard, the retrospective, the public ledger and the letter."),
    deliveryRateOfResolved: rate.describe("Secondary: delivered in full ÷ resolved (delivered + partial + missed)."),
    onTimeRate: rate.describe("Secondary: delivered or partial on or before the due date ÷ delivered or partial with a due date."),
    daysLate: z.object({ total: z.number(), mean: z.number().nullable(), max: z.number(), lateCount: z.number().int() }),
    reasons: z.object({
      total: z.number().int(),
      byCategory: z.array(z.object({ category: z.enum(REASON_CATEGORIES), count: z.number().int() })),
      byControl: z.array(z.object({ control: z.enum(CONTROLS), count: z.number().int() })),
    }),
    openPastDue: z.array(UuidSchema).describe(`Commitments past their due date with no outcome: the first ${SUMMARY_ID_LIMIT} by due date (\`openPastDueCount\` counts them all).`),
    openPastDueCount: count.describe("How many commitments are past their due date with no outcome."),
    surprises: z.array(UuidSchema).describe(`Missed or partial commitments whose forecast of record was on track: the first ${SUMMARY_ID_LIMIT} by due date (\`surpriseCount\` counts them all).`),
    surpriseCount: count.describe("How many missed or partial commitments had an on-track forecast of record."),
    calibration: z.object({
      brier: z.number().nullable(),
      n: z.number().int(),
      buckets: z.array(
        z.object({ from: z.number(), to: z.number(), count: z.number().int(), meanForecast: rate, observedRate: rate }),
      ),
    }),
  })
  .meta({ id: "RetrospectiveSummary" });

export const RetrospectiveCommitmentSchema = z
  .object({
    id: UuidSchema,
    statement: z.string(),
    teamName: z.string(),
    periodLabel: z.string(),
    dueDate: IsoDate,
    audience: z.enum(AUDIENCES),
    status: z.enum(["open", ...OUTCOME_STATUSES]),
    attempt: z.number().int(),
    resolvedAt: IsoDate.nullable(),
    actualValue: z.number().nullable(),
    reasonCategory: z.enum(REASON_CATEGORIES).nullable(),
    control: z.enum(CONTROLS).nullable(),
    explanation: z.string().nullable(),
    evidenceUrl: z.string().nullable(),
  })
  .meta({ id: "RetrospectiveCommitment" });

const PeriodSchema = z.object({ label: z.string(), start: IsoDate, end: IsoDate });

export const RetrospectiveSchema = z
  .object({
    scope: z.object({ slug: z.string(), name: z.string(), teamId: UuidSchema.nullable() }),
    period: PeriodSchema,
    previousPeriod: z.string(),
    nextPeriod: z.string(),
    today: IsoDate,
    summary: RetrospectiveSummarySchema,
    trend: z
      .array(z.object({ label: z.string(), rate, n: z.number().int().describe("Commitments made in the period.") }))
      .describe("Delivery rate (delivered in full ÷ made) of this and the five periods before."),
    notes: RetrospectiveNotesSchema,
    actionItems: z.array(ActionItemResponseSchema),
    previousOpenActionItems: z.array(ActionItemResponseSchema).describe("Still open from the previous period's retrospective."),
    commitments: z.array(RetrospectiveCommitmentSchema).describe("The outcomes table, by due date."),
    truncated: z.boolean().describe("True when the outcomes table was cut at its limit."),
    canEdit: z.boolean().describe("Whether the token's user may write the notes and action items."),
  })
  .meta({ id: "Retrospective" });

// ---- the organisation ---------------------------------------------------------------------

export const OrganisationWriteSchema = z
  .object({
    name: z.string().trim().min(1, { error: "Name the organisation." }).max(120, { error: "Keep the name under 120 characters." }),
    fiscalYearStartMonth: z.number().int().min(1, { error: "Use a month from 1 to 12." }).max(12, { error: "Use a month from 1 to 12." }),
    timeZone: z.string().refine(isValidTimeZone, { error: "Use an IANA time zone such as Europe/Berlin." }),
    signatoryName: z.string().trim().max(120).nullable().default(null),
    signatoryTitle: z.string().trim().max(120).nullable().default(null),
    publicSiteEnabled: z.boolean().describe("false takes the public letters, feed and ledger offline for anonymous readers."),
    minPublicScore: z.number().int().min(0).max(100).describe("Public commitments below this falsifiability score are refused; 0 turns the check off."),
    accentColour: AccentColourSchema.nullable()
      .optional()
      .describe("Public pages' accent colour as #rrggbb, dark enough for white text (contrast at least 4.5:1); null for Kept's own; left out, unchanged."),
    showPublicCheckIns: z.boolean().optional().describe("Whether public commitment pages show check-ins; left out, unchanged."),
  })
  .describe("The whole settings object: send every field (read it first and change what you need).")
  .meta({ id: "OrganisationWrite" });

export const OrganisationSchema = z
  .object({
    name: z.string(),
    fiscalYearStartMonth: z.number().int(),
    timeZone: z.string(),
    signatoryName: z.string().nullable(),
    signatoryTitle: z.string().nullable(),
    publicSiteEnabled: z.boolean(),
    minPublicScore: z.number().int(),
    accentColour: z.string().nullable(),
    showPublicCheckIns: z.boolean(),
    logoUrl: z.string().nullable().describe("The public pages' logo (uploaded in Settings), or null."),
    isSample: z.boolean().describe("true for the sample organisation loaded at setup or by npm run demo."),
    updatedAt: DateTime,
  })
  .meta({ id: "Organisation" });

// ---- personal access tokens ------------------------------------------------------------------

export const TokenSchema = z
  .object({
    id: UuidSchema,
    userId: UuidSchema,
    name: z.string(),
    prefix: z.string().describe("The public part of the token (kept_<prefix>_…); the secret is never shown again."),
    scope: z.enum(["read", "write"]),
    expiresAt: DateTime.nullable(),
    createdAt: DateTime,
    lastUsedAt: DateTime.nullable(),
    revokedAt: DateTime.nullable(),
  })
  .meta({ id: "Token" });

export const TokenQuerySchema = z.object({
  userId: UuidSchema.optional().describe("Admins: whose tokens to list (default: your own)."),
});
