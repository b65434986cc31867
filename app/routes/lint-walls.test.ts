// The lint wall that keeps permission decisions out of routes (eslint.config.js, ADR 0039):
// the real configuration lints small sources as if they were route files, so a rule that
// stopped matching (a selector typo, a block that no longer applies to app/routes) fails here.
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const eslint = new ESLint({ cwd: root });

/** The messages of the rules this wall is made of, for `code` linted as a route module. */
async function wallMessages(code: string, file = "app/routes/wall-probe.tsx") {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-syntax" || m.ruleId === "no-restricted-imports").map((m) => m.message);
}

const WALL = /Routes do not compare roles/;

describe("routes do not compare roles", { timeout: 60_000 }, () => {
  it.each([
    ["a user's role against a role's name", `export function f(user: { role: string }) { return user.role === "admin"; }`],
    ["the name first", `export function f(user: { role: string }) { return "admin" !== user.role; }`],
    ["a loose comparison", `export function f(user: { role: string }) { return user.role != "viewer"; }`],
    ["a team role", `export function f(m: { teamRole: string }) { return m.teamRole === "editor"; }`],
    ["a destructured role", `export function f({ role }: { role: string }) { return role === "member"; }`],
    ["a switch on a role", `export function f(user: { role: string }) { switch (user.role) { default: return 1; } }`],
    ["the list of roles", `import { ROLES } from "~/domain/types";\nexport const n = ROLES.length;`],
    ["the list of team roles", `import { TEAM_ROLES } from "~/domain/types";\nexport const n = TEAM_ROLES.length;`],
  ])("refuses %s", async (_what, code) => {
    const messages = await wallMessages(code);
    expect(messages.filter((m) => WALL.test(m))).toHaveLength(1);
  });

  it("lets routes ask the permissions module, and compare what is not a role", async () => {
    const code = [
      `import { can } from "~/domain/permissions";`,
      `import type { Actor } from "~/domain/result";`,
      `import { TEAM_ROLE_SUMMARY, type TeamRole } from "~/domain/types";`,
      `export const mayManage = (actor: Actor) => can(actor, "teams.manage");`,
      `export const label = (role: TeamRole) => TEAM_ROLE_SUMMARY[role];`,
      `export const changed = (asked: { role?: string }, person: { role: string }) => asked.role !== undefined && asked.role !== person.role;`,
      `export const open = (c: { status: string }) => c.status === "open";`,
    ].join("\n");
    expect(await wallMessages(code)).toEqual([]);
  });

  it("holds for routes only: a service may compare roles (through its guard)", async () => {
    const code = `export function f(user: { role: string }) { return user.role === "admin"; }`;
    expect((await wallMessages(code, "app/services/wall-probe.server.ts")).filter((m) => WALL.test(m))).toEqual([]);
  });

  it("keeps the routes' other walls: no Date.now(), no database", async () => {
    const messages = await wallMessages(`import { sql } from "drizzle-orm";\nexport const t = () => [Date.now(), sql];`);
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/Date.now\(\) hides it/), expect.stringMatching(/never query the database directly/)]));
  });
});
