// One database per test worker, never one per test: a real PostgreSQL database when
// TEST_DATABASE_URL is set (CI), otherwise an in-memory PGlite. Every test starts from empty
// tables (see resetDatabase), so tests never share state.
import { sql } from "drizzle-orm";
import { connect, type DatabaseHandle } from "../../db/client";
import { migrateToLatest, prepareDatabase } from "../../db/migrate";

let handlePromise: Promise<DatabaseHandle> | undefined;
/** On PostgreSQL: the superuser's connection to the worker database, for resetting it. */
let resetHandlePromise: Promise<DatabaseHandle> | undefined;
let runtimeUrl: string | undefined;

/** On PostgreSQL, the runtime role's URL to the worker database (for a second pool); else undefined. */
export function runtimeDatabaseUrl(): string | undefined {
  return runtimeUrl;
}

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

export interface TwoRoleDatabase {
  /** The owner: created the tables, runs migrations, grants. */
  ownerUrl: string;
  /** The runtime role: owns nothing, may not rewrite the record (what the app serves with). */
  runtimeUrl: string;
  /** The server's superuser, on the same database. */
  adminUrl: string;
}

/**
 * A fresh database owned by a fresh owner role, plus a runtime role that owns nothing, as
 * production runs it (README: "Two database roles"). Migrations and grants are left to the
 * caller (prepareDatabase, or the server's start). Roles are per name, so reruns reuse them.
 */
export async function createTwoRoleDatabase(baseUrl: string, name: string): Promise<TwoRoleDatabase> {
  const { default: postgres } = await import("postgres");
  const owner = `${name}_owner`;
  const runtime = `${name}_app`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    for (const role of [owner, runtime]) {
      const [exists] = await admin`select 1 from pg_roles where rolname = ${role}`;
      if (!exists) await admin.unsafe(`create role "${role}" login nosuperuser nocreatedb nocreaterole password 'kept'`);
    }
    await admin.unsafe(`create database "${name}" owner "${owner}"`);
  } finally {
    await admin.end();
  }
  const urlFor = (user: string | null) => {
    const url = new URL(baseUrl);
    url.pathname = `/${name}`;
    if (user) {
      url.username = user;
      url.password = "kept";
    }
    return url.toString();
  };
  return { ownerUrl: urlFor(owner), runtimeUrl: urlFor(runtime), adminUrl: urlFor(null) };
}

export function testDatabase(): Promise<DatabaseHandle> {
  handlePromise ??= (async () => {
    const base = process.env.TEST_DATABASE_URL;
    if (!base) {
      const handle = await connect({ dataDir: "memory://" });
      await migrateToLatest(handle);
      return handle;
    }
    // On PostgreSQL the suite runs as the runtime role, so a test that needs a privilege the
    // app lacks fails here as it would in production.
    const urls = await createTwoRoleDatabase(base, workerDatabaseName());
    const owner = await connect({ databaseUrl: urls.ownerUrl, dataDir: "", poolMax: 1 });
    try {
      await prepareDatabase(owner, { runtimeUrl: urls.runtimeUrl });
    } finally {
      await owner.close();
    }
    resetHandlePromise = connect({ databaseUrl: urls.adminUrl, dataDir: "", poolMax: 1 });
    runtimeUrl = urls.runtimeUrl;
    return connect({ databaseUrl: urls.runtimeUrl, dataDir: "", poolMax: 5 });
  })();
  return handlePromise;
}

/**
 * A connection that may do what the app's role may not (create functions and triggers, read
 * as a superuser): the superuser on PostgreSQL, the one embedded connection on PGlite. For
 * tests that play someone holding the database.
 */
export async function superuserDatabase(): Promise<DatabaseHandle> {
  const app = await testDatabase();
  return (await resetHandlePromise) ?? app;
}

export async function resetDatabase(appHandle: DatabaseHandle): Promise<void> {
  const handle = (await resetHandlePromise) ?? appHandle;
  const result = await handle.db.execute<{ tablename: string }>(
    sql`select tablename from pg_tables where schemaname = 'public' and tablename not like '\\_\\_%'`,
  );
  const rows = Array.isArray(result) ? result : (result as unknown as { rows: Array<{ tablename: string }> }).rows;
  const tables = rows.map((r) => `"${r.tablename}"`);
  // The record's tables refuse TRUNCATE by trigger; a superuser in replica mode fires no
  // ordinary triggers, which is how tests (and only tests) start from empty tables.
  if (tables.length) {
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql.raw(`truncate ${tables.join(", ")} restart identity cascade`));
    });
  }
  // Jobs too (the queue's schema is pgboss); its queues and their settings stay.
  await handle.db.execute(sql.raw("truncate pgboss.job, pgboss.archive, pgboss.schedule"));
}
