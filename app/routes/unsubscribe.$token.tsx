// One-click unsubscribe (RFC 8058): mail clients POST "List-Unsubscribe=One-Click" here with
// no cookies; people who follow the link get a page with one button. A GET never unsubscribes,
// because link scanners fetch every URL in a message. An owner's link names the kind of mail it
// came with (`?mail=due_soon`): only that kind stops.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation, useParams } from "@remix-run/react";
import { isMailStream, MAIL_STREAM_LABELS, type MailStream } from "~/domain/reminders";
import { unsubscribeOwner } from "~/services/notifications.server";
import { unsubscribeReader } from "~/services/subscriptions.server";

// A page of the public site: it carries the organisation's brand, signed in or not.
export const handle = { publicPage: true };

export const meta: MetaFunction = () => [{ title: "Unsubscribe · Kept" }, { name: "robots", content: "noindex" }];

/** What the link stops: the kind it names, none (older links: all mail), or not a kind at all. */
function streamOf(request: Request): MailStream | null | "unknown" {
  const named = new URL(request.url).searchParams.get("mail");
  if (named === null) return null;
  return isMailStream(named) ? named : "unknown";
}

export async function loader({ request }: LoaderFunctionArgs) {
  // Says what the button will stop without looking the secret up: a GET changes and reveals nothing.
  const stream = streamOf(request);
  return { stops: stream === null || stream === "unknown" ? null : MAIL_STREAM_LABELS[stream] };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = String(params.token ?? "");
  const stream = streamOf(request);
  if (stream === "unknown") {
    context.logger.warn("unsubscribe link names an unknown kind of mail");
    return data({ done: false, message: "This unsubscribe link is not valid: check that it was copied whole." }, { status: 404 });
  }
  const result = await unsubscribeOwner(context.db, token, stream, new Date());
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
  context.logger.info({ stream }, "owner unsubscribed from mail");
  return {
    done: true,
    message: `${result.value.email} gets no more ${result.value.stopped} by mail. They still appear among your notifications in Kept; Account → Notifications turns the mail back on.`,
  };
}

export default function Unsubscribe() {
  const actionData = useActionData<typeof action>();
  const { stops } = useLoaderData<typeof loader>();
  const { token } = useParams();
  const { search } = useLocation();
  return (
    <div className="page page--narrow">
      <h1>Unsubscribe</h1>
      {actionData ? (
        <p role={actionData.done ? "status" : "alert"} className={actionData.done ? "notice" : "form-errors"}>
          {actionData.message}
        </p>
      ) : (
        <Form method="post" action={`/unsubscribe/${token ?? ""}${search}`} className="stack">
          <p>
            {stops
              ? `Stop ${stops} by mail to the address this link was sent to? Other mail from Kept is not affected.`
              : "Stop the mail this link came with, sent to the address it was sent to? A reader who subscribed on our public site is deleted from our list."}
          </p>
          <button type="submit" className="button button--primary">
            Unsubscribe
          </button>
        </Form>
      )}
    </div>
  );
}
