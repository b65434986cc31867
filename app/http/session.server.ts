// The one session module: a random token in an HttpOnly cookie, its hash in the sessions
// table. Every guard here runs on the server for each loader and action.
import { createCookie, redirect, type AppLoadContext } from "@remix-run/node";
import type { PublicUser } from "~/models/user.server";
import { SESSION_TTL_MS, userForToken } from "~/services/auth.server";
import type { Actor } from "~/domain/result";
import { cookieIsSecure, type Env } from "~/utils/env.server";

const cookies = new Map<boolean, ReturnType<typeof createCookie>>();

function sessionCookie(env: Env) {
  const secure = cookieIsSecure(env);
  let cookie = cookies.get(secure);
  if (!cookie) {
    // Not signed: the value is 256 random bits looked up by hash, so there is nothing to forge.
    cookie = createCookie(secure ? "__Host-kept_session" : "kept_session", {
      httpOnly: true,
      sameSite: "lax",
      secure,
      path: "/",
      maxAge: SESSION_TTL_MS / 1000,
    });
    cookies.set(secure, cookie);
  }
  return cookie;
}

export async function readSessionToken(request: Request, env: Env): Promise<string | null> {
  const value: unknown = await sessionCookie(env).parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

export function commitSessionToken(env: Env, token: string, expiresAt: Date) {
  return sessionCookie(env).serialize(token, { expires: expiresAt });
}

export function clearSessionCookie(env: Env) {
  return sessionCookie(env).serialize("", { maxAge: 0, expires: new Date(0) });
}

export async function getOptionalUser(request: Request, context: AppLoadContext): Promise<PublicUser | null> {
  const token = await readSessionToken(request, context.env);
  if (!token) return null;
  return userForToken(context.db, token, new Date(), context.env.SESSION_IDLE_DAYS * 24 * 60 * 60 * 1000);
}

/** The signed-in user, or a redirect to the login page that comes back here afterwards. */
export async function requireUser(request: Request, context: AppLoadContext): Promise<PublicUser> {
  const user = await getOptionalUser(request, context);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(back === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

export function forbidden(message = "You do not have permission to do that."): Response {
  return new Response(message, { status: 403, statusText: "Forbidden" });
}

/** For pages only admins may open at all (forms that change people and teams post here too). */
export async function requireAdmin(request: Request, context: AppLoadContext): Promise<PublicUser> {
  const user = await requireUser(request, context);
  if (user.role !== "admin") throw forbidden("Only admins can do that.");
  return user;
}

export function actorOf(user: PublicUser): Actor {
  return { id: user.id, role: user.role };
}

const REDIRECT_BASE = "http://kept.invalid";

/**
 * Only a plain path on this site, so a crafted link cannot bounce a fresh sign-in elsewhere.
 * Browsers drop tabs and newlines from URLs and read a backslash as a slash, so a string that merely
 * starts with one slash can still leave the site (`/\t/evil.example`): anything with a
 * control character or backslash is refused, and what remains is parsed as a URL and kept
 * only when it stays on our origin. The answer is the parsed, re-serialised path, so what
 * goes into the Location header is exactly what was checked.
 */
export function safeRedirectPath(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || to.length > 2000 || !to.startsWith("/") || to.startsWith("//")) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, REDIRECT_BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== REDIRECT_BASE || url.username || url.password || url.pathname.startsWith("//")) return fallback;
  return url.pathname + url.search + url.hash;
}
