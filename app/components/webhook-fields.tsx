import type { FieldMetadata } from "@conform-to/react";
import { TextField } from "~/components/ui/field";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "~/schemas/webhooks";

export const EVENT_LABELS: Record<WebhookEventType, string> = {
  "commitment.created": "A commitment is made (commitment.created)",
  "commitment.rescoped": "A commitment is re-scoped (commitment.rescoped)",
  "commitment.checked_in": "Someone checks in (commitment.checked_in)",
  "outcome.recorded": "An outcome is recorded (outcome.recorded)",
  "outcome.changed": "An outcome is changed (outcome.changed)",
  "letter.published": "A letter is published (letter.published)",
  "erratum.appended": "An erratum is appended (erratum.appended)",
};

/** The fields of a webhook endpoint, shared by the add and edit forms. */
export function WebhookFields({
  idPrefix,
  url,
  description,
  events,
  active,
}: {
  idPrefix: string;
  url: FieldMetadata<string>;
  description: FieldMetadata<string | undefined>;
  events: FieldMetadata<string[]>;
  active: FieldMetadata<unknown>;
}) {
  // The form's default values, or what was sent when the server refused it: nothing typed is lost.
  const initial = events.initialValue as string[] | string | undefined;
  const chosen = Array.isArray(initial) ? initial : initial ? [initial] : [];
  const isActive = active.initialValue === "on" || active.initialValue === true;
  const eventsError = events.errors?.length ? events.errors.join(" ") : null;
  return (
    <>
      <TextField meta={url} label="URL" type="url" hint="An https address on a public network. Kept POSTs each event there, signed." />
      <TextField meta={description} label="Description (optional)" hint="What receives it, for whoever reads this list next." />
      <fieldset aria-describedby={eventsError ? `${idPrefix}-events-error` : undefined} aria-invalid={eventsError ? true : undefined}>
        <legend>Events</legend>
        {WEBHOOK_EVENT_TYPES.map((type) => (
          <div className="field field--checkbox" key={type}>
            <input id={`${idPrefix}-event-${type}`} type="checkbox" name={events.name} value={type} defaultChecked={chosen.includes(type)} />
            <label htmlFor={`${idPrefix}-event-${type}`}>{EVENT_LABELS[type]}</label>
          </div>
        ))}
        {eventsError ? (
          <p id={`${idPrefix}-events-error`} className="field__error">
            {eventsError}
          </p>
        ) : null}
      </fieldset>
      <div className="field field--checkbox">
        <input id={`${idPrefix}-active`} type="checkbox" name={active.name} defaultChecked={isActive} />
        <label htmlFor={`${idPrefix}-active`}>Active: send events to this endpoint</label>
      </div>
    </>
  );
}
