import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { WebhookWriteSchema } from "~/schemas/webhooks";
import { webhookResource } from "~/api/webhook-resources.server";
import { createEndpoint, readEndpoints } from "~/services/webhooks.server";
import { actorOfPrincipal, idempotent, json, problem, problemFromDomain, readJson, requireApiAdmin } from "~/api/handler.server";

/** Every webhook endpoint (admins). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requireApiAdmin(request, context, { write: false }, "see webhooks");
  const result = await readEndpoints(context.db, actorOfPrincipal(principal));
  if (!result.ok) return problemFromDomain(result.error);
  return json({ items: result.value.map(webhookResource), next: null });
}

/** Adds an endpoint; the answer carries its signing secret, the only time it is shown. */
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use GET or POST.", {}, { Allow: "GET, POST" });
  const principal = await requireApiAdmin(request, context, { write: true }, "add webhooks");
  const { raw, value } = await readJson(request, WebhookWriteSchema);
  return idempotent(request, context, principal, raw, async (db) => {
    const result = await createEndpoint(db, actorOfPrincipal(principal), value, new Date(), {}, context.logger);
    if (!result.ok) return problemFromDomain(result.error);
    return json(
      { ...webhookResource(result.value.endpoint), secret: result.value.secret },
      { status: 201, headers: { Location: `/api/v1/webhooks/${result.value.endpoint.id}`, "Cache-Control": "no-store" } },
    );
  });
}
