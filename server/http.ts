// The HTTP layer around Remix: request ids and structured logs, metrics, security headers,
// body limits, cross-origin form refusal, health endpoints, and the 503 answer while the
// database is unreachable.
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import type { ErrorRequestHandler, Request, RequestHandler, Response } from "express";
import helmet from "helmet";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { pinoHttp } from "pino-http";
import client from "prom-client";
import type { DatabaseHandle } from "../db/client";
import { isDatabaseUnavailable, isInvalidInput } from "../app/utils/db-errors.server";
import type { Env } from "../app/utils/env.server";
import { serializeError } from "./logging";
import type { RecordIntegrityMonitor } from "../app/services/record-log.server";
import type { EarlyResponder } from "./immutable-pages";
import { AdmissionGate } from "./admission";
import { cspNonce } from "./csp-nonce";

interface StackOptions {
  env: Env;
  logger: Logger;
  handle: DatabaseHandle;
  state: { shuttingDown: boolean };
  dev: boolean;
  integrity?: RecordIntegrityMonitor;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,100}$/;
const UNAVAILABLE_MESSAGE = "Kept cannot reach its database right now. Try again in a moment.";
const RETRY_AFTER_S = "5";
const BUSY_MESSAGE = "Kept is answering as many requests as it can right now. Try again in a moment.";
const BUSY_RETRY_AFTER_S = "2";
/** While up, how often the database is pinged; while down, how often we look for its return. */
const CHECK_UP_MS = 500;
const CHECK_DOWN_MS = 500;
const PING_TIMEOUT_MS = 1000;

/**
 * Knows whether the database is reachable, from a background ping (with its own connection
 * and a timeout that ends it) and from requests that hit an outage. While it is down, requests
 * are answered 503 at once instead of each waiting for its own connection to fail; once a ping
 * succeeds again, requests flow again.
 */
export class DatabaseMonitor {
  up = true;
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    private readonly handle: Pick<DatabaseHandle, "ping">,
    private readonly onChange: (up: boolean) => void,
  ) {}

  start() {
    this.schedule(CHECK_UP_MS);
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Something suggests an outage: ping now. */
  checkSoon() {
    this.schedule(0);
  }

  report(up: boolean) {
    if (up === this.up) return;
    this.up = up;
    this.onChange(up);
  }

  private schedule(ms: number) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.check(), ms);
    this.timer.unref();
  }

  private async check() {
    if (this.checking) return;
    this.checking = true;
    try {
      this.report(await this.handle.ping(PING_TIMEOUT_MS));
    } finally {
      this.checking = false;
      this.schedule(this.up ? CHECK_UP_MS : CHECK_DOWN_MS);
    }
  }
}
/**
 * Headers a response carries once: a page's own value replaces the site-wide default. (Not
 * Content-Security-Policy: several policies are all enforced, so a page's adds to the site's.)
 */
const SINGLE_VALUED_HEADERS = new Set(["referrer-policy", "cache-control"]);
const SESSION_COOKIE = /(?:^|;\s*)(?:__Host-)?kept_session=[^;]/;

