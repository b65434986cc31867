// Request and response schemas of the JSON API: Letters (drafts, publishing, errata) and the public site.
// Each is registered with `.meta({ id })` so the OpenAPI document picks it up.
// Request bodies reuse the field schemas of the letter forms, so a title, body or erratum the
// editor refuses is refused here with the same message.
import { z } from "zod";
import { isValidIsoDate } from "~/domain/period";
import { AUDIENCES, OUTCOME_STATUSES } from "~/domain/types";
import { ErratumSchema, SaveDraftSchema } from "~/schemas/letters";

export { z };

const Uuid = z.uuid();
const DateTime = z.iso.datetime();
const IsoDate = z
  .string()
  .refine(isValidIsoDate, { error: "Use a real date as YYYY-MM-DD." })
  .meta({ format: "date", example: "2026-09-30" });
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const LetterStatusSchema = z.enum(["draft", "published"]);

// ---- requests ----------------------------------------------------------------------------

export const LetterGenerateSchema = z
  .object({
    fiscalYear: z
      .number({ error: "Choose a fiscal year." })
      .int({ error: "Choose a fiscal year." })
      .min(1970, { error: "Choose a fiscal year from 1970 on." })
      .max(2200, { error: "Choose a fiscal year before 2200." }),
    audience: z.enum(AUDIENCES, { error: "Choose who the letter is for: public or internal." }),
    replaceEdits: z
      .boolean()
      .default(false)
      .describe("Regenerating a draft that has edits replaces them; without this the request is refused with LETTER.HAS_EDITS."),
  })
  .describe("Generates the draft of a year and audience from the record, or regenerates the existing draft.")
  .meta({ id: "LetterGenerate" });

export const LetterPatchSchema = z
  .object({ title: SaveDraftSchema.shape.title.optional(), body: SaveDraftSchema.shape.body.optional() })
  .refine((v) => v.title !== undefined || v.body !== undefined, { error: "Send title, body or both." })
  .describe("Send title, body or both; a field left out stays as it is.")
  .meta({ minProperties: 1, id: "LetterPatch" });

export const LetterPublishSchema = z
  .object({
    confirmation: z
      .string({ error: "Type the confirmation as text, e.g. “publish FY2026”." })
      .max(100, { error: "Type the confirmation as text, e.g. “publish FY2026”." })
      .optional()
      .describe(
        "Required until the letter's fiscal year has ended: the words `publish FY<year>` (case and spacing do not matter). Missing or different, " +
          "the request is refused with 422 LETTER.CONFIRMATION_REQUIRED naming `confirmation`, and the detail says how long the year still runs " +
          "and how many commitments the letter would list as still open. Once the year has ended it may be left out.",
      ),
  })
  .describe("Optional body. Publishing a letter whose fiscal year has not started is refused (422 LETTER.YEAR_NOT_STARTED).")
  .meta({ id: "LetterPublish" });

export const ErratumWriteSchema = ErratumSchema.omit({ intent: true })
  .describe("Markdown. Appended, dated, to the published letter; it can never be changed or removed.")
  .meta({ id: "ErratumWrite" });

export const PublicLedgerQuerySchema = z.object({
  year: z.coerce
    .number({ error: "Use a fiscal year such as 2026." })
    .int({ error: "Use a fiscal year such as 2026." })
    .min(1970, { error: "Use a fiscal year from 1970 on." })
    .max(2200, { error: "Use a fiscal year before 2200." })
    .optional()
    .describe("The fiscal year to list; the latest year with public commitments when left out."),
  cursor: z.string().max(1000).optional().describe("From the `next` link of the previous page."),
});

// ---- responses ---------------------------------------------------------------------------

export const PublishProblemSchema = z
  .object({
    code: z
      .enum(["EMPTY_BODY", "BODY_LEFT_OPEN", "BODY_FORBIDDEN_MARKUP", "BODY_RESERVED_HEADING", "APPENDIX_NOT_RENDERED", "SHORTFALL_NOT_MENTIONED", "NEXT_YEAR_BELOW_MINIMUM"])
      .describe(
        "BODY_LEFT_OPEN: a code fence, comment or HTML element is never closed. BODY_FORBIDDEN_MARKUP: SVG, <style>, <script> and the like. " +
          "BODY_RESERVED_HEADING: a heading Kept adds itself (Ledger appendix, How we rate outcomes, Errata, Record checkpoint). " +
          "APPENDIX_NOT_RENDERED: a CommonMark reader would not show the ledger appendix as a table of every entry. " +
          "SHORTFALL_NOT_MENTIONED: a missed, partial or withdrawn commitment is not quoted in text readers can see.",
      ),
    message: z.string(),
    commitmentId: Uuid.optional().describe("The commitment the body must mention, for SHORTFALL_NOT_MENTIONED."),
  })
  .meta({ id: "PublishProblem" });

