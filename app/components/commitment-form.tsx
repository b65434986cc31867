import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";
import { useMemo, useRef, useState, type FormEvent } from "react";
import { PersonPicker } from "~/components/person-picker";
import { StatementFeedback } from "~/components/statement-feedback";
import { FormErrors, SelectField, TextAreaField, TextField } from "~/components/ui/field";
import { normaliseTags } from "~/domain/commitment";
import type { PersonCandidate } from "~/domain/person-picker";
import { lintCommitment, offerFromStatement, suggestRewrite, type FieldOffer } from "~/domain/falsifiability";
import { isValidIsoDate, periodFromLabel, type FiscalCalendar } from "~/domain/period";
import type { Comparator, Measure } from "~/domain/types";
import { CommitmentFieldsSchema, CommitmentFormSchema } from "~/schemas/commitments";

export interface CommitmentFormDefaults {
  statement?: string;
  details?: string;
  measureKind?: "metric" | "deliverable";
  metricName?: string;
  metricBaseline?: string;
  metricComparator?: Comparator;
  metricTarget?: string;
  metricUnit?: string;
  deliverableEvent?: string;
  evidenceSource?: string;
  dueDate?: string;
  periodLabel?: string;
  teamId?: string;
  /** The owner as the picker shows them (their name), and their id while that name stands. */
  owner?: string;
  ownerId?: string;
  audience?: "public" | "internal";
  tags?: string;
}

interface Props {
  id: string;
  lastResult?: SubmissionResult<string[]> | null;
  defaults: CommitmentFormDefaults;
  teams: Array<{ value: string; label: string }>;
  /** After an ambiguous owner: the people it matched, to choose from. */
  ownerMatches?: PersonCandidate[];
  periods: string[];
  calendar: FiscalCalendar;
  today: string;
  minimum: number;
  submitLabel: string;
  /** Edit mode: the version the form started from, and whether changes are re-scopes. */
  version?: number;
  locked?: boolean;
  conflictFields?: string[];
  /** Extra hidden fields, e.g. the action item being promoted. */
  hidden?: Record<string, string>;
}

type Values = Record<string, string>;

function valuesOf(form: HTMLFormElement): Values {
  const out: Values = {};
  new FormData(form).forEach((v, k) => {
    out[k] = typeof v === "string" ? v : "";
  });
  return out;
}

function measureFrom(v: Values): Measure | null {
  if (v.measureKind === "deliverable") return { kind: "deliverable", event: v.deliverableEvent ?? "" };
  if (v.measureKind === "metric") {
    const num = (s: string | undefined) => (s && s.trim() !== "" && Number.isFinite(Number(s)) ? Number(s) : null);
    return {
      kind: "metric",
      name: v.metricName ?? "",
      baseline: num(v.metricBaseline),
      comparator: (v.metricComparator as Comparator) || "gte",
      target: num(v.metricTarget),
      unit: v.metricUnit ?? "",
    };
  }
  return null;
}

/**
 * Sets a field as if typed, so conform and the live lint both see it. React tracks an input's
 * value itself; only the prototype's setter followed by an input event gets past that.
 */
function setFieldValue(form: HTMLFormElement, name: string, value: string) {
  const el = form.elements.namedItem(name);
  if (el instanceof HTMLInputElement && el.type === "radio") return;
  if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement)) return;
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, "value")?.set?.call(el, value);
  el.dispatchEvent(new Event("input", { bubbles: true }));
  el.dispatchEvent(new Event("change", { bubbles: true }));
}

/** What was submitted, when the server sent the form back: the lint must read that, not the defaults. */
function initialValues(defaults: CommitmentFormDefaults, lastResult: SubmissionResult<string[]> | null | undefined): Values {
  const submitted = lastResult?.initialValue;
  const source: Record<string, unknown> = submitted ? { ...defaults, ...submitted } : { ...defaults };
  return Object.fromEntries(Object.entries(source).map(([k, v]) => [k, typeof v === "string" ? v : Array.isArray(v) ? v.join(", ") : ""])) as Values;
}

