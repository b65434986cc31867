import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { PreferenceFields } from "~/components/notification-preferences";
import { FormErrors, TextField } from "~/components/ui/field";
import { DefaultPreferencesSchema } from "~/schemas/notifications";
import { organisationDefaults, saveOrganisationDefaults } from "~/services/notifications.server";
import { invalid, refused } from "~/http/forms.server";
import { actorOf, requireAdmin } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Notification defaults · Settings · Kept" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context);
  return { defaults: await organisationDefaults(context.db) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireAdmin(request, context);
  const submission = parseWithZod(await request.formData(), { schema: DefaultPreferencesSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await saveOrganisationDefaults(context.db, actorOf(user), submission.value, new Date(), context.logger);
  if (!result.ok) return refused(submission, result.error);
  return { result: submission.reply(), saved: true };
}

export default function NotificationDefaults() {
  const { defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "notification-defaults",
    lastResult: actionData?.result,
    constraint: getZodConstraint(DefaultPreferencesSchema),
    shouldValidate: "onBlur",
    defaultValue: { email: defaults.email, checkInCadenceDays: String(defaults.checkInCadenceDays) },
  });
  return (
    <div className="page page--narrow">
      <p>
        <a href="/settings">← Settings</a>
      </p>
      <h1>Notification defaults</h1>
      <p className="lead">What everyone gets until they choose for themselves (Account → Notifications).</p>
      {actionData && "saved" in actionData ? (
        <p role="status" className="notice">
          Defaults saved.
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField
          meta={fields.checkInCadenceDays}
          label="Remind owners to check in after this many days without one"
          type="number"
          hint="The organisation's check-in cadence; two weeks unless you change it."
        />
        <PreferenceFields idPrefix="default" defaults={defaults} email={fields.email} />
        <button type="submit" className="button button--primary">
          Save defaults
        </button>
      </Form>
    </div>
  );
}
