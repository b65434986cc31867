// The HTTP layer around Remix: request ids and structured logs, metrics, security headers,
// body limits, cross-origin form refusal, health endpoints, and the 503 answer while the
// database is unreachable.
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import type { ErrorRequestHandler, Request, RequestHandler, Response } from "express";
import helmet from "helmet";
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { pinoHttp } from "pino-http";
import client from "prom-client";
import type { DatabaseHandle } from "../db/client";
import { isDatabaseUnavailable } from "../app/utils/db-errors.server";
import type { Env } from "../app/utils/env.server";

interface StackOptions {
  env: Env;
  logger: Logger;
  handle: DatabaseHandle;
  state: { shuttingDown: boolean };
  dev: boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,100}$/;

export function createHttpStack({ env, logger, handle, state, dev }: StackOptions) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const httpDuration = new client.Histogram({
    name: "kept_http_request_duration_seconds",
    help: "HTTP request duration by method, kind of path and status code",
    labelNames: ["method", "kind", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const dbUp = new client.Gauge({
    name: "kept_database_up",
    help: "1 when the last readiness check reached the database within a second",
    registers: [registry],
  });

  const httpLogger = pinoHttp({
    logger,
    // Honour an upstream proxy's id so one request can be followed across hops, but only
    // when it looks like an id (it ends up in logs).
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const incoming = req.headers["x-request-id"];
      const id = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader("X-Request-Id", id);
      return id;
    },
    // Only what an operator needs: never headers (cookies, tokens) or query strings.
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: String(req.url).split("?")[0],
      }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    customSuccessMessage: (req, res, responseTime) =>
      `${req.method} ${String(req.url).split("?")[0]} ${res.statusCode} ${Math.round(responseTime)}ms`,
    customErrorMessage: (req, res) => `${req.method} ${String(req.url).split("?")[0]} ${res.statusCode} failed`,
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? "error" : "info"),
    autoLogging: { ignore: (req) => req.url === "/healthz" },
  });

  const measure: RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer({ method: req.method });
    res.on("finish", () => {
      const kind = req.path.startsWith("/assets/") ? "asset" : req.path.startsWith("/api/") ? "api" : "page";
      end({ kind, status: String(res.statusCode) });
    });
    next();
  };

  const nonce: RequestHandler = (_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    next();
  };

  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // Remix's inline hydration scripts carry this request's nonce; nothing else inline runs.
        scriptSrc: dev
          ? ["'self'", "'unsafe-inline'", "'unsafe-eval'"]
          : ["'self'", (_req, res) => `'nonce-${(res as unknown as { locals: { cspNonce: string } }).locals.cspNonce}'`],
        styleSrc: dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: dev ? ["'self'", "ws:", "wss:"] : ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    strictTransportSecurity: env.NODE_ENV === "production" && env.APP_URL?.startsWith("https:") ? undefined : false,
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: "deny" },
  });

  const draining: RequestHandler = (_req, res, next) => {
    if (state.shuttingDown) res.setHeader("Connection", "close");
    next();
  };

  // Remix renders a thrown 503 through the error boundary without the thrown response's
  // headers; every 503 this app sends means "the database is away, come back shortly".
  const retryAfterOn503: RequestHandler = (_req, res, next) => {
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => typeof res;
    res.writeHead = ((...args: unknown[]) => {
      const status = typeof args[0] === "number" ? args[0] : res.statusCode;
      if (status === 503 && !res.hasHeader("Retry-After")) res.setHeader("Retry-After", "5");
      return writeHead(...args);
    }) as typeof res.writeHead;
    next();
  };

  const bodyLimit: RequestHandler = (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD") return next();
    const length = req.headers["content-length"];
    if (length === undefined) {
      if (req.headers["transfer-encoding"]) {
        // Without a declared length a body could only be limited while it streams into
        // Remix; every browser form and API client sends Content-Length, so ask for it.
        return sendError(req, res, 411, "Length required", "Send a Content-Length header with the request body.");
      }
      return next();
    }
    if (!/^\d+$/.test(length) || Number(length) > env.BODY_LIMIT_BYTES) {
      return sendError(
        req,
        res,
        413,
        "Request too large",
        `The request body is larger than the ${Math.round(env.BODY_LIMIT_BYTES / 1024)} KiB this server accepts.`,
      );
    }
    next();
  };

  const sameOrigin: RequestHandler = (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    // The JSON API authenticates with bearer tokens only, never cookies, so a cross-site
    // form cannot act through it; everything else must come from our own pages.
    if (req.path.startsWith("/api/")) return next();
    // One-click unsubscribe (RFC 8058) is posted by mail providers; the secret path is the credential.
    if (req.path.startsWith("/unsubscribe/")) return next();
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    if (!isOwnOrigin(origin, req, env)) {
      req.log?.warn({ origin }, "refused cross-origin form post");
      return sendError(req, res, 403, "Forbidden", "This form was sent from another site, so Kept refused it.");
    }
    next();
  };

  const health: RequestHandler = async (req, res, next) => {
    if (req.path === "/healthz" && (req.method === "GET" || req.method === "HEAD")) {
      res.setHeader("Cache-Control", "no-store");
      res.json({ status: "ok" });
      return;
    }
    if (req.path === "/readyz" && (req.method === "GET" || req.method === "HEAD")) {
      res.setHeader("Cache-Control", "no-store");
      if (state.shuttingDown) {
        res.status(503).json({ status: "shutting-down" });
        return;
      }
      const up = await handle.ping(1000);
      dbUp.set(up ? 1 : 0);
      res.status(up ? 200 : 503).json({ status: up ? "ready" : "database-unreachable", database: handle.kind });
      return;
    }
    if (req.path === "/metrics" && req.method === "GET") {
      if (env.METRICS_TOKEN && req.headers.authorization !== `Bearer ${env.METRICS_TOKEN}`) {
        res.status(401).setHeader("WWW-Authenticate", "Bearer").end();
        return;
      }
      res.setHeader("Content-Type", registry.contentType);
      res.setHeader("Cache-Control", "no-store");
      res.end(await registry.metrics());
      return;
    }
    next();
  };

  const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
    const unavailable = isDatabaseUnavailable(error);
    req.log?.error({ err: error }, unavailable ? "database unavailable" : "unhandled error");
    if (res.headersSent) {
      res.end();
      return;
    }
    if (unavailable) {
      res.setHeader("Retry-After", "5");
      sendError(req, res, 503, "Service unavailable", "Kept cannot reach its database right now. Try again in a moment.");
      return;
    }
    sendError(req, res, 500, "Something went wrong", `Kept hit an unexpected error. Reference: ${String(req.id)}.`);
  };

  return {
    early: [httpLogger, measure, nonce, headers, draining, retryAfterOn503, bodyLimit, sameOrigin, health, compression()] as RequestHandler[],
    errorHandler,
  };
}

