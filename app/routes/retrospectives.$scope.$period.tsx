import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { BreakdownBars, OutcomeBars, RateTrend, ReliabilityChart } from "~/components/charts";
import { FormErrors, TextAreaField, TextField } from "~/components/ui/field";
import { PersonPicker, pickerMatchesOf } from "~/components/person-picker";
import { ActionDisclosure } from "~/components/ui/action-disclosure";
import { periodFromLabel } from "~/domain/period";
import { DELIVERY_RATE_LABEL, deliveryRateExplanation, formatPercent } from "~/domain/statistics";
import { CONTROL_LABEL, OUTCOME_LABEL, REASON_LABEL } from "~/domain/types";
import { ActionItemFormSchema, ActionItemSchema, ActionStatusSchema, NotesSchema } from "~/schemas/retrospectives";
import { organisationCalendar } from "~/services/organisation.server";
import { addActionItem, changeActionItemStatus, loadRetrospective, resolveScope, saveNotes } from "~/services/retrospectives.server";
import { invalid, refused } from "~/http/forms.server";
import { OWNER_PICKER, pickerReply, takeTypedPerson } from "~/http/person-picker.server";
import { notFound, pageError } from "~/http/route-errors.server";
import { renderMarkdown } from "~/utils/markdown.server";
import { actorOf, requireUser } from "~/http/session.server";
import { Day } from "~/components/dates";
import { decodeCursor, encodeCursor } from "~/utils/cursor";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Retrospective: ${data.scopeName}, ${data.period.label} · Kept` : "Retrospective · Kept" },
];

/** Rows of the outcomes table per page: a year of a large organisation is thousands. */
const OUTCOMES_PAGE_SIZE = 100;

async function scopeAndPeriod(context: LoaderFunctionArgs["context"], params: LoaderFunctionArgs["params"]) {
  const scope = await resolveScope(context.db, String(params.scope ?? "").toLowerCase());
  if (!scope) throw notFound("There is no team at this address.");
  const { calendar } = await organisationCalendar(context.db, new Date());
  const period = periodFromLabel(String(params.period ?? ""), calendar);
  if (!period) throw notFound("That is not a period Kept knows, such as FY2026-Q3.");
  return { scope, period };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { scope, period } = await scopeAndPeriod(context, params);
  const after = decodeCursor(new URL(request.url).searchParams.get("after"), { dueDate: "date", id: "uuid" });
  const data = await loadRetrospective(context.db, actorOf(user), scope, period, new Date(), { limit: OUTCOMES_PAGE_SIZE, after: after ?? undefined }, context.figures);
  const last = data.rows.at(-1);
  // The page shows how many are open past due and surprises, and marks its rows: the id lists
  // (bounded, for the API) stay out of the page's data.
  const { openPastDue: _openPastDue, surprises: _surprises, ...figures } = data.summary;
  return {
    ...data,
    summary: figures,
    scopeSlug: scope.slug,
    scopeName: scope.name,
    notesHtml: {
      wentWell: renderMarkdown(data.notes.wentWell),
      wentBadly: renderMarkdown(data.notes.wentBadly),
      willChange: renderMarkdown(data.notes.willChange),
    },
    /** The outcomes table continues on the next page from here (keyset), or it ends here. */
    nextOutcomes: data.truncated && last ? encodeCursor({ dueDate: last.dueDate, id: last.id }) : null,
    continued: Boolean(after),
  };
}

const ActionSchema = z.discriminatedUnion("intent", [NotesSchema, ActionItemSchema, ActionStatusSchema]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { scope, period } = await scopeAndPeriod(context, params);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const actor = actorOf(user);
  // The action item's owner is typed (ADR 0029): the server turns the text into the person.
  const owner = intent === "add-action" ? await takeTypedPerson(context.db, actor, formData, OWNER_PICKER, { kind: "owner" }, false) : null;
  const submission = parseWithZod(formData, { schema: ActionSchema });
  if (owner) return pickerReply(submission, owner, { intent });
  if (submission.status !== "success") return invalid(submission, { extra: { intent } });
  const now = new Date();
  const v = submission.value;
  const result =
    v.intent === "notes"
      ? await saveNotes(context.db, actor, scope, period, v, v.version, now, context.logger)
      : v.intent === "add-action"
        ? await addActionItem(context.db, actor, scope, period, v, now, context.logger)
        : await changeActionItemStatus(context.db, actor, v.itemId, v.status, now, context.logger);
  if (!result.ok) {
    // A missing action item is the form's error (the list moved on); a refusal is a page.
    if (result.error.code === "FORBIDDEN") throw pageError(result.error);
    return refused(submission, result.error, { extra: { intent } });
  }
  return redirect(`/retrospectives/${scope.slug}/${period.label}?saved=${intent}`);
}

const SAVED: Record<string, string> = {
  notes: "Notes saved.",
  "add-action": "Action item added.",
  "action-status": "Action item updated.",
};

const NOTE_PARTS = [
  ["wentWell", "What went well"],
  ["wentBadly", "What did not go well"],
  ["willChange", "What we will change"],
] as const;

export default function Retrospective() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { summary, period } = data;
  const saved = SAVED[searchParams.get("saved") ?? ""];
  const resultFor = (intent: string) => (actionData?.intent === intent ? actionData.result : undefined);
  const [notesForm, notesFields] = useForm({
    // A new version is a new form, so a saved edit's text becomes the fields' starting value.
    id: `notes-v${data.notes.version}`,
    lastResult: resultFor("notes"),
    defaultValue: data.notes,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: NotesSchema }),
  });
  // The owner is typed into `owner` and resolved on the server (ADR 0029); the schema takes its id.
  const [itemForm, itemFields] = useForm({
    id: "add-action",
    lastResult: resultFor("add-action"),
    constraint: getZodConstraint(ActionItemFormSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ActionItemFormSchema }),
  });
  const base = `/retrospectives/${data.scopeSlug}`;
  const notesWritten = NOTE_PARTS.some(([key]) => data.notes[key].trim() !== "");
  return (
    <div className="page page--wide retro">
      <p className="breadcrumb">
        <Link to="/retrospectives">Retrospectives</Link>
      </p>
      <h1>
        Retrospective: {data.scopeName}, {period.label}
      </h1>
      <p className="lead">
        {period.start} to {period.end}.{" "}
        <Link to={`${base}/${data.previousPeriod.label}`}>Previous: {data.previousPeriod.label}</Link> ·{" "}
        <Link to={`${base}/${data.nextPeriod.label}`}>Next: {data.nextPeriod.label}</Link>
      </p>
      {saved ? (
        <p role="status" className="notice">
          {saved}
        </p>
      ) : null}

      <section aria-labelledby="carried-actions">
        <h2 id="carried-actions">Open actions from {data.previousPeriod.label}</h2>
        {data.previousOpenItems.length === 0 ? (
          <p>None: the previous retrospective left no open action items.</p>
        ) : (
          <ActionList items={data.previousOpenItems} canEdit={data.canEdit} today={data.today} />
        )}
      </section>

      <section aria-labelledby="numbers">
        <h2 id="numbers">The numbers</h2>
        <dl className="stat-grid">
          <div>
            <dt>Made</dt>
            <dd>{summary.made}</dd>
          </div>
          <div>
            <dt>{DELIVERY_RATE_LABEL}</dt>
            <dd>{formatPercent(summary.deliveryRate)}</dd>
            <dd className="muted">{deliveryRateExplanation(summary.counts)}</dd>
          </div>
          <div>
            <dt>Delivered, of resolved</dt>
            <dd>{formatPercent(summary.deliveryRateOfResolved)}</dd>
            <dd className="muted">
              secondary: {summary.counts.delivered} of {summary.resolved} delivered, partly delivered or missed
            </dd>
          </div>
          <div>
            <dt>On time</dt>
            <dd>{formatPercent(summary.onTimeRate)}</dd>
            <dd className="muted">
              {summary.daysLate.lateCount === 0
                ? "nothing delivered late"
                : `${summary.daysLate.lateCount} late, by ${Math.round(summary.daysLate.mean ?? 0)} days on average (max ${summary.daysLate.max})`}
            </dd>
          </div>
          <div>
            <dt>Open past due</dt>
            <dd>{summary.openPastDueCount}</dd>
          </div>
          <div>
            <dt>Surprises</dt>
            <dd>{summary.surpriseCount}</dd>
            <dd className="muted">missed or partial while the last check-in said on track</dd>
          </div>
          <div>
            <dt>Brier score</dt>
            <dd>{summary.calibration.brier === null ? "—" : summary.calibration.brier.toFixed(2)}</dd>
            <dd className="muted">over {summary.calibration.n} forecasts; lower is better</dd>
          </div>
        </dl>
        <div className="chart-grid">
          <OutcomeBars title="Outcomes" counts={summary.counts} />
          <BreakdownBars
            title="Reasons for what was not delivered"
            unit="reasons"
            items={summary.reasons.byCategory.map((r) => ({ label: REASON_LABEL[r.category], value: r.count }))}
          />
          <BreakdownBars
            title="Was it in our control?"
            unit="reasons"
            labelHeading="Control"
            items={summary.reasons.byControl.map((r) => ({ label: CONTROL_LABEL[r.control], value: r.count }))}
          />
          <RateTrend title="Delivery rate by period" points={data.trend} />
          <ReliabilityChart
            title="How well the forecasts matched the outcomes"
            buckets={summary.calibration.buckets}
            brier={summary.calibration.brier}
            n={summary.calibration.n}
          />
        </div>
      </section>

      <section aria-labelledby="outcomes-table">
        <h2 id="outcomes-table">Outcomes</h2>
        <p>
          <a href={`${base}/${period.label}/outcomes.csv`} download>
            Download the outcomes table as CSV
          </a>
          {data.truncated || data.continued ? ` (the table below shows ${data.rows.length} by due date, a page at a time; the CSV has them all)` : null}
        </p>
        {data.rows.length === 0 ? (
          <p>
            No commitments in {period.label} for {data.scopeName}.{" "}
            {data.canEdit ? <Link to="/commitments/new">Write one</Link> : null}
          </p>
        ) : (
          <div className="table-wrap">
            <table className="stack-table">
              <caption className="visually-hidden">Every commitment of the period with its outcome</caption>
              <thead>
                <tr>
                  <th scope="col">Commitment</th>
                  <th scope="col">Team</th>
                  <th scope="col">Due</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {data.rows.map((r) => (
                  <tr key={r.id} className={r.surprise ? "surprise" : undefined}>
                    <td data-label="Commitment">
                      <Link to={`/commitments/${r.id}`}>{r.statement}</Link>
                      {r.surprise ? <strong className="danger-text"> · surprise</strong> : null}
                    </td>
                    <td data-label="Team">{r.teamName}</td>
                    <td data-label="Due">
                      <Day value={r.dueDate} />
                    </td>
                    <td data-label="Outcome">
                      <span className={`badge badge--${r.status}`}>{r.status === "open" ? "Open" : OUTCOME_LABEL[r.status]}</span>
                      {r.resolvedAt ? (
                        <span className="muted">
                          {" "}
                          <Day value={r.resolvedAt} />
                        </span>
                      ) : null}
                    </td>
                    <td data-label="Reason">{r.reasonCategory ? REASON_LABEL[r.reasonCategory] : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data.continued || data.nextOutcomes ? (
          <nav aria-label="Pages of outcomes" className="pager">
            {data.continued ? <Link to={`${base}/${period.label}#outcomes-table`}>First page of outcomes</Link> : null}
            {data.nextOutcomes ? <Link to={`${base}/${period.label}?after=${data.nextOutcomes}#outcomes-table`}>Next page of outcomes</Link> : null}
          </nav>
        ) : null}
      </section>

      <section aria-labelledby="notes-heading">
        <h2 id="notes-heading">Notes</h2>
        <div className="notes">
          {NOTE_PARTS.map(([key, title]) => (
            <div key={key}>
              <h3>{title}</h3>
              {data.notesHtml[key] ? <div className="prose" dangerouslySetInnerHTML={{ __html: data.notesHtml[key] }} /> : <p className="muted">Not written yet.</p>}
            </div>
          ))}
        </div>
        {data.canEdit ? (
          // Read first; the Markdown boxes open on demand (and straight away when the save failed).
          // Keyed by the version, so a saved edit closes them again.
          <ActionDisclosure key={data.notes.version} label={notesWritten ? "Edit the notes" : "Write the notes"} open={actionData?.intent === "notes"}>
            <Form method="post" {...getFormProps(notesForm)} className="panel stack">
              <FormErrors id={notesForm.errorId} errors={notesForm.errors} />
              <input type="hidden" name="intent" value="notes" />
              <input type="hidden" name="version" value={data.notes.version} />
              <TextAreaField meta={notesFields.wentWell} label="What went well (Markdown)" rows={4} />
              <TextAreaField meta={notesFields.wentBadly} label="What did not go well (Markdown)" rows={4} />
              <TextAreaField meta={notesFields.willChange} label="What we will change (Markdown)" rows={4} />
              <button type="submit" className="button button--primary">
                Save notes
              </button>
            </Form>
          </ActionDisclosure>
        ) : null}
      </section>

      <section aria-labelledby="actions-heading">
        <h2 id="actions-heading">Action items</h2>
        {data.items.length === 0 ? <p>No action items yet.</p> : <ActionList items={data.items} canEdit={data.canEdit} today={data.today} />}
        {data.canEdit ? (
          // A new key after each add gives an empty form; the browser would otherwise keep what was typed.
          <Form method="post" {...getFormProps(itemForm)} key={data.items.length} className="panel stack">
            <h3>Add an action item</h3>
            <FormErrors id={itemForm.errorId} errors={itemForm.errors} />
            <input type="hidden" name="intent" value="add-action" />
            <TextField meta={itemFields.text} label="What will be done" />
            <div className="field-row">
              <PersonPicker
                meta={itemFields.owner}
                label="Owner"
                hint="Type part of their name or e-mail; leave it empty for no owner yet."
                idName="ownerId"
                pickName="ownerPick"
                matches={actionData?.intent === "add-action" ? pickerMatchesOf(actionData) : undefined}
                source="for=owner"
              />
              <TextField meta={itemFields.dueDate} label="Due date (optional)" type="date" />
            </div>
            <button type="submit" className="button button--primary">
              Add action item
            </button>
          </Form>
        ) : null}
      </section>
    </div>
  );
}

