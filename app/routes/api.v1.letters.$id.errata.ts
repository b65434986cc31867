import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { listErrata, type LetterRow } from "~/models/letter.server";
import { ErratumWriteSchema } from "~/api/schemas/letters";
import { UuidSchema } from "~/schemas/common";
import { erratumResource } from "~/api/letter-resources.server";
import type { ApiPrincipal } from "~/services/api-tokens.server";
import { appendErratum, letterById } from "~/services/letters.server";
import { actorOfPrincipal, idempotent, json, problem, problemFromDomain, readJson, requireApiPrincipal, requireApiPermission } from "~/api/handler.server";

async function letterOrThrow(context: LoaderFunctionArgs["context"], principal: ApiPrincipal, param: string | undefined): Promise<LetterRow> {
  const id = UuidSchema.safeParse(param);
  const letter = id.success ? await letterById(context.db, actorOfPrincipal(principal), id.data) : null;
  if (!letter) throw problem(404, "NOT_FOUND", "Not found", "There is no letter with that id.");
  return letter;
}

/** The letter's errata, oldest first (a draft has none). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const principal = await requireApiPrincipal(request, context, { write: false });
  const letter = await letterOrThrow(context, principal, params.id);
  const errata = await listErrata(context.db, letter.id);
  return json({ items: errata.map(erratumResource), next: null });
}

/** POST appends a dated erratum to a published letter (admins); it can never be changed or removed. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "POST") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use GET or POST.", {}, { Allow: "GET, POST" });
  const principal = await requireApiPrincipal(request, context, { write: true });
  requireApiPermission(principal, "letters.manage", "Only admins can correct letters.");
  const letter = await letterOrThrow(context, principal, params.id);
  const { raw, value } = await readJson(request, ErratumWriteSchema);
  return idempotent(request, context, principal, raw, async (db) => {
    const result = await appendErratum(db, actorOfPrincipal(principal), letter.id, value.body, new Date(), context.logger);
    if (!result.ok) return problemFromDomain(result.error);
    const row = result.value;
    return json(erratumResource({ ...row, createdByName: principal.user.name }), { status: 201 });
  });
}
