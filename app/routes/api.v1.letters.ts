import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { LetterGenerateSchema } from "~/api/schemas/letters";
import { letterRepresentation, letterSummaryResource } from "~/api/letter-resources.server";
import { generateCheckedLetterDraft, lettersFor } from "~/services/letters.server";
import { actorOfPrincipal, idempotent, json, problem, problemFromDomain, readJson, requireApiPrincipal, requireApiPermission } from "~/api/handler.server";

/** Every letter the token's user may see: drafts and internal letters included, bodies left out. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requireApiPrincipal(request, context, { write: false });
  // One letter per year and audience, so the list is short and bounded by the model's limit.
  const letters = await lettersFor(context.db, actorOfPrincipal(principal));
  return json({ items: letters.map(letterSummaryResource), next: null });
}

/**
 * POST generates the draft of a year and audience, or regenerates the draft that exists (as
 * "Regenerate" in the editor does): 201 when it was created, 200 when it was regenerated.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use GET or POST.", {}, { Allow: "GET, POST" });
  const principal = await requireApiPrincipal(request, context, { write: true });
  requireApiPermission(principal, "letters.manage", "Only admins can generate letters.");
  const { raw, value } = await readJson(request, LetterGenerateSchema);
  return idempotent(request, context, principal, raw, async (db) => {
    // The draft comes back with its publish check, made from the record it was generated from:
    // the answer does not read and check the whole year a second time.
    const result = await generateCheckedLetterDraft(db, actorOfPrincipal(principal), value, new Date(), context.logger);
    if (!result.ok) return problemFromDomain(result.error);
    const { letter, problems } = result.value;
    // Every change to a draft bumps its version, so only a newly inserted draft is at 1.
    const created = letter.version === 1;
    const { resource, etag } = await letterRepresentation(db, letter, problems);
    return json(resource, { status: created ? 201 : 200, etag, headers: { Location: `/api/v1/letters/${letter.id}` } });
  });
}
