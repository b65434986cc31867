// Admins' use cases for outgoing webhooks (ADR 0014): endpoints, their secrets, the delivery
// log, redelivery and the setting that allows private targets. The UI (Settings → Webhooks) and
// the API (/api/v1/webhooks…) both call these; every one checks the actor is an admin.
import { randomBytes } from "node:crypto";
import type { Database, DbOrTx } from "../../db/client";
import type { WebhookEventType } from "../../db/schema";
import { enqueue } from "~/models/jobs.server";
import {
  deleteEndpoint,
  getDelivery,
  getEndpoint,
  getWebhooksAllowPrivate,
  insertEndpoint,
  listDeliveries,
  listEndpoints,
  markDeliveryPending,
  rotateEndpointSecret,
  setWebhooksAllowPrivate,
  updateEndpoint,
  type EndpointRow,
} from "~/models/webhook.server";
import { decodeCursor } from "~/utils/cursor";
import { resolveWebhookTarget, type Lookup } from "~/utils/webhook-target.server";
import { authorize } from "./authorize.server";
import { fail, notSetUp, ok, type Actor, type Result } from "~/domain/result";
import { NO_CHANGE_LOG, type ChangeLog } from "./change-log.server";

/** How long the secret before a rotation still signs deliveries (receivers switch over meanwhile). */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 60 * 60_000;

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

export interface EndpointInput {
  url: string;
  description: string;
  events: WebhookEventType[];
  active: boolean;
}

/** Options the tests use to resolve names without DNS. */
export interface TargetOptions {
  lookup?: Lookup;
}

/**
 * Whether webhooks may target private addresses: the organisation's setting, or
 * WEBHOOKS_ALLOW_PRIVATE_TARGETS (tests and closed machines; README, Configuration). Read from
 * the environment where it is used, as credentialsPerHour is: the server entry and the Remix
 * build are separate bundles. loadEnvOrExit has already refused a malformed value at start.
 */
export async function privateTargetsAllowed(db: DbOrTx, source: Record<string, string | undefined> = process.env): Promise<boolean> {
  if (/^(true|1|yes)$/.test(source.WEBHOOKS_ALLOW_PRIVATE_TARGETS ?? "")) return true;
  return getWebhooksAllowPrivate(db);
}

async function checkTarget(db: DbOrTx, url: string, options: TargetOptions): Promise<Result<string>> {
  const allowPrivate = await privateTargetsAllowed(db);
  const checked = await resolveWebhookTarget(url, { allowPrivate }, options);
  if (!checked.ok) return fail("VALIDATION", checked.message, "url");
  return ok(checked.target.url.href);
}

export async function readEndpoints(db: DbOrTx, actor: Actor): Promise<Result<EndpointRow[]>> {
  return authorize(actor, "webhooks.manage", "Only admins can see webhooks.") ?? ok(await listEndpoints(db));
}

export async function readEndpoint(db: DbOrTx, actor: Actor, id: string): Promise<Result<EndpointRow>> {
  const refused = authorize(actor, "webhooks.manage", "Only admins can see webhooks.");
  if (refused) return refused;
  const row = await getEndpoint(db, id);
  return row ? ok(row) : fail("NOT_FOUND", "That webhook does not exist.");
}

/** Adds an endpoint; the secret is returned here and never again. */
async function createEndpointUnlogged(
  db: DbOrTx,
  actor: Actor,
  input: EndpointInput,
  now: Date,
  options: TargetOptions = {},
): Promise<Result<{ endpoint: EndpointRow; secret: string }>> {
  const refused = authorize(actor, "webhooks.manage", "Only admins can add webhooks.");
  if (refused) return refused;
  const url = await checkTarget(db, input.url, options);
  if (!url.ok) return url;
  const secret = newWebhookSecret();
  const endpoint = await insertEndpoint(db, { ...input, url: url.value, secret, createdBy: actor.id, now });
  return ok({ endpoint, secret });
}

async function changeEndpointUnlogged(
  db: DbOrTx,
  actor: Actor,
  id: string,
  patch: Partial<EndpointInput>,
  now: Date,
  options: TargetOptions = {},
): Promise<Result<EndpointRow>> {
  const refused = authorize(actor, "webhooks.manage", "Only admins can change webhooks.");
  if (refused) return refused;
  if (!(await getEndpoint(db, id))) return fail("NOT_FOUND", "That webhook does not exist.");
  let url: string | undefined;
  if (patch.url !== undefined) {
    const checked = await checkTarget(db, patch.url, options);
    if (!checked.ok) return checked;
    url = checked.value;
  }
  const row = await updateEndpoint(db, id, { ...patch, ...(url ? { url } : {}) }, now);
  return row ? ok(row) : fail("NOT_FOUND", "That webhook does not exist.");
}

async function removeEndpointUnlogged(db: DbOrTx, actor: Actor, id: string): Promise<Result<null>> {
  const refused = authorize(actor, "webhooks.manage", "Only admins can delete webhooks.");
  if (refused) return refused;
  return (await deleteEndpoint(db, id)) ? ok(null) : fail("NOT_FOUND", "That webhook does not exist.");
}

