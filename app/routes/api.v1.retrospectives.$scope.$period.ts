import type { LoaderFunctionArgs } from "@remix-run/node";
import { findRetrospective, retrospectiveResource } from "~/api/org-resources.server";
import { loadRetrospective } from "~/services/retrospectives.server";
import { actorOfPrincipal, json, problem, requireApiPrincipal } from "~/api/handler.server";

/** The retrospective page as data: figures, outcomes table, notes (with their ETag) and action items. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const principal = await requireApiPrincipal(request, context, { write: false });
  const now = new Date();
  const found = await findRetrospective(context.db, params.scope, params.period, now);
  if ("missing" in found) throw problem(404, "NOT_FOUND", "Not found", found.missing);
  const data = await loadRetrospective(context.db, actorOfPrincipal(principal), found.scope, found.period, now, undefined, context.figures);
  return json(retrospectiveResource(found.scope, data));
}
