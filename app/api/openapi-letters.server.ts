// Paths of the OpenAPI document: Letters (drafts, publishing, errata) and the public site.
import { z } from "zod";
import { PublicLedgerQuerySchema, PublicLogQuerySchema } from "~/api/schemas/letters";
import { idempotencyParam, idParam, ifMatchParam, jsonBody, jsonResponse, problems, ref, type Json } from "./openapi-parts.server";

const etagHeader = { ETag: { schema: { type: "string" } } };
const locationHeader = { Location: { schema: { type: "string" } } };
const cacheHeaders = { ...etagHeader, "Cache-Control": { schema: { type: "string" } } };
const ifNoneMatchParam = {
  name: "If-None-Match",
  in: "header",
  required: false,
  description: "The ETag from your last read; 304 when nothing changed since.",
  schema: { type: "string" },
};
const yearParam = { name: "year", in: "path", required: true, description: "The fiscal year, e.g. 2026.", schema: { type: "string", pattern: "^[0-9]{4}$" } };
/** The public site answers without a token (and ignores one): no security requirement. */
const noToken = { security: [] };

function ledgerQueryParams(schema: z.ZodType = PublicLedgerQuerySchema) {
  const query = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties: Record<string, Json> };
  return Object.entries(query.properties).map(([name, schema]) => ({ name, in: "query", required: false, schema }));
}

export const letterPaths: Record<string, Json> = {
  "/api/v1/letters": {
    get: {
      operationId: "listLetters",
      summary: "Every letter, drafts and internal letters included, newest year first (no bodies)",
      responses: { "200": jsonResponse("The letters", ref("LetterList")), ...problems(401, 429) },
    },
    post: {
      operationId: "generateLetter",
      summary: "Generate the draft of a year and audience from the record, or regenerate the draft (admins)",
      description:
        "201 with the new draft; 200 when a draft existed and was regenerated. Regenerating over edits is refused with 409 LETTER.HAS_EDITS unless `replaceEdits` is true; a published letter is 409 LETTER.PUBLISHED.",
      parameters: [idempotencyParam],
      requestBody: jsonBody("LetterGenerate"),
      responses: {
        "201": jsonResponse("Generated", ref("Letter"), { ...etagHeader, ...locationHeader }),
        "200": jsonResponse("Regenerated", ref("Letter"), { ...etagHeader, ...locationHeader }),
        ...problems(400, 401, 403, 404, 409, 415, 422, 429),
      },
    },
  },
  "/api/v1/letters/{id}": {
    get: {
      operationId: "getLetter",
      summary: "A letter: a draft with what blocks publishing it, or a published letter with its hash, ledger and errata",
      parameters: [idParam, ifNoneMatchParam],
      responses: { "200": jsonResponse("The letter", ref("Letter"), etagHeader), "304": { description: "Not modified" }, ...problems(401, 404, 429) },
    },
    patch: {
      operationId: "updateLetterDraft",
      summary: "Edit a draft's title and body (admins)",
      parameters: [idParam, ifMatchParam(true)],
      requestBody: jsonBody("LetterPatch"),
      responses: { "200": jsonResponse("Saved", ref("Letter"), etagHeader), ...problems(400, 401, 403, 404, 409, 412, 415, 428, 429) },
    },
    delete: {
      operationId: "discardLetterDraft",
      summary: "Discard a draft (admins); a published letter cannot be removed",
      parameters: [idParam, ifMatchParam(true)],
      responses: { "204": { description: "Discarded" }, ...problems(401, 403, 404, 409, 412, 428, 429) },
    },
  },
  "/api/v1/letters/{id}/publish": {
    post: {
      operationId: "publishLetter",
      summary: "Publish a draft (admins): freeze it with its ledger appendix and SHA-256, and lock what it covers",
      description:
        "Refused with 422 LETTER.YEAR_NOT_STARTED (field `fiscalYear`) while the letter's fiscal year has not started, in the organisation's time zone; " +
        "with 422 LETTER.NOT_PUBLISHABLE and `problems` while a missed, partially delivered or withdrawn commitment in scope is not mentioned in the body, or next year's public commitments are below the organisation's minimum score; " +
        "and, until the fiscal year has ended, with 422 LETTER.CONFIRMATION_REQUIRED (field `confirmation`) unless the body confirms with `{\"confirmation\": \"publish FY<year>\"}`. " +
        "After the year has ended the body may be empty.",
      parameters: [idParam, idempotencyParam, ifMatchParam(true)],
      requestBody: { ...jsonBody("LetterPublish"), required: false },
      responses: { "200": jsonResponse("Published", ref("Letter"), etagHeader), ...problems(400, 401, 403, 404, 409, 412, 415, 422, 428, 429) },
    },
  },
  "/api/v1/letters/{id}/errata": {
    get: {
      operationId: "listErrata",
      summary: "A letter's errata, oldest first",
      parameters: [idParam],
      responses: { "200": jsonResponse("Errata", ref("ErratumList")), ...problems(401, 404, 429) },
    },
    post: {
      operationId: "appendErratum",
      summary: "Append a dated erratum to a published letter (admins); it can never be changed or removed",
      parameters: [idParam, idempotencyParam],
      requestBody: jsonBody("ErratumWrite"),
      responses: { "201": jsonResponse("Appended", ref("Erratum")), ...problems(400, 401, 403, 404, 409, 415, 422, 429) },
    },
  },
  "/api/v1/public/letters": {
    get: {
      ...noToken,
      operationId: "listPublicLetters",
      summary: "Published public letters, newest year first (no token; 404 while the public site is off)",
      parameters: [ifNoneMatchParam],
      responses: { "200": jsonResponse("The letters", ref("PublicLetterList"), cacheHeaders), "304": { description: "Not modified" }, ...problems(404) },
    },
  },
  "/api/v1/public/letters/{year}": {
    get: {
      ...noToken,
      operationId: "getPublicLetter",
      summary: "A published public letter as frozen: Markdown, HTML, SHA-256, ledger and errata (no token)",
      parameters: [yearParam, ifNoneMatchParam],
      responses: { "200": jsonResponse("The letter", ref("PublicLetter"), cacheHeaders), "304": { description: "Not modified" }, ...problems(404) },
    },
  },
  "/api/v1/public/ledger": {
    get: {
      ...noToken,
      operationId: "getPublicLedger",
      summary: "The public ledger: tallies per year and one page of a year's customer-facing commitments (no token)",
      parameters: ledgerQueryParams(),
      responses: { "200": jsonResponse("The ledger", ref("PublicLedger"), { "Cache-Control": { schema: { type: "string" } } }), ...problems(400, 404) },
    },
  },
  "/api/v1/public/log": {
    get: {
      ...noToken,
      operationId: "getPublicLog",
      summary: "The record's hash chain, in order: public entries in full, internal ones as their hashes (no token)",
      description:
        "Format kept-log/1 (docs/decisions/0006-record-log-format.md): content_hash = sha256(canonical JSON of the entry's content), hash = sha256(\"kept-log/1\\n\" + seq + \"\\n\" + prev_hash + \"\\n\" + content_hash). `download=true` gives the whole log as one file. 404 while the public site is off.",
      parameters: ledgerQueryParams(PublicLogQuerySchema),
      responses: {
        "200": jsonResponse("A page of the log, or the whole log", ref("PublicLog"), { "Cache-Control": { schema: { type: "string" } } }),
        ...problems(400, 404),
      },
    },
  },
};