export function CommitmentForm(props: Props) {
  const { defaults, calendar, today } = props;
  const navigation = useNavigation();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<Values>(() => initialValues(defaults, props.lastResult));
  const [form, fields] = useForm({
    id: props.id,
    lastResult: props.lastResult,
    constraint: getZodConstraint(CommitmentFieldsSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    defaultValue: defaults,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CommitmentFormSchema }),
  });

  const measure = useMemo(() => measureFrom(values), [values]);
  // The same pure linter the server stores runs here on every keystroke.
  const lint = useMemo(() => {
    const period = values.periodLabel ? periodFromLabel(values.periodLabel, calendar) : null;
    return lintCommitment({
      statement: values.statement ?? "",
      measure,
      evidenceSource: values.evidenceSource ?? "",
      dueDate: values.dueDate && isValidIsoDate(values.dueDate) ? values.dueDate : null,
      period: period ? { label: period.label, start: period.start, end: period.end } : null,
      // The typed owner is resolved on save; a name in the field is an owner to the lint.
      hasOwner: Boolean(values.owner?.trim()),
      today,
      isNew: props.version === undefined,
    });
  }, [values, measure, calendar, today, props.version]);

  const validDue = values.dueDate && isValidIsoDate(values.dueDate) ? values.dueDate : null;
  const rewrite = useMemo(() => suggestRewrite({ statement: values.statement ?? "", measure, dueDate: validDue }), [values.statement, measure, validDue]);
  const offer = useMemo(() => offerFromStatement(values.statement ?? "", { measure, dueDate: validDue }, today), [values.statement, measure, validDue, today]);

  const onChange = (event: FormEvent<HTMLFormElement>) => setValues(valuesOf(event.currentTarget));
  const applyRewrite = (text: string) => {
    const el = formRef.current;
    if (!el) return;
    setFieldValue(el, "statement", text);
    setValues(valuesOf(el));
    const textarea = el.elements.namedItem("statement");
    if (textarea instanceof HTMLTextAreaElement) {
      textarea.focus();
      // Put the cursor on the first blank, so filling it in is the next keystroke.
      const blank = text.indexOf("___");
      if (blank >= 0) textarea.setSelectionRange(blank, blank + 3);
    }
  };
  const applyOffer = (o: FieldOffer) => {
    const el = formRef.current;
    if (!el) return;
    if (o.metricTarget !== null) {
      const metricRadio = el.querySelector<HTMLInputElement>('input[name="measureKind"][value="metric"]');
      if (metricRadio && !metricRadio.checked) metricRadio.click();
      setFieldValue(el, "metricTarget", String(o.metricTarget));
      if (o.metricBaseline !== null) setFieldValue(el, "metricBaseline", String(o.metricBaseline));
      if (o.metricUnit) setFieldValue(el, "metricUnit", o.metricUnit);
      if (o.metricComparator) setFieldValue(el, "metricComparator", o.metricComparator);
    }
    if (o.dueDate) setFieldValue(el, "dueDate", o.dueDate);
    setValues(valuesOf(el));
  };
  const measureKind = values.measureKind || "metric";
  const tagsPreview = normaliseTags(values.tags ?? "");

  return (
    <div className="commitment-editor">
      <Form method="post" {...getFormProps(form)} ref={formRef} onChange={onChange} className="stack commitment-form">
        <FormErrors id={form.errorId} errors={form.errors} />
        {props.conflictFields && props.conflictFields.length > 0 ? (
          <p className="form-errors" role="alert">
            Changed by the other save: {props.conflictFields.join(", ")}. Your typed values are still here.{" "}
            <a href="." target="_blank" rel="noreferrer">
              Open the current version
            </a>{" "}
            to compare; saving again replaces it with what you see here.
          </p>
        ) : null}
        {props.version !== undefined ? <input type="hidden" name="version" value={props.version} /> : null}
        {Object.entries(props.hidden ?? {}).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <TextAreaField
          meta={fields.statement}
          label="Commitment (one sentence, the words customers will read)"
          rows={2}
          hint="Say what will be true, by when, measured how: “Serve 99.95% of EU checkout requests under 300 ms by 30 September.”"
        />
        <StatementFeedback
          statement={values.statement ?? ""}
          result={lint}
          minimum={props.minimum}
          rewrite={rewrite}
          offer={offer}
          onUseRewrite={applyRewrite}
          onUseOffer={applyOffer}
        />
        <fieldset className="measure-choice">
          <legend>How we will know</legend>
          <div className="radio-row" role="radiogroup" aria-label="Kind of measure">
            <label>
              <input type="radio" name="measureKind" value="metric" defaultChecked={measureKind === "metric"} /> A
              metric with a target
            </label>
            <label>
              <input type="radio" name="measureKind" value="deliverable" defaultChecked={measureKind === "deliverable"} /> A
              deliverable with an observable event
            </label>
          </div>
          {/* Which fields show follows the checked radio in CSS (:has), so the choice works before and without JavaScript. */}
          <div className="measure-fields measure-fields--metric">
            <TextField meta={fields.metricName} label="What is measured" placeholder="p95 checkout latency" />
            <div className="field-row">
              <TextField meta={fields.metricBaseline} label="Baseline (today)" placeholder="900" />
              <SelectField
                meta={fields.metricComparator}
                label="Target is"
                placeholder="Choose…"
                options={[
                  { value: "lte", label: "at most (≤)" },
                  { value: "gte", label: "at least (≥)" },
                  { value: "eq", label: "exactly (=)" },
                ]}
              />
              <TextField meta={fields.metricTarget} label="Target" placeholder="300" />
              <TextField meta={fields.metricUnit} label="Unit" placeholder="ms" />
            </div>
          </div>
          <div className="measure-fields measure-fields--deliverable">
            <TextField
              meta={fields.deliverableEvent}
              label="Observable event that proves delivery"
              placeholder="generally available in eu-west-1"
            />
          </div>
          <TextField
            meta={fields.evidenceSource}
            label="Evidence source (how anyone can verify it)"
            placeholder="Public status page; release notes; Grafana SLO dashboard"
          />
        </fieldset>
        <fieldset>
          <legend>When and who</legend>
          <div className="field-row">
            <SelectField meta={fields.periodLabel} label="Period" placeholder="Choose a period" options={props.periods.map((p) => ({ value: p, label: p }))} />
            <TextField meta={fields.dueDate} label="Due date" type="date" />
          </div>
          <div className="field-row">
            <SelectField meta={fields.teamId} label="Team" placeholder="Choose a team" options={props.teams} />
            <PersonPicker
              meta={fields.owner}
              label="Owner (directly responsible)"
              hint="Type part of their name or e-mail; leave it empty for no owner yet."
              idName="ownerId"
              defaultId={defaults.ownerId}
              pickName="ownerPick"
              matches={props.ownerMatches}
              source="for=owner"
            />
          </div>
          <div className="radio-row" role="radiogroup" aria-label="Audience">
            <label>
              <input type="radio" name="audience" value="public" defaultChecked={(defaults.audience ?? "public") === "public"} /> Public:
              customer-facing, goes into the public letter and ledger
            </label>
            <label>
              <input type="radio" name="audience" value="internal" defaultChecked={defaults.audience === "internal"} /> Internal
            </label>
          </div>
          <TextField meta={fields.tags} label="Themes (comma-separated)" placeholder="Reliability, Security" />
          {tagsPreview.length > 0 ? <p className="muted">Themes: {tagsPreview.join(" · ")}</p> : null}
        </fieldset>
        <TextAreaField meta={fields.details} label="Details (optional, Markdown)" rows={5} />
        {props.version !== undefined ? (
          <div className="field">
            <label htmlFor={`${props.id}-reason`}>Why are you changing it?{props.locked ? " (required for a re-scope)" : " (optional)"}</label>
            <p id={`${props.id}-reason-hint`} className="field__hint">
              {props.locked
                ? "This commitment is locked. Changing the statement, measure, target, due date, period or audience is a re-scope: it is shown beside the original with your reason."
                : "Recorded in the history with your change."}
            </p>
            <textarea
              id={`${props.id}-reason`}
              name="reason"
              rows={2}
              defaultValue={values.reason ?? ""}
              aria-describedby={`${props.id}-reason-hint${form.allErrors.reason ? ` ${props.id}-reason-error` : ""}`}
              aria-invalid={form.allErrors.reason ? true : undefined}
            />
            {form.allErrors.reason ? (
              <p id={`${props.id}-reason-error`} className="field__error">
                {form.allErrors.reason.join(" ")}
              </p>
            ) : null}
          </div>
        ) : null}
        <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
          {props.submitLabel}
        </button>
      </Form>
    </div>
  );
}
