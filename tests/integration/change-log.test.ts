// A change logs the same line whichever way it was made: the use case writes it, so the UI's
// form and the JSON API (which only hand their request logger in) cannot drift apart.
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createToken } from "~/services/api-tokens.server";
import { login } from "~/services/auth.server";
import { loadEnv } from "~/utils/env.server";
import { commitSessionToken } from "~/http/session.server";
import { action as commitmentPageAction } from "~/routes/commitments.$id._index";
import { action as apiCheckInAction } from "~/routes/api.v1.commitments.$id.check-ins";
import { action as peopleIndexAction } from "~/routes/people._index";
import { action as personAction } from "~/routes/people.$userId";
import { action as apiPeopleAction } from "~/routes/api.v1.people";
import { action as apiPersonAction } from "~/routes/api.v1.people.$id";
import { action as teamsIndexAction } from "~/routes/teams._index";
import { action as teamAction } from "~/routes/teams.$slug";
import { action as apiTeamsAction } from "~/routes/api.v1.teams";
import { action as apiMemberAction } from "~/routes/api.v1.teams.$id.members.$userId";
import { action as tokensAction } from "~/routes/account.tokens";
import { action as apiTokenAction } from "~/routes/api.v1.tokens.$id";
import { action as webhooksAction } from "~/routes/settings_.webhooks";
import { action as apiWebhookSettingsAction } from "~/routes/api.v1.webhook-settings";
import { action as lettersIndexAction } from "~/routes/letters._index";
import { action as draftAction } from "~/routes/letters.drafts.$id";
import { action as apiLettersAction } from "~/routes/api.v1.letters";
import { action as apiLetterAction } from "~/routes/api.v1.letters.$id";
import { letterEtag } from "~/api/letter-resources.server";
import { findLetter, generateLetterDraft } from "~/services/letters.server";
import { getTeamBySlug } from "~/models/team.server";
import { findCredentialsByEmail } from "~/models/user.server";
import { DEFAULT_PASSWORD, addMember, makeCommitment, makeOrganisation, makeTeam, makeUser } from "../factories";
import { testDatabase } from "../setup/db";

/** A request context whose logger keeps every line it is given. */
function capturingContext(db: Awaited<ReturnType<typeof testDatabase>>["db"]) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const context = { db, env: loadEnv({ NODE_ENV: "test" }), logger, requestId: "t", cspNonce: "", clientIp: "127.0.0.1" };
  return { context, lines };
}

/** The lines a change wrote, without what differs per process, moment and commitment. */
const changeLines = (lines: Array<Record<string, unknown>>, commitmentId: string) =>
  lines
    .filter((l) => l.msg === "commitment changed")
    .map(({ time: _time, pid: _pid, hostname: _hostname, ...rest }) => ({ ...rest, commitmentId: rest.commitmentId === commitmentId ? "<the commitment>" : rest.commitmentId }));

