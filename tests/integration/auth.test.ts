import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { authThrottle, sessions } from "../../db/schema";
import { getUserById } from "~/models/user.server";
import { hashToken, login, logout, SESSION_IDLE_MS, SESSION_TTL_MS, userForToken, type LoginDeps, type LoginInput } from "~/services/auth.server";
import { setActive } from "~/services/people.server";
import { DEFAULT_PASSWORD, makeUser } from "../factories";
import { testDatabase } from "../setup/db";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const T0 = new Date("2026-03-02T09:00:00.000Z");

/** A clock the test moves by hand and a sleep that records what it was asked for. */
function fakeDeps(start: Date = T0) {
  let current = start.getTime();
  const sleeps: number[] = [];
  const deps: LoginDeps = {
    now: () => new Date(current),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
  return {
    deps,
    sleeps,
    advance: (ms: number) => {
      current += ms;
    },
    now: () => new Date(current),
  };
}

function attempt(overrides: Partial<LoginInput> & { email: string }): LoginInput {
  return { password: DEFAULT_PASSWORD, ip: "203.0.113.7", userAgent: "vitest", previousToken: null, ...overrides };
}

async function sessionRows(db: Database) {
  return db.select().from(sessions);
}

async function throttleRow(db: Database, key: string) {
  const [row] = await db.select().from(authThrottle).where(eq(authThrottle.key, key));
  return row ?? null;
}

async function loginOrThrow(db: Database, input: LoginInput, deps: LoginDeps) {
  const result = await login(db, input, deps);
  if (!result.ok) throw new Error(`login failed: ${result.error.code}`);
  return result.value;
}

describe("login and sessions", () => {
  it("stores only the SHA-256 of the session token", async () => {
    const { db } = await testDatabase();
    const user = await makeUser(db, { email: "ada@example.com" });
    const { deps } = fakeDeps();

    const result = await login(db, attempt({ email: "ada@example.com", userAgent: "Firefox/130" }), deps);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.userId).toBe(user.id);
    expect(result.value.expiresAt.getTime()).toBe(T0.getTime() + SESSION_TTL_MS);
    const rows = await sessionRows(db);
    expect(rows).toHaveLength(1);
    const expectedHash = createHash("sha256").update(result.value.token).digest("hex");
    expect(rows[0]!.tokenHash).toBe(expectedHash);
    expect(hashToken(result.value.token)).toBe(expectedHash);
    expect(rows[0]!.tokenHash).not.toBe(result.value.token);
    expect(rows[0]!.userId).toBe(user.id);
    expect(rows[0]!.userAgent).toBe("Firefox/130");
    expect(rows[0]!.expiresAt.getTime()).toBe(T0.getTime() + SESSION_TTL_MS);
    // The raw token appears in no column of the row.
    expect(Object.values(rows[0]!).map(String)).not.toContain(result.value.token);
  });

  it("finds the user behind a live token and forgets it after logout", async () => {
    const { db } = await testDatabase();
    const user = await makeUser(db, { email: "ada@example.com" });
    const { deps, now } = fakeDeps();
    const { token } = await loginOrThrow(db, attempt({ email: "ada@example.com" }), deps);

    const found = await userForToken(db, token, now());
    expect(found).toMatchObject({ id: user.id, email: "ada@example.com", active: true });
    expect(found).not.toHaveProperty("passwordHash");

    await logout(db, token);
    expect(await sessionRows(db)).toHaveLength(0);
    expect(await userForToken(db, token, now())).toBeNull();
  });

  it("does not accept an unknown or malformed token", async () => {
    const { db } = await testDatabase();
    await makeUser(db, { email: "ada@example.com" });
    const { deps, now } = fakeDeps();
    const { token } = await loginOrThrow(db, attempt({ email: "ada@example.com" }), deps);

    expect(await userForToken(db, `${token}x`, now())).toBeNull();
    expect(await userForToken(db, "", now())).toBeNull();
    // The stored hash itself is not a credential.
    expect(await userForToken(db, hashToken(token), now())).toBeNull();
  });

  it("ends the previous session when signing in again, so the session id changes", async () => {
    const { db } = await testDatabase();
    const user = await makeUser(db, { email: "ada@example.com" });
    const { deps, now } = fakeDeps();
    const first = await loginOrThrow(db, attempt({ email: "ada@example.com" }), deps);

    const second = await loginOrThrow(db, attempt({ email: "ada@example.com", previousToken: first.token }), deps);

    expect(second.token).not.toBe(first.token);
    const rows = await sessionRows(db);
    expect(rows.map((r) => r.tokenHash)).toEqual([hashToken(second.token)]);
    expect(await userForToken(db, first.token, now())).toBeNull();
    expect(await userForToken(db, second.token, now())).toMatchObject({ id: user.id });
  });

  it("keeps other sessions when no previous token is given", async () => {
    const { db } = await testDatabase();
    await makeUser(db, { email: "ada@example.com" });
    const { deps } = fakeDeps();
    const laptop = await loginOrThrow(db, attempt({ email: "ada@example.com" }), deps);
    const phone = await loginOrThrow(db, attempt({ email: "ada@example.com" }), deps);

    const hashes = (await sessionRows(db)).map((r) => r.tokenHash).sort();
    expect(hashes).toEqual([hashToken(laptop.token), hashToken(phone.token)].sort());
  });

  it("does not accept a session once it has expired", async () => {
    const { db } = await testDatabase();
    await makeUser(db, { email: "ada@example.com" });
    const { deps } = fakeDeps();
    const { token, expiresAt } = await loginOrThrow(db, attempt({ email: "ada@example.com" }), deps);

    // Used every few days, so never idle: the absolute expiry still ends it.
    for (let at = T0.getTime() + 5 * DAY; at < expiresAt.getTime(); at += 5 * DAY) {
      expect(await userForToken(db, token, new Date(at))).not.toBeNull();
    }
    expect(await userForToken(db, token, new Date(expiresAt.getTime() - 1000))).not.toBeNull();
    expect(await userForToken(db, token, expiresAt)).toBeNull();
    expect(await userForToken(db, token, new Date(expiresAt.getTime() + 1000))).toBeNull();
  });

  it("ends a session left unused for 7 days, well before its absolute expiry", async () => {
    const { db } = await testDatabase();
    await makeUser(db, { email: "ada@example.com" });
    const { deps } = fakeDeps();
    const { token } = await loginOrThrow(db, attempt({ email: "ada@example.com" }), deps);

    expect(await userForToken(db, token, new Date(T0.getTime() + SESSION_IDLE_MS - 1000))).not.toBeNull();
    // That use counted: another 7 days from it.
    expect(await userForToken(db, token, new Date(T0.getTime() + 2 * SESSION_IDLE_MS - 2000))).not.toBeNull();
    expect(await userForToken(db, token, new Date(T0.getTime() + 3 * SESSION_IDLE_MS))).toBeNull();
  });

  it("writes last_seen_at at most once an hour per session, not on every request", async () => {
    const { db } = await testDatabase();
    await makeUser(db, { email: "ada@example.com" });
    const { deps } = fakeDeps();
    const { token } = await loginOrThrow(db, attempt({ email: "ada@example.com" }), deps);
    const lastSeen = async () => (await sessionRows(db))[0]!.lastSeenAt.getTime();

    expect(await lastSeen()).toBe(T0.getTime());
    for (const minutes of [1, 10, 59]) await userForToken(db, token, new Date(T0.getTime() + minutes * MINUTE));
    expect(await lastSeen()).toBe(T0.getTime());
    await userForToken(db, token, new Date(T0.getTime() + 61 * MINUTE));
    expect(await lastSeen()).toBe(T0.getTime() + 61 * MINUTE);
    await userForToken(db, token, new Date(T0.getTime() + 90 * MINUTE));
    expect(await lastSeen()).toBe(T0.getTime() + 61 * MINUTE);
  });
});

