import { and, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import {
  organisation,
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
  type WebhookDeliveryStatus,
  type WebhookEventType,
} from "../../db/schema";
import { keysetPage } from "~/utils/cursor";

export const endpointColumns = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  description: webhookEndpoints.description,
  events: webhookEndpoints.events,
  active: webhookEndpoints.active,
  previousSecretExpiresAt: webhookEndpoints.previousSecretExpiresAt,
  version: webhookEndpoints.version,
  createdAt: webhookEndpoints.createdAt,
  updatedAt: webhookEndpoints.updatedAt,
};

export type EndpointRow = { [K in keyof typeof endpointColumns]: (typeof webhookEndpoints.$inferSelect)[K] };

export async function listEndpoints(db: DbOrTx, limit = 200): Promise<EndpointRow[]> {
  return db.select(endpointColumns).from(webhookEndpoints).orderBy(webhookEndpoints.createdAt, webhookEndpoints.id).limit(limit);
}

export async function getEndpoint(db: DbOrTx, id: string): Promise<EndpointRow | null> {
  const [row] = await db.select(endpointColumns).from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  return row ?? null;
}

/** The endpoint with its secrets, for signing only. */
export async function getEndpointForDelivery(db: DbOrTx, id: string) {
  const [row] = await db
    .select({
      id: webhookEndpoints.id,
      url: webhookEndpoints.url,
      active: webhookEndpoints.active,
      secret: webhookEndpoints.secret,
      previousSecret: webhookEndpoints.previousSecret,
      previousSecretExpiresAt: webhookEndpoints.previousSecretExpiresAt,
    })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, id));
  return row ?? null;
}

export async function insertEndpoint(
  db: DbOrTx,
  values: { url: string; description: string; events: WebhookEventType[]; active: boolean; secret: string; createdBy: string; now: Date },
): Promise<EndpointRow> {
  const { now, ...rest } = values;
  const [row] = await db
    .insert(webhookEndpoints)
    .values({ ...rest, createdAt: now, updatedAt: now })
    .returning(endpointColumns);
  return row!;
}

export async function updateEndpoint(
  db: DbOrTx,
  id: string,
  values: Partial<{ url: string; description: string; events: WebhookEventType[]; active: boolean; secret: string; previousSecret: string | null; previousSecretExpiresAt: Date | null }>,
  now: Date,
): Promise<EndpointRow | null> {
  const [row] = await db
    .update(webhookEndpoints)
    .set({ ...values, version: sql`${webhookEndpoints.version} + 1`, updatedAt: now })
    .where(eq(webhookEndpoints.id, id))
    .returning(endpointColumns);
  return row ?? null;
}

/** Swaps in a new secret, keeping the current one valid until `keepOldUntil`. */
export async function rotateEndpointSecret(db: DbOrTx, id: string, secret: string, keepOldUntil: Date, now: Date): Promise<EndpointRow | null> {
  const [row] = await db
    .update(webhookEndpoints)
    .set({
      previousSecret: sql`${webhookEndpoints.secret}`,
      previousSecretExpiresAt: keepOldUntil,
      secret,
      version: sql`${webhookEndpoints.version} + 1`,
      updatedAt: now,
    })
    .where(eq(webhookEndpoints.id, id))
    .returning(endpointColumns);
  return row ?? null;
}

export async function deleteEndpoint(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id)).returning({ id: webhookEndpoints.id });
  return rows.length > 0;
}

/** Active endpoints subscribed to this event type. */
export async function listSubscribedEndpointIds(db: DbOrTx, type: WebhookEventType): Promise<string[]> {
  const rows = await db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.active, true), sql`${webhookEndpoints.events} @> ${JSON.stringify([type])}::jsonb`));
  return rows.map((r) => r.id);
}

export async function insertDeliveries(
  db: DbOrTx,
  rows: Array<{ endpointId: string; eventId: string; eventType: WebhookEventType; payload: { type: WebhookEventType; timestamp: string; data: unknown }; createdAt: Date }>,
): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await db.insert(webhookDeliveries).values(rows).returning({ id: webhookDeliveries.id });
  return inserted.map((r) => r.id);
}

export async function getDelivery(db: DbOrTx, id: string) {
  const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  return row ?? null;
}

