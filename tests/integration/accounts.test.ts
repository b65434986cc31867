// One-time sign-in links (invitations and resets), changing a password, and one's own
// sessions, against a real database (ADR 0018).
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accountLinks, mailMessages, sessions, users } from "../../db/schema";
import { ACCOUNT_LINKS_PER_PERSON_PER_HOUR } from "~/domain/accounts";
import { hashToken, login } from "~/services/auth.server";
import {
  changeOwnPassword,
  endOtherSessions,
  endOwnSession,
  issueAccountLink,
  ownSessions,
  readAccountLink,
  redeemAccountLink,
  revokeAccountLink,
  signInStatusOf,
} from "~/services/accounts.server";
import { addPerson } from "~/services/people.server";
import type { Actor } from "~/domain/result";
import { DEFAULT_PASSWORD, makeOrganisation, makeUser } from "../factories";
import { testDatabase } from "../setup/db";

const NOW = new Date("2026-11-29T09:00:00.000Z");
const later = (ms: number) => new Date(NOW.getTime() + ms);
const HOUR = 3_600_000;
const NO_MAIL = { baseUrl: "https://kept.example.org", mail: false };
const MAIL = { baseUrl: "https://kept.example.org", mail: true };
const NEW_PASSWORD = "a fresh phrase of my own";

const tokenOf = (url: string) => {
  const match = /^https:\/\/kept\.example\.org\/set-password\/([A-Za-z0-9_-]{43})$/.exec(url);
  expect(match, `a link on APP_URL with a 256-bit token: ${url}`).not.toBeNull();
  return match![1]!;
};

async function setUp() {
  const { db } = await testDatabase();
  await makeOrganisation(db);
  const admin = await makeUser(db, { role: "admin" });
  const actor: Actor = { id: admin.id, role: "admin" };
  return { db, admin, actor };
}

async function invite(db: Awaited<ReturnType<typeof setUp>>["db"], actor: Actor, email = "grace@example.com", delivery = NO_MAIL, now = NOW) {
  const added = await addPerson(db, actor, { name: "Grace Hopper", email, role: "member" }, now, delivery);
  if (!added.ok) throw new Error(added.error.message);
  return added.value;
}

