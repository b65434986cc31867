// Suggestions for the commitments list's team filter while someone types (ADR 0036): at most
// TEAM_MATCHES teams whose slug is the text or whose name contains it, as the filter resolves
// them. A resource route: the filter works without it, the list page resolving what was typed.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { TEAM_MATCHES } from "~/domain/team-filter";
import { findTeamsByText } from "~/models/team.server";
import { requireUser } from "~/http/session.server";

const NO_STORE = { "Cache-Control": "private, no-store" };
/** Longer text matches no team name worth suggesting; it is not looked up. */
const TEAM_TEXT_MAX = 200;

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Every signed-in person may filter the list by any team (the Teams page lists them all).
  await requireUser(request, context);
  const text = (new URL(request.url).searchParams.get("q") ?? "").trim();
  if (text === "" || text.length > TEAM_TEXT_MAX) return Response.json({ teams: [] }, { headers: NO_STORE });
  const teams = await findTeamsByText(context.db, text, TEAM_MATCHES);
  return Response.json({ teams: teams.map((t) => ({ id: t.slug, slug: t.slug, label: t.name })) }, { headers: NO_STORE });
}
