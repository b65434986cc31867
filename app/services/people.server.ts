import type { Database } from "../../db/client";
import type { Role } from "~/domain/types";
import {
  countActiveAdmins,
  deleteSessionsOfUser,
  getUserById,
  insertUser,
  lockAdmins,
  setUserActive,
  setUserRole,
  type PublicUser,
} from "~/models/user.server";
import { uniqueViolation } from "~/utils/db-errors.server";
import { COMMON_PASSWORD_MESSAGE, hashPassword, isCommonPassword, unusablePasswordHash } from "~/utils/password.server";
import { issueLinkIn, type IssuedLink, type LinkDelivery } from "./accounts.server";
import { takeCredentialAllowance } from "./credential-limit.server";
import { authorize } from "./authorize.server";
import { fail, ok, type Actor, type Result } from "~/domain/result";
import { NO_CHANGE_LOG, type ChangeLog } from "./change-log.server";

const ADMINS_ONLY = "Only admins can manage people.";

/**
 * Adds a person. Without a password (the default in the UI) they get an invitation link, made
 * in the same transaction, with which they choose their own; `delivery` says where it points
 * and whether it is mailed. An admin-chosen temporary password remains possible.
 */
async function addPersonUnlogged(
  db: Database,
  actor: Actor,
  input: { name: string; email: string; role: Role; password?: string | undefined },
  now: Date = new Date(),
  delivery?: LinkDelivery,
): Promise<Result<PublicUser & { invitation: IssuedLink | null }>> {
  const refused = authorize(actor, "people.manage", ADMINS_ONLY);
  if (refused) return refused;
  const password = input.password;
  if (password === undefined && !delivery) throw new Error("addPerson without a password needs a link delivery");
  if (password !== undefined && (await isCommonPassword(password))) return fail("VALIDATION", COMMON_PASSWORD_MESSAGE, "password");
  const allowance = await takeCredentialAllowance(db, actor.id, now);
  if (!allowance.ok) return allowance;
  const passwordHash = password === undefined ? unusablePasswordHash("invited") : await hashPassword(password);
  try {
    return await db.transaction(async (tx) => {
      const user = await insertUser(tx, { name: input.name, email: input.email, role: input.role, passwordHash });
      const invitation = password === undefined ? await issueLinkIn(tx, user, "invitation", actor.id, delivery!, now) : null;
      return ok({ ...user, invitation });
    });
  } catch (error) {
    if (uniqueViolation(error) === "users_email_key") {
      return fail("USER.EMAIL_TAKEN", `Someone at Kept already uses ${input.email}. Each person needs their own email address.`, "email");
    }
    throw error;
  }
}

/** The person after a change, and whether it changed anything (only a change is logged). */
type PersonChange = { person: PublicUser; changed: boolean };

async function changeRoleUnlogged(db: Database, actor: Actor, userId: string, role: Role): Promise<Result<PersonChange>> {
  const refused = authorize(actor, "people.manage", ADMINS_ONLY);
  if (refused) return refused;
  return db.transaction(async (tx) => {
    await lockAdmins(tx);
    const target = await getUserById(tx, userId);
    if (!target) return fail("NOT_FOUND", "That person does not exist.");
    if (target.role === "admin" && role !== "admin" && target.active && (await countActiveAdmins(tx)) <= 1) {
      return fail("USER.LAST_ADMIN", "Kept needs at least one active admin. Make someone else an admin first.", "role");
    }
    const updated = await setUserRole(tx, userId, role);
    return ok({ person: updated!, changed: target.role !== role });
  });
}

/** Deactivating ends every session of that person in the same transaction. */
async function setActiveUnlogged(
  db: Database,
  actor: Actor,
  userId: string,
  active: boolean,
  now: Date,
): Promise<Result<PersonChange>> {
  const refused = authorize(actor, "people.manage", ADMINS_ONLY);
  if (refused) return refused;
  if (!active && actor.id === userId) {
    return fail("USER.SELF", "You cannot deactivate yourself. Ask another admin.");
  }
  return db.transaction(async (tx) => {
    await lockAdmins(tx);
    const target = await getUserById(tx, userId);
    if (!target) return fail("NOT_FOUND", "That person does not exist.");
    if (!active && target.role === "admin" && target.active && (await countActiveAdmins(tx)) <= 1) {
      return fail("USER.LAST_ADMIN", "Kept needs at least one active admin.");
    }
    const updated = await setUserActive(tx, userId, active, now);
    if (!active) await deleteSessionsOfUser(tx, userId);
    return ok({ person: updated!, changed: target.active !== active });
  });
}

/** addPerson, and its line in the change log: the same line whether the UI or the API asked. */
export async function addPerson(db: Database, actor: Actor, input: { name: string; email: string; role: Role; password?: string | undefined }, now: Date = new Date(), delivery?: LinkDelivery, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await addPersonUnlogged(db, actor, input, now, delivery);
  if (result.ok) log.info({ userId: result.value.id, role: result.value.role, by: actor.id, invited: Boolean(result.value.invitation), emailed: result.value.invitation?.emailed ?? false }, "person added");
  return result;
}

/**
 * changeRole, and its line in the change log: the same line whether the UI or the API asked,
 * and none when the person already had that role (a resent form changes nothing).
 */
export async function changeRole(db: Database, actor: Actor, userId: string, role: Role, log: ChangeLog = NO_CHANGE_LOG): Promise<Result<PublicUser>> {
  const result = await changeRoleUnlogged(db, actor, userId, role);
  if (!result.ok) return result;
  if (result.value.changed) log.info({ userId, intent: "role", role, by: actor.id }, "person changed");
  return ok(result.value.person);
}

/**
 * setActive, and its line in the change log: the same line whether the UI or the API asked,
 * and none when the person already was (in)active (a resent form changes nothing).
 */
export async function setActive(db: Database, actor: Actor, userId: string, active: boolean, now: Date, log: ChangeLog = NO_CHANGE_LOG): Promise<Result<PublicUser>> {
  const result = await setActiveUnlogged(db, actor, userId, active, now);
  if (!result.ok) return result;
  if (result.value.changed) log.info({ userId, intent: active ? "reactivate" : "deactivate", by: actor.id }, "person changed");
  return ok(result.value.person);
}
