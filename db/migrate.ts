import { fileURLToPath } from "node:url";
import type { DatabaseHandle } from "./client";

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
