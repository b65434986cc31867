// Readers who subscribe, end to end on a real queue and a real SMTP server: double opt-in for
// the letters and for watching a commitment, the letter, erratum and watch messages with
// one-click unsubscribe, expired and replayed links, bounces, the admins' export, and an
// unsubscribe that deletes the address and its watches.
import { sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { commitmentWatches, mailMessages, subscribers, subscriptionRequests } from "../../db/schema";
import { rowsOf } from "../../app/models/rows.server";
import { getCommitment } from "~/models/commitment.server";
import { updateOrganisation } from "~/models/organisation.server";
import { recordOutcome, updateCommitment } from "~/services/commitments.server";
import { jobHandlers } from "~/services/job-handlers.server";
import { appendErratum, generateLetterDraft, publishLetter } from "~/services/letters.server";
import { confirmSubscription, requestSubscription, unsubscribeReader } from "~/services/subscriptions.server";
import type { Actor } from "~/domain/result";
import { createMailTransport } from "~/utils/mail-transport.server";
import { loadEnv } from "~/utils/env.server";
import { startQueue, type RunningQueue } from "../../server/queue";
import * as subscribePage from "../../app/routes/subscribe";
import * as confirmPage from "../../app/routes/subscribe_.confirm.$token";
import * as unsubscribePage from "../../app/routes/unsubscribe.$token";
import * as exportRoute from "../../app/routes/settings_.subscribers[.csv]";
import * as subscribersPage from "../../app/routes/settings_.subscribers";
import { addMember, makeCommitment, makeCommitmentInput, makeOrganisation, makeTeam, makeUser } from "../factories";
import { testDatabase } from "../setup/db";
import { callRoute, signIn } from "../support/routes";
import { headerOf, partOf, startSmtp, type TestSmtp } from "../support/smtp";

const BASE = "https://kept.example.com";
const logger = pino({ level: "silent" });
let smtp: TestSmtp;
const running: RunningQueue[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.close();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((queue) => queue.stop(1000)));
});

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function world() {
  const handle = await testDatabase();
  const { db } = handle;
  await makeOrganisation(db, { name: "Acme Cloud", timeZone: "America/New_York" });
  const admin = await makeUser(db, { role: "admin", email: "admin@example.com" });
  const owner = await makeUser(db, { role: "member", email: "owner@example.com" });
  const team = await makeTeam(db, { name: "Platform", slug: "platform" });
  await addMember(db, team.id, owner.id, "editor");
  const ownerActor: Actor = { id: owner.id, role: "member" };
  const adminActor: Actor = { id: admin.id, role: "admin" };
  const commitment = await makeCommitment(db, ownerActor, team.id, { ownerId: owner.id, dueDate: "2026-12-15", periodLabel: "FY2026-Q4", audience: "public" }, new Date("2026-06-01T09:00:00Z"));
  const env = loadEnv({ NODE_ENV: "test", APP_URL: BASE, SMTP_URL: smtp.url, MAIL_FROM: "Kept <kept@example.com>" });
  const queue = await startQueue({
    handle,
    logger,
    handlers: jobHandlers({ db, env, logger, transport: createMailTransport(smtp.url, { timeoutMs: 2000 }) }),
    pollingIntervalSeconds: 0.5,
  });
  running.push(queue);
  /** Waits until every subscriber fan-out and every mail job has run. */
  const settle = async () => {
    await until(async () => {
      const rows = rowsOf<{ n: number }>(
        await db.execute(sql`select count(*)::int as n from pgboss.job where name in ('kept-subscribers', 'kept-mail') and state in ('created', 'retry', 'active')`),
      );
      return rows[0]!.n === 0;
    }, "the queue to drain");
  };
  const receivedBy = (address: string) => smtp.received.filter((m) => m.to.includes(address));
  return { db, admin, adminActor, ownerActor, owner, team, commitment, settle, receivedBy };
}

