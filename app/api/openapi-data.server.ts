// Paths of the OpenAPI document: Export, import and CSV import.
import { idempotencyParam, idParam, jsonBody, jsonResponse, problems, ref, type Json } from "./openapi-parts.server";

export const dataPaths: Record<string, Json> = {
  "/api/v1/export": {
    get: {
      operationId: "exportOrganisation",
      summary: "The whole organisation as one document (admins only)",
      description:
        "People (without password hashes), teams and members, commitments with check-ins, outcomes and revisions, retrospectives with action items, letters with their hashes and errata. `npm run import` loads it into an empty instance; exporting that instance again gives the same document apart from `exportedAt`.",
      responses: { "200": jsonResponse("The export", ref("ExportDocument")), ...problems(401, 403, 429) },
    },
  },
  "/api/v1/teams/{id}/commitments/import": {
    post: {
      operationId: "importCommitmentsCsv",
      summary: "Check (dryRun) or import a CSV of commitments into a team",
      description:
        "Header row required (case-insensitive): statement, details, measure_kind (metric|deliverable), metric_name, metric_baseline, metric_comparator (gte|lte|eq or ≥ ≤ =), metric_target, metric_unit, deliverable_event, evidence_source, due_date (YYYY-MM-DD), period (FY2026-Q3…), owner_email, audience (public|internal), tags (separated by ;). Every row meets the same rules as creating one commitment, the organisation's minimum public score included. All rows are created in one transaction or none; at most 2,000 rows. Only the team's editors and admins.",
      parameters: [idParam, idempotencyParam],
      requestBody: jsonBody("CsvImportWrite"),
      responses: {
        "200": jsonResponse("Dry run: every row would be imported", ref("CsvImportReport")),
        "201": jsonResponse("Imported: the ids of the new commitments", ref("CsvImportReport")),
        "422": {
          description:
            "Some rows are bad (nothing was imported): each with its line, column and reason; or the Idempotency-Key was already used with a different request (code IDEMPOTENCY.MISMATCH)",
          content: { "application/problem+json": { schema: { anyOf: [ref("CsvImportProblem"), ref("Problem")] } } },
        },
        ...problems(400, 401, 403, 404, 409, 415, 429),
      },
    },
  },
};
