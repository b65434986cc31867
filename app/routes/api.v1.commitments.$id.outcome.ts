import { optionalIfMatch, preconditionFailed } from "~/api/preconditions.server";
import type { ActionFunctionArgs } from "@remix-run/node";
import { getCommitment, getOutcome } from "~/models/commitment.server";
import { UuidSchema } from "~/schemas/common";
import { OutcomeWriteSchema } from "~/api/schemas/core";
import { commitmentEtag, commitmentResource, versionFromIfMatch, NO_SUCH_COMMITMENT } from "~/api/commitment-resources.server";
import { recordOutcome } from "~/services/commitments.server";
import { actorOfPrincipal, idempotent, json, notFoundProblem, problem, problemFromDomain, readJson, requireApiParam, requireApiPrincipal } from "~/api/handler.server";

/** POST the one final outcome (or a change of it, with changeReason), with If-Match. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "POST") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use POST.", {}, { Allow: "POST" });
  const principal = await requireApiPrincipal(request, context, { write: true });
  const id = requireApiParam(params, "id", UuidSchema, NO_SUCH_COMMITMENT);
  const current = await getCommitment(context.db, id);
  if (!current) throw notFoundProblem(NO_SUCH_COMMITMENT);
  const { raw, value } = await readJson(request, OutcomeWriteSchema);
  return idempotent(request, context, principal, raw, async (db) => {
    const ifMatch = optionalIfMatch(request);
    const version = ifMatch ? versionFromIfMatch(ifMatch, current.id) : current.version;
    if (version === null || version !== current.version) {
      return preconditionFailed("The commitment changed since you read it; read it again.", commitmentEtag(current));
    }
    const result = await recordOutcome(db, actorOfPrincipal(principal), current.id, value, version, value.changeReason, new Date(), context.logger);
    if (!result.ok) return problemFromDomain(result.error);
    return json(commitmentResource(result.value, await getOutcome(db, current.id)), { status: 201, etag: commitmentEtag(result.value) });
  });
}
