import { and, asc, eq, ilike, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { teamMembers, teams, users } from "../../db/schema";
import type { TeamRole } from "~/domain/types";
import { rowsOf } from "./rows.server";

export const teamColumns = {
  id: teams.id,
  slug: teams.slug,
  name: teams.name,
  mission: teams.mission,
  parentId: teams.parentId,
  createdAt: teams.createdAt,
  updatedAt: teams.updatedAt,
};

export type TeamRow = {
  id: string;
  slug: string;
  name: string;
  mission: string;
  parentId: string | null;
  createdAt: Date;
  updatedAt: Date;
};

// Organisations have tens to a few hundred teams: the whole tree is one indexed scan, and the
// page needs all of it to draw the hierarchy. The cap keeps a runaway import from hurting.
export const MAX_TEAMS = 5000;

export async function listAllTeams(db: DbOrTx): Promise<Array<TeamRow & { memberCount: number }>> {
  return db
    .select({
      ...teamColumns,
      memberCount: sql<number>`(select count(*)::int from ${teamMembers} where ${teamMembers.teamId} = ${teams.id})`,
    })
    .from(teams)
    .orderBy(asc(teams.name), asc(teams.id))
    .limit(MAX_TEAMS);
}

/**
 * Teams the list's team filter may mean by `text` (ADR 0036): the one whose slug it is, and
 * those whose name contains it, the exact slug and whole names first; at most `limit`.
 */
export async function findTeamsByText(db: DbOrTx, text: string, limit: number): Promise<Array<Pick<TeamRow, "id" | "slug" | "name">>> {
  const typed = text.trim();
  const pattern = `%${typed.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .select({ id: teams.id, slug: teams.slug, name: teams.name })
    .from(teams)
    .where(or(eq(teams.slug, typed), ilike(teams.name, pattern)))
    .orderBy(sql`${teams.slug} = ${typed} desc`, sql`lower(${teams.name}) = lower(${typed}) desc`, asc(teams.name), asc(teams.id))
    .limit(limit);
}

export async function getTeamBySlug(db: DbOrTx, slug: string): Promise<TeamRow | null> {
  const [row] = await db.select(teamColumns).from(teams).where(eq(teams.slug, slug)).limit(1);
  return row ?? null;
}

export async function getTeamById(db: DbOrTx, id: string): Promise<TeamRow | null> {
  const [row] = await db.select(teamColumns).from(teams).where(eq(teams.id, id)).limit(1);
  return row ?? null;
}

export async function insertTeam(
  db: DbOrTx,
  values: { slug: string; name: string; mission: string; parentId: string | null },
): Promise<TeamRow> {
  const [row] = await db.insert(teams).values(values).returning(teamColumns);
  return row!;
}

export async function updateTeam(
  db: DbOrTx,
  id: string,
  values: { slug: string; name: string; mission: string; parentId: string | null },
  now: Date,
): Promise<TeamRow | null> {
  const [row] = await db
    .update(teams)
    .set({ ...values, updatedAt: now })
    .where(eq(teams.id, id))
    .returning(teamColumns);
  return row ?? null;
}

/** Ids of `teamId` and all its ancestors, nearest first (for cycle checks and roll-ups). */
export async function ancestorIds(db: DbOrTx, teamId: string): Promise<string[]> {
  const result = await db.execute<{ id: string }>(sql`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from ${teams} where id = ${teamId}
      union all
      select t.id, t.parent_id, up.depth + 1 from ${teams} t join up on t.id = up.parent_id where up.depth < 100
    )
    select id from up order by depth`);
  return rowsOf<{ id: string }>(result).map((r) => r.id);
}

/** Ids of `teamId` and every team below it. */
export async function subtreeIds(db: DbOrTx, teamId: string): Promise<string[]> {
  return subtreesIds(db, [teamId]);
}

/** The teams under any of `teamIds`, themselves included, each once: one statement however many roots. */
export async function subtreesIds(db: DbOrTx, teamIds: readonly string[]): Promise<string[]> {
  if (teamIds.length === 0) return [];
  const result = await db.execute<{ id: string }>(sql`
    with recursive down(id, depth) as (
      select id, 0 from ${teams} where id in (${sql.join(teamIds.map((id) => sql`${id}::uuid`), sql`, `)})
      union all
      select t.id, down.depth + 1 from ${teams} t join down on t.parent_id = down.id where down.depth < 100
    )
    select distinct id from down`);
  return rowsOf<{ id: string }>(result).map((r) => r.id);
}

export async function listMembers(db: DbOrTx, teamId: string) {
  return db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      active: users.active,
      role: teamMembers.role,
      addedAt: teamMembers.addedAt,
    })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(eq(teamMembers.teamId, teamId))
    .orderBy(asc(users.name), asc(users.id))
    .limit(MAX_TEAMS);
}

export async function upsertMember(db: DbOrTx, teamId: string, userId: string, role: TeamRole) {
  await db
    .insert(teamMembers)
    .values({ teamId, userId, role })
    .onConflictDoUpdate({ target: [teamMembers.teamId, teamMembers.userId], set: { role } });
}

export async function deleteMember(db: DbOrTx, teamId: string, userId: string): Promise<boolean> {
  const rows = await db
    .delete(teamMembers)
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)))
    .returning({ userId: teamMembers.userId });
  return rows.length > 0;
}

/** The person's role on this very team (not inherited from a parent), or null when not on it. */
export async function teamRoleOf(db: DbOrTx, userId: string, teamId: string): Promise<TeamRole | null> {
  const [row] = await db
    .select({ role: teamMembers.role })
    .from(teamMembers)
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)))
    .limit(1);
  return row?.role ?? null;
}

export async function teamsOfUser(db: DbOrTx, userId: string) {
  return db
    .select({ id: teams.id, slug: teams.slug, name: teams.name, mission: teams.mission, role: teamMembers.role })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teamMembers.userId, userId))
    .orderBy(asc(teams.name))
    .limit(MAX_TEAMS);
}
