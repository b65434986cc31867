// Request and response schemas of the JSON API: Export, import and CSV import.
// Each is registered with `.meta({ id })` so the OpenAPI document picks it up.
import { z } from "zod";
import { LOGO_TYPES } from "~/domain/branding";
import { isValidIsoDate } from "~/domain/period";
import { AUDIENCES, COMPARATORS, CONTROLS, FORECASTS, OUTCOME_STATUSES, REASON_CATEGORIES, ROLES, TEAM_ROLES } from "~/domain/types";
import { UuidSchema } from "./common";

export { z };

// ---- the organisation export ---------------------------------------------------------------
//
// One row per database row, every column under its model name, instants as ISO 8601 UTC
// strings and calendar days as YYYY-MM-DD, so that an export imported into an empty instance
// and exported again gives the same document. Password hashes, sessions, API tokens,
// idempotency keys and throttling counters are not part of it.

// Ids are the shared UuidSchema (one message for a malformed id everywhere).
const Id = UuidSchema;
const Instant = z.iso.datetime({ offset: true, error: "Use an ISO 8601 date and time." });
const Day = z
  .string()
  .refine(isValidIsoDate, { error: "Use a real date as YYYY-MM-DD." })
  .meta({ format: "date" });

export const EXPORT_FORMAT = "kept-export";
export const EXPORT_VERSION = 1;

