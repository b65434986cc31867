// The person pickers (ADR 0029): the commitment form's owner, the retrospective's action-item
// owner and the team page's new member are text fields resolved on the server, with bounded
// suggestions from /people/suggestions; no page loads the organisation's people.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { actionItems, commitments, teamMembers, users } from "../../db/schema";
import * as suggestions from "~/routes/people.suggestions";
import * as newCommitment from "~/routes/commitments.new";
import * as editCommitment from "~/routes/commitments.$id.edit";
import * as commitmentPage from "~/routes/commitments.$id._index";
import { recordOutcome } from "~/services/commitments.server";
import * as retrospectivePage from "~/routes/retrospectives.$scope.$period";
import * as teamPage from "~/routes/teams.$slug";
import { PERSON_SUGGESTIONS, personLabel } from "~/domain/person-picker";
import type { Database } from "../../db/client";
import { testDatabase } from "../setup/db";
import { world } from "../support/world";
import { callRoute, signIn } from "../support/routes";
import { apiClient } from "../support/api-client";

type Problem = { result: { error?: Record<string, string[]>; initialValue?: Record<string, unknown> }; pickerMatches: Array<{ id: string; name: string; email: string }> };

async function organisation() {
  const { db } = await testDatabase();
  const w = await world(db, {
    organisation: { fiscalYearStartMonth: 1, timeZone: "UTC" },
    teams: { platform: { slug: "platform", name: "Platform" } },
    people: {
      admin: { role: "admin", name: "Ada Admin", email: "ada@kept.test" },
      editor: { role: "member", name: "Eddie Editor", email: "eddie@kept.test", teams: { platform: "editor" } },
      viewer: { role: "viewer", name: "Vera Viewer", email: "vera@kept.test" },
      ann: { role: "member", name: "Ann Lee", email: "ann@kept.test" },
      otherAnn: { role: "member", name: "Ann Lee", email: "ann.lee@elsewhere.test" },
      anne: { role: "member", name: "Anne Smith", email: "anne@kept.test" },
      gone: { role: "member", name: "Gone Person", email: "gone@kept.test", active: false },
    },
  });
  return { db, w };
}

/** People who are on no team and in no form: a picker must not load them. One statement, no password hashing. */
async function bystanders(db: Database, n: number) {
  await db.insert(users).values(
    Array.from({ length: n }, (_, i) => ({ name: `Bystander ${i}`, email: `bystander${i}@kept.test`, role: "member" as const, passwordHash: "!invited" })),
  );
}

function commitmentForm(teamId: string, owner: Record<string, string>) {
  return {
    statement: "Ship the eu-west-1 region to every EU customer by 30 June 2027",
    measureKind: "deliverable",
    deliverableEvent: "generally available in eu-west-1",
    evidenceSource: "Public status page",
    dueDate: "2027-06-30",
    periodLabel: "FY2027-Q2",
    teamId,
    audience: "internal",
    tags: "",
    ...owner,
  };
}

describe("/people/suggestions", () => {
  it("offers at most PERSON_SUGGESTIONS active people whose name or e-mail contains the text", async () => {
    const { db, w } = await organisation();
    await bystanders(db, PERSON_SUGGESTIONS + 5);
    const cookie = await signIn(db, w.people.editor.email);
    const many = await callRoute(db, suggestions.loader, "/people/suggestions?for=owner&q=bystander", { cookie });
    expect(many.status).toBe(200);
    const body = JSON.parse(many.data as string) as { people: Array<{ name: string; label: string }> };
    expect(body.people).toHaveLength(PERSON_SUGGESTIONS);
    const ann: unknown = JSON.parse((await callRoute(db, suggestions.loader, "/people/suggestions?for=owner&q=ANN", { cookie })).data as string);
    // By name (the two Ann Lees by id), the deactivated never.
    const labels = (ann as { people: Array<{ label: string }> }).people.map((p) => p.label);
    expect(labels.slice(0, 2).sort()).toEqual([personLabel(w.people.ann), personLabel(w.people.otherAnn)].sort());
    expect(labels[2]).toBe(personLabel(w.people.anne));
    const gone: unknown = JSON.parse((await callRoute(db, suggestions.loader, "/people/suggestions?for=owner&q=gone", { cookie })).data as string);
    expect(gone).toEqual({ people: [] });
  });

  it("offers a team's picker only the people not on it, and only to admins", async () => {
    const { db, w } = await organisation();
    const admin = await signIn(db, w.people.admin.email);
    const path = `/people/suggestions?for=member&team=${w.teams.platform.id}&q=e`;
    const reply = await callRoute(db, suggestions.loader, path, { cookie: admin });
    const names = (JSON.parse(reply.data as string) as { people: Array<{ name: string }> }).people.map((p) => p.name);
    expect(names).toContain("Anne Smith");
    expect(names).not.toContain("Eddie Editor");
    expect((await callRoute(db, suggestions.loader, path, { cookie: await signIn(db, w.people.editor.email) })).status).toBe(403);
  });

  it("refuses viewers, and says what it needs when asked without a purpose", async () => {
    const { db, w } = await organisation();
    const viewer = await signIn(db, w.people.viewer.email);
    expect((await callRoute(db, suggestions.loader, "/people/suggestions?for=owner&q=ann", { cookie: viewer })).status).toBe(403);
    const editor = await signIn(db, w.people.editor.email);
    expect((await callRoute(db, suggestions.loader, "/people/suggestions?q=ann", { cookie: editor })).status).toBe(400);
    expect((await callRoute(db, suggestions.loader, "/people/suggestions?for=member&team=nope&q=ann", { cookie: editor })).status).toBe(400);
    expect((await callRoute(db, suggestions.loader, "/people/suggestions?for=owner&q=ann")).status).toBe(302);
  });
});