describe("change log", () => {
  it("writes the same line for a check-in made on the commitment page and through the API", async () => {
    const { db } = await testDatabase();
    await makeOrganisation(db);
    const editor = await makeUser(db, { email: "editor@example.com" });
    const team = await makeTeam(db);
    await addMember(db, team.id, editor.id, "editor");
    const actor = { id: editor.id, role: editor.role };
    const viaUi = await makeCommitment(db, actor, team.id, { statement: "Ship the first thing by the end of the quarter" });
    const viaApi = await makeCommitment(db, actor, team.id, { statement: "Ship the second thing by the end of the quarter" });
    const checkIn = { date: "2026-06-15", forecast: "at_risk", probability: 60, note: "Halfway there." };

    const ui = capturingContext(db);
    const env = ui.context.env;
    const session = await login(db, { email: editor.email, password: DEFAULT_PASSWORD, ip: "192.0.2.1", userAgent: "vitest", previousToken: null });
    if (!session.ok) throw new Error(session.error.message);
    const cookie = (await commitSessionToken(env, session.value.token, session.value.expiresAt)).split(";")[0]!;
    const form = new FormData();
    for (const [k, v] of Object.entries({ intent: "check-in", ...checkIn, probability: String(checkIn.probability) })) form.append(k, v);
    const saved = (await commitmentPageAction({
      request: new Request(`http://kept.test/commitments/${viaUi.id}`, { method: "POST", body: form, headers: { Cookie: cookie } }),
      context: ui.context,
      params: { id: viaUi.id },
    } as never)) as Response;
    expect(saved.status).toBe(302);

    const api = capturingContext(db);
    const token = await createToken(db, actor, { name: "change log", scope: "write", expiresAt: null }, new Date());
    if (!token.ok) throw new Error(token.error.message);
    const created = (await apiCheckInAction({
      request: new Request(`http://kept.test/api/v1/commitments/${viaApi.id}/check-ins`, {
        method: "POST",
        body: JSON.stringify(checkIn),
        headers: { Authorization: `Bearer ${token.value.token}`, "Content-Type": "application/json" },
      }),
      context: api.context,
      params: { id: viaApi.id },
    } as never)) as Response;
    expect(created.status).toBe(201);

    const fromUi = changeLines(ui.lines, viaUi.id);
    expect(fromUi).toEqual([{ level: 30, msg: "commitment changed", commitmentId: "<the commitment>", intent: "check-in", by: editor.id }]);
    expect(changeLines(api.lines, viaApi.id)).toEqual(fromUi);
  });
});

// Every other kind of change: the admin makes it once through a page's form and once through
// the JSON API, and both write the same line. Ids of the things changed differ between the two
// runs and are compared as "<id>"; who made the change (`by`) must be the same person.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function adminWorld() {
  const { db } = await testDatabase();
  await makeOrganisation(db);
  const admin = await makeUser(db, { email: "admin@example.com", role: "admin" });
  const actor = { id: admin.id, role: admin.role };
  const env = loadEnv({ NODE_ENV: "test" });
  const session = await login(db, { email: admin.email, password: DEFAULT_PASSWORD, ip: "192.0.2.1", userAgent: "vitest", previousToken: null });
  if (!session.ok) throw new Error(session.error.message);
  const cookie = (await commitSessionToken(env, session.value.token, session.value.expiresAt)).split(";")[0]!;
  const token = await createToken(db, actor, { name: "change log", scope: "write", expiresAt: null }, new Date());
  if (!token.ok) throw new Error(token.error.message);
  type Action = (args: never) => Promise<unknown>;
  const settle = async (run: () => Promise<unknown>) => {
    try {
      return (await run()) as unknown;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown; // a redirect after a saved form
      throw thrown;
    }
  };
  /** Posts a page's form as the signed-in admin; returns the lines the request logged. */
  const viaUi = async (action: Action, path: string, params: Record<string, string>, fields: Record<string, string>) => {
    const { context, lines } = capturingContext(db);
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    const request = new Request(`http://kept.test${path}`, { method: "POST", body, headers: { Cookie: cookie } });
    const reply = await settle(() => action({ request, context, params } as never));
    return { reply, lines };
  };
  /** Calls the JSON API with the admin's write token; returns the lines the request logged. */
  const viaApi = async (action: Action, method: string, path: string, params: Record<string, string>, json?: unknown, headers: Record<string, string> = {}) => {
    const { context, lines } = capturingContext(db);
    const request = new Request(`http://kept.test${path}`, {
      method,
      body: json === undefined ? undefined : JSON.stringify(json),
      headers: { Authorization: `Bearer ${token.value.token}`, "Content-Type": "application/json", ...headers },
    });
    const reply = (await settle(() => action({ request, context, params } as never))) as Response;
    expect(reply.status, await reply.clone().text()).toBeLessThan(300);
    return { reply, lines };
  };
  /** The lines with `message`, without what differs per process, moment and thing changed. */
  const logged = (lines: Array<Record<string, unknown>>, ...messages: string[]) =>
    lines
      .filter((l) => messages.includes(String(l.msg)))
      .map(({ time: _time, pid: _pid, hostname: _hostname, ...rest }) =>
        Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, typeof v === "string" && UUID.test(v) && v !== admin.id ? "<id>" : v])),
      );
  return { db, admin, actor, viaUi, viaApi, logged };
}

