import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "./client";
import { installQueues } from "./queues";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

// An arbitrary constant shared by every Kept process: whoever holds it migrates, the others
// wait and then find nothing left to do.
const MIGRATION_LOCK_ID = 7_200_417;

export async function migrateToLatest(handle: DatabaseHandle): Promise<void> {
  await handle.withAdvisoryLock(MIGRATION_LOCK_ID, async (db) => {
    if (handle.kind === "postgres") {
      const { migrate } = await import("drizzle-orm/postgres-js/migrator");
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      await migrate(db as any, { migrationsFolder: MIGRATIONS_FOLDER });
    } else {
      const { migrate } = await import("drizzle-orm/pglite/migrator");
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      await migrate(db as any, { migrationsFolder: MIGRATIONS_FOLDER });
    }
    // The job queue's schema is part of the database Kept migrates, created by the same role.
    await installQueues(handle);
  });
}

/**
 * Everything the owner does before the app serves: migrate, seal revisions written before the
 * hash chain existed, and grant the runtime role (when it is another role) what it needs.
 */
export async function prepareDatabase(owner: DatabaseHandle, options: { runtimeUrl?: string } = {}): Promise<{ sealed: number; grantedTo: string | null }> {
  await migrateToLatest(owner);
  const { sealUnchainedRevisions } = await import("../app/models/record-log.server");
  const sealed = await sealUnchainedRevisions(owner.db);
  let grantedTo: string | null = null;
  if (owner.kind === "postgres" && options.runtimeUrl) {
    const { grantRuntimeRole, roleOfUrl } = await import("./roles");
    const role = roleOfUrl(options.runtimeUrl);
    if (!role) throw new Error("DATABASE_URL names no user: the runtime role must be named in the URL (postgres://kept_app:…@host/db)");
    await grantRuntimeRole(owner, role);
    grantedTo = role;
  }
  return { sealed, grantedTo };
}

/** How many of this build's migrations the database has not applied (read as any granted role). */
export async function pendingMigrations(handle: DatabaseHandle): Promise<number> {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, "utf8")) as { entries: unknown[] };
  try {
    const result = await handle.db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    const rows = Array.isArray(result) ? result : (result as unknown as { rows: Array<{ n: number }> }).rows;
    return Math.max(0, journal.entries.length - (rows[0]?.n ?? 0));
  } catch {
    // No migrations table (or no right to read it): nothing is known to be applied.
    return journal.entries.length;
  }
}
