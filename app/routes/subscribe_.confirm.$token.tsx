// The link in a confirmation mail. Opening it shows what it is for and a button: link scanners
// fetch every URL in a message, so only the POST confirms (ADR 0013). A replayed or expired
// link gets a page that says so, with the way forward.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { formatInZone } from "~/domain/mail";
import { confirmSubscription, readConfirmation } from "~/services/subscriptions.server";
import { getOrganisation } from "~/models/organisation.server";

// A page of the public site: it carries the organisation's brand, signed in or not.
export const handle = { publicPage: true };

export const meta: MetaFunction = () => [{ title: "Confirm your subscription" }, { name: "robots", content: "noindex" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const now = new Date();
  const view = await readConfirmation(context.db, String(params.token ?? ""), now);
  const org = await getOrganisation(context.db);
  const timeZone = org?.timeZone ?? "UTC";
  if (view.state === "unknown") return data({ state: "unknown" as const, what: null, expires: null, again: "/subscribe" }, { status: 404 });
  const again = view.commitmentId ? `/subscribe?commitment=${view.commitmentId}` : "/subscribe";
  return data(
    { state: view.state, what: view.what, expires: formatInZone(view.expiresAt, timeZone), again },
    { status: view.state === "expired" ? 410 : 200 },
  );
}

export async function action({ params, context }: ActionFunctionArgs) {
  const result = await confirmSubscription(context.db, String(params.token ?? ""), new Date());
  if (!result.ok) {
    context.logger.info({ code: result.error.code }, "subscription confirmation refused");
    return data({ done: false as const, code: result.error.code, message: result.error.message }, { status: result.error.code === "SUBSCRIPTION.EXPIRED" ? 410 : result.error.code === "SUBSCRIPTION.USED" ? 409 : 404 });
  }
  context.logger.info("subscription confirmed");
  return { done: true as const, code: null, message: `Confirmed: ${result.value.email} now gets ${result.value.what}.` };
}

export default function ConfirmSubscription() {
  const view = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="page page--narrow">
      <h1>Confirm your subscription</h1>
      {actionData ? (
        <>
          <p role={actionData.done ? "status" : "alert"} className={actionData.done ? "notice" : "form-errors"}>
            {actionData.message}
          </p>
          {actionData.done ? (
            <p>Every message has a one-click unsubscribe link; using it deletes your address.</p>
          ) : actionData.code !== "SUBSCRIPTION.USED" ? (
            <p>
              <Link to={view.again}>Subscribe again</Link>
            </p>
          ) : null}
        </>
      ) : view.state === "valid" ? (
        <Form method="post" className="stack">
          <p>
            Send {view.what} to the address this link was mailed to? The link works until {view.expires}.
          </p>
          <button type="submit" className="button button--primary">
            Confirm
          </button>
        </Form>
      ) : view.state === "used" ? (
        <p role="status" className="notice">
          This link was already used: the subscription to {view.what} is confirmed (unless you have unsubscribed since). There is nothing more to do.
        </p>
      ) : view.state === "expired" ? (
        <>
          <p role="alert" className="form-errors">
            This link expired at {view.expires}. Nothing was subscribed and the address is not kept.
          </p>
          <p>
            <Link to={view.again}>Subscribe again</Link> to get a new link.
          </p>
        </>
      ) : (
        <>
          <p role="alert" className="form-errors">
            This confirmation link is not valid. Check that it was copied whole; links from addresses that unsubscribed no longer work.
          </p>
          <p>
            <Link to={view.again}>Subscribe</Link>
          </p>
        </>
      )}
    </div>
  );
}
