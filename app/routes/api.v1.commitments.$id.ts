import { preconditionFailed, requireIfMatch } from "~/api/preconditions.server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getCommitment, getOutcome } from "~/models/commitment.server";
import { UuidSchema } from "~/schemas/common";
import { CommitmentWriteSchema } from "~/api/schemas/core";
import { commitmentEtag, commitmentResource, inputFromApi, versionFromIfMatch, NO_SUCH_COMMITMENT } from "~/api/commitment-resources.server";
import { updateCommitment } from "~/services/commitments.server";
import { actorOfPrincipal, json, notFoundProblem, problem, problemFromDomain, readJson, requireApiParam, requireApiPrincipal } from "~/api/handler.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireApiPrincipal(request, context, { write: false });
  const id = requireApiParam(params, "id", UuidSchema, NO_SUCH_COMMITMENT);
  const c = await getCommitment(context.db, id);
  if (!c) throw notFoundProblem(NO_SUCH_COMMITMENT);
  const etag = commitmentEtag(c);
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers: { ETag: etag } });
  return json(commitmentResource(c, await getOutcome(context.db, c.id)), { etag });
}

/** PATCH with If-Match: the same optimistic concurrency as the edit form. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "PATCH" && request.method !== "PUT") {
    throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use GET, or PATCH with If-Match.", {}, { Allow: "GET, PATCH" });
  }
  const principal = await requireApiPrincipal(request, context, { write: true });
  const id = requireApiParam(params, "id", UuidSchema, NO_SUCH_COMMITMENT);
  const current = await getCommitment(context.db, id);
  if (!current) throw notFoundProblem(NO_SUCH_COMMITMENT);
  const ifMatch = requireIfMatch(request, "Send If-Match with the ETag you read, so nobody's change is overwritten.");
  const version = versionFromIfMatch(ifMatch, current.id);
  if (version === null || version !== current.version) {
    throw preconditionFailed("The commitment changed since you read it; read it again.", commitmentEtag(current));
  }
  const { value } = await readJson(request, CommitmentWriteSchema);
  const result = await updateCommitment(context.db, actorOfPrincipal(principal), current.id, inputFromApi(value), version, value.reason ?? null, new Date(), context.logger);
  if (!result.ok) return problemFromDomain(result.error, { ifMatch: true });
  const c = result.value.commitment;
  return json(commitmentResource(c, await getOutcome(context.db, c.id)), { etag: commitmentEtag(c) });
}
