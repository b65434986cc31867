// A fuzz suite for the main form actions, with fast-check: form posts whose fields hold
// generated and hostile values (NUL bytes, malformed ids and dates, huge text), and bodies that
// are not forms at all (JSON, text, empty, a broken multipart). Every action runs inside the
// same guard the server puts around it (server/http.ts); none may answer 5xx.
import type { ServerBuild } from "@remix-run/node";
import fc from "fast-check";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { guardDataFunctions } from "../../server/http";
import { login } from "~/services/auth.server";
import { addPerson } from "~/services/people.server";
import { loadEnv } from "~/utils/env.server";
import { commitSessionToken } from "~/http/session.server";
import * as account from "~/routes/account._index";
import * as accountTokens from "~/routes/account.tokens";
import * as commitment from "~/routes/commitments.$id._index";
import * as commitmentEdit from "~/routes/commitments.$id.edit";
import * as commitmentNew from "~/routes/commitments.new";
import * as loginRoute from "~/routes/login";
import * as people from "~/routes/people._index";
import * as person from "~/routes/people.$userId";
import * as retrospective from "~/routes/retrospectives.$scope.$period";
import * as settings from "~/routes/settings";
import * as setPassword from "~/routes/set-password.$token";
import * as setup from "~/routes/setup";
import * as team from "~/routes/teams.$slug";
import * as teamEdit from "~/routes/teams.$slug_.edit";
import * as teams from "~/routes/teams._index";
import { DEFAULT_PASSWORD } from "../factories";
import { testDatabase } from "../setup/db";
import { world } from "../support/world";

const RUNS = Number(process.env.FORM_FUZZ_RUNS ?? (process.env.CI ? 150 : 40));

const ROUTES = [
  { id: "routes/login", path: "/login", module: loginRoute, fields: ["email", "password", "redirectTo"] },
  { id: "routes/setup", path: "/setup", module: setup, fields: ["organisationName", "fiscalYearStartMonth", "timeZone", "adminName", "adminEmail", "adminPassword"] },
  { id: "routes/teams._index", path: "/teams", module: teams, fields: ["intent", "name", "slug", "mission", "parentId"] },
  { id: "routes/teams.$slug", path: "/teams/{slug}", module: team, fields: ["intent", "userId", "role"] },
  { id: "routes/teams.$slug_.edit", path: "/teams/{slug}/edit", module: teamEdit, fields: ["intent", "name", "slug", "mission", "parentId"] },
  { id: "routes/people._index", path: "/people", module: people, fields: ["name", "email", "role", "password"] },
  { id: "routes/people.$userId", path: "/people/{userId}", module: person, fields: ["intent", "role", "active", "teamId", "teamRole", "tokenId"] },
  { id: "routes/commitments.new", path: "/commitments/new", module: commitmentNew, fields: ["statement", "teamId", "periodLabel", "dueDate", "measureKind", "baseline", "target", "unit", "evidenceSource", "audience", "ownerId"] },
  { id: "routes/commitments.$id._index", path: "/commitments/{id}", module: commitment, fields: ["intent", "forecast", "probability", "status", "reasonCategory", "explanation", "lesson", "version"] },
  { id: "routes/commitments.$id.edit", path: "/commitments/{id}/edit", module: commitmentEdit, fields: ["statement", "periodLabel", "dueDate", "version", "changeReason"] },
  { id: "routes/retrospectives.$scope.$period", path: "/retrospectives/{scope}/{period}", module: retrospective, fields: ["intent", "notes", "version", "text", "itemId", "status"] },
  { id: "routes/settings", path: "/settings", module: settings, fields: ["intent", "organisationName", "fiscalYearStartMonth", "timeZone", "minimumScore", "version"] },
  { id: "routes/account.tokens", path: "/account/tokens", module: accountTokens, fields: ["intent", "name", "scope", "expiresAt", "tokenId"] },
  { id: "routes/account._index", path: "/account", module: account, fields: ["intent", "currentPassword", "newPassword", "confirm", "sessionId"] },
  { id: "routes/set-password.$token", path: "/set-password/{token}", module: setPassword, fields: ["password", "confirm", "username"] },
];

const hostile = fc.constantFrom("\u0000", "a\u0000b", "%", "00000000-0000-0000-0000-00000000000g", "2026-02-30", "FY99999", "-1", "1e309", "x".repeat(20_000), "", " ", "create", "update", "delete", "revoke", "on", "admin");

