// Who may do what to which team's thing: the one place Kept's permission rules are written.
// Pure: the service guard (app/services/authorize.server.ts) looks up what it needs (the
// actor's role on a team, a token's owner) and asks here; UI pages ask here for what to show.
//
// Today's rules, exactly as the code held them before they were gathered here (ADR 0022):
// - an account is an admin, a member or a viewer (users.role);
// - on a team, a person is an editor or a viewer (team_members.role), and only that team's
//   own row counts: an editor of a parent team is not an editor of its children;
// - admins may do everything; a team's editors may change that team's commitments and
//   retrospective, unless their account is a viewer's (a viewer account never writes);
// - things that belong to no team (the organisation's retrospective, its action items) are
//   admins' alone; an API token may be revoked by its owner or an admin.

import type { Role as AccountRole, TeamRole } from "./types";

/** Who is acting (structurally the services' `Actor`). */
export interface Principal {
  id: string;
  role: AccountRole;
}

/**
 * Everything a permission is asked about, and who holds it:
 * - `admin`: admins only, whatever the target;
 * - `team-editor`: admins, and editors of the thing's own team (not viewer accounts);
 * - `owner`: admins, and the person the thing belongs to.
 */
export const ACTIONS = {
  /** Organisation settings, notification defaults, record settings, the outbox, failed jobs, the export, subscribers. */
  "organisation.manage": "admin",
  /** Webhook endpoints, their deliveries and secrets, and the webhook settings. */
  "webhooks.manage": "admin",
  /** Add and change people, and issue their sign-in links. */
  "people.manage": "admin",
  /** Create and change teams and who is on them. */
  "teams.manage": "admin",
  /** Generate, edit, discard, publish and correct letters; see drafts. */
  "letters.manage": "admin",
  /** Close a fiscal year and draft its letter. */
  "year.close": "admin",
  /** Create, edit, re-scope, check in on, record the outcome of, carry forward and import a team's commitments. */
  "commitments.write": "team-editor",
  /** Write a team's retrospective notes and add or change its action items. */
  "retrospective.write": "team-editor",
  /** See and revoke a person's API tokens. */
  "tokens.manage": "owner",
} as const satisfies Record<string, "admin" | "team-editor" | "owner">;

export type Action = keyof typeof ACTIONS;
export type AdminAction = { [A in Action]: (typeof ACTIONS)[A] extends "admin" ? A : never }[Action];
export type TeamAction = { [A in Action]: (typeof ACTIONS)[A] extends "team-editor" ? A : never }[Action];
export type OwnerAction = { [A in Action]: (typeof ACTIONS)[A] extends "owner" ? A : never }[Action];

/** What the rule needs to know about the thing acted on, by the kind of action. */
export type Target<A extends Action> = A extends TeamAction
  ? { /** The actor's role on the thing's team; null when not on it or the thing has no team. */ teamRole: TeamRole | null }
  : A extends OwnerAction
    ? { ownerId: string }
    : undefined;

/**
 * What the account role alone decides: "allow", "deny", or "ask-target" when the answer depends
 * on the thing (the actor's role on its team, its owner), so the guard skips that lookup when it needn't.
 */
export function decideByAccount(actor: Principal, action: Action): "allow" | "deny" | "ask-target" {
  if (actor.role === "admin") return "allow";
  const rule = ACTIONS[action];
  if (rule === "admin") return "deny";
  if (rule === "owner") return "ask-target";
  return actor.role === "viewer" ? "deny" : "ask-target";
}

/** Whether the actor may do `action` to the thing described by `target`. */
export function can<A extends Action>(actor: Principal, action: A, ...[target]: Target<A> extends undefined ? [] : [Target<A>]): boolean {
  const byAccount = decideByAccount(actor, action);
  if (byAccount !== "ask-target") return byAccount === "allow";
  const rule = ACTIONS[action];
  if (rule === "owner") return (target as { ownerId: string }).ownerId === actor.id;
  return (target as { teamRole: TeamRole | null }).teamRole === "editor";
}

/**
 * Whether the account may ever change anything: a viewer's account never writes, whatever its
 * team roles, so it is offered no write token and no write forms.
 */
export function mayEverWrite(actor: Principal): boolean {
  return decideByAccount(actor, "commitments.write") !== "deny";
}

/**
 * Of `teams` (each with the actor's role on it, null when not on it), the ids of those whose
 * things the actor may do `action` to, in the order given: every team for an admin, the teams
 * they edit for a member, none for a viewer account.
 */
export function teamsPermitting(actor: Principal, action: TeamAction, teams: ReadonlyArray<{ id: string; teamRole: TeamRole | null }>): string[] {
  return teams.filter((t) => can(actor, action, { teamRole: t.teamRole })).map((t) => t.id);
}

/**
 * Whose commitments a person's home page counts: their own teams (with sub-teams) when they
 * are on any; otherwise the whole organisation for those who manage it, and nothing for others.
 */
export function homeScope(actor: Principal, onAnyTeam: boolean): "own-teams" | "organisation" | "nothing" {
  if (onAnyTeam) return "own-teams";
  return can(actor, "organisation.manage") ? "organisation" : "nothing";
}

/** The team role offered first when putting a person on a team: "viewer" for an account that never writes, "editor" otherwise. */
export function defaultTeamRole(actor: Principal): TeamRole {
  return mayEverWrite(actor) ? "editor" : "viewer";
}
