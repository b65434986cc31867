// A change logs the same line whichever way it was made: the use case writes it, so the UI's
// form and the JSON API (which only hand their request logger in) cannot drift apart.
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createToken } from "~/services/api-tokens.server";
import { loadEnv } from "~/utils/env.server";
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
import { action as teamEditAction } from "~/routes/teams.$slug_.edit";
import { action as apiTeamAction } from "~/routes/api.v1.teams.$id";
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
import { action as webhookAction } from "~/routes/settings_.webhooks_.$id";
import { action as apiWebhooksAction } from "~/routes/api.v1.webhooks";
import { action as apiWebhookAction } from "~/routes/api.v1.webhooks.$id";
import { action as apiRotateSecretAction } from "~/routes/api.v1.webhooks.$id.rotate-secret";
import { action as apiRedeliverAction } from "~/routes/api.v1.webhooks.$id.deliveries.$deliveryId.redeliver";
import { action as internalLetterAction } from "~/routes/letters.$year_.internal";
import { action as apiPublishAction } from "~/routes/api.v1.letters.$id.publish";
import { action as apiErrataAction } from "~/routes/api.v1.letters.$id.errata";
import { action as apiSignInLinkAction } from "~/routes/api.v1.people.$id.sign-in-link";
import { action as settingsAction } from "~/routes/settings";
import { action as apiOrganisationAction } from "~/routes/api.v1.organisation";
import { action as newCommitmentAction } from "~/routes/commitments.new";
import { action as editCommitmentAction } from "~/routes/commitments.$id.edit";
import { action as apiCommitmentsAction } from "~/routes/api.v1.commitments";
import { action as apiCommitmentAction } from "~/routes/api.v1.commitments.$id";
import { action as importPageAction } from "~/routes/teams.$slug_.import";
import { action as apiOutcomeAction } from "~/routes/api.v1.commitments.$id.outcome";
import { action as apiCarryForwardAction } from "~/routes/api.v1.commitments.$id.carry-forward";
import { action as retrospectiveAction } from "~/routes/retrospectives.$scope.$period";
import { action as apiNotesAction, loader as apiNotesLoader } from "~/routes/api.v1.retrospectives.$scope.$period.notes";
import { action as apiActionItemsAction } from "~/routes/api.v1.retrospectives.$scope.$period.action-items";
import { action as apiActionItemAction } from "~/routes/api.v1.action-items.$id";
import { action as apiImportAction } from "~/routes/api.v1.teams.$id.commitments.import";
import { commitmentEtag } from "~/api/commitment-resources.server";
import { getCommitment } from "~/models/commitment.server";
import { getOrganisation } from "~/models/organisation.server";
import { insertDeliveries } from "~/models/webhook.server";
import { getTeamBySlug } from "~/models/team.server";
import { findCredentialsByEmail } from "~/models/user.server";
import { addMember, makeCommitment, makeTeam, makeUser } from "../factories";
import { testDatabase } from "../setup/db";
import { world } from "../support/world";
import { signIn } from "../support/routes";
import { actionItems } from "../../db/schema";
import type { Database } from "../../db/client";
import type { Commitment } from "~/models/commitment.server";

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
    const w = await world(db, { teams: { team: {} }, people: { editor: { role: "member", email: "editor@example.com", teams: { team: "editor" } } } });
    const editor = w.people.editor;
    const actor = w.actors.editor;
    const viaUi = await w.commit(actor, w.teams.team, { statement: "Ship the first thing by the end of the quarter" });
    const viaApi = await w.commit(actor, w.teams.team, { statement: "Ship the second thing by the end of the quarter" });
    const checkIn = { date: "2026-06-15", forecast: "at_risk", probability: 60, note: "Halfway there." };

    const ui = capturingContext(db);
    const cookie = await signIn(db, editor.email);
    const form = new FormData();
    for (const [k, v] of Object.entries({ intent: "check-in", ...checkIn, probability: String(checkIn.probability) })) form.append(k, v);
    const saved = (await commitmentPageAction({
      request: new Request(`http://kept.test/commitments/${viaUi.id}`, { method: "POST", body: form, headers: { Cookie: cookie } }),
      context: ui.context,
      params: { id: viaUi.id },
    } as never)) as Response;
    expect(saved.status).toBe(302);

    const api = capturingContext(db);
    const token = { value: { token: await w.token(editor, "write", "change log") } };
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
  const w = await world(db, { people: { admin: { role: "admin", email: "admin@example.com" } } });
  const admin = w.people.admin;
  const actor = w.actors.admin;
  const cookie = await signIn(db, admin.email);
  const token = { value: { token: await w.token(admin, "write", "change log") } };
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

