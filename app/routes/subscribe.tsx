// Subscribe to the public letters, or watch one public commitment (`?commitment=<id>`): double
// opt-in. The answer is the same whether or not the address already subscribes (ADR 0013).
import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrors, TextField } from "~/components/ui/field";
import { CONFIRMATION_TTL_HOURS } from "~/domain/subscriptions";
import { SubscribeSchema } from "~/schemas/subscriptions";
import { requestSubscription, subscribePage } from "~/services/subscriptions.server";
import { invalid, refused } from "~/http/forms.server";
import { publicBaseUrl } from "~/utils/env.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.commitment ? `Watch a commitment · ${data.organisationName}` : `Subscribe to our letters · ${data?.organisationName ?? "Kept"}` },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const page = await subscribePage(context.db, new URL(request.url).searchParams.get("commitment"));
  if (!page) throw new Response("Not found", { status: 404 });
  return page;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: SubscribeSchema });
  if (submission.status !== "success") return invalid(submission);
  const { email, commitment } = submission.value;
  const result = await requestSubscription(context.db, { email, commitmentId: commitment ?? null, clientIp: context.clientIp }, new Date(), publicBaseUrl(context.env));
  if (!result.ok) {
    context.logger.warn({ code: result.error.code, address: context.clientIp }, "subscription request refused");
    return refused(submission, result.error);
  }
  // The address is not logged: a log is not the place for readers' addresses.
  context.logger.info({ watch: commitment ?? null }, "subscription requested");
  return { result: submission.reply({ resetForm: true }), requested: email };
}

export default function Subscribe() {
  const { organisationName, commitment } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "subscribe",
    lastResult: actionData?.result,
    constraint: getZodConstraint(SubscribeSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SubscribeSchema }),
  });
  const requested = actionData && "requested" in actionData ? actionData.requested : null;
  return (
    <div className="page page--narrow">
      <h1>{commitment ? "Watch a commitment" : `Get ${organisationName}'s letters by mail`}</h1>
      {commitment ? (
        <>
          <blockquote className="panel">{commitment.statement}</blockquote>
          <p className="lead">We will write when this commitment is re-scoped or its outcome is recorded, and at no other time.</p>
        </>
      ) : (
        <p className="lead">
          Each annual letter when it is published — its full text, its SHA-256 and a link to its permanent page — and every correction appended to
          it. Nothing else.
        </p>
      )}
      {requested ? (
        <p role="status" className="notice">
          Check your inbox: we sent a message to {requested}. Follow the link in it within {CONFIRMATION_TTL_HOURS} hours to confirm. Until then
          nothing else is sent to you, and if you never confirm, the address is forgotten.
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        {commitment ? <input type="hidden" name="commitment" value={commitment.id} /> : null}
        <TextField meta={fields.email} label="Your email address" type="email" autoComplete="email" hint="Used only for this; never shown on this site." />
        <button type="submit" className="button button--primary">
          {commitment ? "Watch this commitment" : "Subscribe"}
        </button>
      </Form>
      <p className="muted">
        Every message has a one-click unsubscribe link; unsubscribing deletes your address. You can also read the <Link to="/letters">letters</Link>{" "}
        and the <Link to="/ledger">public ledger</Link> here, or follow the <a href="/letters/feed.xml">Atom feed</a>.
      </p>
    </div>
  );
}
