import { describe, expect, it } from "vitest";
import { ACTIONS, can, decideByAccount, defaultTeamRole, homeScope, mayEverWrite, teamsPermitting, type Action, type Principal } from "./permissions";
import type { TeamRole } from "./types";

const admin: Principal = { id: "a", role: "admin" };
const member: Principal = { id: "m", role: "member" };
const viewer: Principal = { id: "v", role: "viewer" };

/** Every way a person can stand towards a thing, with the answer today's rules give. */
type Standing = { who: string; actor: Principal; teamRole: TeamRole | null; owner: boolean };
const standings: Standing[] = [
  { who: "an admin on no team", actor: admin, teamRole: null, owner: false },
  { who: "an admin who owns it", actor: admin, teamRole: null, owner: true },
  { who: "an admin who edits its team", actor: admin, teamRole: "editor", owner: false },
  { who: "a member who edits its team", actor: member, teamRole: "editor", owner: false },
  { who: "a member who views its team", actor: member, teamRole: "viewer", owner: false },
  { who: "a member on no team (or a thing of no team)", actor: member, teamRole: null, owner: false },
  { who: "a member who owns it", actor: member, teamRole: null, owner: true },
  { who: "a viewer account that edits its team", actor: viewer, teamRole: "editor", owner: false },
  { who: "a viewer account that views its team", actor: viewer, teamRole: "viewer", owner: false },
  { who: "a viewer account who owns it", actor: viewer, teamRole: null, owner: true },
  { who: "a viewer account on no team", actor: viewer, teamRole: null, owner: false },
];

// The expected answers, written out per rule rather than computed from the module under test.
function expected(action: Action, s: Standing): boolean {
  if (s.actor.role === "admin") return true;
  switch (ACTIONS[action]) {
    case "admin":
      return false;
    case "team-editor":
      return s.actor.role === "member" && s.teamRole === "editor";
    case "owner":
      return s.owner;
  }
}

function ask(action: Action, s: Standing): boolean {
  const rule = ACTIONS[action];
  const target = rule === "team-editor" ? { teamRole: s.teamRole } : rule === "owner" ? { ownerId: s.owner ? s.actor.id : "someone-else" } : undefined;
  return (can as (a: Principal, x: Action, t?: unknown) => boolean)(s.actor, action, target);
}

describe("can: every action for every standing", () => {
  const cases = (Object.keys(ACTIONS) as Action[]).flatMap((action) => standings.map((s) => [`${action} by ${s.who}`, action, s] as const));
  it.each(cases)("%s", (_name, action, s) => {
    expect(ask(action, s)).toBe(expected(action, s));
  });
});

describe("the rules as the code held them before they were gathered", () => {
  it("admins do everything, whatever the thing", () => {
    expect(can(admin, "commitments.write", { teamRole: null })).toBe(true);
    expect(can(admin, "tokens.manage", { ownerId: "someone-else" })).toBe(true);
    expect(can(admin, "letters.manage")).toBe(true);
  });

  it("a team's editors write its commitments and retrospective; its viewers do not", () => {
    expect(can(member, "commitments.write", { teamRole: "editor" })).toBe(true);
    expect(can(member, "retrospective.write", { teamRole: "editor" })).toBe(true);
    expect(can(member, "commitments.write", { teamRole: "viewer" })).toBe(false);
    expect(can(member, "retrospective.write", { teamRole: null })).toBe(false);
  });

  it("a viewer account never writes, even where it is listed as an editor", () => {
    expect(can(viewer, "commitments.write", { teamRole: "editor" })).toBe(false);
    expect(can(viewer, "retrospective.write", { teamRole: "editor" })).toBe(false);
  });

  it("only admins manage the organisation, people, teams, letters, webhooks and the year's close", () => {
    for (const action of ["organisation.manage", "people.manage", "teams.manage", "letters.manage", "webhooks.manage", "year.close"] as const) {
      expect(can(member, action)).toBe(false);
      expect(can(viewer, action)).toBe(false);
    }
  });

  it("a person manages their own API tokens, not someone else's", () => {
    expect(can(viewer, "tokens.manage", { ownerId: viewer.id })).toBe(true);
    expect(can(member, "tokens.manage", { ownerId: viewer.id })).toBe(false);
  });
});

describe("decideByAccount: when the guard needs no lookup", () => {
  it("answers admins and viewer accounts at once for team actions, and leaves members to their team role", () => {
    expect(decideByAccount(admin, "commitments.write")).toBe("allow");
    expect(decideByAccount(viewer, "commitments.write")).toBe("deny");
    expect(decideByAccount(member, "commitments.write")).toBe("ask-target");
  });

  it("answers admin-only actions for everyone, and leaves ownership to the target", () => {
    expect(decideByAccount(member, "people.manage")).toBe("deny");
    expect(decideByAccount(viewer, "tokens.manage")).toBe("ask-target");
    expect(decideByAccount(admin, "tokens.manage")).toBe("allow");
  });
});

describe("the questions pages ask", () => {
  it("mayEverWrite: admins and members may write somewhere; a viewer account never does", () => {
    expect(mayEverWrite(admin)).toBe(true);
    expect(mayEverWrite(member)).toBe(true);
    expect(mayEverWrite(viewer)).toBe(false);
  });

  it("teamsPermitting: every team for an admin, the teams a member edits, none for a viewer account", () => {
    const teams = [
      { id: "edits", teamRole: "editor" as const },
      { id: "views", teamRole: "viewer" as const },
      { id: "not-on", teamRole: null },
    ];
    expect(teamsPermitting(admin, "commitments.write", teams)).toEqual(["edits", "views", "not-on"]);
    expect(teamsPermitting(member, "commitments.write", teams)).toEqual(["edits"]);
    expect(teamsPermitting(member, "retrospective.write", teams)).toEqual(["edits"]);
    expect(teamsPermitting(viewer, "commitments.write", teams)).toEqual([]);
  });

  it("homeScope: a person on a team sees their teams; off every team, an admin sees the organisation and others nothing", () => {
    expect(homeScope(member, true)).toBe("own-teams");
    expect(homeScope(admin, true)).toBe("own-teams");
    expect(homeScope(viewer, true)).toBe("own-teams");
    expect(homeScope(admin, false)).toBe("organisation");
    expect(homeScope(member, false)).toBe("nothing");
    expect(homeScope(viewer, false)).toBe("nothing");
  });

  it("defaultTeamRole: a viewer account is put on a team as a viewer, anyone else as an editor", () => {
    expect(defaultTeamRole(viewer)).toBe("viewer");
    expect(defaultTeamRole(member)).toBe("editor");
    expect(defaultTeamRole(admin)).toBe("editor");
  });
});
