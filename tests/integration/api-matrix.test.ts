// Who may call what, for every operation the OpenAPI document lists: derived from the document
// itself, so a new endpoint is covered the day it is documented, and (through the route files)
// cannot exist without being documented.
import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "~/api/openapi.server";
import { createToken } from "~/services/api-tokens.server";
import { makeOrganisation, makeUser } from "../factories";
import { testDatabase } from "../setup/db";
import { apiClient } from "../support/api-client";
import { ROOT } from "../support/server-process";

interface Parameter {
  name: string;
  in: string;
  schema?: { format?: string; pattern?: string };
}
interface Operation {
  operationId: string;
  security?: unknown[];
  parameters?: Parameter[];
}

const HTTP_METHODS = ["get", "put", "post", "patch", "delete"] as const;
const doc = openApiDocument() as { security?: unknown[]; paths: Record<string, Partial<Record<(typeof HTTP_METHODS)[number], Operation>>> };

const operations = Object.entries(doc.paths).flatMap(([template, item]) =>
  HTTP_METHODS.flatMap((method) => {
    const op = item[method];
    return op ? [{ name: `${op.operationId}: ${method.toUpperCase()} ${template}`, template, method: method.toUpperCase(), op }] : [];
  }),
);
type Entry = (typeof operations)[number];
// Named rows, so each operation is its own test case under its full name (vitest shortens $name).
const named = (entries: Entry[]) => entries.map((e) => [e.name, e] as const);

// An operation's own `security` overrides the document's; `[]` means "no token needed".
const isPublic = (op: Operation) => Array.isArray(op.security ?? doc.security) && (op.security ?? doc.security)!.length === 0;
const secured = operations.filter((o) => !isPublic(o.op));
const open = operations.filter((o) => isPublic(o.op));
const writes = secured.filter((o) => o.method !== "GET");
const reads = secured.filter((o) => o.method === "GET");

/** A syntactically valid value for each path parameter; an unknown one fails loudly so it gets one. */
function valueFor(param: Parameter): string {
  if (param.schema?.format === "uuid") return randomUUID();
  if (param.name === "scope") return "org";
  if (param.name === "period") return "FY2026-Q1";
  if (param.name === "year") return "2026";
  throw new Error(`No sample value for path parameter "${param.name}": teach api-matrix.test.ts one.`);
}

function concretePath(entry: Entry): string {
  const byName = new Map((entry.op.parameters ?? []).filter((p) => p.in === "path").map((p) => [p.name, p]));
  return entry.template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const param = byName.get(name);
    if (!param) throw new Error(`${entry.name}: path parameter {${name}} is not declared in parameters`);
    return encodeURIComponent(valueFor(param));
  });
}

async function world() {
  const { db } = await testDatabase();
  await makeOrganisation(db, { fiscalYearStartMonth: 1, timeZone: "UTC" });
  const admin = await makeUser(db, { role: "admin" });
  const created = await createToken(db, { id: admin.id, role: admin.role }, { name: "read only", scope: "read", expiresAt: null }, new Date());
  if (!created.ok) throw new Error(created.error.message);
  return { readToken: created.value.token, call: apiClient(db) };
}

describe("the authorization matrix of every documented operation", () => {
  it("covers at least the operations we know of", () => {
    // Guards the derivation itself: an empty list would make every test below pass vacuously.
    expect(secured.length).toBeGreaterThanOrEqual(30);
    expect(open.map((o) => o.op.operationId).sort()).toEqual(["getPublicLedger", "getPublicLetter", "getPublicLog", "listPublicLetters"]);
  });

  describe.each(named(secured))("%s", (_, entry) => {
    it("answers 401 problem+json with a code without a token", async () => {
      const { call } = await world();
      const res = await call(entry.method, concretePath(entry), entry.method === "GET" ? {} : { body: {} });
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body).toMatchObject({ status: 401, code: "AUTH.REQUIRED" });
      expect(res.headers.get("www-authenticate")).toContain("Bearer");
    });
  });

  describe.each(named(writes))("%s", (_, entry) => {
    it("refuses an admin's read-only token with 403 before looking at the body", async () => {
      const { call, readToken } = await world();
      const res = await call(entry.method, concretePath(entry), { token: readToken, body: {} });
      expect(res.status).toBe(403);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body).toMatchObject({ status: 403, code: "TOKEN.READ_ONLY" });
    });
  });

  describe.each(named(reads))("%s", (_, entry) => {
    it("lets an admin's read-only token through (whatever the answer, it is not 401 or 403)", async () => {
      const { call, readToken } = await world();
      const res = await call(entry.method, concretePath(entry), { token: readToken });
      expect([401, 403]).not.toContain(res.status);
      expect(res.status).toBeLessThan(500);
    });
  });

  describe.each(named(open))("%s", (_, entry) => {
    it("answers without a token", async () => {
      const { call } = await world();
      const res = await call(entry.method, concretePath(entry));
      expect(res.status).not.toBe(401);
      expect(res.status).toBeLessThan(500);
    });
  });
});

describe("no endpoint exists undocumented", () => {
  const documented = Object.keys(doc.paths).sort();

  it.each(documented)("%s is routable by the test client", async (template) => {
    const { call } = await world();
    const entry = operations.find((o) => o.template === template)!;
    // The client throws "no API route for …" for a path it cannot match.
    await expect(call(entry.method, concretePath(entry), entry.method === "GET" ? {} : { body: {} })).resolves.toHaveProperty("status");
  });

  it("documents every app/routes/api.v1.* module, and documents nothing that has none", () => {
    const files = readdirSync(path.join(ROOT, "app/routes")).filter((f) => /^api\.v1\..+\.tsx?$/.test(f));
    const NOT_ENDPOINTS = new Set(["api.v1.$.ts", "api.v1.openapi[.json].ts"]);
    const fromFiles = files
      .filter((f) => !NOT_ENDPOINTS.has(f))
      .map((f) => {
        // Remix flat routes: dots are slashes, $name is a parameter, [x] escapes x.
        const segments = f.replace(/\.tsx?$/, "").split(".");
        return "/" + segments.map((s) => (s.startsWith("$") ? `{${s.slice(1)}}` : s.replace(/\[|\]/g, ""))).join("/");
      })
      .sort();
    expect(fromFiles.length).toBeGreaterThan(0);
    expect(fromFiles).toEqual(documented);
  });
});
