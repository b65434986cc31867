// Calls route loaders and actions directly with real Requests, as Remix would, so a route
// that forgets its check fails in a test without a browser.
import pino from "pino";
import type { Database } from "../../db/client";
import { login } from "~/services/auth.server";
import { commitSessionToken } from "~/http/session.server";
import { loadEnv, type Env } from "~/utils/env.server";
import { DEFAULT_PASSWORD } from "../factories";

export interface RouteReply {
  status: number;
  headers: Headers;
  data: unknown;
}

type DataFunction = (args: never) => unknown;

export function routeContext(db: Database, env: Env = loadEnv({ NODE_ENV: "test" })) {
  return { db, env, logger: pino({ level: "silent" }), requestId: "test", cspNonce: "", clientIp: "127.0.0.1" };
}

export async function signIn(db: Database, email: string): Promise<string> {
  const env = loadEnv({ NODE_ENV: "test" });
  const session = await login(db, { email, password: DEFAULT_PASSWORD, ip: "192.0.2.1", userAgent: "vitest", previousToken: null });
  if (!session.ok) throw new Error(session.error.message);
  return (await commitSessionToken(env, session.value.token, session.value.expiresAt)).split(";")[0]!;
}

export async function callRoute(
  db: Database,
  fn: DataFunction | undefined,
  path: string,
  options: { cookie?: string; form?: Record<string, string>; params?: Record<string, string>; env?: Env; body?: string; headers?: Record<string, string> } = {},
): Promise<RouteReply> {
  if (!fn) throw new Error(`no data function for ${path}`);
  const headers = new Headers(options.headers);
  if (options.cookie) headers.set("Cookie", options.cookie);
  const init: RequestInit = { headers };
  if (options.form) {
    init.method = "POST";
    init.body = new URLSearchParams(options.form);
  } else if (options.body !== undefined) {
    init.method = "POST";
    init.body = options.body;
  }
  const request = new Request(`http://kept.test${path}`, init);
  try {
    const result = await (fn as (args: unknown) => Promise<unknown>)({ request, params: options.params ?? {}, context: routeContext(db, options.env) });
    if (result instanceof Response) return { status: result.status, headers: result.headers, data: await result.text() };
    const wrapped = result as { type?: string; data?: unknown; init?: ResponseInit | null } | undefined;
    if (wrapped && wrapped.type === "DataWithResponseInit") {
      return { status: wrapped.init?.status ?? 200, headers: new Headers(wrapped.init?.headers), data: wrapped.data };
    }
    return { status: 200, headers: new Headers(), data: result };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, headers: thrown.headers, data: await thrown.text() };
    throw thrown;
  }
}
