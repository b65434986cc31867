// One try of one webhook delivery, run by the `kept-webhooks` worker. The target is resolved
// and checked now (not only when it was saved: DNS may have changed), the connection goes to
// the checked address, the body is signed per Standard Webhooks (the `standardwebhooks`
// package) with the endpoint's secret — and, for a day after a rotation, the previous one too —
// and every try is written to the delivery log. A failed try throws, so the queue retries it
// with backoff and dead-letters it after the last.
import type { Logger } from "pino";
import { Webhook } from "standardwebhooks";
import { z } from "zod";
import type { Database } from "../../db/client";
import type { WebhookDeliveryStatus } from "../../db/schema";
import { beginAttempt, getDelivery, getEndpointForDelivery, recordAttempt } from "~/models/webhook.server";
import { postWebhook } from "~/utils/webhook-http.server";
import { resolveWebhookTarget, type Lookup } from "~/utils/webhook-target.server";
import { privateTargetsAllowed } from "./webhooks.server";

export const WebhookJobSchema = z.object({ deliveryId: z.uuid(), manual: z.boolean().optional() });

export interface WebhookDeliveryDeps {
  db: Database;
  logger: Logger;
  now: () => Date;
  /** The whole exchange (connect, send, answer) must finish within this. */
  timeoutMs: number;
  lookup?: Lookup;
}

/** The `webhook-id` of a delivery: the same on every try, so receivers can drop duplicates. */
export function messageIdOf(deliveryId: string): string {
  return `msg_${deliveryId.replace(/-/g, "")}`;
}

export class WebhookDeliveryFailed extends Error {}

export async function deliverWebhook(
  deps: WebhookDeliveryDeps,
  job: z.output<typeof WebhookJobSchema>,
  context: { retryCount: number; retryLimit: number },
): Promise<void> {
  const { db, logger } = deps;
  const delivery = await getDelivery(db, job.deliveryId);
  if (!delivery) return; // its endpoint was deleted meanwhile
  const endpoint = await getEndpointForDelivery(db, delivery.endpointId);
  if (!endpoint) return;
  const startedAt = deps.now();
  const attempt = await beginAttempt(db, delivery.id, startedAt);
  if (attempt === null) return;
  const base = { deliveryId: delivery.id, attempt, manual: job.manual ?? false, startedAt };
  const final = context.retryCount >= context.retryLimit;

  if (!endpoint.active) {
    await recordAttempt(
      db,
      { ...base, responseStatus: null, latencyMs: null, responseExcerpt: null, error: "The endpoint is disabled; nothing was sent.", succeeded: false },
      "failed",
      null,
    );
    return;
  }

  const failed = async (values: { responseStatus: number | null; latencyMs: number | null; responseExcerpt: string | null; error: string }) => {
    const status: WebhookDeliveryStatus = final ? "failed" : "retrying";
    await recordAttempt(db, { ...base, ...values, succeeded: false }, status, null);
    logger.warn({ deliveryId: delivery.id, endpointId: endpoint.id, attempt, status: values.responseStatus, error: values.error }, "webhook not delivered");
    throw new WebhookDeliveryFailed(values.error);
  };

  const allowPrivate = await privateTargetsAllowed(db);
  const resolved = await resolveWebhookTarget(endpoint.url, { allowPrivate }, { lookup: deps.lookup });
  if (!resolved.ok) return failed({ responseStatus: null, latencyMs: null, responseExcerpt: null, error: `Not sent: ${resolved.message}` });

  const body = JSON.stringify(delivery.payload);
  const msgId = messageIdOf(delivery.id);
  const signedAt = deps.now();
  const secrets = [endpoint.secret];
  if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > signedAt) secrets.push(endpoint.previousSecret);
  const signature = secrets.map((secret) => new Webhook(secret).sign(msgId, signedAt, body)).join(" ");

  const answer = await postWebhook(resolved.target, {
    body,
    timeoutMs: deps.timeoutMs,
    headers: {
      "Content-Type": "application/json",
      "User-Agent": "Kept-Webhooks/1",
      "webhook-id": msgId,
      "webhook-timestamp": String(Math.floor(signedAt.getTime() / 1000)),
      "webhook-signature": signature,
    },
  });
  if (answer.kind === "failed") return failed({ responseStatus: null, latencyMs: answer.latencyMs, responseExcerpt: null, error: answer.error });
  if (answer.status < 200 || answer.status > 299) {
    const why = answer.status >= 300 && answer.status < 400 ? `The endpoint answered ${answer.status} (redirects are not followed).` : `The endpoint answered ${answer.status}.`;
    return failed({ responseStatus: answer.status, latencyMs: answer.latencyMs, responseExcerpt: answer.excerpt, error: why });
  }
  await recordAttempt(
    db,
    { ...base, responseStatus: answer.status, latencyMs: answer.latencyMs, responseExcerpt: answer.excerpt, error: null, succeeded: true },
    "delivered",
    deps.now(),
  );
  logger.info({ deliveryId: delivery.id, endpointId: endpoint.id, attempt, status: answer.status, latencyMs: answer.latencyMs }, "webhook delivered");
}
