// Webhooks: the endpoint form (Settings → Webhooks and the API share its fields), the API's
// representations, and the payload of every event (documented in the OpenAPI `webhooks`
// section and used to build the payloads, so the document cannot drift from what is sent).
import { z } from "zod";
import { AUDIENCES, OUTCOME_STATUSES } from "~/domain/types";
import { UuidSchema } from "./common";
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "../../db/schema/webhooks";

// The list of events lives with the table that stores them; forms read it from here.
export { WEBHOOK_EVENT_TYPES, type WebhookEventType };

export const MAX_WEBHOOK_URL = 2000;
export const MAX_WEBHOOK_DESCRIPTION = 200;

export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES, { error: "Choose events from the list." }).meta({ id: "WebhookEventType" });

export const WebhookUrlSchema = z
  .string({ error: "Enter the URL to send events to." })
  .trim()
  .min(1, { error: "Enter the URL to send events to." })
  .max(MAX_WEBHOOK_URL, { error: `Keep the URL under ${MAX_WEBHOOK_URL} characters.` })
  .describe("An https URL on a public address (loopback and private addresses, and http, only when allowed in the webhook settings).");

export const WebhookDescriptionSchema = z
  .string()
  .trim()
  .max(MAX_WEBHOOK_DESCRIPTION, { error: `Keep the description under ${MAX_WEBHOOK_DESCRIPTION} characters.` });

export const WebhookEventsSchema = z
  .array(WebhookEventTypeSchema, { error: "Choose at least one event." })
  .min(1, { error: "Choose at least one event." })
  .max(WEBHOOK_EVENT_TYPES.length)
  .refine((events) => new Set(events).size === events.length, { error: "Name each event once." });

// ---- the UI's forms ----------------------------------------------------------------------

export const WebhookFormSchema = z.object({
  url: WebhookUrlSchema,
  description: WebhookDescriptionSchema.default(""),
  events: WebhookEventsSchema,
  active: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()).default(false),
});

// ---- API requests --------------------------------------------------------------------------

export const WebhookWriteSchema = z
  .object({
    url: WebhookUrlSchema,
    description: WebhookDescriptionSchema.default(""),
    events: WebhookEventsSchema,
    active: z.boolean().default(true),
  })
  .meta({ id: "WebhookWrite" });

export const WebhookPatchSchema = z
  .object({
    url: WebhookUrlSchema.optional(),
    description: WebhookDescriptionSchema.optional(),
    events: WebhookEventsSchema.optional(),
    active: z.boolean().optional().describe("false stops new events reaching the endpoint; deliveries already queued are not sent."),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { error: "Send at least one of url, description, events and active." })
  .meta({ minProperties: 1, id: "WebhookPatch" });

export const WebhookSettingsSchema = z
  .object({
    allowPrivateTargets: z
      .boolean({ error: "Send true or false." })
      .describe("Lets webhooks target loopback, private, link-local and unique-local addresses, and plain http. Cloud metadata addresses stay refused."),
  })
  .meta({ id: "WebhookSettings" });

export const WebhookDeliveriesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(1000).optional().describe("From the `next` link of the previous page."),
});

// ---- API responses -------------------------------------------------------------------------

const DateTime = z.iso.datetime();

export const WebhookSchema = z
  .object({
    id: UuidSchema,
    url: z.string(),
    description: z.string(),
    events: z.array(WebhookEventTypeSchema),
    active: z.boolean(),
    previousSecretExpiresAt: DateTime.nullable().describe("Until then deliveries are signed with the previous secret too (after a rotation)."),
    createdAt: DateTime,
    updatedAt: DateTime,
  })
  .meta({ id: "Webhook" });

export const WebhookSecretSchema = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/=]+$/)
  .describe("The signing secret (Standard Webhooks, `whsec_` + base64). Shown only in this answer: store it now.");

export const WebhookCreatedSchema = WebhookSchema.extend({ secret: WebhookSecretSchema }).meta({ id: "WebhookCreated" });

export const WebhookSecretRotatedSchema = z
  .object({ secret: WebhookSecretSchema, previousSecretExpiresAt: DateTime })
  .meta({ id: "WebhookSecretRotated" });

export const WebhookAttemptSchema = z
  .object({
    attempt: z.number().int().min(1),
    manual: z.boolean().describe("true when an admin asked for it (redeliver)."),
    startedAt: DateTime,
    responseStatus: z.number().int().nullable().describe("null when there was no answer (refused, timed out, address not allowed)."),
    latencyMs: z.number().int().nullable(),
    responseExcerpt: z.string().nullable().describe("The first KiB of the answer's body."),
    error: z.string().nullable(),
    succeeded: z.boolean(),
  })
  .meta({ id: "WebhookAttempt" });

export const WebhookDeliverySchema = z
  .object({
    id: UuidSchema,
    messageId: z.string().describe("The `webhook-id` header sent with every try of this delivery."),
    eventId: UuidSchema.describe("Shared by the deliveries of one event to several endpoints."),
    eventType: WebhookEventTypeSchema,
    status: z.enum(WEBHOOK_DELIVERY_STATUSES),
    attempts: z.number().int().min(0),
    createdAt: DateTime,
    lastAttemptAt: DateTime.nullable(),
    deliveredAt: DateTime.nullable(),
    log: z.array(WebhookAttemptSchema).describe("Every try, newest first."),
  })
  .meta({ id: "WebhookDelivery" });

