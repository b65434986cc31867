import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { listAllTeams } from "~/models/team.server";
import { TeamWriteSchema } from "~/api/schemas/org";
import { teamDetailResource } from "~/api/org-resources.server";
import { createTeam } from "~/services/teams.server";
import { actorOfPrincipal, idempotent, json, problem, problemFromDomain, readJson, requireApiPrincipal, requireApiPermission } from "~/api/handler.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireApiPrincipal(request, context, { write: false });
  const teams = await listAllTeams(context.db);
  return json({ items: teams.map((t) => ({ id: t.id, slug: t.slug, name: t.name, mission: t.mission, parentId: t.parentId })), next: null });
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use GET or POST.", {}, { Allow: "GET, POST" });
  const principal = await requireApiPrincipal(request, context, { write: true });
  requireApiPermission(principal, "teams.manage", "Only admins can create teams.");
  const { raw, value } = await readJson(request, TeamWriteSchema);
  return idempotent(request, context, principal, raw, async (db) => {
    const result = await createTeam(db, actorOfPrincipal(principal), value, context.logger);
    if (!result.ok) return problemFromDomain(result.error);
    return json(teamDetailResource(result.value, []), { status: 201, headers: { Location: `/api/v1/teams/${result.value.id}` } });
  });
}
