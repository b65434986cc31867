import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getActionItem } from "~/models/retrospective.server";
import { ActionItemPatchSchema } from "~/api/schemas/org";
import { UuidSchema } from "~/schemas/common";
import { actionItemResource } from "~/api/org-resources.server";
import { changeActionItemStatus } from "~/services/retrospectives.server";
import { actorOfPrincipal, json, notFoundProblem, problem, problemFromDomain, readJson, requireApiParam, requireApiPrincipal } from "~/api/handler.server";

const NOT_FOUND = "There is no action item with that id.";

async function itemOrThrow(context: LoaderFunctionArgs["context"], params: Readonly<Record<string, string | undefined>>) {
  const id = requireApiParam(params, "id", UuidSchema, NOT_FOUND);
  const item = await getActionItem(context.db, id);
  if (!item) throw notFoundProblem(NOT_FOUND);
  return item;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireApiPrincipal(request, context, { write: false });
  return json(actionItemResource(await itemOrThrow(context, params)));
}

/** PATCH the status: open, done or dropped. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "PATCH") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use GET, or PATCH.", {}, { Allow: "GET, PATCH" });
  const principal = await requireApiPrincipal(request, context, { write: true });
  const item = await itemOrThrow(context, params);
  const { value } = await readJson(request, ActionItemPatchSchema);
  const result = await changeActionItemStatus(context.db, actorOfPrincipal(principal), item.id, value.status, new Date(), context.logger);
  if (!result.ok) return problemFromDomain(result.error);
  return json(actionItemResource(await itemOrThrow(context, params)));
}
