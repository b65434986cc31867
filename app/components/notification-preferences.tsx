import { SelectField } from "~/components/ui/field";
import type { FieldMetadata } from "@conform-to/react";
import { EMAIL_FREQUENCY_LABELS } from "~/schemas/notifications";

const KINDS = [
  ["checkIn", "Check in: no check-in for longer than the organisation's cadence"],
  ["dueSoon", "Due soon: the due date is 14 days away"],
  ["pastDue", "Past due: the due date has passed without an outcome (weekly)"],
  ["retrospective", "Retrospective: a period ended and its retrospective has not been held"],
  ["weeklyDigest", "Weekly digest: your commitments and your teams', every Monday"],
] as const;

const EVENTS = [
  ["rescopes", "Re-scoped: what was promised changed, with the reason"],
  ["outcomes", "Outcome recorded or changed"],
  ["checkIns", "Checked in by someone else"],
] as const;

/** The checkboxes and mail frequency shared by a person's preferences and the admins' defaults. */
export function PreferenceFields({
  idPrefix,
  defaults,
  email,
}: {
  idPrefix: string;
  defaults: Record<(typeof KINDS)[number][0] | (typeof EVENTS)[number][0], boolean>;
  email: FieldMetadata<string>;
}) {
  return (
    <>
      <fieldset>
        <legend>Reminders</legend>
        {KINDS.map(([name, label]) => (
          <div className="field field--checkbox" key={name}>
            <input id={`${idPrefix}-${name}`} type="checkbox" name={name} defaultChecked={defaults[name]} />
            <label htmlFor={`${idPrefix}-${name}`}>{label}</label>
          </div>
        ))}
      </fieldset>
      <fieldset>
        <legend>Events on your commitments and your teams&apos;</legend>
        {EVENTS.map(([name, label]) => (
          <div className="field field--checkbox" key={name}>
            <input id={`${idPrefix}-${name}`} type="checkbox" name={name} defaultChecked={defaults[name]} />
            <label htmlFor={`${idPrefix}-${name}`}>{label}</label>
          </div>
        ))}
      </fieldset>
      <SelectField meta={email} label="Mail" options={Object.entries(EMAIL_FREQUENCY_LABELS).map(([value, label]) => ({ value, label }))} />
    </>
  );
}
