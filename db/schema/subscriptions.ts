import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { commitments } from "./commitments";

// Readers who asked for mail (ADR 0013). An address is stored only once it has been confirmed
// (double opt-in); until then it lives in a request row whose link expires. Unsubscribing
// deletes the subscriber row, and with it every watch (cascade) — Kept keeps no list of
// people who left. Addresses are never shown on the public site.
export const SUBSCRIBER_STATES = ["confirmed", "bounced"] as const;
export type SubscriberState = (typeof SUBSCRIBER_STATES)[number];

export const subscribers = pgTable(
  "subscribers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Lower-cased, so one address is one subscriber however it was typed. */
    email: text("email").notNull(),
    /** Wants the public letters and their errata. A subscriber may only watch commitments. */
    letters: boolean("letters").notNull().default(false),
    state: text("state", { enum: SUBSCRIBER_STATES }).notNull().default("confirmed"),
    /** Secret in the unsubscribe link (RFC 8058) of every message to this address. */
    unsubscribeToken: text("unsubscribe_token").notNull(),
    /** The SMTP server's answer that marked the address bounced. */
    bounceReason: text("bounce_reason"),
    bouncedAt: timestamp("bounced_at", { withTimezone: true }),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("subscribers_email_key").on(t.email),
    uniqueIndex("subscribers_unsubscribe_token_key").on(t.unsubscribeToken),
    check("subscribers_state_check", sql`${t.state} in ('confirmed', 'bounced')`),
  ],
);

/** A public commitment a subscriber hears about (re-scopes, outcomes). */
export const commitmentWatches = pgTable(
  "commitment_watches",
  {
    subscriberId: uuid("subscriber_id")
      .notNull()
      .references(() => subscribers.id, { onDelete: "cascade" }),
    commitmentId: uuid("commitment_id")
      .notNull()
      .references(() => commitments.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.subscriberId, t.commitmentId] }), index("commitment_watches_commitment_idx").on(t.commitmentId)],
);

/**
 * One "please subscribe me" waiting for its confirmation link to be followed. Only the
 * SHA-256 of the link's secret is stored: the outbox shows the link, the table does not.
 * `commitment_id` null means the letters.
 */
export const subscriptionRequests = pgTable(
  "subscription_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull(),
    email: text("email").notNull(),
    commitmentId: uuid("commitment_id").references(() => commitments.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("subscription_requests_token_key").on(t.tokenHash),
    index("subscription_requests_email_idx").on(t.email),
    index("subscription_requests_expires_idx").on(t.expiresAt),
  ],
);

export type SubscriberRow = typeof subscribers.$inferSelect;
export type SubscriptionRequestRow = typeof subscriptionRequests.$inferSelect;
