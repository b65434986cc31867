import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FormErrors, SelectField, TextField } from "~/components/ui/field";
import { knownTimeZones } from "~/domain/time-zone";
import { DEFAULT_MIN_PUBLIC_SCORE, DEFAULT_MIN_PUBLIC_SCORE_WHY } from "~/domain/falsifiability";
import { LOGO_MAX_BYTES, logoPath, MIN_ACCENT_CONTRAST } from "~/domain/branding";
import { getOrganisation, getOrganisationLogoVersion, minScoreChangesUntil } from "~/models/organisation.server";
import { OrganisationSettingsSchema } from "~/schemas/people";
import { notSetUpResponse, removeOrganisationLogo, saveOrganisationLogo, saveOrganisationSettings } from "~/services/organisation.server";
import { invalid, refused } from "~/http/forms.server";
import { actorOf, requireAdmin } from "~/http/session.server";
import { Moment } from "~/components/dates";

export const meta: MetaFunction = () => [{ title: "Settings · Kept" }];

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context);
  const org = await getOrganisation(context.db);
  if (!org) throw notSetUpResponse();
  return {
    // What the form was read at: a save is refused if anyone saved since (last writer never wins silently).
    updatedAt: String(org.updatedAt.getTime()),
    timeZones: knownTimeZones(),
    logo: await getOrganisationLogoVersion(context.db).then((v) => (v ? logoPath(v) : null)),
    history: (await minScoreChangesUntil(context.db, null, 50)).map((h) => ({ ...h, changedAt: h.changedAt.toISOString() })),
    defaults: {
      organisationName: org.name,
      fiscalYearStartMonth: String(org.fiscalYearStartMonth),
      timeZone: org.timeZone,
      signatoryName: org.signatoryName ?? "",
      signatoryTitle: org.signatoryTitle ?? "",
      publicSiteEnabled: org.publicSiteEnabled ? "on" : "",
      minPublicScore: String(org.minPublicScore),
      accentColour: org.accentColour ?? "",
      showPublicCheckIns: org.showPublicCheckIns ? "on" : "",
    },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireAdmin(request, context);
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "logo" || intent === "remove-logo") return logoAction(context, actorOf(user), formData);
  const submission = parseWithZod(formData, { schema: OrganisationSettingsSchema });
  if (submission.status !== "success") return invalid(submission);
  const readAt = Number(formData.get("updatedAt"));
  const result = await saveOrganisationSettings(
    context.db,
    actorOf(user),
    submission.value,
    new Date(),
    Number.isSafeInteger(readAt) && readAt > 0 ? new Date(readAt) : undefined, context.logger,
  );
  if (!result.ok) return refused(submission, result.error);
  return { result: submission.reply(), saved: true };
}

/** The logo has a form of its own: a file upload, sent as multipart, saved apart from the settings. */
async function logoAction(context: ActionFunctionArgs["context"], actor: ReturnType<typeof actorOf>, formData: FormData) {
  if (formData.get("intent") === "remove-logo") {
    await removeOrganisationLogo(context.db, actor, context.logger);
    return redirect("/settings?logo=removed#branding-heading");
  }
  const file = formData.get("logo");
  if (!(file instanceof File) || file.size === 0) {
    return data({ logoError: "Choose an image file (PNG, JPEG, WebP or GIF)." }, { status: 400 });
  }
  if (file.size > LOGO_MAX_BYTES) {
    return data({ logoError: `That image is ${Math.ceil(file.size / 1024)} KB; a logo can be at most ${LOGO_MAX_BYTES / 1024} KB.` }, { status: 400 });
  }
  const result = await saveOrganisationLogo(context.db, actor, new Uint8Array(await file.arrayBuffer()), new Date(), context.logger);
  if (!result.ok) return data({ logoError: result.error.message }, { status: result.error.code === "FORBIDDEN" ? 403 : 400 });
  return redirect("/settings?logo=saved#branding-heading");
}

export default function Settings() {
  const { timeZones, defaults, updatedAt, history, logo } = useLoaderData<typeof loader>();
  const rawActionData = useActionData<typeof action>();
  const logoError = rawActionData && "logoError" in rawActionData ? rawActionData.logoError : null;
  const actionData = rawActionData && "result" in rawActionData ? rawActionData : undefined;
  const [searchParams] = useSearchParams();
  const logoNotice = searchParams.get("logo");
  const [form, fields] = useForm({
    id: "settings",
    lastResult: actionData?.result,
    constraint: getZodConstraint(OrganisationSettingsSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
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
            <table className="table stack-table">
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
                    <td data-label="When">
                      <Moment value={h.changedAt} />
                    </td>
                    <td data-label="Who">{h.changedByName ?? "—"}</td>
                    <td data-label="From">{h.fromScore ?? "(set up)"}</td>
                    <td data-label="To">
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
        <fieldset>
          <legend>Public pages</legend>
          <TextField
            meta={fields.accentColour}
            label="Accent colour (optional)"
            placeholder="#1d4d3a"
            hint={`A hex code such as #1d4d3a, for the header of the public pages. White text sits on it, so it must be dark enough for a contrast of at least ${MIN_ACCENT_CONTRAST}:1. Empty keeps Kept's green.`}
          />
          <div className="field field--checkbox">
            <input id="settings-public-check-ins" type="checkbox" name="showPublicCheckIns" defaultChecked={defaults.showPublicCheckIns === "on"} />
            <label htmlFor="settings-public-check-ins">Show check-ins (forecasts and notes) on public commitment pages</label>
          </div>
        </fieldset>
        <button type="submit" className="button button--primary">
          Save settings
        </button>
      </Form>
      <section className="panel" aria-labelledby="branding-heading">
        <h2 id="branding-heading">Logo</h2>
        <p>Shown beside the organisation&apos;s name at the top of the public pages, on a white background.</p>
        {logoNotice === "saved" ? (
          <p role="status" className="notice">
            Logo saved.
          </p>
        ) : logoNotice === "removed" ? (
          <p role="status" className="notice">
            Logo removed.
          </p>
        ) : null}
        {logo ? (
          <p>
            <img className="settings-logo" src={logo} alt="The current logo" />
          </p>
        ) : (
          <p className="muted">No logo yet: the public pages show the organisation&apos;s name alone.</p>
        )}
        <Form method="post" encType="multipart/form-data" className="stack">
          <input type="hidden" name="intent" value="logo" />
          <div className="field">
            <label htmlFor="settings-logo">{logo ? "Replace the logo" : "Upload a logo"}</label>
            <p id="settings-logo-hint" className="field__hint">
              PNG, JPEG, WebP or GIF, at most {LOGO_MAX_BYTES / 1024} KB. SVG is not accepted (it can carry script).
            </p>
            <input
              id="settings-logo"
              type="file"
              name="logo"
              accept="image/png,image/jpeg,image/webp,image/gif"
              aria-describedby={logoError ? "settings-logo-hint settings-logo-error" : "settings-logo-hint"}
              aria-invalid={logoError ? true : undefined}
            />
            {logoError ? (
              <p id="settings-logo-error" className="field__error">
                {logoError}
              </p>
            ) : null}
          </div>
          <button type="submit" className="button">
            Save logo
          </button>
        </Form>
        {logo ? (
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="remove-logo" />
            <button type="submit" className="button">
              Remove the logo
            </button>
          </Form>
        ) : null}
      </section>
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
