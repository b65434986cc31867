// Paths of the OpenAPI document: People, teams, carry-forward and retrospectives.
import { z } from "zod";
import { PERIOD_LABEL_PATTERN } from "~/domain/period";
import { PeopleQuerySchema } from "~/api/schemas/org";
import { idempotencyParam, idParam, ifMatchParam, jsonBody, jsonResponse, listOf, problems, ref, type Json } from "./openapi-parts.server";

const pathParam = (name: string, description: string, schema: Json = { type: "string" }) => ({ name, in: "path", required: true, description, schema });
const userIdParam = pathParam("userId", "The person's id.", { type: "string", format: "uuid" });
const scopeParam = pathParam("scope", 'A team slug (its sub-teams count too), or "org" for the whole organisation.');
const periodParam = pathParam("period", "A period label such as FY2026, FY2026-H2 or FY2026-Q3.", { type: "string", pattern: PERIOD_LABEL_PATTERN });
const etagHeader = { ETag: { schema: { type: "string" } } };
const locationHeader = { Location: { schema: { type: "string" } } };

function peopleQueryParams() {
  const query = z.toJSONSchema(PeopleQuerySchema, { io: "input", unrepresentable: "any" }) as { properties: Record<string, Json> };
  return Object.entries(query.properties).map(([name, schema]) => ({ name, in: "query", required: false, schema }));
}

