// What every commitment form needs to render: the teams this person may write for, the
// periods to choose from, and the organisation's calendar. The owner is a search field
// (ADR 0029): no list of people is loaded, whatever the organisation's size.
import type { Database } from "../../db/client";
import { periodChoices } from "~/domain/period";
import { flattenTree } from "~/domain/team-tree";
import { organisationCalendar } from "~/services/organisation.server";
import { listAllTeams, teamsOfUser } from "~/models/team.server";
import { getUserById } from "~/models/user.server";
import type { Actor } from "~/domain/result";
import { decideByAccount, teamsPermitting } from "~/domain/permissions";

export async function commitmentFormOptions(db: Database, actor: Actor, now: Date) {
  const { org, calendar, today } = await organisationCalendar(db, now);
  const [allTeams, mine] = await Promise.all([
    listAllTeams(db),
    // Only a member's team roles can change the answer; admins and viewer accounts need no lookup.
    decideByAccount(actor, "commitments.write") === "ask-target" ? teamsOfUser(db, actor.id) : Promise.resolve([]),
  ]);
  const roleOn = new Map(mine.map((t) => [t.id, t.role]));
  const editable = new Set(teamsPermitting(actor, "commitments.write", allTeams.map((t) => ({ id: t.id, teamRole: roleOn.get(t.id) ?? null }))));
  return {
    calendar,
    today,
    minimum: org.minPublicScore,
    periods: periodChoices(calendar, today),
    teams: flattenTree(allTeams)
      .filter((r) => editable.has(r.team.id))
      .map((r) => ({ value: r.team.id, label: `${"— ".repeat(r.depth)}${r.team.name}` })),
  };
}

/** The owner picker's starting value: the person's name in the field, their id beside it. */
export async function ownerDefaults(db: Database, ownerId: string | null, known?: { id: string; name: string }): Promise<{ owner: string; ownerId: string }> {
  if (!ownerId) return { owner: "", ownerId: "" };
  if (known?.id === ownerId) return { owner: known.name, ownerId };
  const person = await getUserById(db, ownerId);
  return person ? { owner: person.name, ownerId } : { owner: "", ownerId: "" };
}
