import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getTeamById, listMembers } from "~/models/team.server";
import { TeamPatchSchema } from "~/api/schemas/org";
import { UuidSchema } from "~/schemas/common";
import { teamDetailResource } from "~/api/org-resources.server";
import { updateTeam } from "~/services/teams.server";
import { actorOfPrincipal, json, problem, problemFromDomain, readJson, requireApiPrincipal, requireApiPermission } from "~/api/handler.server";

async function teamOrThrow(context: LoaderFunctionArgs["context"], param: string | undefined) {
  const id = UuidSchema.safeParse(param);
  const team = id.success ? await getTeamById(context.db, id.data) : null;
  if (!team) throw problem(404, "NOT_FOUND", "Not found", "There is no team with that id.");
  return team;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireApiPrincipal(request, context, { write: false });
  const team = await teamOrThrow(context, params.id);
  return json(teamDetailResource(team, await listMembers(context.db, team.id)));
}

/** PATCH: the fields sent replace the current ones; the others stay as they are. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "PATCH") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use GET, or PATCH.", {}, { Allow: "GET, PATCH" });
  const principal = await requireApiPrincipal(request, context, { write: true });
  requireApiPermission(principal, "teams.manage", "Only admins can change teams.");
  const team = await teamOrThrow(context, params.id);
  const { value } = await readJson(request, TeamPatchSchema);
  const input = {
    name: value.name ?? team.name,
    slug: value.slug ?? team.slug,
    mission: value.mission ?? team.mission,
    parentId: value.parentId !== undefined ? value.parentId : team.parentId,
  };
  const result = await updateTeam(context.db, actorOfPrincipal(principal), team.id, input, new Date(), context.logger);
  if (!result.ok) return problemFromDomain(result.error);
  return json(teamDetailResource(result.value, await listMembers(context.db, team.id)));
}
