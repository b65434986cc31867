// The one place a database connection is made. With a DATABASE_URL the app talks to a real
// PostgreSQL server through postgres.js; without one it runs on embedded PGlite persisted in
// a folder. Both speak the same SQL, so schema, migrations and queries are shared.
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { PgDialect, type PgDatabase, type PgQueryResultHKT, type PgTransaction } from "drizzle-orm/pg-core";
import type postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;

/** A type-only mark (no value exists at run time) that only the root handle carries. */
declare const rootHandle: unique symbol;

/**
 * The root database handle, as `connect()` makes it (both drivers share this base type). A
 * function that takes `Database` may open transactions of its own, so it must not be handed a
 * transaction: drizzle's PgTransaction extends PgDatabase, and without the mark a transaction
 * would pass for the root handle, making that function's "own" transaction a savepoint of the
 * caller's. A transaction never carries the mark, so the compiler refuses it (db/client.test-d.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Database = PgDatabase<any, Schema> & { readonly [rootHandle]: true };
/** Inside the caller's transaction: a function that takes it must not commit on its own, and is refused the root handle. */
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/**
 * Either, without `transaction()`: for functions that run their statements wherever they are
 * called and never open a transaction (a function that does takes `Database`, so the compiler
 * refuses it a transaction).
 */
export type DbOrTx = Omit<Database, "transaction"> | Omit<Transaction, "transaction">;

/**
 * `tx` handed on purpose to functions that open transactions of their own (use cases that take
 * `Database`): each of theirs becomes a savepoint of `tx`, committed or rolled back with it. For
 * an all-or-nothing composite made of whole use cases (the sample organisation, setup with the
 * sample); the one sanctioned way past the mark, so every such place can be found by name.
 */
export function savepointsIn(tx: Transaction): Database {
  // At run time a transaction is a database whose transaction() opens a savepoint.
  return tx as unknown as Database;
}

/**
 * Raw SQL with `$n` parameters, the shape pg-boss calls its `db` option. Parameterless text
 * may hold several statements (pg-boss's own migrations are multi-statement).
 */
