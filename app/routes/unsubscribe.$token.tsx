// One-click unsubscribe (RFC 8058): mail clients POST "List-Unsubscribe=One-Click" here with
// no cookies; people who follow the link get a page with one button. A GET never unsubscribes,
// because link scanners fetch every URL in a message.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useParams } from "@remix-run/react";
import { unsubscribeOwner } from "~/services/notifications.server";
import { unsubscribeReader } from "~/services/subscriptions.server";

export const meta: MetaFunction = () => [{ title: "Unsubscribe · Kept" }, { name: "robots", content: "noindex" }];

export async function loader(_args: LoaderFunctionArgs) {
  return null;
}

export async function action({ params, context }: ActionFunctionArgs) {
  const token = String(params.token ?? "");
  const result = await unsubscribeOwner(context.db, token, new Date());
  if (!result.ok) {
    // Not a person of the organisation: a reader who subscribed, whose address is deleted.
    const reader = await unsubscribeReader(context.db, token);
    if (reader.ok) {
      context.logger.info({ watches: reader.value.watches }, "reader unsubscribed; address deleted");
      const watches = reader.value.watches;
      return {
        done: true,
        message: `${reader.value.email} is unsubscribed and deleted from our list${watches > 0 ? `, with the ${watches === 1 ? "commitment" : `${watches} commitments`} it watched` : ""}. Nothing more will be sent to it.`,
      };
    }
    context.logger.warn("unsubscribe link not recognised");
    return data({ done: false, message: result.error.message }, { status: 404 });
  }
  context.logger.info("unsubscribed from reminder mail");
  return { done: true, message: `${result.value.email} gets no more mail from Kept. Notifications inside Kept still arrive.` };
}

export default function Unsubscribe() {
  const actionData = useActionData<typeof action>();
  const { token } = useParams();
  return (
    <div className="page page--narrow">
      <h1>Unsubscribe</h1>
      {actionData ? (
        <p role={actionData.done ? "status" : "alert"} className={actionData.done ? "notice" : "form-errors"}>
          {actionData.message}
        </p>
      ) : (
        <Form method="post" action={`/unsubscribe/${token ?? ""}`} className="stack">
          <p>Stop the mail this link came with, sent to the address it was sent to? A reader who subscribed on our public site is deleted from our list.</p>
          <button type="submit" className="button button--primary">
            Unsubscribe
          </button>
        </Form>
      )}
    </div>
  );
}
