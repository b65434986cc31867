// Reminders over the real record, travelling in time with an injected clock: each occasion is
// notified once, in the app and (if the person wants it) by mail, and preferences are obeyed.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { mailMessages, notifications } from "../../db/schema";
import { getCommitment } from "~/models/commitment.server";
import { addCheckIn, recordOutcome } from "~/services/commitments.server";
import {
  preferencesOf,
  readNotifications,
  runReminderSweep,
  runWeeklyDigest,
  saveOrganisationDefaults,
  savePreferences,
  resumeMail,
  unsubscribeOwner,
  unsubscribeUrlFor,
  FALLBACK_PREFERENCES,
} from "~/services/notifications.server";
import type { Actor } from "~/domain/result";
import { addMember, makeCommitment, makeOrganisation, makeTeam, makeUser } from "../factories";
import { testDatabase } from "../setup/db";

const BASE = "https://kept.example.com";

async function world() {
  const { db } = await testDatabase();
  await makeOrganisation(db, { timeZone: "Europe/Berlin", fiscalYearStartMonth: 1 });
  const admin = await makeUser(db, { role: "admin" });
  const owner = await makeUser(db, { role: "member", email: "owner@example.com" });
  const team = await makeTeam(db, { name: "Platform", slug: "platform" });
  await addMember(db, team.id, owner.id, "editor");
  const ownerActor: Actor = { id: owner.id, role: "member" };
  const adminActor: Actor = { id: admin.id, role: "admin" };
  const commitment = await makeCommitment(db, ownerActor, team.id, { ownerId: owner.id, dueDate: "2026-09-15" }, new Date("2026-06-01T09:00:00Z"));
  const at = (iso: string) => new Date(iso);
  const sweep = (iso: string) => runReminderSweep(db, at(iso), BASE);
  const kindsOf = async () => (await db.select({ kind: notifications.kind }).from(notifications).where(eq(notifications.userId, owner.id))).map((r) => r.kind);
  return { db, owner, ownerActor, adminActor, team, commitment, sweep, kindsOf, at };
}

