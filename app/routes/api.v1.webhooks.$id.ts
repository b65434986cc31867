import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { UuidSchema } from "~/schemas/common";
import { WebhookPatchSchema } from "~/schemas/webhooks";
import { webhookResource } from "~/api/webhook-resources.server";
import { changeEndpoint, readEndpoint, removeEndpoint } from "~/services/webhooks.server";
import { actorOfPrincipal, json, problem, problemFromDomain, readJson, requireApiAdmin } from "~/api/handler.server";

function webhookId(raw: string | undefined): string {
  const id = UuidSchema.safeParse(raw);
  if (!id.success) throw problem(404, "NOT_FOUND", "Not found", "That webhook does not exist.");
  return id.data;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const principal = await requireApiAdmin(request, context, { write: false }, "see webhooks");
  const result = await readEndpoint(context.db, actorOfPrincipal(principal), webhookId(params.id));
  if (!result.ok) return problemFromDomain(result.error);
  return json(webhookResource(result.value));
}

/** PATCH changes the URL, description, events or active; DELETE removes it with its log. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "PATCH" && request.method !== "DELETE") {
    throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use GET, PATCH or DELETE.", {}, { Allow: "GET, PATCH, DELETE" });
  }
  const principal = await requireApiAdmin(request, context, { write: true }, "change webhooks");
  const id = webhookId(params.id);
  const actor = actorOfPrincipal(principal);
  if (request.method === "DELETE") {
    const removed = await removeEndpoint(context.db, actor, id, context.logger);
    if (!removed.ok) return problemFromDomain(removed.error);
    return new Response(null, { status: 204 });
  }
  const { value } = await readJson(request, WebhookPatchSchema);
  const result = await changeEndpoint(context.db, actor, id, value, new Date(), {}, context.logger);
  if (!result.ok) return problemFromDomain(result.error);
  return json(webhookResource(result.value));
}
