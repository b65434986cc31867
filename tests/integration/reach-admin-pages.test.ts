// Settings → Outbox and Settings → Failed jobs, through their loaders and actions: admins
// read and act, everyone else is refused.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as jobsPage from "~/routes/settings_.jobs";
import * as outboxPage from "~/routes/settings_.outbox";
import * as notificationsPage from "~/routes/notifications";
import * as preferencesPage from "~/routes/account.notifications";
import * as defaultsPage from "~/routes/settings_.notifications";
import * as unsubscribePage from "~/routes/unsubscribe.$token";
import { insertNotification } from "~/models/notification.server";
import { organisationDefaults, preferencesOf, unsubscribeOwner, unsubscribeUrlFor } from "~/services/notifications.server";
import { listDeadLetters } from "~/models/jobs.server";
import { queueMail } from "~/services/mail.server";
import { testDatabase } from "../setup/db";
import { world } from "../support/world";
import { callRoute, signIn } from "../support/routes";

describe("Settings → Outbox", () => {
  it("shows admins every message, a page at a time, and nobody else", async () => {
    const { db } = await testDatabase();
    const { admin, member } = (await world(db, { people: { admin: { role: "admin" }, member: { role: "member" } } })).people;
    for (let i = 0; i < 52; i++) {
      await queueMail(
        db,
        {
          kind: "reminder",
          to: `p${i}@example.com`,
          subject: `Reminder ${i}`,
          heading: "Check in",
          blocks: [{ kind: "paragraph", text: `Body ${i}` }],
          reason: "You own it.",
          unsubscribeUrl: "https://kept.example.com/unsubscribe/x",
        },
        new Date(Date.UTC(2026, 10, 1, 0, i)),
      );
    }
    const cookie = await signIn(db, admin.email);
    const first = await callRoute(db, outboxPage.loader, "/settings/outbox", { cookie });
    const page = first.data as { messages: Array<{ subject: string; status: string; text: string }>; nextCursor: string | null };
    expect(page.messages).toHaveLength(50);
    expect(page.messages[0]).toMatchObject({ subject: "Reminder 51", status: "queued" });
    expect(page.messages[0]!.text).toContain("Body 51");
    const second = await callRoute(db, outboxPage.loader, `/settings/outbox?cursor=${page.nextCursor}`, { cookie });
    expect((second.data as typeof page).messages.map((m) => m.subject)).toEqual(["Reminder 1", "Reminder 0"]);
    expect((second.data as typeof page).nextCursor).toBeNull();

    expect((await callRoute(db, outboxPage.loader, "/settings/outbox", { cookie: await signIn(db, member.email) })).status).toBe(403);
    expect((await callRoute(db, outboxPage.loader, "/settings/outbox")).status).toBe(302);
  });
});

describe("Settings → Failed jobs", () => {
  it("lets admins retry or discard a dead letter, and refuses a bad id with a message", async () => {
    const { db } = await testDatabase();
    const { admin, member } = (await world(db, { people: { admin: { role: "admin" }, member: { role: "member" } } })).people;
    const dead = (payload: object) =>
      db.execute(
        sql`insert into pgboss.job (name, data, output) values ('kept-dead-letter', ${JSON.stringify({ queue: "kept-cleanup", payload })}::jsonb, '{"message":"boom"}'::jsonb)`,
      );
    await dead({ n: 1 });
    await dead({ n: 2 });
    const cookie = await signIn(db, admin.email);
    const listed = await callRoute(db, jobsPage.loader, "/settings/jobs", { cookie });
    const items = (listed.data as { items: Array<{ id: string; queue: string; error: string }> }).items;
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ queue: "Clean-up", error: "boom" });

    const memberCookie = await signIn(db, member.email);
    expect((await callRoute(db, jobsPage.loader, "/settings/jobs", { cookie: memberCookie })).status).toBe(403);
    expect((await callRoute(db, jobsPage.action, "/settings/jobs", { cookie: memberCookie, form: { intent: "retry", jobId: items[0]!.id } })).status).toBe(403);

    const bad = await callRoute(db, jobsPage.action, "/settings/jobs", { cookie, form: { intent: "retry", jobId: "nope" } });
    expect(bad.status).toBe(400);

    const retried = await callRoute(db, jobsPage.action, "/settings/jobs", { cookie, form: { intent: "retry", jobId: items[0]!.id } });
    expect(retried.data).toMatchObject({ done: "retry" });
    const discarded = await callRoute(db, jobsPage.action, "/settings/jobs", { cookie, form: { intent: "discard", jobId: items[1]!.id } });
    expect(discarded.data).toMatchObject({ done: "discard" });
    expect(await listDeadLetters(db)).toEqual([]);
    const again = await callRoute(db, jobsPage.action, "/settings/jobs", { cookie, form: { intent: "discard", jobId: items[1]!.id } });
    expect(again.status).toBe(404);
    // The retried job is back on its own queue, waiting.
    const waiting = await db.execute(sql`select count(*)::int as n from pgboss.job where name = 'kept-cleanup' and state = 'created'`);
    expect(JSON.stringify(waiting)).toContain('"n":1');
  });
});

