import type { Database } from "../../db/client";
import { labelsWithin, periodContaining } from "~/domain/period";
import { firstRunChecklist } from "~/domain/first-run";
import { dashboardLists } from "~/models/dashboard.server";
import { firstRunProgress, openCommitmentsDueBetween, openCommitmentsOwnedBy, outcomeCountsDueBetween } from "~/models/home.server";
import { outcomeCountsByPeriod } from "~/models/statistics.server";
import { addCounts, deliveryRate, madeOf } from "~/domain/statistics";
import { subtreesIds, teamsOfUser } from "~/models/team.server";
import { organisationCalendar } from "~/services/organisation.server";
import { can, homeScope } from "~/domain/permissions";
import { commitmentListHref } from "~/utils/clean-search";
import type { Actor } from "~/domain/result";
import type { FigureCache } from "~/utils/figure-cache.server";

const DAY = 86_400_000;
export const MY_LIST_LIMIT = 25;

/**
 * The home page after sign-in: for the teams a person belongs to (with their sub-teams), what
 * is due soon, overdue, at risk, and recently resolved, and how the current quarter is going.
 * An admin on no team sees the whole organisation.
 */
export async function loadDashboard(db: Database, actor: Actor, now: Date, figures?: FigureCache) {
  const { org, calendar, today } = await organisationCalendar(db, now);
  const myTeams = await teamsOfUser(db, actor.id);
  const scope = homeScope(actor, myTeams.length > 0);
  // undefined: the whole organisation.
  const teamIds: string[] | undefined =
    scope === "own-teams" ? await subtreesIds(db, myTeams.map((t) => t.id)) : scope === "nothing" ? [] : undefined;
  const quarter = periodContaining(today, "quarter", calendar);
  const year = periodContaining(today, "year", calendar);
  // "Outcomes in the last 30 days": from this instant, which the list's "see all" link carries.
  const recentSince = new Date(now.getTime() - 30 * DAY);
  const [lists, quarterCounts, yearByPeriod, mine, teamsThisQuarter, progress] = await Promise.all([
    dashboardLists(db, teamIds, today, recentSince),
    // This quarter's work is what falls due in it, whatever period it was made for: counting
    // only commitments labelled with the quarter showed "0" above a year's commitment due now.
    outcomeCountsDueBetween(db, teamIds, quarter.start, quarter.end),
    // The year's figure counts its halves and quarters too, as the retrospective of the year
    // does. The dashboard shows the delivery rate alone, which needs only the outcome counts:
    // not the forecasts of record, nor the lists of ids a whole summary carries (ADR 0027).
    outcomeCountsByPeriod(db, teamIds, labelsWithin(year), figures),
    openCommitmentsOwnedBy(db, actor.id, MY_LIST_LIMIT),
    openCommitmentsDueBetween(db, teamIds, quarter.start, quarter.end, MY_LIST_LIMIT),
    can(actor, "organisation.manage") ? firstRunProgress(db) : null,
  ]);
  const yearCounts = addCounts(yearByPeriod);
  // Where each bounded list continues: the open commitments, soonest due first (past due at the
  // top), of the one team shown (the list's team filter takes its sub-teams too), or of everyone.
  const oneTeam = scope === "own-teams" && myTeams.length === 1 ? myTeams[0]! : null;
  const openListHref = `/commitments?status=open&year=all&sort=due${oneTeam ? `&team=${encodeURIComponent(oneTeam.slug)}` : ""}`;
  return {
    organisationName: org.name,
    today,
    quarter,
    year,
    yearSummary: { counts: yearCounts, made: madeOf(yearCounts), deliveryRate: deliveryRate(yearCounts) },
    myTeams,
    wholeOrganisation: teamIds === undefined,
    lists,
    /** Where "outcomes in the last 30 days" continues: the same window, to the instant, newest outcome first. */
    recentListHref: commitmentListHref(openListHref, { outcomeSince: recentSince.toISOString(), sort: "outcome_desc" }),
    openListHref,
    quarterCounts,
    mine,
    teamsThisQuarter,
    checklist: progress ? firstRunChecklist(progress, year.label) : null,
  };
}
