// A person picker's three form fields as an action reads them (ADR 0029): the text typed
// (`owner`), the id of the person the form started with (`ownerId`, hidden) and a match chosen
// after an ambiguous text (`ownerPick`, radio buttons). Before the form's schema parses,
// the text is turned into the id the schema and the service expect.
import type { SubmissionResult } from "@conform-to/react";
import { data } from "@remix-run/node";
import type { DbOrTx } from "../../db/client";
import type { PersonCandidate } from "~/domain/person-picker";
import { STATUS_BY_CODE, type Actor, type DomainError } from "~/domain/result";
import { UuidSchema } from "~/schemas/common";
import { resolveTypedPerson, type PickerScope } from "~/services/person-picker.server";

export interface PickerFields {
  /** The text field: what was typed, and where the error shows. */
  text: string;
  /** The id the form's schema and service take. */
  id: string;
  /** The radio buttons listing the matches of an ambiguous text. */
  pick: string;
}

const pickerFields = (text: string, id: string): PickerFields => ({ text, id, pick: `${text}Pick` });

/** A commitment's and an action item's owner: `owner`, `ownerId`, `ownerPick`. */
export const OWNER_PICKER = pickerFields("owner", "ownerId");
/** A team's new member: `person`, `userId`, `personPick`. */
export const MEMBER_PICKER = pickerFields("person", "userId");

/** What the form shows after an ambiguous or unknown text: the error beside the field, and the matches. */
export interface PickerProblem {
  error: DomainError;
  matches: PersonCandidate[];
}

/**
 * Resolves the picker's text in `formData` and writes the person's id into its id field (empty
 * for none); null when that worked, else the problem to show. A form that sends the id alone
 * (no text field: a script, an old page) is left as it is, for the service to check.
 */
export async function takeTypedPerson(
  db: DbOrTx,
  actor: Actor,
  formData: FormData,
  fields: PickerFields,
  scope: PickerScope,
  required: boolean,
): Promise<PickerProblem | null> {
  const typed = formData.get(fields.text);
  if (typeof typed !== "string") return null;
  const pick = formData.get(fields.pick);
  formData.delete(fields.pick);
  // A match chosen from the list names its person exactly ("Name <e-mail>"); it replaces the text.
  const text = typeof pick === "string" && pick.trim() !== "" ? pick : typed;
  formData.set(fields.text, text);
  const preferred = UuidSchema.safeParse(formData.get(fields.id));
  const resolved = await resolveTypedPerson(db, actor, scope, {
    text,
    preferredId: preferred.success ? preferred.data : null,
    field: fields.text,
    required,
  });
  formData.set(fields.id, resolved.ok ? (resolved.id ?? "") : "");
  return resolved.ok ? null : { error: resolved.error, matches: resolved.matches };
}

/**
 * The form sent back after a picker's problem: its error beside the picker's text field, with
 * the schema's own errors when there were any, everything typed kept, and the matches to list.
 */
export function pickerReply<Extra extends object>(
  submission: { reply(options?: { fieldErrors?: Record<string, string[]> }): SubmissionResult<string[]> },
  problem: PickerProblem,
  extra: Extra,
) {
  const field = problem.error.field ?? "";
  return data(
    { ...extra, pickerMatches: problem.matches, result: submission.reply({ fieldErrors: { [field]: [problem.error.message] } }) },
    { status: STATUS_BY_CODE[problem.error.code] },
  );
}
