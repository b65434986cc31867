import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Moment } from "~/components/dates";
import { FormErrors } from "~/components/ui/field";
import { WebhookFields } from "~/components/webhook-fields";
import { WebhookFormSchema } from "~/schemas/webhooks";
import { createEndpoint, readEndpoints, readWebhookSettings, saveWebhookSettings } from "~/services/webhooks.server";
import { invalid, refused } from "~/http/forms.server";
import { actorOf, requireAdmin } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Webhooks · Settings · Kept" }];

const CreateSchema = WebhookFormSchema.extend({ intent: z.literal("create") });
const SettingsSchema = z.object({
  intent: z.literal("settings"),
  allowPrivateTargets: z.preprocess((v) => v === "on", z.boolean()),
});
const ActionSchema = z.discriminatedUnion("intent", [CreateSchema, SettingsSchema]);

type Created = { id: string; url: string; secret: string } | null;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireAdmin(request, context, "webhooks.manage");
  const [endpoints, settings] = await Promise.all([readEndpoints(context.db, actorOf(user)), readWebhookSettings(context.db, actorOf(user))]);
  if (!endpoints.ok || !settings.ok) throw new Response("Only admins can see webhooks.", { status: 403 });
  return {
    allowPrivateTargets: settings.value.allowPrivateTargets,
    endpoints: endpoints.value.map((e) => ({
      id: e.id,
      url: e.url,
      description: e.description,
      events: e.events,
      active: e.active,
      createdAt: e.createdAt.toISOString(),
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireAdmin(request, context, "webhooks.manage");
  const submission = parseWithZod(await request.formData(), { schema: ActionSchema });
  const extra = { created: null as Created, saved: false };
  if (submission.status !== "success") return invalid(submission, { extra });
  const v = submission.value;
  const now = new Date();
  if (v.intent === "settings") {
    const result = await saveWebhookSettings(context.db, actorOf(user), v.allowPrivateTargets, now, context.logger);
    if (!result.ok) return refused(submission, result.error, { extra });
    return { result: submission.reply(), created: null as Created, saved: true };
  }
  const result = await createEndpoint(context.db, actorOf(user), { url: v.url, description: v.description, events: v.events, active: v.active }, now, {}, context.logger);
  if (!result.ok) return refused(submission, result.error, { extra });
  // The secret is shown in this answer only.
  return {
    result: submission.reply({ resetForm: true }),
    created: { id: result.value.endpoint.id, url: result.value.endpoint.url, secret: result.value.secret } as Created,
    saved: false,
  };
}

export default function Webhooks() {
  const { endpoints, allowPrivateTargets } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof CreateSchema>>({
    id: "create-webhook",
    lastResult: actionData?.result,
    constraint: getZodConstraint(CreateSchema),
    defaultValue: { events: [], active: "on" },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  return (
    <div className="page">
      <p>
        <a href="/settings">← Settings</a>
      </p>
      <h1>Webhooks</h1>
      <p className="lead">
        Kept tells other systems what happens to the record: it POSTs each event you choose to an https endpoint, signed per{" "}
        <a href="https://www.standardwebhooks.com">Standard Webhooks</a> with the endpoint&apos;s secret, and retries with growing pauses
        for about 8½ hours. The payloads are documented in the <a href="/api/docs">API document</a> (webhooks).
      </p>
      {actionData?.created ? (
        <div className="notice" role="status">
          <p>
            <strong>Copy the signing secret now.</strong> It is shown only once; receivers verify every delivery with it.
          </p>
          <p>
            <code className="token-secret" data-testid="new-webhook-secret">
              {actionData.created.secret}
            </code>
          </p>
          <p>
            <a href={`/settings/webhooks/${actionData.created.id}`}>Open {actionData.created.url}</a>
          </p>
        </div>
      ) : null}
      {actionData?.saved ? (
        <p role="status" className="notice">
          Webhook settings saved.
        </p>
      ) : null}
      <h2>Endpoints</h2>
      {endpoints.length === 0 ? (
        <p>No webhooks yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="stack-table">
            <caption className="visually-hidden">Webhook endpoints</caption>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">State</th>
                <th scope="col">Added</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((e) => (
                <tr key={e.id}>
                  <td data-label="URL">
                    <a href={`/settings/webhooks/${e.id}`} className="break-anywhere">
                      {e.url}
                    </a>
                    {e.description ? <div className="muted">{e.description}</div> : null}
                  </td>
                  <td data-label="Events">{e.events.join(", ")}</td>
                  <td data-label="State">{e.active ? "active" : "disabled"}</td>
                  <td data-label="Added">
                    <Moment value={e.createdAt} dayOnly />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="panel" aria-labelledby="add-webhook-heading">
        <h2 id="add-webhook-heading">Add a webhook</h2>
        <Form method="post" {...getFormProps(form)} className="stack">
          <input type="hidden" name="intent" value="create" />
          <FormErrors id={form.errorId} errors={form.errors} />
          <WebhookFields idPrefix="new" url={fields.url} description={fields.description} events={fields.events} active={fields.active} />
          <button type="submit" className="button button--primary">
            Add webhook
          </button>
        </Form>
      </section>
      <section className="panel" aria-labelledby="webhook-settings-heading">
        <h2 id="webhook-settings-heading">Private targets</h2>
        <p>
          Kept refuses webhook URLs that point at loopback, private, link-local or unique-local addresses — when they are saved and
          again at every delivery — so nobody can use it to reach inside your network. Cloud metadata addresses are refused always.
        </p>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="settings" />
          <div className="field field--checkbox">
            <input id="allow-private-targets" type="checkbox" name="allowPrivateTargets" defaultChecked={allowPrivateTargets} />
            <label htmlFor="allow-private-targets">Allow private targets and plain http (closed networks and tests only)</label>
          </div>
          <button type="submit" className="button">
            Save
          </button>
        </Form>
      </section>
    </div>
  );
}
