import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { PERSON_TEXT_MAX, personLabel, type PersonCandidate } from "~/domain/person-picker";
import { useSuggestions } from "./use-suggestions";

// A person picker (ADR 0029): a text field where one types a name or e-mail. The server
// resolves what was typed when the form is sent, so it works without JavaScript; with it, a
// native <datalist> offers up to ten matching people from /people/suggestions as one types.
// After an ambiguous text the server lists the matches as radio buttons beside the field.

interface Props {
  /** The conform field of the text (e.g. `owner`): its id, name, value after a reply, errors. */
  meta: FieldMetadata<string | undefined | null>;
  label: string;
  hint: string;
  /** The hidden field with the id of the person the form started with (e.g. `ownerId`). */
  idName: string;
  defaultId?: string | null;
  /** The radio buttons' name for the matches of an ambiguous text (e.g. `ownerPick`). */
  pickName: string;
  matches?: PersonCandidate[];
  /** Whom the suggestions are for: `for=owner`, or `for=member&team=<id>`. */
  source: string;
}

/** The matches a picker's action listed with its error (see pickerReply), if this answer has them. */
export function pickerMatchesOf(actionData: unknown): PersonCandidate[] | undefined {
  if (!actionData || typeof actionData !== "object" || !("pickerMatches" in actionData)) return undefined;
  return Array.isArray(actionData.pickerMatches) ? (actionData.pickerMatches as PersonCandidate[]) : undefined;
}

export function PersonPicker({ meta, label, hint, idName, defaultId, pickName, matches = [], source }: Props) {
  const { suggestions, onChange } = useSuggestions((text) => `/people/suggestions?${source}&q=${encodeURIComponent(text)}`, "people");

  const hintId = `${meta.id}-hint`;
  const listId = `${meta.id}-suggestions`;
  const props = getInputProps(meta, { type: "text", ariaAttributes: true });
  const describedBy = [hintId, meta.errors?.length ? meta.errorId : null].filter(Boolean).join(" ");
  return (
    <div className="field person-picker">
      <label htmlFor={meta.id}>{label}</label>
      <p id={hintId} className="field__hint">
        {hint}
      </p>
      <input
        {...props}
        key={props.key}
        list={listId}
        autoComplete="off"
        maxLength={PERSON_TEXT_MAX}
        aria-describedby={describedBy}
        onChange={onChange}
      />
      <datalist id={listId}>
        {suggestions.map((s) => (
          <option key={s.id} value={s.label} />
        ))}
      </datalist>
      {defaultId ? <input type="hidden" name={idName} value={defaultId} /> : null}
      {meta.errors?.length ? (
        <p id={meta.errorId} className="field__error">
          {meta.errors.join(" ")}
        </p>
      ) : null}
      {matches.length > 0 ? (
        <fieldset className="person-picker__matches">
          <legend>Matching people</legend>
          {matches.map((m) => (
            <label key={m.id} className="person-picker__match">
              <input type="radio" name={pickName} value={personLabel(m)} />
              <span>
                {m.name} <span className="muted">({m.email})</span>
              </span>
            </label>
          ))}
        </fieldset>
      ) : null}
    </div>
  );
}
