import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { mailMessages, type MailKind, type MailStatus } from "../../db/schema";

export async function insertMailMessage(
  db: DbOrTx,
  values: { kind: MailKind; toAddress: string; subject: string; textBody: string; htmlBody: string; unsubscribeUrl: string | null; createdAt: Date },
) {
  const [row] = await db.insert(mailMessages).values(values).returning({ id: mailMessages.id });
  return row!;
}

export async function getMailMessage(db: DbOrTx, id: string) {
  const [row] = await db.select().from(mailMessages).where(eq(mailMessages.id, id));
  return row ?? null;
}

/** Moves a queued message to where it ended up; a message already settled is left alone. */
export async function settleMailMessage(
  db: DbOrTx,
  id: string,
  values: { status: Exclude<MailStatus, "queued">; settledAt: Date; lastError?: string | null; smtpMessageId?: string | null },
) {
  const rows = await db
    .update(mailMessages)
    .set({ ...values, attempts: sql`${mailMessages.attempts} + 1` })
    .where(and(eq(mailMessages.id, id), eq(mailMessages.status, "queued")))
    .returning({ id: mailMessages.id });
  return rows.length > 0;
}

/** A failed attempt that will be retried: the message stays queued, with the reason. */
export async function noteMailAttempt(db: DbOrTx, id: string, error: string) {
  await db
    .update(mailMessages)
    .set({ attempts: sql`${mailMessages.attempts} + 1`, lastError: error })
    .where(and(eq(mailMessages.id, id), eq(mailMessages.status, "queued")));
}

export const mailListColumns = {
  id: mailMessages.id,
  kind: mailMessages.kind,
  toAddress: mailMessages.toAddress,
  subject: mailMessages.subject,
  textBody: mailMessages.textBody,
  unsubscribeUrl: mailMessages.unsubscribeUrl,
  status: mailMessages.status,
  attempts: mailMessages.attempts,
  lastError: mailMessages.lastError,
  createdAt: mailMessages.createdAt,
  settledAt: mailMessages.settledAt,
};

/** Newest first, a page at a time; `before` is the last row of the previous page. */
export async function listMailMessages(db: DbOrTx, options: { limit: number; before?: { createdAt: Date; id: string } }) {
  const { before } = options;
  return db
    .select(mailListColumns)
    .from(mailMessages)
    .where(
      before
        ? or(lt(mailMessages.createdAt, before.createdAt), and(eq(mailMessages.createdAt, before.createdAt), lt(mailMessages.id, before.id)))
        : undefined,
    )
    .orderBy(desc(mailMessages.createdAt), desc(mailMessages.id))
    .limit(options.limit);
}
