import { optionalIfMatch, preconditionFailed } from "~/api/preconditions.server";
import type { ActionFunctionArgs } from "@remix-run/node";
import { getCommitment } from "~/models/commitment.server";
import { CarryForwardWriteSchema } from "~/api/schemas/org";
import { UuidSchema } from "~/schemas/common";
import { commitmentEtag, commitmentResource, versionFromIfMatch, NO_SUCH_COMMITMENT } from "~/api/commitment-resources.server";
import { carryForward } from "~/services/commitments.server";
import { actorOfPrincipal, idempotent, json, notFoundProblem, problem, problemFromDomain, readJson, requireApiParam, requireApiPrincipal } from "~/api/handler.server";

/**
 * POST the next attempt of a missed or partially delivered commitment: a new commitment in a
 * later period, linked to this one. If-Match (the predecessor's ETag) is optional, as for outcomes.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "POST") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use POST.", {}, { Allow: "POST" });
  const principal = await requireApiPrincipal(request, context, { write: true });
  const id = requireApiParam(params, "id", UuidSchema, NO_SUCH_COMMITMENT);
  const current = await getCommitment(context.db, id);
  if (!current) throw notFoundProblem(NO_SUCH_COMMITMENT);
  const { raw, value } = await readJson(request, CarryForwardWriteSchema);
  return idempotent(request, context, principal, raw, async (db) => {
    const ifMatch = optionalIfMatch(request);
    const version = ifMatch ? versionFromIfMatch(ifMatch, current.id) : current.version;
    if (version === null || version !== current.version) {
      return preconditionFailed("The commitment changed since you read it; read it again.", commitmentEtag(current));
    }
    const result = await carryForward(db, actorOfPrincipal(principal), current.id, value, version, new Date(), context.logger);
    // A change that slipped in after the check above: 412 for the If-Match the client sent,
    // otherwise the domain's 409.
    if (!result.ok) return problemFromDomain(result.error, { ifMatch: ifMatch !== null });
    const next = result.value;
    return json(commitmentResource(next, null), { status: 201, etag: commitmentEtag(next), headers: { Location: `/api/v1/commitments/${next.id}` } });
  });
}
