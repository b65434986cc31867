import { preconditionFailed, requireIfMatch } from "~/api/preconditions.server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { listErrata, type LetterRow } from "~/models/letter.server";
import { LetterPatchSchema } from "~/api/schemas/letters";
import { UuidSchema } from "~/schemas/common";
import { letterEtag, letterRepresentation, letterResource, letterVersionFromIfMatch } from "~/api/letter-resources.server";
import { checkLetterDraft, discardLetterDraft, letterById, saveLetterDraft } from "~/services/letters.server";
import type { ApiPrincipal } from "~/services/api-tokens.server";
import { actorOfPrincipal, json, notFoundProblem, problem, problemFromDomain, readJson, requireApiParam, requireApiPermission, requireApiPrincipal } from "~/api/handler.server";

type Context = LoaderFunctionArgs["context"];

const NOT_FOUND = "There is no letter with that id.";

async function letterOrThrow(context: Context, principal: ApiPrincipal, params: Readonly<Record<string, string | undefined>>): Promise<LetterRow> {
  const id = requireApiParam(params, "id", UuidSchema, NOT_FOUND);
  const letter = await letterById(context.db, actorOfPrincipal(principal), id);
  if (!letter) throw notFoundProblem(NOT_FOUND);
  return letter;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const principal = await requireApiPrincipal(request, context, { write: false });
  const letter = await letterOrThrow(context, principal, params);
  if (letter.status === "published") {
    const errata = await listErrata(context.db, letter.id);
    const etag = letterEtag(letter, errata);
    if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers: { ETag: etag } });
    return json(letterResource(letter, errata, []), { etag });
  }
  const etag = letterEtag(letter, []);
  // A draft's publish problems depend on the record as well as the draft, so a 304 only
  // promises the draft itself is unchanged; read without If-None-Match to re-check them.
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers: { ETag: etag } });
  return json(letterResource(letter, [], await checkLetterDraft(context.db, letter)), { etag });
}

/** PATCH the draft's title and body, or DELETE the draft; both with If-Match, as the editor's version check. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "PATCH" && request.method !== "DELETE") {
    throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use GET, PATCH with If-Match, or DELETE with If-Match.", {}, { Allow: "GET, PATCH, DELETE" });
  }
  const principal = await requireApiPrincipal(request, context, { write: true });
  const editing = request.method === "PATCH";
  requireApiPermission(principal, "letters.manage", `Only admins can ${editing ? "edit" : "discard"} letters.`);
  const current = await letterOrThrow(context, principal, params);
  // A published letter cannot be changed whatever the client read: say so before asking for preconditions.
  if (current.status === "published") {
    throw problem(
      409,
      "LETTER.PUBLISHED",
      "Conflict",
      editing ? "This letter is published and can no longer be edited; append an erratum instead." : "A published letter cannot be removed.",
    );
  }
  const ifMatch = requireIfMatch(request, "Send If-Match with the letter's ETag you read, so nobody's edits are lost.");
  const stale = (detail: string, version = current.version) =>
    preconditionFailed(detail, letterEtag({ ...current, version }, []), { conflict: { currentVersion: version, changedFields: ["body"] } });
  const version = letterVersionFromIfMatch(ifMatch, current.id);
  if (version === null || version !== current.version) throw stale("The draft changed since you read it; read it again.");
  const actor = actorOfPrincipal(principal);

  if (!editing) {
    const result = await discardLetterDraft(context.db, actor, current.id, version, context.logger);
    if (!result.ok) {
      if (result.error.code === "VERSION.CONFLICT") return stale(result.error.message);
      return problemFromDomain(result.error);
    }
    return new Response(null, { status: 204 });
  }

  const { value } = await readJson(request, LetterPatchSchema);
  const result = await saveLetterDraft(context.db, actor, current.id, { title: value.title ?? current.title, body: value.body ?? current.body, version }, new Date(), context.logger);
  if (!result.ok) {
    if (result.error.code === "VERSION.CONFLICT") return stale(result.error.message, result.error.conflict?.currentVersion);
    return problemFromDomain(result.error);
  }
  const { resource, etag } = await letterRepresentation(context.db, result.value);
  return json(resource, { etag });
}
