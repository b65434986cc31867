// What every commitment form needs to render: the teams this person may write for, the
// people who can own it, the periods to choose from, and the organisation's calendar.
import type { Database } from "../../db/client";
import { periodChoices } from "~/domain/period";
import { flattenTree } from "~/domain/team-tree";
import { organisationCalendar } from "~/services/organisation.server";
import { listAllTeams, teamsOfUser } from "~/models/team.server";
import { listUsers } from "~/models/user.server";
import type { Actor } from "~/domain/result";

export async function commitmentFormOptions(db: Database, actor: Actor, now: Date) {
  const { org, calendar, today } = await organisationCalendar(db, now);
  const [allTeams, mine, people] = await Promise.all([
    listAllTeams(db),
    actor.role === "admin" ? Promise.resolve([]) : teamsOfUser(db, actor.id),
    listUsers(db, { limit: 2000, activeOnly: true }),
  ]);
  const editable = new Set(actor.role === "admin" ? allTeams.map((t) => t.id) : mine.filter((t) => t.role === "editor").map((t) => t.id));
  return {
    calendar,
    today,
    minimum: org.minPublicScore,
    periods: periodChoices(calendar, today),
    teams: flattenTree(allTeams)
      .filter((r) => editable.has(r.team.id))
      .map((r) => ({ value: r.team.id, label: `${"— ".repeat(r.depth)}${r.team.name}` })),
    people: people.map((p) => ({ value: p.id, label: p.name })),
  };
}
