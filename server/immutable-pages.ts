// Answers published letters, their Markdown, the feed and the public ledger for anonymous
// readers before Remix runs (ADR 0015, ADR 0023). The page's validation comes from this
// process's memory while it listens for changes (PageValidations), else from one small query;
// a matching If-None-Match gets a 304; a cached copy of the rendered bytes (keyed by the ETag)
// answers a hit; a miss is rendered by Remix as usual and its bytes kept when the response
// carries the ETag the validator gave.
//
// Two ways in: `earlyImmutablePages` runs on the bare node request before Express and answers
// only what it can answer from memory at once (a 304, or a hit for a reader who does not ask
// for compression); everything else goes through Express, where `immutablePages` answers the
// rest (validating with a query when it must, compressing, keeping renders).
import type { RequestHandler } from "express";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Database } from "../db/client";
import { immutablePageOf, type PageValidation, type PageValidations } from "../app/http/immutable-pages.server";
import { bodyWithNonce, etagMatches, type PageCache } from "../app/http/page-cache.server";

const SESSION_COOKIE = /(?:^|;\s*)(?:__Host-)?kept_session=[^;]/;
const KEPT_HEADERS = ["content-type", "etag", "cache-control", "last-modified", "vary", "content-disposition"];

export interface ImmutablePagesOptions {
  db: Database;
  cache: PageCache;
  validations: PageValidations;
  buildId: string;
  /** The record's integrity status as the public ledger shows it (it is part of that page's ETag). */
  integrity: () => string;
}

/** What the Express stack does around every request, for the requests answered before it. */
export interface EarlyResponder {
  /** Whether requests may be answered now (not shutting down, the database reachable). */
  ready(): boolean;
  /** Sets the request id (and, for a page, the security headers with a new CSP nonce); returns the id and the nonce. */
  begin(req: IncomingMessage, res: ServerResponse, page: boolean): { id: string; nonce: string };
  /** Counts the answered request in the metrics and writes its access log line. */
  done(req: IncomingMessage, res: ServerResponse, id: string, path: string, startedAt: number): void;
}

function setValidators(res: ServerResponse, validation: PageValidation) {
  res.setHeader("ETag", validation.etag);
  res.setHeader("Cache-Control", validation.cacheControl);
  res.setHeader("Vary", "Cookie");
  if (validation.lastModified) res.setHeader("Last-Modified", validation.lastModified.toUTCString());
}

const COMPRESSIBLE = /\b(?:gzip|br|deflate)\b/;

/**
 * Answers a request before Express when this process already knows the page's validation (it
 * listens for changes) and either the reader's copy is current (304, nothing else is sent:
 * not even a new Content-Security-Policy, which would not match the nonce of the copy the
 * reader keeps) or the bytes are cached and the reader did not ask for compression. Returns
 * false, having sent nothing, for every other request. Runs no query, ever.
 */
export function earlyImmutablePages({ cache, validations, integrity }: Pick<ImmutablePagesOptions, "cache" | "validations" | "integrity">, responder: EarlyResponder) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    if (!validations.listening) return false;
    if (SESSION_COOKIE.test(req.headers.cookie ?? "")) return false;
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const page = immutablePageOf(path, q === -1 ? "" : url.slice(q));
    if (!page) return false;
    const validation = validations.peek(page, integrity);
    if (!validation) return false;
    const notModified = etagMatches(req.headers["if-none-match"], validation.etag);
    if (!notModified && COMPRESSIBLE.test(String(req.headers["accept-encoding"] ?? ""))) return false;
    const hit = notModified ? undefined : cache.get(validation.cacheKey);
    if (!notModified && !hit) return false;
    if (!responder.ready()) return false;
    const startedAt = performance.now();
    const { id, nonce } = responder.begin(req, res, !notModified);
    setValidators(res, validation);
    if (!hit) {
      res.statusCode = 304;
      res.end();
    } else {
      for (const [name, value] of Object.entries(hit.headers)) res.setHeader(name, value);
      res.setHeader("Vary", "Cookie, Accept-Encoding");
      res.setHeader("X-Kept-Cache", "hit");
      // The parts and this request's nonce between them, written as they are (no copy of the page).
      const glue = hit.parts.length > 1 ? Buffer.from(nonce, "utf8") : null;
      res.setHeader("Content-Length", hit.size + (hit.parts.length - 1) * (glue?.length ?? 0) - (hit.parts.length - 1) * hit.nonceLength);
      res.statusCode = 200;
      if (req.method === "HEAD" || !glue) res.end(req.method === "HEAD" ? undefined : hit.parts[0]);
      else {
        res.cork();
        hit.parts.forEach((part, i) => {
          if (i > 0) res.write(glue);
          res.write(part);
        });
        res.end();
        res.uncork();
      }
    }
    responder.done(req, res, id, path, startedAt);
    return true;
  };
}

export function immutablePages({ db, cache, validations, buildId, integrity }: ImmutablePagesOptions): RequestHandler {
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    // Signed-in readers see their own navigation and tools on these pages: Remix renders them.
    if (SESSION_COOKIE.test(req.headers.cookie ?? "")) return next();
    const search = req.originalUrl.includes("?") ? req.originalUrl.slice(req.originalUrl.indexOf("?")) : "";
    const page = immutablePageOf(req.path, search);
    if (!page) return next();
    validations
      .validate(db, page, buildId, integrity)
      .then((validation) => {
        if (!validation) return next();
        const validators = () => setValidators(res, validation);
        if (etagMatches(req.headers["if-none-match"], validation.etag)) {
          validators();
          // The reader keeps the copy (and the policy with its nonce) it has.
          res.removeHeader("Content-Security-Policy");
          res.status(304).end();
          return;
        }
        const nonce = String(res.locals.cspNonce ?? "");
        const hit = cache.get(validation.cacheKey);
        if (hit) {
          validators();
          for (const [name, value] of Object.entries(hit.headers)) res.setHeader(name, value);
          res.setHeader("X-Kept-Cache", "hit");
          res.status(200);
          if (req.method === "HEAD") {
            res.end();
            return;
          }
          res.end(bodyWithNonce(hit, nonce));
          return;
        }
        if (req.method === "GET") keepWhenRendered(res, validation.cacheKey, validation.etag, nonce, cache);
        res.setHeader("X-Kept-Cache", "miss");
        next();
      })
      .catch(next);
  };
}

/** Collects what Remix writes and keeps it when it is a whole 200 for the validated ETag. */
function keepWhenRendered(res: Parameters<RequestHandler>[1], key: string, etag: string, nonce: string, cache: PageCache) {
  const chunks: Buffer[] = [];
  let size = 0;
  let overflow = false;
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
  const collect = (chunk: unknown, encoding?: unknown) => {
    if (overflow || chunk === undefined || chunk === null || typeof chunk === "function") return;
    const buffer = Buffer.isBuffer(chunk) ? chunk : typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > cache.maxPageBytes) {
      overflow = true;
      chunks.length = 0;
      return;
    }
    chunks.push(buffer);
  };
  res.write = ((...args: unknown[]) => {
    collect(args[0], args[1]);
    return write(...args);
  }) as typeof res.write;
  res.end = ((...args: unknown[]) => {
    collect(args[0], args[1]);
    if (!overflow && res.statusCode === 200 && res.getHeader("ETag") === etag) {
      const headers: Record<string, string> = {};
      for (const name of KEPT_HEADERS) {
        const value = res.getHeader(name);
        if (value !== undefined) headers[name] = String(value);
      }
      cache.set(key, headers, Buffer.concat(chunks), nonce || null);
    }
    return end(...args);
  }) as typeof res.end;
}
