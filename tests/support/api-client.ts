// Calls the API's route modules directly with real Requests over the test database, and
// checks every response it receives against the OpenAPI document.
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import pino from "pino";
import type { Database } from "../../db/client";
import { loadEnv } from "../../app/utils/env.server";
import { openApiDocument } from "../../app/api/openapi.server";
import * as me from "../../app/routes/api.v1.me";
import * as organisation from "../../app/routes/api.v1.organisation";
import * as tokensRoute from "../../app/routes/api.v1.tokens";
import * as tokenRoute from "../../app/routes/api.v1.tokens.$id";
import * as teams from "../../app/routes/api.v1.teams";
import * as commitments from "../../app/routes/api.v1.commitments";
import * as commitment from "../../app/routes/api.v1.commitments.$id";
import * as checkIns from "../../app/routes/api.v1.commitments.$id.check-ins";
import * as outcome from "../../app/routes/api.v1.commitments.$id.outcome";
import * as revisions from "../../app/routes/api.v1.commitments.$id.revisions";
import * as carryForward from "../../app/routes/api.v1.commitments.$id.carry-forward";
import * as people from "../../app/routes/api.v1.people";
import * as person from "../../app/routes/api.v1.people.$id";
import * as personSignInLink from "../../app/routes/api.v1.people.$id.sign-in-link";
import * as team from "../../app/routes/api.v1.teams.$id";
import * as teamMember from "../../app/routes/api.v1.teams.$id.members.$userId";
import * as retrospective from "../../app/routes/api.v1.retrospectives.$scope.$period";
import * as retrospectiveNotes from "../../app/routes/api.v1.retrospectives.$scope.$period.notes";
import * as retrospectiveActionItems from "../../app/routes/api.v1.retrospectives.$scope.$period.action-items";
import * as actionItem from "../../app/routes/api.v1.action-items.$id";
import * as exportDocument from "../../app/routes/api.v1.export";
import * as commitmentImport from "../../app/routes/api.v1.teams.$id.commitments.import";
import * as letters from "../../app/routes/api.v1.letters";
import * as letter from "../../app/routes/api.v1.letters.$id";
import * as letterPublish from "../../app/routes/api.v1.letters.$id.publish";
import * as letterErrata from "../../app/routes/api.v1.letters.$id.errata";
import * as publicLetters from "../../app/routes/api.v1.public.letters";
import * as publicLetter from "../../app/routes/api.v1.public.letters.$year";
import * as publicLedger from "../../app/routes/api.v1.public.ledger";
import * as publicLog from "../../app/routes/api.v1.public.log";
import * as webhooks from "../../app/routes/api.v1.webhooks";
import * as webhook from "../../app/routes/api.v1.webhooks.$id";
import * as webhookRotate from "../../app/routes/api.v1.webhooks.$id.rotate-secret";
import * as webhookDeliveries from "../../app/routes/api.v1.webhooks.$id.deliveries";
import * as webhookRedeliver from "../../app/routes/api.v1.webhooks.$id.deliveries.$deliveryId.redeliver";
import * as webhookSettings from "../../app/routes/api.v1.webhook-settings";

type Module = { loader?: (args: never) => Promise<Response> | Response; action?: (args: never) => Promise<Response> | Response };