export const WebhookDeliveryListSchema = z
  .object({ items: z.array(WebhookDeliverySchema), next: z.string().nullable() })
  .meta({ id: "WebhookDeliveryList" });

export const WebhookRedeliveredSchema = z
  .object({ deliveryId: UuidSchema, status: z.literal("pending") })
  .meta({ id: "WebhookRedelivered" });

// ---- payloads ------------------------------------------------------------------------------

export const WebhookCommitmentSchema = z
  .object({
    id: UuidSchema,
    statement: z.string(),
    teamId: UuidSchema,
    ownerId: UuidSchema.nullable(),
    periodLabel: z.string(),
    dueDate: z.string().meta({ format: "date" }),
    audience: z.enum(AUDIENCES),
    status: z.enum(["open", ...OUTCOME_STATUSES]),
    version: z.number().int(),
    path: z.string().describe("Where the commitment is in Kept, e.g. /commitments/<id>."),
  })
  .meta({ id: "WebhookCommitment" });

const FieldChangeSchema = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() });

export const WebhookOutcomeSchema = z
  .object({
    status: z.enum(OUTCOME_STATUSES),
    resolvedAt: z.string().meta({ format: "date" }),
    actualValue: z.number().nullable(),
    evidenceUrl: z.string().nullable(),
    reasonCategory: z.string().nullable(),
    control: z.string().nullable(),
  })
  .meta({ id: "WebhookOutcome" });

export const WebhookLetterSchema = z
  .object({
    id: UuidSchema,
    fiscalYear: z.number().int(),
    audience: z.enum(AUDIENCES),
    title: z.string(),
    sha256: z.string().nullable(),
    publishedAt: DateTime.nullable(),
    path: z.string().describe("The letter's permanent address, e.g. /letters/2026."),
  })
  .meta({ id: "WebhookLetter" });

const envelope = <T extends string, D extends z.ZodType>(type: T, data: D, id: string, description: string) =>
  z
    .object({
      type: z.literal(type),
      timestamp: DateTime.describe("When the change happened."),
      data,
    })
    .describe(description)
    .meta({ id });

const actor = UuidSchema.describe("Who made the change.");

export const WEBHOOK_PAYLOAD_SCHEMAS = {
  "commitment.created": envelope(
    "commitment.created",
    z.object({ actorId: actor, commitment: WebhookCommitmentSchema }),
    "CommitmentCreatedEvent",
    "A commitment was made (also by import or carry-forward).",
  ),
  "commitment.rescoped": envelope(
    "commitment.rescoped",
    z.object({ actorId: actor, commitment: WebhookCommitmentSchema, reason: z.string(), changes: z.array(FieldChangeSchema) }),
    "CommitmentRescopedEvent",
    "What was promised changed after the commitment was locked, with the written reason.",
  ),
  "commitment.checked_in": envelope(
    "commitment.checked_in",
    z.object({
      actorId: actor,
      commitment: WebhookCommitmentSchema,
      checkIn: z.object({
        date: z.string().meta({ format: "date" }),
        forecast: z.enum(["on_track", "at_risk", "off_track", "stalled"]),
        probability: z.number().int(),
        progressValue: z.number().nullable(),
        note: z.string().nullable(),
      }),
    }),
    "CommitmentCheckedInEvent",
    "A check-in was posted.",
  ),
  "outcome.recorded": envelope(
    "outcome.recorded",
    z.object({ actorId: actor, commitment: WebhookCommitmentSchema, outcome: WebhookOutcomeSchema }),
    "OutcomeRecordedEvent",
    "The commitment's outcome was recorded for the first time.",
  ),
  "outcome.changed": envelope(
    "outcome.changed",
    z.object({
      actorId: actor,
      commitment: WebhookCommitmentSchema,
      outcome: WebhookOutcomeSchema,
      previousStatus: z.enum(OUTCOME_STATUSES),
      reason: z.string(),
      changes: z.array(FieldChangeSchema),
    }),
    "OutcomeChangedEvent",
    "A recorded outcome was changed, with the written reason.",
  ),
  "letter.published": envelope(
    "letter.published",
    z.object({ actorId: actor, letter: WebhookLetterSchema }),
    "LetterPublishedEvent",
    "A letter was published (frozen, with its SHA-256).",
  ),
  "erratum.appended": envelope(
    "erratum.appended",
    z.object({
      actorId: actor,
      letter: WebhookLetterSchema,
      erratum: z.object({ id: UuidSchema, body: z.string(), createdAt: DateTime }),
    }),
    "ErratumAppendedEvent",
    "A dated correction was appended to a published letter.",
  ),
} as const;

export type WebhookPayloads = { [K in keyof typeof WEBHOOK_PAYLOAD_SCHEMAS]: z.output<(typeof WEBHOOK_PAYLOAD_SCHEMAS)[K]> };
export type WebhookCommitment = z.output<typeof WebhookCommitmentSchema>;
export type WebhookOutcome = z.output<typeof WebhookOutcomeSchema>;
export type WebhookLetter = z.output<typeof WebhookLetterSchema>;