export interface SqlExecutor {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

/** How the job queue reaches this database: its own pool on PostgreSQL, or the embedded client. */
export type QueueConnection = { connectionString: string; max: number } | { db: SqlExecutor };

export interface DatabaseHandle {
  db: Database;
  kind: "postgres" | "pglite";
  /** Raw SQL on this handle's connection(s), for the queue's installer. */
  sql: SqlExecutor;
  /** The queue's connection settings; made here so this stays the one place connections are configured. */
  queueConnection(): QueueConnection;
  /** Answers whether the database responds within `timeoutMs`. Never throws. */
  ping(timeoutMs: number): Promise<boolean>;
  /**
   * Listens on a NOTIFY channel on a connection of its own. `onState(true)` once it listens,
   * `onState(false)` as soon as that connection is lost (it listens again by itself; anything
   * notified in between was missed, so the caller must not trust what it kept meanwhile).
   */
  listen(channel: string, listener: NotificationListener): Promise<{ close(): Promise<void> }>;
  /** Runs `fn` while holding a session-level advisory lock on one connection. */
  withAdvisoryLock<T>(lockId: number, fn: (db: Database) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` on a connection of its own, outside the pool, holding the session-level advisory
   * lock `lockId` until it ends; when another session holds that lock, does not wait and does
   * not run `fn`. For long background work that must neither take the requests' connections nor
   * run twice at once in several processes (the record check, ADR 0046).
   */
  tryWithAdvisoryLock<T>(lockId: number, fn: (db: Database) => Promise<T>): Promise<{ locked: true; value: T } | { locked: false }>;
  close(): Promise<void>;
}

export interface NotificationListener {
  onNotify(payload: string): void;
  onState(listening: boolean): void;
  /** How long to wait before listening again after the connection is lost (LISTEN_RETRY_MS). */
  retryMs?: number;
}

/** How long a lost listening connection waits before it listens again, and how often it is checked. */
export const LISTEN_RETRY_MS = 1000;
export const LISTEN_HEARTBEAT_MS = 5000;

export interface ConnectOptions {
  databaseUrl?: string;
  /** Folder for PGlite's files; "memory://" for an in-memory database (tests). */
  dataDir: string;
  poolMax?: number;
  /** Called with postgres NOTICE messages; defaults to ignoring them. */
  onNotice?: (message: string) => void;
  /** Called with the text of every statement the app's drizzle instance sends (query-count tests). */
  onQuery?: (query: string) => void;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Distinct statement texts a process prepares at most; past them, statements run unnamed. */
export const PREPARED_STATEMENTS_MAX = 500;

type PostgresClient = postgres.Sql;

/**
 * The client drizzle is given: its statements are prepared once per connection and then only
 * bound and executed. drizzle runs every statement unnamed, and postgres.js sends an unnamed
 * statement with parameters as Parse and Describe, waits for the parameters' types, then Bind
 * and Execute: two round trips and a parse for every statement (ADR 0041). Prepared, a statement
 * already seen on that connection is one Bind and Execute. postgres.js keeps what it prepared
 * per connection without limit, so only statements with parameters (a statement without runs in
 * one round trip anyway; migrations' DDL has none) and only the first PREPARED_STATEMENTS_MAX
 * distinct texts are prepared (Kept's statements are a fixed set of shapes, far fewer); any
 * others run unnamed as before. Transactions (`begin`, `savepoint`) hand out clients wrapped the same way.
 */
/** What a client wrapped by preparingStatements answers to this key: that it can describe statements ahead (describeAhead). */
const DESCRIBES_AHEAD = Symbol("describesAhead");

export function preparingStatements(client: PostgresClient, admitted: Set<string> = new Set()): PostgresClient {
  const prepare = (text: string): boolean => {
    if (admitted.has(text)) return true;
    if (admitted.size >= PREPARED_STATEMENTS_MAX) return false;
    admitted.add(text);
    return true;
  };
  const wrapScope = (fn: unknown) => (inner: PostgresClient) => (fn as (c: PostgresClient) => unknown)(preparingStatements(inner, admitted));
  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === DESCRIBES_AHEAD) return true;
      if (key === "unsafe") {
        return (text: string, params?: unknown[], opts?: { prepare?: boolean }) =>
          target.unsafe(text, params as never, { ...opts, prepare: opts?.prepare === true || ((params?.length ?? 0) > 0 && prepare(text)) });
      }
      if (key === "begin" || key === "savepoint") {
        const original = Reflect.get(target, key, receiver) as (...args: unknown[]) => unknown;
        // begin(fn) or begin(options, fn): the callback is last.
        return (...args: unknown[]) => {
          const last = args.length - 1;
          if (typeof args[last] === "function") args[last] = wrapScope(args[last]);
          return original.apply(target, args);
        };
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

/** A statement as drizzle would send it: its text and parameters (`toSQL()` of a query builder, or sqlToQuery of an `sql` template). */
export interface StatementText {
  sql: string;
  params: unknown[];
}

// drizzle's own dialect, as the app's handles are made (no casing option): the same text drizzle sends.
const dialect = new PgDialect();

/** An `sql` template's text and parameters, as drizzle sends it. */
export function statementText(statement: SQL): StatementText {
  return dialect.sqlToQuery(statement);
}

/**
 * Has PostgreSQL parse and describe these statements on the transaction's connection now, ahead
 * of the moment they run, and keeps them there prepared (preparingStatements). postgres.js sends
 * a statement with parameters that is not yet prepared on its connection as Parse and Describe,
 * and builds its Bind only once the parameters' types have come back; until then nothing queued
 * behind it is sent. For a transaction that sends large statements one after another while
 * PostgreSQL is still running an earlier one (a publication, ADR 0065), that held each of them
 * back until the server was free, and then the megabytes of its Bind were built and crossed the
 * wire while the server waited. Described ahead, each is built and written as soon as it is
 * issued, and PostgreSQL reads it as soon as it is done with the one before. The texts and the
 * parameters' kinds (string, number, Date…) must be those the statements will run with: the
 * values themselves can be placeholders. Resolves once all are described; rejects with the first
 * failure (which also ends the transaction, as the statement itself would have). Does nothing on
 * PGlite, which has no wire and prepares nothing.
 */
export async function describeAhead(tx: DbOrTx, statements: readonly StatementText[]): Promise<void> {
  const client = (tx._.session as unknown as { client?: Partial<Record<typeof DESCRIBES_AHEAD, boolean>> & PostgresClient }).client;
  if (!client?.[DESCRIBES_AHEAD]) return;
  // Only statements with parameters wait for a description; one without is sent whole anyway.
  const described = statements.filter((s) => s.params.length > 0).map((s) => client.unsafe(s.sql, s.params as never[]).describe());
  for (const d of described) d.catch(() => undefined);
  for (const d of described) await d;
}

/** How long opening a connection may take before the request gets a 503. */
export const CONNECT_TIMEOUT_S = 2;
/** The longest any one statement may run on PostgreSQL. */
export const STATEMENT_TIMEOUT_MS = 30_000;

// node-postgres (pg-boss's driver) serialises objects as JSON and undefined as NULL;
// postgres.js and PGlite would not for an untyped parameter, so this does it for them.
export function serialiseParameters(values: unknown[] | undefined): unknown[] {
  return (values ?? []).map((value) =>
    value === undefined
      ? null // node-postgres sends undefined as NULL; postgres.js refuses it
      : value !== null && typeof value === "object" && !(value instanceof Date) && !Array.isArray(value) && !(value instanceof Uint8Array)
      ? JSON.stringify(value)
      : value,
  );
}

export async function connect(options: ConnectOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return connectPostgres(options.databaseUrl, options);
  return connectPglite(options.dataDir, options.onQuery);
}

function queryLogger(onQuery: ((query: string) => void) | undefined) {
  return onQuery ? { logQuery: (query: string) => onQuery(query) } : undefined;
}

/** What every connection of the app's sets when it opens (see connectPostgres). */
const CONNECTION_SETTINGS = { statement_timeout: STATEMENT_TIMEOUT_MS, jit: "off", plan_cache_mode: "force_custom_plan", DateStyle: "ISO, MDY" };

async function connectPostgres(url: string, options: ConnectOptions): Promise<DatabaseHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const client = postgres(url, {
    max: options.poolMax ?? 10,
    // Fail fast while the server is unreachable so requests get a clear 503 instead of
    // hanging; postgres.js reconnects on the next query once the server is back.
    connect_timeout: CONNECT_TIMEOUT_S,
    idle_timeout: 60,
    // No statement may hold a connection without bound (the letter of a huge year takes seconds).
    // JIT off: Kept's statements run in milliseconds, and the aggregates over a large year
    // cross jit_above_cost, where compiling costs more than it saves (ADR 0016).
    // Custom plans always, as unnamed statements had them: statements are prepared (below) to
    // save a round trip and a parse, not to change any plan (ADR 0041).
    // Dates and instants read as text (a year's reads, ADR 0043; drizzle's date columns) are
    // parsed as ISO 8601: fixed here, not left to the server's DateStyle.
    connection: CONNECTION_SETTINGS,
    onnotice: (notice) => options.onNotice?.(String(notice.message)),
  });
  // Readiness pings use a connection of their own, so a ping stuck on a dead network can never
  // occupy the pool that requests need; a ping that times out ends that connection at once.
  let pingClient: ReturnType<typeof postgres> | null = null;
  const db = drizzle(preparingStatements(client), { schema, logger: queryLogger(options.onQuery) }) as unknown as Database;
  return {
    db,
    kind: "postgres",
    sql: {
      async executeSql(text, values) {
        if (values?.length) return { rows: [...(await client.unsafe(text, serialiseParameters(values) as never[]))] };
        // Without parameters postgres.js uses the simple protocol, which runs several
        // statements; pg-boss's migrations hold BEGIN/COMMIT, which postgres.js allows only on
        // a connection reserved for them.
        const reserved = await client.reserve();
        try {
          return { rows: [...(await reserved.unsafe(text))] };
        } finally {
          reserved.release();
        }
      },
    },
    queueConnection() {
      // pg-boss runs on node-postgres with a small pool of its own: workers hold a connection
      // while they poll, and must not starve the requests' pool.
      return { connectionString: url, max: 4 };
    },
    async ping(timeoutMs) {
      // fetch_types off: `select 1` parses no array, and postgres.js runs that catalog query on a
      // new connection with its promise discarded, so a ping ended while it ran rejected it with
      // nobody listening — an unhandled CONNECTION_DESTROYED that killed the server as it started
      // under load (porsager/postgres#1192; tests/integration/server-outage.test.ts).
      pingClient ??= postgres(url, { max: 1, connect_timeout: Math.max(1, Math.ceil(timeoutMs / 1000)), idle_timeout: 30, fetch_types: false, onnotice: () => {} });
      const pinger = pingClient;
      const query = pinger`select 1`.execute();
      // A ping that loses the race is cancelled and its client ended, which rejects it later;
      // unobserved, that rejection crashed the server while it started under load.
      query.catch(() => {});
      try {
        await withTimeout(query, timeoutMs);
        return true;
      } catch {
        query.cancel();
        if (pingClient === pinger) pingClient = null;
        void pinger.end({ timeout: 0 }).catch(() => {});
        return false;
      }
    },
    async listen(channel, listener) {
      // Its own single connection, never the pool's: a LISTEN belongs to a session. Lost (the
      // server restarted, the backend was terminated, a heartbeat went unanswered), it says so at
      // once and listens again on a new connection.
      let stopped = false;
      let listening = false;
      let current: ReturnType<typeof postgres> | null = null;
      let retry: NodeJS.Timeout | undefined;
      const state = (now: boolean) => {
        if (now === listening) return;
        listening = now;
        listener.onState(now);
      };
      const lost = (conn: ReturnType<typeof postgres>) => {
        if (current !== conn) return;
        current = null;
        state(false);
        void conn.end({ timeout: 0 }).catch(() => {});
        if (!stopped) {
          clearTimeout(retry);
          retry = setTimeout(() => void attempt(), listener.retryMs ?? LISTEN_RETRY_MS);
          retry.unref();
        }
      };
      const attempt = async () => {
        if (stopped) return;
        // postgres.js calls `onnotify` for every notification on the connection (its types leave it out).
        const options = {
          max: 1,
          idle_timeout: 0,
          max_lifetime: null,
          connect_timeout: CONNECT_TIMEOUT_S,
          connection: { application_name: "kept-listener" },
          // No array types to parse here, and the catalog query they need is one a lost
          // connection would reject unobserved (see ping).
          fetch_types: false,
          onnotice: () => {},
          onnotify: (name: string, payload: string) => {
            if (name === channel && current === conn) listener.onNotify(payload);
          },
          onclose: () => lost(conn),
        };
        const conn: ReturnType<typeof postgres> = postgres(url, options as Parameters<typeof postgres>[1]);
        current = conn;
        try {
          await withTimeout(conn.unsafe(`listen "${channel.replace(/"/g, '""')}"`).execute(), CONNECT_TIMEOUT_S * 1000 + 1000);
          if (current === conn && !stopped) state(true);
        } catch {
          lost(conn);
        }
      };
      const heartbeat = setInterval(() => {
        const conn = current;
        if (!conn || !listening) return;
        const query = conn`select 1`.execute();
        query.catch(() => {});
        withTimeout(query, LISTEN_HEARTBEAT_MS).catch(() => lost(conn));
      }, LISTEN_HEARTBEAT_MS);
      heartbeat.unref();
      await attempt();
      return {
        async close() {
          stopped = true;
          clearTimeout(retry);
          clearInterval(heartbeat);
          const conn = current;
          current = null;
          state(false);
          await conn?.end({ timeout: 0 }).catch(() => {});
        },
      };
    },
    async withAdvisoryLock(lockId, fn) {
      // A session-level advisory lock belongs to one connection, so the locked work gets a
      // dedicated single-connection client of its own.
      const single = postgres(url, { max: 1, connect_timeout: 10, onnotice: () => {} });
      try {
        await single`select pg_advisory_lock(${lockId})`;
        return await fn(drizzle(single, { schema }) as unknown as Database);
      } finally {
        await single.end({ timeout: 5 });
      }
    },
    async tryWithAdvisoryLock(lockId, fn) {
      // Set up as the pool's connections are (the same settings, statements prepared), so what
      // runs here reads exactly what it would read through the pool.
      const single = postgres(url, {
        max: 1,
        connect_timeout: CONNECT_TIMEOUT_S,
        connection: { ...CONNECTION_SETTINGS, application_name: "kept-background" },
        onnotice: (notice) => options.onNotice?.(String(notice.message)),
      });
      try {
        const [row] = await single<Array<{ locked: boolean }>>`select pg_try_advisory_lock(${lockId}) as locked`;
        if (!row?.locked) return { locked: false };
        const own = drizzle(preparingStatements(single), { schema, logger: queryLogger(options.onQuery) }) as unknown as Database;
        return { locked: true, value: await fn(own) };
      } finally {
        // Ending the session releases its lock.
        await single.end({ timeout: 5 });
      }
    },
    async close() {
      await Promise.all([client.end({ timeout: 5 }), pingClient?.end({ timeout: 0 })]);
    },
  };
}

