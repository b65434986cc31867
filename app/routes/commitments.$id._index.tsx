import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useEffect, useState } from "react";
import { z } from "zod";
import { ProgressChart } from "~/components/charts/progress-chart";
import { OutcomeNarrative } from "~/components/outcome-narrative";
import { Day, Moment } from "~/components/dates";
import { LintPanel } from "~/components/lint-panel";
import { ActionDisclosure } from "~/components/ui/action-disclosure";
import { FormErrors, SelectField, TextAreaField, TextField } from "~/components/ui/field";
import { formatFieldValue } from "~/domain/commitment";
import { formatDay } from "~/domain/dates";
import { changedAfterLetterText } from "~/domain/letter-publish";
import { OUTCOME_FORM_LEAD_DAYS } from "~/domain/outcome-rules";
import { CONTROL_LABEL, CONTROLS, FORECAST_LABEL, FORECASTS, OUTCOME_LABEL, OUTCOME_STATUSES, REASON_CATEGORIES, REASON_LABEL } from "~/domain/types";
import { UuidSchema } from "~/schemas/common";
import { CarryForwardSchema, CheckInSchema, OutcomeFormSchema } from "~/schemas/commitments";
import { loadCommitmentPage } from "~/pages/commitment-page.server";
import { addCheckIn, carryForward, recordOutcome } from "~/services/commitments.server";
import { invalid, refused } from "~/http/forms.server";
import { notFound, requireParam, throwIfNotTheirs } from "~/http/route-errors.server";
import { actorOf, requireUser } from "~/http/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.commitment.statement.slice(0, 60) ?? "Commitment"} · Kept` },
];

const NOT_FOUND = "That commitment does not exist.";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const id = requireParam(params, "id", UuidSchema, NOT_FOUND);
  const before = Number(new URL(request.url).searchParams.get("before"));
  const historyBefore = Number.isSafeInteger(before) && before > 0 ? before : null;
  const page = await loadCommitmentPage(context.db, actorOf(user), id, new Date(), { historyBefore });
  if (!page) throw notFound(NOT_FOUND);
  return page;
}

const ActionSchema = z.discriminatedUnion("intent", [CheckInSchema, OutcomeFormSchema, CarryForwardSchema]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const id = requireParam(params, "id", UuidSchema, NOT_FOUND);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const submission = parseWithZod(formData, { schema: ActionSchema });
  if (submission.status !== "success") return invalid(submission, { extra: { intent, conflict: null } });
  const actor = actorOf(user);
  const now = new Date();
  const v = submission.value;
  const result =
    v.intent === "check-in"
      ? await addCheckIn(context.db, actor, id, v, now, context.logger)
      : v.intent === "outcome"
        ? await recordOutcome(
            context.db,
            actor,
            id,
            { ...v, reasonCategory: v.reasonCategory ?? null, control: v.control ?? null },
            v.version,
            v.changeReason,
            now,
            context.logger,
          )
        : await carryForward(context.db, actor, id, v, v.version, now, context.logger);
  if (!result.ok) {
    throwIfNotTheirs(result.error, NOT_FOUND);
    return refused(submission, result.error, { extra: { intent, conflict: result.error.conflict ?? null } });
  }
  if (v.intent === "carry-forward" && result.value && "id" in result.value) {
    return redirect(`/commitments/${result.value.id}?carried=1`);
  }
  return redirect(`/commitments/${id}?saved=${intent}`);
}

const NOTICES: Record<string, string> = {
  "check-in": "Check-in recorded.",
  outcome: "Outcome recorded.",
  created: "Committed. It is on the record from now on.",
  edited: "Saved.",
  rescoped: "Re-scoped. The original stays beside the current version below.",
  carried: "Carried forward. This is the next attempt; the previous one links here.",
};

function StatusBadge({ status }: { status: string }) {
  const label = status === "open" ? "Open" : OUTCOME_LABEL[status as keyof typeof OUTCOME_LABEL];
  return <span className={`badge badge--${status}`}>{label}</span>;
}

