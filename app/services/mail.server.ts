// Mail: written as a row and queued in the caller's transaction, delivered by the queue's
// worker through SMTP — or kept in the outbox when SMTP is not configured. A refused address
// (5xx) is a bounce and is not retried; anything else is retried with backoff until pg-boss
// dead-letters it, and the row says what happened at every step.
import type { Logger } from "pino";
import type { DbOrTx } from "../../db/client";
import type { MailKind } from "../../db/schema";
import { addressOf, renderMail, type MailBlock } from "~/domain/mail";
import { enqueue } from "~/models/jobs.server";
import { getMailMessage, insertMailMessage, listMailMessages, noteMailAttempt, settleMailMessage } from "~/models/mail.server";
import { getOrganisation } from "~/models/organisation.server";
import { decodeCursor, keysetPage } from "~/utils/cursor";
import { classifyMailError, type MailTransport } from "~/utils/mail-transport.server";
import { authorize } from "./authorize.server";
import { ok, type Actor } from "~/domain/result";

export interface MailRequest {
  kind: MailKind;
  to: string;
  subject: string;
  heading: string;
  blocks: MailBlock[];
  /** Why the reader gets this, in one sentence. */
  reason: string;
  /** Required for everything but confirmations (RFC 8058 one-click unsubscribe). */
  unsubscribeUrl?: string;
}

export function isTransactional(kind: MailKind): boolean {
  // Account mail (an invitation, a reset link) is what the person asked their admin for.
  return kind === "confirmation" || kind === "account";
}

/** Writes the message and queues its delivery; pass the transaction of the change that caused it. */
export async function queueMail(db: DbOrTx, request: MailRequest, now: Date): Promise<string> {
  if (!isTransactional(request.kind) && !request.unsubscribeUrl) {
    throw new Error(`${request.kind} mail needs an unsubscribe link`);
  }
  const org = await getOrganisation(db);
  const rendered = renderMail({
    organisationName: org?.name ?? "Kept",
    heading: request.heading,
    blocks: request.blocks,
    reason: request.reason,
    unsubscribeUrl: request.unsubscribeUrl,
  });
  const { id } = await insertMailMessage(db, {
    kind: request.kind,
    toAddress: request.to,
    subject: request.subject,
    textBody: rendered.text,
    htmlBody: rendered.html,
    unsubscribeUrl: request.unsubscribeUrl ?? null,
    createdAt: now,
  });
  await enqueue(db, "kept-mail", { messageId: id });
  return id;
}

export interface MailDelivery {
  db: DbOrTx;
  /** null: SMTP is not configured, so mail stays in the outbox. */
  transport: MailTransport | null;
  /** MAIL_FROM; the display name becomes the organisation's. */
  from: string;
  logger: Logger;
  /** Told when an address bounced, so whatever sends to it can stop. */
  onBounce?: (db: DbOrTx, address: string, now: Date, reason: string) => Promise<void>;
}

export type DeliveryOutcome = "sent" | "outbox" | "bounced" | "failed" | "already-settled";

/** Delivers one queued message. Throws only when trying again later could help. */
export async function deliverMail(deps: MailDelivery, messageId: string, now: Date): Promise<DeliveryOutcome> {
  const message = await getMailMessage(deps.db, messageId);
  if (!message || message.status !== "queued") return "already-settled";
  const log = deps.logger.child({ mailId: message.id, kind: message.kind });
  if (!deps.transport) {
    await settleMailMessage(deps.db, message.id, { status: "outbox", settledAt: now });
    log.info("mail kept in the outbox: SMTP is not configured");
    return "outbox";
  }
  const org = await getOrganisation(deps.db);
  const headers: Record<string, string> = {};
  if (message.unsubscribeUrl) {
    headers["List-Unsubscribe"] = `<${message.unsubscribeUrl}>`;
    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  }
  try {
    const info = await deps.transport.send({
      from: { name: org?.name ?? "Kept", address: addressOf(deps.from) },
      to: message.toAddress,
      subject: message.subject,
      text: message.textBody,
      html: message.htmlBody,
      headers,
    });
    await settleMailMessage(deps.db, message.id, { status: "sent", settledAt: now, smtpMessageId: info.messageId, lastError: null });
    log.info("mail sent");
    return "sent";
  } catch (error) {
    const failure = classifyMailError(error);
    if (failure.permanent) {
      const bounced = /^5\d\d/.test(failure.message) || (error as { responseCode?: number }).responseCode !== undefined;
      await settleMailMessage(deps.db, message.id, { status: bounced ? "bounced" : "failed", settledAt: now, lastError: failure.message });
      if (bounced) await deps.onBounce?.(deps.db, message.toAddress, now, failure.message);
      log.warn({ error: failure.message }, bounced ? "mail bounced; not retried" : "mail cannot be addressed; not retried");
      return bounced ? "bounced" : "failed";
    }
    await noteMailAttempt(deps.db, message.id, failure.message);
    log.warn({ error: failure.message }, "mail not delivered; the queue will retry");
    throw new Error(`mail ${message.id} not delivered: ${failure.message}`, { cause: error });
  }
}

const OUTBOX_PAGE = 50;

/** Every message Kept wrote, newest first: what was sent, what waits, what bounced, what was kept. */
export async function readOutbox(db: DbOrTx, actor: Actor, cursor: string | null) {
  const refused = authorize(actor, "organisation.manage", "Only admins can read the outbox.");
  if (refused) return refused;
  const after = decodeCursor(cursor, { createdAt: "instant", id: "uuid" });
  const before = after ? { createdAt: new Date(after.createdAt), id: after.id } : undefined;
  const rows = await listMailMessages(db, { limit: OUTBOX_PAGE + 1, before });
  const { items, next } = keysetPage(rows, OUTBOX_PAGE, (last) => ({ createdAt: last.createdAt.toISOString(), id: last.id }));
  return ok({ items, nextCursor: next });
}
