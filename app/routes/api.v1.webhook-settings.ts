import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { WebhookSettingsSchema } from "~/schemas/webhooks";
import { readWebhookSettings, saveWebhookSettings } from "~/services/webhooks.server";
import { actorOfPrincipal, json, problem, problemFromDomain, readJson, requireApiAdmin } from "~/api/handler.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requireApiAdmin(request, context, { write: false }, "see webhook settings");
  const result = await readWebhookSettings(context.db, actorOfPrincipal(principal));
  if (!result.ok) return problemFromDomain(result.error);
  return json(result.value);
}

/** PUT the whole settings object. */
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "PUT") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use GET or PUT.", {}, { Allow: "GET, PUT" });
  const principal = await requireApiAdmin(request, context, { write: true }, "change webhook settings");
  const { value } = await readJson(request, WebhookSettingsSchema);
  const result = await saveWebhookSettings(context.db, actorOfPrincipal(principal), value.allowPrivateTargets, new Date(), context.logger);
  if (!result.ok) return problemFromDomain(result.error);
  return json(result.value);
}
