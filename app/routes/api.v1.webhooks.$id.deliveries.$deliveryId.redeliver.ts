import type { ActionFunctionArgs } from "@remix-run/node";
import { UuidSchema } from "~/schemas/common";
import { redeliver } from "~/services/webhooks.server";
import { actorOfPrincipal, idempotent, json, problem, problemFromDomain, requireApiAdmin, requireApiParam } from "~/api/handler.server";

/** Sends a delivery again: same webhook-id and payload, a fresh signature and set of retries. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "POST") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use POST.", {}, { Allow: "POST" });
  const principal = await requireApiAdmin(request, context, { write: true }, "redeliver webhooks");
  const id = requireApiParam(params, "id", UuidSchema, "That delivery does not exist.");
  const deliveryId = requireApiParam(params, "deliveryId", UuidSchema, "That delivery does not exist.");
  return idempotent(request, context, principal, "", async (db) => {
    const result = await redeliver(db, actorOfPrincipal(principal), id, deliveryId, context.logger);
    if (!result.ok) return problemFromDomain(result.error);
    return json({ deliveryId: result.value.deliveryId, status: "pending" }, { status: 202 });
  });
}
