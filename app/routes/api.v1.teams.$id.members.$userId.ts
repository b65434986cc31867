import type { ActionFunctionArgs } from "@remix-run/node";
import { getTeamById, listMembers } from "~/models/team.server";
import { TeamMemberWriteSchema } from "~/api/schemas/org";
import { UuidSchema } from "~/schemas/common";
import { teamMemberResource } from "~/api/org-resources.server";
import { addTeamMember, removeTeamMember } from "~/services/teams.server";
import { actorOfPrincipal, json, notFoundProblem, problem, problemFromDomain, readJson, requireApiParam, requireApiPermission, requireApiPrincipal } from "~/api/handler.server";

/** PUT a membership (adding the person or changing their team role), or DELETE it. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "PUT" && request.method !== "DELETE") {
    throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use PUT or DELETE.", {}, { Allow: "PUT, DELETE" });
  }
  const principal = await requireApiPrincipal(request, context, { write: true });
  requireApiPermission(principal, "teams.manage", "Only admins can change who is on a team.");
  const teamId = requireApiParam(params, "id", UuidSchema, "There is no team with that id.");
  const team = await getTeamById(context.db, teamId);
  if (!team) throw notFoundProblem("There is no team with that id.");
  const userId = requireApiParam(params, "userId", UuidSchema, "There is no person with that id.");
  const actor = actorOfPrincipal(principal);
  if (request.method === "DELETE") {
    const result = await removeTeamMember(context.db, actor, team.id, userId, context.logger);
    if (!result.ok) return problemFromDomain(result.error);
    return new Response(null, { status: 204 });
  }
  const { value } = await readJson(request, TeamMemberWriteSchema);
  const result = await addTeamMember(context.db, actor, team.id, userId, value.role, context.logger);
  if (!result.ok) return problemFromDomain(result.error);
  const member = (await listMembers(context.db, team.id)).find((m) => m.userId === userId);
  // Removed by someone else between the two statements: say so rather than invent it.
  if (!member) return problem(404, "NOT_FOUND", "Not found", "That person was removed from the team at the same moment.");
  return json(teamMemberResource(member));
}