describe("change log: the same line from a page and from the API", () => {
  it("adds a person and changes their role", async () => {
    const w = await adminWorld();
    const ui = await w.viaUi(peopleIndexAction, "/people", {}, { intent: "add", name: "Ada Page", email: "ada@example.com", role: "member" });
    const api = await w.viaApi(apiPeopleAction, "POST", "/api/v1/people", {}, { name: "Ada Api", email: "ada.api@example.com", role: "member" });
    const added = w.logged(ui.lines, "person added");
    expect(added).toEqual([{ level: 30, msg: "person added", userId: "<id>", role: "member", by: w.admin.id, invited: true, emailed: false }]);
    expect(w.logged(api.lines, "person added")).toEqual(added);

    const [uiPerson, apiPerson] = await Promise.all([findCredentialsByEmail(w.db, "ada@example.com"), findCredentialsByEmail(w.db, "ada.api@example.com")]);
    const uiRole = await w.viaUi(personAction, `/people/${uiPerson!.id}`, { userId: uiPerson!.id }, { intent: "role", role: "viewer" });
    const apiRole = await w.viaApi(apiPersonAction, "PATCH", `/api/v1/people/${apiPerson!.id}`, { id: apiPerson!.id }, { role: "viewer" });
    const changed = w.logged(uiRole.lines, "person changed");
    expect(changed).toEqual([{ level: 30, msg: "person changed", userId: "<id>", intent: "role", role: "viewer", by: w.admin.id }]);
    expect(w.logged(apiRole.lines, "person changed")).toEqual(changed);
  });

  it("creates a team and puts a person on it", async () => {
    const w = await adminWorld();
    const ui = await w.viaUi(teamsIndexAction, "/teams", {}, { intent: "create", name: "Platform", slug: "platform", mission: "" });
    const api = await w.viaApi(apiTeamsAction, "POST", "/api/v1/teams", {}, { name: "Payments", slug: "payments", mission: "" });
    const created = w.logged(ui.lines, "team created");
    expect(created).toEqual([{ level: 30, msg: "team created", teamId: "<id>", by: w.admin.id }]);
    expect(w.logged(api.lines, "team created")).toEqual(created);

    const person = await makeUser(w.db, { email: "member@example.com" });
    const payments = await getTeamBySlug(w.db, "payments");
    const uiMember = await w.viaUi(teamAction, "/teams/platform", { slug: "platform" }, { intent: "add-member", userId: person.id, role: "editor" });
    const apiMember = await w.viaApi(apiMemberAction, "PUT", `/api/v1/teams/${payments!.id}/members/${person.id}`, { id: payments!.id, userId: person.id }, { role: "editor" });
    const set = w.logged(uiMember.lines, "team member set");
    expect(set).toEqual([{ level: 30, msg: "team member set", teamId: "<id>", userId: "<id>", role: "editor", by: w.admin.id }]);
    expect(w.logged(apiMember.lines, "team member set")).toEqual(set);
  });

  it("revokes an API token", async () => {
    const w = await adminWorld();
    const made = await Promise.all([1, 2].map((n) => createToken(w.db, w.actor, { name: `spare ${n}`, scope: "read", expiresAt: null }, new Date())));
    const [first, second] = made.map((m) => (m.ok ? m.value.row.id : ""));
    const ui = await w.viaUi(tokensAction, "/account/tokens", {}, { intent: "revoke", tokenId: first! });
    const api = await w.viaApi(apiTokenAction, "DELETE", `/api/v1/tokens/${second}`, { id: second! });
    const revoked = w.logged(ui.lines, "API token revoked");
    expect(revoked).toEqual([{ level: 30, msg: "API token revoked", tokenId: "<id>", by: w.admin.id }]);
    expect(w.logged(api.lines, "API token revoked")).toEqual(revoked);
  });

  it("changes the webhook settings", async () => {
    const w = await adminWorld();
    const ui = await w.viaUi(webhooksAction, "/settings/webhooks", {}, { intent: "settings", allowPrivateTargets: "on" });
    const api = await w.viaApi(apiWebhookSettingsAction, "PUT", "/api/v1/webhook-settings", {}, { allowPrivateTargets: true });
    const changed = w.logged(ui.lines, "webhook settings changed");
    expect(changed).toEqual([{ level: 30, msg: "webhook settings changed", allowPrivateTargets: true, by: w.admin.id }]);
    expect(w.logged(api.lines, "webhook settings changed")).toEqual(changed);
  });

  it("generates and discards a letter's draft", async () => {
    const w = await adminWorld();
    const letterLines = ["letter draft generated", "letter draft regenerated", "letter draft discarded"];
    const uiMade = await w.viaUi(lettersIndexAction, "/letters", {}, { intent: "generate", fiscalYear: "2026", audience: "internal" });
    const uiDraft = await findLetter(w.db, w.actor, 2026, "internal");
    const uiGone = await w.viaUi(draftAction, `/letters/drafts/${uiDraft!.id}`, { id: uiDraft!.id }, { intent: "discard", version: String(uiDraft!.version) });
    const fromUi = [...w.logged(uiMade.lines, ...letterLines), ...w.logged(uiGone.lines, ...letterLines)];
    expect(fromUi).toEqual([
      { level: 30, msg: "letter draft generated", letterId: "<id>", fiscalYear: 2026, audience: "internal", by: w.admin.id },
      { level: 30, msg: "letter draft discarded", letterId: "<id>", by: w.admin.id },
    ]);

    const apiMade = await w.viaApi(apiLettersAction, "POST", "/api/v1/letters", {}, { fiscalYear: 2026, audience: "internal" });
    const apiDraft = await findLetter(w.db, w.actor, 2026, "internal");
    const ifMatch = letterEtag(apiDraft!, []);
    const apiGone = await w.viaApi(apiLetterAction, "DELETE", `/api/v1/letters/${apiDraft!.id}`, { id: apiDraft!.id }, undefined, { "If-Match": ifMatch });
    expect([...w.logged(apiMade.lines, ...letterLines), ...w.logged(apiGone.lines, ...letterLines)]).toEqual(fromUi);
  });

  it("saves an edit to a letter's draft", async () => {
    const w = await adminWorld();
    const drafts = await Promise.all(
      (["internal", "public"] as const).map((audience) => generateLetterDraft(w.db, w.actor, { fiscalYear: 2026, audience }, new Date())),
    );
    const [forUi, forApi] = drafts.map((d) => (d.ok ? d.value : null));
    const body = `${forUi!.body}\n\nOne more paragraph, added by hand.`;
    const ui = await w.viaUi(draftAction, `/letters/drafts/${forUi!.id}`, { id: forUi!.id }, { intent: "save", version: String(forUi!.version), title: forUi!.title, body });
    const api = await w.viaApi(apiLetterAction, "PATCH", `/api/v1/letters/${forApi!.id}`, { id: forApi!.id }, { body }, { "If-Match": letterEtag(forApi!, []) });
    const saved = w.logged(ui.lines, "letter draft saved");
    expect(saved).toEqual([{ level: 30, msg: "letter draft saved", letterId: "<id>", version: forUi!.version + 1, by: w.admin.id }]);
    expect(w.logged(api.lines, "letter draft saved")).toEqual(saved);
  });
});