/** Replaces `field`'s value with a placeholder where it is `expected`, so two runs' lines compare. */
const named = (lines: Array<Record<string, unknown>>, field: string, expected: unknown, placeholder: string) =>
  lines.map((l) => (l[field] === expected ? { ...l, [field]: placeholder } : l));

/** The edit form's fields for a commitment as it stands (a metric, as makeCommitmentInput makes it). */
function editForm(c: Commitment, changes: Record<string, string>) {
  return {
    statement: c.statement,
    details: c.details,
    measureKind: c.measureKind,
    metricName: c.metricName ?? "",
    metricBaseline: c.metricBaseline === null ? "" : String(c.metricBaseline),
    metricComparator: c.metricComparator ?? "",
    metricTarget: c.metricTarget === null ? "" : String(c.metricTarget),
    metricUnit: c.metricUnit ?? "",
    deliverableEvent: c.deliverableEvent ?? "",
    evidenceSource: c.evidenceSource,
    dueDate: c.dueDate,
    periodLabel: c.periodLabel,
    teamId: c.teamId,
    audience: c.audience,
    tags: c.tags.join(", "),
    owner: "",
    version: String(c.version),
    reason: "",
    ...changes,
  };
}

/** The API's write body for a commitment as the API reads it back, with `changes`. */
async function apiWriteBody(db: Database, id: string, changes: Record<string, unknown>) {
  const c = (await getCommitment(db, id))!;
  return {
    statement: c.statement,
    details: c.details,
    measure: { kind: "metric", name: c.metricName, baseline: c.metricBaseline, comparator: c.metricComparator, target: c.metricTarget, unit: c.metricUnit },
    evidenceSource: c.evidenceSource,
    dueDate: c.dueDate,
    periodLabel: c.periodLabel,
    teamId: c.teamId,
    ownerId: c.ownerId,
    audience: c.audience,
    tags: c.tags,
    ...changes,
  };
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

  it("adds, changes, rotates the secret of, redelivers from and deletes a webhook endpoint", async () => {
    const w = await adminWorld();
    const webhookLines = ["webhook added", "webhook changed", "webhook secret rotated", "webhook redelivery queued", "webhook deleted"];
    // A public address written as a literal: checking it needs no DNS.
    const endpoint = { url: "https://93.184.215.14/kept", description: "ERP", events: "letter.published", active: "on" };
    const uiAdded = await w.viaUi(webhooksAction, "/settings/webhooks", {}, { intent: "create", ...endpoint });
    const apiAdded = await w.viaApi(apiWebhooksAction, "POST", "/api/v1/webhooks", {}, { ...endpoint, events: [endpoint.events], active: true });
    const uiId = (uiAdded.reply as { created: { id: string } }).created.id;
    const apiId = ((await apiAdded.reply.json()) as { id: string }).id;
    const delivery = (endpointId: string) => ({
      endpointId,
      eventId: crypto.randomUUID(),
      eventType: "letter.published" as const,
      payload: { type: "letter.published" as const, timestamp: new Date().toISOString(), data: {} },
      createdAt: new Date(),
    });
    const [uiDelivery, apiDelivery] = await insertDeliveries(w.db, [delivery(uiId), delivery(apiId)]);

    const uiPath = `/settings/webhooks/${uiId}`;
    const fromUi = [uiAdded];
    fromUi.push(await w.viaUi(webhookAction, uiPath, { id: uiId }, { intent: "update", ...endpoint, description: "ERP, second system" }));
    fromUi.push(await w.viaUi(webhookAction, uiPath, { id: uiId }, { intent: "rotate" }));
    fromUi.push(await w.viaUi(webhookAction, uiPath, { id: uiId }, { intent: "redeliver", deliveryId: uiDelivery! }));
    fromUi.push(await w.viaUi(webhookAction, uiPath, { id: uiId }, { intent: "delete" }));
    const apiPath = `/api/v1/webhooks/${apiId}`;
    const fromApi = [apiAdded];
    fromApi.push(await w.viaApi(apiWebhookAction, "PATCH", apiPath, { id: apiId }, { description: "ERP, second system" }));
    fromApi.push(await w.viaApi(apiRotateSecretAction, "POST", `${apiPath}/rotate-secret`, { id: apiId }));
    fromApi.push(await w.viaApi(apiRedeliverAction, "POST", `${apiPath}/deliveries/${apiDelivery}/redeliver`, { id: apiId, deliveryId: apiDelivery! }));
    fromApi.push(await w.viaApi(apiWebhookAction, "DELETE", apiPath, { id: apiId }));

    // Each line names the endpoint it changed (compared as "<id>" below).
    const raw = fromUi.flatMap((r) => r.lines).filter((l) => webhookLines.includes(String(l.msg)));
    expect(raw.map((l) => l.webhookId)).toEqual(webhookLines.map(() => uiId));
    const uiLines = fromUi.flatMap((r) => w.logged(r.lines, ...webhookLines));
    expect(uiLines).toEqual([
      { level: 30, msg: "webhook added", webhookId: "<id>", events: ["letter.published"], by: w.admin.id },
      { level: 30, msg: "webhook changed", webhookId: "<id>", by: w.admin.id },
      { level: 30, msg: "webhook secret rotated", webhookId: "<id>", by: w.admin.id },
      { level: 30, msg: "webhook redelivery queued", webhookId: "<id>", deliveryId: "<id>", by: w.admin.id },
      { level: 30, msg: "webhook deleted", webhookId: "<id>", by: w.admin.id },
    ]);
    expect(fromApi.flatMap((r) => w.logged(r.lines, ...webhookLines))).toEqual(uiLines);
  });

  it("publishes a letter and appends an erratum to it", async () => {
    const w = await adminWorld();
    // A year that has ended: the draft page asks for the box to be ticked, the API for nothing more.
    const fiscalYear = 2025;
    const drafts = await Promise.all(
      (["internal", "public"] as const).map((audience) => generateLetterDraft(w.db, w.actor, { fiscalYear, audience }, new Date())),
    );
    const [forUi, forApi] = drafts.map((d) => (d.ok ? d.value : null));
    const letterLines = ["letter published", "erratum appended"];
    const uiPublished = await w.viaUi(
      draftAction,
      `/letters/drafts/${forUi!.id}`,
      { id: forUi!.id },
      { intent: "publish", version: String(forUi!.version), title: forUi!.title, body: forUi!.body, confirmation: "", confirmFrozen: "on" },
    );
    expect((uiPublished.reply as Response).headers.get("Location")).toBe(`/letters/${fiscalYear}/internal`);
    const apiPublished = await w.viaApi(apiPublishAction, "POST", `/api/v1/letters/${forApi!.id}/publish`, { id: forApi!.id }, undefined, {
      "If-Match": letterEtag(forApi!, []),
    });
    const correction = { body: "The second paragraph named the wrong quarter: it was Q3, not Q2." };
    const uiCorrected = await w.viaUi(internalLetterAction, `/letters/${fiscalYear}/internal`, { year: String(fiscalYear) }, { intent: "erratum", ...correction });
    const apiCorrected = await w.viaApi(apiErrataAction, "POST", `/api/v1/letters/${forApi!.id}/errata`, { id: forApi!.id }, correction);

    // The hash differs between the two letters; each line must carry its own letter's.
    const [internal, publicLetter] = await Promise.all([findLetter(w.db, w.actor, fiscalYear, "internal"), findLetter(w.db, w.actor, fiscalYear, "public")]);
    const hashed = (lines: Array<Record<string, unknown>>, sha256: string | null) =>
      lines.map((l) => ("sha256" in l ? { ...l, sha256: l.sha256 === sha256 ? "<the letter's sha256>" : l.sha256 } : l));
    const fromUi = hashed([...w.logged(uiPublished.lines, ...letterLines), ...w.logged(uiCorrected.lines, ...letterLines)], internal!.sha256);
    expect(fromUi).toEqual([
      { level: 30, msg: "letter published", letterId: "<id>", sha256: "<the letter's sha256>", by: w.admin.id },
      { level: 30, msg: "erratum appended", letterId: "<id>", erratumId: "<id>", by: w.admin.id },
    ]);
    const fromApi = hashed([...w.logged(apiPublished.lines, ...letterLines), ...w.logged(apiCorrected.lines, ...letterLines)], publicLetter!.sha256);
    expect(fromApi).toEqual(fromUi);
  });

  it("issues and withdraws a person's sign-in link", async () => {
    const w = await adminWorld();
    const [forUi, forApi] = await Promise.all(["pat@example.com", "sam@example.com"].map((email) => makeUser(w.db, { email })));
    const linkLines = ["sign-in link issued", "sign-in link revoked"];
    const uiIssued = await w.viaUi(personAction, `/people/${forUi!.id}`, { userId: forUi!.id }, { intent: "reset-link" });
    const uiRevoked = await w.viaUi(personAction, `/people/${forUi!.id}`, { userId: forUi!.id }, { intent: "revoke-link" });
    const apiPath = `/api/v1/people/${forApi!.id}/sign-in-link`;
    const apiIssued = await w.viaApi(apiSignInLinkAction, "POST", apiPath, { id: forApi!.id }, { purpose: "reset" });
    const apiRevoked = await w.viaApi(apiSignInLinkAction, "DELETE", apiPath, { id: forApi!.id });
    const fromUi = [...w.logged(uiIssued.lines, ...linkLines), ...w.logged(uiRevoked.lines, ...linkLines)];
    expect(fromUi).toEqual([
      { level: 30, msg: "sign-in link issued", userId: "<id>", by: w.admin.id, purpose: "reset", emailed: false },
      { level: 30, msg: "sign-in link revoked", userId: "<id>", by: w.admin.id, revoked: 1 },
    ]);
    expect([...w.logged(apiIssued.lines, ...linkLines), ...w.logged(apiRevoked.lines, ...linkLines)]).toEqual(fromUi);
  });

  it("saves the organisation's settings", async () => {
    const w = await adminWorld();
    const before = await getOrganisation(w.db);
    const ui = await w.viaUi(settingsAction, "/settings", {}, {
      organisationName: "Acme Cloud",
      fiscalYearStartMonth: "1",
      timeZone: "Europe/Berlin",
      signatoryName: "Ada Admin",
      signatoryTitle: "Chief executive",
      publicSiteEnabled: "on",
      minPublicScore: "40",
      showPublicCheckIns: "on",
      updatedAt: String(before!.updatedAt.getTime()),
    });
    const read = await getOrganisation(w.db);
    const settings = { name: "Acme Cloud", fiscalYearStartMonth: 1, timeZone: "Europe/Berlin", signatoryName: "Ada Admin", signatoryTitle: "Chief executive" };
    const api = await w.viaApi(apiOrganisationAction, "PUT", "/api/v1/organisation", {}, { ...settings, publicSiteEnabled: false, minPublicScore: 50, showPublicCheckIns: false }, {
      "If-Match": `"org.${read!.updatedAt.getTime()}"`,
    });
    const saved = w.logged(ui.lines, "organisation settings saved");
    expect(saved).toEqual([{ level: 30, msg: "organisation settings saved", by: w.admin.id }]);
    expect(w.logged(api.lines, "organisation settings saved")).toEqual(saved);
  });

  it("creates a commitment and edits it", async () => {
    const w = await adminWorld();
    const team = await makeTeam(w.db, { slug: "checkout", name: "Checkout" });
    const owner = await makeUser(w.db, { name: "Owen Owner", email: "owen@example.com" });
    const commitmentLines = ["commitment created", "commitment edited"];
    const statement = "Ship the eu-west-1 region to every EU customer by 30 June 2027";
    // The page's owner field is a person picker: it takes the typed e-mail (ADR 0029); the API takes the id.
    const page = {
      statement,
      measureKind: "deliverable",
      deliverableEvent: "generally available in eu-west-1",
      evidenceSource: "Public status page",
      dueDate: "2027-06-30",
      periodLabel: "FY2027-Q2",
      teamId: team.id,
      audience: "internal",
      tags: "",
      owner: "owen@example.com",
    };
    const api = {
      statement,
      measure: { kind: "deliverable", event: "generally available in eu-west-1" },
      evidenceSource: "Public status page",
      dueDate: "2027-06-30",
      periodLabel: "FY2027-Q2",
      teamId: team.id,
      ownerId: owner.id,
      audience: "internal",
      tags: [],
    };
    const uiCreated = await w.viaUi(newCommitmentAction, "/commitments/new", {}, page);
    const apiCreated = await w.viaApi(apiCommitmentsAction, "POST", "/api/v1/commitments", {}, api);
    const uiId = /^\/commitments\/([0-9a-f-]{36})\?created=1$/.exec((uiCreated.reply as Response).headers.get("Location") ?? "")?.[1];
    const apiId = ((await apiCreated.reply.json()) as { id: string }).id;
    const [uiCommitment, apiCommitment] = await Promise.all([getCommitment(w.db, uiId!), getCommitment(w.db, apiId)]);
    expect([uiCommitment?.ownerId, apiCommitment?.ownerId]).toEqual([owner.id, owner.id]);

    const edited = `${statement}, with the Frankfurt edge first`;
    const uiEdited = await w.viaUi(editCommitmentAction, `/commitments/${uiId}/edit`, { id: uiId! }, {
      ...page,
      ownerId: owner.id,
      statement: edited,
      version: String(uiCommitment!.version),
      reason: "",
    });
    expect((uiEdited.reply as Response).status).toBe(302);
    const apiEdited = await w.viaApi(apiCommitmentAction, "PATCH", `/api/v1/commitments/${apiId}`, { id: apiId }, { ...api, statement: edited }, {
      "If-Match": commitmentEtag(apiCommitment!),
    });
    const fromUi = [...w.logged(uiCreated.lines, ...commitmentLines), ...w.logged(uiEdited.lines, ...commitmentLines)];
    expect(fromUi).toEqual([
      { level: 30, msg: "commitment created", commitmentId: "<id>", by: w.admin.id },
      { level: 30, msg: "commitment edited", commitmentId: "<id>", rescope: false, by: w.admin.id },
    ]);
    expect([...w.logged(apiCreated.lines, ...commitmentLines), ...w.logged(apiEdited.lines, ...commitmentLines)]).toEqual(fromUi);
  });

  it("imports commitments from a CSV file, and logs nothing for a check", async () => {
    const w = await adminWorld();
    const team = await makeTeam(w.db, { slug: "checkout", name: "Checkout" });
    const importLines = ["commitments imported from CSV", "commitment created"];
    const header = "statement,details,measure_kind,metric_name,metric_baseline,metric_comparator,metric_target,metric_unit,deliverable_event,evidence_source,due_date,period,owner_email,audience,tags";
    const file = (via: string) =>
      [
        header,
        `Launch SEPA instant payouts for every EU merchant (${via}),,deliverable,,,,,,SEPA instant payouts generally available in all EU countries,Release notes,2027-06-30,FY2027-Q2,,internal,Payments`,
        `Serve checkout p95 under 300 ms for every EU customer (${via}),,metric,p95 checkout latency,900,<=,300,ms,,Grafana SLO dashboard,2027-06-30,FY2027-Q2,,internal,`,
      ].join("\n");
    const pagePath = `/teams/${team.slug}/import`;
    const apiPath = `/api/v1/teams/${team.id}/commitments/import`;

    const uiChecked = await w.viaUi(importPageAction, pagePath, { slug: team.slug }, { intent: "check", csv: file("page") });
    const apiChecked = await w.viaApi(apiImportAction, "POST", apiPath, { id: team.id }, { csv: file("API"), dryRun: true });
    expect((uiChecked.reply as { report: { rows: number; errors: unknown[] } }).report).toMatchObject({ rows: 2, errors: [] });
    expect([...w.logged(uiChecked.lines, ...importLines), ...w.logged(apiChecked.lines, ...importLines)]).toEqual([]);

    const uiImported = await w.viaUi(importPageAction, pagePath, { slug: team.slug }, { intent: "import", csv: file("page") });
    expect((uiImported.reply as Response).headers.get("Location")).toBe(`${pagePath}?imported=2`);
    const apiImported = await w.viaApi(apiImportAction, "POST", apiPath, { id: team.id }, { csv: file("API"), dryRun: false });
    const imported = w.logged(uiImported.lines, ...importLines);
    expect(imported).toEqual([{ level: 30, msg: "commitments imported from CSV", teamId: "<id>", created: 2, by: w.admin.id }]);
    expect(w.logged(apiImported.lines, ...importLines)).toEqual(imported);
  });

  it("changes a team and takes a person off it", async () => {
    const w = await adminWorld();
    const [forUi, forApi] = await Promise.all([makeTeam(w.db, { slug: "platform", name: "Platform" }), makeTeam(w.db, { slug: "payments", name: "Payments" })]);
    const teamLines = ["team updated", "team member removed"];
    const person = await makeUser(w.db, { email: "member@example.com" });
    await Promise.all([addMember(w.db, forUi.id, person.id, "editor"), addMember(w.db, forApi.id, person.id, "editor")]);
    const mission = "Keep the platform running for every other team.";
    const uiUpdated = await w.viaUi(teamEditAction, "/teams/platform/edit", { slug: "platform" }, { intent: "update", name: "Platform", slug: "platform", mission, parentId: "" });
    const uiRemoved = await w.viaUi(teamAction, "/teams/platform", { slug: "platform" }, { intent: "remove-member", userId: person.id });
    const apiUpdated = await w.viaApi(apiTeamAction, "PATCH", `/api/v1/teams/${forApi.id}`, { id: forApi.id }, { mission });
    const apiRemoved = await w.viaApi(apiMemberAction, "DELETE", `/api/v1/teams/${forApi.id}/members/${person.id}`, { id: forApi.id, userId: person.id });
    const fromUi = [...w.logged(uiUpdated.lines, ...teamLines), ...w.logged(uiRemoved.lines, ...teamLines)];
    expect(fromUi).toEqual([
      { level: 30, msg: "team updated", teamId: "<id>", by: w.admin.id },
      { level: 30, msg: "team member removed", teamId: "<id>", userId: "<id>", by: w.admin.id },
    ]);
    expect([...w.logged(apiUpdated.lines, ...teamLines), ...w.logged(apiRemoved.lines, ...teamLines)]).toEqual(fromUi);
  });

  it("regenerates a letter's draft", async () => {
    const w = await adminWorld();
    const made = await generateLetterDraft(w.db, w.actor, { fiscalYear: 2026, audience: "internal" }, new Date());
    if (!made.ok) throw new Error(made.error.message);
    const draft = made.value;
    const letterLines = ["letter draft generated", "letter draft regenerated"];
    // One draft per year and audience: the page regenerates it, then the API does.
    const ui = await w.viaUi(draftAction, `/letters/drafts/${draft.id}`, { id: draft.id }, { intent: "regenerate", version: String(draft.version) });
    expect((ui.reply as Response).headers.get("Location")).toBe(`/letters/drafts/${draft.id}?regenerated=1`);
    const api = await w.viaApi(apiLettersAction, "POST", "/api/v1/letters", {}, { fiscalYear: 2026, audience: "internal" });
    expect(api.reply.status).toBe(200);
    const regenerated = w.logged(ui.lines, ...letterLines);
    expect(regenerated).toEqual([{ level: 30, msg: "letter draft regenerated", letterId: "<id>", fiscalYear: 2026, audience: "internal", by: w.admin.id }]);
    expect(w.logged(api.lines, ...letterLines)).toEqual(regenerated);
  });

  it("deactivates and reactivates a person, and logs nothing when a resent request changes nothing", async () => {
    const w = await adminWorld();
    const [forUi, forApi] = await Promise.all(["pat@example.com", "sam@example.com"].map((email) => makeUser(w.db, { email })));
    const uiPath = `/people/${forUi!.id}`;
    const fromUi = [
      await w.viaUi(personAction, uiPath, { userId: forUi!.id }, { intent: "deactivate" }),
      // The same form again (a double submit, a second tab): nothing changes, nothing is logged.
      await w.viaUi(personAction, uiPath, { userId: forUi!.id }, { intent: "deactivate" }),
      await w.viaUi(personAction, uiPath, { userId: forUi!.id }, { intent: "reactivate" }),
      await w.viaUi(personAction, uiPath, { userId: forUi!.id }, { intent: "role", role: "member" }),
    ].flatMap((r) => w.logged(r.lines, "person changed"));
    expect(fromUi).toEqual([
      { level: 30, msg: "person changed", userId: "<id>", intent: "deactivate", by: w.admin.id },
      { level: 30, msg: "person changed", userId: "<id>", intent: "reactivate", by: w.admin.id },
    ]);
    const apiPath = `/api/v1/people/${forApi!.id}`;
    const fromApi = [
      await w.viaApi(apiPersonAction, "PATCH", apiPath, { id: forApi!.id }, { active: false }),
      await w.viaApi(apiPersonAction, "PATCH", apiPath, { id: forApi!.id }, { active: false }),
      await w.viaApi(apiPersonAction, "PATCH", apiPath, { id: forApi!.id }, { active: true }),
      await w.viaApi(apiPersonAction, "PATCH", apiPath, { id: forApi!.id }, { role: "member" }),
    ].flatMap((r) => w.logged(r.lines, "person changed"));
    expect(fromApi).toEqual(fromUi);
  });

  it("records an outcome, changes it with a reason, and carries the commitment forward", async () => {
    const w = await adminWorld();
    const team = await makeTeam(w.db, { slug: "checkout", name: "Checkout" });
    // Due 2026-09-15 (FY2026-Q3, made on 2026-06-01): past due, its outcome can be recorded.
    const [forUi, forApi] = await Promise.all([1, 2].map(() => makeCommitment(w.db, w.actor, team.id)));
    const missed = {
      status: "missed",
      resolvedAt: "2026-09-15",
      reasonCategory: "dependency_blocker",
      control: "external",
      explanation: "The payment provider ended the contract in August.",
      lesson: "Keep a second provider ready.",
    };
    const changed = { ...missed, explanation: "The payment provider ended the contract in July, not August." };
    const changeReason = "The first explanation named the wrong month for the contract's end.";
    const next = { periodLabel: "FY2027-Q1", dueDate: "2027-03-31", statement: "Move checkout for every EU customer to the Frankfurt region by 31 March 2027" };
    const blank = { actualValue: "", evidenceUrl: "", partialDescription: "", changeReason: "" };

    const uiPath = `/commitments/${forUi!.id}`;
    const uiParams = { id: forUi!.id };
    const fromUiReplies = [
      await w.viaUi(commitmentPageAction, uiPath, uiParams, { intent: "outcome", version: "1", ...blank, ...missed }),
      await w.viaUi(commitmentPageAction, uiPath, uiParams, { intent: "outcome", version: "2", ...blank, ...changed, changeReason }),
      await w.viaUi(commitmentPageAction, uiPath, uiParams, { intent: "carry-forward", version: "3", ...next }),
    ];
    for (const r of fromUiReplies) expect((r.reply as Response).status).toBe(302);
    const uiSuccessor = /^\/commitments\/([0-9a-f-]{36})\?carried=1$/.exec((fromUiReplies[2]!.reply as Response).headers.get("Location") ?? "")?.[1];
    const fromUi = named(fromUiReplies.flatMap((r) => w.logged(r.lines, "commitment changed")), "successorId", "<id>", "<the next attempt>");
    expect(fromUi).toEqual([
      { level: 30, msg: "commitment changed", commitmentId: "<id>", intent: "outcome", status: "missed", by: w.admin.id },
      { level: 30, msg: "commitment changed", commitmentId: "<id>", intent: "outcome", status: "missed", by: w.admin.id },
      { level: 30, msg: "commitment changed", commitmentId: "<id>", intent: "carry-forward", successorId: "<the next attempt>", by: w.admin.id },
    ]);
    expect(uiSuccessor).toMatch(UUID);

    const apiPath = `/api/v1/commitments/${forApi!.id}`;
    const apiParams = { id: forApi!.id };
    const fromApiReplies = [
      await w.viaApi(apiOutcomeAction, "POST", `${apiPath}/outcome`, apiParams, missed),
      await w.viaApi(apiOutcomeAction, "POST", `${apiPath}/outcome`, apiParams, { ...changed, changeReason }),
      await w.viaApi(apiCarryForwardAction, "POST", `${apiPath}/carry-forward`, apiParams, next),
    ];
    expect(named(fromApiReplies.flatMap((r) => w.logged(r.lines, "commitment changed")), "successorId", "<id>", "<the next attempt>")).toEqual(fromUi);
  });

  it("re-scopes a locked commitment with a reason", async () => {
    const w = await adminWorld();
    const team = await makeTeam(w.db, { slug: "checkout", name: "Checkout" });
    // FY2026-Q3 has started: the commitment is locked, and changing what it promised is a re-scope.
    const [forUi, forApi] = await Promise.all([1, 2].map(() => makeCommitment(w.db, w.actor, team.id)));
    const statement = "Move checkout for every customer in Germany to the Frankfurt region by the end of the quarter";
    const reason = "Legal review limited the first move to German customers; the rest follow next year.";
    const ui = await w.viaUi(editCommitmentAction, `/commitments/${forUi!.id}/edit`, { id: forUi!.id }, editForm(forUi!, { statement, reason }));
    expect((ui.reply as Response).headers.get("Location")).toBe(`/commitments/${forUi!.id}?edited=rescoped`);
    const api = await w.viaApi(apiCommitmentAction, "PATCH", `/api/v1/commitments/${forApi!.id}`, { id: forApi!.id }, await apiWriteBody(w.db, forApi!.id, { statement, reason }), {
      "If-Match": commitmentEtag(forApi!),
    });
    const rescoped = w.logged(ui.lines, "commitment edited", "commitment changed");
    expect(rescoped).toEqual([{ level: 30, msg: "commitment edited", commitmentId: "<id>", rescope: true, by: w.admin.id }]);
    expect(w.logged(api.lines, "commitment edited", "commitment changed")).toEqual(rescoped);
  });

  it("saves a retrospective's notes, adds an action item and closes it", async () => {
    const w = await adminWorld();
    const [uiTeam, apiTeam] = await Promise.all([makeTeam(w.db, { slug: "checkout", name: "Checkout" }), makeTeam(w.db, { slug: "payments", name: "Payments" })]);
    const period = "FY2026-Q3";
    const notes = { wentWell: "The region moved without downtime.", wentBadly: "The provider's contract ended early.", willChange: "Keep a second provider ready." };
    const item = { text: "Sign a second payment provider" };

    const uiPath = `/retrospectives/${uiTeam.slug}/${period}`;
    const uiParams = { scope: uiTeam.slug, period };
    const uiNotes = await w.viaUi(retrospectiveAction, uiPath, uiParams, { intent: "notes", version: "0", ...notes });
    const uiAdded = await w.viaUi(retrospectiveAction, uiPath, uiParams, { intent: "add-action", ...item, owner: "", dueDate: "" });
    // The only action item so far (the API's comes after).
    const [uiItem] = await w.db.select({ id: actionItems.id }).from(actionItems);
    const uiClosed = await w.viaUi(retrospectiveAction, uiPath, uiParams, { intent: "action-status", itemId: uiItem!.id, status: "done" });
    for (const r of [uiNotes, uiAdded, uiClosed]) expect((r.reply as Response).status).toBe(302);
    const retroLines = (replies: Array<{ lines: Array<Record<string, unknown>> }>, slug: string) =>
      named(replies.flatMap((r) => w.logged(r.lines, "retrospective changed")), "scope", slug, "<the team>");
    const fromUi = retroLines([uiNotes, uiAdded, uiClosed], uiTeam.slug);
    expect(fromUi).toEqual([
      // The first save of the notes is version 1 (it once logged 2).
      { level: 30, msg: "retrospective changed", scope: "<the team>", period, intent: "notes", version: 1, by: w.admin.id },
      { level: 30, msg: "retrospective changed", scope: "<the team>", period, intent: "add-action", itemId: "<id>", by: w.admin.id },
      { level: 30, msg: "retrospective changed", itemId: "<id>", intent: "action-status", status: "done", by: w.admin.id },
    ]);

    const apiPath = `/api/v1/retrospectives/${apiTeam.slug}/${period}`;
    const apiParams = { scope: apiTeam.slug, period };
    const read = await w.viaApi(apiNotesLoader, "GET", `${apiPath}/notes`, apiParams);
    const apiNotes = await w.viaApi(apiNotesAction, "PUT", `${apiPath}/notes`, apiParams, notes, { "If-Match": read.reply.headers.get("ETag")! });
    const apiAdded = await w.viaApi(apiActionItemsAction, "POST", `${apiPath}/action-items`, apiParams, item);
    const apiItem = ((await apiAdded.reply.json()) as { id: string }).id;
    const apiClosed = await w.viaApi(apiActionItemAction, "PATCH", `/api/v1/action-items/${apiItem}`, { id: apiItem }, { status: "done" });
    expect(retroLines([apiNotes, apiAdded, apiClosed], apiTeam.slug)).toEqual(fromUi);
  });
});
