import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCommitment, listRevisions } from "~/models/commitment.server";
import { UuidSchema } from "~/schemas/common";
import { NO_SUCH_COMMITMENT } from "~/api/commitment-resources.server";
import { json, notFoundProblem, requireApiParam, requireApiPrincipal } from "~/api/handler.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireApiPrincipal(request, context, { write: false });
  const id = requireApiParam(params, "id", UuidSchema, NO_SUCH_COMMITMENT);
  if (!(await getCommitment(context.db, id))) throw notFoundProblem(NO_SUCH_COMMITMENT);
  const rows = await listRevisions(context.db, id);
  return json({
    items: rows.map((r) => ({ id: r.id, version: r.version, kind: r.kind, at: r.at.toISOString(), actorName: r.actorName, reason: r.reason, changes: r.changes })),
    next: null,
  });
}