export const orgPaths: Record<string, Json> = {
  "/api/v1/tokens": {
    get: {
      operationId: "listTokens",
      summary: "Your personal access tokens (admins: anyone's, with userId); never their secrets",
      parameters: [{ name: "userId", in: "query", required: false, description: "Admins: whose tokens to list.", schema: { type: "string", format: "uuid" } }],
      responses: { "200": jsonResponse("Tokens", listOf("Token")), ...problems(400, 401, 403, 429) },
    },
  },
  "/api/v1/tokens/{id}": {
    delete: {
      operationId: "revokeToken",
      summary: "Revoke a token at once (your own; admins: anyone's). Tokens are created in the UI only.",
      parameters: [idParam],
      responses: { "204": { description: "Revoked" }, ...problems(401, 403, 404, 429) },
    },
  },
  "/api/v1/organisation": {
    get: {
      operationId: "getOrganisation",
      summary: "The organisation's settings",
      responses: { "200": jsonResponse("The settings", ref("Organisation"), etagHeader), "304": { description: "Not modified" }, ...problems(401, 404, 429) },
    },
    put: {
      operationId: "updateOrganisation",
      summary: "Change the organisation's settings (admins; the whole object, with If-Match)",
      parameters: [ifMatchParam(true)],
      requestBody: jsonBody("OrganisationWrite"),
      responses: { "200": jsonResponse("Saved", ref("Organisation"), etagHeader), ...problems(400, 401, 403, 404, 412, 415, 428, 429) },
    },
  },
  "/api/v1/people": {
    get: {
      operationId: "listPeople",
      summary: "Everyone, by name (search with q; cursor pagination)",
      parameters: peopleQueryParams(),
      responses: { "200": jsonResponse("A page", ref("PersonList")), ...problems(400, 401, 429) },
    },
    post: {
      operationId: "addPerson",
      summary: "Add a person (admins)",
      parameters: [idempotencyParam],
      requestBody: jsonBody("PersonWrite"),
      responses: { "201": jsonResponse("Added, with the invitation link when no password was given", ref("PersonAdded"), locationHeader), ...problems(400, 401, 403, 409, 415, 422, 429) },
    },
  },
  "/api/v1/people/{id}/sign-in-link": {
    post: {
      operationId: "issueSignInLink",
      summary: "Issue a one-time invitation or password reset link (admins); any open link of theirs stops working",
      parameters: [idParam],
      requestBody: jsonBody("SignInLinkWrite"),
      responses: { "201": jsonResponse("Issued: the only time the whole link is shown", ref("SignInLink")), ...problems(400, 401, 403, 404, 409, 415, 429) },
    },
    delete: {
      operationId: "revokeSignInLink",
      summary: "Withdraw the person's open sign-in link (admins)",
      parameters: [idParam],
      responses: { "204": { description: "Withdrawn (or there was none)" }, ...problems(401, 403, 404, 429) },
    },
  },
  "/api/v1/people/{id}": {
    get: {
      operationId: "getPerson",
      summary: "A person with their teams",
      parameters: [idParam],
      responses: { "200": jsonResponse("The person", ref("PersonDetail")), ...problems(401, 404, 429) },
    },
    patch: {
      operationId: "updatePerson",
      summary: "Change a person's role, or deactivate or reactivate them (admins)",
      parameters: [idParam],
      requestBody: jsonBody("PersonPatch"),
      responses: { "200": jsonResponse("Saved", ref("PersonDetail")), ...problems(400, 401, 403, 404, 409, 415, 429) },
    },
  },
  // Replaces the entry of the first part of the API (openapi.server.ts) to add POST.
  "/api/v1/teams": {
    get: { operationId: "listTeams", summary: "All teams", responses: { "200": jsonResponse("Teams", listOf("Team")), ...problems(401, 429) } },
    post: {
      operationId: "createTeam",
      summary: "Create a team (admins)",
      parameters: [idempotencyParam],
      requestBody: jsonBody("TeamWrite"),
      responses: { "201": jsonResponse("Created", ref("TeamDetail"), locationHeader), ...problems(400, 401, 403, 409, 415, 422, 429) },
    },
  },
  "/api/v1/teams/{id}": {
    get: {
      operationId: "getTeam",
      summary: "A team with its members",
      parameters: [idParam],
      responses: { "200": jsonResponse("The team", ref("TeamDetail")), ...problems(401, 404, 429) },
    },
    patch: {
      operationId: "updateTeam",
      summary: "Rename, re-address, re-describe or move a team (admins); fields left out stay",
      parameters: [idParam],
      requestBody: jsonBody("TeamPatch"),
      responses: { "200": jsonResponse("Saved", ref("TeamDetail")), ...problems(400, 401, 403, 404, 409, 415, 422, 429) },
    },
  },
  "/api/v1/teams/{id}/members/{userId}": {
    put: {
      operationId: "setTeamMember",
      summary: "Add a person to a team, or change their team role (admins)",
      parameters: [idParam, userIdParam],
      requestBody: jsonBody("TeamMemberWrite"),
      responses: { "200": jsonResponse("The membership", ref("TeamMember")), ...problems(400, 401, 403, 404, 415, 422, 429) },
    },
    delete: {
      operationId: "removeTeamMember",
      summary: "Take a person off a team (admins)",
      parameters: [idParam, userIdParam],
      responses: { "204": { description: "Removed" }, ...problems(401, 403, 404, 429) },
    },
  },
  "/api/v1/commitments/{id}/carry-forward": {
    post: {
      operationId: "carryForward",
      summary: "Commit to the next attempt of a missed or partially delivered commitment, in a later period",
      parameters: [idParam, idempotencyParam, ifMatchParam(false)],
      requestBody: jsonBody("CarryForwardWrite"),
      responses: {
        "201": jsonResponse("The new commitment (attempt + 1)", ref("Commitment"), { ...etagHeader, ...locationHeader }),
        ...problems(400, 401, 403, 404, 409, 412, 415, 422, 429),
      },
    },
  },
  "/api/v1/retrospectives/{scope}/{period}": {
    get: {
      operationId: "getRetrospective",
      summary: "A retrospective: figures, outcomes, notes and action items",
      parameters: [scopeParam, periodParam],
      responses: { "200": jsonResponse("The retrospective", ref("Retrospective")), ...problems(401, 404, 429) },
    },
  },
  "/api/v1/retrospectives/{scope}/{period}/notes": {
    get: {
      operationId: "getRetrospectiveNotes",
      summary: "The notes, with their ETag",
      parameters: [scopeParam, periodParam],
      responses: { "200": jsonResponse("The notes", ref("RetrospectiveNotes"), etagHeader), "304": { description: "Not modified" }, ...problems(401, 404, 429) },
    },
    put: {
      operationId: "saveRetrospectiveNotes",
      summary: "Save the notes (team editors and admins; admins only for org)",
      parameters: [scopeParam, periodParam, ifMatchParam(true)],
      requestBody: jsonBody("RetrospectiveNotesWrite"),
      responses: { "200": jsonResponse("Saved", ref("RetrospectiveNotes"), etagHeader), ...problems(400, 401, 403, 404, 412, 415, 428, 429) },
    },
  },
  "/api/v1/retrospectives/{scope}/{period}/action-items": {
    post: {
      operationId: "addActionItem",
      summary: "Add an action item (team editors and admins)",
      parameters: [scopeParam, periodParam, idempotencyParam],
      requestBody: jsonBody("ActionItemWrite"),
      responses: { "201": jsonResponse("Added", ref("ActionItem"), locationHeader), ...problems(400, 401, 403, 404, 409, 415, 422, 429) },
    },
  },
  "/api/v1/action-items/{id}": {
    get: {
      operationId: "getActionItem",
      summary: "An action item",
      parameters: [idParam],
      responses: { "200": jsonResponse("The action item", ref("ActionItem")), ...problems(401, 404, 429) },
    },
    patch: {
      operationId: "changeActionItem",
      summary: "Mark an action item open, done or dropped (team editors and admins)",
      parameters: [idParam],
      requestBody: jsonBody("ActionItemPatch"),
      responses: { "200": jsonResponse("Saved", ref("ActionItem")), ...problems(400, 401, 403, 404, 415, 429) },
    },
  },
};