export function createHttpStack({ env, logger, handle, state, dev, integrity }: StackOptions) {
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

  if (integrity) {
    new client.Gauge({
      name: "kept_record_integrity_broken",
      help: "1 while the last integrity check found the record's hash chain or derived rows broken, 0 when intact or not yet checked (see kept_record_integrity_checked)",
      registers: [registry],
      collect() {
        this.set(integrity.status().state === "broken" ? 1 : 0);
      },
    });
    new client.Gauge({
      name: "kept_record_integrity_checked",
      help: "0 until the first integrity check since start has finished (the broken gauge's 0 then means nothing), 1 after",
      registers: [registry],
      collect() {
        const state = integrity.status().state;
        this.set(state === "intact" || state === "broken" ? 1 : 0);
      },
    });
    new client.Gauge({
      name: "kept_record_integrity_broken_at",
      help: "The first log entry that disagrees (0 while intact)",
      registers: [registry],
      collect() {
        this.set(integrity.status().problem?.seq ?? 0);
      },
    });
    new client.Gauge({
      name: "kept_record_log_head",
      help: "Sequence number of the record log's head at the last integrity check",
      registers: [registry],
      collect() {
        this.set(integrity.status().head?.seq ?? 0);
      },
    });
  }

  // Requests rendered at once (ADR 0052): the gate stands in front of the Remix handler only;
  // health, metrics, static assets and the immutable public pages are answered before it.
  const admissionWait = new client.Histogram({
    name: "kept_http_admission_wait_seconds",
    help: "Time a request waited for one of the MAX_CONCURRENT_REQUESTS turns before rendering (0 when one was free)",
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const admissionRefused = new client.Counter({
    name: "kept_http_admission_refused_total",
    help: "Requests answered 503 because REQUEST_QUEUE_MAX requests were already waiting",
    registers: [registry],
  });
  const gate =
    env.MAX_CONCURRENT_REQUESTS > 0
      ? new AdmissionGate({
          limit: env.MAX_CONCURRENT_REQUESTS,
          queueLimit: env.REQUEST_QUEUE_MAX,
          onAdmitted: (seconds) => admissionWait.observe(seconds),
          refuse: (req, res) => {
            admissionRefused.inc();
            req.log?.warn({ running: env.MAX_CONCURRENT_REQUESTS, waiting: env.REQUEST_QUEUE_MAX }, "refused: the request queue is full");
            res.setHeader("Retry-After", BUSY_RETRY_AFTER_S);
            sendError(req, res, 503, "Service busy", BUSY_MESSAGE);
          },
        })
      : null;
  if (gate) {
    new client.Gauge({
      name: "kept_http_requests_waiting",
      help: "Requests waiting for a turn to render (ADR 0052)",
      registers: [registry],
      collect() {
        this.set(gate.stats().waiting);
      },
    });
  }
  const admission: RequestHandler = gate ? gate.middleware : (_req, _res, next) => next();

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
      err: serializeError,
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
    res.locals.cspNonce = cspNonce();
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
        baseUri: ["'none'"],
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

  // The headers above are site-wide defaults; a page that sets one of them itself (the
  // set-password page's Referrer-Policy) means its own value instead. Remix's adapter appends
  // every response header, which would send both (two Referrer-Policy headers, read by browsers
  // as one list whose meaning depends on the order), so the page's value replaces the default.
  const pageHeadersReplaceDefaults: RequestHandler = (_req, res, next) => {
    const append = res.append.bind(res);
    res.append = ((name: string, value?: string | string[]) => {
      if (SINGLE_VALUED_HEADERS.has(name.toLowerCase()) && value !== undefined) {
        res.setHeader(name, value);
        return res;
      }
      return append(name, value);
    }) as typeof res.append;
    next();
  };

  // Requests waiting on a database that has just gone away are answered now, not whenever
  // their connection gives up.
  const inFlight = new Set<() => void>();
  const monitor = new DatabaseMonitor(handle, (up) => {
    if (state.shuttingDown) return;
    dbUp.set(up ? 1 : 0);
    logger[up ? "info" : "error"]({ database: handle.kind }, up ? "database reachable again" : "database unreachable: answering 503 until it is back");
    if (!up) inFlight.forEach((answer) => answer());
  });
  monitor.start();

  const databaseGate: RequestHandler = (req, res, next) => {
    if (req.path.startsWith("/assets/") || req.path === "/favicon.svg") return next();
    if (!monitor.up) {
      res.setHeader("Retry-After", RETRY_AFTER_S);
      return sendError(req, res, 503, "Service unavailable", UNAVAILABLE_MESSAGE);
    }
    const answer = () => {
      if (res.headersSent) return;
      res.setHeader("Retry-After", RETRY_AFTER_S);
      sendError(req, res, 503, "Service unavailable", UNAVAILABLE_MESSAGE);
    };
    inFlight.add(answer);
    res.on("close", () => inFlight.delete(answer));
    // Any other 503 from below means a query failed for want of a database: check now rather
    // than at the next tick. (A full request queue's 503 says nothing about the database.)
    res.on("finish", () => {
      if (res.statusCode === 503 && !res.locals.refusedBusy) monitor.checkSoon();
    });
    next();
  };

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
      if (status === 503 && !res.hasHeader("Retry-After")) res.setHeader("Retry-After", RETRY_AFTER_S);
      return writeHead(...args);
    }) as typeof res.writeHead;
    next();
  };

  // A signed-in page, a response that sets a session, or an API answer to a token holder is
  // meant for one person only: no browser, proxy or back button may keep a copy (a new API
  // token is shown once). Static assets keep their long cache.
  const noStoreForSecrets: RequestHandler = (req, res, next) => {
    if (req.path.startsWith("/assets/")) return next();
    const personal = SESSION_COOKIE.test(req.headers.cookie ?? "") || (req.path.startsWith("/api/") && req.headers.authorization !== undefined);
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => typeof res;
    res.writeHead = ((...args: unknown[]) => {
      if (personal || res.hasHeader("Set-Cookie")) res.setHeader("Cache-Control", "no-store");
      return writeHead(...args);
    }) as typeof res.writeHead;
    next();
  };

  // A malformed percent sequence cannot name any page; without this it reaches route matching
  // and param decoding, which throw.
  const wellFormedUrl: RequestHandler = (req, res, next) => {
    try {
      decodeURIComponent(req.path);
      next();
    } catch {
      sendError(req, res, 400, "Bad request", "The address contains a malformed percent-encoded character.");
    }
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
      monitor.report(up);
      res.status(up ? 200 : 503).json({ status: up ? "ready" : "database-unreachable", database: handle.kind });
      return;
    }
    if (req.path === "/metrics" && req.method === "GET") {
      if (env.METRICS_TOKEN && req.headers.authorization !== `Bearer ${env.METRICS_TOKEN}`) {
        res.status(401).setHeader("WWW-Authenticate", "Bearer").end();
        return;
      }
      // Without a token, production answers only a scraper on this machine: the socket's own
      // address, never a forwarded one, decides.
      if (!env.METRICS_TOKEN && env.NODE_ENV === "production" && !isLoopback(req.socket.remoteAddress)) {
        res.setHeader("Cache-Control", "no-store");
        sendError(req, res, 403, "Forbidden", "Set METRICS_TOKEN to read metrics from another machine.");
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
      monitor.checkSoon();
      res.setHeader("Retry-After", RETRY_AFTER_S);
      sendError(req, res, 503, "Service unavailable", UNAVAILABLE_MESSAGE);
      return;
    }
    sendError(req, res, 500, "Something went wrong", `Kept hit an unexpected error. Reference: ${String(req.id)}.`);
  };

  // The same around a request answered before Express (server/immutable-pages.ts): its id, the
  // security headers of a page with its own nonce, its metrics and its log line; nothing else
  // in the stack applies to an anonymous GET of a public page.
  // helmet's headers for a page, worked out once with a stand-in for the nonce (running helmet's
  // dozen middlewares and rebuilding the policy string was a measurable part of each such answer).
  const NONCE_SLOT = "kept-nonce-slot";
  const pageHeaders: Array<[string, string]> = (() => {
    const recorded = new Map<string, string>();
    const recorder = {
      locals: { cspNonce: NONCE_SLOT },
      setHeader: (name: string, value: unknown) => recorded.set(name, String(value)),
      removeHeader: (name: string) => recorded.delete(name),
      getHeader: (name: string) => recorded.get(name),
    };
    headers({} as Request, recorder as unknown as Response, () => {});
    return [...recorded];
  })();
  const earlyResponder: EarlyResponder = {
    ready: () => !state.shuttingDown && monitor.up,
    begin(req, page) {
      const incoming = req.headers["x-request-id"];
      const id = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      if (!page) return { id, nonce: "", headers: ["X-Request-Id", id] };
      const nonce = cspNonce();
      const headers = ["X-Request-Id", id];
      for (const [name, value] of pageHeaders) headers.push(name, value.includes(NONCE_SLOT) ? value.replace(NONCE_SLOT, nonce) : value);
      return { id, nonce, headers };
    },
    done(req, res, id, path, startedAt) {
      const seconds = (performance.now() - startedAt) / 1000;
      httpDuration.observe({ method: req.method, kind: "page", status: String(res.statusCode) }, seconds);
      if (logger.isLevelEnabled("info")) {
        logger.info(
          { req: { id, method: req.method, path }, res: { status: res.statusCode }, responseTime: Math.round(seconds * 1000) },
          `${req.method} ${path} ${res.statusCode} ${Math.round(seconds * 1000)}ms`,
        );
      }
    },
  };

  return {
    monitor,
    earlyResponder,
    admission,
    early: [httpLogger, measure, nonce, headers, pageHeadersReplaceDefaults, draining, retryAfterOn503, noStoreForSecrets, wellFormedUrl, bodyLimit, sameOrigin, health, databaseGate, compression()] as RequestHandler[],
    errorHandler,
  };
}

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === "::1" || /^(::ffff:)?127\./.test(address));
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

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * Wraps every loader and action so that bad input and a database outage get the answers they
 * deserve instead of a generic 500: 415/400 for a body that is not a form where a form is
 * read, 400 for input the database refuses as data, 503 with Retry-After while the database
 * is away. API routes answer every error, their own 500s included, as problem+json.
 */
