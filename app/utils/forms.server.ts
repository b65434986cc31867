import type { Submission } from "@conform-to/react";
import { data } from "@remix-run/node";
import { STATUS_BY_CODE, type DomainError } from "~/services/result";

/** A form that failed validation: 400 with the field errors; the form keeps what was typed. */
export function invalid<Schema>(submission: Submission<Schema>, hideFields: string[] = []) {
  return data({ result: submission.reply({ hideFields }) }, { status: 400 });
}

/** A service refused: the error sits beside its field, or above the form when it has none. */
export function refused<Schema>(submission: Submission<Schema>, error: DomainError, hideFields: string[] = []) {
  const headers = new Headers();
  if (error.retryAfter) headers.set("Retry-After", String(error.retryAfter));
  return data(
    {
      result: submission.reply({
        hideFields,
        ...(error.field ? { fieldErrors: { [error.field]: [error.message] } } : { formErrors: [error.message] }),
      }),
    },
    { status: STATUS_BY_CODE[error.code], headers },
  );
}
