// The JSON API's edge: bearer-token authentication (cookies are never read here, so browser
// CSRF cannot reach it), per-token rate limits in the database, JSON-only bodies, RFC 9457
// problem+json errors with stable codes, and idempotency keys on POST.
import type { AppLoadContext } from "@remix-run/node";
import { createHash } from "node:crypto";
import type { z } from "zod";
import { savepointsIn, type Database } from "../../db/client";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  countTokenRequest,
  deleteExpiredIdempotencyKeys,
  getIdempotencyKey,
} from "~/models/api-token.server";
import type { AdminAction, OwnerAction } from "~/domain/permissions";
import { authenticateToken, type ApiPrincipal } from "~/services/api-tokens.server";
import { authorize, authorizeOwned } from "~/services/authorize.server";
import { STATUS_BY_CODE, type Actor, type DomainError } from "~/domain/result";

export const RATE_LIMIT_PER_MINUTE = 600;

export interface ProblemField {
  name: string;
  message: string;
}

export function problem(status: number, code: string, title: string, detail?: string, extra: Record<string, unknown> = {}, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify({ type: "about:blank", title, status, code, ...(detail ? { detail } : {}), ...extra }), {
    status,
    headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store", ...headers },
  });
}

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  409: "Conflict",
  412: "Precondition failed",
  415: "Unsupported media type",
  422: "Unprocessable content",
  428: "Precondition required",
  429: "Too many requests",
};

/**
 * The one mapping from a domain error to problem+json: its code's status (STATUS_BY_CODE), its
 * field errors as `fields`. `{ ifMatch: true }` when the request's If-Match carried the version:
 * then a VERSION.CONFLICT is that precondition failing, 412 rather than 409.
 */
export function problemFromDomain(error: DomainError, { ifMatch = false }: { ifMatch?: boolean } = {}): Response {
  const status = ifMatch && error.code === "VERSION.CONFLICT" ? 412 : STATUS_BY_CODE[error.code];
  const fields: ProblemField[] = error.fieldErrors
    ? Object.entries(error.fieldErrors).flatMap(([name, messages]) => messages.map((message) => ({ name, message })))
    : error.field
      ? [{ name: error.field, message: error.message }]
      : [];
  const title = status === 412 ? "Precondition failed" : (TITLES[status] ?? "Error");
  return problem(status, error.code, title, error.message, {
    ...(fields.length ? { fields } : {}),
    ...(error.conflict ? { conflict: error.conflict } : {}),
    ...(error.problems ? { problems: error.problems } : {}),
  }, error.retryAfter ? { "Retry-After": String(error.retryAfter) } : {});
}

/** 404 problem+json: nothing with that id, or nothing this principal may see. */
export function notFoundProblem(detail: string): Response {
  return problem(404, "NOT_FOUND", "Not found", detail);
}

/** The path parameter `name` parsed by `schema`; anything else answers 404 with `detail`. */
export function requireApiParam<S extends z.ZodType>(params: Readonly<Record<string, string | undefined>>, name: string, schema: S, detail: string): z.output<S> {
  const parsed = schema.safeParse(params[name]);
  if (!parsed.success) throw notFoundProblem(detail);
  return parsed.data;
}

/** The path and query of the next page: this request's address with `cursor` set. */
export function nextPagePath(url: URL, cursor: string): string {
  const next = new URL(url);
  next.searchParams.set("cursor", cursor);
  return next.pathname + next.search;
}

export function validationProblem(error: z.ZodError): Response {
  const fields = error.issues.map((issue) => ({ name: issue.path.join(".") || "(body)", message: issue.message }));
  return problem(400, "VALIDATION", "Bad request", "The request body is not valid.", { fields });
}

/** Authenticates the bearer token and counts the request; throws a problem Response otherwise. */
export async function requireApiPrincipal(request: Request, context: AppLoadContext, { write }: { write: boolean }): Promise<ApiPrincipal> {
  const header = request.headers.get("Authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const now = new Date();
  const principal = match ? await authenticateToken(context.db, match[1]!, now) : null;
  if (!principal) {
    throw problem(401, "AUTH.REQUIRED", "Unauthorized", "Send a valid personal access token as 'Authorization: Bearer <token>'.", {}, { "WWW-Authenticate": 'Bearer realm="kept"' });
  }
  const windowStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const count = await countTokenRequest(context.db, principal.tokenId, windowStart, principal.touchDue ? now : null);
  if (count > RATE_LIMIT_PER_MINUTE) {
    const retry = Math.max(1, Math.ceil((windowStart.getTime() + 60_000 - now.getTime()) / 1000));
    throw problem(429, "RATE_LIMITED", "Too many requests", `This token may make ${RATE_LIMIT_PER_MINUTE} requests a minute.`, {}, { "Retry-After": String(retry) });
  }
  if (write && principal.scope !== "write") {
    throw problem(403, "TOKEN.READ_ONLY", "Forbidden", "This token can only read. Create a read-write token to make changes.");
  }
  return principal;
}

export function actorOfPrincipal(p: ApiPrincipal): Actor {
  return { id: p.user.id, role: p.user.role };
}

/** Reads a JSON body (415 for anything else, 400 when malformed or invalid). */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<{ raw: string; value: z.output<S> }> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw problem(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type", "Send the body as JSON with 'Content-Type: application/json'.");
  }
  const raw = await request.text();
  let body: unknown;
  try {
    body = raw.length ? JSON.parse(raw) : {};
  } catch {
    throw problem(400, "MALFORMED_JSON", "Bad request", "The body is not valid JSON.");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationProblem(parsed.error);
  return { raw, value: parsed.data };
}

export function json(body: unknown, init: ResponseInit & { etag?: string } = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "application/json");
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "private, no-cache");
  if (init.etag) headers.set("ETag", init.etag);
  return new Response(JSON.stringify(body), { ...init, headers });
}

