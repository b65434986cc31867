// An admin issues a person a one-time sign-in link (an invitation or a password reset), or
// withdraws the open one, as on the person's page (ADR 0018).
import type { ActionFunctionArgs } from "@remix-run/node";
import { SignInLinkWriteSchema } from "~/api/schemas/org";
import { UuidSchema } from "~/schemas/common";
import { issueAccountLink, revokeAccountLink } from "~/services/accounts.server";
import { signInLinkResource } from "~/api/org-resources.server";
import { actorOfPrincipal, json, problem, problemFromDomain, readJson, requireApiParam, requireApiPermission, requireApiPrincipal } from "~/api/handler.server";
import { accountLinkDelivery } from "~/utils/env.server";

export async function loader() {
  throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use POST to issue a link or DELETE to withdraw it.", {}, { Allow: "POST, DELETE" });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "POST" && request.method !== "DELETE") {
    throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use POST to issue a link or DELETE to withdraw it.", {}, { Allow: "POST, DELETE" });
  }
  const principal = await requireApiPrincipal(request, context, { write: true });
  requireApiPermission(principal, "people.manage", "Only admins can issue sign-in links.");
  const id = requireApiParam(params, "id", UuidSchema, "There is no person with that id.");
  const actor = actorOfPrincipal(principal);
  const now = new Date();
  if (request.method === "DELETE") {
    const result = await revokeAccountLink(context.db, actor, id, now, context.logger);
    if (!result.ok) return problemFromDomain(result.error);
    return new Response(null, { status: 204 });
  }
  const { value } = await readJson(request, SignInLinkWriteSchema);
  const result = await issueAccountLink(context.db, actor, id, value.purpose, accountLinkDelivery(context.env, request), now, context.logger);
  if (!result.ok) return problemFromDomain(result.error);
  // Never cached anywhere: the link is a credential until it is used.
  return json(signInLinkResource(result.value), { status: 201, headers: { "Cache-Control": "no-store" } });
}
