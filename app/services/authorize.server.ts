// The one guard every use case asks before it changes anything: it looks up what the rule needs
// (the actor's role on the thing's team) and asks app/domain/permissions.ts, which holds the
// rules. A refusal is the FORBIDDEN failure routes already map to 403 (or a form error).
import { can, decideByAccount, type AdminAction, type OwnerAction, type TeamAction } from "~/domain/permissions";
import { teamRoleOf } from "~/models/team.server";
import type { DbOrTx } from "../../db/client";
import { fail, type Actor, type DomainError } from "~/domain/result";

export type Refusal = { ok: false; error: DomainError };

const refuse = (message: string): Refusal => fail("FORBIDDEN", message);

/** Null when the actor may do an organisation-wide `action`; otherwise the refusal, with `message`. */
export function authorize(actor: Actor, action: AdminAction, message: string): Refusal | null {
  return can(actor, action) ? null : refuse(message);
}

/** Null when the actor may do `action` to a thing of its owner `ownerId`. */
export function authorizeOwned(actor: Actor, action: OwnerAction, ownerId: string, message: string): Refusal | null {
  return can(actor, action, { ownerId }) ? null : refuse(message);
}

/**
 * Whether the actor may do `action` to a thing of team `teamId` (null: a thing of no team, such
 * as the organisation's retrospective). Looks the actor's team role up only when the account
 * role leaves the answer open, so admins and viewers cost no query.
 */
export async function mayOnTeam(db: DbOrTx, actor: Actor, action: TeamAction, teamId: string | null): Promise<boolean> {
  const byAccount = decideByAccount(actor, action);
  if (byAccount !== "ask-target") return byAccount === "allow";
  return can(actor, action, { teamRole: teamId === null ? null : await teamRoleOf(db, actor.id, teamId) });
}

/** Null when the actor may do `action` to a thing of team `teamId`; otherwise the refusal, with `message`. */
export async function authorizeOnTeam(db: DbOrTx, actor: Actor, action: TeamAction, teamId: string | null, message: string): Promise<Refusal | null> {
  return (await mayOnTeam(db, actor, action, teamId)) ? null : refuse(message);
}