/** A new secret, shown once; the old one keeps signing (beside it) for PREVIOUS_SECRET_GRACE_MS. */
async function rotateSecretUnlogged(db: DbOrTx, actor: Actor, id: string, now: Date): Promise<Result<{ endpoint: EndpointRow; secret: string }>> {
  const refused = authorize(actor, "webhooks.manage", "Only admins can rotate webhook secrets.");
  if (refused) return refused;
  const secret = newWebhookSecret();
  const endpoint = await rotateEndpointSecret(db, id, secret, new Date(now.getTime() + PREVIOUS_SECRET_GRACE_MS), now);
  return endpoint ? ok({ endpoint, secret }) : fail("NOT_FOUND", "That webhook does not exist.");
}

export async function readDeliveries(db: DbOrTx, actor: Actor, endpointId: string, limit: number, cursor: string | null) {
  const refused = authorize(actor, "webhooks.manage", "Only admins can see webhook deliveries.");
  if (refused) return refused;
  if (!(await getEndpoint(db, endpointId))) return fail("NOT_FOUND", "That webhook does not exist.");
  const after = decodeCursor(cursor, { createdAt: "instant", id: "uuid" });
  return ok(await listDeliveries(db, endpointId, limit, after));
}

/** Sends a delivery again (same webhook-id, same payload), with a fresh set of retries. */
async function redeliverUnlogged(db: Database, actor: Actor, endpointId: string, deliveryId: string): Promise<Result<{ deliveryId: string }>> {
  const refused = authorize(actor, "webhooks.manage", "Only admins can redeliver webhooks.");
  if (refused) return refused;
  return db.transaction(async (tx) => {
    const delivery = await getDelivery(tx, deliveryId);
    if (!delivery || delivery.endpointId !== endpointId) return fail("NOT_FOUND", "That delivery does not exist.");
    await markDeliveryPending(tx, deliveryId);
    await enqueue(tx, "kept-webhooks", { deliveryId, manual: true });
    return ok({ deliveryId });
  });
}

export async function readWebhookSettings(db: DbOrTx, actor: Actor): Promise<Result<{ allowPrivateTargets: boolean }>> {
  return authorize(actor, "webhooks.manage", "Only admins can see webhook settings.") ?? ok({ allowPrivateTargets: await getWebhooksAllowPrivate(db) });
}

async function saveWebhookSettingsUnlogged(db: DbOrTx, actor: Actor, allowPrivateTargets: boolean, now: Date): Promise<Result<{ allowPrivateTargets: boolean }>> {
  const refused = authorize(actor, "webhooks.manage", "Only admins can change webhook settings.");
  if (refused) return refused;
  if (!(await setWebhooksAllowPrivate(db, allowPrivateTargets, now))) return notSetUp();
  return ok({ allowPrivateTargets });
}

/** createEndpoint, and its line in the change log: the same line whether the UI or the API asked. */
export async function createEndpoint(db: DbOrTx, actor: Actor, input: EndpointInput, now: Date, options: TargetOptions = {}, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await createEndpointUnlogged(db, actor, input, now, options);
  if (result.ok) log.info({ webhookId: result.value.endpoint.id, events: result.value.endpoint.events, by: actor.id }, "webhook added");
  return result;
}

/** changeEndpoint, and its line in the change log: the same line whether the UI or the API asked. */
export async function changeEndpoint(db: DbOrTx, actor: Actor, id: string, patch: Partial<EndpointInput>, now: Date, options: TargetOptions = {}, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await changeEndpointUnlogged(db, actor, id, patch, now, options);
  if (result.ok) log.info({ webhookId: id, by: actor.id }, "webhook changed");
  return result;
}

/** removeEndpoint, and its line in the change log: the same line whether the UI or the API asked. */
export async function removeEndpoint(db: DbOrTx, actor: Actor, id: string, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await removeEndpointUnlogged(db, actor, id);
  if (result.ok) log.info({ webhookId: id, by: actor.id }, "webhook deleted");
  return result;
}

/** rotateSecret, and its line in the change log: the same line whether the UI or the API asked. */
export async function rotateSecret(db: DbOrTx, actor: Actor, id: string, now: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await rotateSecretUnlogged(db, actor, id, now);
  if (result.ok) log.info({ webhookId: id, by: actor.id }, "webhook secret rotated");
  return result;
}

/** redeliver, and its line in the change log: the same line whether the UI or the API asked. */
export async function redeliver(db: Database, actor: Actor, endpointId: string, deliveryId: string, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await redeliverUnlogged(db, actor, endpointId, deliveryId);
  if (result.ok) log.info({ webhookId: endpointId, deliveryId, by: actor.id }, "webhook redelivery queued");
  return result;
}

/** saveWebhookSettings, and its line in the change log: the same line whether the UI or the API asked. */
export async function saveWebhookSettings(db: DbOrTx, actor: Actor, allowPrivateTargets: boolean, now: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await saveWebhookSettingsUnlogged(db, actor, allowPrivateTargets, now);
  if (result.ok) log.info({ allowPrivateTargets, by: actor.id }, "webhook settings changed");
  return result;
}
