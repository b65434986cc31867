import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { useTimeZone } from "~/components/dates";
import { FormErrors } from "~/components/ui/field";
import { formatMoment } from "~/domain/dates";
import { WebhookFields } from "~/components/webhook-fields";
import { UuidSchema } from "~/schemas/common";
import { WebhookFormSchema } from "~/schemas/webhooks";
import { messageIdOf } from "~/services/webhook-delivery.server";
import { changeEndpoint, readDeliveries, readEndpoint, redeliver, removeEndpoint, rotateSecret } from "~/services/webhooks.server";
import { invalid, refused } from "~/http/forms.server";
import { notFound, pageError, requireParam } from "~/http/route-errors.server";
import { actorOf, requireAdmin } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Webhook · Settings · Kept" }];

const UpdateSchema = WebhookFormSchema.extend({ intent: z.literal("update") });
const ActionSchema = z.discriminatedUnion("intent", [
  UpdateSchema,
  z.object({ intent: z.literal("rotate") }),
  z.object({ intent: z.literal("delete") }),
  z.object({ intent: z.literal("redeliver"), deliveryId: UuidSchema }),
]);

const PAGE = 25;
const when = (d: Date | null) => (d ? d.toISOString() : null);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireAdmin(request, context, "webhooks.manage");
  const id = requireParam(params, "id", UuidSchema, "That webhook does not exist.");
  const endpoint = await readEndpoint(context.db, actorOf(user), id);
  if (!endpoint.ok) throw pageError(endpoint.error);
  const cursor = new URL(request.url).searchParams.get("cursor");
  const deliveries = await readDeliveries(context.db, actorOf(user), id, PAGE, cursor);
  if (!deliveries.ok) throw notFound(deliveries.error.message);
  const e = endpoint.value;
  return {
    endpoint: { id: e.id, url: e.url, description: e.description, events: e.events, active: e.active, previousSecretExpiresAt: when(e.previousSecretExpiresAt) },
    next: deliveries.value.next,
    deliveries: deliveries.value.items.map((d) => ({
      id: d.id,
      messageId: messageIdOf(d.id),
      eventType: d.eventType,
      status: d.status,
      attempts: d.attempts,
      createdAt: when(d.createdAt)!,
      log: d.log.map((a) => ({
        attempt: a.attempt,
        manual: a.manual,
        startedAt: when(a.startedAt)!,
        responseStatus: a.responseStatus,
        latencyMs: a.latencyMs,
        responseExcerpt: a.responseExcerpt,
        error: a.error,
        succeeded: a.succeeded,
      })),
    })),
  };
}

type Extra = { secret: string | null; done: string | null };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireAdmin(request, context, "webhooks.manage");
  const id = requireParam(params, "id", UuidSchema, "That webhook does not exist.");
  const submission = parseWithZod(await request.formData(), { schema: ActionSchema });
  const extra: Extra = { secret: null, done: null };
  if (submission.status !== "success") return invalid(submission, { extra });
  const v = submission.value;
  const actor = actorOf(user);
  const now = new Date();
  switch (v.intent) {
    case "update": {
      const result = await changeEndpoint(context.db, actor, id, { url: v.url, description: v.description, events: v.events, active: v.active }, now, {}, context.logger);
      if (!result.ok) return refused(submission, result.error, { extra });
      return { result: submission.reply(), secret: null, done: "Saved." } satisfies Extra & { result: unknown };
    }
    case "rotate": {
      const result = await rotateSecret(context.db, actor, id, now, context.logger);
      if (!result.ok) return refused(submission, result.error, { extra });
      return { result: submission.reply(), secret: result.value.secret, done: null };
    }
    case "delete": {
      const result = await removeEndpoint(context.db, actor, id, context.logger);
      if (!result.ok) return refused(submission, result.error, { extra });
      return redirect("/settings/webhooks");
    }
    case "redeliver": {
      const result = await redeliver(context.db, actor, id, v.deliveryId, context.logger);
      if (!result.ok) return refused(submission, result.error, { extra });
      return { result: submission.reply(), secret: null, done: "The delivery is queued to be sent again." };
    }
  }
}