describe("failed sign-ins", () => {
  it("rejects a wrong password with a field error and counts the failure", async () => {
    const { db } = await testDatabase();
    await makeUser(db, { email: "ada@example.com" });
    const { deps } = fakeDeps();

    const result = await login(db, attempt({ email: "ada@example.com", password: "wrong password" }), deps);

    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "AUTH.INVALID_CREDENTIALS", field: "password" }),
    });
    expect(await sessionRows(db)).toHaveLength(0);
    expect(await throttleRow(db, "account:ada@example.com")).toMatchObject({ failures: 1, lockedUntil: null });
    expect(await throttleRow(db, "ip:203.0.113.7")).toMatchObject({ failures: 1, lockedUntil: null });
  });

  it("answers an unknown email exactly like a wrong password and counts it too", async () => {
    const { db } = await testDatabase();
    await makeUser(db, { email: "ada@example.com" });
    const { deps } = fakeDeps();

    const wrongPassword = await login(db, attempt({ email: "ada@example.com", password: "nope" }), deps);
    const unknownEmail = await login(db, attempt({ email: "nobody@example.com", password: "nope" }), deps);

    expect(unknownEmail).toEqual(wrongPassword);
    expect(unknownEmail).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "AUTH.INVALID_CREDENTIALS", field: "password" }),
    });
    expect(await throttleRow(db, "account:nobody@example.com")).toMatchObject({ failures: 1 });
    expect(await throttleRow(db, "ip:203.0.113.7")).toMatchObject({ failures: 2 });
  });

  it("locks one address out of an account after 5 failures, even against the right password, for 15 minutes", async () => {
    const { db } = await testDatabase();
    await makeUser(db, { email: "ada@example.com" });
    const clock = fakeDeps();

    for (let i = 0; i < 5; i++) {
      const r = await login(db, attempt({ email: "ada@example.com", password: `guess ${i}` }), clock.deps);
      expect(r.ok ? "ok" : r.error.code).toBe("AUTH.INVALID_CREDENTIALS");
      clock.advance(1000);
    }
    const row = await throttleRow(db, "pair:ada@example.com|203.0.113.7");
    expect(row?.failures).toBe(5);
    // Locked 15 minutes from the fifth failure (which happened 1 s before "now").
    expect(row?.lockedUntil?.getTime()).toBe(clock.now().getTime() - 1000 + 15 * MINUTE);

    const sixth = await login(db, attempt({ email: "ada@example.com" }), clock.deps);

    expect(sixth.ok).toBe(false);
    if (sixth.ok) return;
    expect(sixth.error.code).toBe("AUTH.THROTTLED");
    expect(sixth.error.retryAfter).toBe(15 * 60 - 1);
    expect(sixth.error.message).toMatch(/15 minutes/);
    expect(await sessionRows(db)).toHaveLength(0);
    // A throttled attempt is refused before the password is checked, so it counts nothing.
    expect((await throttleRow(db, "pair:ada@example.com|203.0.113.7"))?.failures).toBe(5);
    expect((await throttleRow(db, "ip:203.0.113.7"))?.failures).toBe(5);
  });

  it("does not let a stranger lock the owner out: the owner signs in from their own address", async () => {
    const { db } = await testDatabase();
    const user = await makeUser(db, { email: "ada@example.com" });
    const clock = fakeDeps();
    for (let i = 0; i < 5; i++) {
      await login(db, attempt({ email: "ada@example.com", password: `guess ${i}`, ip: "198.51.100.66" }), clock.deps);
    }
    // The account as a whole is only paced: the next attempt waits a second, never 15 minutes.
    const tooSoon = await login(db, attempt({ email: "ada@example.com", ip: "192.0.2.10" }), clock.deps);
    expect(tooSoon).toEqual({ ok: false, error: expect.objectContaining({ code: "AUTH.THROTTLED", retryAfter: 1 }) });
    clock.advance(1000);

    const owner = await login(db, attempt({ email: "ada@example.com", ip: "192.0.2.10" }), clock.deps);

    expect(owner.ok && owner.value.userId).toBe(user.id);
    // The stranger's own address stays locked out of the account.
    const stranger = await login(db, attempt({ email: "ada@example.com", ip: "198.51.100.66" }), clock.deps);
    expect(stranger).toEqual({ ok: false, error: expect.objectContaining({ code: "AUTH.THROTTLED" }) });
  });

  it("paces guesses from a new address each time (a spoofed X-Forwarded-For) without ever locking the account", async () => {
    const { db } = await testDatabase();
    const user = await makeUser(db, { email: "ada@example.com" });
    const clock = fakeDeps();
    const codes: string[] = [];
    const waits: number[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await login(db, attempt({ email: "ada@example.com", password: `guess ${i}`, ip: `10.${i}.${(i * 7) % 256}.1` }), clock.deps);
      codes.push(r.ok ? "ok" : r.error.code);
      if (!r.ok && r.error.retryAfter) waits.push(r.error.retryAfter);
      clock.advance(200);
    }
    const checked = codes.filter((c) => c === "AUTH.INVALID_CREDENTIALS").length;
    // 40 attempts in 8 seconds: the 5 free ones, then the pace lets through only a few more.
    expect(checked).toBeGreaterThanOrEqual(5);
    expect(checked).toBeLessThanOrEqual(8);
    expect(codes.filter((c) => c === "AUTH.THROTTLED").length).toBe(40 - checked);
    // Never a long lock: the pace is at most a minute.
    expect(Math.max(...waits)).toBeLessThanOrEqual(60);
    // Refused attempts never counted against the addresses they came from.
    const pairRows = (await db.select().from(authThrottle)).filter((r) => r.key.startsWith("pair:"));
    expect(pairRows.filter((r) => r.failures > 0)).toHaveLength(checked);

    clock.advance(60_000);
    const owner = await login(db, attempt({ email: "ada@example.com", ip: "192.0.2.10" }), clock.deps);
    expect(owner.ok && owner.value.userId).toBe(user.id);
  });

  it("doubles the account's pace with each further failure, up to a minute", async () => {
    const { db } = await testDatabase();
    await makeUser(db, { email: "ada@example.com" });
    const clock = fakeDeps();
    const holds: number[] = [];
    for (let i = 0; i < 12; i++) {
      await login(db, attempt({ email: "ada@example.com", password: `guess ${i}`, ip: `192.0.2.${i + 1}` }), clock.deps);
      const row = await throttleRow(db, "account:ada@example.com");
      holds.push(row?.lockedUntil ? row.lockedUntil.getTime() - clock.now().getTime() : 0);
      clock.advance(Math.max(holds.at(-1)!, 0));
    }
    expect(holds).toEqual([0, 0, 0, 0, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
  });

  it("reports retryAfter of 900 s right after the fifth failure from one address", async () => {
    const { db } = await testDatabase();
    await makeUser(db, { email: "ada@example.com" });
    const clock = fakeDeps();
    for (let i = 0; i < 5; i++) await login(db, attempt({ email: "ada@example.com", password: "bad" }), clock.deps);

    const sixth = await login(db, attempt({ email: "ada@example.com" }), clock.deps);

    expect(sixth).toEqual({ ok: false, error: expect.objectContaining({ code: "AUTH.THROTTLED", retryAfter: 900 }) });
  });

  it("lets the right password in once the lock has passed, and clears the account's counters", async () => {
    const { db } = await testDatabase();
    const user = await makeUser(db, { email: "ada@example.com" });
    const clock = fakeDeps();
    for (let i = 0; i < 5; i++) await login(db, attempt({ email: "ada@example.com", password: "bad" }), clock.deps);

    clock.advance(15 * MINUTE - 1000);
    const stillLocked = await login(db, attempt({ email: "ada@example.com" }), clock.deps);
    expect(stillLocked).toEqual({ ok: false, error: expect.objectContaining({ code: "AUTH.THROTTLED", retryAfter: 1 }) });

    clock.advance(2000); // 15 min + 1 s after the lock started
    const result = await login(db, attempt({ email: "ada@example.com" }), clock.deps);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.userId).toBe(user.id);
    expect(await throttleRow(db, "account:ada@example.com")).toBeNull();
    expect(await throttleRow(db, "pair:ada@example.com|203.0.113.7")).toBeNull();
  });

  it("keeps the address's earlier failures after a successful sign-in", async () => {
    const { db } = await testDatabase();
    await makeUser(db, { email: "ada@example.com" });
    const clock = fakeDeps();
    for (let i = 0; i < 2; i++) await login(db, attempt({ email: "ada@example.com", password: "bad" }), clock.deps);
    const result = await login(db, attempt({ email: "ada@example.com" }), clock.deps);
    expect(result.ok).toBe(true);
    expect(await throttleRow(db, "account:ada@example.com")).toBeNull();
    // The success itself is given back; the per-address failures are not the account's to clear.
    expect(await throttleRow(db, "ip:203.0.113.7")).toMatchObject({ failures: 2 });
  });

  it("locks an address after 20 failures across different emails; another address is unaffected", async () => {
    const { db } = await testDatabase();
    await makeUser(db, { email: "ada@example.com" });
    const clock = fakeDeps();
    const ip = "198.51.100.20";

    for (let i = 0; i < 20; i++) {
      const r = await login(db, attempt({ email: `target${i}@example.com`, password: "bad", ip }), clock.deps);
      expect(r.ok ? "ok" : r.error.code).toBe("AUTH.INVALID_CREDENTIALS");
    }
    expect(await throttleRow(db, `ip:${ip}`)).toMatchObject({ failures: 20 });
    expect((await throttleRow(db, `ip:${ip}`))?.lockedUntil?.getTime()).toBe(T0.getTime() + 15 * MINUTE);
    // No single account got near its own limit.
    expect(await throttleRow(db, "account:target0@example.com")).toMatchObject({ failures: 1, lockedUntil: null });

    const twentyFirst = await login(db, attempt({ email: "target20@example.com", password: "bad", ip }), clock.deps);
    expect(twentyFirst).toEqual({ ok: false, error: expect.objectContaining({ code: "AUTH.THROTTLED", retryAfter: 900 }) });
    // Even a real account with the right password is refused from the locked address.
    const realFromLocked = await login(db, attempt({ email: "ada@example.com", ip }), clock.deps);
    expect(realFromLocked).toEqual({ ok: false, error: expect.objectContaining({ code: "AUTH.THROTTLED" }) });

    const elsewhereWrong = await login(
      db,
      attempt({ email: "target20@example.com", password: "bad", ip: "192.0.2.99" }),
      clock.deps,
    );
    expect(elsewhereWrong).toEqual({ ok: false, error: expect.objectContaining({ code: "AUTH.INVALID_CREDENTIALS" }) });
    const elsewhereRight = await login(db, attempt({ email: "ada@example.com", ip: "192.0.2.99" }), clock.deps);
    expect(elsewhereRight.ok).toBe(true);
  });

  it("slows down repeated failures: no pause at first, then a growing one", async () => {
    const { db } = await testDatabase();
    await makeUser(db, { email: "ada@example.com" });
    const clock = fakeDeps();

    for (let i = 0; i < 4; i++) await login(db, attempt({ email: "ada@example.com", password: "bad" }), clock.deps);

    expect(clock.sleeps).toHaveLength(4);
    expect(clock.sleeps[0]).toBe(0);
    for (let i = 2; i < clock.sleeps.length; i++) expect(clock.sleeps[i]!).toBeGreaterThan(clock.sleeps[i - 1]!);
    expect(clock.sleeps[3]!).toBeGreaterThan(0);
    expect(clock.sleeps).toEqual([0, 250, 500, 750]);
  });

  it("does not pause a successful sign-in", async () => {
    const { db } = await testDatabase();
    await makeUser(db, { email: "ada@example.com" });
    const clock = fakeDeps();

    await loginOrThrow(db, attempt({ email: "ada@example.com" }), clock.deps);

    expect(clock.sleeps).toEqual([]);
  });

  it("counts every failure when several sign-ins race against the same database", async () => {
    const { db } = await testDatabase();
    await makeUser(db, { email: "ada@example.com" });
    // Two "processes": each has its own clock and sleep, both share the database.
    const processA = fakeDeps();
    const processB = fakeDeps();

    const results = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) =>
        login(db, attempt({ email: "ada@example.com", password: `guess ${i}` }), (i % 2 ? processB : processA).deps),
      ),
    );

    // None gets in; every one of them is counted, whichever process it came through.
    for (const r of results) expect(r.ok ? "ok" : r.error.code).toMatch(/^AUTH\.(INVALID_CREDENTIALS|THROTTLED)$/);
    expect(await sessionRows(db)).toHaveLength(0);
    // Each attempt is counted before its password is checked; the sixth finds this address
    // locked out of the account and is refused without counting.
    const pair = await throttleRow(db, "pair:ada@example.com|203.0.113.7");
    expect(pair?.failures).toBe(5);
    expect(pair?.lockedUntil?.getTime()).toBe(T0.getTime() + 15 * MINUTE);
    expect((await throttleRow(db, "account:ada@example.com"))?.failures).toBe(5);
    expect((await throttleRow(db, "ip:203.0.113.7"))?.failures).toBe(5);

    const next = await login(db, attempt({ email: "ada@example.com" }), processA.deps);
    expect(next).toEqual({ ok: false, error: expect.objectContaining({ code: "AUTH.THROTTLED", retryAfter: 900 }) });
  });

  it("counts parallel failures below the limit exactly", async () => {
    const { db } = await testDatabase();
    await makeUser(db, { email: "ada@example.com" });
    const processA = fakeDeps();
    const processB = fakeDeps();

    const results = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        login(db, attempt({ email: "ada@example.com", password: `guess ${i}` }), (i % 2 ? processB : processA).deps),
      ),
    );

    expect(results.map((r) => (r.ok ? "ok" : r.error.code))).toEqual(Array(4).fill("AUTH.INVALID_CREDENTIALS"));
    expect(await throttleRow(db, "account:ada@example.com")).toMatchObject({ failures: 4, lockedUntil: null });
    expect(await throttleRow(db, "ip:203.0.113.7")).toMatchObject({ failures: 4, lockedUntil: null });
    // One more failure reaches the limit.
    await login(db, attempt({ email: "ada@example.com", password: "guess 4" }), processA.deps);
    expect(await login(db, attempt({ email: "ada@example.com" }), processB.deps)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "AUTH.THROTTLED" }),
    });
  });

  it("does not let parallel guesses past the account limit", async () => {
    const { db } = await testDatabase();
    await makeUser(db, { email: "ada@example.com" });
    const clock = fakeDeps();

    // An attacker fires 20 guesses at once, each from a different address.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        login(db, attempt({ email: "ada@example.com", password: `guess ${i}`, ip: `192.0.2.${i + 1}` }), clock.deps),
      ),
    );

    const codes = results.map((r) => (r.ok ? "ok" : r.error.code));
    // At most 5 passwords may be tried within the window; the rest must be refused unchecked.
    expect(codes.filter((c) => c === "AUTH.INVALID_CREDENTIALS").length).toBeLessThanOrEqual(5);
    expect(codes.filter((c) => c === "AUTH.THROTTLED").length).toBeGreaterThanOrEqual(15);
  });

  it("counts interleaved failures from two call chains on one address", async () => {
    const { db } = await testDatabase();
    const processA = fakeDeps();
    const processB = fakeDeps();
    const chain = async (clock: ReturnType<typeof fakeDeps>, prefix: string) => {
      for (let i = 0; i < 4; i++) {
        await login(db, attempt({ email: `${prefix}${i}@example.com`, password: "bad", ip: "198.51.100.1" }), clock.deps);
      }
    };

    await Promise.all([chain(processA, "a"), chain(processB, "b")]);

    expect((await throttleRow(db, "ip:198.51.100.1"))?.failures).toBe(8);
    // One address row, and a pair and an account row for each of the 8 emails.
    expect(await db.select().from(authThrottle)).toHaveLength(17);
  });
});

