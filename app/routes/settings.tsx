import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrors, SelectField, TextField } from "~/components/ui/field";
import { knownTimeZones } from "~/domain/time-zone";
import { DEFAULT_MIN_PUBLIC_SCORE, DEFAULT_MIN_PUBLIC_SCORE_WHY } from "~/domain/falsifiability";
import { getOrganisation, minScoreChangesUntil } from "~/models/organisation.server";
import { OrganisationSettingsSchema } from "~/schemas/people";
import { saveOrganisationSettings } from "~/services/organisation.server";
import { invalid, refused } from "~/utils/forms.server";
import { actorOf, requireAdmin } from "~/utils/session.server";
import { Moment } from "~/components/dates";

export const meta: MetaFunction = () => [{ title: "Settings · Kept" }];

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context);
  const org = await getOrganisation(context.db);
  if (!org) throw new Response("Kept is not set up yet.", { status: 404 });
  return {
    // What the form was read at: a save is refused if anyone saved since (last writer never wins silently).
    updatedAt: String(org.updatedAt.getTime()),
    timeZones: knownTimeZones(),
    history: (await minScoreChangesUntil(context.db, null, 50)).map((h) => ({ ...h, changedAt: h.changedAt.toISOString() })),
    defaults: {
      organisationName: org.name,
      fiscalYearStartMonth: String(org.fiscalYearStartMonth),
      timeZone: org.timeZone,
      signatoryName: org.signatoryName ?? "",
      signatoryTitle: org.signatoryTitle ?? "",
      publicSiteEnabled: org.publicSiteEnabled ? "on" : "",
      minPublicScore: String(org.minPublicScore),
    },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireAdmin(request, context);
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: OrganisationSettingsSchema });
  if (submission.status !== "success") return invalid(submission);
  const readAt = Number(formData.get("updatedAt"));
  const result = await saveOrganisationSettings(
    context.db,
    actorOf(user),
    submission.value,
    new Date(),
    Number.isSafeInteger(readAt) && readAt > 0 ? new Date(readAt) : undefined,
  );
  if (!result.ok) return refused(submission, result.error);
  context.logger.info("organisation settings saved");
  return { result: submission.reply(), saved: true };
}

export default function Settings() {
  const { timeZones, defaults, updatedAt, history } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "settings",
    lastResult: actionData?.result,
    constraint: getZodConstraint(OrganisationSettingsSchema),
    shouldValidate: "onBlur",
    defaultValue: defaults,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: OrganisationSettingsSchema }),
  });
  return (
    <div className="page page--narrow">
      <h1>Organisation settings</h1>
      {actionData && "saved" in actionData ? (
        <p role="status" className="notice">
          Settings saved.
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="updatedAt" value={updatedAt} />
        <TextField meta={fields.organisationName} label="Organisation name" />
        <SelectField
          meta={fields.fiscalYearStartMonth}
          label="Fiscal year starts in"
          hint="Existing commitments keep the period dates they were committed with."
          options={MONTHS.map((m, i) => ({ value: String(i + 1), label: m }))}
        />
        <SelectField meta={fields.timeZone} label="Time zone" options={timeZones.map((z) => ({ value: z, label: z.replace(/_/g, " ") }))} />
        <TextField
          meta={fields.minPublicScore}
          label="Minimum falsifiability score for public commitments (0–100)"
          type="number"
          hint={`Below it, a public commitment cannot be saved. 0 turns the check off. Kept starts at ${DEFAULT_MIN_PUBLIC_SCORE}: ${DEFAULT_MIN_PUBLIC_SCORE_WHY} Every change is recorded with your name, and each letter states the minimum in force that year.`}
        />
        <details className="min-score-history">
          <summary>History of the minimum ({history.length} {history.length === 1 ? "change" : "changes"})</summary>
          {history.length === 0 ? (
            <p className="muted">No changes recorded.</p>
          ) : (
            <table className="table">
              <caption className="visually-hidden">Changes to the minimum falsifiability score, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                </tr>
              </thead>
              <tbody>
                {[...history].reverse().map((h) => (
                  <tr key={`${h.changedAt}-${h.toScore}`}>
                    <td>
                      <Moment value={h.changedAt} />
                    </td>
                    <td>{h.changedByName ?? "—"}</td>
                    <td>{h.fromScore ?? "(set up)"}</td>
                    <td>
                      {h.toScore}
                      {h.fromScore !== null && h.toScore < h.fromScore ? " (lowered)" : ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </details>
        <fieldset>
          <legend>Annual letter</legend>
          <TextField meta={fields.signatoryName} label="Signed by (name)" />
          <TextField meta={fields.signatoryTitle} label="Signatory's title" />
          <div className="field field--checkbox">
            <input id="settings-public" type="checkbox" name="publicSiteEnabled" defaultChecked={defaults.publicSiteEnabled === "on"} />
            <label htmlFor="settings-public">Publish letters and the public ledger without sign-in</label>
          </div>
        </fieldset>
        <button type="submit" className="button button--primary">
          Save settings
        </button>
      </Form>
      <section className="panel" aria-labelledby="record-heading">
        <h2 id="record-heading">Record integrity</h2>
        <p>Whether the record's hash chain is unbroken and every commitment, outcome and check-in agrees with it; check it now.</p>
        <Link to="/settings/record" className="button">
          Record integrity
        </Link>
      </section>
      <section className="panel" aria-labelledby="export-heading">
        <h2 id="export-heading">Export</h2>
        <p>
          Everything in Kept as one JSON file: people (without passwords), teams, commitments with their check-ins, outcomes and
          history, retrospectives and letters. <code>npm run import</code> loads it into a new, empty instance.
        </p>
        <a href="/settings/export.json" download className="button">
          Download the full export
        </a>
      </section>
      <section className="panel" aria-labelledby="background-heading">
        <h2 id="background-heading">Background work</h2>
        <ul>
          <li>
            <a href="/settings/notifications">Notification defaults</a>: the check-in cadence and which reminders people get until
            they choose.
          </li>
          <li>
            <a href="/settings/outbox">Outbox</a>: every message Kept has written and what became of it (without SMTP, what it would
            have sent).
          </li>
          <li>
            <a href="/settings/webhooks">Webhooks</a>: signed events for other systems, with each endpoint&apos;s delivery log.
          </li>
          <li>
            <a href="/settings/subscribers">Subscribers</a>: how many readers get the letters or watch commitments, bounced addresses,
            and the export (CSV).
          </li>
          <li>
            <a href="/settings/jobs">Failed jobs</a>: mail and deliveries whose retries are spent, to retry or discard.
          </li>
        </ul>
      </section>
    </div>
  );
}
