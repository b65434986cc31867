import { preconditionFailed, requireIfMatch } from "~/api/preconditions.server";
import type { ActionFunctionArgs } from "@remix-run/node";
import { LetterPublishSchema } from "~/api/schemas/letters";
import { UuidSchema } from "~/schemas/common";
import { letterEtag, letterRepresentation, letterVersionFromIfMatch } from "~/api/letter-resources.server";
import { letterById, publishLetter } from "~/services/letters.server";
import { actorOfPrincipal, idempotent, json, notFoundProblem, problem, problemFromDomain, requireApiParam, requireApiPermission, requireApiPrincipal, validationProblem } from "~/api/handler.server";

/** An empty body is fine (it confirms nothing); anything else must be the JSON of LetterPublishSchema. */
async function readPublishBody(request: Request): Promise<{ raw: string; confirmation: string | undefined }> {
  const raw = await request.text();
  if (raw.trim() === "") return { raw, confirmation: undefined };
  if (!/^application\/(.+\+)?json\b/i.test(request.headers.get("Content-Type") ?? "")) {
    throw problem(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type", "Send the body as JSON with 'Content-Type: application/json'.");
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw problem(400, "MALFORMED_JSON", "Bad request", "The body is not valid JSON.");
  }
  const parsed = LetterPublishSchema.safeParse(body);
  if (!parsed.success) throw validationProblem(parsed.error);
  return { raw, confirmation: parsed.data.confirmation };
}

/**
 * POST publishes the draft the If-Match names: frozen with its ledger appendix and SHA-256, or
 * refused with 422 LETTER.NOT_PUBLISHABLE and the `problems` to fix. Until the fiscal year has
 * ended the body must confirm (`{"confirmation": "publish FY2026"}`); a year that has not
 * started is refused (ADR 0017).
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "POST") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use POST with If-Match.", {}, { Allow: "POST" });
  const principal = await requireApiPrincipal(request, context, { write: true });
  requireApiPermission(principal, "letters.manage", "Only admins can publish letters.");
  const actor = actorOfPrincipal(principal);
  const id = requireApiParam(params, "id", UuidSchema, "There is no letter with that id.");
  const current = await letterById(context.db, actor, id);
  if (!current) throw notFoundProblem("There is no letter with that id.");
  const ifMatch = requireIfMatch(request, "Send If-Match with the draft's ETag, so what you publish is what you read.");
  // The body is optional (only the confirmation), and part of what an Idempotency-Key is checked against.
  const { raw, confirmation } = await readPublishBody(request);
  return idempotent(request, context, principal, raw, async (db) => {
    // Already published: the service's 409 says so, whatever the If-Match names.
    if (current.status === "draft") {
      const version = letterVersionFromIfMatch(ifMatch, current.id);
      if (version === null || version !== current.version) {
        return preconditionFailed("The draft changed since you read it; review the latest version before publishing.", letterEtag(current, []));
      }
    }
    const result = await publishLetter(db, actor, current.id, current.version, new Date(), confirmation, context.logger);
    if (!result.ok) return problemFromDomain(result.error, { ifMatch: true });
    const { resource, etag } = await letterRepresentation(db, result.value);
    return json(resource, { etag });
  });
}
