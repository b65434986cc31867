import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { TeamRole } from "~/domain/types";
import {
  ancestorIds,
  deleteMember,
  getTeamById,
  insertTeam,
  updateTeam as updateTeamRow,
  upsertMember,
  type TeamRow,
} from "~/models/team.server";
import { getUserById } from "~/models/user.server";
import { foreignKeyViolation, uniqueViolation } from "~/utils/db-errors.server";
import { authorize } from "./authorize.server";
import { fail, ok, type Actor, type Result } from "~/domain/result";
import { NO_CHANGE_LOG, type ChangeLog } from "./change-log.server";

const ADMINS_ONLY = "Only admins can manage teams.";
const TEAM_TREE_LOCK_ID = 7_200_419;

export interface TeamInput {
  name: string;
  slug: string;
  mission: string;
  parentId: string | null;
}

function slugTaken(slug: string) {
  return fail("TEAM.SLUG_TAKEN", `Another team already uses the address "${slug}". Choose a different one.`, "slug");
}

async function createTeamUnlogged(db: Database, actor: Actor, input: TeamInput): Promise<Result<TeamRow>> {
  const refused = authorize(actor, "teams.manage", ADMINS_ONLY);
  if (refused) return refused;
  try {
    return await db.transaction(async (tx) => {
      if (input.parentId && !(await getTeamById(tx, input.parentId))) {
        return fail("TEAM.PARENT_NOT_FOUND", "The parent team no longer exists.", "parentId");
      }
      return ok(await insertTeam(tx, input));
    });
  } catch (error) {
    if (uniqueViolation(error) === "teams_slug_key") return slugTaken(input.slug);
    if (foreignKeyViolation(error) !== null) return fail("TEAM.PARENT_NOT_FOUND", "The parent team no longer exists.", "parentId");
    throw error;
  }
}

async function updateTeamUnlogged(
  db: Database,
  actor: Actor,
  teamId: string,
  input: TeamInput,
  now: Date,
): Promise<Result<TeamRow>> {
  const refused = authorize(actor, "teams.manage", ADMINS_ONLY);
  if (refused) return refused;
  try {
    return await db.transaction(async (tx) => {
      if (!(await getTeamById(tx, teamId))) return fail("NOT_FOUND", "That team does not exist.");
      if (input.parentId) {
        // Two moves at once ("A under B" and "B under A") would each pass the cycle check
        // alone; moves serialise on this lock so the second sees the first.
        await tx.execute(sql`select pg_advisory_xact_lock(${TEAM_TREE_LOCK_ID})`);
        if (!(await getTeamById(tx, input.parentId))) {
          return fail("TEAM.PARENT_NOT_FOUND", "The parent team no longer exists.", "parentId");
        }
        // A team cannot sit below itself or below one of its own descendants.
        if ((await ancestorIds(tx, input.parentId)).includes(teamId)) {
          return fail("TEAM.PARENT_CYCLE", "A team cannot be placed under itself or one of its sub-teams.", "parentId");
        }
      }
      const updated = await updateTeamRow(tx, teamId, input, now);
      return ok(updated!);
    });
  } catch (error) {
    if (uniqueViolation(error) === "teams_slug_key") return slugTaken(input.slug);
    throw error;
  }
}

async function addTeamMemberUnlogged(
  db: Database,
  actor: Actor,
  teamId: string,
  userId: string,
  role: TeamRole,
): Promise<Result<null>> {
  const refused = authorize(actor, "teams.manage", ADMINS_ONLY);
  if (refused) return refused;
  const [team, user] = await Promise.all([getTeamById(db, teamId), getUserById(db, userId)]);
  if (!team) return fail("NOT_FOUND", "That team does not exist.");
  if (!user || !user.active) return fail("TEAM.USER_NOT_FOUND", "Choose an active person to add.", "userId");
  try {
    await upsertMember(db, teamId, userId, role);
  } catch (error) {
    if (foreignKeyViolation(error) !== null) return fail("TEAM.USER_NOT_FOUND", "Choose an active person to add.", "userId");
    throw error;
  }
  return ok(null);
}

async function removeTeamMemberUnlogged(db: Database, actor: Actor, teamId: string, userId: string): Promise<Result<null>> {
  const refused = authorize(actor, "teams.manage", ADMINS_ONLY);
  if (refused) return refused;
  const removed = await deleteMember(db, teamId, userId);
  if (!removed) return fail("NOT_FOUND", "That person is not a member of this team.");
  return ok(null);
}

/** createTeam, and its line in the change log: the same line whether the UI or the API asked. */
export async function createTeam(db: Database, actor: Actor, input: TeamInput, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await createTeamUnlogged(db, actor, input);
  if (result.ok) log.info({ teamId: result.value.id, by: actor.id }, "team created");
  return result;
}

/** updateTeam, and its line in the change log: the same line whether the UI or the API asked. */
export async function updateTeam(db: Database, actor: Actor, teamId: string, input: TeamInput, now: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await updateTeamUnlogged(db, actor, teamId, input, now);
  if (result.ok) log.info({ teamId, by: actor.id }, "team updated");
  return result;
}

/** addTeamMember, and its line in the change log: the same line whether the UI or the API asked. */
export async function addTeamMember(db: Database, actor: Actor, teamId: string, userId: string, role: TeamRole, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await addTeamMemberUnlogged(db, actor, teamId, userId, role);
  if (result.ok) log.info({ teamId, userId, role, by: actor.id }, "team member set");
  return result;
}

/** removeTeamMember, and its line in the change log: the same line whether the UI or the API asked. */
export async function removeTeamMember(db: Database, actor: Actor, teamId: string, userId: string, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await removeTeamMemberUnlogged(db, actor, teamId, userId);
  if (result.ok) log.info({ teamId, userId, by: actor.id }, "team member removed");
  return result;
}