export const ExportOrganisationSchema = z
  .object({
    name: z.string().min(1),
    fiscalYearStartMonth: z.number().int().min(1).max(12),
    timeZone: z.string().min(1),
    signatoryName: z.string().nullable(),
    signatoryTitle: z.string().nullable(),
    publicSiteEnabled: z.boolean(),
    minPublicScore: z.number().int().min(0).max(100),
    isSample: z.boolean(),
    /** Absent from exports made before webhooks existed. */
    webhooksAllowPrivate: z.boolean().default(false),
    /** Absent from exports made before public branding existed. */
    accentColour: z
      .string()
      .regex(/^#[0-9a-f]{6}$/, { error: "Use a colour as #rrggbb." })
      .nullable()
      .default(null),
    showPublicCheckIns: z.boolean().default(false),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: "ExportOrganisation" });

export const ExportPersonSchema = z
  .object({
    id: Id,
    email: z.string().min(1),
    name: z.string().min(1),
    role: z.enum(ROLES),
    active: z.boolean(),
    createdAt: Instant,
    deactivatedAt: Instant.nullable(),
  })
  .meta({ id: "ExportPerson" });

export const ExportTeamSchema = z
  .object({
    id: Id,
    slug: z.string().min(1),
    name: z.string().min(1),
    mission: z.string(),
    parentId: Id.nullable(),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: "ExportTeam" });

export const ExportTeamMemberSchema = z
  .object({ teamId: Id, userId: Id, role: z.enum(TEAM_ROLES), addedAt: Instant })
  .meta({ id: "ExportTeamMember" });

export const ExportCommitmentSchema = z
  .object({
    id: Id,
    teamId: Id,
    periodLabel: z.string().min(1),
    periodStart: Day,
    periodEnd: Day,
    fiscalYear: z.number().int(),
    statement: z.string(),
    details: z.string(),
    measureKind: z.enum(["metric", "deliverable"]),
    metricName: z.string().nullable(),
    metricBaseline: z.number().nullable(),
    metricComparator: z.enum(COMPARATORS).nullable(),
    metricTarget: z.number().nullable(),
    metricUnit: z.string().nullable(),
    deliverableEvent: z.string().nullable(),
    evidenceSource: z.string(),
    dueDate: Day,
    ownerId: Id.nullable(),
    audience: z.enum(AUDIENCES),
    tags: z.array(z.string()),
    lintScore: z.number().int().min(0).max(100),
    lintFindings: z.unknown(),
    status: z.enum(["open", ...OUTCOME_STATUSES]),
    version: z.number().int().min(1),
    lockedByLetterAt: Instant.nullable(),
    predecessorId: Id.nullable(),
    attempt: z.number().int().min(1),
    sourceActionItemId: Id.nullable(),
    committedAt: Instant,
    committedBy: Id,
    updatedAt: Instant,
  })
  .meta({ id: "ExportCommitment" });

export const ExportCheckInSchema = z
  .object({
    id: Id,
    commitmentId: Id,
    date: Day,
    forecast: z.enum(FORECASTS),
    probability: z.number().int().min(0).max(100),
    progressValue: z.number().nullable(),
    note: z.string(),
    createdAt: Instant,
    createdBy: Id,
  })
  .meta({ id: "ExportCheckIn" });

export const ExportOutcomeSchema = z
  .object({
    commitmentId: Id,
    status: z.enum(OUTCOME_STATUSES),
    resolvedAt: Day,
    actualValue: z.number().nullable(),
    evidenceUrl: z.string().nullable(),
    partialDescription: z.string().nullable(),
    reasonCategory: z.enum(REASON_CATEGORIES).nullable(),
    control: z.enum(CONTROLS).nullable(),
    explanation: z.string().nullable(),
    lesson: z.string().nullable(),
    recordedAt: Instant,
    recordedBy: Id,
  })
  .meta({ id: "ExportOutcome" });

export const REVISION_KINDS = ["create", "edit", "rescope", "check_in", "outcome", "outcome_change", "carry_forward", "carried_from", "lock"] as const;

export const ExportRevisionSchema = z
  .object({
    id: z.number().int().min(1),
    commitmentId: Id,
    version: z.number().int(),
    kind: z.enum(REVISION_KINDS),
    actorId: Id.nullable(),
    at: Instant,
    changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
    reason: z.string().nullable(),
    // The row's place in the record's hash chain (docs/decisions/0006-record-log-format.md).
    // Exports made before the chain existed have none; importing them chains them in id order.
    seq: z.number().int().min(1).nullable().optional(),
    prevHash: z.string().regex(/^[0-9a-f]{64}$/, { error: "Use 64 lowercase hex digits." }).nullable().optional(),
    contentHash: z.string().regex(/^[0-9a-f]{64}$/, { error: "Use 64 lowercase hex digits." }).nullable().optional(),
    hash: z.string().regex(/^[0-9a-f]{64}$/, { error: "Use 64 lowercase hex digits." }).nullable().optional(),
  })
  .meta({ id: "ExportRevision" });

export const ExportRetrospectiveSchema = z
  .object({
    id: Id,
    teamId: Id.nullable().describe("null: the whole organisation"),
    periodLabel: z.string().min(1),
    periodStart: Day,
    periodEnd: Day,
    wentWell: z.string(),
    wentBadly: z.string(),
    willChange: z.string(),
    version: z.number().int(),
    createdAt: Instant,
    updatedAt: Instant,
    updatedBy: Id.nullable(),
  })
  .meta({ id: "ExportRetrospective" });

export const ExportActionItemSchema = z
  .object({
    id: Id,
    retrospectiveId: Id,
    text: z.string(),
    ownerId: Id.nullable(),
    dueDate: Day.nullable(),
    status: z.enum(["open", "done", "dropped"]),
    promotedCommitmentId: Id.nullable(),
    createdAt: Instant,
    createdBy: Id,
    updatedAt: Instant,
  })
  .meta({ id: "ExportActionItem" });

export const ExportLetterSchema = z
  .object({
    id: Id,
    fiscalYear: z.number().int(),
    audience: z.enum(AUDIENCES),
    title: z.string(),
    body: z.string(),
    generatedBody: z.string(),
    status: z.enum(["draft", "published"]),
    version: z.number().int(),
    createdAt: Instant,
    createdBy: Id,
    generatedAt: Instant,
    updatedAt: Instant,
    updatedBy: Id.nullable(),
    publishedAt: Instant.nullable(),
    publishedBy: Id.nullable(),
    publishedMarkdown: z.string().nullable(),
    publishedHtml: z.string().nullable(),
    sha256: z.string().nullable(),
    ledger: z.unknown(),
    previousLetterId: Id.nullable(),
  })
  .meta({ id: "ExportLetter" });

export const ExportLetterErratumSchema = z
  .object({ id: Id, letterId: Id, body: z.string(), bodyHtml: z.string(), createdAt: Instant, createdBy: Id })
  .meta({ id: "ExportLetterErratum" });

export const ExportMinScoreChangeSchema = z
  .object({
    id: z.number().int().positive(),
    changedAt: Instant,
    changedBy: Id.nullable(),
    fromScore: z.number().int().min(0).max(100).nullable(),
    toScore: z.number().int().min(0).max(100),
  })
  .meta({ id: "ExportMinScoreChange" });

export const ExportLogoSchema = z
  .object({
    contentType: z.enum(LOGO_TYPES),
    dataBase64: z.base64({ error: "Use the image's bytes as base64." }),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    updatedAt: Instant,
  })
  .meta({ id: "ExportLogo" });

const ExportDocumentShape = z.object({
  format: z.literal(EXPORT_FORMAT, { error: `Not a Kept export: "format" must be "${EXPORT_FORMAT}".` }),
  version: z.literal(EXPORT_VERSION, { error: `This Kept reads export version ${EXPORT_VERSION}.` }),
  exportedAt: Instant,
  organisation: ExportOrganisationSchema,
  people: z.array(ExportPersonSchema),
  teams: z.array(ExportTeamSchema),
  teamMembers: z.array(ExportTeamMemberSchema),
  commitments: z.array(ExportCommitmentSchema),
  checkIns: z.array(ExportCheckInSchema),
  outcomes: z.array(ExportOutcomeSchema),
  revisions: z.array(ExportRevisionSchema),
  retrospectives: z.array(ExportRetrospectiveSchema),
  actionItems: z.array(ExportActionItemSchema),
  letters: z.array(ExportLetterSchema),
  letterErrata: z.array(ExportLetterErratumSchema),
  /** Absent in exports made before the minimum's history existed. */
  minScoreChanges: z.array(ExportMinScoreChangeSchema).default([]),
  /** The public pages' logo, or null; absent in exports made before logos existed. */
  organisationLogo: ExportLogoSchema.nullable().default(null),
});

type Doc = z.output<typeof ExportDocumentShape>;
type Ctx = z.RefinementCtx;

/** Each id once per collection; every reference names a row of the document. */
function checkReferences(doc: Doc, ctx: Ctx) {
  const unique = <T>(collection: string, rows: T[], key: (row: T) => string | number, field: string) => {
    const seen = new Set<string | number>();
    rows.forEach((row, i) => {
      const k = key(row);
      if (seen.has(k)) ctx.addIssue({ code: "custom", path: [collection, i, field], message: `Appears twice: ${String(k)}.` });
      seen.add(k);
    });
    return seen;
  };
  const people = unique("people", doc.people, (r) => r.id, "id");
  unique("people", doc.people, (r) => r.email.toLowerCase(), "email");
  const teams = unique("teams", doc.teams, (r) => r.id, "id");
  unique("teams", doc.teams, (r) => r.slug, "slug");
  unique("teamMembers", doc.teamMembers, (r) => `${r.teamId}/${r.userId}`, "userId");
  const commitments = unique("commitments", doc.commitments, (r) => r.id, "id");
  unique("checkIns", doc.checkIns, (r) => r.id, "id");
  unique("outcomes", doc.outcomes, (r) => r.commitmentId, "commitmentId");
  unique("revisions", doc.revisions, (r) => r.id, "id");
  const retrospectives = unique("retrospectives", doc.retrospectives, (r) => r.id, "id");
  unique("actionItems", doc.actionItems, (r) => r.id, "id");
  const letters = unique("letters", doc.letters, (r) => r.id, "id");
  unique("letterErrata", doc.letterErrata, (r) => r.id, "id");
  const published = new Set(doc.letters.filter((l) => l.status === "published").map((l) => l.id));

  const refer = <T>(collection: string, rows: T[], field: keyof T & string, targets: Set<string | number>, what: string) => {
    rows.forEach((row, i) => {
      const value = row[field];
      if (value !== null && !targets.has(value as string)) {
        ctx.addIssue({ code: "custom", path: [collection, i, field], message: `Names ${what} that is not in the export: ${String(value)}.` });
      }
    });
  };
  refer("teams", doc.teams, "parentId", teams, "a team");
  refer("teamMembers", doc.teamMembers, "teamId", teams, "a team");
  refer("teamMembers", doc.teamMembers, "userId", people, "a person");
  refer("commitments", doc.commitments, "teamId", teams, "a team");
  refer("commitments", doc.commitments, "ownerId", people, "a person");
  refer("commitments", doc.commitments, "committedBy", people, "a person");
  refer("commitments", doc.commitments, "predecessorId", commitments, "a commitment");
  refer("checkIns", doc.checkIns, "commitmentId", commitments, "a commitment");
  refer("checkIns", doc.checkIns, "createdBy", people, "a person");
  refer("outcomes", doc.outcomes, "commitmentId", commitments, "a commitment");
  refer("outcomes", doc.outcomes, "recordedBy", people, "a person");
  refer("revisions", doc.revisions, "commitmentId", commitments, "a commitment");
  refer("revisions", doc.revisions, "actorId", people, "a person");
  refer("retrospectives", doc.retrospectives, "teamId", teams, "a team");
  refer("retrospectives", doc.retrospectives, "updatedBy", people, "a person");
  refer("actionItems", doc.actionItems, "retrospectiveId", retrospectives, "a retrospective");
  refer("actionItems", doc.actionItems, "ownerId", people, "a person");
  refer("actionItems", doc.actionItems, "createdBy", people, "a person");
  refer("actionItems", doc.actionItems, "promotedCommitmentId", commitments, "a commitment");
  refer("letters", doc.letters, "createdBy", people, "a person");
  refer("letters", doc.letters, "updatedBy", people, "a person");
  refer("letters", doc.letters, "publishedBy", people, "a person");
  refer("letters", doc.letters, "previousLetterId", letters, "a letter");
  refer("letterErrata", doc.letterErrata, "letterId", published, "a published letter");
  refer("letterErrata", doc.letterErrata, "createdBy", people, "a person");
  unique("minScoreChanges", doc.minScoreChanges, (r) => r.id, "id");
  refer("minScoreChanges", doc.minScoreChanges, "changedBy", people, "a person");

  // A letter's lock lands only with the commitment's "lock" revision at the same instant (the
  // database's guard, ADR 0033): an export without it is refused here, naming the commitment,
  // instead of failing inside the import's transaction with the database's error.
  const lockRevisions = new Set(doc.revisions.filter((r) => r.kind === "lock").map((r) => `${r.commitmentId}@${Date.parse(r.at)}`));
  doc.commitments.forEach((c, i) => {
    if (c.lockedByLetterAt === null || lockRevisions.has(`${c.id}@${Date.parse(c.lockedByLetterAt)}`)) return;
    ctx.addIssue({
      code: "custom",
      path: ["commitments", i, "lockedByLetterAt"],
      message: `Commitment ${c.id} is locked by a letter at ${c.lockedByLetterAt}, but the export has no "lock" revision of it at that instant; a lock is kept only with its revision in the record. Export again from the instance it came from.`,
    });
  });
}

export const ExportDocumentSchema = ExportDocumentShape.superRefine(checkReferences).meta({ id: "ExportDocument" });

export type ExportDocument = z.output<typeof ExportDocumentSchema>;

// ---- CSV import of commitments -------------------------------------------------------------

export const CsvImportWriteSchema = z
  .object({
    csv: z
      .string({ error: "Send the CSV text in 'csv'." })
      .min(1, { error: "The CSV is empty." })
      .describe("The whole file: a header row (column names, any case), then one commitment per row."),
    dryRun: z.boolean().default(false).describe("true: check every row and report, write nothing."),
  })
  .meta({ id: "CsvImportWrite" });

export const CsvRowErrorSchema = z
  .object({
    line: z.number().int().min(1).describe("Physical line in the file; the header is line 1, and a quoted field spanning lines counts every line."),
    field: z.string().nullable().describe("The CSV column, or null when the whole row is wrong."),
    message: z.string(),
  })
  .meta({ id: "CsvRowError" });

export const CsvImportReportSchema = z
  .object({
    dryRun: z.boolean(),
    rows: z.number().int().describe("Data rows read (the header is not counted)."),
    created: z.array(Id).describe("Ids of the commitments created, in file order (empty for a dry run)."),
    errors: z.array(CsvRowErrorSchema).describe("Always empty here: any bad row makes the answer a 422."),
  })
  .meta({ id: "CsvImportReport" });

export const CsvImportProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.literal("IMPORT.INVALID_ROWS"),
    detail: z.string().optional(),
    dryRun: z.boolean(),
    rows: z.number().int(),
    errors: z.array(CsvRowErrorSchema),
  })
  .meta({ id: "CsvImportProblem" });
