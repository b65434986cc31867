import { preconditionFailed, requireIfMatch } from "~/api/preconditions.server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getRetrospective } from "~/models/retrospective.server";
import { RetrospectiveNotesWriteSchema } from "~/api/schemas/org";
import { findRetrospective, notesEtag, notesResource, notesVersionFromIfMatch } from "~/api/org-resources.server";
import { canEditScope, saveNotes } from "~/services/retrospectives.server";
import { actorOfPrincipal, json, problem, problemFromDomain, readJson, requireApiPrincipal } from "~/api/handler.server";

async function found(context: LoaderFunctionArgs["context"], params: LoaderFunctionArgs["params"], now: Date) {
  const f = await findRetrospective(context.db, params.scope, params.period, now);
  if ("missing" in f) throw problem(404, "NOT_FOUND", "Not found", f.missing);
  return f;
}

async function currentNotes(context: LoaderFunctionArgs["context"], f: Awaited<ReturnType<typeof found>>) {
  const retro = await getRetrospective(context.db, f.scope.team?.id ?? null, f.period.label);
  return retro ?? { wentWell: "", wentBadly: "", willChange: "", version: 0 };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireApiPrincipal(request, context, { write: false });
  const f = await found(context, params, new Date());
  const notes = notesResource(f.scope, f.period, await currentNotes(context, f));
  if (request.headers.get("If-None-Match") === notes.etag) return new Response(null, { status: 304, headers: { ETag: notes.etag } });
  return json(notes, { etag: notes.etag });
}

/** PUT all three parts with If-Match: the same optimistic concurrency as the notes form. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "PUT") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use GET, or PUT with If-Match.", {}, { Allow: "GET, PUT" });
  const principal = await requireApiPrincipal(request, context, { write: true });
  const now = new Date();
  const f = await found(context, params, now);
  const actor = actorOfPrincipal(principal);
  // Whether they may write at all comes before how they should write (428/412).
  if (!(await canEditScope(context.db, actor, f.scope))) {
    throw problem(403, "FORBIDDEN", "Forbidden", "Only this team's editors and admins can write its retrospective.");
  }
  const ifMatch = requireIfMatch(request, "Send If-Match with the notes' ETag you read, so nobody's notes are overwritten.");
  const stale = async () =>
    preconditionFailed("Someone saved these notes since you read them; read them again and merge.", notesEtag(f.scope, f.period, (await currentNotes(context, f)).version));
  const version = notesVersionFromIfMatch(ifMatch, f.scope, f.period);
  if (version === null) throw await stale();
  const { value } = await readJson(request, RetrospectiveNotesWriteSchema);
  const result = await saveNotes(context.db, actor, f.scope, f.period, value, version, now, context.logger);
  if (!result.ok) {
    if (result.error.code === "VERSION.CONFLICT") {
      return preconditionFailed(result.error.message, notesEtag(f.scope, f.period, result.error.conflict?.currentVersion ?? 0), { conflict: result.error.conflict });
    }
    // An ETag naming a version of notes that were never written.
    if (result.error.code === "NOT_FOUND") return stale();
    return problemFromDomain(result.error);
  }
  const notes = notesResource(f.scope, f.period, { ...value, version: result.value.version });
  return json(notes, { etag: notes.etag });
}