export const LetterLedgerEntrySchema = z
  .object({
    id: Uuid,
    statement: z.string(),
    teamName: z.string(),
    periodLabel: z.string(),
    dueDate: IsoDate,
    audience: z.enum(AUDIENCES),
    status: z.enum(["open", ...OUTCOME_STATUSES]),
    resolvedAt: IsoDate.nullable(),
    daysLate: z.number().int(),
    measure: z.string().describe("The measure as a reader sees it, e.g. “p95 checkout latency ≤ 300 ms (from 900 ms)”."),
    actualValue: z.number().nullable(),
    evidenceUrl: z.string().nullable(),
    attempt: z.number().int(),
    rescoped: z.boolean(),
  })
  .describe("A commitment in the letter's scope with its outcome as recorded when the letter was published.")
  .meta({ id: "LetterLedgerEntry" });

export const ErratumResponseSchema = z
  .object({
    id: Uuid,
    body: z.string().describe("Markdown, as written."),
    bodyHtml: z.string().describe("Sanitised HTML of the body."),
    createdAt: DateTime,
    createdByName: z.string().nullable(),
  })
  .meta({ id: "Erratum" });

export const ErratumListSchema = z
  .object({ items: z.array(ErratumResponseSchema), next: z.string().nullable().describe("Path of the next page, or null.") })
  .meta({ id: "ErratumList" });

export const LetterSummarySchema = z
  .object({
    id: Uuid,
    fiscalYear: z.number().int(),
    audience: z.enum(AUDIENCES),
    title: z.string(),
    status: LetterStatusSchema,
    version: z.number().int(),
    updatedAt: DateTime,
    publishedAt: DateTime.nullable(),
    sha256: Sha256.nullable().describe("SHA-256 of `publishedMarkdown`, once published."),
    url: z.string().describe("The letter's permanent page on the site (it answers once the letter is published)."),
  })
  .meta({ id: "LetterSummary" });

export const LetterListSchema = z
  .object({ items: z.array(LetterSummarySchema), next: z.string().nullable().describe("Path of the next page, or null.") })
  .meta({ id: "LetterList" });

export const LetterSchema = LetterSummarySchema.extend({
  body: z.string().describe("The Markdown people edit; once published, the body as published (without the ledger appendix)."),
  edited: z.boolean().describe("Whether the body differs from what the generator last wrote."),
  generatedAt: DateTime,
  publishedMarkdown: z.string().nullable().describe("Body, ledger appendix and rating method: exactly the bytes `sha256` is of."),
  publishedHtml: z.string().nullable(),
  ledger: z.array(LetterLedgerEntrySchema).nullable().describe("The ledger appendix as data, once published."),
  previousLetterId: Uuid.nullable(),
  errata: z.array(ErratumResponseSchema).describe("Oldest first; always empty for a draft."),
  publishProblems: z
    .array(PublishProblemSchema)
    .nullable()
    .describe("For a draft: what stops it from being published right now (empty when it can be). Null once published."),
}).meta({ id: "Letter" });

export const PublicErratumSchema = ErratumResponseSchema.omit({ createdByName: true }).meta({ id: "PublicErratum" });

const LetterLinkSchema = z.object({ fiscalYear: z.number().int(), title: z.string(), url: z.string(), apiUrl: z.string() });

export const PublicLetterSummarySchema = z
  .object({
    fiscalYear: z.number().int(),
    title: z.string(),
    publishedAt: DateTime,
    sha256: Sha256,
    url: z.string().describe("The letter's page on the site."),
    apiUrl: z.string().describe("The letter in this API."),
  })
  .meta({ id: "PublicLetterSummary" });

export const PublicLetterListSchema = z
  .object({ items: z.array(PublicLetterSummarySchema), next: z.string().nullable().describe("Path of the next page, or null.") })
  .meta({ id: "PublicLetterList" });

export const PublicLetterSchema = PublicLetterSummarySchema.extend({
  publishedMarkdown: z.string().describe("Body, ledger appendix and rating method: exactly the bytes `sha256` is of."),
  publishedHtml: z.string(),
  ledger: z.array(LetterLedgerEntrySchema),
  errata: z.array(PublicErratumSchema).describe("Corrections appended since publication, oldest first."),
  previous: LetterLinkSchema.nullable(),
  next: LetterLinkSchema.nullable(),
}).meta({ id: "PublicLetter" });

const count = z.number().int().min(0);

