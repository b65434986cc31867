import type { Submission } from "@conform-to/react";
import { data } from "@remix-run/node";
import { STATUS_BY_CODE, type DomainError } from "~/domain/result";

interface ReplyOptions<Extra> {
  /** Fields never sent back (passwords). */
  hideFields?: string[];
  /** More data for the page, e.g. which of several forms was sent. */
  extra?: Extra;
}

/** A form that failed validation: 400 with the field errors; the form keeps what was typed. */
export function invalid<Schema, Extra extends object = object>(submission: Submission<Schema>, options: ReplyOptions<Extra> = {}) {
  return data(
    { ...(options.extra ?? ({} as Extra)), result: submission.reply({ hideFields: options.hideFields ?? [] }) },
    { status: 400 },
  );
}

/** A service refused: the error sits beside its field, or above the form when it has none. */
export function refused<Schema, Extra extends object = object>(
  submission: Submission<Schema>,
  error: DomainError,
  options: ReplyOptions<Extra> = {},
) {
  const headers = new Headers();
  if (error.retryAfter) headers.set("Retry-After", String(error.retryAfter));
  return data(
    {
      ...(options.extra ?? ({} as Extra)),
      result: submission.reply({
        hideFields: options.hideFields ?? [],
        ...(error.fieldErrors
          ? { fieldErrors: error.fieldErrors, formErrors: error.field ? [] : [error.message] }
          : error.field
            ? { fieldErrors: { [error.field]: [error.message] } }
            : { formErrors: [error.message] }),
      }),
    },
    { status: STATUS_BY_CODE[error.code], headers },
  );
}
