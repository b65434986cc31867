import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getCommitment, listCheckIns } from "~/models/commitment.server";
import { UuidSchema } from "~/schemas/common";
import { NO_SUCH_COMMITMENT } from "~/api/commitment-resources.server";
import { CheckInWriteSchema } from "~/api/schemas/core";
import { addCheckIn } from "~/services/commitments.server";
import { actorOfPrincipal, idempotent, json, notFoundProblem, problem, problemFromDomain, readJson, requireApiParam, requireApiPrincipal } from "~/api/handler.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireApiPrincipal(request, context, { write: false });
  const id = requireApiParam(params, "id", UuidSchema, NO_SUCH_COMMITMENT);
  if (!(await getCommitment(context.db, id))) throw notFoundProblem(NO_SUCH_COMMITMENT);
  const rows = await listCheckIns(context.db, id);
  return json({
    items: rows.map((r) => ({ id: r.id, date: r.date, forecast: r.forecast, probability: r.probability, progressValue: r.progressValue, note: r.note })),
    next: null,
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "POST") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use GET or POST.", {}, { Allow: "GET, POST" });
  const principal = await requireApiPrincipal(request, context, { write: true });
  const id = requireApiParam(params, "id", UuidSchema, NO_SUCH_COMMITMENT);
  const { raw, value } = await readJson(request, CheckInWriteSchema);
  return idempotent(request, context, principal, raw, async (db) => {
    const result = await addCheckIn(db, actorOfPrincipal(principal), id, value, new Date(), context.logger);
    if (!result.ok) return problemFromDomain(result.error);
    const [latest] = await listCheckIns(db, id, 1);
    return json(
      latest
        ? { id: latest.id, date: latest.date, forecast: latest.forecast, probability: latest.probability, progressValue: latest.progressValue, note: latest.note }
        : null,
      { status: 201 },
    );
  });
}