// Headers a replay repeats: where the created thing is and which version it is.
const REPLAYED_HEADERS = ["Location", "ETag"] as const;
export const IDEMPOTENCY_KEY_PATTERN = "^[A-Za-z0-9._:-]{8,200}$";
const IDEMPOTENCY_KEY = new RegExp(IDEMPOTENCY_KEY_PATTERN);
/** How long a key's answer is kept; after that the key may be used afresh. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60_000;

/** Thrown inside the transaction to roll back a request that failed (5xx), answer in hand. */
class RolledBack extends Error {
  constructor(readonly response: Response) {
    super("rolled back");
  }
}

/**
 * Runs a POST once per Idempotency-Key (ADR 0010). The key's row, the business writes and the
 * stored answer commit in ONE transaction: a crash at any point leaves either nothing (the
 * retry runs afresh, once) or the finished answer (the retry gets it back). A concurrent
 * request with the same key waits on the row's unique index until the first commits or rolls
 * back, so there is no "in progress" state to get stuck in. The same key with a different body
 * is refused with 422; keys are kept for IDEMPOTENCY_RETENTION_MS, then swept.
 * `kept` turns the answer into what is stored for replays: an answer that carries a credential
 * Kept otherwise keeps only as a hash (an invitation link) stores it without.
 */
export async function idempotent(
  request: Request,
  context: AppLoadContext,
  principal: ApiPrincipal,
  rawBody: string,
  run: (db: Database) => Promise<Response>,
  kept: (body: unknown) => unknown = (body) => body,
): Promise<Response> {
  const key = request.headers.get("Idempotency-Key");
  if (key === null) return run(context.db);
  if (!IDEMPOTENCY_KEY.test(key)) {
    return problem(400, "IDEMPOTENCY.INVALID_KEY", "Bad request", "Idempotency-Key must be 8 to 200 letters, digits or . _ : -", {
      fields: [{ name: "Idempotency-Key", message: "Use 8 to 200 letters, digits or . _ : -" }],
    });
  }
  const path = new URL(request.url).pathname;
  const requestHash = createHash("sha256").update(`${request.method} ${path}\n${rawBody}`).digest("hex");
  const userId = principal.user.id;
  const now = new Date();
  await deleteExpiredIdempotencyKeys(context.db, userId, new Date(now.getTime() - IDEMPOTENCY_RETENTION_MS));

  try {
    return await context.db.transaction(async (tx) => {
      const claimed = await claimIdempotencyKey(tx, { userId, key, method: request.method, path, requestHash, createdAt: now });
      if (!claimed) return replay(await getIdempotencyKey(tx, userId, key), requestHash);
      const response = await run(savepointsIn(tx));
      if (response.status >= 500) throw new RolledBack(response);
      const text = await response.clone().text();
      const replayed: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const value = response.headers.get(name);
        if (value !== null) replayed[name] = value;
      }
      await completeIdempotencyKey(tx, userId, key, response.status, text ? kept(JSON.parse(text) as unknown) : null, replayed);
      return response;
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.response;
    throw error;
  }
}

function replay(existing: Awaited<ReturnType<typeof getIdempotencyKey>>, requestHash: string): Response {
  // The first request's transaction committed before our claim gave way, so its row is there;
  // if it rolled back instead, our claim would have succeeded. Only a sweep in between explains
  // a missing row, and then a retry starts afresh.
  if (!existing || existing.status === null) {
    return problem(409, "IDEMPOTENCY.RETRY", "Conflict", "The first request with this key did not finish; send it again.");
  }
  if (existing.requestHash !== requestHash) {
    return problem(422, "IDEMPOTENCY.MISMATCH", "Unprocessable content", "This Idempotency-Key was already used with a different request.");
  }
  const isProblem = existing.status >= 400;
  return new Response(existing.status === 204 ? null : JSON.stringify(existing.responseBody), {
    status: existing.status,
    headers: {
      ...(existing.responseHeaders ?? {}),
      "Content-Type": isProblem ? "application/problem+json" : "application/json",
      "Cache-Control": "no-store",
      "Idempotent-Replayed": "true",
    },
  });
}

/**
 * Throws the 403 problem unless the principal may do `action` (the rule lives in
 * app/domain/permissions.ts, asked through the services' guard). Routes call it before reading
 * the body or looking anything up, so who may not act learns nothing else about the request.
 */
export function requireApiPermission(principal: ApiPrincipal, action: AdminAction, message: string): void {
  const refused = authorize(actorOfPrincipal(principal), action, message);
  if (refused) throw problemFromDomain(refused.error);
}

/** Throws the 403 problem unless the principal may do `action` to a thing of `ownerId`'s. */
export function requireApiOwnerPermission(principal: ApiPrincipal, action: OwnerAction, ownerId: string, message: string): void {
  const refused = authorizeOwned(actorOfPrincipal(principal), action, ownerId, message);
  if (refused) throw problemFromDomain(refused.error);
}

/** Authenticates, and refuses anyone but an admin (webhooks and their settings are admins' alone). */
export async function requireApiAdmin(request: Request, context: AppLoadContext, { write }: { write: boolean }, what: string): Promise<ApiPrincipal> {
  const principal = await requireApiPrincipal(request, context, { write });
  requireApiPermission(principal, "webhooks.manage", `Only admins can ${what}.`);
  return principal;
}
