// The draft editor's live preview: a JSON answer beside the page (not a form submission, which
// would interrupt the page's reload after a save), for admins only, about drafts only.
import { describe, expect, it } from "vitest";
import * as preview from "~/routes/letters.drafts.$id.preview";
import { generateLetterDraft, letterById, publishLetter } from "~/services/letters.server";
import type { Actor } from "~/domain/result";
import { makeOrganisation, makeUser } from "../factories";
import { testDatabase } from "../setup/db";
import { callRoute, signIn } from "../support/routes";

async function world() {
  const { db } = await testDatabase();
  await makeOrganisation(db, { fiscalYearStartMonth: 1, timeZone: "UTC" });
  const admin = await makeUser(db, { role: "admin" });
  const member = await makeUser(db, { role: "member" });
  const actor: Actor = { id: admin.id, role: "admin" };
  const now = new Date("2027-01-20T10:00:00Z");
  const published = await generateLetterDraft(db, actor, { fiscalYear: 2026, audience: "internal" }, now);
  if (!published.ok) throw new Error(published.error.message);
  const done = await publishLetter(db, actor, published.value.id, published.value.version, now);
  if (!done.ok) throw new Error(done.error.message);
  const draft = await generateLetterDraft(db, actor, { fiscalYear: 2026, audience: "public" }, now);
  if (!draft.ok) throw new Error(draft.error.message);
  return { db, admin, member, draftId: draft.value.id, publishedId: published.value.id };
}

describe("the letter draft's live preview", () => {
  it("answers an admin with the sanitised preview and the publish checks of the text sent, storing nothing", async () => {
    const { db, admin, draftId } = await world();
    const before = await letterById(db, { id: admin.id, role: "admin" }, draftId);
    const cookie = await signIn(db, admin.email);
    const path = `/letters/drafts/${draftId}/preview`;
    const clean = await callRoute(db, preview.action, path, { cookie, params: { id: draftId }, form: { body: "# Hello\n\nPlain words." } });
    expect(clean.status).toBe(200);
    expect(clean.headers.get("content-type")).toContain("application/json");
    const answer = JSON.parse(String(clean.data)) as { html: string; problems: string[] };
    expect(answer.html).toContain("Plain words.");
    const risky = await callRoute(db, preview.action, path, { cookie, params: { id: draftId }, form: { body: "Text <script>alert(1)</script>" } });
    const checked = JSON.parse(String(risky.data)) as { html: string; problems: string[] };
    expect(checked.html).not.toContain("<script");
    expect(checked.problems.join(" ")).toContain("<script>");
    const tooLong = await callRoute(db, preview.action, path, { cookie, params: { id: draftId }, form: { body: "x".repeat(200_001) } });
    expect(tooLong.status).toBe(400);
    const after = await letterById(db, { id: admin.id, role: "admin" }, draftId);
    expect({ body: after?.body, version: after?.version }).toEqual({ body: before?.body, version: before?.version });
  });

  it("is not there for members, anonymous visitors, published letters or unknown ids", async () => {
    const { db, member, admin, draftId, publishedId } = await world();
    const path = (id: string) => `/letters/drafts/${id}/preview`;
    const memberCookie = await signIn(db, member.email);
    expect((await callRoute(db, preview.action, path(draftId), { cookie: memberCookie, params: { id: draftId }, form: { body: "x" } })).status).toBe(403);
    const anonymous = await callRoute(db, preview.action, path(draftId), { params: { id: draftId }, form: { body: "x" } });
    expect([302, 401, 404]).toContain(anonymous.status);
    const cookie = await signIn(db, admin.email);
    expect((await callRoute(db, preview.action, path(publishedId), { cookie, params: { id: publishedId }, form: { body: "x" } })).status).toBe(404);
    expect((await callRoute(db, preview.action, path("not-a-uuid"), { cookie, params: { id: "not-a-uuid" }, form: { body: "x" } })).status).toBe(404);
  });
});
