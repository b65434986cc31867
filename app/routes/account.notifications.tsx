import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { PreferenceFields } from "~/components/notification-preferences";
import { FormErrors } from "~/components/ui/field";
import { PreferencesSchema } from "~/schemas/notifications";
import { preferencesOf, savePreferences } from "~/services/notifications.server";
import { invalid, refused } from "~/utils/forms.server";
import { actorOf, requireUser } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: "Notification preferences · Kept" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { preferences: await preferencesOf(context.db, user.id) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const submission = parseWithZod(await request.formData(), { schema: PreferencesSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await savePreferences(context.db, actorOf(user), submission.value, new Date());
  if (!result.ok) return refused(submission, result.error);
  return { result: submission.reply(), saved: true };
}

export default function NotificationPreferences() {
  const { preferences } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "preferences",
    lastResult: actionData?.result,
    constraint: getZodConstraint(PreferencesSchema),
    defaultValue: { email: preferences.email },
  });
  return (
    <div className="page page--narrow">
      <h1>Notification preferences</h1>
      <p className="lead">
        {preferences.own ? "Your own choices." : "You follow the organisation's defaults until you save choices of your own."} In-app
        notifications arrive for everything ticked; these choose which reminders and events you hear about and how mail reaches you.
      </p>
      {actionData && "saved" in actionData ? (
        <p role="status" className="notice">
          Preferences saved.
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        <PreferenceFields idPrefix="pref" defaults={preferences} email={fields.email} />
        <button type="submit" className="button button--primary">
          Save preferences
        </button>
      </Form>
    </div>
  );
}
