// The person pickers (a commitment's owner, an action item's owner, a team's new member) are
// text fields: the server turns what was typed into one person, or says why it cannot. Pure:
// the model finds the candidates, this decides among them (ADR 0029).

/** Suggestions sent while typing, and matches listed when a name is ambiguous: a bounded few. */
export const PERSON_SUGGESTIONS = 10;
/** Longest text a picker accepts (a name or e-mail, or "Name <e-mail>" as a suggestion fills it in). */
export const PERSON_TEXT_MAX = 300;

export interface PersonCandidate {
  id: string;
  name: string;
  email: string;
}

/** How a suggestion fills the field: unambiguous (the e-mail) and readable (the name). */
export function personLabel(person: { name: string; email: string }): string {
  return `${person.name} <${person.email}>`;
}

/** The e-mail a typed text names exactly: "Name <e-mail>" as a suggestion fills it in, or a bare e-mail. */
export function typedEmail(text: string): string | null {
  const trimmed = text.trim();
  const bracketed = /<\s*([^<>\s]+@[^<>\s]+)\s*>$/.exec(trimmed);
  if (bracketed) return bracketed[1]!.toLowerCase();
  return /^[^\s@<>]+@[^\s@<>]+$/.test(trimmed) ? trimmed.toLowerCase() : null;
}

/** What the search matches on: the e-mail inside "Name <e-mail>", else the text itself. */
export function searchText(text: string): string {
  return typedEmail(text) ?? text.trim();
}

export type PersonChoice =
  | { kind: "empty" }
  | { kind: "one"; person: PersonCandidate }
  | { kind: "none" }
  | { kind: "several"; matches: PersonCandidate[]; more: boolean };

/**
 * Decides which person `text` names among `candidates` (those in the picker's scope whose name
 * or e-mail contains the search text, or whose e-mail is the typed one; at most
 * PERSON_SUGGESTIONS + 1). In order: an exact e-mail; the person the form started with
 * (`preferredId`) when the text is still exactly their name; the one person whose whole name
 * it is; the only match. Otherwise none, or several to choose from.
 */
export function choosePerson(text: string, candidates: readonly PersonCandidate[], preferredId: string | null): PersonChoice {
  const typed = text.trim();
  if (typed === "") return { kind: "empty" };
  const email = typedEmail(typed);
  if (email) {
    const exact = candidates.find((c) => c.email.toLowerCase() === email);
    if (exact) return { kind: "one", person: exact };
  }
  const lower = typed.toLowerCase();
  const preferred = preferredId ? candidates.find((c) => c.id === preferredId && c.name.toLowerCase() === lower) : undefined;
  if (preferred) return { kind: "one", person: preferred };
  const wholeName = candidates.filter((c) => c.name.toLowerCase() === lower);
  if (wholeName.length === 1) return { kind: "one", person: wholeName[0]! };
  if (candidates.length === 1) return { kind: "one", person: candidates[0]! };
  if (candidates.length === 0) return { kind: "none" };
  return { kind: "several", matches: candidates.slice(0, PERSON_SUGGESTIONS), more: candidates.length > PERSON_SUGGESTIONS };
}

/** The field error for a text that names nobody, or several people; `who` says whom the field may name. */
export function personChoiceMessage(choice: PersonChoice, text: string, who: string): string | null {
  const typed = text.trim();
  switch (choice.kind) {
    case "none":
      return `No ${who} matches “${typed}”. Type part of their name or e-mail.`;
    case "several":
      return choice.more
        ? `More than ${PERSON_SUGGESTIONS} people match “${typed}”: choose one of the first ${PERSON_SUGGESTIONS} below, or type more of the name or e-mail.`
        : `${choice.matches.length} people match “${typed}”: choose one below, or type more of the name or e-mail.`;
    default:
      return null;
  }
}
