// What happened to the record, told to whoever listens: the one place services report an event.
// Called inside the transaction of the change (UI and API go through the same services), it
// writes, in that transaction, a webhook delivery and its job for every endpoint subscribed to
// the event, and the in-app notifications of a commitment's owner and its team's editors (with
// a job that mails those who want each by mail). So a change that rolls back tells nobody, and
// one that commits is told even if the process dies the moment after.
import { randomUUID } from "node:crypto";
import type { DbOrTx, Transaction } from "../../db/client";
import type { LetterErratumRow, LetterRow, NotificationKind, WebhookEventType } from "../../db/schema";
import type { FieldChange } from "~/domain/commitment";
import { letterPath } from "~/domain/letter-publish";
import type { Outcome, OutcomeStatus } from "~/domain/types";
import type { Commitment } from "~/models/commitment.server";
import { enqueue } from "~/models/jobs.server";
import { insertNotification, listCommitmentAudience } from "~/models/notification.server";
import { insertDeliveries, listSubscribedEndpointIds } from "~/models/webhook.server";
import type { WebhookCommitment, WebhookLetter, WebhookOutcome, WebhookPayloads } from "~/schemas/webhooks";
import { NOTIFYING_PREFERENCE, preferencesOf } from "./notifications.server";

export interface CheckInFacts {
  date: string;
  forecast: "on_track" | "at_risk" | "off_track" | "stalled";
  probability: number;
  progressValue: number | null;
  note: string | null;
}

export type KeptEvent =
  | { type: "commitment.created"; actorId: string; commitment: Commitment }
  | { type: "commitment.rescoped"; actorId: string; commitment: Commitment; reason: string; changes: FieldChange[] }
  | { type: "commitment.checked_in"; actorId: string; commitment: Commitment; checkIn: CheckInFacts }
  | { type: "outcome.recorded"; actorId: string; commitment: Commitment; outcome: Outcome }
  | { type: "outcome.changed"; actorId: string; commitment: Commitment; outcome: Outcome; previousStatus: OutcomeStatus; reason: string; changes: FieldChange[] }
  | { type: "letter.published"; actorId: string; letter: LetterRow }
  | { type: "erratum.appended"; actorId: string; letter: LetterRow; erratum: LetterErratumRow };

const commitmentPath = (id: string) => `/commitments/${id}`;

function commitmentData(c: Commitment): WebhookCommitment {
  return {
    id: c.id,
    statement: c.statement,
    teamId: c.teamId,
    ownerId: c.ownerId,
    periodLabel: c.periodLabel,
    dueDate: c.dueDate,
    audience: c.audience,
    status: c.status,
    version: c.version,
    path: commitmentPath(c.id),
  };
}

function outcomeData(o: Outcome): WebhookOutcome {
  return {
    status: o.status,
    resolvedAt: o.resolvedAt,
    actualValue: o.actualValue,
    evidenceUrl: o.evidenceUrl,
    reasonCategory: o.reasonCategory,
    control: o.control,
  };
}

function letterData(l: LetterRow): WebhookLetter {
  return {
    id: l.id,
    fiscalYear: l.fiscalYear,
    audience: l.audience,
    title: l.title,
    sha256: l.sha256,
    publishedAt: l.publishedAt ? l.publishedAt.toISOString() : null,
    path: letterPath(l.fiscalYear, l.audience),
  };
}