type Item = {
  id: string;
  text: string;
  ownerName: string | null;
  dueDate: string | null;
  status: "open" | "done" | "dropped";
  promotedCommitmentId: string | null;
};

function ActionList({ items, canEdit, today }: { items: Item[]; canEdit: boolean; today: string }) {
  return (
    <ul className="action-items">
      {items.map((item) => (
        <li key={item.id} className={`action-item action-item--${item.status}`}>
          <p>
            <strong>{item.text}</strong>{" "}
            <span className="muted">
              · {item.ownerName ?? "no owner"}
              {item.dueDate ? (
                <>
                  {" "}
                  · due <Day value={item.dueDate} />
                </>
              ) : null}
              {item.status === "open" && item.dueDate && item.dueDate < today ? " · overdue" : ""} · {item.status}
            </span>
          </p>
          {item.promotedCommitmentId ? (
            <p>
              Became <Link to={`/commitments/${item.promotedCommitmentId}`}>a commitment</Link>.
            </p>
          ) : null}
          {canEdit ? (
            <div className="inline-form">
              {(["done", "dropped", "open"] as const)
                .filter((s) => s !== item.status)
                .map((s) => (
                  <Form method="post" key={s}>
                    <input type="hidden" name="intent" value="action-status" />
                    <input type="hidden" name="itemId" value={item.id} />
                    <input type="hidden" name="status" value={s} />
                    <button
                      type="submit"
                      className="button button--small"
                      aria-label={`${s === "done" ? "Mark done" : s === "dropped" ? "Drop" : "Reopen"}: ${item.text}`}
                    >
                      {s === "done" ? "Mark done" : s === "dropped" ? "Drop" : "Reopen"}
                    </button>
                  </Form>
                ))}
              {!item.promotedCommitmentId ? (
                <Link
                  className="button button--small"
                  to={`/commitments/new?fromAction=${item.id}`}
                  aria-label={`Promote to a commitment: ${item.text}`}
                >
                  Promote to a commitment
                </Link>
              ) : null}
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
