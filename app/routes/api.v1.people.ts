import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { listUsers } from "~/models/user.server";
import { PeopleQuerySchema, PersonWriteSchema } from "~/api/schemas/org";
import { personDetailResource, personResource, signInLinkResource } from "~/api/org-resources.server";
import { addPerson } from "~/services/people.server";
import { decodeCursor, keysetPage } from "~/utils/cursor";
import { accountLinkDelivery } from "~/utils/env.server";
import { actorOfPrincipal, idempotent, json, nextPagePath, problem, problemFromDomain, readJson, requireApiPrincipal, validationProblem, requireApiPermission } from "~/api/handler.server";

/** Everyone in the organisation, by name: the same keyset pages as the People page. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireApiPrincipal(request, context, { write: false });
  const url = new URL(request.url);
  const parsed = PeopleQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw validationProblem(parsed.error);
  const q = parsed.data;
  const after = q.cursor ? decodeCursor(q.cursor, { name: "text", id: "uuid" }) : null;
  if (q.cursor && !after) throw problem(400, "VALIDATION", "Bad request", "That cursor is not valid.", { fields: [{ name: "cursor", message: "Use the next link of a previous page." }] });
  const rows = await listUsers(context.db, { after: after ?? undefined, search: q.q || undefined, limit: q.limit + 1 });
  const { items: page, next: cursor } = keysetPage(rows, q.limit, (last) => ({ name: last.name, id: last.id }));
  const next = cursor ? nextPagePath(url, cursor) : null;
  return json({ items: page.map(personResource), next }, { headers: next ? { Link: `<${next}>; rel="next"` } : {} });
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use GET or POST.", {}, { Allow: "GET, POST" });
  const principal = await requireApiPrincipal(request, context, { write: true });
  requireApiPermission(principal, "people.manage", "Only admins can add people.");
  const { raw, value } = await readJson(request, PersonWriteSchema);
  return idempotent(
    request,
    context,
    principal,
    raw,
    async (db) => {
      const result = await addPerson(db, actorOfPrincipal(principal), value, new Date(), accountLinkDelivery(context.env, request), context.logger);
      if (!result.ok) return problemFromDomain(result.error);
      const { invitation, ...person } = result.value;
      return json(
        { ...personDetailResource(person, []), invitation: invitation ? signInLinkResource(invitation) : null },
        { status: 201, headers: { Location: `/api/v1/people/${person.id}` } },
      );
    },
    withoutInvitationUrl,
  );
}

/**
 * What a replay with the same Idempotency-Key gets: the invitation without its link, which
 * Kept stores only as a hash (ADR 0018). A client that lost the first answer issues a new link
 * (POST /api/v1/people/{id}/sign-in-link), which also withdraws the unseen one.
 */
function withoutInvitationUrl(body: unknown): unknown {
  if (!body || typeof body !== "object" || !("invitation" in body) || !body.invitation || typeof body.invitation !== "object") return body;
  return { ...body, invitation: { ...body.invitation, url: null } };
}
