// The person pickers: suggestions while typing, and what a submitted text names (ADR 0029).
// One guard for both, so the suggestions offer exactly the people the form's action accepts.
import type { DbOrTx } from "../../db/client";
import { mayEverWrite } from "~/domain/permissions";
import {
  PERSON_SUGGESTIONS,
  PERSON_TEXT_MAX,
  choosePerson,
  personChoiceMessage,
  searchText,
  typedEmail,
  type PersonCandidate,
} from "~/domain/person-picker";
import { fail, ok, type Actor, type DomainError, type Result } from "~/domain/result";
import { searchPeople } from "~/models/user.server";
import { authorize } from "./authorize.server";

/**
 * Whom a picker chooses among: anyone active (an owner), or the active people not on a team yet.
 * An owner picker editing a record names its current owner in `current`: that person stays
 * choosable after being deactivated, so saving an edit that leaves the owner alone is not
 * refused (the record keeps history; choosing someone new still takes an active person).
 */
export type PickerScope = { kind: "owner"; current?: string | null } | { kind: "new-member"; teamId: string };

function refusal(actor: Actor, scope: PickerScope): { ok: false; error: DomainError } | null {
  if (scope.kind === "new-member") return authorize(actor, "teams.manage", "Only admins can change who is on a team.");
  return mayEverWrite(actor) ? null : fail("FORBIDDEN", "A viewer's account reads; it chooses no owners.");
}

function candidates(db: DbOrTx, scope: PickerScope, text: string, preferredId: string | null) {
  return searchPeople(db, {
    text: searchText(text),
    email: typedEmail(text),
    preferredId,
    notMemberOf: scope.kind === "new-member" ? scope.teamId : undefined,
    alsoInactive: scope.kind === "owner" ? (scope.current ?? null) : null,
    // One more than shown, so "more than ten match" can be told from "ten match".
    limit: PERSON_SUGGESTIONS + 1,
  });
}

/** Up to PERSON_SUGGESTIONS people the picker may offer for what has been typed so far. */
export async function suggestPeople(db: DbOrTx, actor: Actor, scope: PickerScope, text: string): Promise<Result<PersonCandidate[]>> {
  const refused = refusal(actor, scope);
  if (refused) return refused;
  const typed = text.trim().slice(0, PERSON_TEXT_MAX);
  if (typed === "") return ok([]);
  return ok((await candidates(db, scope, typed, null)).slice(0, PERSON_SUGGESTIONS));
}

export interface TypedPerson {
  /** The picker's text field as submitted. */
  text: string;
  /** The person the form started with (its hidden field), kept while the text is still their name. */
  preferredId: string | null;
  /** The field's name, for the error. */
  field: string;
  /** Whether the form needs a person (a new member) or may have none (an owner). */
  required: boolean;
}

export type PersonResolution =
  | { ok: true; id: string | null }
  | { ok: false; error: DomainError; matches: PersonCandidate[] };

/**
 * The person a submitted text names within `scope`, null for an empty optional field; otherwise
 * the field error, with the matches to choose from when the text fits several people.
 */
export async function resolveTypedPerson(db: DbOrTx, actor: Actor, scope: PickerScope, typed: TypedPerson): Promise<PersonResolution> {
  const refused = refusal(actor, scope);
  if (refused) return { ...refused, matches: [] };
  const text = typed.text.trim();
  if (text.length > PERSON_TEXT_MAX) {
    return { ok: false, error: fail("VALIDATION", `Keep it under ${PERSON_TEXT_MAX} characters: a name or an e-mail.`, typed.field).error, matches: [] };
  }
  if (text === "") {
    if (!typed.required) return { ok: true, id: null };
    return { ok: false, error: fail("VALIDATION", "Type the name or e-mail of the person to add.", typed.field).error, matches: [] };
  }
  const choice = choosePerson(text, await candidates(db, scope, text, typed.preferredId), typed.preferredId);
  if (choice.kind === "one") return { ok: true, id: choice.person.id };
  const who = scope.kind === "new-member" ? "active person who is not on this team yet" : "active person";
  const message = personChoiceMessage(choice, text, who) ?? "Choose a person.";
  return { ok: false, error: fail("VALIDATION", message, typed.field).error, matches: choice.kind === "several" ? choice.matches : [] };
}
