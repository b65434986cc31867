// Settings → Webhooks through its loaders and actions: admins add, see the secret once, change,
// rotate, redeliver and delete; bad input comes back beside its field with what was typed;
// everyone else is refused.
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import * as listPage from "~/routes/settings_.webhooks";
import * as endpointPage from "~/routes/settings_.webhooks_.$id";
import { webhookDeliveries } from "../../db/schema";
import { testDatabase } from "../setup/db";
import { world } from "../support/world";
import { callRoute, signIn } from "../support/routes";

const form = (pairs: Array<[string, string]>) => ({
  body: new URLSearchParams(pairs).toString(),
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
});

describe("Settings → Webhooks", () => {
  it("adds an endpoint, shows its secret once, and keeps typed input beside a refusal", async () => {
    const { db } = await testDatabase();
    const { admin, member } = (await world(db, { people: { admin: { role: "admin" }, member: { role: "member" } } })).people;
    const cookie = await signIn(db, admin.email);

    const refused = await callRoute(db, listPage.action, "/settings/webhooks", {
      cookie,
      ...form([["intent", "create"], ["url", "https://10.0.0.5/hook"], ["description", "ERP"], ["events", "letter.published"], ["events", "erratum.appended"], ["active", "on"]]),
    });
    expect(refused.status).toBe(400);
    const reply = (refused.data as { result: { error: Record<string, string[]>; initialValue: Record<string, unknown> } }).result;
    expect(reply.error.url![0]).toContain("10.0.0.5, a private network address");
    expect(reply.initialValue).toMatchObject({ url: "https://10.0.0.5/hook", description: "ERP", events: ["letter.published", "erratum.appended"] });

    const none = await callRoute(db, listPage.action, "/settings/webhooks", { cookie, ...form([["intent", "create"], ["url", "https://93.184.215.14/hook"]]) });
    expect(none.status).toBe(400);
    expect((none.data as { result: { error: Record<string, string[]> } }).result.error.events).toEqual(["Choose at least one event."]);

    const created = await callRoute(db, listPage.action, "/settings/webhooks", {
      cookie,
      ...form([["intent", "create"], ["url", "https://93.184.215.14/hook"], ["events", "letter.published"], ["active", "on"]]),
    });
    const { created: shown } = created.data as { created: { id: string; secret: string } };
    expect(shown.secret).toMatch(/^whsec_/);
    const listed = await callRoute(db, listPage.loader, "/settings/webhooks", { cookie });
    expect(JSON.stringify(listed.data)).not.toContain(shown.secret);
    expect((listed.data as { endpoints: Array<{ url: string; active: boolean }> }).endpoints).toMatchObject([{ url: "https://93.184.215.14/hook", active: true }]);

    const params = { id: shown.id };
    const path = `/settings/webhooks/${shown.id}`;
    const saved = await callRoute(db, endpointPage.action, path, { cookie, params, ...form([["intent", "update"], ["url", "https://93.184.215.14/v2"], ["events", "outcome.changed"]]) });
    expect(saved.data).toMatchObject({ done: "Saved." });
    const page = await callRoute(db, endpointPage.loader, path, { cookie, params });
    expect((page.data as { endpoint: unknown }).endpoint).toMatchObject({ url: "https://93.184.215.14/v2", events: ["outcome.changed"], active: false });

    const rotated = await callRoute(db, endpointPage.action, path, { cookie, params, ...form([["intent", "rotate"]]) });
    expect((rotated.data as { secret: string }).secret).toMatch(/^whsec_/);
    expect((rotated.data as { secret: string }).secret).not.toBe(shown.secret);

    // A delivery in the log can be sent again.
    await db.insert(webhookDeliveries).values({
      endpointId: shown.id,
      eventId: crypto.randomUUID(),
      eventType: "outcome.changed",
      payload: { type: "outcome.changed", timestamp: new Date().toISOString(), data: {} },
      status: "failed",
      createdAt: new Date(),
    });
    const log = await callRoute(db, endpointPage.loader, path, { cookie, params });
    const [delivery] = (log.data as { deliveries: Array<{ id: string; status: string }> }).deliveries;
    expect(delivery).toMatchObject({ status: "failed" });
    const again = await callRoute(db, endpointPage.action, path, { cookie, params, ...form([["intent", "redeliver"], ["deliveryId", delivery!.id]]) });
    expect(again.data).toMatchObject({ done: "The delivery is queued to be sent again." });
    const queued = await db.execute(sql`select count(*)::int as n from pgboss.job where name = 'kept-webhooks' and state = 'created'`);
    expect(JSON.stringify(queued)).toContain('"n":1');

    const memberCookie = await signIn(db, member.email);
    expect((await callRoute(db, listPage.loader, "/settings/webhooks", { cookie: memberCookie })).status).toBe(403);
    expect((await callRoute(db, endpointPage.loader, path, { cookie: memberCookie, params })).status).toBe(403);
    expect((await callRoute(db, endpointPage.action, path, { cookie: memberCookie, params, ...form([["intent", "delete"]]) })).status).toBe(403);

    const deleted = await callRoute(db, endpointPage.action, path, { cookie, params, ...form([["intent", "delete"]]) });
    expect(deleted.status).toBe(302);
    expect((await callRoute(db, endpointPage.loader, path, { cookie, params })).status).toBe(404);
  });

  it("saves the private-targets setting", async () => {
    const { db } = await testDatabase();
    const { admin } = (await world(db, { people: { admin: { role: "admin" } } })).people;
    const cookie = await signIn(db, admin.email);
    await callRoute(db, listPage.action, "/settings/webhooks", { cookie, ...form([["intent", "settings"], ["allowPrivateTargets", "on"]]) });
    expect((await callRoute(db, listPage.loader, "/settings/webhooks", { cookie })).data).toMatchObject({ allowPrivateTargets: true });
    const local = await callRoute(db, listPage.action, "/settings/webhooks", {
      cookie,
      ...form([["intent", "create"], ["url", "http://127.0.0.1:8080/hook"], ["events", "letter.published"]]),
    });
    expect(local.data).toMatchObject({ created: { url: "http://127.0.0.1:8080/hook" } });
    await callRoute(db, listPage.action, "/settings/webhooks", { cookie, ...form([["intent", "settings"]]) });
    expect((await callRoute(db, listPage.loader, "/settings/webhooks", { cookie })).data).toMatchObject({ allowPrivateTargets: false });
  });
});
