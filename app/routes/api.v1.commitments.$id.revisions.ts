import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCommitment, listRevisions } from "~/models/commitment.server";
import { UuidSchema } from "~/schemas/common";
import { json, problem, requireApiPrincipal } from "~/api/handler.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireApiPrincipal(request, context, { write: false });
  const id = UuidSchema.safeParse(params.id);
  if (!id.success || !(await getCommitment(context.db, id.data))) {
    throw problem(404, "NOT_FOUND", "Not found", "There is no commitment with that id.");
  }
  const rows = await listRevisions(context.db, id.data);
  return json({
    items: rows.map((r) => ({ id: r.id, version: r.version, kind: r.kind, at: r.at.toISOString(), actorName: r.actorName, reason: r.reason, changes: r.changes })),
    next: null,
  });
}
