// Mail through a real SMTP server in this process: what arrives, what bounces, what waits for
// a retry when the server is away, and what stays in the outbox when there is no SMTP at all.
import { createServer, type AddressInfo } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getMailMessage } from "../../app/models/mail.server";
import { deliverMail, queueMail, type MailRequest } from "../../app/services/mail.server";
import { createMailTransport } from "../../app/utils/mail-transport.server";
import { eq } from "drizzle-orm";
import { mailMessages, notifications } from "../../db/schema";
import { addCheckIn } from "../../app/services/commitments.server";
import { mailEventNotifications, runReminderSweep, runWeeklyDigest } from "../../app/services/notifications.server";
import { testDatabase } from "../setup/db";
import { world } from "../support/world";
import { headerOf, startSmtp, type TestSmtp } from "../support/smtp";

const logger = pino({ level: "silent" });
const now = new Date("2026-11-29T10:00:00Z");
let smtp: TestSmtp;

beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.close();
});

const reminder: MailRequest = {
  kind: "reminder",
  to: "owner@example.com",
  subject: "Check in: Ship the EU region",
  heading: "Time to check in",
  blocks: [{ kind: "paragraph", text: "Your last check-in was 20 days ago." }],
  reason: "You own this commitment.",
  unsubscribeUrl: "https://kept.example.com/unsubscribe/tok123",
};

async function deliver(messageId: string, transport = createMailTransport(smtp.url, { timeoutMs: 2000 })) {
  const { db } = await testDatabase();
  try {
    return await deliverMail({ db, transport, from: "Kept <kept@example.com>", logger }, messageId, now);
  } finally {
    transport?.close();
  }
}