/** The Standard Webhooks body of an event: { type, timestamp, data }. */
export function payloadOf(event: KeptEvent, now: Date): WebhookPayloads[WebhookEventType] {
  const timestamp = now.toISOString();
  const { actorId } = event;
  switch (event.type) {
    case "commitment.created":
      return { type: event.type, timestamp, data: { actorId, commitment: commitmentData(event.commitment) } };
    case "commitment.rescoped":
      return { type: event.type, timestamp, data: { actorId, commitment: commitmentData(event.commitment), reason: event.reason, changes: event.changes } };
    case "commitment.checked_in":
      return { type: event.type, timestamp, data: { actorId, commitment: commitmentData(event.commitment), checkIn: event.checkIn } };
    case "outcome.recorded":
      return { type: event.type, timestamp, data: { actorId, commitment: commitmentData(event.commitment), outcome: outcomeData(event.outcome) } };
    case "outcome.changed":
      return {
        type: event.type,
        timestamp,
        data: {
          actorId,
          commitment: commitmentData(event.commitment),
          outcome: outcomeData(event.outcome),
          previousStatus: event.previousStatus,
          reason: event.reason,
          changes: event.changes,
        },
      };
    case "letter.published":
      return { type: event.type, timestamp, data: { actorId, letter: letterData(event.letter) } };
    case "erratum.appended":
      return {
        type: event.type,
        timestamp,
        data: {
          actorId,
          letter: letterData(event.letter),
          erratum: { id: event.erratum.id, body: event.erratum.body, createdAt: event.erratum.createdAt.toISOString() },
        },
      };
  }
}

/** Which in-app notification a commitment event becomes (none for the others). */
function notificationOf(event: KeptEvent): { kind: NotificationKind; title: string; body: string; commitment: Commitment } | null {
  switch (event.type) {
    case "commitment.rescoped":
      return { kind: "rescoped", title: "A commitment was re-scoped", body: `“${event.commitment.statement}” was re-scoped: ${event.reason}`, commitment: event.commitment };
    case "outcome.recorded":
      return { kind: "outcome", title: `Outcome recorded: ${event.outcome.status}`, body: `“${event.commitment.statement}” is now ${event.outcome.status}.`, commitment: event.commitment };
    case "outcome.changed":
      return {
        kind: "outcome",
        title: `Outcome changed: ${event.previousStatus} → ${event.outcome.status}`,
        body: `The outcome of “${event.commitment.statement}” changed from ${event.previousStatus} to ${event.outcome.status}: ${event.reason}`,
        commitment: event.commitment,
      };
    case "commitment.checked_in":
      return {
        kind: "checked_in",
        title: `Checked in: ${event.checkIn.forecast.replace("_", " ")}, ${event.checkIn.probability}%`,
        body: `Someone else checked in on “${event.commitment.statement}”${event.checkIn.note ? `: ${event.checkIn.note}` : "."}`,
        commitment: event.commitment,
      };
    default:
      return null;
  }
}

async function notify(tx: DbOrTx, event: KeptEvent, eventId: string, now: Date): Promise<void> {
  const notice = notificationOf(event);
  if (!notice) return;
  const audience = await listCommitmentAudience(tx, notice.commitment.id);
  const mailed: string[] = [];
  for (const userId of audience) {
    if (userId === event.actorId) continue;
    const preferences = await preferencesOf(tx, userId);
    if (!preferences[NOTIFYING_PREFERENCE[notice.kind]]) continue;
    const id = await insertNotification(tx, {
      userId,
      kind: notice.kind,
      dedupeKey: `event:${eventId}`,
      title: notice.title,
      body: notice.body.length > 500 ? `${notice.body.slice(0, 499)}…` : notice.body,
      path: commitmentPath(notice.commitment.id),
      createdAt: now,
    });
    if (id && preferences.email === "each") mailed.push(id);
  }
  if (mailed.length > 0) await enqueue(tx, "kept-notify", { notificationIds: mailed });
}

/** Reports an event; call it inside the transaction of the change that caused it. */
export async function emitEvent(tx: Transaction, event: KeptEvent, now: Date): Promise<void> {
  const eventId = randomUUID();
  const endpointIds = await listSubscribedEndpointIds(tx, event.type);
  if (endpointIds.length > 0) {
    const payload = payloadOf(event, now);
    const deliveryIds = await insertDeliveries(
      tx,
      endpointIds.map((endpointId) => ({ endpointId, eventId, eventType: event.type, payload, createdAt: now })),
    );
    for (const deliveryId of deliveryIds) await enqueue(tx, "kept-webhooks", { deliveryId });
  }
  await notify(tx, event, eventId, now);
}