describe("fuzzing the main form actions", () => {
  it(`answers ${RUNS} generated posts to each of ${ROUTES.length} actions without a 5xx`, { timeout: 600_000 }, async () => {
    const { db } = await testDatabase();
    const w = await world(db, {
      teams: { payments: { slug: "payments" } },
      people: { admin: { role: "admin", email: "form-fuzz@example.com", teams: { payments: "editor" } } },
    });
    const { admin } = w.people;
    const t = w.teams.payments;
    const c = await w.commit(w.actors.admin, t);
    const env = loadEnv({ NODE_ENV: "test" });
    const signedIn = await login(db, { email: "form-fuzz@example.com", password: DEFAULT_PASSWORD, ip: "127.0.0.2", userAgent: null });
    if (!signedIn.ok) throw new Error("could not sign in");
    const cookie = (await commitSessionToken(env, signedIn.value.token, signedIn.value.expiresAt)).split(";")[0]!;
    const build = guardDataFunctions({ routes: Object.fromEntries(ROUTES.map((r) => [r.id, { id: r.id, module: r.module }])) } as unknown as ServerBuild);
    // Someone else's open invitation, so the set-password action meets a link that works (once).
    const invited = await addPerson(db, w.actors.admin, { name: "Ivo Invited", email: "ivo@example.com", role: "member" }, new Date(), {
      baseUrl: "http://kept.test",
      mail: false,
    });
    if (!invited.ok || !invited.value.invitation) throw new Error("could not invite");
    const token = invited.value.invitation.url.slice(invited.value.invitation.url.lastIndexOf("/") + 1);
    const params = { slug: "payments", userId: admin.id, id: c.id, scope: "payments", period: "FY2026", token };
    const failures: string[] = [];
    let sent = 0;

    for (const route of ROUTES) {
      const action = build.routes[route.id]!.module.action as (args: unknown) => Promise<unknown>;
      const value = fc.oneof({ arbitrary: hostile, weight: 2 }, { arbitrary: fc.string({ maxLength: 60 }), weight: 2 }, { arbitrary: fc.constantFrom(admin.id, t.id, c.id, "FY2026-Q1", "2026-06-30", "1", "member", "delivered"), weight: 2 });
      const body = fc.oneof(
        { arbitrary: fc.dictionary(fc.constantFrom(...route.fields), value).map((f) => ({ type: "application/x-www-form-urlencoded", body: new URLSearchParams(f).toString() })), weight: 6 },
        { arbitrary: fc.jsonValue({ maxDepth: 2 }).map((j) => ({ type: "application/json", body: JSON.stringify(j) })), weight: 1 },
        { arbitrary: fc.string().map((s) => ({ type: "text/plain", body: s })), weight: 1 },
        { arbitrary: fc.constant({ type: "", body: "" }), weight: 1 },
        { arbitrary: fc.constant({ type: "multipart/form-data; boundary=broken", body: "--nope\r\nnot a part" }), weight: 1 },
      );
      await fc.assert(
        fc.asyncProperty(body, fc.boolean(), async (post, withCookie) => {
          sent++;
          let path = route.path;
          for (const [name, v] of Object.entries(params)) path = path.replace(`{${name}}`, v);
          const request = new Request(`http://kept.test${path}`, {
            method: "POST",
            headers: { ...(post.type ? { "Content-Type": post.type } : {}), ...(withCookie ? { Cookie: cookie } : {}) },
            body: post.body,
          });
          const context = { db, env, logger: pino({ level: "silent" }), requestId: `form-${sent}`, cspNonce: "", clientIp: `10.9.${sent % 250}.1` };
          try {
            const result = await action({ request, params, context });
            const status = result instanceof Response ? result.status : ((result as { init?: { status?: number } })?.init?.status ?? 200);
            if (status >= 500) failures.push(`${route.path} ${post.type}: ${status}`);
          } catch (thrown) {
            if (!(thrown instanceof Response)) failures.push(`${route.path} ${post.type} ${post.body.slice(0, 120)}: threw ${String(thrown)}`);
            else if (thrown.status >= 500) failures.push(`${route.path} ${post.type} ${post.body.slice(0, 120)}: ${thrown.status} ${await thrown.text()}`);
          }
        }),
        { numRuns: RUNS, seed: 20261129 },
      );
    }

    expect(sent).toBe(RUNS * ROUTES.length);
    expect(failures.slice(0, 20)).toEqual([]);
  });
});