describe("the commitment form's owner", () => {
  async function create(owner: Record<string, string>) {
    const { db, w } = await organisation();
    const cookie = await signIn(db, w.people.editor.email);
    const reply = await callRoute(db, newCommitment.action, "/commitments/new", { cookie, form: commitmentForm(w.teams.platform.id, owner) });
    const [row] = await db.select({ ownerId: commitments.ownerId }).from(commitments);
    return { w, reply, row };
  }

  it("is the person whose e-mail was typed, in any case", async () => {
    const { reply, row, w } = await create({ owner: "ANN.LEE@elsewhere.test" });
    expect(reply.status).toBe(302);
    expect(row?.ownerId).toBe(w.people.otherAnn.id);
  });

  it("is the person whose suggestion was chosen (its label)", async () => {
    const { row, w } = await create({ owner: personLabel({ name: "Ann Lee", email: "ann@kept.test" }) });
    expect(row?.ownerId).toBe(w.people.ann.id);
  });

  it("is the only person a part of a name matches", async () => {
    const { row, w } = await create({ owner: "smith" });
    expect(row?.ownerId).toBe(w.people.anne.id);
  });

  it("is nobody when the field is left empty", async () => {
    const { reply, row } = await create({ owner: "  " });
    expect(reply.status).toBe(302);
    expect(row?.ownerId).toBeNull();
  });

  it("lists the matches beside the field, keeping what was typed, when several people match", async () => {
    const { reply, row, w } = await create({ owner: "Ann Lee" });
    expect(reply.status).toBe(400);
    expect(row).toBeUndefined();
    const data = reply.data as Problem;
    expect(data.result.error?.owner).toEqual(["2 people match “Ann Lee”: choose one below, or type more of the name or e-mail."]);
    expect(data.result.initialValue?.owner).toBe("Ann Lee");
    expect(data.result.initialValue?.statement).toBe(commitmentForm("", {}).statement);
    expect(data.pickerMatches.map((m) => m.id).sort()).toEqual([w.people.ann.id, w.people.otherAnn.id].sort());
  });

  it("takes the match chosen from that list", async () => {
    const { reply, row, w } = await create({ owner: "Ann Lee", ownerPick: personLabel({ name: "Ann Lee", email: "ann.lee@elsewhere.test" }) });
    expect(reply.status).toBe(302);
    expect(row?.ownerId).toBe(w.people.otherAnn.id);
  });

  it("says so when nobody active matches, beside the other fields' errors", async () => {
    const { db, w } = await organisation();
    const cookie = await signIn(db, w.people.editor.email);
    const reply = await callRoute(db, newCommitment.action, "/commitments/new", { cookie, form: { ...commitmentForm(w.teams.platform.id, { owner: "Gone Person" }), statement: "" } });
    expect(reply.status).toBe(400);
    const error = (reply.data as Problem).result.error;
    expect(error?.owner).toEqual(["No active person matches “Gone Person”. Type part of their name or e-mail."]);
    expect(error?.statement?.length).toBeGreaterThan(0);
  });

  it("keeps the current owner on edit while the field shows their name, even a name two people share", async () => {
    const { db, w } = await organisation();
    const commitment = await w.commit(w.actors.editor, w.teams.platform, { ownerId: w.people.otherAnn.id, dueDate: "2027-06-30", periodLabel: "FY2027-Q2" });
    const cookie = await signIn(db, w.people.editor.email);
    const page = await callRoute(db, editCommitment.loader, `/commitments/${commitment.id}/edit`, { cookie, params: { id: commitment.id } });
    const defaults = (page.data as { defaults: { owner: string; ownerId: string } }).defaults;
    expect(defaults).toMatchObject({ owner: "Ann Lee", ownerId: w.people.otherAnn.id });
    const form = {
      ...commitmentForm(w.teams.platform.id, { owner: defaults.owner, ownerId: defaults.ownerId }),
      statement: "Ship the eu-west-1 region to every EU customer by 30 June 2027 at the latest",
      version: String(commitment.version),
      reason: "",
    };
    const saved = await callRoute(db, editCommitment.action, `/commitments/${commitment.id}/edit`, { cookie, params: { id: commitment.id }, form });
    expect(saved.status).toBe(302);
    const [row] = await db.select({ ownerId: commitments.ownerId }).from(commitments).where(eq(commitments.id, commitment.id));
    expect(row?.ownerId).toBe(w.people.otherAnn.id);
    // Cleared: no owner.
    const after = await callRoute(db, editCommitment.loader, `/commitments/${commitment.id}/edit`, { cookie, params: { id: commitment.id } });
    const cleared = await callRoute(db, editCommitment.action, `/commitments/${commitment.id}/edit`, {
      cookie,
      params: { id: commitment.id },
      form: { ...form, owner: "", version: String((after.data as { version: number }).version) },
    });
    expect(cleared.status).toBe(302);
    const [clearedRow] = await db.select({ ownerId: commitments.ownerId }).from(commitments).where(eq(commitments.id, commitment.id));
    expect(clearedRow?.ownerId).toBeNull();
  });
});

