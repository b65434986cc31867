// Kept's server entry: one process = one Express app in front of Remix. It validates the
// environment, connects to the database (embedded PGlite or PostgreSQL), applies migrations,
// starts the job queue's workers, and drains in-flight requests and running jobs on SIGTERM
// before closing the database.
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { readdirSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type pino from "pino";
import { connect } from "../db/client";
import { pendingMigrations, prepareDatabase } from "../db/migrate";
import { describeRole, PRIVILEGED_ROLE_HELP, privilegeProblem } from "../db/roles";
import { RECORD_CHECK_LOCK_ID, RECORD_CHECK_SLICE_MS, RecordIntegrityMonitor } from "../app/services/record-log.server";
import { DutyCycle } from "../app/utils/duty-cycle.server";
import { loadEnvOrExit } from "../app/utils/env.server";
import { jobHandlers, jobSchedules } from "../app/services/job-handlers.server";
import { createHttpStack, guardDataFunctions } from "./http";
import { earlyImmutablePages, immutablePages } from "./immutable-pages";
import { PageCache } from "../app/http/page-cache.server";
import { PageValidations, PUBLIC_PAGES_CHANNEL } from "../app/http/immutable-pages.server";
import { FigureCache, FIGURES_CHANNEL } from "../app/utils/figure-cache.server";
import { createLogger } from "./logging";
import { startQueue } from "./queue";
import { rememberRouteMatches } from "./route-matching";

async function main() {
  const env = loadEnvOrExit();

  const logger = createLogger(env.LOG_LEVEL);
  // Before the Remix build loads: every request's route matching goes through the memo (ADR 0031).
  rememberRouteMatches();
  // The Remix build is a megabyte of JavaScript to compile: load it while the database
  // connects and migrates rather than after (it touches nothing until a request comes).
  const buildPath = path.resolve("build/server/index.js");
  const compiledBuild = env.NODE_ENV === "production" ? import(pathToFileURL(buildPath).href) : null;
  compiledBuild?.catch(() => undefined);

  // The owner migrates and grants, then disconnects; the app serves as the runtime role.
  if (env.MIGRATION_DATABASE_URL) {
    const owner = await connect({ databaseUrl: env.MIGRATION_DATABASE_URL, dataDir: "", poolMax: 1 });
    try {
      const done = await prepareDatabase(owner, { runtimeUrl: env.DATABASE_URL });
      logger.info({ sealed: done.sealed, runtimeRole: done.grantedTo }, "migrations applied as the owner");
    } finally {
      await owner.close();
    }
  }
  const handle = await connect({
    databaseUrl: env.DATABASE_URL,
    dataDir: path.resolve(env.DATA_DIR),
    poolMax: env.DB_POOL_MAX,
    onNotice: (message) => logger.debug({ notice: message }, "postgres notice"),
  });
  logger.info({ database: handle.kind, dataDir: handle.kind === "pglite" ? path.resolve(env.DATA_DIR) : undefined }, "database connected");
  if (handle.kind === "postgres") {
    const role = await describeRole(handle);
    const problem = privilegeProblem(role);
    if (problem && !env.ALLOW_PRIVILEGED_DATABASE_ROLE) {
      logger.fatal({ role: role.role }, `refusing to serve: ${problem}`);
      console.error(`Kept refuses to serve: ${problem}\n${PRIVILEGED_ROLE_HELP}`);
      await handle.close();
      process.exit(1);
    }
    if (problem) logger.warn({ role: role.role }, `serving with a privileged database role because ALLOW_PRIVILEGED_DATABASE_ROLE=true: ${problem}`);
    if (!env.MIGRATION_DATABASE_URL) {
      if (problem) {
        const done = await prepareDatabase(handle);
        logger.info({ sealed: done.sealed }, "migrations applied");
      } else {
        // A least-privileged role cannot migrate: the owner must have (npm run db:migrate).
        const pending = await pendingMigrations(handle);
        if (pending > 0) {
          console.error(`Kept refuses to serve: ${pending} database migrations are pending and the role "${role.role}" cannot apply them. Run \`npm run db:migrate\` with the owner's URL in MIGRATION_DATABASE_URL, or set MIGRATION_DATABASE_URL for the server.`);
          await handle.close();
          process.exit(1);
        }
      }
    }
  } else {
    // Embedded: whoever holds the data folder owns everything; the hash chain is the guard.
    const done = await prepareDatabase(handle);
    logger.info({ sealed: done.sealed }, "migrations applied");
  }

  // The first check runs beside the server rather than before it listens: it reads the whole
  // record, so waiting for it made a restart grow with the record (ADR 0028). It runs on a
  // connection of its own, one process at a time, resting between short slices so that it takes
  // a bounded share of this process (ADR 0046); until it ends, the status is "checking" and the
  // public ledger and metrics say the record has not been checked yet.
  const integrity = new RecordIntegrityMonitor(handle.db, logger, undefined, {
    turn: (fn) => handle.tryWithAdvisoryLock(RECORD_CHECK_LOCK_ID, fn),
    pace: () => new DutyCycle({ share: env.RECORD_CHECK_SHARE_PERCENT / 100, sliceMs: RECORD_CHECK_SLICE_MS }),
  });
  void integrity.startInBackground(env.RECORD_CHECK_INTERVAL_MINUTES * 60_000);
  const queue = await startQueue({
    handle,
    logger,
    handlers: jobHandlers({ db: handle.db, env, logger }),
    schedules: jobSchedules(),
  });

  const viteDevServer =
    env.NODE_ENV === "production"
      ? undefined
      : await import("vite").then((vite) =>
          vite.createServer({ server: { middlewareMode: true }, appType: "custom" }),
        );

  const app = express();
  const state = { shuttingDown: false };
  const stack = createHttpStack({ env, logger, handle, state, dev: Boolean(viteDevServer), integrity });
  app.disable("x-powered-by");
  app.set("trust proxy", env.TRUST_PROXY);
  app.use(stack.early);

  const build = viteDevServer
    ? async () => guardDataFunctions((await viteDevServer.ssrLoadModule("virtual:remix/server-build")) as ServerBuild)
    : guardDataFunctions((await (compiledBuild ?? import(pathToFileURL(buildPath).href))) as ServerBuild);

  // Published letters, their Markdown, the feed and the public ledger, answered before Remix
  // for anonymous readers (ADR 0015). Not in development, where the build changes under it.
  // Their validations are kept in memory while this process listens for the database's word
  // that something they are made from changed (ADR 0023); until then, and whenever that
  // connection is lost, every request validates with a query.
  const pageCache = new PageCache(env.PAGE_CACHE_MB * 1024 * 1024);
  const validations = new PageValidations();
  const buildId = viteDevServer ? "dev" : (build as ServerBuild).assets.version;
  let answerEarly: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | null = null;
  let listener: { close(): Promise<void> } | null = null;
  let figuresListener: { close(): Promise<void> } | null = null;
  const figures = new FigureCache();
  if (!viteDevServer) {
    const publicIntegrity = () => JSON.stringify(integrity.publicStatus());
    listener = await handle.listen(PUBLIC_PAGES_CHANNEL, {
      onNotify: (table) => validations.changed(table),
      onState: (listening) => {
        validations.setListening(listening);
        if (!state.shuttingDown) logger[listening ? "info" : "warn"]({ channel: PUBLIC_PAGES_CHANNEL }, listening ? "listening for changes to public pages" : "lost the connection that listens for changes to public pages: validating every request until it is back");
      },
    });
    // Figures counted from commitment_stats (retrospectives, the dashboard's year), kept between
    // the changes the database announces on their own channel (ADR 0037).
    figuresListener = await handle.listen(FIGURES_CHANNEL, {
      onNotify: (labels) => figures.changed(labels),
      onState: (listening) => {
        figures.setListening(listening);
        if (!state.shuttingDown) logger[listening ? "info" : "warn"]({ channel: FIGURES_CHANNEL }, listening ? "listening for changes to figures" : "lost the connection that listens for changes to figures: counting every request until it is back");
      },
    });
    app.use(immutablePages({ db: handle.db, cache: pageCache, validations, buildId, integrity: publicIntegrity }));
    answerEarly = earlyImmutablePages({ cache: pageCache, validations, integrity: publicIntegrity }, stack.earlyResponder);
  }

  // After the public pages: none of them is a file, and looking for one cost a stat per request.
  if (viteDevServer) {
    app.use(viteDevServer.middlewares);
  } else {
    app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y", index: false }));
    // Only what the build holds outside assets/ (favicon.svg): a page's path is none of them, and
    // asking the file system for it cost a stat per request (ADR 0041).
    const clientFiles = new Set(readdirSync("build/client").filter((name) => name !== "assets"));
    const clientStatic = express.static("build/client", { maxAge: "1h", index: false });
    app.use((req, res, next) => (clientFiles.has(firstSegment(req.path)) ? clientStatic(req, res, next) : next()));
  }

  app.all(
    "*",
    // At most MAX_CONCURRENT_REQUESTS requests render at once; the rest wait in line (ADR 0052).
    stack.admission,
    createRequestHandler({
      build,
      mode: env.NODE_ENV === "production" ? "production" : "development",
      getLoadContext: (req, res) => ({
        db: handle.db,
        env,
        logger: (req as unknown as { log: pino.Logger }).log,
        requestId: String((req as unknown as { id: string }).id),
        cspNonce: String(res.locals.cspNonce),
        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
        integrity,
        pageCache,
        figures,
        buildId,
      }),
    }),
  );
  app.use(stack.errorHandler);

  // Public pages this process can answer from memory are answered before Express; the rest go through it.
  const early = answerEarly;
  const server = http.createServer(early ? (req, res) => early(req, res) || app(req, res) : app);
  server.listen(env.PORT, env.HOST, () => {
    logger.info({ port: env.PORT, host: env.HOST, mode: env.NODE_ENV }, `Kept is listening on http://localhost:${env.PORT}`);
  });
  // Slowloris guard; generous enough for a slow phone on a bad network.
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;

  const shutdown = (signal: string) => {
    if (state.shuttingDown) return;
    state.shuttingDown = true;
    logger.info({ signal }, "shutting down: no new connections, finishing in-flight requests");
    const force = setTimeout(() => {
      logger.error("in-flight requests did not finish in time; exiting anyway");
      process.exit(1);
    }, env.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    integrity.stop();
    // Workers stop fetching now; a job still running gets until the requests finish.
    const queueStopped = queue.stop(Math.max(1000, env.SHUTDOWN_TIMEOUT_MS - 1000));
    server.close(async () => {
      try {
        await viteDevServer?.close();
        await queueStopped;
        await listener?.close();
        await figuresListener?.close();
        await handle.close();
        logger.info("stopped cleanly");
        process.exit(0);
      } catch (error) {
        logger.error({ err: error }, "error while closing");
        process.exit(1);
      }
    });
    // Idle keep-alive sockets would otherwise hold server.close() open until they time out.
    server.closeIdleConnections();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  console.error("Kept failed to start:", error);
  process.exit(1);
});

/** The first segment of a request path, decoded ("" when it cannot be). */
function firstSegment(path: string): string {
  const segment = path.split("/")[1] ?? "";
  try {
    return decodeURIComponent(segment);
  } catch {
    return "";
  }
}
