import { and, asc, count, eq, gt, ilike, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { sessions, teamMembers, users, type NewUser } from "../../db/schema";
import type { PersonCandidate } from "~/domain/person-picker";
import type { Role } from "~/domain/types";

// Everything a page may show about a person; the password hash never leaves this module
// except through findCredentialsByEmail.
export const publicUserColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  active: users.active,
  createdAt: users.createdAt,
  deactivatedAt: users.deactivatedAt,
};

export type PublicUser = {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  createdAt: Date;
  deactivatedAt: Date | null;
};

export async function countUsers(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

export async function findCredentialsByEmail(db: DbOrTx, email: string) {
  const [row] = await db
    .select({ id: users.id, passwordHash: users.passwordHash, active: users.active })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  return row ?? null;
}

export async function getUserById(db: DbOrTx, id: string): Promise<PublicUser | null> {
  const [row] = await db.select(publicUserColumns).from(users).where(eq(users.id, id)).limit(1);
  return row ?? null;
}

export async function insertUser(db: DbOrTx, values: NewUser): Promise<PublicUser> {
  const [row] = await db.insert(users).values(values).returning(publicUserColumns);
  return row!;
}

export interface ListUsersParams {
  /** Keyset cursor: the (name, id) of the last row of the previous page. */
  after?: { name: string; id: string };
  search?: string;
  limit: number;
  activeOnly?: boolean;
}

/** People whose name or email contains `text` (any case; `%` and `_` are literal). */
export function nameOrEmailContains(text: string): SQL {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return or(ilike(users.name, pattern), ilike(users.email, pattern))!;
}

export async function listUsers(db: DbOrTx, params: ListUsersParams): Promise<PublicUser[]> {
  const conditions = [];
  if (params.after) {
    conditions.push(
      or(gt(users.name, params.after.name), and(eq(users.name, params.after.name), gt(users.id, params.after.id))),
    );
  }
  if (params.search) {
    conditions.push(nameOrEmailContains(params.search));
  }
  if (params.activeOnly) conditions.push(eq(users.active, true));
  return db
    .select(publicUserColumns)
    .from(users)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(users.name), asc(users.id))
    .limit(params.limit);
}

function notOnTeam(teamId: string): SQL {
  return sql`not exists (select 1 from ${teamMembers} where ${teamMembers.teamId} = ${teamId} and ${teamMembers.userId} = ${users.id})`;
}

export interface PersonSearch {
  /** What the person typed, trimmed: matched as part of a name or e-mail (nameOrEmailContains). */
  text: string;
  /** An e-mail the text names exactly ("Name <e-mail>" or a bare e-mail), matched whole. */
  email: string | null;
  /** The person the form started with: sorted first when they match, so a limit never drops them. */
  preferredId: string | null;
  /** Leave out this team's members (the member picker offers only those not on it yet). */
  notMemberOf?: string;
  /**
   * A person to consider even if deactivated: the owner a commitment already has. The record
   * keeps history, so an edit that leaves the owner as it was is not refused for their leaving.
   */
  alsoInactive?: string | null;
  limit: number;
}

/**
 * Active people (and `alsoInactive`) a picker may offer for `text`: exact e-mail first, then the preferred person,
 * then whole-name matches, then by name; one statement, at most `limit` rows, whatever the
 * organisation's size.
 */
export async function searchPeople(db: DbOrTx, search: PersonSearch): Promise<PersonCandidate[]> {
  const matches = search.email
    ? or(eq(users.email, search.email), nameOrEmailContains(search.text))!
    : nameOrEmailContains(search.text);
  const active = search.alsoInactive ? or(eq(users.active, true), eq(users.id, search.alsoInactive))! : eq(users.active, true);
  const conditions = [active, matches];
  if (search.notMemberOf) {
    conditions.push(notOnTeam(search.notMemberOf));
  }
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(and(...conditions))
    .orderBy(
      sql`(${users.email} = ${search.email ?? ""}) desc`,
      sql`(${users.id}::text = ${search.preferredId ?? ""}) desc`,
      sql`(lower(${users.name}) = lower(${search.text})) desc`,
      asc(users.name),
      asc(users.id),
    )
    .limit(search.limit);
}

/** Whether any active person is not on the team yet (the member picker has someone to offer). */
export async function anyActivePersonOutside(db: DbOrTx, teamId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.active, true),
        notOnTeam(teamId),
      ),
    )
    .limit(1);
  return Boolean(row);
}

export async function setUserRole(db: DbOrTx, id: string, role: Role) {
  const [row] = await db.update(users).set({ role }).where(eq(users.id, id)).returning(publicUserColumns);
  return row ?? null;
}

export async function setUserActive(db: DbOrTx, id: string, active: boolean, now: Date) {
  const [row] = await db
    .update(users)
    // Deactivating twice keeps the first date: that is when access actually ended.
    .set({ active, deactivatedAt: active ? null : sql`coalesce(${users.deactivatedAt}, ${now.toISOString()}::timestamptz)` })
    .where(eq(users.id, id))
    .returning(publicUserColumns);
  return row ?? null;
}

export async function countActiveAdmins(db: DbOrTx): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.active, true)));
  return row?.n ?? 0;
}

export async function deleteSessionsOfUser(db: DbOrTx, userId: string) {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

/** Serialises concurrent role changes so the "last admin" check cannot be raced. */
export async function lockAdmins(db: DbOrTx) {
  await db.execute(sql`select id from ${users} where ${users.role} = 'admin' for update`);
}

/** The stored hash, for checking a person's current password; never leaves the services. */
export async function findPasswordHash(db: DbOrTx, id: string): Promise<string | null> {
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, id)).limit(1);
  return row?.passwordHash ?? null;
}

export async function setPasswordHash(db: DbOrTx, id: string, passwordHash: string) {
  await db.update(users).set({ passwordHash }).where(eq(users.id, id));
}

/**
 * Whether the person has ever set a password. Invited and imported people hold a hash
 * starting with "!" (see UNUSABLE_HASH_PREFIX), which no password matches.
 */
export async function hasUsablePassword(db: DbOrTx, id: string): Promise<boolean> {
  const [row] = await db
    .select({ usable: sql<boolean>`${users.passwordHash} not like '!%'` })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return Boolean(row?.usable);
}