/** Takes the next attempt number (locking the row, so two workers cannot number alike). */
export async function beginAttempt(db: DbOrTx, id: string, now: Date): Promise<number | null> {
  const [row] = await db
    .update(webhookDeliveries)
    .set({ attempts: sql`${webhookDeliveries.attempts} + 1`, lastAttemptAt: now })
    .where(eq(webhookDeliveries.id, id))
    .returning({ attempts: webhookDeliveries.attempts });
  return row?.attempts ?? null;
}

export async function recordAttempt(
  db: DbOrTx,
  values: {
    deliveryId: string;
    attempt: number;
    manual: boolean;
    startedAt: Date;
    responseStatus: number | null;
    latencyMs: number | null;
    responseExcerpt: string | null;
    error: string | null;
    succeeded: boolean;
  },
  status: WebhookDeliveryStatus,
  settledAt: Date | null,
) {
  await db.insert(webhookAttempts).values(values);
  await db
    .update(webhookDeliveries)
    .set({ status, ...(settledAt ? { deliveredAt: settledAt } : {}) })
    .where(eq(webhookDeliveries.id, values.deliveryId));
}

export async function markDeliveryPending(db: DbOrTx, id: string) {
  await db.update(webhookDeliveries).set({ status: "pending" }).where(eq(webhookDeliveries.id, id));
}

/** A page of an endpoint's deliveries, newest first, with every attempt of each. */
export async function listDeliveries(db: DbOrTx, endpointId: string, limit: number, after: { createdAt: string; id: string } | null) {
  const rows = await db
    .select({
      id: webhookDeliveries.id,
      eventId: webhookDeliveries.eventId,
      eventType: webhookDeliveries.eventType,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      createdAt: webhookDeliveries.createdAt,
      lastAttemptAt: webhookDeliveries.lastAttemptAt,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.endpointId, endpointId),
        after
          ? or(
              lt(webhookDeliveries.createdAt, new Date(after.createdAt)),
              and(eq(webhookDeliveries.createdAt, new Date(after.createdAt)), lt(webhookDeliveries.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit + 1);
  const { items: page, next } = keysetPage(rows, limit, (last) => ({ createdAt: last.createdAt.toISOString(), id: last.id }));
  const attempts = page.length
    ? await db
        .select({
          deliveryId: webhookAttempts.deliveryId,
          attempt: webhookAttempts.attempt,
          manual: webhookAttempts.manual,
          startedAt: webhookAttempts.startedAt,
          responseStatus: webhookAttempts.responseStatus,
          latencyMs: webhookAttempts.latencyMs,
          responseExcerpt: webhookAttempts.responseExcerpt,
          error: webhookAttempts.error,
          succeeded: webhookAttempts.succeeded,
        })
        .from(webhookAttempts)
        .where(inArray(webhookAttempts.deliveryId, page.map((r) => r.id)))
        .orderBy(desc(webhookAttempts.attempt))
    : [];
  const byDelivery = new Map<string, typeof attempts>();
  for (const a of attempts) byDelivery.set(a.deliveryId, [...(byDelivery.get(a.deliveryId) ?? []), a]);
  return {
    items: page.map((r) => ({ ...r, log: byDelivery.get(r.id) ?? [] })),
    next,
  };
}

export async function getWebhooksAllowPrivate(db: DbOrTx): Promise<boolean> {
  const [row] = await db.select({ allow: organisation.webhooksAllowPrivate }).from(organisation).where(eq(organisation.id, 1));
  return row?.allow ?? false;
}

export async function setWebhooksAllowPrivate(db: DbOrTx, allow: boolean, now: Date): Promise<boolean> {
  const rows = await db
    .update(organisation)
    .set({ webhooksAllowPrivate: allow, updatedAt: now })
    .where(eq(organisation.id, 1))
    .returning({ id: organisation.id });
  return rows.length > 0;
}

/** Retention: deliveries settled (or abandoned) before `before`, with their attempts. */
export async function deleteOldDeliveries(db: DbOrTx, before: Date): Promise<number> {
  const rows = await db
    .delete(webhookDeliveries)
    .where(and(lt(webhookDeliveries.createdAt, before), inArray(webhookDeliveries.status, ["delivered", "failed"])))
    .returning({ id: webhookDeliveries.id });
  return rows.length;
}
