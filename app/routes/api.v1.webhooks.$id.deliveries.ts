import type { LoaderFunctionArgs } from "@remix-run/node";
import { UuidSchema } from "~/schemas/common";
import { WebhookDeliveriesQuerySchema } from "~/schemas/webhooks";
import { deliveryResource } from "~/api/webhook-resources.server";
import { readDeliveries } from "~/services/webhooks.server";
import { actorOfPrincipal, json, problemFromDomain, requireApiAdmin, requireApiParam, validationProblem } from "~/api/handler.server";

/** The delivery log of one endpoint, newest first, every try of each delivery. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const principal = await requireApiAdmin(request, context, { write: false }, "see webhook deliveries");
  const id = requireApiParam(params, "id", UuidSchema, "That webhook does not exist.");
  const url = new URL(request.url);
  const query = WebhookDeliveriesQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) throw validationProblem(query.error);
  const result = await readDeliveries(context.db, actorOfPrincipal(principal), id, query.data.limit, query.data.cursor ?? null);
  if (!result.ok) return problemFromDomain(result.error);
  let next: string | null = null;
  if (result.value.next) {
    const nextUrl = new URL(url);
    nextUrl.searchParams.set("cursor", result.value.next);
    next = nextUrl.pathname + nextUrl.search;
  }
  return json({ items: result.value.items.map(deliveryResource), next }, { headers: next ? { Link: `<${next}>; rel="next"` } : {} });
}
