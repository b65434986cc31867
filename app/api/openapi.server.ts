// The OpenAPI 3.1 document, generated from the zod schemas that validate requests (and
// describe responses), never written by hand.
import { z } from "zod";
import "~/api/schemas/core";
import "~/api/schemas/org";
import "~/api/schemas/letters";
import "~/schemas/api-data";
import "~/schemas/webhooks";
import { ListQuerySchema } from "~/api/schemas/query";
import { idempotencyParam, idParam, ifMatchParam, jsonBody, jsonResponse, listOf, problems, ref, type Json } from "./openapi-parts.server";
import { orgPaths } from "./openapi-org.server";
import { letterPaths } from "./openapi-letters.server";
import { dataPaths } from "./openapi-data.server";
import { webhookPaths, webhooksSection } from "./openapi-webhooks.server";


let cached: Json | undefined;

function components(): Record<string, Json> {
  const out = z.toJSONSchema(z.globalRegistry, {
    uri: (id) => `#/components/schemas/${id}`,
    io: "input",
    unrepresentable: "any",
  });
  return Object.fromEntries(
    Object.entries(out.schemas).map(([id, schema]) => {
      const { $schema: _s, $id: _i, ...rest } = schema as Json;
      return [id, rest];
    }),
  );
}

export function openApiDocument(): Json {
  if (cached) return cached;
  const query = z.toJSONSchema(ListQuerySchema, { io: "input", unrepresentable: "any" }) as { properties: Record<string, Json> };
  const listParams = Object.entries(query.properties).map(([name, schema]) => ({ name, in: "query", required: false, schema }));
  const problemStatuses = [400, 401, 403, 404, 409, 412, 415, 422, 428, 429];
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Kept API",
      version: "1.0.0",
      description:
        "Everything a person can do in Kept, for programs. Authenticate with a personal access token: `Authorization: Bearer kept_…`. Errors are RFC 9457 problem+json with a stable `code` and, for validation, the failing `fields`.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "A personal access token created under Account → API tokens." } },
      schemas: components(),
      responses: Object.fromEntries(
        problemStatuses.map((s) => [
          `Problem${s}`,
          { description: `Problem (${s})`, content: { "application/problem+json": { schema: ref("Problem") } } },
        ]),
      ),
    },
    paths: {
      "/api/v1/me": { get: { operationId: "getMe", summary: "Who the token acts as", responses: { "200": jsonResponse("The token's user", ref("Me")), ...problems(401, 429) } } },
      "/api/v1/commitments": {
        get: {
          operationId: "listCommitments",
          summary: "List commitments (filters as in the UI; cursor pagination)",
          parameters: listParams,
          responses: { "200": jsonResponse("A page", ref("CommitmentList")), ...problems(400, 401, 429) },
        },
        post: {
          operationId: "createCommitment",
          summary: "Commit",
          parameters: [idempotencyParam],
          requestBody: jsonBody("CommitmentWrite"),
          responses: {
            "201": jsonResponse("Committed", ref("Commitment"), { ETag: { schema: { type: "string" } }, Location: { schema: { type: "string" } } }),
            ...problems(400, 401, 403, 409, 415, 422, 429),
          },
        },
      },
      "/api/v1/commitments/{id}": {
        get: {
          operationId: "getCommitment",
          summary: "A commitment with its outcome",
          parameters: [idParam],
          responses: { "200": jsonResponse("The commitment", ref("Commitment"), { ETag: { schema: { type: "string" } } }), "304": { description: "Not modified" }, ...problems(401, 404, 429) },
        },
        patch: {
          operationId: "updateCommitment",
          summary: "Edit (or re-scope, with a reason) a commitment",
          parameters: [idParam, ifMatchParam(true)],
          requestBody: jsonBody("CommitmentWrite"),
          responses: { "200": jsonResponse("Saved", ref("Commitment")), ...problems(400, 401, 403, 404, 409, 412, 415, 422, 428, 429) },
        },
      },
      "/api/v1/commitments/{id}/check-ins": {
        get: { operationId: "listCheckIns", summary: "Check-ins, newest first", parameters: [idParam], responses: { "200": jsonResponse("Check-ins", listOf("CheckIn")), ...problems(401, 404, 429) } },
        post: {
          operationId: "addCheckIn",
          summary: "Check in",
          parameters: [idParam, idempotencyParam],
          requestBody: jsonBody("CheckInWrite"),
          responses: { "201": jsonResponse("Recorded", ref("CheckIn")), ...problems(400, 401, 403, 404, 409, 415, 422, 429) },
        },
      },
      "/api/v1/commitments/{id}/outcome": {
        post: {
          operationId: "recordOutcome",
          summary: "Record (or, with changeReason, change) the outcome",
          parameters: [idParam, idempotencyParam, ifMatchParam(false)],
          requestBody: jsonBody("OutcomeWrite"),
          responses: { "201": jsonResponse("Recorded", ref("Commitment")), ...problems(400, 401, 403, 404, 409, 412, 415, 422, 429) },
        },
      },
      "/api/v1/commitments/{id}/revisions": {
        get: { operationId: "listRevisions", summary: "The append-only history", parameters: [idParam], responses: { "200": jsonResponse("Revisions", listOf("Revision")), ...problems(401, 404, 429) } },
      },
      ...orgPaths,
      ...letterPaths,
      ...dataPaths,
      ...webhookPaths,
    },
    webhooks: webhooksSection(),
  };
  return cached;
}
