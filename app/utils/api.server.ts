// The JSON API's edge: bearer-token authentication (cookies are never read here, so browser
// CSRF cannot reach it), per-token rate limits in the database, JSON-only bodies, RFC 9457
// problem+json errors with stable codes, and idempotency keys on POST.
import type { AppLoadContext } from "@remix-run/node";
import { createHash } from "node:crypto";
import type { z } from "zod";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  countRequest,
  getIdempotencyKey,
  releaseIdempotencyKey,
} from "~/models/api-token.server";
import { authenticateToken, type ApiPrincipal } from "~/services/api-tokens.server";
import { STATUS_BY_CODE, type Actor, type DomainError } from "~/services/result";

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

export function problemFromDomain(error: DomainError): Response {
  const status = STATUS_BY_CODE[error.code];
  const fields: ProblemField[] = error.fieldErrors
    ? Object.entries(error.fieldErrors).flatMap(([name, messages]) => messages.map((message) => ({ name, message })))
    : error.field
      ? [{ name: error.field, message: error.message }]
      : [];
  return problem(status, error.code, TITLES[status] ?? "Error", error.message, {
    ...(fields.length ? { fields } : {}),
    ...(error.conflict ? { conflict: error.conflict } : {}),
    ...(error.problems ? { problems: error.problems } : {}),
  }, error.retryAfter ? { "Retry-After": String(error.retryAfter) } : {});
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
  const count = await countRequest(context.db, `token:${principal.tokenId}`, windowStart);
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
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,200}$/;
const WAIT_FOR_FIRST_MS = 10_000;

/**
 * Runs a POST once per Idempotency-Key: the first request claims the key (a row in the
 * database, so it holds across app processes), later ones with the same body get the stored
 * response, and the same key with a different body is refused with 422.
 */
export async function idempotent(
  request: Request,
  context: AppLoadContext,
  principal: ApiPrincipal,
  rawBody: string,
  run: () => Promise<Response>,
): Promise<Response> {
  const key = request.headers.get("Idempotency-Key");
  if (key === null) return run();
  if (!IDEMPOTENCY_KEY.test(key)) {
    return problem(400, "IDEMPOTENCY.INVALID_KEY", "Bad request", "Idempotency-Key must be 8 to 200 letters, digits or . _ : -");
  }
  const path = new URL(request.url).pathname;
  const requestHash = createHash("sha256").update(`${request.method} ${path}\n${rawBody}`).digest("hex");
  const userId = principal.user.id;
  const claimed = await claimIdempotencyKey(context.db, { userId, key, method: request.method, path, requestHash, createdAt: new Date() });
  if (claimed) {
    let response: Response;
    try {
      response = await run();
    } catch (error) {
      await releaseIdempotencyKey(context.db, userId, key);
      throw error;
    }
    if (response.status >= 500) {
      await releaseIdempotencyKey(context.db, userId, key);
      return response;
    }
    const text = await response.clone().text();
    const replayed: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) replayed[name] = value;
    }
    await completeIdempotencyKey(context.db, userId, key, response.status, text ? (JSON.parse(text) as unknown) : null, replayed);
    return response;
  }
  const deadline = performance.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    const existing = await getIdempotencyKey(context.db, userId, key);
    if (!existing) return problem(409, "IDEMPOTENCY.RETRY", "Conflict", "The first request with this key failed; send it again.");
    if (existing.requestHash !== requestHash) {
      return problem(422, "IDEMPOTENCY.MISMATCH", "Unprocessable content", "This Idempotency-Key was already used with a different request.");
    }
    if (existing.status !== null) {
      const isProblem = existing.status >= 400;
      return new Response(existing.status === 204 ? null : JSON.stringify(existing.responseBody), {
        status: existing.status,
        headers: {
          ...(existing.responseHeaders ?? {}),
          "Content-Type": isProblem ? "application/problem+json" : "application/json",
          "Idempotent-Replayed": "true",
        },
      });
    }
    if (performance.now() > deadline) return problem(409, "IDEMPOTENCY.IN_PROGRESS", "Conflict", "A request with this key is still being processed.");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
