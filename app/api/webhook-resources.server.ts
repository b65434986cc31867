// The API's representations of webhooks (schemas: app/schemas/webhooks.ts). Secrets appear only
// in the answers that create or rotate them.
import type { EndpointRow } from "~/models/webhook.server";
import type { WebhookDeliveryStatus, WebhookEventType } from "../../db/schema";
import { messageIdOf } from "~/services/webhook-delivery.server";

export function webhookResource(e: EndpointRow) {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: e.events,
    active: e.active,
    previousSecretExpiresAt: e.previousSecretExpiresAt ? e.previousSecretExpiresAt.toISOString() : null,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

export function deliveryResource(d: {
  id: string;
  eventId: string;
  eventType: WebhookEventType;
  status: WebhookDeliveryStatus;
  attempts: number;
  createdAt: Date;
  lastAttemptAt: Date | null;
  deliveredAt: Date | null;
  log: Array<{
    attempt: number;
    manual: boolean;
    startedAt: Date;
    responseStatus: number | null;
    latencyMs: number | null;
    responseExcerpt: string | null;
    error: string | null;
    succeeded: boolean;
  }>;
}) {
  return {
    id: d.id,
    messageId: messageIdOf(d.id),
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    createdAt: d.createdAt.toISOString(),
    lastAttemptAt: d.lastAttemptAt ? d.lastAttemptAt.toISOString() : null,
    deliveredAt: d.deliveredAt ? d.deliveredAt.toISOString() : null,
    log: d.log.map((a) => ({
      attempt: a.attempt,
      manual: a.manual,
      startedAt: a.startedAt.toISOString(),
      responseStatus: a.responseStatus,
      latencyMs: a.latencyMs,
      responseExcerpt: a.responseExcerpt,
      error: a.error,
      succeeded: a.succeeded,
    })),
  };
}