/**
 * Settings the embedded database starts with (ADR 0038). PGlite's WebAssembly memory only ever
 * grows, and initdb's shared_buffers (128 MB) is allocated and touched inside it when the
 * database opens: the server held 400 MB before its first query. The files are read through
 * the operating system, whose page cache keeps what 128 MB of buffers kept, outside this process.
 */
export const EMBEDDED_SETTINGS = ["-c", "shared_buffers=16MB"] as const;

async function connectPglite(dataDir: string, onQuery?: (query: string) => void): Promise<DatabaseHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  if (!dataDir.startsWith("memory://")) {
    const { mkdir } = await import("node:fs/promises");
    await mkdir(dataDir, { recursive: true });
  }
  const client = await PGlite.create(dataDir, { startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS] });
  const db = drizzle(client, { schema, logger: queryLogger(onQuery) }) as unknown as Database;
  let closed = false;
  const executor: SqlExecutor = {
    async executeSql(text, values) {
      if (!values?.length) {
        const results = await client.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      }
      const result = await client.query(text, serialiseParameters(values));
      return { rows: result.rows };
    },
  };
  return {
    db,
    kind: "pglite",
    sql: executor,
    // The embedded database is one connection in this process; the queue shares it.
    queueConnection() {
      return { db: executor };
    },
    // The embedded database cannot be out of reach: it is open or closed. It runs one query at a
    // time, so while a long transaction runs (loading the sample organisation, drafting a large
    // letter) a ping waits behind it; timing that wait out declared an outage and answered the
    // transaction's own request 503. A ping here fails only when the database does.
    async ping() {
      if (closed) return false;
      try {
        await client.query("select 1");
        return true;
      } catch {
        return false;
      }
    },
    // One process holds the embedded database: its notifications arrive in this process, on the
    // one connection, which cannot be lost while the database is open.
    async listen(channel, listener) {
      const unlisten = await client.listen(channel, (payload) => listener.onNotify(payload));
      listener.onState(true);
      return {
        async close() {
          listener.onState(false);
          if (!closed) await unlisten();
        },
      };
    },
    // PGlite is a single connection inside this process: there is nobody to race with, and a
    // data folder can only be opened by one process at a time.
    async withAdvisoryLock(_lockId, fn) {
      return fn(db);
    },
    async tryWithAdvisoryLock(_lockId, fn) {
      return { locked: true, value: await fn(db) };
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}
