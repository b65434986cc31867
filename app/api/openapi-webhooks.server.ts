// Paths of the OpenAPI document for managing webhooks, and its `webhooks` section: what Kept
// POSTs to a subscribed endpoint for each event, with the Standard Webhooks headers.
import { WEBHOOK_EVENT_TYPES } from "../../db/schema/webhooks";
import { WEBHOOK_PAYLOAD_SCHEMAS, WebhookDeliveriesQuerySchema } from "~/schemas/webhooks";
import { z } from "zod";
import { idempotencyParam, idParam, jsonBody, jsonResponse, listOf, problems, ref, type Json } from "./openapi-parts.server";

const deliveryIdParam = { name: "deliveryId", in: "path", required: true, description: "The delivery's id.", schema: { type: "string", format: "uuid" } };
const admins = "Admins only.";

function deliveriesQueryParams() {
  const query = z.toJSONSchema(WebhookDeliveriesQuerySchema, { io: "input", unrepresentable: "any" }) as { properties: Record<string, Json> };
  return Object.entries(query.properties).map(([name, schema]) => ({ name, in: "query", required: false, schema }));
}

export const webhookPaths: Record<string, Json> = {
  "/api/v1/webhooks": {
    get: {
      operationId: "listWebhooks",
      summary: "Every webhook endpoint (admins); never their secrets",
      description: admins,
      responses: { "200": jsonResponse("Endpoints", listOf("Webhook")), ...problems(401, 403, 429) },
    },
    post: {
      operationId: "createWebhook",
      summary: "Subscribe an https URL to events (admins); the answer carries the signing secret, once",
      description: `${admins} The URL is refused (400, field \`url\`) when it resolves to a loopback, private, link-local, unique-local, reserved or metadata address, unless the webhook settings allow private targets.`,
      parameters: [idempotencyParam],
      requestBody: jsonBody("WebhookWrite"),
      responses: {
        "201": jsonResponse("Added", ref("WebhookCreated"), { Location: { schema: { type: "string" } } }),
        ...problems(400, 401, 403, 409, 415, 422, 429),
      },
    },
  },
  "/api/v1/webhooks/{id}": {
    get: {
      operationId: "getWebhook",
      summary: "A webhook endpoint (admins)",
      parameters: [idParam],
      responses: { "200": jsonResponse("The endpoint", ref("Webhook")), ...problems(401, 403, 404, 429) },
    },
    patch: {
      operationId: "updateWebhook",
      summary: "Change an endpoint's URL, description, events or active (admins); fields left out stay",
      parameters: [idParam],
      requestBody: jsonBody("WebhookPatch"),
      responses: { "200": jsonResponse("Saved", ref("Webhook")), ...problems(400, 401, 403, 404, 415, 429) },
    },
    delete: {
      operationId: "deleteWebhook",
      summary: "Delete an endpoint and its delivery log (admins)",
      parameters: [idParam],
      responses: { "204": { description: "Deleted" }, ...problems(401, 403, 404, 429) },
    },
  },
  "/api/v1/webhooks/{id}/rotate-secret": {
    post: {
      operationId: "rotateWebhookSecret",
      summary: "A new signing secret, shown once; the previous one also signs for 24 hours (admins)",
      parameters: [idParam, idempotencyParam],
      responses: { "200": jsonResponse("The new secret", ref("WebhookSecretRotated")), ...problems(400, 401, 403, 404, 409, 422, 429) },
    },
  },
  "/api/v1/webhooks/{id}/deliveries": {
    get: {
      operationId: "listWebhookDeliveries",
      summary: "The endpoint's delivery log, newest first, with every try (admins; cursor pagination)",
      parameters: [idParam, ...deliveriesQueryParams()],
      responses: { "200": jsonResponse("A page", ref("WebhookDeliveryList")), ...problems(400, 401, 403, 404, 429) },
    },
  },
  "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver": {
    post: {
      operationId: "redeliverWebhook",
      summary: "Send a delivery again: same webhook-id and payload, fresh signature and retries (admins)",
      parameters: [idParam, deliveryIdParam, idempotencyParam],
      responses: { "202": jsonResponse("Queued", ref("WebhookRedelivered")), ...problems(400, 401, 403, 404, 409, 422, 429) },
    },
  },
  "/api/v1/webhook-settings": {
    get: {
      operationId: "getWebhookSettings",
      summary: "Whether webhooks may target private networks (admins)",
      responses: { "200": jsonResponse("The settings", ref("WebhookSettings")), ...problems(401, 403, 404, 429) },
    },
    put: {
      operationId: "updateWebhookSettings",
      summary: "Allow or refuse private targets and plain http (admins)",
      requestBody: jsonBody("WebhookSettings"),
      responses: { "200": jsonResponse("Saved", ref("WebhookSettings")), ...problems(400, 401, 403, 404, 415, 429) },
    },
  },
};

const header = (name: string, description: string, example: string) => ({ name, in: "header", required: true, description, schema: { type: "string", example } });

/** OpenAPI 3.1 `webhooks`: one operation per event, as Kept sends it. */
export function webhooksSection(): Record<string, Json> {
  return Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => {
      const schema = WEBHOOK_PAYLOAD_SCHEMAS[type];
      const id = (schema.meta() as { id: string }).id;
      return [
        type,
        {
          post: {
            operationId: `webhook_${type.replace(".", "_")}`,
            summary: schema.description ?? type,
            description:
              "Sent per Standard Webhooks (https://www.standardwebhooks.com): verify `webhook-signature` (HMAC-SHA256 over `<webhook-id>.<webhook-timestamp>.<body>` with the endpoint's `whsec_` secret; several space-separated signatures during a secret rotation), refuse timestamps more than five minutes off, and drop repeated `webhook-id`s. Answer 2xx within 10 seconds; anything else (redirects included) is retried with exponential backoff for about 8½ hours.",
            security: [],
            parameters: [
              header("webhook-id", "The delivery's id, the same on every try.", "msg_2b7c…"),
              header("webhook-timestamp", "Seconds since the epoch when this try was signed.", "1796000000"),
              header("webhook-signature", "`v1,<base64 HMAC-SHA256>`, space-separated when more than one secret signs.", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="),
            ],
            requestBody: { required: true, content: { "application/json": { schema: ref(id) } } },
            responses: { "200": { description: "Any 2xx: received. Anything else: retried." } },
          },
        },
      ];
    }),
  );
}