describe("notification pages", () => {
  it("lists a person's notifications, marks them read, saves their preferences and refuses bad input", async () => {
    const { db } = await testDatabase();
    const { admin, member } = (await world(db, { people: { admin: { role: "admin" }, member: { role: "member" } } })).people;
    await insertNotification(db, { userId: member.id, kind: "check_in", dedupeKey: "k1", title: "Check in", body: "b", path: "/commitments/x", createdAt: new Date() });
    await insertNotification(db, { userId: admin.id, kind: "check_in", dedupeKey: "k1", title: "Not yours", body: "b", path: "/commitments/y", createdAt: new Date() });
    const cookie = await signIn(db, member.email);
    const listed = await callRoute(db, notificationsPage.loader, "/notifications", { cookie });
    expect(listed.data).toMatchObject({ unread: 1, items: [{ title: "Check in", unread: true }] });
    await callRoute(db, notificationsPage.action, "/notifications", { cookie, form: {} });
    expect((await callRoute(db, notificationsPage.loader, "/notifications", { cookie })).data).toMatchObject({ unread: 0 });

    const bad = await callRoute(db, preferencesPage.action, "/account/notifications", { cookie, form: { checkIn: "on", email: "hourly" } });
    expect(bad.status).toBe(400);
    const saved = await callRoute(db, preferencesPage.action, "/account/notifications", { cookie, form: { checkIn: "on", email: "digest" } });
    expect(saved.data).toMatchObject({ saved: true });
    expect(await preferencesOf(db, member.id)).toMatchObject({ checkIn: true, dueSoon: false, email: "digest", own: true });

    // Defaults are for admins, and keep what was typed when it is wrong.
    expect((await callRoute(db, defaultsPage.action, "/settings/notifications", { cookie, form: { email: "each", checkInCadenceDays: "7" } })).status).toBe(403);
    const adminCookie = await signIn(db, admin.email);
    const wrong = await callRoute(db, defaultsPage.action, "/settings/notifications", { cookie: adminCookie, form: { email: "each", checkInCadenceDays: "0" } });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.data)).toContain("At least 1 day.");
    const ok = await callRoute(db, defaultsPage.action, "/settings/notifications", { cookie: adminCookie, form: { email: "each", checkInCadenceDays: "7", checkIn: "on" } });
    expect(ok.data).toMatchObject({ saved: true });
    expect(await organisationDefaults(db)).toMatchObject({ checkInCadenceDays: 7, checkIn: true, pastDue: false });
  });

  it("unsubscribes with one click (RFC 8058) from the kind of mail the link names, and answers 404 to an unknown link", async () => {
    const { db } = await testDatabase();
    const { member } = (await world(db, { people: { member: { role: "member", email: "m@example.com" } } })).people;
    const url = new URL(await unsubscribeUrlFor(db, member.id, "https://kept.example.com", new Date(), "outcome"));
    const token = url.pathname.split("/").at(-1)!;
    const path = `${url.pathname}${url.search}`;
    // A GET (a link scanner) changes nothing, and says what the button stops.
    const page = await callRoute(db, unsubscribePage.loader, path, { params: { token } });
    expect(page.data).toEqual({ stops: "notices of outcomes recorded or changed" });
    expect(await preferencesOf(db, member.id)).toMatchObject({ email: "each", mailOff: [] });
    const done = await callRoute(db, unsubscribePage.action, path, {
      params: { token },
      body: "List-Unsubscribe=One-Click",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(done.status).toBe(200);
    expect(done.data).toMatchObject({ done: true, message: expect.stringContaining("no more notices of outcomes recorded or changed by mail") });
    expect(await preferencesOf(db, member.id)).toMatchObject({ email: "each", weeklyDigest: true, mailOff: ["outcome"] });
    const unknownKind = await callRoute(db, unsubscribePage.action, `${url.pathname}?mail=everything`, { params: { token }, body: "" });
    expect(unknownKind.status).toBe(404);
    expect(await preferencesOf(db, member.id)).toMatchObject({ mailOff: ["outcome"] });
    const unknown = await callRoute(db, unsubscribePage.action, "/unsubscribe/nope-nope-nope-nope?mail=outcome", { params: { token: "nope-nope-nope-nope" }, body: "" });
    expect(unknown.status).toBe(404);
  });

  it("lists mail stopped by a link on the account page and turns it back on", async () => {
    const { db } = await testDatabase();
    const { member } = (await world(db, { people: { member: { role: "member", email: "r@example.com" } } })).people;
    const token = new URL(await unsubscribeUrlFor(db, member.id, "https://kept.example.com", new Date(), "due_soon")).pathname.split("/").at(-1)!;
    await unsubscribeOwner(db, token, "due_soon", new Date());
    const cookie = await signIn(db, member.email);
    const page = await callRoute(db, preferencesPage.loader, "/account/notifications", { cookie });
    expect(page.data).toMatchObject({ preferences: { mailOff: ["due_soon"] } });
    const empty = await callRoute(db, preferencesPage.action, "/account/notifications", { cookie, headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "intent=resume-mail" });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.data)).toContain("Tick the mail to turn back on.");
    const bogus = await callRoute(db, preferencesPage.action, "/account/notifications", { cookie, headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "intent=resume-mail&kind=everything" });
    expect(bogus.status).toBe(400);
    const resumed = await callRoute(db, preferencesPage.action, "/account/notifications", { cookie, headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "intent=resume-mail&kind=due_soon" });
    expect(resumed.data).toMatchObject({ form: "resume", saved: true });
    expect(await preferencesOf(db, member.id)).toMatchObject({ mailOff: [] });
  });
});
