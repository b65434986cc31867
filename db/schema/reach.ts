import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

// Reaching people (ADR 0011): every message Kept writes is a row first, and a job on the
// queue second, both in the transaction of the change that caused it. The row is what an
// admin reads at Settings → Outbox, and the state the job moves forward.
export const MAIL_STATUSES = ["queued", "sent", "outbox", "bounced", "failed"] as const;
export const MAIL_KINDS = ["confirmation", "reminder", "digest", "notification", "letter", "commitment"] as const;

export const mailMessages = pgTable(
  "mail_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind", { enum: MAIL_KINDS }).notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body").notNull(),
    /** For anything not transactional: the one-click unsubscribe link (RFC 8058). */
    unsubscribeUrl: text("unsubscribe_url"),
    status: text("status", { enum: MAIL_STATUSES }).notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    smtpMessageId: text("smtp_message_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    settledAt: timestamp("settled_at", { withTimezone: true }),
  },
  (t) => [
    index("mail_messages_created_idx").on(t.createdAt, t.id),
    check("mail_messages_status_check", sql`${t.status} in ('queued', 'sent', 'outbox', 'bounced', 'failed')`),
  ],
);

export type MailMessage = typeof mailMessages.$inferSelect;
export type MailKind = (typeof MAIL_KINDS)[number];
export type MailStatus = (typeof MAIL_STATUSES)[number];
