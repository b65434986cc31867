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
import { bodyWithNonce, etagMatches, type CachedPage, type PageCache } from "../app/http/page-cache.server";

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
  /**
   * The request's id and, for a page, a new CSP nonce, with the headers that carry them (and the
   * site's other security headers) as name, value, name, value…: nothing is set on the response,
   * so the answer can send every header in one writeHead.
   */
  begin(req: IncomingMessage, page: boolean): { id: string; nonce: string; headers: string[] };
  /** Counts the answered request in the metrics and writes its access log line. */
  done(req: IncomingMessage, res: ServerResponse, id: string, path: string, startedAt: number): void;
}

function setValidators(res: ServerResponse, validation: PageValidation) {
  for (const [name, value] of validatorHeaders(validation, "Cookie").values()) res.setHeader(name, value);
}

/** A page's validators and Vary (a 304's headers), keyed by lower-case name, each with its name as sent. */
function validatorHeaders(validation: PageValidation, vary: string): Map<string, [string, string]> {
  const headers = new Map<string, [string, string]>([
    ["etag", ["ETag", validation.etag]],
    ["cache-control", ["Cache-Control", validation.cacheControl]],
    ["vary", ["Vary", vary]],
  ]);
  if (validation.lastModified) headers.set("last-modified", ["Last-Modified", validation.lastModified.toUTCString()]);
  return headers;
}

const flat = (headers: Map<string, [string, string]>): string[] => [...headers.values()].flat();

const COMPRESSIBLE = /\b(?:gzip|br|deflate)\b/;

/**
 * The largest page answered from one buffer made for the request (ADR 0064): a letter page is
 * about 37 KB at any size of year, in a dozen parts; a larger page is written part by part.
 */
const ONE_WRITE_BYTES = 256 * 1024;

/** The parts with `glue` between them, in a new buffer of `length` bytes. */
function joined(parts: Buffer[], glue: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  let at = 0;
  parts.forEach((part, i) => {
    if (i > 0) at += glue.copy(out, at);
    at += part.copy(out, at);
  });
  return out;
}

/**
 * Answers a request before Express when this process already knows the page's validation (it
 * listens for changes) and either the reader's copy is current (304, nothing else is sent:
 * not even a new Content-Security-Policy, which would not match the nonce of the copy the
 * reader keeps) or the bytes are cached and the reader did not ask for compression. Returns
 * false, having sent nothing, for every other request. Runs no query, ever.
 */
export function earlyImmutablePages({ cache, validations, integrity }: Pick<ImmutablePagesOptions, "cache" | "validations" | "integrity">, responder: EarlyResponder) {
  // The headers of each answer, worked out once per validation (a 304) or cached page (a hit)
  // rather than set one by one on every request: the page's own headers as Remix rendered them,
  // its validators, and the Vary that covers both ways in (this one and Express's, which compresses).
  const notModifiedHeaders = new WeakMap<PageValidation, string[]>();
  const hitHeaders = new WeakMap<CachedPage, { validation: PageValidation; headers: string[] }>();
  const headersFor304 = (validation: PageValidation) => {
    let headers = notModifiedHeaders.get(validation);
    if (!headers) {
      headers = flat(validatorHeaders(validation, "Cookie"));
      notModifiedHeaders.set(validation, headers);
    }
    return headers;
  };
  const headersForHit = (validation: PageValidation, hit: CachedPage) => {
    const kept = hitHeaders.get(hit);
    if (kept?.validation === validation) return kept.headers;
    const merged = validatorHeaders(validation, "Cookie, Accept-Encoding");
    for (const [name, value] of Object.entries(hit.headers)) {
      const key = name.toLowerCase();
      if (key !== "vary") merged.set(key, [merged.get(key)?.[0] ?? name, value]);
    }
    merged.set("x-kept-cache", ["X-Kept-Cache", "hit"]);
    const headers = flat(merged);
    hitHeaders.set(hit, { validation, headers });
    return headers;
  };

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
    const { id, nonce, headers } = responder.begin(req, !notModified);
    if (!hit) {
      res.writeHead(304, headers.concat(headersFor304(validation)));
      res.end();
    } else {
      // The parts and this request's nonce between them: up to ONE_WRITE_BYTES copied into one
      // buffer and written once (a write per part cost more than the copy); above it, written
      // part by part as they are.
      const glue = hit.parts.length > 1 ? Buffer.from(nonce, "utf8") : null;
      const length = hit.size + (hit.parts.length - 1) * ((glue?.length ?? 0) - hit.nonceLength);
      res.writeHead(200, headers.concat(headersForHit(validation, hit), "Content-Length", String(length)));
      if (req.method === "HEAD" || !glue) res.end(req.method === "HEAD" ? undefined : hit.parts[0]);
      else if (length <= ONE_WRITE_BYTES) res.end(joined(hit.parts, glue, length));
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
