import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { openApiDocument } from "~/api/openapi.server";

export const meta: MetaFunction = () => [{ title: "API reference · Kept" }];

type Operation = { operationId: string; summary: string; parameters?: Array<{ name: string; in: string; required?: boolean; description?: string }>; requestBody?: { content: Record<string, { schema: { $ref?: string } }> }; responses: Record<string, { description?: string; $ref?: string }> };

// A readable reference generated from the same OpenAPI document the API serves.
export function loader() {
  const doc = openApiDocument() as { info: { description: string }; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };
  return {
    description: doc.info.description,
    operations: Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        id: op.operationId,
        summary: op.summary,
        parameters: (op.parameters ?? []).map((p) => ({ name: p.name, in: p.in, required: Boolean(p.required), description: p.description ?? "" })),
        body: op.requestBody ? Object.values(op.requestBody.content)[0]?.schema.$ref?.split("/").pop() ?? null : null,
        responses: Object.entries(op.responses).map(([status, r]) => ({ status, description: r.description ?? (r.$ref ? "problem+json" : "") })),
      })),
    ),
    schemas: Object.entries(doc.components.schemas).map(([name, schema]) => ({ name, json: JSON.stringify(schema, null, 2) })),
  };
}

export default function ApiDocs() {
  const { description, operations, schemas } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>Kept API reference</h1>
      <p className="lead">{description}</p>
      <p>
        Machine-readable contract: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1). Create a token
        under <a href="/account/tokens">API tokens</a>. Every POST accepts an <code>Idempotency-Key</code>; reads send an{" "}
        <code>ETag</code> and updates take <code>If-Match</code>. Lists return <code>{"{ items, next }"}</code>; follow{" "}
        <code>next</code> for the following page.
      </p>
      <h2>Endpoints</h2>
      {operations.map((op) => (
        <section key={op.id} aria-labelledby={`op-${op.id}`} className="api-op">
          <h3 id={`op-${op.id}`}>
            <code>
              {op.method} {op.path}
            </code>
          </h3>
          <p>{op.summary}</p>
          {op.parameters.length ? (
            <ul>
              {op.parameters.map((p) => (
                <li key={`${p.in}-${p.name}`}>
                  <code>{p.name}</code> ({p.in}
                  {p.required ? ", required" : ""}){p.description ? `: ${p.description}` : ""}
                </li>
              ))}
            </ul>
          ) : null}
          {op.body ? (
            <p>
              Body: <a href={`#schema-${op.body}`}>{op.body}</a>
            </p>
          ) : null}
          <p className="muted">Responses: {op.responses.map((r) => r.status).join(", ")}</p>
        </section>
      ))}
      <h2>Schemas</h2>
      {schemas.map((s) => (
        <section key={s.name} aria-labelledby={`schema-${s.name}`}>
          <h3 id={`schema-${s.name}`}>{s.name}</h3>
          {/* Focusable so keyboard users can scroll long lines. */}
          <pre className="code" tabIndex={0} role="region" aria-label={`${s.name} JSON schema`}>
            {s.json}
          </pre>
        </section>
      ))}
    </div>
  );
}