describe("invitations", () => {
  it("adding a person without a password makes a one-time link stored only as a hash, and no password works yet", async () => {
    const { db, actor } = await setUp();
    const grace = await invite(db, actor);
    expect(grace.invitation).toMatchObject({ purpose: "invitation", emailed: false, expiresAt: later(7 * 24 * HOUR) });
    const token = tokenOf(grace.invitation!.url);
    const rows = await db.select().from(accountLinks).where(eq(accountLinks.userId, grace.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, grace.id));
    expect(row!.passwordHash.startsWith("!invited:")).toBe(true);
    expect(await signInStatusOf(db, actor, grace.id, NOW)).toMatchObject({ kind: "invited", expired: false });
    // Nothing mailed without mail configured: the link is not left lying in the outbox.
    expect(await db.select().from(mailMessages)).toHaveLength(0);
  });

  it("mails the link when mail is set up, in the same transaction as the person", async () => {
    const { db, actor } = await setUp();
    const grace = await invite(db, actor, "grace@example.com", MAIL);
    expect(grace.invitation!.emailed).toBe(true);
    const mail = await db.select().from(mailMessages);
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ kind: "account", toAddress: "grace@example.com", unsubscribeUrl: null });
    expect(mail[0]!.textBody).toContain(grace.invitation!.url);
  });

  it("sets the password once: the link cannot be replayed, and the person signs in with what they chose", async () => {
    const { db, actor } = await setUp();
    const grace = await invite(db, actor);
    const token = tokenOf(grace.invitation!.url);
    expect(await readAccountLink(db, token, NOW)).toMatchObject({ ok: true, value: { purpose: "invitation", email: "grace@example.com" } });
    expect(await redeemAccountLink(db, token, NEW_PASSWORD, later(HOUR))).toMatchObject({ ok: true, value: { userId: grace.id } });
    expect(await redeemAccountLink(db, token, "another phrase entirely", later(2 * HOUR))).toMatchObject({ ok: false, error: { code: "LINK.USED" } });
    expect(await readAccountLink(db, token, later(2 * HOUR))).toMatchObject({ ok: false, error: { code: "LINK.USED" } });
    const signedIn = await login(db, { email: "grace@example.com", password: NEW_PASSWORD, ip: "192.0.2.1", userAgent: null }, { now: () => later(3 * HOUR), sleep: async () => {} });
    expect(signedIn.ok).toBe(true);
    expect(await signInStatusOf(db, actor, grace.id, later(3 * HOUR))).toEqual({ kind: "password" });
  });

  it("two submissions of one link at the same moment: exactly one sets the password", async () => {
    const { db, actor } = await setUp();
    const token = tokenOf((await invite(db, actor)).invitation!.url);
    const results = await Promise.all([redeemAccountLink(db, token, "first phrase of mine", NOW), redeemAccountLink(db, token, "second phrase of mine", NOW)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(["LINK.USED"]);
  });

  it("expires: an invitation a week old no longer works and says so", async () => {
    const { db, actor } = await setUp();
    const grace = await invite(db, actor);
    const token = tokenOf(grace.invitation!.url);
    const expired = later(7 * 24 * HOUR);
    expect(await redeemAccountLink(db, token, NEW_PASSWORD, expired)).toMatchObject({ ok: false, error: { code: "LINK.EXPIRED" } });
    expect(await signInStatusOf(db, actor, grace.id, expired)).toMatchObject({ kind: "invited", expired: true });
    // Re-issuing makes a new link that works; the old one stays dead.
    const again = await issueAccountLink(db, actor, grace.id, "invitation", NO_MAIL, expired);
    if (!again.ok) throw new Error(again.error.message);
    expect(await redeemAccountLink(db, tokenOf(again.value.url), NEW_PASSWORD, expired)).toMatchObject({ ok: true });
  });

  it("re-issuing revokes the previous link, and an admin can withdraw the open one", async () => {
    const { db, actor } = await setUp();
    const grace = await invite(db, actor);
    const first = tokenOf(grace.invitation!.url);
    const second = await issueAccountLink(db, actor, grace.id, "invitation", NO_MAIL, later(HOUR));
    if (!second.ok) throw new Error(second.error.message);
    expect(await readAccountLink(db, first, later(HOUR))).toMatchObject({ ok: false, error: { code: "LINK.REVOKED" } });
    expect(await revokeAccountLink(db, actor, grace.id, later(HOUR))).toEqual({ ok: true, value: { revoked: 1 } });
    expect(await redeemAccountLink(db, tokenOf(second.value.url), NEW_PASSWORD, later(HOUR))).toMatchObject({ ok: false, error: { code: "LINK.REVOKED" } });
    expect(await signInStatusOf(db, actor, grace.id, later(HOUR))).toEqual({ kind: "no-password" });
  });

  it("an unknown or mangled token is refused without touching anything", async () => {
    const { db, actor } = await setUp();
    const token = tokenOf((await invite(db, actor)).invitation!.url);
    expect(await redeemAccountLink(db, token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"), NEW_PASSWORD, NOW)).toMatchObject({ ok: false, error: { code: "LINK.UNKNOWN" } });
    expect(await readAccountLink(db, "x".repeat(500), NOW)).toMatchObject({ ok: false, error: { code: "LINK.UNKNOWN" } });
    expect(await readAccountLink(db, token, NOW)).toMatchObject({ ok: true });
  });

  it("a common password is refused beside the field and the link stays usable", async () => {
    const { db, actor } = await setUp();
    const token = tokenOf((await invite(db, actor)).invitation!.url);
    expect(await redeemAccountLink(db, token, "password123", NOW)).toMatchObject({ ok: false, error: { code: "VALIDATION", field: "password" } });
    expect(await redeemAccountLink(db, token, NEW_PASSWORD, NOW)).toMatchObject({ ok: true });
  });

  it("only admins issue links; an invitation is refused for someone who has a password", async () => {
    const { db, actor } = await setUp();
    const member = await makeUser(db, { role: "member" });
    expect(await issueAccountLink(db, { id: member.id, role: "member" }, member.id, "reset", NO_MAIL, NOW)).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await issueAccountLink(db, actor, member.id, "invitation", NO_MAIL, NOW)).toMatchObject({ ok: false, error: { code: "USER.HAS_PASSWORD" } });
    const gone = await makeUser(db, { active: false });
    expect(await issueAccountLink(db, actor, gone.id, "reset", NO_MAIL, NOW)).toMatchObject({ ok: false, error: { code: "USER.INACTIVE" } });
    expect(await db.select().from(accountLinks)).toHaveLength(0);
  });
});

describe("reset links", () => {
  it("a reset keeps the old password working until used, then replaces it and ends every session", async () => {
    const { db, actor } = await setUp();
    const mo = await makeUser(db, { email: "mo@example.com" });
    const deps = { now: () => NOW, sleep: async () => {} };
    expect((await login(db, { email: "mo@example.com", password: DEFAULT_PASSWORD, ip: "192.0.2.2", userAgent: "Firefox/1" }, deps)).ok).toBe(true);
    const reset = await issueAccountLink(db, actor, mo.id, "reset", NO_MAIL, NOW);
    if (!reset.ok) throw new Error(reset.error.message);
    expect(reset.value.expiresAt).toEqual(later(24 * HOUR));
    expect(await signInStatusOf(db, actor, mo.id, NOW)).toMatchObject({ kind: "reset-pending" });
    expect((await login(db, { email: "mo@example.com", password: DEFAULT_PASSWORD, ip: "192.0.2.2", userAgent: null }, deps)).ok).toBe(true);
    expect(await redeemAccountLink(db, tokenOf(reset.value.url), NEW_PASSWORD, later(HOUR))).toMatchObject({ ok: true });
    expect(await db.select().from(sessions).where(eq(sessions.userId, mo.id))).toHaveLength(0);
    expect((await login(db, { email: "mo@example.com", password: DEFAULT_PASSWORD, ip: "192.0.2.3", userAgent: null }, deps)).ok).toBe(false);
    expect((await login(db, { email: "mo@example.com", password: NEW_PASSWORD, ip: "192.0.2.3", userAgent: null }, deps)).ok).toBe(true);
  });

  it("is throttled per person: after the hourly number, further links are refused until the next hour", async () => {
    const { db, actor } = await setUp();
    const mo = await makeUser(db);
    for (let i = 0; i < ACCOUNT_LINKS_PER_PERSON_PER_HOUR; i++) {
      expect((await issueAccountLink(db, actor, mo.id, "reset", NO_MAIL, later(i * 60_000))).ok).toBe(true);
    }
    const over = await issueAccountLink(db, actor, mo.id, "reset", NO_MAIL, later(30 * 60_000));
    expect(over).toMatchObject({ ok: false, error: { code: "CREDENTIALS.RATE_LIMITED" } });
    expect(!over.ok && over.error.retryAfter).toBe(30 * 60);
    // Exactly one link is open however many were issued.
    const open = await db.select().from(accountLinks).where(eq(accountLinks.userId, mo.id));
    expect(open.filter((l) => !l.usedAt && !l.revokedAt)).toHaveLength(1);
    expect((await issueAccountLink(db, actor, mo.id, "reset", NO_MAIL, later(HOUR))).ok).toBe(true);
  });
});

describe("changing one's own password and sessions", () => {
  async function signedIn(db: Awaited<ReturnType<typeof setUp>>["db"], email: string, userAgent: string, at = NOW) {
    const result = await login(db, { email, password: DEFAULT_PASSWORD, ip: "192.0.2.9", userAgent }, { now: () => at, sleep: async () => {} });
    if (!result.ok) throw new Error(result.error.message);
    return result.value.token;
  }

  it("needs the current password, keeps this session and ends the others", async () => {
    const { db } = await setUp();
    const mo = await makeUser(db, { email: "mo@example.com" });
    const here = await signedIn(db, "mo@example.com", "Firefox/121.0 (X11; Linux x86_64)");
    await signedIn(db, "mo@example.com", "Chrome/120.0 (Windows NT 10.0)");
    const wrong = await changeOwnPassword(db, mo, { currentPassword: "not it at all", newPassword: NEW_PASSWORD, currentToken: here }, NOW);
    expect(wrong).toMatchObject({ ok: false, error: { code: "AUTH.INVALID_CREDENTIALS", field: "currentPassword" } });
    expect(await changeOwnPassword(db, mo, { currentPassword: DEFAULT_PASSWORD, newPassword: "password123", currentToken: here }, NOW)).toMatchObject({
      ok: false,
      error: { field: "newPassword" },
    });
    expect(await changeOwnPassword(db, mo, { currentPassword: DEFAULT_PASSWORD, newPassword: DEFAULT_PASSWORD, currentToken: here }, NOW)).toMatchObject({
      ok: false,
      error: { field: "newPassword" },
    });
    expect(await changeOwnPassword(db, mo, { currentPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD, currentToken: here }, NOW)).toEqual({ ok: true, value: { signedOut: 1 } });
    const left = await db.select().from(sessions).where(eq(sessions.userId, mo.id));
    expect(left.map((s) => s.tokenHash)).toEqual([hashToken(here)]);
  });

  it("wrong current passwords are throttled like failed sign-ins", async () => {
    const { db } = await setUp();
    const mo = await makeUser(db, { email: "mo@example.com" });
    const here = await signedIn(db, "mo@example.com", "Firefox/121.0");
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await changeOwnPassword(db, mo, { currentPassword: `guess number ${i}`, newPassword: NEW_PASSWORD, currentToken: here }, NOW);
      codes.push(r.ok ? "ok" : r.error.code);
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill("AUTH.INVALID_CREDENTIALS"));
    expect(codes.at(-1)).toBe("AUTH.THROTTLED");
    expect(await changeOwnPassword(db, mo, { currentPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD, currentToken: here }, NOW)).toMatchObject({
      ok: false,
      error: { code: "AUTH.THROTTLED" },
    });
  });

  it("lists only the person's own sessions, marks this one, and ends one or all others — never someone else's", async () => {
    const { db } = await setUp();
    const mo = await makeUser(db, { email: "mo@example.com" });
    const vi = await makeUser(db, { email: "vi@example.com" });
    const here = await signedIn(db, "mo@example.com", "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", NOW);
    await signedIn(db, "mo@example.com", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) Version/17.1 Mobile Safari/604.1", later(60_000));
    await signedIn(db, "mo@example.com", "curl/8.4.0", later(120_000));
    const viToken = await signedIn(db, "vi@example.com", "curl/8.4.0", NOW);
    const mine = await ownSessions(db, mo.id, here, later(HOUR));
    expect(mine).toHaveLength(3);
    expect(mine.filter((s) => s.current)).toHaveLength(1);
    expect(mine.find((s) => s.current)!.userAgent).toContain("Firefox");

    const [viSession] = await ownSessions(db, vi.id, viToken, later(HOUR));
    expect(await endOwnSession(db, mo.id, here, viSession!.id)).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await endOwnSession(db, mo.id, here, mine.find((s) => s.current)!.id)).toMatchObject({ ok: false });
    const other = mine.find((s) => !s.current)!;
    expect(await endOwnSession(db, mo.id, here, other.id)).toEqual({ ok: true, value: null });
    expect(await ownSessions(db, mo.id, here, later(HOUR))).toHaveLength(2);
    expect(await endOtherSessions(db, mo.id, here)).toBe(1);
    expect((await ownSessions(db, mo.id, here, later(HOUR))).map((s) => s.current)).toEqual([true]);
    expect(await ownSessions(db, vi.id, viToken, later(HOUR))).toHaveLength(1);
  });
});

describe("importing people", () => {
  it("signInStatusOf answers admins only", async () => {
    const { db } = await setUp();
    const mo = await makeUser(db);
    expect(await signInStatusOf(db, { id: mo.id, role: "member" }, mo.id, NOW)).toBeNull();
  });
});