export const ROUTES: Array<{ pattern: RegExp; template: string; module: Module }> = [
  { pattern: /^\/api\/v1\/me$/, template: "/api/v1/me", module: me },
  { pattern: /^\/api\/v1\/webhooks$/, template: "/api/v1/webhooks", module: webhooks },
  { pattern: /^\/api\/v1\/webhooks\/(?<id>[^/]+)$/, template: "/api/v1/webhooks/{id}", module: webhook },
  { pattern: /^\/api\/v1\/webhooks\/(?<id>[^/]+)\/rotate-secret$/, template: "/api/v1/webhooks/{id}/rotate-secret", module: webhookRotate },
  { pattern: /^\/api\/v1\/webhooks\/(?<id>[^/]+)\/deliveries$/, template: "/api/v1/webhooks/{id}/deliveries", module: webhookDeliveries },
  {
    pattern: /^\/api\/v1\/webhooks\/(?<id>[^/]+)\/deliveries\/(?<deliveryId>[^/]+)\/redeliver$/,
    template: "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver",
    module: webhookRedeliver,
  },
  { pattern: /^\/api\/v1\/webhook-settings$/, template: "/api/v1/webhook-settings", module: webhookSettings },
  { pattern: /^\/api\/v1\/organisation$/, template: "/api/v1/organisation", module: organisation },
  { pattern: /^\/api\/v1\/tokens$/, template: "/api/v1/tokens", module: tokensRoute },
  { pattern: /^\/api\/v1\/tokens\/(?<id>[^/]+)$/, template: "/api/v1/tokens/{id}", module: tokenRoute },
  { pattern: /^\/api\/v1\/teams$/, template: "/api/v1/teams", module: teams },
  { pattern: /^\/api\/v1\/commitments$/, template: "/api/v1/commitments", module: commitments },
  { pattern: /^\/api\/v1\/commitments\/(?<id>[^/]+)$/, template: "/api/v1/commitments/{id}", module: commitment },
  { pattern: /^\/api\/v1\/commitments\/(?<id>[^/]+)\/check-ins$/, template: "/api/v1/commitments/{id}/check-ins", module: checkIns },
  { pattern: /^\/api\/v1\/commitments\/(?<id>[^/]+)\/outcome$/, template: "/api/v1/commitments/{id}/outcome", module: outcome },
  { pattern: /^\/api\/v1\/commitments\/(?<id>[^/]+)\/revisions$/, template: "/api/v1/commitments/{id}/revisions", module: revisions },
  { pattern: /^\/api\/v1\/commitments\/(?<id>[^/]+)\/carry-forward$/, template: "/api/v1/commitments/{id}/carry-forward", module: carryForward },
  { pattern: /^\/api\/v1\/people$/, template: "/api/v1/people", module: people },
  { pattern: /^\/api\/v1\/people\/(?<id>[^/]+)$/, template: "/api/v1/people/{id}", module: person },
  { pattern: /^\/api\/v1\/people\/(?<id>[^/]+)\/sign-in-link$/, template: "/api/v1/people/{id}/sign-in-link", module: personSignInLink },
  { pattern: /^\/api\/v1\/teams\/(?<id>[^/]+)$/, template: "/api/v1/teams/{id}", module: team },
  { pattern: /^\/api\/v1\/teams\/(?<id>[^/]+)\/members\/(?<userId>[^/]+)$/, template: "/api/v1/teams/{id}/members/{userId}", module: teamMember },
  { pattern: /^\/api\/v1\/retrospectives\/(?<scope>[^/]+)\/(?<period>[^/]+)$/, template: "/api/v1/retrospectives/{scope}/{period}", module: retrospective },
  { pattern: /^\/api\/v1\/retrospectives\/(?<scope>[^/]+)\/(?<period>[^/]+)\/notes$/, template: "/api/v1/retrospectives/{scope}/{period}/notes", module: retrospectiveNotes },
  { pattern: /^\/api\/v1\/retrospectives\/(?<scope>[^/]+)\/(?<period>[^/]+)\/action-items$/, template: "/api/v1/retrospectives/{scope}/{period}/action-items", module: retrospectiveActionItems },
  { pattern: /^\/api\/v1\/action-items\/(?<id>[^/]+)$/, template: "/api/v1/action-items/{id}", module: actionItem },
  { pattern: /^\/api\/v1\/export$/, template: "/api/v1/export", module: exportDocument },
  { pattern: /^\/api\/v1\/teams\/(?<id>[^/]+)\/commitments\/import$/, template: "/api/v1/teams/{id}/commitments/import", module: commitmentImport },
  { pattern: /^\/api\/v1\/letters$/, template: "/api/v1/letters", module: letters },
  { pattern: /^\/api\/v1\/letters\/(?<id>[^/]+)$/, template: "/api/v1/letters/{id}", module: letter },
  { pattern: /^\/api\/v1\/letters\/(?<id>[^/]+)\/publish$/, template: "/api/v1/letters/{id}/publish", module: letterPublish },
  { pattern: /^\/api\/v1\/letters\/(?<id>[^/]+)\/errata$/, template: "/api/v1/letters/{id}/errata", module: letterErrata },
  { pattern: /^\/api\/v1\/public\/letters$/, template: "/api/v1/public/letters", module: publicLetters },
  { pattern: /^\/api\/v1\/public\/letters\/(?<year>[^/]+)$/, template: "/api/v1/public/letters/{year}", module: publicLetter },
  { pattern: /^\/api\/v1\/public\/ledger$/, template: "/api/v1/public/ledger", module: publicLedger },
  { pattern: /^\/api\/v1\/public\/log$/, template: "/api/v1/public/log", module: publicLog },
];

const doc = openApiDocument() as {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }> }>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, { content: Record<string, { schema: unknown }> }> };
};
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: "kept", components: doc.components });

export function schemaFor(template: string, method: string, status: number): unknown {
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

/** Validates a body against a schema from the document; null when it matches, else the errors. */
export function documentErrors(schema: unknown, body: unknown): string | null {
  const validate = ajv.compile(rebase(schema) as object);
  return validate(body) ? null : ajv.errorsText(validate.errors);
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
