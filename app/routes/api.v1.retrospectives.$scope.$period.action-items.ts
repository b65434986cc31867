import type { ActionFunctionArgs } from "@remix-run/node";
import { getActionItem } from "~/models/retrospective.server";
import { ActionItemWriteSchema } from "~/api/schemas/org";
import { actionItemResource, findRetrospective } from "~/api/org-resources.server";
import { addActionItem } from "~/services/retrospectives.server";
import { actorOfPrincipal, idempotent, json, problem, problemFromDomain, readJson, requireApiPrincipal } from "~/api/handler.server";

/** POST an action item to a retrospective (created on first use, as in the UI). */
export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "POST") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use POST.", {}, { Allow: "POST" });
  const principal = await requireApiPrincipal(request, context, { write: true });
  const now = new Date();
  const found = await findRetrospective(context.db, params.scope, params.period, now);
  if ("missing" in found) throw problem(404, "NOT_FOUND", "Not found", found.missing);
  const { raw, value } = await readJson(request, ActionItemWriteSchema);
  return idempotent(request, context, principal, raw, async (db) => {
    const result = await addActionItem(db, actorOfPrincipal(principal), found.scope, found.period, value, now);
    if (!result.ok) return problemFromDomain(result.error);
    const item = await getActionItem(db, result.value.id);
    context.logger.info({ scope: found.scope.slug, period: found.period.label, itemId: result.value.id }, "action item added");
    return json(actionItemResource(item!), { status: 201, headers: { Location: `/api/v1/action-items/${result.value.id}` } });
  });
}
