import type { z } from "zod";
import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { PreferenceFields } from "~/components/notification-preferences";
import { FormErrors } from "~/components/ui/field";
import { MAIL_STREAM_LABELS } from "~/domain/reminders";
import { PreferencesSchema, ResumeMailSchema } from "~/schemas/notifications";
import { preferencesOf, resumeMail, savePreferences } from "~/services/notifications.server";
import { invalid, refused } from "~/http/forms.server";
import { actorOf, requireUser } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Notification preferences · Kept" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { preferences: await preferencesOf(context.db, user.id) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const formData = await request.formData();
  if (formData.get("intent") === "resume-mail") {
    const submission = parseWithZod(formData, { schema: ResumeMailSchema });
    if (submission.status !== "success") return invalid(submission, { extra: { form: "resume" as const } });
    const result = await resumeMail(context.db, actorOf(user), submission.value.kind, new Date());
    if (!result.ok) return refused(submission, result.error, { extra: { form: "resume" as const } });
    return { form: "resume" as const, result: submission.reply({ resetForm: true }), saved: true };
  }
  const submission = parseWithZod(formData, { schema: PreferencesSchema });
  if (submission.status !== "success") return invalid(submission, { extra: { form: "preferences" as const } });
  const result = await savePreferences(context.db, actorOf(user), submission.value, new Date());
  if (!result.ok) return refused(submission, result.error, { extra: { form: "preferences" as const } });
  return { form: "preferences" as const, result: submission.reply(), saved: true };
}

export default function NotificationPreferences() {
  const { preferences } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "preferences",
    lastResult: actionData?.form === "preferences" ? actionData.result : undefined,
    constraint: getZodConstraint(PreferencesSchema),
    defaultValue: { email: preferences.email },
  });
  const [resumeForm, resumeFields] = useForm<z.input<typeof ResumeMailSchema>>({
    id: "resume-mail",
    lastResult: actionData?.form === "resume" ? actionData.result : undefined,
    constraint: getZodConstraint(ResumeMailSchema),
    shouldRevalidate: "onInput",
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
          {actionData.form === "resume" ? "Mail turned back on." : "Preferences saved."}
        </p>
      ) : null}
      {preferences.mailOff.length > 0 ? (
        <section aria-labelledby="mail-off-heading" className="stack">
          <h2 id="mail-off-heading">Mail you stopped with an unsubscribe link</h2>
          <p>These still arrive among your notifications in Kept, but not by mail.</p>
          <Form method="post" {...getFormProps(resumeForm)} className="stack">
            <input type="hidden" name="intent" value="resume-mail" />
            <fieldset aria-describedby={resumeFields.kind.errors ? resumeFields.kind.errorId : undefined}>
              <legend>Turn mail back on for</legend>
              {preferences.mailOff.map((kind) => (
                <div className="field field--checkbox" key={kind}>
                  <input id={`resume-${kind}`} type="checkbox" name={resumeFields.kind.name} value={kind} defaultChecked />
                  <label htmlFor={`resume-${kind}`}>{MAIL_STREAM_LABELS[kind]}</label>
                </div>
              ))}
              {resumeFields.kind.errors ? (
                <p id={resumeFields.kind.errorId} className="field__error">
                  {resumeFields.kind.errors.join(" ")}
                </p>
              ) : null}
            </fieldset>
            <FormErrors id={resumeForm.errorId} errors={resumeForm.errors} />
            <button type="submit" className="button">
              Mail these again
            </button>
          </Form>
        </section>
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
