import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getActionItem } from "~/models/retrospective.server";
import { ActionItemPatchSchema } from "~/api/schemas/org";
import { UuidSchema } from "~/schemas/common";
import { actionItemResource } from "~/api/org-resources.server";
import { changeActionItemStatus } from "~/services/retrospectives.server";
import { actorOfPrincipal, json, notFoundProblem, problem, problemFromDomain, readJson, requireApiPrincipal } from "~/api/handler.server";

const notFound = () => notFoundProblem("There is no action item with that id.");

async function itemOrThrow(context: LoaderFunctionArgs["context"], param: string | undefined) {
  const id = UuidSchema.safeParse(param);
  const item = id.success ? await getActionItem(context.db, id.data) : null;
  if (!item) throw notFound();
  return item;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireApiPrincipal(request, context, { write: false });
  return json(actionItemResource(await itemOrThrow(context, params.id)));
}

/** PATCH the status: open, done or dropped. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "PATCH") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use GET, or PATCH.", {}, { Allow: "GET, PATCH" });
  const principal = await requireApiPrincipal(request, context, { write: true });
  const item = await itemOrThrow(context, params.id);
  const { value } = await readJson(request, ActionItemPatchSchema);
  const result = await changeActionItemStatus(context.db, actorOfPrincipal(principal), item.id, value.status, new Date(), context.logger);
  if (!result.ok) return problemFromDomain(result.error);
  return json(actionItemResource(await itemOrThrow(context, params.id)));
}
