import type { ActionFunctionArgs } from "@remix-run/node";
import { UuidSchema } from "~/schemas/common";
import { revokeToken } from "~/services/api-tokens.server";
import { actorOfPrincipal, problem, problemFromDomain, requireApiParam, requireApiPrincipal } from "~/api/handler.server";

/** DELETE revokes a token at once: your own, or (admins) anyone's. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "DELETE") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use DELETE.", {}, { Allow: "DELETE" });
  const principal = await requireApiPrincipal(request, context, { write: true });
  const id = requireApiParam(params, "id", UuidSchema, "That token does not exist.");
  const result = await revokeToken(context.db, actorOfPrincipal(principal), id, new Date(), context.logger);
  if (!result.ok) {
    // Someone else's token is "not found" to a non-admin: ids of other people's tokens are not theirs to probe.
    if (result.error.code === "FORBIDDEN") throw problem(404, "NOT_FOUND", "Not found", "That token does not exist.");
    return problemFromDomain(result.error);
  }
  return new Response(null, { status: 204 });
}