function isOwnOrigin(origin: string, req: Request, env: Env): boolean {
  if (env.APP_URL && origin === new URL(env.APP_URL).origin) return true;
  const host = req.headers.host;
  if (!host) return false;
  return origin === `${req.protocol}://${host}`;
}

function sendError(req: Request, res: Response, status: number, title: string, detail: string) {
  const wantsJson = req.path.startsWith("/api/") || (req.headers.accept ?? "").includes("application/json");
  res.status(status);
  if (wantsJson) {
    res.type("application/problem+json").send(JSON.stringify({ type: "about:blank", title, status, detail }));
    return;
  }
  res
    .type("text/html")
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · Kept</title></head>` +
        `<body><main><h1>${title}</h1><p>${detail}</p><p><a href="/">Back to Kept</a></p></main></body></html>`,
    );
}

/**
 * Wraps every loader and action so that a database outage becomes a 503 response with
 * Retry-After, rendered by the route's error boundary, instead of a generic 500.
 */
export function guardDataFunctions(build: ServerBuild): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    if (!route) continue;
    const module = { ...route.module };
    for (const key of ["loader", "action"] as const) {
      const fn = module[key];
      if (typeof fn !== "function") continue;
      module[key] = async (args: Parameters<typeof fn>[0]) => {
        try {
          return await fn(args);
        } catch (error) {
          if (isDatabaseUnavailable(error)) {
            args.context.logger?.error({ err: error }, "database unavailable");
            throw new Response("Kept cannot reach its database right now. Try again in a moment.", {
              status: 503,
              headers: { "Retry-After": "5", "Content-Type": "text/plain; charset=utf-8" },
            });
          }
          throw error;
        }
      };
    }
    routes[id] = { ...route, module };
  }
  return { ...build, routes };
}