export function guardDataFunctions(build: ServerBuild): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    if (!route) continue;
    const api = id.startsWith("routes/api.");
    const module = { ...route.module };
    for (const key of ["loader", "action"] as const) {
      const fn = module[key];
      if (typeof fn !== "function") continue;
      module[key] = async (args: Parameters<typeof fn>[0]) => {
        guardFormData(args.request, api);
        try {
          return await fn(args);
        } catch (error) {
          if (error instanceof globalThis.Response) throw error;
          if (isDatabaseUnavailable(error)) {
            args.context.logger?.error({ err: error }, "database unavailable");
            throw errorResponse(api, 503, "DATABASE.UNAVAILABLE", "Service unavailable", UNAVAILABLE_MESSAGE, { "Retry-After": "5" });
          }
          if (isInvalidInput(error)) {
            args.context.logger?.warn({ err: error }, "input refused by the database");
            throw errorResponse(api, 400, "INVALID_INPUT", "Bad request", "The request contains a value Kept cannot store or compare, such as a NUL character or a malformed id or date.");
          }
          if (api) {
            args.context.logger?.error({ err: error }, "unhandled error");
            throw errorResponse(api, 500, "INTERNAL", "Internal server error", `Kept hit an unexpected error. Reference: ${args.context.requestId}.`);
          }
          throw error;
        }
      };
    }
    routes[id] = { ...route, module };
  }
  return { ...build, routes };
}

function errorResponse(api: boolean, status: number, code: string, title: string, detail: string, headers: Record<string, string> = {}): globalThis.Response {
  if (api) {
    return new globalThis.Response(JSON.stringify({ type: "about:blank", title, status, code, detail }), {
      status,
      headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store", ...headers },
    });
  }
  return new globalThis.Response(detail, { status, headers: { "Content-Type": "text/plain; charset=utf-8", ...headers } });
}

/** request.formData() throws on a JSON, text or empty body; that is the sender's mistake. */
function guardFormData(request: globalThis.Request, api: boolean) {
  const original = request.formData.bind(request);
  Object.defineProperty(request, "formData", {
    configurable: true,
    value: async () => {
      if (!FORM_TYPES.test(request.headers.get("Content-Type") ?? "")) {
        throw errorResponse(api, 415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type", "Send the form as application/x-www-form-urlencoded or multipart/form-data.");
      }
      try {
        return await original();
      } catch {
        throw errorResponse(api, 400, "MALFORMED_FORM", "Bad request", "The form data could not be read.");
      }
    },
  });
}
