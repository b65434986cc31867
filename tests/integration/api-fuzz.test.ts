// A fuzz suite generated from the OpenAPI document with fast-check: for every operation,
// requests whose path, query, headers and body are drawn from the document's own schemas
// (valid values) mixed with hostile ones (NUL bytes, malformed ids, dates and cursors, wrong
// content types, junk JSON). Every request goes through the same guard the server puts around
// every route (server/http.ts). Zero 5xx; every answer is one the document lists, with a body
// valid against it; and the whole run's logs carry no hash, token, cookie or password.
import type { ServerBuild } from "@remix-run/node";
import fc from "fast-check";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { rateLimits } from "../../db/schema";
import { guardDataFunctions } from "../../server/http";
import { createLogger } from "../../server/logging";
import { openApiDocument } from "~/api/openapi.server";
import { encodeCursor } from "~/utils/cursor";
import { loadEnv } from "~/utils/env.server";
import { DEFAULT_PASSWORD } from "../factories";
import { testDatabase } from "../setup/db";
import { world } from "../support/world";
import { ROUTES, documentErrors, schemaFor } from "../support/api-client";

/** 10,000 requests in all in CI (about 40 ms each on PGlite here); 1,000 locally; FUZZ_REQUESTS sets it. */
const TOTAL = Number(process.env.FUZZ_REQUESTS ?? (process.env.CI ? 10_000 : 1_000));

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

const doc = openApiDocument() as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};
const METHODS = ["get", "put", "post", "patch", "delete"];
const operations = Object.entries(doc.paths).flatMap(([template, item]) =>
  METHODS.filter((m) => item[m]).map((m) => ({ template, method: m.toUpperCase(), op: item[m]! })),
);

// Hostile strings: the shapes that used to reach the database or the URL parser.
const NASTY = fc.constantFrom(
  "\u0000",
  "a\u0000b",
  "%",
  "%zz",
  "%E0%A4%A",
  "../../etc/passwd",
  "' or 1=1 --",
  "00000000-0000-0000-0000-00000000000g",
  "2026-02-30",
  "9999-99-99",
  "-1",
  "1e309",
  "🙂".repeat(50),
  "x".repeat(5000),
  encodeCursor({ id: "not-a-uuid", name: "x" }),
  encodeCursor({ id: "00000000-0000-4000-8000-000000000000", dueDate: "not-a-date", createdAt: "nope" }),
  Buffer.from("{not json").toString("base64url"),
  "",
);
const junk: fc.Arbitrary<unknown> = fc.oneof(NASTY, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));

function resolve(schema: Schema): Schema {
  const ref = schema.$ref;
  return typeof ref === "string" ? resolve(doc.components.schemas[ref.split("/").pop()!]!) : schema;
}

/** An arbitrary for values valid by `schema` (a JSON Schema subset: what zod emits). */
function fromSchema(input: Schema, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(input);
  if (depth > 4) return fc.constant(null);
  if ("const" in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  for (const key of ["anyOf", "oneOf"] as const) {
    if (Array.isArray(schema[key])) return fc.oneof(...(schema[key] as Schema[]).map((s) => fromSchema(s, depth + 1)));
  }
  if (Array.isArray(schema.allOf)) return fromSchema((schema.allOf as Schema[])[0]!, depth + 1);
  const type = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  if (type.length > 1) return fc.oneof(...type.map((t) => fromSchema({ ...schema, type: t }, depth)));
  switch (type[0]) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
    case "number": {
      const min = typeof schema.minimum === "number" ? schema.minimum : typeof schema.exclusiveMinimum === "number" ? schema.exclusiveMinimum + 1 : -1000;
      const max = typeof schema.maximum === "number" ? schema.maximum : typeof schema.exclusiveMaximum === "number" ? schema.exclusiveMaximum - 1 : 100_000;
      return type[0] === "integer" ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case "array": {
      const items = schema.items ? fromSchema(schema.items as Schema, depth + 1) : junk;
      return fc.array(items, { minLength: (schema.minItems as number) ?? 0, maxLength: Math.min((schema.maxItems as number) ?? 3, 3) });
    }
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set((schema.required ?? []) as string[]);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, prop] of Object.entries(properties)) record[name] = fromSchema(prop, depth + 1);
      const keys = Object.keys(record).filter((k) => required.has(k));
      return fc.record(record, { requiredKeys: keys });
    }
    case "string":
    default:
      return stringFor(schema);
  }
}

