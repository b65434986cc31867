// Answers published letters, their Markdown, the feed and the public ledger for anonymous
// readers before Remix runs (ADR 0015): one small validator query decides a 304; a cached copy
// of the rendered bytes (keyed by the ETag) answers a hit; a miss is rendered by Remix as usual
// and its bytes kept when the response carries the ETag the validator gave.
import type { RequestHandler } from "express";
import type { Database } from "../db/client";
import { immutablePageOf, validateImmutablePage } from "../app/http/immutable-pages.server";
import { bodyWithNonce, etagMatches, type PageCache } from "../app/http/page-cache.server";

const SESSION_COOKIE = /(?:^|;\s*)(?:__Host-)?kept_session=[^;]/;
const KEPT_HEADERS = ["content-type", "etag", "cache-control", "last-modified", "vary", "content-disposition"];

export interface ImmutablePagesOptions {
  db: Database;
  cache: PageCache;
  buildId: string;
  /** The record's integrity status as the public ledger shows it (it is part of that page's ETag). */
  integrity: () => string;
}

export function immutablePages({ db, cache, buildId, integrity }: ImmutablePagesOptions): RequestHandler {
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    // Signed-in readers see their own navigation and tools on these pages: Remix renders them.
    if (SESSION_COOKIE.test(req.headers.cookie ?? "")) return next();
    const search = req.originalUrl.includes("?") ? req.originalUrl.slice(req.originalUrl.indexOf("?")) : "";
    const page = immutablePageOf(req.path, search);
    if (!page) return next();
    validateImmutablePage(db, page, buildId, integrity())
      .then((validation) => {
        if (!validation) return next();
        const validators = () => {
          res.setHeader("ETag", validation.etag);
          res.setHeader("Cache-Control", validation.cacheControl);
          res.setHeader("Vary", "Cookie");
          if (validation.lastModified) res.setHeader("Last-Modified", validation.lastModified.toUTCString());
        };
        if (etagMatches(req.headers["if-none-match"], validation.etag)) {
          validators();
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
