// Calls the API's route modules directly with real Requests over the test database, and
// checks every response it receives against the OpenAPI document.
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import pino from "pino";
import type { Database } from "../../db/client";
import { loadEnv } from "../../app/utils/env.server";
import { openApiDocument } from "../../app/services/openapi.server";
import * as me from "../../app/routes/api.v1.me";
import * as teams from "../../app/routes/api.v1.teams";
import * as commitments from "../../app/routes/api.v1.commitments";
import * as commitment from "../../app/routes/api.v1.commitments.$id";
import * as checkIns from "../../app/routes/api.v1.commitments.$id.check-ins";
import * as outcome from "../../app/routes/api.v1.commitments.$id.outcome";
import * as revisions from "../../app/routes/api.v1.commitments.$id.revisions";

type Module = { loader?: (args: never) => Promise<Response> | Response; action?: (args: never) => Promise<Response> | Response };

const ROUTES: Array<{ pattern: RegExp; template: string; module: Module }> = [
  { pattern: /^\/api\/v1\/me$/, template: "/api/v1/me", module: me },
  { pattern: /^\/api\/v1\/teams$/, template: "/api/v1/teams", module: teams },
  { pattern: /^\/api\/v1\/commitments$/, template: "/api/v1/commitments", module: commitments },
  { pattern: /^\/api\/v1\/commitments\/(?<id>[^/]+)$/, template: "/api/v1/commitments/{id}", module: commitment },
  { pattern: /^\/api\/v1\/commitments\/(?<id>[^/]+)\/check-ins$/, template: "/api/v1/commitments/{id}/check-ins", module: checkIns },
  { pattern: /^\/api\/v1\/commitments\/(?<id>[^/]+)\/outcome$/, template: "/api/v1/commitments/{id}/outcome", module: outcome },
  { pattern: /^\/api\/v1\/commitments\/(?<id>[^/]+)\/revisions$/, template: "/api/v1/commitments/{id}/revisions", module: revisions },
];

const doc = openApiDocument() as {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }> }>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, { content: Record<string, { schema: unknown }> }> };
};
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: "kept", components: doc.components });

function schemaFor(template: string, method: string, status: number): unknown {
  const op = doc.paths[template]?.[method.toLowerCase()];
  if (!op) throw new Error(`${method} ${template} is not in the OpenAPI document`);
  const response = op.responses[String(status)];
  if (!response) throw new Error(`${method} ${template} answered ${status}, which the OpenAPI document does not list`);
  const resolved = response.$ref ? doc.components.responses[response.$ref.split("/").pop()!] : response;
  const media = resolved?.content ? Object.values(resolved.content)[0] : undefined;
  return media?.schema ?? null;
}

/** Rewrites local "#/components/..." refs so they resolve inside the registered "kept" document. */
function rebase(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"kept#/components/'));
}

export interface ApiResult {
  status: number;
  headers: Headers;
  body: unknown;
}

export function apiClient(db: Database) {
  const env = loadEnv({ NODE_ENV: "test" });
  const logger = pino({ level: "silent" });
  return async function call(
    method: string,
    path: string,
    { token, body, headers = {} }: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ApiResult> {
    const url = new URL(path, "http://kept.test");
    const route = ROUTES.find((r) => r.pattern.test(url.pathname));
    if (!route) throw new Error(`no API route for ${url.pathname}`);
    const params = route.pattern.exec(url.pathname)?.groups ?? {};
    const init: RequestInit = {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
    };
    const request = new Request(url, init);
    const context = { db, env, logger, requestId: "test", cspNonce: "", clientIp: "127.0.0.1" };
    const fn = method === "GET" || method === "HEAD" ? route.module.loader : route.module.action;
    if (!fn) throw new Error(`${method} ${path}: route has no handler`);
    let response: Response;
    try {
      response = await (fn as (a: unknown) => Promise<Response>)({ request, params, context });
    } catch (thrown) {
      if (thrown instanceof Response) response = thrown;
      else throw thrown;
    }
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : null;
    if (response.status !== 304) {
      const schema = schemaFor(route.template, method, response.status);
      if (schema) {
        const validate = ajv.compile(rebase(schema) as object);
        if (!validate(parsed)) {
          throw new Error(`${method} ${path} → ${response.status} does not match the OpenAPI document: ${ajv.errorsText(validate.errors)}\n${text}`);
        }
      }
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
}