export default function CommitmentPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { commitment: c, outcome } = data;
  const noticeKey = searchParams.get("saved") ?? (searchParams.get("created") ? "created" : searchParams.get("carried") ? "carried" : searchParams.get("edited"));
  const notice = noticeKey ? NOTICES[noticeKey] : null;
  const resultFor = (intent: string) => (actionData?.intent === intent ? actionData.result : undefined);
  const failed = (intent: string) => actionData?.intent === intent;
  const canCheckIn = data.canEdit && c.status === "open";
  const canCarry = data.canEdit && (c.status === "missed" || c.status === "partial") && data.successors.length === 0;
  const outcomeEarly = searchParams.get("outcome") === "early";
  const offerOutcome = data.canEdit && (data.outcomeDueSoon || outcomeEarly || failed("outcome"));
  return (
    <div className="page commitment-page">
      <p className="breadcrumb">
        <Link to="/commitments">Commitments</Link>
        {data.team ? (
          <>
            {" "}
            / <Link to={`/teams/${data.team.slug}`}>{data.team.name}</Link>
          </>
        ) : null}
      </p>
      <h1 className="commitment-title">{c.statement}</h1>
      <p className="commitment-meta">
        <StatusBadge status={c.status} /> {c.audience === "public" ? "Public" : "Internal"} · {c.periodLabel} · due <Day value={c.dueDate} />
        {c.overdue ? <strong className="danger-text"> · past due</strong> : null}
        {c.attempt > 1 ? <> · attempt {c.attempt}</> : null}
        {c.locked ? <> · locked</> : null}
        {c.audience === "public" && data.publicPath ? (
          <>
            {" "}
            · <a href={data.publicPath}>public page</a>
          </>
        ) : null}
      </p>
      {notice ? (
        <p role="status" className="notice">
          {notice}
        </p>
      ) : null}
      <div className="commitment-summary">
        <section aria-labelledby="facts-heading">
          <h2 id="facts-heading" className="visually-hidden">
            Key facts
          </h2>
          <dl className="facts">
            <dt>Measure</dt>
            <dd>{c.measureText}</dd>
            <dt>Evidence</dt>
            <dd>{c.evidenceSource || "—"}</dd>
            <dt>Owner</dt>
            <dd>{data.owner ? <Link to={`/people/${data.owner.id}`}>{data.owner.name}</Link> : "No owner"}</dd>
            <dt>Team</dt>
            <dd>{data.team?.name ?? "—"}</dd>
            <dt>Period</dt>
            <dd>
              {c.periodLabel} (<Day value={c.periodStart} /> to <Day value={c.periodEnd} />)
            </dd>
            <dt>Latest forecast</dt>
            <dd>{data.checkIns[0] ? `${FORECAST_LABEL[data.checkIns[0].forecast]}, ${data.checkIns[0].probability}% likely` : "No check-in yet"}</dd>
            <dt>Themes</dt>
            <dd>{c.tags.length ? c.tags.join(", ") : "—"}</dd>
            <dt>Committed</dt>
            <dd>
              <Moment value={c.committedAt} dayOnly /> by {data.committedBy}
            </dd>
          </dl>
        </section>
        <CommitmentProgress commitment={c} checkIns={data.checkIns} />
      </div>

      {data.canEdit && (canCheckIn || c.status === "open" || canCarry) ? (
        <section aria-labelledby="actions-heading" className="actions">
          <h2 id="actions-heading">Actions</h2>
          <div className="action-bar">
            {canCheckIn ? (
              <ActionDisclosure label="Check in" open={failed("check-in")}>
                <CheckInForm today={data.today} lastResult={resultFor("check-in")} />
              </ActionDisclosure>
            ) : null}
            {c.status === "open" ? (
              <Link className="button" to={`/commitments/${c.id}/edit`}>
                {c.locked ? "Re-scope" : "Edit"}
              </Link>
            ) : null}
            {canCarry ? (
              <ActionDisclosure label="Carry forward" open={failed("carry-forward")}>
                <CarryForwardForm version={c.version} statement={c.statement} periods={data.periods} currentPeriod={c.periodLabel} lastResult={resultFor("carry-forward")} />
              </ActionDisclosure>
            ) : null}
          </div>
        </section>
      ) : null}

      {data.rescopes ? (
        <section aria-labelledby="rescope-heading" className="rescopes">
          <h2 id="rescope-heading">Re-scoped: original beside current</h2>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Each re-scoped field as first committed and as it stands now</caption>
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">As first committed</th>
                  <th scope="col">Now</th>
                </tr>
              </thead>
              <tbody>
                {data.rescopes.rows.map((r) => (
                  <tr key={r.field}>
                    <th scope="row">{r.label}</th>
                    <td>
                      <del>{r.field === "dueDate" && typeof r.original === "string" ? formatDay(r.original) : formatFieldValue(r.field, r.original)}</del>
                    </td>
                    <td>
                      <ins>{r.field === "dueDate" && typeof r.current === "string" ? formatDay(r.current) : formatFieldValue(r.field, r.current)}</ins>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ul>
            {data.rescopes.events.map((e, i) => (
              <li key={i}>
                <Moment value={String(e.at)} dayOnly />, {e.actorName ?? "someone"}: “{e.reason}”
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="outcome-heading">
        <h2 id="outcome-heading">Outcome</h2>
        {data.changedAfterLetter ? <p className="changed-after-letter">{changedAfterLetterText(data.changedAfterLetter)}</p> : null}
        {outcome ? (
          <div className="outcome">
            <p>
              <StatusBadge status={outcome.status} /> on <Day value={outcome.resolvedAt} />
              {outcome.timing ? outcome.late ? <strong className="danger-text"> · {outcome.timing}</strong> : <> · {outcome.timing}</> : null}
            </p>
            <dl className="facts">
              {outcome.actualValue !== null ? (
                <>
                  <dt>Actual value</dt>
                  <dd>{formatFieldValue("actualValue", outcome.actualValue)}</dd>
                </>
              ) : null}
              {outcome.evidenceUrl ? (
                <>
                  <dt>Evidence</dt>
                  <dd>
                    <a href={outcome.evidenceUrl} rel="nofollow noopener noreferrer">
                      {outcome.evidenceUrl}
                    </a>
                  </dd>
                </>
              ) : null}
              {outcome.partialDescription ? (
                <>
                  <dt>Delivered part</dt>
                  <dd>{outcome.partialDescription}</dd>
                </>
              ) : null}
              {outcome.reasonCategory ? (
                <>
                  <dt>Reason</dt>
                  <dd>{REASON_LABEL[outcome.reasonCategory]}</dd>
                  <dt>Control</dt>
                  <dd>{outcome.control ? CONTROL_LABEL[outcome.control] : "—"}</dd>
                </>
              ) : null}
            </dl>
            <OutcomeNarrative explanationHtml={outcome.explanationHtml} lessonHtml={outcome.lessonHtml} />
            {data.canEdit ? (
              <ActionDisclosure label="Change the outcome" open={failed("outcome")}>
                <OutcomeForm
                  version={c.version}
                  today={data.today}
                  existing={{ ...outcome, actualValue: outcome.actualValue === null ? "" : String(outcome.actualValue) }}
                  lastResult={resultFor("outcome")}
                  conflict={actionData?.intent === "outcome" && "conflict" in actionData ? actionData.conflict : null}
                />
              </ActionDisclosure>
            ) : null}
          </div>
        ) : (
          <>
            <p>No outcome yet.</p>
            {offerOutcome ? (
              <ActionDisclosure label="Record the outcome" open={failed("outcome") || outcomeEarly}>
                <OutcomeForm
                  version={c.version}
                  today={data.today}
                  existing={null}
                  lastResult={resultFor("outcome")}
                  conflict={actionData?.intent === "outcome" && "conflict" in actionData ? actionData.conflict : null}
                />
              </ActionDisclosure>
            ) : data.canEdit ? (
              <p className="muted">
                Recording the outcome is offered from {OUTCOME_FORM_LEAD_DAYS} days before the due date. Delivered or dropped already?{" "}
                <Link to="?outcome=early#outcome-heading">Record the outcome now</Link>.
              </p>
            ) : null}
          </>
        )}
      </section>

      <div className="two-col">
        <div>
          {data.predecessor ? (
            <p>
              Carried forward from{" "}
              <Link to={`/commitments/${data.predecessor.id}`}>
                attempt {data.predecessor.attempt} in {data.predecessor.periodLabel}
              </Link>{" "}
              ({OUTCOME_LABEL[data.predecessor.status as keyof typeof OUTCOME_LABEL] ?? data.predecessor.status}).
            </p>
          ) : null}
          {data.source ? (
            <p>
              Promoted from an action item of the{" "}
              <Link to={`/retrospectives/${data.source.scopeSlug}/${data.source.periodLabel}`}>
                {data.source.periodLabel} retrospective of {data.source.scopeName}
              </Link>
              : “{data.source.text}”
            </p>
          ) : null}
          {data.successors.map((s) => (
            <p key={s.id}>
              Carried forward to{" "}
              <Link to={`/commitments/${s.id}`}>
                attempt {s.attempt} in {s.periodLabel}
              </Link>
              .
            </p>
          ))}
          {c.detailsHtml ? (
            <section aria-labelledby="details-heading">
              <h2 id="details-heading">Details</h2>
              <div className="prose" dangerouslySetInnerHTML={{ __html: c.detailsHtml }} />
            </section>
          ) : null}
        </div>
        <LintPanel result={{ score: c.lintScore, findings: c.lintFindings, falsifiable: !c.lintFindings.some((f) => f.severity === "error") }} />
      </div>

      <section aria-labelledby="checkins-heading">
        <h2 id="checkins-heading">Check-ins</h2>
        {data.checkIns.length === 0 ? (
          <p>No check-ins yet.</p>
        ) : (
          <ol className="timeline" reversed>
            {data.checkIns.map((ci) => (
              <li key={ci.id}>
                <strong>
                  <Day value={ci.date} />
                </strong>{" "}
                · {FORECAST_LABEL[ci.forecast]} · {ci.probability}% likely
                {ci.progressValue !== null ? <> · progress {formatFieldValue("progress", ci.progressValue)}</> : null}
                {ci.note ? <p>{ci.note}</p> : null}
                <span className="muted"> by {ci.createdByName ?? "someone"}</span>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="history-heading" id="history">
        <h2 id="history-heading">History{data.history.isFirstPage ? null : ", older entries"}</h2>
        <p className="muted">Every change is kept. Nobody can edit or delete these entries, not even an admin.</p>
        <ol className="timeline history">
          {data.history.entries.map((r) => (
            <li key={r.id} data-kind={r.kind}>
              <time dateTime={r.at} className="history__when">
                {r.when}
              </time>
              <p className="history__sentence">{r.sentence}</p>
              {r.details.length > 0 ? (
                <ul className="changes">
                  {r.details.map((d, i) => (
                    <li key={i}>{d}</li>
                  ))}
                </ul>
              ) : null}
              {r.why ? <p className="history__why">{r.kind === "check_in" ? "Note" : "Why"}: {r.why}</p> : null}
            </li>
          ))}
        </ol>
        <nav aria-label="History pages" className="pager">
          {data.history.isFirstPage ? null : <Link to="?#history">Newest entries</Link>}
          {data.history.olderBefore !== null ? <Link to={`?before=${data.history.olderBefore}#history`}>Older entries</Link> : null}
        </nav>
      </section>
    </div>
  );
}

type PageCommitment = ReturnType<typeof useLoaderData<typeof loader>>["commitment"];
type PageCheckIn = ReturnType<typeof useLoaderData<typeof loader>>["checkIns"][number];

/** Check-ins against baseline and target for a metric; the forecast probability for a deliverable. */
function CommitmentProgress({ commitment: c, checkIns }: { commitment: PageCommitment; checkIns: PageCheckIn[] }) {
  const start = c.committedAt.slice(0, 10) < c.periodStart ? c.committedAt.slice(0, 10) : c.periodStart;
  if (c.measureKind === "metric") {
    return (
      <ProgressChart
        title="Progress toward the target"
        measure={c.metricName || "Value"}
        unit={c.metricUnit ?? ""}
        start={start}
        due={c.dueDate}
        baseline={c.metricBaseline}
        target={c.metricTarget}
        points={checkIns.filter((ci) => ci.progressValue !== null).map((ci) => ({ date: ci.date, value: ci.progressValue as number }))}
      />
    );
  }
  return (
    <ProgressChart
      title="Forecast probability of delivery"
      measure="Probability of delivery"
      unit="%"
      start={start}
      due={c.dueDate}
      baseline={null}
      target={100}
      range={[0, 100]}
      points={checkIns.map((ci) => ({ date: ci.date, value: ci.probability }))}
    />
  );
}

type LastResult = SubmissionResult<string[]> | null | undefined;

function CheckInForm({ today, lastResult }: { today: string; lastResult: LastResult }) {
  const [form, fields] = useForm({
    id: "check-in",
    lastResult,
    constraint: getZodConstraint(CheckInSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    defaultValue: { date: today, forecast: "on_track", probability: "80" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CheckInSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="panel stack">
      <h3>Check in</h3>
      <FormErrors id={form.errorId} errors={form.errors} />
      <input type="hidden" name="intent" value="check-in" />
      <div className="field-row">
        <TextField meta={fields.date} label="Date" type="date" />
        <SelectField meta={fields.forecast} label="Forecast" options={FORECASTS.map((f) => ({ value: f, label: FORECAST_LABEL[f] }))} />
        <TextField meta={fields.probability} label="Probability of delivery (%)" type="number" />
        <TextField meta={fields.progressValue} label="Progress value (optional)" />
      </div>
      <TextAreaField meta={fields.note} label="Note" rows={2} />
      <button type="submit" className="button button--primary">
        Record check-in
      </button>
    </Form>
  );
}

function OutcomeForm({
  version,
  today,
  existing,
  lastResult,
  conflict,
}: {
  version: number;
  today: string;
  existing: null | Record<string, string | number | null | boolean>;
  lastResult: LastResult;
  conflict: { currentVersion: number; changedFields: string[] } | null;
}) {
  const [status, setStatus] = useState<string>(String(existing?.status ?? ""));
  // Until scripts run (or without them) every field is in the page and CSS shows the ones the
  // chosen outcome needs (.outcome-form rules in app.css); once hydrated, the others are left out.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const shows = (needed: boolean, hasError: boolean) => !hydrated || needed || hasError;
  const defaults = Object.fromEntries(
    Object.entries(existing ?? {}).map(([k, v]) => [k, v === null || v === undefined ? "" : String(v)]),
  );
  const [form, fields] = useForm<z.input<typeof OutcomeFormSchema>>({
    id: "outcome",
    lastResult,
    constraint: getZodConstraint(OutcomeFormSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    defaultValue: { resolvedAt: today, ...defaults } as Partial<z.input<typeof OutcomeFormSchema>>,
  });
  return (
    <Form
      method="post"
      {...getFormProps(form)}
      className="panel stack outcome-form"
      onChange={(e) => setStatus(String(new FormData(e.currentTarget).get("status") ?? ""))}
    >
      <h3>{existing ? "Change the outcome" : "Record the outcome"}</h3>
      <FormErrors id={form.errorId} errors={form.errors} />
      {conflict ? <p className="muted">Changed meanwhile: {conflict.changedFields.join(", ") || "the outcome"}. Reload to see it.</p> : null}
      <input type="hidden" name="intent" value="outcome" />
      <input type="hidden" name="version" value={version} />
      <div className="field-row">
        <SelectField meta={fields.status} label="Outcome" placeholder="Choose…" options={OUTCOME_STATUSES.map((s) => ({ value: s, label: OUTCOME_LABEL[s] }))} />
        <TextField meta={fields.resolvedAt} label="Resolved on" type="date" />
        <TextField meta={fields.actualValue} label="Actual value (optional)" />
      </div>
      <TextField meta={fields.evidenceUrl} label="Evidence link (required when delivered)" placeholder="https://… or /letters/2026" />
      {shows(status === "partial", Boolean(fields.partialDescription.errors)) ? (
        <div className="outcome-form__partial">
          <TextAreaField meta={fields.partialDescription} label="Which part was delivered" rows={2} />
        </div>
      ) : null}
      {shows(status !== "delivered", Boolean(fields.reasonCategory.errors || fields.control.errors || fields.explanation.errors || fields.lesson.errors)) ? (
        <fieldset className="outcome-form__shortfall">
          <legend>Why it was not delivered in full</legend>
          <SelectField
            meta={fields.reasonCategory}
            label="Primary reason"
            placeholder="Choose the primary reason"
            options={REASON_CATEGORIES.map((r) => ({ value: r, label: REASON_LABEL[r] }))}
          />
          <SelectField meta={fields.control} label="Was it in our control?" placeholder="Choose…" options={CONTROLS.map((x) => ({ value: x, label: CONTROL_LABEL[x] }))} />
          <TextAreaField meta={fields.explanation} label="What happened (Markdown)" rows={3} />
          <TextAreaField meta={fields.lesson} label="What we learned (Markdown)" rows={2} />
        </fieldset>
      ) : null}
      {existing ? <TextAreaField meta={fields.changeReason} label="Why are you changing a recorded outcome? (required)" rows={2} /> : null}
      <button type="submit" className="button button--primary">
        {existing ? "Change outcome" : "Record outcome"}
      </button>
    </Form>
  );
}

function CarryForwardForm({
  version,
  statement,
  periods,
  currentPeriod,
  lastResult,
}: {
  version: number;
  statement: string;
  periods: string[];
  currentPeriod: string;
  lastResult: LastResult;
}) {
  const [form, fields] = useForm({
    id: "carry-forward",
    lastResult,
    constraint: getZodConstraint(CarryForwardSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    defaultValue: { statement },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CarryForwardSchema }),
  });
  return (
    <section aria-labelledby="carry-heading">
      <h2 id="carry-heading">Carry forward</h2>
      <p>Commit to it again in a later period. The new commitment links back here and counts as the next attempt.</p>
      <Form method="post" {...getFormProps(form)} className="panel stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="intent" value="carry-forward" />
        <input type="hidden" name="version" value={version} />
        <TextAreaField meta={fields.statement} label="Commitment for the next attempt" rows={2} />
        <div className="field-row">
          <SelectField
            meta={fields.periodLabel}
            label="New period"
            placeholder="Choose a later period"
            options={periods.filter((p) => p !== currentPeriod).map((p) => ({ value: p, label: p }))}
          />
          <TextField meta={fields.dueDate} label="New due date" type="date" />
        </div>
        <button type="submit" className="button button--primary">
          Carry forward
        </button>
      </Form>
    </section>
  );
}
