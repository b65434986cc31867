#!/usr/bin/env node
// An outside developer's client of Kept's API: it knows nothing but the OpenAPI document the
// server publishes and the global fetch. It commits, checks in, records a delivered outcome
// with evidence, reads the commitment back and prints a short summary.
//
//   KEPT_URL=http://localhost:3000 KEPT_TOKEN=kept_… \
//     node scripts/api-client-example.mjs --team <team id or slug> [options]
//
// Options (all optional but --team):
//   --period <label>      the commitment's period, e.g. FY2027-Q3. Default: FY<next year>.
//   --due <YYYY-MM-DD>    its due date. Default: 15 January of next year, which lies inside
//                         FY<next year> whichever month the organisation's fiscal year starts
//                         in (fiscal years are named by the calendar year they end in).
//   --audience <public|internal>   default internal.
//   --evidence <url>      the evidence of delivery. Default: https://example.com/release-notes
//
// The token must be read-write and belong to an editor of the team (or an admin), who becomes
// the commitment's owner. The check-in and the outcome are dated yesterday (UTC), so they are
// never in the future wherever the organisation's calendar is. Any non-2xx answer ends the
// script with exit code 1 and the problem+json `detail` on stderr; so does a request body that
// lacks a property the document now says is required, which is how a contract change would
// first show up here.
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";

class ClientError extends Error {}

function fail(message) {
  throw new ClientError(message);
}

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

function options() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        team: { type: "string" },
        period: { type: "string" },
        due: { type: "string" },
        audience: { type: "string", default: "internal" },
        evidence: { type: "string", default: "https://example.com/release-notes" },
      },
    }));
  } catch (error) {
    fail(error.message);
  }
  const base = process.env.KEPT_URL;
  const token = process.env.KEPT_TOKEN;
  if (!base || !token || !values.team) {
    fail("Usage: KEPT_URL=http://localhost:3000 KEPT_TOKEN=kept_… node scripts/api-client-example.mjs --team <team id or slug> [--period FY2027-Q3] [--due 2027-02-15]");
  }
  const nextYear = new Date().getUTCFullYear() + 1;
  return {
    base: base.replace(/\/+$/, ""),
    token,
    team: values.team,
    period: values.period ?? `FY${nextYear}`,
    due: values.due ?? `${nextYear}-01-15`,
    audience: values.audience,
    evidence: values.evidence,
  };
}

// ---- the contract --------------------------------------------------------------------------

async function loadDocument(base) {
  let res;
  try {
    res = await fetch(`${base}/api/v1/openapi.json`, { headers: { Accept: "application/json" } });
  } catch (error) {
    fail(`Cannot reach ${base}: ${error.cause?.message ?? error.message}`);
  }
  if (!res.ok) fail(`GET /api/v1/openapi.json answered ${res.status}; is ${base} a Kept server?`);
  const doc = await res.json();
  if (typeof doc.openapi !== "string" || !doc.paths) fail("/api/v1/openapi.json is not an OpenAPI document.");
  return doc;
}

/** Follows a local "#/components/…" reference (and references to references). */
function resolve(doc, node) {
  let current = node;
  for (let hops = 0; current && typeof current.$ref === "string"; hops++) {
    if (hops > 20 || !current.$ref.startsWith("#/")) fail(`Cannot follow the reference ${current.$ref}.`);
    current = current.$ref
      .slice(2)
      .split("/")
      .reduce((at, key) => at?.[key.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
    if (current === undefined) fail(`The document has no ${node.$ref}.`);
  }
  return current;
}

function findOperation(doc, operationId) {
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const method of ["get", "put", "post", "patch", "delete"]) {
      const op = item[method];
      if (op?.operationId === operationId) {
        const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => resolve(doc, p));
        return { template, method: method.toUpperCase(), op, parameters };
      }
    }
  }
  return fail(`The API no longer documents an operation "${operationId}".`);
}

/**
 * The problems of `value` against `schema`: missing required properties and values outside an
 * enum or const, through objects, arrays and oneOf/anyOf/allOf. Deliberately small: enough to
 * notice that the contract changed before the server has to say so.
 */
