// Kept's server entry: one process = one Express app in front of Remix. It validates the
// environment, connects to the database (embedded PGlite or PostgreSQL), applies migrations,
// starts the job queue's workers, and drains in-flight requests and running jobs on SIGTERM
// before closing the database.
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pino from "pino";
import { connect } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { loadEnvOrExit } from "../app/utils/env.server";
import { jobHandlers, jobSchedules } from "../app/services/job-handlers.server";
import { createHttpStack, guardDataFunctions } from "./http";
import { startQueue } from "./queue";

async function main() {
  const env = loadEnvOrExit();

  const logger = pino({
    level: env.LOG_LEVEL,
    base: { service: "kept" },
    redact: { paths: ["password", "*.password", "token", "*.token", "cookie", "*.cookie"], remove: true },
  });

  const handle = await connect({
    databaseUrl: env.DATABASE_URL,
    dataDir: path.resolve(env.DATA_DIR),
    poolMax: env.DB_POOL_MAX,
    onNotice: (message) => logger.debug({ notice: message }, "postgres notice"),
  });
  logger.info({ database: handle.kind, dataDir: handle.kind === "pglite" ? path.resolve(env.DATA_DIR) : undefined }, "database connected");
  await migrateToLatest(handle);
  logger.info("migrations applied");
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
  const stack = createHttpStack({ env, logger, handle, state, dev: Boolean(viteDevServer) });
  app.disable("x-powered-by");
  app.set("trust proxy", env.TRUST_PROXY);
  app.use(stack.early);

  if (viteDevServer) {
    app.use(viteDevServer.middlewares);
  } else {
    app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y", index: false }));
    app.use(express.static("build/client", { maxAge: "1h", index: false }));
  }

  const buildPath = path.resolve("build/server/index.js");
  const build = viteDevServer
    ? async () => guardDataFunctions((await viteDevServer.ssrLoadModule("virtual:remix/server-build")) as ServerBuild)
    : guardDataFunctions((await import(pathToFileURL(buildPath).href)) as ServerBuild);

  app.all(
    "*",
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
      }),
    }),
  );
  app.use(stack.errorHandler);

  const server = app.listen(env.PORT, env.HOST, () => {
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
    // Workers stop fetching now; a job still running gets until the requests finish.
    const queueStopped = queue.stop(Math.max(1000, env.SHUTDOWN_TIMEOUT_MS - 1000));
    server.close(async () => {
      try {
        await viteDevServer?.close();
        await queueStopped;
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
