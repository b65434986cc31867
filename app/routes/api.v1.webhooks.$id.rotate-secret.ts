import type { ActionFunctionArgs } from "@remix-run/node";
import { UuidSchema } from "~/schemas/common";
import { rotateSecret } from "~/services/webhooks.server";
import { actorOfPrincipal, idempotent, json, problem, problemFromDomain, requireApiAdmin, requireApiParam } from "~/api/handler.server";

/** A new signing secret, shown in this answer only; the old one also signs for a day. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "POST") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use POST.", {}, { Allow: "POST" });
  const principal = await requireApiAdmin(request, context, { write: true }, "rotate webhook secrets");
  const id = requireApiParam(params, "id", UuidSchema, "That webhook does not exist.");
  return idempotent(request, context, principal, "", async (db) => {
    const result = await rotateSecret(db, actorOfPrincipal(principal), id, new Date(), context.logger);
    if (!result.ok) return problemFromDomain(result.error);
    return json(
      { secret: result.value.secret, previousSecretExpiresAt: result.value.endpoint.previousSecretExpiresAt!.toISOString() },
      { headers: { "Cache-Control": "no-store" } },
    );
  });
}