function contractProblems(doc, schema, value, where) {
  const s = resolve(doc, schema);
  if (!s || typeof s !== "object") return [];
  const problems = [];
  for (const part of s.allOf ?? []) problems.push(...contractProblems(doc, part, value, where));
  const alternatives = s.oneOf ?? s.anyOf;
  if (alternatives) {
    const results = alternatives.map((alt) => contractProblems(doc, alt, value, where));
    if (!results.some((r) => r.length === 0)) problems.push(...results.reduce((a, b) => (b.length < a.length ? b : a)));
  }
  if (value === undefined) return problems;
  if ("const" in s && value !== s.const) problems.push(`${where} must be ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.includes(value)) problems.push(`${where} must be one of ${s.enum.join(", ")}`);
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const name of s.required ?? []) if (!(name in value)) problems.push(`${where}.${name} is required`);
    for (const [name, sub] of Object.entries(s.properties ?? {})) {
      if (name in value) problems.push(...contractProblems(doc, sub, value[name], `${where}.${name}`));
    }
  }
  if (Array.isArray(value) && s.items) value.forEach((item, i) => problems.push(...contractProblems(doc, s.items, item, `${where}[${i}]`)));
  return problems;
}

// ---- calling it ----------------------------------------------------------------------------

function client(doc, { base, token }) {
  return async function call(operationId, { path = {}, body, etag } = {}) {
    const { template, method, op, parameters } = findOperation(doc, operationId);
    const url = template.replace(/\{([^}]+)\}/g, (_, name) => {
      if (path[name] === undefined) fail(`${operationId} needs the path parameter "${name}".`);
      return encodeURIComponent(String(path[name]));
    });
    for (const p of parameters) {
      if (p.in === "path" && p.required && path[p.name] === undefined) fail(`${operationId} needs the path parameter "${p.name}".`);
    }
    const headers = { Accept: "application/json", Authorization: `Bearer ${token}` };
    const declares = (name) => parameters.some((p) => p.in === "header" && p.name.toLowerCase() === name.toLowerCase());
    if (method === "POST" && declares("Idempotency-Key")) headers["Idempotency-Key"] = randomUUID();
    if (declares("If-Match")) {
      const required = parameters.find((p) => p.name.toLowerCase() === "if-match").required;
      if (etag) headers["If-Match"] = etag;
      else if (required) fail(`${operationId} requires If-Match, and there is no ETag to send.`);
    }
    if (op.requestBody) {
      const requestBody = resolve(doc, op.requestBody);
      const media = requestBody.content?.["application/json"];
      if (!media) fail(`${operationId} no longer takes a JSON body.`);
      if (body === undefined && requestBody.required) fail(`${operationId} requires a body.`);
      const problems = contractProblems(doc, media.schema, body, "body");
      if (problems.length) fail(`The ${operationId} body no longer matches the API's contract: ${problems.join("; ")}.`);
      headers["Content-Type"] = "application/json";
    }
    const res = await fetch(base + url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (a proxy's error page, say): reported below with the status.
    }
    if (!res.ok) {
      const why = data?.detail ?? data?.title ?? (text.slice(0, 200) || res.statusText);
      const fields = Array.isArray(data?.fields) ? ` (${data.fields.map((f) => `${f.name}: ${f.message}`).join("; ")})` : "";
      fail(`${operationId} (${method} ${url}) answered ${res.status}${data?.code ? ` ${data.code}` : ""}: ${why}${fields}`);
    }
    if (!(String(res.status) in op.responses)) fail(`${operationId} answered ${res.status}, which the document does not list.`);
    return { status: res.status, etag: res.headers.get("ETag"), body: data };
  };
}

// ---- the walk-through ----------------------------------------------------------------------

async function main() {
  const opts = options();
  const doc = await loadDocument(opts.base);
  const call = client(doc, opts);

  const teams = await call("listTeams");
  const team = teams.body.items.find((t) => t.id === opts.team || t.slug === opts.team);
  if (!team) fail(`There is no team "${opts.team}"; the teams are: ${teams.body.items.map((t) => t.slug).join(", ") || "(none)"}.`);

  // The token's own user owns it: a commitment with an owner is the sharper promise.
  const me = (await call("getMe")).body;
  const yesterday = isoDay(new Date(new Date().getTime() - 86_400_000));
  const created = await call("createCommitment", {
    body: {
      statement: "Cut the p95 latency of checkout to 300 ms or less for every EU customer",
      measure: { kind: "metric", name: "p95 checkout latency", baseline: 900, comparator: "lte", target: 300, unit: "ms" },
      evidenceSource: "The checkout SLO dashboard",
      dueDate: opts.due,
      periodLabel: opts.period,
      teamId: team.id,
      ownerId: me.id,
      audience: opts.audience,
      tags: ["api-example"],
    },
  });
  const id = created.body.id;

  await call("addCheckIn", {
    path: { id },
    body: { date: yesterday, forecast: "on_track", probability: 80, progressValue: 420, note: "Caching landed; two services to go." },
  });

  // A check-in may have moved the commitment on: send the version we read just now.
  const current = await call("getCommitment", { path: { id } });
  await call("recordOutcome", {
    path: { id },
    etag: current.etag,
    body: { status: "delivered", resolvedAt: yesterday, actualValue: 280, evidenceUrl: opts.evidence },
  });

  const final = (await call("getCommitment", { path: { id } })).body;
  const checkIns = (await call("listCheckIns", { path: { id } })).body.items;
  const outcome = final.outcome;
  console.log(
    [
      `Committed ${final.id} for ${team.name} (${final.periodLabel}, due ${final.dueDate}, falsifiability ${final.falsifiabilityScore}/100):`,
      `  "${final.statement}"`,
      `Check-ins: ${checkIns.length} (latest ${checkIns[0]?.forecast ?? "none"}, ${checkIns[0]?.probability ?? "–"}%).`,
      `Outcome: ${final.status}${outcome ? ` on ${outcome.resolvedAt}, actual ${outcome.actualValue} against a target of ${final.measure.target}; evidence ${outcome.evidenceUrl}` : ""}.`,
    ].join("\n"),
  );
}

main().catch((error) => {
  console.error(error instanceof ClientError ? error.message : error);
  process.exit(1);
});
