import type { ActionFunctionArgs } from "@remix-run/node";
import { UuidSchema } from "~/schemas/common";
import { redeliver } from "~/services/webhooks.server";
import { actorOfPrincipal, idempotent, json, problem, problemFromDomain, requireApiAdmin } from "~/api/handler.server";

/** Sends a delivery again: same webhook-id and payload, a fresh signature and set of retries. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "POST") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use POST.", {}, { Allow: "POST" });
  const principal = await requireApiAdmin(request, context, { write: true }, "redeliver webhooks");
  const id = UuidSchema.safeParse(params.id);
  const deliveryId = UuidSchema.safeParse(params.deliveryId);
  if (!id.success || !deliveryId.success) throw problem(404, "NOT_FOUND", "Not found", "That delivery does not exist.");
  return idempotent(request, context, principal, "", async (db) => {
    const result = await redeliver(db, actorOfPrincipal(principal), id.data, deliveryId.data);
    if (!result.ok) return problemFromDomain(result.error);
    context.logger.info({ webhookId: id.data, deliveryId: deliveryId.data }, "webhook redelivery queued through the API");
    return json({ deliveryId: result.value.deliveryId, status: "pending" }, { status: 202 });
  });
}