function stringFor(schema: Schema): fc.Arbitrary<string> {
  const minLength = (schema.minLength as number) ?? 0;
  const maxLength = Math.min((schema.maxLength as number) ?? 40, 200);
  if (schema.format === "uuid") return fc.uuid();
  if (schema.format === "date") return fc.date({ min: new Date("2020-01-01"), max: new Date("2032-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (schema.format === "date-time") return fc.date({ min: new Date("2020-01-01"), max: new Date("2032-12-31"), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === "email") return fc.emailAddress();
  if (typeof schema.pattern === "string") {
    return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= minLength && s.length <= Math.max(maxLength, minLength));
  }
  return fc.string({ minLength, maxLength: Math.max(maxLength, minLength) });
}

/** Mostly valid, sometimes hostile. */
const valueFor = (schema: Schema | undefined) => (schema ? fc.oneof({ arbitrary: fromSchema(schema), weight: 4 }, { arbitrary: junk, weight: 1 }) : junk);

function toText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value) ?? "";
}

describe("fuzzing the API from its OpenAPI document", () => {
  it(`answers ${TOTAL} generated requests across every operation without a 5xx, each as the document says`, { timeout: 900_000 }, async () => {
    const { db } = await testDatabase();
    const w = await world(db, {
      teams: { team: { slug: "payments" } },
      people: {
        admin: { role: "admin", email: "fuzz-admin@example.com" },
        member: { role: "member", email: "fuzz-member@example.com", teams: { team: "editor" } },
      },
    });
    const { admin, member } = w.people;
    const { team } = w.teams;
    const commitment = await w.commit(w.actors.admin, team);
    const tokens = [await w.token(admin, "write", "fuzz admin"), await w.token(member, "write", "fuzz member")];

    // Every log line of the run, in the server's own format and redaction.
    const lines: string[] = [];
    const logger = createLogger("debug", new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }));
    const env = loadEnv({ NODE_ENV: "test" });
    const build = guardDataFunctions({
      routes: Object.fromEntries(ROUTES.map((r) => [`routes/api.v1${r.template}`, { id: `routes/api.v1${r.template}`, path: r.template, module: r.module }])),
    } as unknown as ServerBuild);
    const guarded = new Map(ROUTES.map((r) => [r.template, build.routes[`routes/api.v1${r.template}`]!.module as typeof r.module]));

    const ids = [admin.id, member.id, team.id, commitment.id, "00000000-0000-4000-8000-000000000000"];
    const failures: string[] = [];
    let sent = 0;
    const statuses = new Map<number, number>();
    const started = performance.now();
    const perOperation = Math.ceil(TOTAL / operations.length);

    for (const { template, method, op } of operations) {
      const route = ROUTES.find((r) => r.template === template)!;
      const params = op.parameters ?? [];
      const bodySchema = op.requestBody?.content["application/json"]?.schema;
      const requestArb = fc.record({
        path: fc.record(Object.fromEntries(params.filter((p) => p.in === "path").map((p) => [p.name, fc.oneof({ arbitrary: fc.constantFrom(...ids, "payments", "organisation", "FY2026", "2026", "FY2026-Q1", "H1-FY2026"), weight: 3 }, { arbitrary: valueFor(p.schema).map(toText), weight: 2 })]))),
        query: fc.record(Object.fromEntries(params.filter((p) => p.in === "query").map((p) => [p.name, valueFor(p.schema).map(toText)])), { requiredKeys: [] }),
        // eslint-disable-next-line no-control-regex -- header values cannot carry control characters
        headers: fc.record(Object.fromEntries(params.filter((p) => p.in === "header").map((p) => [p.name, valueFor(p.schema).map(toText).map((s) => s.replace(/[\u0000-\u001f\u007f-\uffff]/g, ""))])), { requiredKeys: [] }),
        body: bodySchema ? valueFor(bodySchema) : fc.constant(undefined),
        contentType: fc.constantFrom("application/json", "application/json", "application/json", "text/plain", "application/x-www-form-urlencoded", ""),
        token: fc.constantFrom(...tokens, tokens[0]!, "kept_aaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", ""),
      });

      await fc.assert(
        fc.asyncProperty(requestArb, async (req) => {
          sent++;
          // The per-token limit would turn most of the run into 429s; start each minute afresh.
          if (sent % 400 === 0) await db.delete(rateLimits);
          let pathname = template;
          for (const [name, value] of Object.entries(req.path)) pathname = pathname.replace(`{${name}}`, encodeURIComponent(String(value)));
          const url = new URL(pathname, "http://kept.test");
          for (const [name, value] of Object.entries(req.query)) url.searchParams.set(name, String(value));
          const headers: Record<string, string> = { ...(req.headers as Record<string, string>) };
          if (req.token) headers.Authorization = `Bearer ${req.token}`;
          if (req.contentType && req.body !== undefined) headers["Content-Type"] = req.contentType;
          const request = new Request(url, {
            method,
            headers,
            ...(req.body !== undefined && method !== "GET" ? { body: toText(req.body) } : {}),
          });
          const module = guarded.get(template)!;
          const fn = method === "GET" ? module.loader : module.action;
          const context = { db, env, logger, requestId: `fuzz-${sent}`, cspNonce: "", clientIp: "127.0.0.1" };
          let response: Response;
          try {
            response = await (fn as (a: unknown) => Promise<Response>)({ request, params: req.path, context });
          } catch (thrown) {
            if (!(thrown instanceof Response)) {
              failures.push(`${method} ${url.pathname}${url.search}: threw ${String(thrown)}`);
              return;
            }
            response = thrown;
          }
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          const text = await response.text();
          const where = `${method} ${template} (${url.pathname}${url.search}) body=${toText(req.body).slice(0, 200)}`;
          if (response.status >= 500) {
            failures.push(`${where} → ${response.status}: ${text.slice(0, 300)}`);
            return;
          }
          if (response.status === 304) return;
          let schema: unknown;
          try {
            schema = schemaFor(template, method, response.status);
          } catch (error) {
            failures.push(`${where} → ${String(error)}`);
            return;
          }
          if (response.status >= 400 && !/^application\/problem\+json/.test(response.headers.get("Content-Type") ?? "")) {
            failures.push(`${where} → ${response.status} is not problem+json`);
            return;
          }
          if (schema && text) {
            const errors = documentErrors(schema, JSON.parse(text));
            if (errors) failures.push(`${where} → ${response.status} does not match the document: ${errors}\n${text.slice(0, 300)}`);
          }
          void route;
        }),
        { numRuns: perOperation, seed: Number(process.env.FUZZ_SEED ?? 20261129), endOnFailure: true },
      );
    }

    console.info(`fuzzed ${sent} requests in ${Math.round(performance.now() - started)} ms:`, Object.fromEntries(statuses));
    expect(sent).toBeGreaterThanOrEqual(TOTAL);
    // Not a run of refusals only: the generated requests reach the handlers and succeed too.
    const ok = [...statuses].filter(([s]) => s < 300).reduce((n, [, c]) => n + c, 0);
    expect(ok).toBeGreaterThan(sent / 20);
    expect(failures.slice(0, 20)).toEqual([]);

    // The logs of the whole run: no password hash, token, session cookie or password.
    const log = lines.join("");
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toMatch(/\$argon2/);
    expect(log).not.toMatch(/kept_[a-z0-9]{10}_[A-Za-z0-9_-]{20,}/);
    expect(log).not.toMatch(/kept_session=/);
    expect(log).not.toContain(DEFAULT_PASSWORD);
    // The secret is base64url, which may itself hold "_": cut the known prefix, never split.
    for (const token of tokens) {
      const secret = token.replace(/^kept_[a-z0-9]{10}_/, "");
      expect(secret).toHaveLength(43);
      expect(log).not.toContain(secret);
    }
  });
});
