import { useEffect } from "react";
import { getFormProps, getInputProps, useForm, type FieldMetadata } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrors, SelectField, TextField } from "~/components/ui/field";
import { DEFAULT_MIN_PUBLIC_SCORE, DEFAULT_MIN_PUBLIC_SCORE_WHY } from "~/domain/falsifiability";
import { defaultTimeZone, knownTimeZones } from "~/domain/time-zone";
import { SetupSchema } from "~/schemas/people";
import { login } from "~/services/auth.server";
import { needsSetup, setupOrganisation } from "~/services/setup.server";
import { invalid, refused } from "~/http/forms.server";
import { commitSessionToken } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Set up Kept" }];

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

export async function loader({ context }: LoaderFunctionArgs) {
  // Once anyone exists, setup is gone for good.
  if (!(await needsSetup(context.db))) throw new Response("Kept is already set up.", { status: 404 });
  const timeZones = knownTimeZones();
  // Without JavaScript the picker starts on the server's own zone (its TZ), or UTC; with it,
  // on the browser's (below).
  return { timeZones, serverTimeZone: defaultTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone, timeZones) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (!(await needsSetup(context.db))) throw new Response("Kept is already set up.", { status: 404 });
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: SetupSchema });
  if (submission.status !== "success") return invalid(submission, { hideFields: ["adminPassword"] });
  const result = await setupOrganisation(context.db, submission.value, new Date());
  if (!result.ok) {
    if (result.error.code === "SETUP.ALREADY_DONE") throw new Response(result.error.message, { status: 404 });
    return refused(submission, result.error, { hideFields: ["adminPassword"] });
  }
  context.logger.info({ userId: result.value.userId, sample: submission.value.sampleOrganisation }, "organisation set up");
  const session = await login(context.db, {
    email: submission.value.adminEmail,
    password: submission.value.adminPassword,
    ip: context.clientIp,
    userAgent: request.headers.get("user-agent"),
  });
  if (!session.ok) throw redirect("/login");
  return redirect("/", {
    headers: { "Set-Cookie": await commitSessionToken(context.env, session.value.token, session.value.expiresAt) },
  });
}

function SampleChoice({ meta }: { meta: FieldMetadata<string | undefined> }) {
  const hintId = `${meta.id}-hint`;
  const describedBy = [hintId, meta.errors?.length ? meta.errorId : null].filter(Boolean).join(" ");
  const props = getInputProps(meta, { type: "checkbox", ariaAttributes: true });
  return (
    <fieldset>
      <legend>Sample data</legend>
      <div className="field field--checkbox">
        <input {...props} key={props.key} aria-describedby={describedBy} />
        <label htmlFor={meta.id}>Start with a sample organisation</label>
      </div>
      <p id={hintId} className="field__hint">
        Fills Kept with invented teams, people and two years of commitments, outcomes and letters, marked as sample data on every
        page, so you can look around first. Leave it unticked to start empty.
      </p>
      {meta.errors?.length ? (
        <p id={meta.errorId} className="field__error">
          {meta.errors.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}

export default function Setup() {
  const { timeZones, serverTimeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "setup",
    lastResult: actionData?.result,
    constraint: getZodConstraint(SetupSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    defaultValue: { fiscalYearStartMonth: "1", timeZone: serverTimeZone },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SetupSchema }),
  });
  // The server's default is what there is without scripts; with them, the browser's own time
  // zone is the better guess, unless someone already chose or the server sent a reply back.
  const timeZoneName = fields.timeZone.name;
  const untouched = !actionData;
  useEffect(() => {
    if (!untouched) return;
    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const select = document.getElementById(fields.timeZone.id) as HTMLSelectElement | null;
    if (browserZone && timeZones.includes(browserZone) && select?.value === serverTimeZone) form.update({ name: timeZoneName, value: browserZone });
    // Once, after hydration.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <div className="page page--narrow">
      <h1>Set up Kept</h1>
      <p className="lead">
        Kept records what your teams commit to, what they delivered, and what they did not and why. Tell it about your
        organisation and create the first admin account. You can change everything except the admin&apos;s email later.
      </p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        <fieldset>
          <legend>Organisation</legend>
          <TextField meta={fields.organisationName} label="Organisation name" autoComplete="organization" />
          <SelectField
            meta={fields.fiscalYearStartMonth}
            label="Fiscal year starts in"
            hint="A fiscal year is named by the calendar year it ends in: starting in July, FY2027 runs July 2026 to June 2027."
            options={MONTHS.map((m, i) => ({ value: String(i + 1), label: m }))}
          />
          <SelectField
            meta={fields.timeZone}
            label="Time zone"
            hint="Periods and due dates follow this calendar."
            options={timeZones.map((z) => ({ value: z, label: z.replace(/_/g, " ") }))}
          />
          <p className="field__hint" data-testid="default-minimum">
            Public commitments must score at least {DEFAULT_MIN_PUBLIC_SCORE} out of 100 for falsifiability. {DEFAULT_MIN_PUBLIC_SCORE_WHY} You
            can change it later in Settings; every change is recorded and each letter states the minimum in force.
          </p>
        </fieldset>
        <fieldset>
          <legend>First admin</legend>
          <TextField meta={fields.adminName} label="Your name" autoComplete="name" />
          <TextField meta={fields.adminEmail} label="Email" type="email" autoComplete="email" />
          <TextField
            meta={fields.adminPassword}
            label="Password"
            type="password"
            autoComplete="new-password"
            hint="At least 8 characters. A long passphrase is best."
          />
        </fieldset>
        <SampleChoice meta={fields.sampleOrganisation} />
        <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Setting up…" : "Set up Kept"}
        </button>
      </Form>
    </div>
  );
}
