// Building blocks of the OpenAPI document, shared by the files that describe each area's paths.
import { IF_MATCH_OPTIONAL, IF_MATCH_REQUIRED, IF_MATCH_RULE } from "./preconditions.server";
import { IDEMPOTENCY_KEY_PATTERN } from "~/api/handler.server";

export type Json = Record<string, unknown>;

export const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
export const jsonBody = (id: string) => ({ required: true, content: { "application/json": { schema: ref(id) } } });
export const jsonResponse = (description: string, schema: Json, headers?: Json) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { "application/json": { schema } },
});
export const problems = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [String(s), { $ref: `#/components/responses/Problem${s}` }]),
  );
export const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
export const idempotencyParam = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description: "Retrying with the same key and body returns the first response and creates nothing new; the same key with another body is 422.",
  schema: { type: "string", minLength: 8, maxLength: 200, pattern: IDEMPOTENCY_KEY_PATTERN },
};
export const ifMatchParam = (required: boolean) => ({
  name: "If-Match",
  in: "header",
  required,
  description: IF_MATCH_RULE + (required ? IF_MATCH_REQUIRED : IF_MATCH_OPTIONAL),
  schema: { type: "string" },
});
export const listOf = (id: string) => ({
  type: "object",
  required: ["items", "next"],
  properties: { items: { type: "array", items: ref(id) }, next: { type: ["string", "null"], description: "Path of the next page, or null." } },
});