describe("mail", () => {
  it("sends text and HTML in the organisation's name, with one-click unsubscribe", async () => {
    const { db } = await testDatabase();
    await world(db, { organisation: { name: "Acme Cloud" } });
    const id = await queueMail(db, reminder, now);
    expect(await deliver(id)).toBe("sent");

    const mail = smtp.received.find((m) => m.to.includes("owner@example.com"))!;
    expect(mail.from).toBe("kept@example.com");
    expect(headerOf(mail.raw, "From")).toBe("Acme Cloud <kept@example.com>");
    expect(headerOf(mail.raw, "Subject")).toBe("Check in: Ship the EU region");
    expect(headerOf(mail.raw, "List-Unsubscribe")).toBe("<https://kept.example.com/unsubscribe/tok123>");
    expect(headerOf(mail.raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(headerOf(mail.raw, "Content-Type")).toMatch(/^multipart\/alternative/);
    expect(mail.raw).toContain("Content-Type: text/plain");
    expect(mail.raw).toContain("Content-Type: text/html");
    expect(mail.raw).toContain("Your last check-in was 20 days ago.");

    const row = await getMailMessage(db, id);
    expect(row).toMatchObject({ status: "sent", attempts: 1, settledAt: now, lastError: null });
    // Delivering again (a job run twice) sends nothing more.
    expect(await deliver(id)).toBe("already-settled");
    expect(smtp.received.filter((m) => m.to.includes("owner@example.com"))).toHaveLength(1);
  });

  it("delivers an owner's reminder, event notice and weekly digest, each with a link that stops its own kind", async () => {
    const { db } = await testDatabase();
    const w = await world(db, {
      organisation: { name: "Acme Cloud", timeZone: "Europe/Berlin", fiscalYearStartMonth: 1 },
      teams: { team: { name: "Platform", slug: "platform" } },
      people: { admin: { role: "admin" }, owner: { role: "member", email: "kinds-owner@example.com", teams: { team: "editor" } } },
    });
    const { owner } = w.people;
    const commitment = await w.commit(w.actors.owner, w.teams.team, { ownerId: owner.id, dueDate: "2026-09-15" }, new Date("2026-06-01T09:00:00Z"));
    const base = "https://kept.example.com";
    // A check-in reminder (two weeks without one), a notice of someone else's check-in, and Monday's digest.
    await runReminderSweep(db, new Date("2026-06-15T12:00:00Z"), base);
    const checkIn = await addCheckIn(
      db,
      w.actors.admin,
      commitment.id,
      { date: "2026-06-16", forecast: "at_risk", probability: 40, progressValue: null, note: "Vendor slipped" },
      new Date("2026-06-16T08:00:00Z"),
    );
    expect(checkIn.ok).toBe(true);
    const notices = await db.select({ id: notifications.id }).from(notifications).where(eq(notifications.kind, "checked_in"));
    expect(await mailEventNotifications(db, notices.map((n) => n.id), base, new Date("2026-06-16T08:01:00Z"))).toEqual({ mailed: 1 });
    expect(await runWeeklyDigest(db, new Date("2026-06-22T06:00:00Z"), base)).toEqual({ sent: 1 });

    const queued = await db.select({ id: mailMessages.id, kind: mailMessages.kind }).from(mailMessages).where(eq(mailMessages.toAddress, owner.email));
    expect(queued.map((m) => m.kind).sort()).toEqual(["digest", "notification", "reminder"]);
    for (const message of queued) expect(await deliver(message.id)).toBe("sent");

    const received = smtp.received.filter((m) => m.to.includes(owner.email));
    expect(received).toHaveLength(3);
    const stops = received.map((m) => {
      const header = headerOf(m.raw, "List-Unsubscribe") ?? "";
      expect(headerOf(m.raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
      expect(headerOf(m.raw, "From")).toBe("Acme Cloud <kept@example.com>");
      return new URL(header.slice(1, -1)).searchParams.get("mail");
    });
    expect(stops.sort()).toEqual(["check_in", "checked_in", "digest"]);
  });

  it("sends confirmations without unsubscribe headers, and refuses other mail without a link", async () => {
    const { db } = await testDatabase();
    await world(db);
    const id = await queueMail(db, { ...reminder, kind: "confirmation", to: "new@example.com", unsubscribeUrl: undefined }, now);
    expect(await deliver(id)).toBe("sent");
    const mail = smtp.received.find((m) => m.to.includes("new@example.com"))!;
    expect(headerOf(mail.raw, "List-Unsubscribe")).toBeUndefined();
    await expect(queueMail(db, { ...reminder, unsubscribeUrl: undefined }, now)).rejects.toThrow(/unsubscribe link/);
  });

  it("marks a refused address as bounced and tells whoever sends to it, without retrying", async () => {
    const { db } = await testDatabase();
    await world(db);
    smtp.refuse.add("gone@example.com");
    const id = await queueMail(db, { ...reminder, to: "gone@example.com" }, now);
    const bounced: string[] = [];
    const transport = createMailTransport(smtp.url, { timeoutMs: 2000 });
    const outcome = await deliverMail(
      { db, transport, from: "kept@example.com", logger, onBounce: async (_db, address) => void bounced.push(address) },
      id,
      now,
    );
    transport?.close();
    expect(outcome).toBe("bounced");
    expect(bounced).toEqual(["gone@example.com"]);
    const row = await getMailMessage(db, id);
    expect(row?.status).toBe("bounced");
    expect(row?.lastError).toMatch(/550/);
  });

  it("keeps a message queued with the reason while the SMTP server is unreachable, then sends it", async () => {
    const { db } = await testDatabase();
    await world(db);
    // A port nobody listens on: take one, then close it.
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const id = await queueMail(db, { ...reminder, to: "later@example.com" }, now);
    await expect(deliver(id, createMailTransport(`smtp://127.0.0.1:${closed}`, { timeoutMs: 2000 }))).rejects.toThrow(/not delivered/);
    const waiting = await getMailMessage(db, id);
    expect(waiting).toMatchObject({ status: "queued", attempts: 1 });
    expect(waiting?.lastError).toMatch(/ECONNREFUSED|connect/i);

    expect(await deliver(id)).toBe("sent");
    expect(await getMailMessage(db, id)).toMatchObject({ status: "sent", attempts: 2, lastError: null });
  });

  it("keeps mail in the outbox when SMTP is not configured", async () => {
    const { db } = await testDatabase();
    await world(db);
    const id = await queueMail(db, { ...reminder, to: "outbox@example.com" }, now);
    expect(await deliver(id, null)).toBe("outbox");
    const row = await getMailMessage(db, id);
    expect(row).toMatchObject({ status: "outbox", toAddress: "outbox@example.com" });
    expect(row?.textBody).toContain("Unsubscribe: https://kept.example.com/unsubscribe/tok123");
    expect(smtp.received.some((m) => m.to.includes("outbox@example.com"))).toBe(false);
  });
});
