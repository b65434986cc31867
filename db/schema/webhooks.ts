import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./people";

// Outgoing webhooks (ADR 0014). An endpoint is an https URL an admin subscribed to some event
// types, with its Standard Webhooks signing secret. Each event that matches becomes a delivery
// row (its payload frozen, so a redelivery sends the same bytes' meaning and the same
// webhook-id) and a job on `kept-webhooks`, in the transaction of the change that caused it.
// Every try is an attempt row: the delivery log admins read.
export const WEBHOOK_EVENT_TYPES = [
  "commitment.created",
  "commitment.rescoped",
  "commitment.checked_in",
  "outcome.recorded",
  "outcome.changed",
  "letter.published",
  "erratum.appended",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    events: jsonb("events").$type<WebhookEventType[]>().notNull(),
    active: boolean("active").notNull().default(true),
    /** `whsec_…`: needed in clear to sign, so it is stored as is (shown to admins once). */
    secret: text("secret").notNull(),
    /** After a rotation the old secret also signs until this time, so receivers can switch over. */
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: timestamp("previous_secret_expires_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("webhook_endpoints_created_idx").on(t.createdAt, t.id)],
);

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "retrying", "delivered", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    /** Also the message's `webhook-id` (as `msg_<id without dashes>`), the same on every try. */
    id: uuid("id").primaryKey().defaultRandom(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    /** One event fans out to one delivery per subscribed endpoint; they share this id. */
    eventId: uuid("event_id").notNull(),
    eventType: text("event_type", { enum: WEBHOOK_EVENT_TYPES }).notNull(),
    /** The Standard Webhooks body: { type, timestamp, data }. */
    payload: jsonb("payload").$type<{ type: WebhookEventType; timestamp: string; data: unknown }>().notNull(),
    status: text("status", { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt, t.id),
    index("webhook_deliveries_created_idx").on(t.createdAt),
    check("webhook_deliveries_status_check", sql`${t.status} in ('pending', 'retrying', 'delivered', 'failed')`),
  ],
);

export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    /** 1 for the first try of a delivery; counts on across retries and redeliveries. */
    attempt: integer("attempt").notNull(),
    /** Asked for by an admin ("redeliver") rather than the queue's own schedule. */
    manual: boolean("manual").notNull().default(false),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    /** The receiver's HTTP status; null when there was no answer (refused, timed out, blocked). */
    responseStatus: integer("response_status"),
    latencyMs: integer("latency_ms"),
    /** The first KiB or so of the answer's body, as text. */
    responseExcerpt: text("response_excerpt"),
    error: text("error"),
    succeeded: boolean("succeeded").notNull(),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId, t.attempt), index("webhook_attempts_started_idx").on(t.startedAt)],
);

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WebhookAttempt = typeof webhookAttempts.$inferSelect;