describe("the reminder sweep", { timeout: 60_000 }, () => {
  it("reminds the owner to check in after two weeks, once, by notification and by mail", async () => {
    const { db, ownerActor, commitment, sweep, kindsOf } = await world();
    expect(await sweep("2026-06-14T12:00:00Z")).toEqual({ notified: 0, skipped: 0 });
    expect(await sweep("2026-06-15T12:00:00Z")).toEqual({ notified: 1, skipped: 0 });
    expect(await sweep("2026-06-16T12:00:00Z")).toEqual({ notified: 0, skipped: 0 });
    expect(await kindsOf()).toEqual(["check_in"]);

    const mail = await db.select().from(mailMessages);
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ kind: "reminder", toAddress: "owner@example.com", status: "queued" });
    expect(mail[0]!.subject).toBe(`Time to check in: ${commitment.statement}`);
    expect(mail[0]!.unsubscribeUrl).toMatch(/^https:\/\/kept\.example\.com\/unsubscribe\/[A-Za-z0-9_-]{32}\?mail=check_in$/);
    expect(mail[0]!.textBody).toContain("https://kept.example.com/commitments/");

    const { items, unread } = await readNotifications(db, ownerActor);
    expect(unread).toBe(1);
    expect(items[0]).toMatchObject({ kind: "check_in", readAt: null });
  });

  it("restarts the check-in clock at a check-in, warns 14 days before the due date, then nags weekly past it", async () => {
    const { db, ownerActor, commitment, sweep, kindsOf, at } = await world();
    const checkIn = await addCheckIn(db, ownerActor, commitment.id, { date: "2026-06-10", forecast: "on_track", probability: 80, progressValue: null, note: "" }, at("2026-06-10T08:00:00Z"));
    expect(checkIn.ok).toBe(true);
    expect((await sweep("2026-06-20T12:00:00Z")).notified).toBe(0);
    expect((await sweep("2026-06-24T12:00:00Z")).notified).toBe(1);
    expect(await kindsOf()).toEqual(["check_in"]);

    await addCheckIn(db, ownerActor, commitment.id, { date: "2026-09-01", forecast: "at_risk", probability: 40, progressValue: null, note: "" }, at("2026-09-01T08:00:00Z"));
    expect((await sweep("2026-09-01T12:00:00Z")).notified).toBe(1);
    expect((await kindsOf()).sort()).toEqual(["check_in", "due_soon"]);

    await addCheckIn(db, ownerActor, commitment.id, { date: "2026-09-14", forecast: "at_risk", probability: 40, progressValue: null, note: "" }, at("2026-09-14T08:00:00Z"));
    expect((await sweep("2026-09-16T12:00:00Z")).notified).toBe(1);
    expect((await sweep("2026-09-20T12:00:00Z")).notified).toBe(0);
    expect((await sweep("2026-09-23T12:00:00Z")).notified).toBe(1);
    expect((await kindsOf()).filter((k) => k === "past_due")).toHaveLength(2);

    // With an outcome recorded, nothing more about it: only the ended quarter's retrospective is left.
    const current = await getCommitment(db, commitment.id);
    const outcome = await recordOutcome(
      db,
      ownerActor,
      commitment.id,
      {
        status: "missed",
        resolvedAt: "2026-09-24",
        actualValue: 450,
        evidenceUrl: null,
        partialDescription: null,
        reasonCategory: "underestimated_scope",
        control: "ours",
        explanation: "The EU cache rollout slipped.",
        lesson: "Split rollouts by region.",
      },
      current!.version,
      null,
      at("2026-09-24T10:00:00Z"),
    );
    expect(outcome.ok).toBe(true);
    await sweep("2026-10-30T12:00:00Z");
    expect((await kindsOf()).filter((k) => k === "past_due")).toHaveLength(2);
    expect((await kindsOf()).filter((k) => k === "retrospective")).toHaveLength(1);
  });

  it("asks the team's editors for the retrospective of an ended period, once", async () => {
    const { sweep, kindsOf, db, owner } = await world();
    await sweep("2026-10-01T12:00:00Z");
    await sweep("2026-10-02T12:00:00Z");
    expect((await kindsOf()).filter((k) => k === "retrospective")).toHaveLength(1);
    const [row] = await db.select().from(notifications).where(eq(notifications.kind, "retrospective"));
    expect(row).toMatchObject({ userId: owner.id, path: "/retrospectives/platform/FY2026-Q3" });
  });

  it("obeys each person's choices and the organisation's defaults", async () => {
    const { db, ownerActor, adminActor, owner, sweep, kindsOf } = await world();
    expect(await saveOrganisationDefaults(db, ownerActor, { ...FALLBACK_PREFERENCES, checkInCadenceDays: 7 }, new Date())).toMatchObject({ ok: false });
    await saveOrganisationDefaults(db, adminActor, { ...FALLBACK_PREFERENCES, checkInCadenceDays: 7, email: "never" }, new Date());
    expect(await preferencesOf(db, owner.id)).toMatchObject({ email: "never", own: false });
    expect((await sweep("2026-06-08T12:00:00Z")).notified).toBe(1);
    // In the app only: the defaults say no mail.
    expect(await db.select().from(mailMessages)).toEqual([]);

    await savePreferences(db, ownerActor, { ...FALLBACK_PREFERENCES, checkIn: false }, new Date());
    expect(await sweep("2026-06-15T12:00:00Z")).toEqual({ notified: 0, skipped: 1 });
    expect(await kindsOf()).toEqual(["check_in"]);
  });

  it("stops only the kind of mail the one-click unsubscribe link came with, keeping it in the app", async () => {
    const { db, owner, ownerActor, commitment, sweep, kindsOf, at } = await world();
    await sweep("2026-06-15T12:00:00Z");
    const [mail] = await db.select().from(mailMessages);
    const link = new URL(mail!.unsubscribeUrl!);
    const token = link.pathname.split("/").at(-1)!;
    expect(link.searchParams.get("mail")).toBe("check_in");
    expect(await unsubscribeOwner(db, "not-a-real-token-at-all", "check_in", new Date())).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await unsubscribeOwner(db, token, "check_in", new Date())).toMatchObject({ ok: true, value: { email: "owner@example.com", stopped: "reminders to check in" } });
    // Replayed: still fine, still unsubscribed, listed once.
    expect((await unsubscribeOwner(db, token, "check_in", new Date())).ok).toBe(true);
    expect(await preferencesOf(db, owner.id)).toMatchObject({ email: "each", checkIn: true, weeklyDigest: true, mailOff: ["check_in"], own: true });

    // The next check-in reminder arrives in the app only.
    expect((await sweep("2026-06-29T12:00:00Z")).notified).toBe(1);
    expect(await kindsOf()).toEqual(["check_in", "check_in"]);
    expect(await db.select().from(mailMessages)).toHaveLength(1);

    // Another kind still comes by mail: the due-soon warning.
    await addCheckIn(db, ownerActor, commitment.id, { date: "2026-09-01", forecast: "at_risk", probability: 40, progressValue: null, note: "" }, at("2026-09-01T08:00:00Z"));
    expect((await sweep("2026-09-01T12:00:00Z")).notified).toBe(1);
    const mails = await db.select().from(mailMessages);
    expect(mails).toHaveLength(2);
    expect(mails.map((m) => new URL(m.unsubscribeUrl!).searchParams.get("mail")).sort()).toEqual(["check_in", "due_soon"]);

    // Turned back on from Account → Notifications.
    expect((await resumeMail(db, ownerActor, ["check_in"], new Date())).ok).toBe(true);
    expect(await preferencesOf(db, owner.id)).toMatchObject({ mailOff: [] });
  });

  it("stops the weekly digest from its link, and all mail from a link that names no kind", async () => {
    const { db, owner } = await world();
    const url = await unsubscribeUrlFor(db, owner.id, BASE, new Date(), "digest");
    const token = new URL(url).pathname.split("/").at(-1)!;
    expect(await unsubscribeOwner(db, token, "digest", new Date())).toMatchObject({ ok: true, value: { stopped: "the weekly digest" } });
    expect(await preferencesOf(db, owner.id)).toMatchObject({ email: "each", weeklyDigest: false, mailOff: [] });
    expect(await unsubscribeOwner(db, token, null, new Date())).toMatchObject({ ok: true });
    expect(await preferencesOf(db, owner.id)).toMatchObject({ email: "never", weeklyDigest: false });
  });

  it("mails each person one weekly digest on the organisation's Monday, listing what needs them", async () => {
    const { db, owner, ownerActor, team, commitment, at } = await world();
    const colleague = await makeUser(db, { email: "colleague@example.com" });
    await addMember(db, team.id, colleague.id, "viewer");
    // Someone with nothing in the digest's scope gets no digest.
    await makeUser(db, { email: "outsider@example.com" });
    await makeCommitment(db, ownerActor, team.id, { ownerId: owner.id, dueDate: "2026-09-20", statement: "Publish the EU status page with per-region uptime" }, at("2026-06-02T09:00:00Z"));
    // Sunday in Berlin: nothing yet.
    expect(await runWeeklyDigest(db, at("2026-09-06T12:00:00Z"), BASE)).toEqual({ sent: 0 });
    // Monday 00:30 in Berlin (Sunday 22:30 UTC).
    expect(await runWeeklyDigest(db, at("2026-09-06T22:30:00Z"), BASE)).toEqual({ sent: 2 });
    expect(await runWeeklyDigest(db, at("2026-09-07T09:30:00Z"), BASE)).toEqual({ sent: 0 });
    const digests = await db.select().from(mailMessages).where(eq(mailMessages.kind, "digest"));
    expect(digests.map((m) => m.toAddress).sort()).toEqual(["colleague@example.com", "owner@example.com"]);
    const text = digests[0]!.textBody;
    expect(digests[0]!.subject).toBe("Your week in Kept: 2026-W37");
    expect(text).toContain("Due in the next 14 days (2)");
    expect(text).toContain(`- ${commitment.statement} (due 2026-09-15)`);
    expect(text).toMatch(/https:\/\/kept\.example\.com\/commitments\/[0-9a-f-]{36}/);
    expect(digests[0]!.unsubscribeUrl).toMatch(/\/unsubscribe\//);

    // Next Monday, for someone who said no more digests: nothing for them.
    await savePreferences(db, { id: colleague.id, role: "member" }, { ...FALLBACK_PREFERENCES, weeklyDigest: false }, new Date());
    expect(await runWeeklyDigest(db, at("2026-09-14T08:00:00Z"), BASE)).toEqual({ sent: 1 });
  });
});
