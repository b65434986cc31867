import type { LoaderFunctionArgs } from "@remix-run/node";
import { listAllTeams } from "~/models/team.server";
import { json, requireApiPrincipal } from "~/utils/api.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireApiPrincipal(request, context, { write: false });
  const teams = await listAllTeams(context.db);
  return json({ items: teams.map((t) => ({ id: t.id, slug: t.slug, name: t.name, mission: t.mission, parentId: t.parentId })), next: null });
}
