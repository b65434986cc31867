import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { teamsOfUser } from "~/models/team.server";
import { getUserById } from "~/models/user.server";
import { PersonPatchSchema } from "~/api/schemas/org";
import { UuidSchema } from "~/schemas/common";
import { personDetailResource } from "~/api/org-resources.server";
import { changeRole, setActive } from "~/services/people.server";
import { actorOfPrincipal, json, notFoundProblem, problem, problemFromDomain, readJson, requireApiParam, requireApiPermission, requireApiPrincipal } from "~/api/handler.server";

const NOT_FOUND = "There is no person with that id.";

async function personOrThrow(context: LoaderFunctionArgs["context"], params: Readonly<Record<string, string | undefined>>) {
  const id = requireApiParam(params, "id", UuidSchema, NOT_FOUND);
  const person = await getUserById(context.db, id);
  if (!person) throw notFoundProblem(NOT_FOUND);
  return person;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireApiPrincipal(request, context, { write: false });
  const person = await personOrThrow(context, params);
  return json(personDetailResource(person, await teamsOfUser(context.db, person.id)));
}

/** PATCH role and/or active, as an admin does on the person's page. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "PATCH") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use GET, or PATCH.", {}, { Allow: "GET, PATCH" });
  const principal = await requireApiPrincipal(request, context, { write: true });
  requireApiPermission(principal, "people.manage", "Only admins can change people.");
  let person = await personOrThrow(context, params);
  const { value } = await readJson(request, PersonPatchSchema);
  const actor = actorOfPrincipal(principal);
  // Activation first: its refusals (yourself, the last admin) come before anything is
  // written, and once it has run a role change can no longer be refused for a reason the
  // first step caused, so a refused request never leaves half of itself applied.
  if (value.active !== undefined && value.active !== person.active) {
    const result = await setActive(context.db, actor, person.id, value.active, new Date(), context.logger);
    if (!result.ok) return problemFromDomain(result.error);
    person = result.value;
  }
  if (value.role !== undefined && value.role !== person.role) {
    const result = await changeRole(context.db, actor, person.id, value.role, context.logger);
    if (!result.ok) return problemFromDomain(result.error);
    person = result.value;
  }
  return json(personDetailResource(person, await teamsOfUser(context.db, person.id)));
}