describe("a commitment whose owner was deactivated", () => {
  // The record keeps history: an owner who left stays the owner of what they owned until
  // someone changes it. An edit that leaves the owner alone is saved; choosing a person is
  // still choosing among the active (a deactivated person other than the current owner is not
  // one), and clearing the owner or naming an active one works as ever.
  async function ownedByAnne() {
    const { db, w } = await organisation();
    const commitment = await w.commit(w.actors.editor, w.teams.platform, { ownerId: w.people.anne.id, dueDate: "2027-06-30", periodLabel: "FY2027-Q2" });
    await db.update(users).set({ active: false }).where(eq(users.id, w.people.anne.id));
    const cookie = await signIn(db, w.people.editor.email);
    const path = `/commitments/${commitment.id}/edit`;
    const params = { id: commitment.id };
    const edit = async (owner: Record<string, string>, statement = "Ship the eu-west-1 region to every EU customer by 30 June 2027 at the latest") => {
      const page = await callRoute(db, editCommitment.loader, path, { cookie, params });
      const version = String((page.data as { version: number }).version);
      const form = { ...commitmentForm(w.teams.platform.id, owner), statement, version, reason: "" };
      return callRoute(db, editCommitment.action, path, { cookie, params, form });
    };
    const ownerNow = async () => (await db.select({ ownerId: commitments.ownerId }).from(commitments).where(eq(commitments.id, commitment.id)))[0]?.ownerId;
    return { db, w, commitment, cookie, path, params, edit, ownerNow };
  }

  it("saves an edit that leaves the owner as the form showed them", async () => {
    const { db, w, cookie, path, params, edit, ownerNow } = await ownedByAnne();
    const page = await callRoute(db, editCommitment.loader, path, { cookie, params });
    const defaults = (page.data as { defaults: { owner: string; ownerId: string } }).defaults;
    expect(defaults).toMatchObject({ owner: "Anne Smith", ownerId: w.people.anne.id });
    const saved = await edit({ owner: defaults.owner, ownerId: defaults.ownerId });
    expect(saved.status, JSON.stringify(saved.data)).toBe(302);
    expect(await ownerNow()).toBe(w.people.anne.id);
    // Their e-mail, or the label a suggestion would have written, names them too.
    expect((await edit({ owner: "anne@kept.test", ownerId: w.people.anne.id }, "Ship the eu-west-1 region to all EU customers by 30 June 2027")).status).toBe(302);
    expect((await edit({ owner: personLabel(w.people.anne) }, "Ship the eu-west-1 region to all EU customers by the 30 June 2027")).status).toBe(302);
    expect(await ownerNow()).toBe(w.people.anne.id);
  });

  it("still takes only an active person as a new owner, and can be cleared or handed on", async () => {
    const { w, edit, ownerNow } = await ownedByAnne();
    // Another deactivated person is not choosable, even with their id in the hidden field.
    const gone = await edit({ owner: "Gone Person", ownerId: w.people.gone.id });
    expect(gone.status).toBe(400);
    expect((gone.data as Problem).result.error?.owner).toEqual(["No active person matches “Gone Person”. Type part of their name or e-mail."]);
    expect(await ownerNow()).toBe(w.people.anne.id);
    expect((await edit({ owner: "eddie@kept.test", ownerId: w.people.anne.id })).status).toBe(302);
    expect(await ownerNow()).toBe(w.people.editor.id);
    // Handed on, the deactivated person cannot be given it back.
    const back = await edit({ owner: "anne@kept.test", ownerId: w.people.editor.id }, "Ship the eu-west-1 region to all EU customers by 30 June 2027");
    expect(back.status).toBe(400);
    expect((back.data as Problem).result.error?.owner?.[0]).toMatch(/^No active person matches “anne@kept.test”/);
    expect((await edit({ owner: "", ownerId: w.people.editor.id })).status).toBe(302);
    expect(await ownerNow()).toBeNull();
  });

  it("is saved through the API with its owner unchanged, and refused a deactivated new owner", async () => {
    const { db, w, commitment, ownerNow } = await ownedByAnne();
    const call = apiClient(db);
    const token = await w.token(w.people.editor);
    const read = await call("GET", `/api/v1/commitments/${commitment.id}`, { token });
    const body = read.body as Record<string, unknown>;
    const write = {
      statement: `${commitment.statement}, first in Frankfurt`,
      measure: body.measure,
      evidenceSource: body.evidenceSource,
      dueDate: body.dueDate,
      periodLabel: body.periodLabel,
      teamId: body.teamId,
      ownerId: w.people.anne.id,
      audience: body.audience,
      tags: body.tags,
    };
    const saved = await call("PATCH", `/api/v1/commitments/${commitment.id}`, { token, body: write, headers: { "If-Match": read.headers.get("ETag")! } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(await ownerNow()).toBe(w.people.anne.id);
    const refused = await call("PATCH", `/api/v1/commitments/${commitment.id}`, {
      token,
      body: { ...write, ownerId: w.people.gone.id },
      headers: { "If-Match": saved.headers.get("ETag")! },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain("ownerId");
    expect(await ownerNow()).toBe(w.people.anne.id);
  });
});

describe("carrying forward a commitment whose owner was deactivated", () => {
  // Neither the carry-forward form nor the API's body names an owner: the next attempt keeps the
  // owner the commitment has (ADR 0029), as an edit that leaves the owner alone does. It was
  // refused on `ownerId`, a field the form does not show, so the error was invisible.
  async function missedByAnne() {
    const { db, w } = await organisation();
    // Due 2026-09-15 (made 2026-06-01): past due, so its outcome can be recorded.
    const missed = async () => {
      const c = await w.commit(w.actors.editor, w.teams.platform, { ownerId: w.people.anne.id });
      const outcome = { status: "missed" as const, resolvedAt: "2026-09-15", reasonCategory: "dependency_blocker" as const, control: "external" as const, explanation: "The provider ended the contract.", lesson: "Keep a second provider ready.", actualValue: null, evidenceUrl: null, partialDescription: null };
      const recorded = await recordOutcome(db, w.actors.editor, c.id, outcome, c.version, null, new Date("2026-09-20T09:00:00Z"));
      if (!recorded.ok) throw new Error(recorded.error.message);
      return { id: c.id, version: c.version + 1 };
    };
    const [forPage, forApi] = [await missed(), await missed()];
    await db.update(users).set({ active: false }).where(eq(users.id, w.people.anne.id));
    const ownerOf = async (id: string) => (await db.select({ ownerId: commitments.ownerId }).from(commitments).where(eq(commitments.id, id)))[0]?.ownerId;
    return { db, w, forPage: forPage!, forApi: forApi!, ownerOf };
  }
  const next = { periodLabel: "FY2027-Q1", dueDate: "2027-03-31", statement: "Move checkout for every EU customer to the Frankfurt region by 31 March 2027" };

  it("keeps the owner on the page", async () => {
    const { db, w, forPage, ownerOf } = await missedByAnne();
    const cookie = await signIn(db, w.people.editor.email);
    const path = `/commitments/${forPage.id}`;
    const reply = await callRoute(db, commitmentPage.action, path, { cookie, params: { id: forPage.id }, form: { intent: "carry-forward", version: String(forPage.version), ...next } });
    expect(reply.status, JSON.stringify(reply.data)).toBe(302);
    const successor = /^\/commitments\/([0-9a-f-]{36})\?carried=1$/.exec(reply.headers.get("Location") ?? "")?.[1];
    expect(successor).toBeDefined();
    expect(await ownerOf(successor!)).toBe(w.people.anne.id);
  });

  it("keeps the owner through the API", async () => {
    const { db, w, forApi, ownerOf } = await missedByAnne();
    const call = apiClient(db);
    const token = await w.token(w.people.editor);
    const res = await call("POST", `/api/v1/commitments/${forApi.id}/carry-forward`, { token, body: next });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ ownerId: w.people.anne.id, predecessorId: forApi.id, attempt: 2 });
    expect(await ownerOf((res.body as { id: string }).id)).toBe(w.people.anne.id);
  });
});

describe("the retrospective's action-item owner", () => {
  it("is resolved from the typed text, and an unknown one is an error beside the field", async () => {
    const { db, w } = await organisation();
    const cookie = await signIn(db, w.people.editor.email);
    const path = "/retrospectives/platform/FY2026-Q4";
    const params = { scope: "platform", period: "FY2026-Q4" };
    const unknown = await callRoute(db, retrospectivePage.action, path, { cookie, params, form: { intent: "add-action", text: "Write the runbook", owner: "nobody-like-this" } });
    expect(unknown.status).toBe(400);
    expect((unknown.data as Problem).result.error?.owner?.[0]).toMatch(/^No active person matches “nobody-like-this”/);
    const added = await callRoute(db, retrospectivePage.action, path, { cookie, params, form: { intent: "add-action", text: "Write the runbook", owner: "anne" } });
    expect(added.status).toBe(302);
    const [item] = await db.select({ ownerId: actionItems.ownerId }).from(actionItems);
    expect(item?.ownerId).toBe(w.people.anne.id);
  });
});

describe("the team page's member picker", () => {
  it("adds the person typed, among those not on the team yet", async () => {
    const { db, w } = await organisation();
    const cookie = await signIn(db, w.people.admin.email);
    const params = { slug: "platform" };
    const already = await callRoute(db, teamPage.action, "/teams/platform", { cookie, params, form: { intent: "add-member", person: "Eddie", role: "viewer" } });
    expect(already.status).toBe(400);
    expect((already.data as Problem).result.error?.person).toEqual([
      "No active person who is not on this team yet matches “Eddie”. Type part of their name or e-mail.",
    ]);
    const empty = await callRoute(db, teamPage.action, "/teams/platform", { cookie, params, form: { intent: "add-member", person: "", role: "viewer" } });
    expect((empty.data as Problem).result.error?.person).toEqual(["Type the name or e-mail of the person to add."]);
    const added = await callRoute(db, teamPage.action, "/teams/platform", { cookie, params, form: { intent: "add-member", person: "anne@kept.test", role: "viewer" } });
    expect(added.status).toBe(200);
    const members = await db.select({ userId: teamMembers.userId, role: teamMembers.role }).from(teamMembers).where(eq(teamMembers.teamId, w.teams.platform.id));
    expect(members).toContainEqual({ userId: w.people.anne.id, role: "viewer" });
  });
});

describe("pages with a person picker", () => {
  it("load none of the organisation's people, however many there are", async () => {
    const { db, w } = await organisation();
    await bystanders(db, 30);
    const commitment = await w.commit(w.actors.editor, w.teams.platform, { ownerId: w.people.anne.id, dueDate: "2027-06-30", periodLabel: "FY2027-Q2" });
    const admin = await signIn(db, w.people.admin.email);
    const pages = [
      await callRoute(db, newCommitment.loader, "/commitments/new", { cookie: admin }),
      await callRoute(db, editCommitment.loader, `/commitments/${commitment.id}/edit`, { cookie: admin, params: { id: commitment.id } }),
      await callRoute(db, retrospectivePage.loader, "/retrospectives/platform/FY2027-Q2", { cookie: admin, params: { scope: "platform", period: "FY2027-Q2" } }),
      await callRoute(db, teamPage.loader, "/teams/platform", { cookie: admin, params: { slug: "platform" } }),
    ];
    for (const page of pages) {
      expect(page.status).toBe(200);
      const text = JSON.stringify(page.data);
      expect(text).not.toContain("Bystander");
      expect(text).not.toContain("ann.lee@elsewhere.test");
    }
    // The edit page names its owner, and only them.
    expect(JSON.stringify(pages[1]!.data)).toContain("Anne Smith");
    expect((pages[3]!.data as { anyoneToAdd: boolean }).anyoneToAdd).toBe(true);
  });
});
