import type { Database } from "../../db/client";
import { periodContaining, periodOf, labelsWithin } from "~/domain/period";
import { commitmentsOfTeams, type HomeCommitment } from "~/models/home.server";
import { summarizeInDatabase } from "~/models/statistics.server";
import { getTeamBySlug, listAllTeams, listMembers, subtreeIds } from "~/models/team.server";
import { anyActivePersonOutside } from "~/models/user.server";
import { organisationCalendar } from "~/services/organisation.server";
import { can } from "~/domain/permissions";
import type { Actor } from "~/domain/result";

/** Commitments shown on the page; the list has them all. */
export const TEAM_HOME_COMMITMENTS = 200;

/**
 * A team's home: its commitments (with its sub-teams') by period, newest period first; the
 * delivery rate of this fiscal year and the last, computed by the one definition
 * (app/domain/statistics.ts via summarizeInDatabase); its members and sub-teams. Null when no
 * team has this address. Every signed-in person may read a team; what they may change
 * (members, the team itself, its commitments) is said by the flags.
 */
export async function loadTeamHome(db: Database, actor: Actor, slug: string, now: Date) {
  const team = await getTeamBySlug(db, slug);
  if (!team) return null;
  const canManage = can(actor, "teams.manage");
  const { calendar, today } = await organisationCalendar(db, now);
  const year = periodContaining(today, "year", calendar);
  const lastYear = periodOf("year", year.fiscalYear - 1, 1, calendar);
  const [allTeams, members, anyoneToAdd, teamIds] = await Promise.all([
    listAllTeams(db),
    listMembers(db, team.id),
    // The member picker searches as one types (ADR 0029); the page only needs to know it has someone to offer.
    canManage ? anyActivePersonOutside(db, team.id) : Promise.resolve(false),
    subtreeIds(db, team.id),
  ]);
  const [commitments, thisYear, previous] = await Promise.all([
    commitmentsOfTeams(db, teamIds, TEAM_HOME_COMMITMENTS),
    summarizeInDatabase(db, { teamIds, periodLabels: labelsWithin(year) }, { today }),
    summarizeInDatabase(db, { teamIds, periodLabels: labelsWithin(lastYear) }, { today }),
  ]);
  const parent = allTeams.find((t) => t.id === team.parentId) ?? null;
  const teamRole = members.find((m) => m.userId === actor.id)?.role ?? null;
  const periods: Array<{ label: string; items: HomeCommitment[] }> = [];
  for (const c of commitments.items) {
    const last = periods.at(-1);
    if (last?.label === c.periodLabel) last.items.push(c);
    else periods.push({ label: c.periodLabel, items: [c] });
  }
  return {
    today,
    canManage,
    // Admins and this team's editors write its commitments (and so may import them).
    canWrite: can(actor, "commitments.write", { teamRole }),
    canImport: can(actor, "commitments.write", { teamRole }),
    team: { id: team.id, slug: team.slug, name: team.name, mission: team.mission },
    parent: parent ? { slug: parent.slug, name: parent.name } : null,
    children: allTeams.filter((t) => t.parentId === team.id).map((c) => ({ slug: c.slug, name: c.name })),
    members: members.map((m) => ({ userId: m.userId, name: m.name, email: m.email, role: m.role, active: m.active })),
    anyoneToAdd,
    periods,
    total: commitments.total,
    figures: [
      { label: year.label, deliveryRate: thisYear.deliveryRate, counts: thisYear.counts },
      { label: lastYear.label, deliveryRate: previous.deliveryRate, counts: previous.counts },
    ],
  };
}
