// One database per test worker, never one per test: a real PostgreSQL database when
// TEST_DATABASE_URL is set (CI), otherwise an in-memory PGlite. Every test starts from empty
// tables (see resetDatabase), so tests never share state.
import { sql } from "drizzle-orm";
import { connect, type DatabaseHandle } from "../../db/client";
import { migrateToLatest } from "../../db/migrate";

let handlePromise: Promise<DatabaseHandle> | undefined;

// Unique per worker process, so nothing else ever drops it: not another run against the same
// server, and not a recycled worker that reuses this one's pool id.
function workerDatabaseName(): string {
  return `kept_test_${process.pid}`;
}

/** A fresh database of its own on the test server, named for this worker. */
export async function createScratchDatabase(baseUrl: string, name: string): Promise<string> {
  const { default: postgres } = await import("postgres");
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export function testDatabase(): Promise<DatabaseHandle> {
  handlePromise ??= (async () => {
    const base = process.env.TEST_DATABASE_URL;
    const handle = base
      ? await connect({ databaseUrl: await createScratchDatabase(base, workerDatabaseName()), dataDir: "", poolMax: 5 })
      : await connect({ dataDir: "memory://" });
    await migrateToLatest(handle);
    return handle;
  })();
  return handlePromise;
}

export async function resetDatabase(handle: DatabaseHandle): Promise<void> {
  const result = await handle.db.execute<{ tablename: string }>(
    sql`select tablename from pg_tables where schemaname = 'public' and tablename not like '\\_\\_%'`,
  );
  const rows = Array.isArray(result) ? result : (result as unknown as { rows: Array<{ tablename: string }> }).rows;
  const tables = rows.map((r) => `"${r.tablename}"`);
  // TRUNCATE fires no row triggers, so it also clears append-only tables between tests.
  if (tables.length) await handle.db.execute(sql.raw(`truncate ${tables.join(", ")} restart identity cascade`));
  // Jobs too (the queue's schema is pgboss); its queues and their settings stay.
  await handle.db.execute(sql.raw("truncate pgboss.job, pgboss.archive, pgboss.schedule"));
}
