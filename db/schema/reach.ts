import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./people";

// Reaching people (ADR 0011): every message Kept writes is a row first, and a job on the
// queue second, both in the transaction of the change that caused it. The row is what an
// admin reads at Settings → Outbox, and the state the job moves forward.
export const MAIL_STATUSES = ["queued", "sent", "outbox", "bounced", "failed"] as const;
export const MAIL_KINDS = ["confirmation", "reminder", "digest", "notification", "letter", "commitment", "account"] as const;

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

// In-app notifications: what reminders and events tell a person, so a team without mail still
// hears. One row per (person, occasion): the dedupe key makes a sweep that runs twice harmless.
// The first four are reminders (swept); the rest are events on a commitment, written in the
// transaction of the change and told to its owner and its team's editors (not the one who acted).
export const NOTIFICATION_KINDS = ["check_in", "due_soon", "past_due", "retrospective", "rescoped", "outcome", "checked_in"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    /** Path inside Kept, e.g. /commitments/… */
    path: text("path").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    readAt: timestamp("read_at", { withTimezone: true }),
    /** Events only: when its mail was queued (the job that mails it may run twice). */
    mailedAt: timestamp("mailed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("notifications_user_dedupe_key").on(t.userId, t.dedupeKey),
    index("notifications_user_created_idx").on(t.userId, t.createdAt),
  ],
);

// Which reminders a person gets and how mail reaches them. `email`: each reminder by mail as
// it comes, only in the weekly digest, or never (in-app only). Without a row of their own a
// person has the organisation's defaults (the row with user_id null).
export const EMAIL_FREQUENCIES = ["each", "digest", "never"] as const;
export type EmailFrequency = (typeof EMAIL_FREQUENCIES)[number];

export const notificationPreferences = pgTable(
  "notification_preferences",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** null: the organisation's defaults, set by admins. */
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    checkIn: boolean("check_in").notNull().default(true),
    dueSoon: boolean("due_soon").notNull().default(true),
    pastDue: boolean("past_due").notNull().default(true),
    retrospective: boolean("retrospective").notNull().default(true),
    weeklyDigest: boolean("weekly_digest").notNull().default(true),
    /** Events on one's commitments and one's teams': re-scoped, outcome recorded or changed, checked in by someone else. */
    rescopes: boolean("rescopes").notNull().default(true),
    outcomes: boolean("outcomes").notNull().default(true),
    checkIns: boolean("check_ins").notNull().default(true),
    email: text("email", { enum: EMAIL_FREQUENCIES }).notNull().default("each"),
    /** Defaults row only: days without a check-in before an owner is reminded. */
    checkInCadenceDays: integer("check_in_cadence_days").notNull().default(14),
    /** The ISO week (e.g. 2026-W48) of the last digest queued for this person: one per week. */
    lastDigestWeek: text("last_digest_week"),
    /** Secret in the unsubscribe link of this person's mail. */
    unsubscribeToken: text("unsubscribe_token"),
    /**
     * Kinds of notification this person stopped by mail with the one-click unsubscribe link of
     * such a mail; they still arrive in Kept. Account → Notifications turns them back on.
     */
    mailOff: text("mail_off", { enum: NOTIFICATION_KINDS }).array().notNull().default(sql`'{}'::text[]`),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("notification_preferences_user_key").on(t.userId),
    uniqueIndex("notification_preferences_defaults_key").on(sql`(${t.userId} is null)`).where(sql`${t.userId} is null`),
    uniqueIndex("notification_preferences_token_key").on(t.unsubscribeToken),
    check("notification_preferences_email_check", sql`${t.email} in ('each', 'digest', 'never')`),
    check("notification_preferences_cadence_check", sql`${t.checkInCadenceDays} between 1 and 365`),
    check(
      "notification_preferences_mail_off_check",
      sql`${t.mailOff} <@ array['check_in', 'due_soon', 'past_due', 'retrospective', 'rescoped', 'outcome', 'checked_in']::text[]`,
    ),
  ],
);

export type NotificationPreferences = typeof notificationPreferences.$inferSelect;
