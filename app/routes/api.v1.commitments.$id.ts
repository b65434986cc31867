import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getCommitment, getOutcome } from "~/models/commitment.server";
import { UuidSchema } from "~/schemas/common";
import { CommitmentWriteSchema } from "~/api/schemas/core";
import { commitmentEtag, commitmentResource, inputFromApi, versionFromIfMatch } from "~/api/commitment-resources.server";
import { updateCommitment } from "~/services/commitments.server";
import { actorOfPrincipal, json, problem, problemFromDomain, readJson, requireApiPrincipal } from "~/api/handler.server";

function notFound() {
  return problem(404, "NOT_FOUND", "Not found", "There is no commitment with that id.");
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireApiPrincipal(request, context, { write: false });
  const id = UuidSchema.safeParse(params.id);
  if (!id.success) throw notFound();
  const c = await getCommitment(context.db, id.data);
  if (!c) throw notFound();
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
  const id = UuidSchema.safeParse(params.id);
  if (!id.success) throw notFound();
  const current = await getCommitment(context.db, id.data);
  if (!current) throw notFound();
  const ifMatch = request.headers.get("If-Match");
  if (!ifMatch) throw problem(428, "PRECONDITION.REQUIRED", "Precondition required", "Send If-Match with the ETag you read, so nobody's change is overwritten.");
  const version = versionFromIfMatch(ifMatch, current.id);
  if (version === null || version !== current.version) {
    throw problem(412, "VERSION.CONFLICT", "Precondition failed", "The commitment changed since you read it; read it again.", {}, { ETag: commitmentEtag(current) });
  }
  const { value } = await readJson(request, CommitmentWriteSchema);
  const result = await updateCommitment(context.db, actorOfPrincipal(principal), current.id, inputFromApi(value), version, value.reason ?? null, new Date());
  if (!result.ok) {
    if (result.error.code === "VERSION.CONFLICT") return problem(412, "VERSION.CONFLICT", "Precondition failed", result.error.message, { conflict: result.error.conflict });
    return problemFromDomain(result.error);
  }
  const c = result.value.commitment;
  return json(commitmentResource(c, await getOutcome(context.db, c.id)), { etag: commitmentEtag(c) });
}
