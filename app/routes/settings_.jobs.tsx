import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import { FormErrors } from "~/components/ui/field";
import { UuidSchema } from "~/schemas/common";
import { discardDeadLetter, readDeadLetters, retryDeadLetter } from "~/services/jobs.server";
import { invalid, refused } from "~/http/forms.server";
import { actorOf, requireAdmin } from "~/http/session.server";
import { Moment, useTimeZone } from "~/components/dates";
import { formatMoment } from "~/domain/dates";

export const meta: MetaFunction = () => [{ title: "Failed jobs · Settings · Kept" }];

const ActionSchema = z.object({ intent: z.enum(["retry", "discard"]), jobId: UuidSchema });

const QUEUE_LABELS: Record<string, string> = {
  "kept-mail": "Mail",
  "kept-reminders": "Reminders",
  "kept-digest": "Weekly digest",
  "kept-cleanup": "Clean-up",
  "kept-webhooks": "Webhook delivery",
  "kept-notify": "Notification mail",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireAdmin(request, context);
  const result = await readDeadLetters(context.db, actorOf(user));
  if (!result.ok) throw new Response(result.error.message, { status: 403 });
  return {
    total: result.value.total,
    items: result.value.items.map((item) => ({
      id: item.id,
      queue: QUEUE_LABELS[item.queue] ?? item.queue,
      error: item.error,
      failedAt: item.failedAt.toISOString(),
      payload: JSON.stringify(item.payload),
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireAdmin(request, context);
  const submission = parseWithZod(await request.formData(), { schema: ActionSchema });
  if (submission.status !== "success") return invalid(submission);
  const { intent, jobId } = submission.value;
  const result =
    intent === "retry"
      ? await retryDeadLetter(context.db, actorOf(user), jobId, context.logger)
      : await discardDeadLetter(context.db, actorOf(user), jobId, context.logger);
  if (!result.ok) return refused(submission, result.error);
  return { result: submission.reply({ resetForm: true }), done: intent };
}

export default function FailedJobs() {
  const timeZone = useTimeZone();
  const { items, total } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const formErrors = actionData?.result?.error?.[""] ?? undefined;
  return (
    <div className="page">
      <p>
        <a href="/settings">← Settings</a>
      </p>
      <h1>Failed jobs</h1>
      <p className="lead">
        Background work (mail, webhook deliveries, reminders) is retried with growing pauses. A job whose retries are spent
        lands here; nothing is dropped. Retry it once the cause is fixed, or discard it.
      </p>
      {actionData && "done" in actionData ? (
        <p role="status" className="notice">
          {actionData.done === "retry" ? "The job is back on its queue." : "The job was discarded."}
        </p>
      ) : null}
      <FormErrors id="failed-jobs-errors" errors={formErrors ?? undefined} />
      {items.length === 0 ? (
        <p>No failed jobs.</p>
      ) : (
        <div className="table-wrap">
          <table className="stack-table">
            <caption>
              {total} failed job{total === 1 ? "" : "s"}
              {total > items.length ? ` (newest ${items.length} shown)` : ""}
            </caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Failed at</th>
                <th scope="col">Last error</th>
                <th scope="col">Job</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  <td data-label="Kind">{item.queue}</td>
                  <td data-label="Failed at">
                    <Moment value={item.failedAt} />
                  </td>
                  <td data-label="Last error">{item.error}</td>
                  <td data-label="Job">
                    <code className="break-anywhere">{item.payload}</code>
                  </td>
                  <td data-label="Actions">
                    <Form method="post" className="inline">
                      <input type="hidden" name="jobId" value={item.id} />
                      <button type="submit" name="intent" value="retry" className="button button--small">
                        Retry<span className="visually-hidden"> {item.queue} job from {formatMoment(item.failedAt, timeZone)}</span>
                      </button>{" "}
                      <button type="submit" name="intent" value="discard" className="button button--small button--danger">
                        Discard<span className="visually-hidden"> {item.queue} job from {formatMoment(item.failedAt, timeZone)}</span>
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
