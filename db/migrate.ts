import { fileURLToPath } from "node:url";
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
