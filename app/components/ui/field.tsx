import { getInputProps, getSelectProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";

// Form primitives wired for accessibility: every control has a label, its error sits beside
// it, and aria-invalid/aria-describedby point a screen reader at the message.

function ErrorText({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="field__error">
      {errors.join(" ")}
    </p>
  );
}

function Hint({ id, children }: { id: string; children?: ReactNode }) {
  if (!children) return null;
  return (
    <p id={id} className="field__hint">
      {children}
    </p>
  );
}

interface BaseProps {
  label: string;
  hint?: ReactNode;
}

export function TextField({
  meta,
  label,
  hint,
  type = "text",
  autoComplete,
  placeholder,
}: BaseProps & {
  meta: FieldMetadata<string | number | undefined | null>;
  type?: "text" | "email" | "password" | "number" | "date" | "url" | "search";
  autoComplete?: string;
  placeholder?: string;
}) {
  const hintId = `${meta.id}-hint`;
  const describedBy = [hint ? hintId : null, meta.errors?.length ? meta.errorId : null].filter(Boolean).join(" ");
  const props = getInputProps(meta, { type, ariaAttributes: true });
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <Hint id={hintId}>{hint}</Hint>
      <input
        {...props}
        key={props.key}
        autoComplete={autoComplete}
        placeholder={placeholder}
        aria-describedby={describedBy || undefined}
      />
      <ErrorText id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

export function TextAreaField({ meta, label, hint, rows = 4 }: BaseProps & { meta: FieldMetadata<string | undefined | null>; rows?: number }) {
  const hintId = `${meta.id}-hint`;
  const describedBy = [hint ? hintId : null, meta.errors?.length ? meta.errorId : null].filter(Boolean).join(" ");
  const props = getTextareaProps(meta, { ariaAttributes: true });
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <Hint id={hintId}>{hint}</Hint>
      <textarea {...props} key={props.key} rows={rows} aria-describedby={describedBy || undefined} />
      <ErrorText id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

export function SelectField({
  meta,
  label,
  hint,
  options,
  placeholder,
}: BaseProps & {
  meta: FieldMetadata<string | number | undefined | null>;
  options: Array<{ value: string; label: string }>;
  placeholder?: string;
}) {
  const hintId = `${meta.id}-hint`;
  const describedBy = [hint ? hintId : null, meta.errors?.length ? meta.errorId : null].filter(Boolean).join(" ");
  const props = getSelectProps(meta, { ariaAttributes: true });
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <Hint id={hintId}>{hint}</Hint>
      <select {...props} key={props.key} aria-describedby={describedBy || undefined}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorText id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

/** Errors that belong to the whole form rather than one field (e.g. a conflict). */
export function FormErrors({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <div id={id} className="form-errors" role="alert">
      {errors.map((e) => (
        <p key={e}>{e}</p>
      ))}
    </div>
  );
}