function confirmLink(raw: string): string {
  const text = partOf(raw, "text/plain")!;
  const match = /https?:\/\/[^/\s]+\/subscribe\/confirm\/([A-Za-z0-9_-]+)/.exec(text);
  if (!match) throw new Error(`no confirmation link in:\n${text}`);
  return match[1]!;
}

async function subscribe(db: Awaited<ReturnType<typeof world>>["db"], email: string, commitment?: string) {
  return callRoute(db, subscribePage.action, commitment ? `/subscribe?commitment=${commitment}` : "/subscribe", {
    form: commitment ? { email, commitment } : { email },
  });
}

describe("subscribing to the letters", { timeout: 180_000 }, () => {
  it("confirms by a link in the mail, then mails the published letter and its erratum with one-click unsubscribe", async () => {
    const { db, adminActor, settle, receivedBy } = await world();
    const reply = await subscribe(db, "  Reader@Example.com ");
    expect(reply.status).toBe(200);
    expect(reply.data).toMatchObject({ requested: "reader@example.com" });
    // Nothing is stored as a subscriber before the link is followed.
    expect(await db.select().from(subscribers)).toEqual([]);
    await settle();

    const [confirmation] = receivedBy("reader@example.com");
    expect(headerOf(confirmation!.raw, "From")).toBe("Acme Cloud <kept@example.com>");
    expect(headerOf(confirmation!.raw, "List-Unsubscribe")).toBeUndefined();
    const text = partOf(confirmation!.raw, "text/plain")!;
    // The expiry is read in the organisation's time zone.
    expect(text).toMatch(/works until \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d GMT-[45]\./);
    const token = confirmLink(confirmation!.raw);

    // Opening the link (a GET, as a link scanner would) confirms nothing.
    const page = await callRoute(db, confirmPage.loader, `/subscribe/confirm/${token}`, { params: { token } });
    expect(page.data).toMatchObject({ state: "valid" });
    expect(await db.select().from(subscribers)).toEqual([]);
    const confirmed = await callRoute(db, confirmPage.action, `/subscribe/confirm/${token}`, { params: { token }, body: "" });
    expect(confirmed.data).toMatchObject({ done: true });
    expect(await db.select({ email: subscribers.email, letters: subscribers.letters, state: subscribers.state }).from(subscribers)).toEqual([
      { email: "reader@example.com", letters: true, state: "confirmed" },
    ]);
    // Replayed: a clear page, nothing changes.
    const replay = await callRoute(db, confirmPage.action, `/subscribe/confirm/${token}`, { params: { token }, body: "" });
    expect(replay.status).toBe(409);
    expect(JSON.stringify(replay.data)).toContain("already used");
    expect((await callRoute(db, confirmPage.loader, `/subscribe/confirm/${token}`, { params: { token } })).data).toMatchObject({ state: "used" });

    const draft = await generateLetterDraft(db, adminActor, { fiscalYear: 2025, audience: "public" }, new Date("2026-11-20T10:00:00Z"));
    if (!draft.ok) throw new Error(draft.error.message);
    const published = await publishLetter(db, adminActor, draft.value.id, draft.value.version, new Date("2026-11-21T15:30:00Z"));
    if (!published.ok) throw new Error(published.error.message);
    await settle();

    const letterMail = receivedBy("reader@example.com").find((m) => headerOf(m.raw, "Subject") === published.value.title)!;
    expect(letterMail).toBeDefined();
    const unsubscribe = headerOf(letterMail.raw, "List-Unsubscribe")!;
    expect(unsubscribe).toMatch(/^<https:\/\/kept\.example\.com\/unsubscribe\/[A-Za-z0-9_-]{32}>$/);
    expect(headerOf(letterMail.raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    const letterText = partOf(letterMail.raw, "text/plain")!.replace(/\r\n/g, "\n");
    expect(letterText).toContain(`SHA-256 of the letter as published: ${published.value.sha256}`);
    expect(letterText).toContain("https://kept.example.com/letters/2025");
    expect(letterText).toContain("21 November 2026, 10:30 GMT-5");
    // The letter's text itself, as published (its first heading line and its ledger appendix).
    expect(letterText).toContain("## Record checkpoint");
    expect(partOf(letterMail.raw, "text/html")).toContain(published.value.sha256!);

    const erratum = await appendErratum(db, adminActor, published.value.id, "The on-time share was 80%, not 85%.", new Date("2026-11-25T09:00:00Z"));
    expect(erratum.ok).toBe(true);
    await settle();
    const erratumMail = receivedBy("reader@example.com").find((m) => headerOf(m.raw, "Subject") === `Correction to ${published.value.title}`)!;
    expect(partOf(erratumMail.raw, "text/plain")).toContain("The on-time share was 80%, not 85%.");
    expect(headerOf(erratumMail.raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");

    // One click (RFC 8058): a POST with no session and no form token deletes the address.
    const token2 = unsubscribe.slice(1, -1).split("/").at(-1)!;
    const done = await callRoute(db, unsubscribePage.action, `/unsubscribe/${token2}`, {
      params: { token: token2 },
      body: "List-Unsubscribe=One-Click",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(done.status).toBe(200);
    expect(done.data).toMatchObject({ done: true });
    expect(await db.select().from(subscribers)).toEqual([]);
    expect(await db.select().from(subscriptionRequests)).toEqual([]);
    // Another erratum reaches nobody.
    const before = smtp.received.length;
    await appendErratum(db, adminActor, published.value.id, "A second correction nobody subscribed gets.", new Date("2026-11-26T09:00:00Z"));
    await settle();
    expect(smtp.received.length).toBe(before);
  });

  it("refuses a malformed address beside the field, and answers a second subscription exactly like the first", async () => {
    const { db, settle, receivedBy } = await world();
    const bad = await subscribe(db, "not-an-address");
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ result: { error: { email: ["Enter an email address like name@example.com."] }, initialValue: { email: "not-an-address" } } });

    const first = await subscribe(db, "twice@example.com");
    await settle();
    const token = confirmLink(receivedBy("twice@example.com")[0]!.raw);
    expect((await confirmSubscription(db, token, new Date())).ok).toBe(true);
    const second = await subscribe(db, "twice@example.com");
    const stranger = await subscribe(db, "never-subscribed@example.com");
    // Same status, same words: the page does not tell whether an address subscribes.
    expect(second.status).toBe(first.status);
    expect(JSON.stringify(second.data).replaceAll("twice@example.com", "X")).toBe(JSON.stringify(stranger.data).replaceAll("never-subscribed@example.com", "X"));
    await settle();
    // Only the address's owner learns it already subscribes.
    const notice = receivedBy("twice@example.com").at(-1)!;
    expect(headerOf(notice.raw, "Subject")).toMatch(/^You already get/);
    expect(await db.select().from(subscribers)).toHaveLength(1);
  });

  it("says an expired link has expired and keeps nothing", async () => {
    const { db } = await world();
    const requestedAt = new Date(Date.now() - 49 * 3_600_000);
    const result = await requestSubscription(db, { email: "late@example.com", commitmentId: null, clientIp: "192.0.2.9" }, requestedAt, BASE);
    expect(result.ok).toBe(true);
    const [mail] = await db.select().from(mailMessages).where(sql`${mailMessages.toAddress} = 'late@example.com'`);
    const token = /subscribe\/confirm\/([A-Za-z0-9_-]+)/.exec(mail!.textBody)![1]!;
    const page = await callRoute(db, confirmPage.loader, `/subscribe/confirm/${token}`, { params: { token } });
    expect(page.status).toBe(410);
    expect(page.data).toMatchObject({ state: "expired" });
    const refused = await callRoute(db, confirmPage.action, `/subscribe/confirm/${token}`, { params: { token }, body: "" });
    expect(refused.status).toBe(410);
    expect(JSON.stringify(refused.data)).toContain("expired");
    expect(await db.select().from(subscribers)).toEqual([]);
    const unknown = await callRoute(db, confirmPage.loader, "/subscribe/confirm/abcdefghijklmnopqrstuvwxyz012345", { params: { token: "abcdefghijklmnopqrstuvwxyz012345" } });
    expect(unknown.status).toBe(404);
  });

  it("throttles the form per client address", async () => {
    const { db } = await world();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await subscribe(db, `many${i}@example.com`)).status);
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    // A flood aimed at one mailbox sends at most three confirmations an hour, silently.
    const now = new Date("2026-11-29T10:00:00Z");
    for (let i = 0; i < 5; i += 1) {
      expect((await requestSubscription(db, { email: "target@example.com", commitmentId: null, clientIp: `198.51.100.${i}` }, now, BASE)).ok).toBe(true);
    }
    expect(await db.select().from(mailMessages).where(sql`${mailMessages.toAddress} = 'target@example.com'`)).toHaveLength(3);
  });
});

describe("watching a public commitment", { timeout: 90_000 }, () => {
  it("mails watchers a re-scope and the outcome; unsubscribing deletes the address with its watches", async () => {
    const { db, ownerActor, owner, team, commitment, settle, receivedBy } = await world();
    expect((await subscribe(db, "watcher@example.com", commitment.id)).status).toBe(200);
    await settle();
    const confirmation = receivedBy("watcher@example.com")[0]!;
    expect(partOf(confirmation.raw, "text/plain")).toContain(commitment.statement);
    const token = confirmLink(confirmation.raw);
    expect(await confirmSubscription(db, token, new Date())).toMatchObject({ ok: true });
    expect(await db.select().from(commitmentWatches)).toHaveLength(1);
    // Watching alone does not subscribe to the letters.
    expect((await db.select({ letters: subscribers.letters }).from(subscribers))[0]).toEqual({ letters: false });

    const current = (await getCommitment(db, commitment.id))!;
    const rescoped = await updateCommitment(
      db,
      ownerActor,
      commitment.id,
      makeCommitmentInput(team.id, { ownerId: owner.id, dueDate: "2026-12-20", periodLabel: "FY2026-Q4" }),
      current.version,
      "The supplier moved the hardware delivery by five days, so the rollout moves with it.",
      new Date("2026-11-29T12:00:00Z"),
    );
    if (!rescoped.ok) throw new Error(rescoped.error.message);
    expect(rescoped.value.rescope).toBe(true);
    await settle();
    const rescopeMail = receivedBy("watcher@example.com").find((m) => headerOf(m.raw, "Subject")?.startsWith("Re-scoped"))!;
    const rescopeText = partOf(rescopeMail.raw, "text/plain")!;
    expect(rescopeText).toContain("Due date: 2026-12-15 → 2026-12-20");
    expect(rescopeText).toContain("The supplier moved the hardware delivery");
    // When it was re-scoped, in the organisation's zone, written the one way Kept writes moments.
    expect(rescopeText).toMatch(/— \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d GMT-[45]\./);
    expect(headerOf(rescopeMail.raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");

    const after = (await getCommitment(db, commitment.id))!;
    const outcome = await recordOutcome(
      db,
      ownerActor,
      commitment.id,
      { status: "delivered", resolvedAt: "2026-11-29", actualValue: null, evidenceUrl: "https://status.example.com/eu", partialDescription: null, reasonCategory: null, control: null, explanation: null, lesson: null },
      after.version,
      null,
      new Date("2026-11-29T13:00:00Z"),
    );
    if (!outcome.ok) throw new Error(outcome.error.message);
    await settle();
    const outcomeMail = receivedBy("watcher@example.com").find((m) => headerOf(m.raw, "Subject")?.startsWith("Outcome recorded"))!;
    expect(partOf(outcomeMail.raw, "text/plain")).toContain("Outcome: Delivered");

    const unsubscribeToken = headerOf(outcomeMail.raw, "List-Unsubscribe")!.slice(1, -1).split("/").at(-1)!;
    expect(await unsubscribeReader(db, unsubscribeToken)).toMatchObject({ ok: true, value: { email: "watcher@example.com", watches: 1 } });
    expect(await db.select().from(subscribers)).toEqual([]);
    expect(await db.select().from(commitmentWatches)).toEqual([]);
  });

  it("refuses to watch an internal commitment", async () => {
    const { db, ownerActor, commitment } = await world();
    const current = (await getCommitment(db, commitment.id))!;
    const internal = await makeCommitment(db, ownerActor, current.teamId, { ownerId: current.ownerId, audience: "internal" });
    expect((await callRoute(db, subscribePage.loader, `/subscribe?commitment=${internal.id}`)).status).toBe(404);
    const reply = await subscribe(db, "nosy@example.com", internal.id);
    expect(reply.status).toBe(404);
    expect(await db.select().from(mailMessages)).toEqual([]);
  });
});

describe("bounces and the admins' view", { timeout: 90_000 }, () => {
  it("marks a refused subscriber bounced, sends it nothing more, and lists it for admins with the export", async () => {
    const { db, admin, adminActor, settle, receivedBy } = await world();
    for (const email of ["gone@example.com", "fine@example.com"]) {
      await subscribe(db, email);
    }
    await settle();
    for (const email of ["gone@example.com", "fine@example.com"]) {
      expect((await confirmSubscription(db, confirmLink(receivedBy(email)[0]!.raw), new Date())).ok).toBe(true);
    }
    smtp.refuse.add("gone@example.com");
    const draft = await generateLetterDraft(db, adminActor, { fiscalYear: 2025, audience: "public" }, new Date("2026-11-20T10:00:00Z"));
    if (!draft.ok) throw new Error(draft.error.message);
    const published = await publishLetter(db, adminActor, draft.value.id, draft.value.version, new Date("2026-11-21T10:00:00Z"));
    if (!published.ok) throw new Error(published.error.message);
    await settle();
    expect(receivedBy("fine@example.com")).toHaveLength(2);
    const [gone] = await db.select().from(subscribers).where(sql`${subscribers.email} = 'gone@example.com'`);
    expect(gone).toMatchObject({ state: "bounced" });
    expect(gone!.bounceReason).toMatch(/550|mailbox unavailable/);

    const cookie = await signIn(db, admin.email);
    const page = await callRoute(db, subscribersPage.loader, "/settings/subscribers", { cookie });
    expect(page.data).toMatchObject({ counts: { confirmed: 1, letters: 1, bounced: 1, watches: 0 }, bounced: [{ email: "gone@example.com" }] });
    const csv = await callRoute(db, exportRoute.loader, "/settings/subscribers.csv", { cookie });
    expect(csv.headers.get("Content-Type")).toMatch(/^text\/csv/);
    const lines = String(csv.data).trim().split("\r\n");
    expect(lines[0]).toBe('"email","state","letters","commitments watched","confirmed at","bounced at","bounce reason"');
    expect(lines.slice(1).map((l) => l.split(",").slice(0, 3).join(","))).toEqual(['"fine@example.com","confirmed","yes"', '"gone@example.com","bounced","yes"']);

    // Nobody but an admin reads or exports the addresses.
    const member = await makeUser(db, { role: "member", email: "m@example.com" });
    const memberCookie = await signIn(db, member.email);
    expect((await callRoute(db, exportRoute.loader, "/settings/subscribers.csv", { cookie: memberCookie })).status).toBe(403);
    expect((await callRoute(db, exportRoute.loader, "/settings/subscribers.csv")).status).toBeGreaterThanOrEqual(300);
  });

  it("is closed while the public site is off", async () => {
    const { db } = await world();
    await updateOrganisation(db, { publicSiteEnabled: false }, new Date());
    expect((await callRoute(db, subscribePage.loader, "/subscribe")).status).toBe(404);
    expect((await subscribe(db, "x@example.com")).status).toBe(404);
  });
});
