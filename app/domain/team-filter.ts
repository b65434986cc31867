// The commitments list's team filter is a text field, not a select of every team (ADR 0036):
// the address carries a slug (links from the dashboard, a team's page) or the text typed, and
// the server turns it into one team, or says why it cannot. Pure: the model finds the
// candidates, this decides among them.

/** Matches listed when the text fits several teams: a bounded few. */
export const TEAM_MATCHES = 10;

export interface TeamCandidate {
  id: string;
  slug: string;
  name: string;
}

export type TeamChoice = { kind: "one"; team: TeamCandidate } | { kind: "none" } | { kind: "several"; matches: TeamCandidate[]; more: boolean };

/**
 * Decides which team `text` names among `candidates` (teams whose slug is the text or whose name
 * contains it; at most TEAM_MATCHES + 1). In order: the exact slug; the one team whose whole
 * name it is (case aside); the only match. Otherwise none, or several to choose from.
 */
export function chooseTeam(text: string, candidates: readonly TeamCandidate[]): TeamChoice {
  const typed = text.trim();
  const bySlug = candidates.find((c) => c.slug === typed);
  if (bySlug) return { kind: "one", team: bySlug };
  const lower = typed.toLowerCase();
  const wholeName = candidates.filter((c) => c.name.toLowerCase() === lower);
  if (wholeName.length === 1) return { kind: "one", team: wholeName[0]! };
  if (candidates.length === 1) return { kind: "one", team: candidates[0]! };
  if (candidates.length === 0) return { kind: "none" };
  return { kind: "several", matches: candidates.slice(0, TEAM_MATCHES), more: candidates.length > TEAM_MATCHES };
}

/** Why the typed team was not applied, to show beside the field (which keeps the text). */
export function teamChoiceError(text: string, choice: TeamChoice): string | null {
  if (choice.kind === "none") return `No team's name contains “${text.trim()}”.`;
  if (choice.kind === "several") return `${choice.more ? "More than " : ""}${choice.more ? TEAM_MATCHES : choice.matches.length} teams match; choose one below or type more of the name.`;
  return null;
}