describe("deactivated people", () => {
  it("cannot sign in, and their existing sessions end at once", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const user = await makeUser(db, { email: "bob@example.com" });
    const other = await makeUser(db, { email: "carol@example.com" });
    const clock = fakeDeps();
    const laptop = await loginOrThrow(db, attempt({ email: "bob@example.com" }), clock.deps);
    const phone = await loginOrThrow(db, attempt({ email: "bob@example.com" }), clock.deps);
    const carol = await loginOrThrow(db, attempt({ email: "carol@example.com" }), clock.deps);

    const deactivated = await setActive(db, { id: admin.id, role: "admin" }, user.id, false, clock.now());
    expect(deactivated.ok).toBe(true);

    expect(await userForToken(db, laptop.token, clock.now())).toBeNull();
    expect(await userForToken(db, phone.token, clock.now())).toBeNull();
    const rows = await sessionRows(db);
    expect(rows.filter((r) => r.userId === user.id)).toHaveLength(0);
    // Someone else's session is untouched.
    expect(rows.map((r) => r.tokenHash)).toEqual([hashToken(carol.token)]);
    expect(await userForToken(db, carol.token, clock.now())).toMatchObject({ id: other.id });

    const again = await login(db, attempt({ email: "bob@example.com" }), clock.deps);
    expect(again).toEqual({ ok: false, error: expect.objectContaining({ code: "AUTH.INVALID_CREDENTIALS", field: "password" }) });
    expect((await sessionRows(db)).filter((r) => r.userId === user.id)).toHaveLength(0);
    expect((await getUserById(db, user.id))?.active).toBe(false);
  });

  it("a person created inactive cannot sign in with the right password", async () => {
    const { db } = await testDatabase();
    await makeUser(db, { email: "dormant@example.com", active: false });
    const clock = fakeDeps();

    const result = await login(db, attempt({ email: "dormant@example.com" }), clock.deps);

    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "AUTH.INVALID_CREDENTIALS" }) });
    expect(await sessionRows(db)).toHaveLength(0);
  });
});
