// Least privilege in PostgreSQL (docs/decisions/0007-record-threat-model.md): the owner runs
// migrations and grants; the runtime role serves requests, owns nothing and may not rewrite
// the record. These helpers grant, and check which kind of role a connection has.
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "./client";
import { QUEUE_SCHEMA } from "./queues";

function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

/** The role a postgres:// URL signs in as (PostgreSQL's default: the OS user, which we can't know). */
export function roleOfUrl(url: string): string | null {
  const user = decodeURIComponent(new URL(url).username);
  return user === "" ? null : user;
}

/** Run as the owner after migrating: the runtime role gets exactly what kept_grant_runtime_role says. */
export async function grantRuntimeRole(owner: DatabaseHandle, runtimeRole: string): Promise<void> {
  await owner.db.execute(sql`select kept_grant_runtime_role(${runtimeRole})`);
  // The job queue's schema (db/queues.ts, created at migrate time): the runtime role reads and
  // writes jobs, never changes the schema. Partitions pg-boss adds per queue are tables of it too.
  const role = sql.identifier(runtimeRole);
  const schema = sql.identifier(QUEUE_SCHEMA);
  await owner.db.execute(sql`grant usage on schema ${schema} to ${role}`);
  await owner.db.execute(sql`grant select, insert, update, delete on all tables in schema ${schema} to ${role}`);
  await owner.db.execute(sql`grant usage, select, update on all sequences in schema ${schema} to ${role}`);
}

export interface RoleReport {
  role: string;
  superuser: boolean;
  /** Tables of the app this role owns, directly or through a role it is a member of. */
  ownedTables: string[];
}

export async function describeRole(handle: DatabaseHandle): Promise<RoleReport> {
  const [me] = rowsOf<{ role: string; superuser: boolean }>(
    await handle.db.execute(sql`select current_user as role, rolsuper as superuser from pg_roles where rolname = current_user`),
  );
  const owned = rowsOf<{ tablename: string }>(
    await handle.db.execute(
      sql`select tablename from pg_tables where schemaname = 'public' and pg_has_role(current_user, tableowner, 'USAGE') order by tablename`,
    ),
  );
  return { role: me?.role ?? "unknown", superuser: Boolean(me?.superuser), ownedTables: owned.map((r) => r.tablename) };
}

/** Why the app must not serve with this role, or null when it is a least-privileged runtime role. */
export function privilegeProblem(report: RoleReport): string | null {
  if (report.superuser) {
    return `the database role "${report.role}" (DATABASE_URL) is a superuser: it could disable the record's triggers and rewrite history.`;
  }
  if (report.ownedTables.length > 0) {
    const shown = report.ownedTables.slice(0, 5).join(", ") + (report.ownedTables.length > 5 ? ", …" : "");
    return `the database role "${report.role}" (DATABASE_URL) owns Kept's tables (${shown}): it could drop their guards and rewrite history.`;
  }
  return null;
}

export const PRIVILEGED_ROLE_HELP =
  "Serve with a runtime role that owns nothing: set DATABASE_URL to that role and MIGRATION_DATABASE_URL to the owner " +
  "(README: \"Two database roles\"), or set ALLOW_PRIVILEGED_DATABASE_ROLE=true to accept the risk; the hash chain then still detects a rewrite.";