export default function WebhookPage() {
  const { endpoint, deliveries, next } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const timeZone = useTimeZone();
  const [form, fields] = useForm<z.input<typeof UpdateSchema>>({
    id: "edit-webhook",
    lastResult: actionData?.result,
    constraint: getZodConstraint(UpdateSchema),
    defaultValue: { url: endpoint.url, description: endpoint.description, events: endpoint.events, active: endpoint.active ? "on" : undefined },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  return (
    <div className="page">
      <p>
        <a href="/settings/webhooks">← Webhooks</a>
      </p>
      <h1 className="break-anywhere">{endpoint.url}</h1>
      {actionData?.secret ? (
        <div className="notice" role="status">
          <p>
            <strong>Copy the new signing secret now.</strong> It is shown only once. The previous secret also signs deliveries for
            24 hours, so receivers can switch over.
          </p>
          <p>
            <code className="token-secret" data-testid="new-webhook-secret">
              {actionData.secret}
            </code>
          </p>
        </div>
      ) : null}
      {actionData?.done ? (
        <p role="status" className="notice">
          {actionData.done}
        </p>
      ) : null}
      <section className="panel" aria-labelledby="delivery-log-heading">
        <h2 id="delivery-log-heading">Delivery log</h2>
        {deliveries.length === 0 ? (
          <p>Nothing sent yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="stack-table">
              <caption className="visually-hidden">Deliveries to this endpoint, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Created</th>
                  <th scope="col">State</th>
                  <th scope="col">Tries</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.map((d) => (
                  <tr key={d.id}>
                    <td data-label="Event">
                      {d.eventType}
                      <div className="muted break-anywhere">{d.messageId}</div>
                    </td>
                    <td data-label="Created">{formatMoment(d.createdAt, timeZone)}</td>
                    <td data-label="State">{d.status}</td>
                    <td data-label="Tries">
                      {d.log.length === 0 ? (
                        "none yet"
                      ) : (
                        <details>
                          <summary>
                            {d.attempts} {d.attempts === 1 ? "try" : "tries"}
                            <span className="visually-hidden"> of {d.eventType} from {formatMoment(d.createdAt, timeZone)}</span>
                          </summary>
                          <ol reversed className="stack">
                            {d.log.map((a) => (
                              <li key={a.attempt}>
                                Try {a.attempt}
                                {a.manual ? " (redelivered)" : ""} at {formatMoment(a.startedAt, timeZone)}:{" "}
                                {a.responseStatus !== null ? `HTTP ${a.responseStatus}` : "no answer"}
                                {a.latencyMs !== null ? `, ${a.latencyMs} ms` : ""}
                                {a.error ? <div className="field__error">{a.error}</div> : null}
                                {a.responseExcerpt ? (
                                  <pre className="break-anywhere">
                                    <code>{a.responseExcerpt}</code>
                                  </pre>
                                ) : null}
                              </li>
                            ))}
                          </ol>
                        </details>
                      )}
                    </td>
                    <td data-label="Actions">
                      <Form method="post" className="inline">
                        <input type="hidden" name="intent" value="redeliver" />
                        <input type="hidden" name="deliveryId" value={d.id} />
                        <button type="submit" className="button button--small">
                          Redeliver<span className="visually-hidden"> {d.eventType} from {formatMoment(d.createdAt, timeZone)}</span>
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {next ? (
          <p>
            <a href={`?cursor=${encodeURIComponent(next)}`}>Older deliveries</a>
          </p>
        ) : null}
      </section>
      <section className="panel" aria-labelledby="edit-webhook-heading">
        <h2 id="edit-webhook-heading">Change this webhook</h2>
        <Form method="post" {...getFormProps(form)} className="stack">
          <input type="hidden" name="intent" value="update" />
          <FormErrors id={form.errorId} errors={form.errors} />
          <WebhookFields idPrefix="edit" url={fields.url} description={fields.description} events={fields.events} active={fields.active} />
          <button type="submit" className="button button--primary">
            Save changes
          </button>
        </Form>
      </section>
      <section className="panel" aria-labelledby="secret-heading">
        <h2 id="secret-heading">Signing secret</h2>
        <p>
          Kept shows a secret once. If it may have leaked, rotate it: the new one is shown here once, and the old one keeps signing
          beside it for 24 hours.
          {endpoint.previousSecretExpiresAt ? ` The previous secret signs until ${formatMoment(endpoint.previousSecretExpiresAt, timeZone)}.` : ""}
        </p>
        <Form method="post">
          <input type="hidden" name="intent" value="rotate" />
          <button type="submit" className="button">
            Rotate the secret
          </button>
        </Form>
      </section>
      <section className="panel" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete</h2>
        <p>Deleting the webhook removes its delivery log too; deliveries still queued are not sent.</p>
        <Form method="post">
          <input type="hidden" name="intent" value="delete" />
          <button type="submit" className="button button--danger">
            Delete this webhook
          </button>
        </Form>
      </section>
    </div>
  );
}
