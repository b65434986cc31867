// Teams form a tree (parent → sub-teams). Pure helpers to show it and to offer only parents
// that would not create a cycle.

export interface TreeTeam {
  id: string;
  parentId: string | null;
  name: string;
}

export interface TreeRow<T extends TreeTeam> {
  team: T;
  depth: number;
}

/** localeCompare(…, "en") builds a collator per comparison; one serves every sort. */
const BY_NAME = new Intl.Collator("en");

/** Depth-first, siblings by name; teams whose parent is missing are shown as roots. */
export function flattenTree<T extends TreeTeam>(teams: T[]): TreeRow<T>[] {
  const ids = new Set(teams.map((t) => t.id));
  const children = new Map<string | null, T[]>();
  for (const team of teams) {
    const key = team.parentId && ids.has(team.parentId) ? team.parentId : null;
    const list = children.get(key) ?? [];
    list.push(team);
    children.set(key, list);
  }
  for (const list of children.values()) list.sort((a, b) => BY_NAME.compare(a.name, b.name) || a.id.localeCompare(b.id));
  const rows: TreeRow<T>[] = [];
  const seen = new Set<string>();
  const visit = (parent: string | null, depth: number) => {
    for (const team of children.get(parent) ?? []) {
      if (seen.has(team.id)) continue;
      seen.add(team.id);
      rows.push({ team, depth });
      visit(team.id, depth + 1);
    }
  };
  visit(null, 0);
  return rows;
}

/** Ids of `rootId` and everything below it. */
export function descendantsOf(teams: TreeTeam[], rootId: string): Set<string> {
  const result = new Set<string>([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of teams) {
      if (t.parentId && result.has(t.parentId) && !result.has(t.id)) {
        result.add(t.id);
        grew = true;
      }
    }
  }
  return result;
}