export const PublicLedgerYearSchema = z
  .object({
    fiscalYear: z.number().int(),
    made: count,
    open: count,
    delivered: count,
    partial: count,
    missed: count,
    withdrawn: count,
    deliveryRate: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .describe("Delivered in full ÷ made (withdrawn and open included): the same delivery rate as every other surface. Null when nothing was made."),
  })
  .meta({ id: "PublicLedgerYear" });

export const PublicLedgerItemSchema = z
  .object({
    id: Uuid,
    statement: z.string(),
    teamName: z.string(),
    periodLabel: z.string(),
    dueDate: IsoDate,
    status: z.enum(["open", ...OUTCOME_STATUSES]),
    attempt: z.number().int(),
    measure: z.string().describe("The measure as a reader sees it."),
    resolvedAt: IsoDate.nullable(),
    daysLate: z.number().int(),
    actualValue: z.number().nullable(),
    evidenceUrl: z.string().nullable().describe("Only http(s) links and Kept references (`/letters/2026`); anything else is left out, as on the public page."),
    movedTo: z
      .string()
      .nullable()
      .describe("The later period a re-scope moved it to after it was locked; it still counts as made in this year."),
    changedAfterLetter: z
      .object({
        fiscalYear: z.number().int(),
        was: z.enum(["open", ...OUTCOME_STATUSES]),
        now: z.enum(["open", ...OUTCOME_STATUSES]),
        reason: z.string().nullable().describe("The reason given for the latest change of the outcome."),
      })
      .nullable()
      .describe("Set when the outcome differs from what the year's published letter froze in its ledger appendix."),
  })
  .meta({ id: "PublicLedgerItem" });

export const PublicLedgerSchema = z
  .object({
    organisationName: z.string(),
    years: z.array(PublicLedgerYearSchema).describe("Tallies of customer-facing commitments per fiscal year, newest first."),
    year: z.number().int().nullable().describe("The year `items` belong to; null when nothing public has been committed."),
    items: z.array(PublicLedgerItemSchema).describe("One page of the year's customer-facing commitments, by due date."),
    next: z.string().nullable().describe("Path of the next page of the year, or null."),
  })
  .meta({ id: "PublicLedger" });

// ---- the public log of the record (docs/decisions/0006-record-log-format.md) ------------------

const Hash = z.string().regex(/^[0-9a-f]{64}$/).describe("SHA-256, 64 lowercase hex digits.");

export const PublicLogQuerySchema = z.object({
  after: z.coerce
    .number({ error: "Use the sequence number of the last entry you have (0 to start)." })
    .int({ error: "Use the sequence number of the last entry you have (0 to start)." })
    .min(0, { error: "Use the sequence number of the last entry you have (0 to start)." })
    .max(Number.MAX_SAFE_INTEGER, { error: "Use the sequence number of the last entry you have (0 to start)." })
    .optional()
    .describe("Entries after this sequence number; 0 (the default) starts at the first."),
  limit: z.coerce
    .number({ error: "Use a page size from 1 to 1000." })
    .int({ error: "Use a page size from 1 to 1000." })
    .min(1, { error: "Use a page size from 1 to 1000." })
    .max(1000, { error: "Use a page size from 1 to 1000." })
    .optional()
    .describe("Entries per page (default 200)."),
  download: z
    .enum(["true", "false"], { error: "Use download=true for the whole log as one file." })
    .optional()
    .describe("true: the whole log as one JSON file (an attachment), ignoring after and limit."),
});

export const LogContentSchema = z
  .object({
    commitmentId: Uuid,
    version: z.number().int(),
    kind: z.string(),
    actorId: Uuid.nullable(),
    at: z.string().describe("ISO 8601 UTC with milliseconds, as hashed."),
    changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
    reason: z.string().nullable(),
  })
  .meta({ id: "LogContent" });

export const LogEntrySchema = z
  .object({
    seq: z.number().int().min(1),
    prevHash: Hash,
    contentHash: Hash,
    hash: Hash,
    visibility: z.enum(["public", "internal"]).describe("An internal commitment's entry is published as its hashes only."),
    content: LogContentSchema.optional().describe("Present for public entries: what content_hash is the hash of."),
  })
  .meta({ id: "LogEntry" });

export const CheckpointSchema = z
  .object({ seq: z.number().int().min(1), hash: Hash, at: z.string() })
  .meta({ id: "Checkpoint" });

export const PublicLogSchema = z
  .object({
    format: z.literal("kept-log/1"),
    head: CheckpointSchema.nullable().describe("The chain's head now; null while the record is empty."),
    entries: z.array(LogEntrySchema).describe("In chain order."),
    next: z.string().nullable().describe("Path of the next page, or null."),
  })
  .meta({ id: "PublicLog" });
