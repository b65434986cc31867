// The first-run checklist: what an admin of a new instance does before Kept is in use, each
// step done when the record says so (not when someone ticks a box), so it follows real progress
// whatever order the steps are taken in and wherever they are done (pages, API, import).
import { formatNumber } from "./commitment";

/**
 * Commitments are counted up to this many and no further: the step only needs to know there is
 * one, and an exact count of a million-row table is a scan on every admin's dashboard.
 */
export const FIRST_RUN_COMMITMENTS_COUNTED_UP_TO = 10_000;

export interface FirstRunCounts {
  teams: number;
  /** Active people, admins included. */
  people: number;
  /** Active people on at least one team. */
  peopleOnTeams: number;
  /** Active members and viewers on no team: they see nothing of their own until they are on one. */
  withoutTeam: number;
  /** Counted up to FIRST_RUN_COMMITMENTS_COUNTED_UP_TO + 1: more than the bound reads "more than". */
  commitments: number;
  /** The organisation's settings (where the public minimum score is set) were saved after setup. */
  settingsReviewed: boolean;
  publishedLetters: number;
}

export type FirstRunStepId = "team" | "people" | "commitment" | "minimum" | "publish";

export interface FirstRunStep {
  id: FirstRunStepId;
  title: string;
  /** Where to do it. */
  href: string;
  linkText: string;
  /** Why, or what is left, in a sentence. */
  detail: string;
  done: boolean;
}

export interface FirstRunChecklist {
  steps: FirstRunStep[];
  doneCount: number;
  /** Every step that can be done is done: the checklist folds away. */
  complete: boolean;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function firstRunChecklist(c: FirstRunCounts, fiscalYearLabel: string): FirstRunChecklist {
  // The admin who set Kept up is the first person; the step is about everyone else.
  const peopleDone = c.people > 1 && c.peopleOnTeams > 0 && c.withoutTeam === 0;
  const steps: FirstRunStep[] = [
    {
      id: "team",
      title: "Create a team",
      href: "/teams",
      linkText: c.teams > 0 ? "See the teams" : "Create the first team",
      detail: c.teams > 0 ? `${plural(c.teams, "team", "teams")} so far.` : "Commitments belong to teams; sub-teams roll up into their parents.",
      done: c.teams > 0,
    },
    {
      id: "people",
      title: "Add people and give them a team",
      href: "/people",
      linkText: c.people > 1 ? "See the people" : "Add the first person",
      detail:
        c.people <= 1
          ? "Members write their teams' commitments; viewers read. Put each on a team from their page."
          : c.withoutTeam > 0
            ? `${plural(c.withoutTeam, "person is", "people are")} on no team yet.`
            : c.peopleOnTeams === 0
              ? "Nobody is on a team yet."
              : `${plural(c.people, "person", "people")}; ${plural(c.peopleOnTeams, "is", "are")} on a team.`,
      done: peopleDone,
    },
    {
      id: "commitment",
      title: "Write the first commitment",
      href: "/commitments/new",
      linkText: c.commitments > 0 ? "See the commitments" : "Write the first commitment",
      detail:
        c.commitments > FIRST_RUN_COMMITMENTS_COUNTED_UP_TO
          ? `More than ${formatNumber(FIRST_RUN_COMMITMENTS_COUNTED_UP_TO)} commitments so far.`
          : c.commitments > 0
            ? `${formatNumber(c.commitments)} ${c.commitments === 1 ? "commitment" : "commitments"} so far.`
            : "A promise someone could check: what, by when, and how you will know.",
      done: c.commitments > 0,
    },
    {
      id: "minimum",
      title: "Set the public minimum score",
      href: "/settings",
      linkText: "Review the settings",
      detail: "Public commitments must reach this falsifiability score; check it suits you and save the settings.",
      done: c.settingsReviewed,
    },
    {
      id: "publish",
      title: "Publish nothing yet",
      href: "/letters",
      linkText: "About letters",
      detail:
        c.publishedLetters > 0
          ? `${plural(c.publishedLetters, "letter is", "letters are")} published.`
          : `The annual letter is published once ${fiscalYearLabel} is over; until then nothing leaves Kept.`,
      // Not a task: nothing to do until the year ends, so it never holds the checklist open.
      done: true,
    },
  ];
  const doneCount = steps.filter((s) => s.done).length;
  return { steps, doneCount, complete: doneCount === steps.length };
}
