import { asc } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { sessions, users } from "../../db/schema";
import { countActiveAdmins, countUsers, getUserById, type PublicUser } from "~/models/user.server";
import { EmailSchema } from "~/schemas/common";
import { hashToken, login } from "~/services/auth.server";
import { addPerson, changeRole, setActive } from "~/services/people.server";
import type { Actor } from "~/domain/result";
import { verifyPassword } from "~/utils/password.server";
import { DEFAULT_PASSWORD, makeUser } from "../factories";
import { testDatabase } from "../setup/db";

const NOW = new Date("2026-03-02T09:00:00.000Z");
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

const actorOf = (user: PublicUser): Actor => ({ id: user.id, role: user.role });

const newPerson = (overrides: Partial<{ name: string; email: string; role: PublicUser["role"]; password: string }> = {}) => ({
  name: "Grace Hopper",
  email: "grace@example.com",
  role: "member" as const,
  password: "a long enough password",
  ...overrides,
});

/** Everything about the people table that a refused change must leave alone. */
async function snapshotUsers(db: Database) {
  return db.select().from(users).orderBy(asc(users.id));
}

describe("who may manage people", () => {
  it("an admin adds a person with a hashed password", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });

    const result = await addPerson(db, actorOf(admin), newPerson({ role: "viewer" }));

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ email: "grace@example.com", name: "Grace Hopper", role: "viewer", active: true });
    expect(result.value).not.toHaveProperty("passwordHash");
    const [row] = (await snapshotUsers(db)).filter((u) => u.id === result.value.id);
    expect(row?.passwordHash).not.toBe("a long enough password");
    expect(await verifyPassword(row!.passwordHash, "a long enough password")).toBe(true);
    expect(await countUsers(db)).toBe(2);
  });

  it("an admin changes a role and deactivates a person", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const person = await makeUser(db, { role: "member" });

    const promoted = await changeRole(db, actorOf(admin), person.id, "viewer");
    expect(promoted).toEqual({ ok: true, value: expect.objectContaining({ id: person.id, role: "viewer" }) });
    expect((await getUserById(db, person.id))?.role).toBe("viewer");

    const deactivated = await setActive(db, actorOf(admin), person.id, false, NOW);
    expect(deactivated).toEqual({ ok: true, value: expect.objectContaining({ id: person.id, active: false }) });
    expect(await getUserById(db, person.id)).toMatchObject({ active: false, deactivatedAt: NOW });
  });

  for (const role of ["member", "viewer"] as const) {
    describe(`a ${role}`, () => {
      it("cannot add a person", async () => {
        const { db } = await testDatabase();
        await makeUser(db, { role: "admin" });
        const actor = await makeUser(db, { role });
        const before = await snapshotUsers(db);

        const result = await addPerson(db, actorOf(actor), newPerson({ role: "admin" }));

        expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "FORBIDDEN" }) });
        expect(await snapshotUsers(db)).toEqual(before);
      });

      it("cannot change anyone's role, including their own", async () => {
        const { db } = await testDatabase();
        await makeUser(db, { role: "admin" });
        const actor = await makeUser(db, { role });
        const other = await makeUser(db, { role: "viewer" });
        const before = await snapshotUsers(db);

        const other_ = await changeRole(db, actorOf(actor), other.id, "admin");
        const self = await changeRole(db, actorOf(actor), actor.id, "admin");

        expect(other_).toEqual({ ok: false, error: expect.objectContaining({ code: "FORBIDDEN" }) });
        expect(self).toEqual({ ok: false, error: expect.objectContaining({ code: "FORBIDDEN" }) });
        expect(await snapshotUsers(db)).toEqual(before);
      });

      it("cannot deactivate or reactivate anyone", async () => {
        const { db } = await testDatabase();
        const admin = await makeUser(db, { role: "admin" });
        const actor = await makeUser(db, { role });
        const dormant = await makeUser(db, { role: "member", active: false });
        const before = await snapshotUsers(db);

        const deactivate = await setActive(db, actorOf(actor), admin.id, false, NOW);
        const reactivate = await setActive(db, actorOf(actor), dormant.id, true, NOW);

        expect(deactivate).toEqual({ ok: false, error: expect.objectContaining({ code: "FORBIDDEN" }) });
        expect(reactivate).toEqual({ ok: false, error: expect.objectContaining({ code: "FORBIDDEN" }) });
        expect(await snapshotUsers(db)).toEqual(before);
      });
    });
  }
});

describe("email addresses", () => {
  it("refuses an email already in use, naming the field", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    await makeUser(db, { email: "grace@example.com", name: "The first Grace" });

    const result = await addPerson(db, actorOf(admin), newPerson());

    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "USER.EMAIL_TAKEN", field: "email" }),
    });
    expect(await countUsers(db)).toBe(2);
  });

  it("refuses a case variant once the edge schema has lower-cased it", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    await makeUser(db, { email: "grace@example.com" });

    const email = EmailSchema.parse("  Grace@Example.COM ");
    expect(email).toBe("grace@example.com");
    const result = await addPerson(db, actorOf(admin), newPerson({ email }));

    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "USER.EMAIL_TAKEN", field: "email" }) });
    expect(await countUsers(db)).toBe(2);
  });

  it("lets exactly one of 20 simultaneous additions of the same email win", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => addPerson(db, actorOf(admin), newPerson({ name: `Grace ${i}` }))),
    );

    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = results.filter((r) => !r.ok);
    expect(refused).toHaveLength(19);
    for (const r of refused) expect(r).toEqual({ ok: false, error: expect.objectContaining({ code: "USER.EMAIL_TAKEN", field: "email" }) });
    const rows = (await snapshotUsers(db)).filter((u) => u.email === "grace@example.com");
    expect(rows).toHaveLength(1);
  });
});

describe("the last active admin", () => {
  it("cannot be demoted", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });

    const result = await changeRole(db, actorOf(admin), admin.id, "member");

    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "USER.LAST_ADMIN" }) });
    expect((await getUserById(db, admin.id))?.role).toBe("admin");
  });

  it("cannot be demoted while the only other admin is inactive", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    await makeUser(db, { role: "admin", active: false });
    const member = await makeUser(db, { role: "member" });

    const result = await changeRole(db, actorOf(admin), admin.id, "viewer");
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "USER.LAST_ADMIN" }) });
    expect((await getUserById(db, admin.id))?.role).toBe("admin");
    // Changing someone who is not an admin is fine.
    expect(await changeRole(db, actorOf(admin), member.id, "viewer")).toMatchObject({ ok: true });
  });

  it("cannot be deactivated, not even through a stale admin actor, nor by themselves", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const formerAdmin = await makeUser(db, { role: "member" });

    // An actor that still carries the admin role (e.g. a request that started before a demotion).
    const result = await setActive(db, { id: formerAdmin.id, role: "admin" }, admin.id, false, NOW);
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "USER.LAST_ADMIN" }) });
    expect(await getUserById(db, admin.id)).toMatchObject({ active: true, deactivatedAt: null });

    const self = await setActive(db, actorOf(admin), admin.id, false, NOW);
    expect(self).toEqual({ ok: false, error: expect.objectContaining({ code: "USER.SELF" }) });
    expect(await getUserById(db, admin.id)).toMatchObject({ active: true, deactivatedAt: null });
  });

  it("can be demoted or deactivated once a second active admin exists", async () => {
    const { db } = await testDatabase();
    const first = await makeUser(db, { role: "admin" });
    const second = await makeUser(db, { role: "admin" });
    const third = await makeUser(db, { role: "admin" });

    const demoted = await changeRole(db, actorOf(second), first.id, "member");
    expect(demoted).toEqual({ ok: true, value: expect.objectContaining({ id: first.id, role: "member" }) });

    const deactivated = await setActive(db, actorOf(second), third.id, false, NOW);
    expect(deactivated).toEqual({ ok: true, value: expect.objectContaining({ id: third.id, active: false }) });
    expect(await countActiveAdmins(db)).toBe(1);

    // Now `second` is the last one standing.
    const last = await changeRole(db, actorOf(second), second.id, "viewer");
    expect(last).toEqual({ ok: false, error: expect.objectContaining({ code: "USER.LAST_ADMIN" }) });
    expect(await countActiveAdmins(db)).toBe(1);
  });

  it("survives two admins demoting each other at the same moment", async () => {
    const { db } = await testDatabase();
    const a = await makeUser(db, { role: "admin" });
    const b = await makeUser(db, { role: "admin" });

    const results = await Promise.all([
      changeRole(db, actorOf(a), b.id, "member"),
      changeRole(db, actorOf(b), a.id, "member"),
    ]);

    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(["USER.LAST_ADMIN"]);
    expect(await countActiveAdmins(db)).toBe(1);
  });

  it("survives two admins deactivating each other at the same moment", async () => {
    const { db } = await testDatabase();
    const a = await makeUser(db, { role: "admin" });
    const b = await makeUser(db, { role: "admin" });

    const results = await Promise.all([
      setActive(db, actorOf(a), b.id, false, NOW),
      setActive(db, actorOf(b), a.id, false, NOW),
    ]);

    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(["USER.LAST_ADMIN"]);
    expect(await countActiveAdmins(db)).toBe(1);
  });
});

describe("deactivating and reactivating", () => {
  it("refuses to let an admin deactivate themselves even when other admins exist", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    await makeUser(db, { role: "admin" });

    const result = await setActive(db, actorOf(admin), admin.id, false, NOW);

    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "USER.SELF" }) });
    expect(await getUserById(db, admin.id)).toMatchObject({ active: true, deactivatedAt: null });
  });

  it("ends the person's sessions, and reactivation lets them sign in again", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const person = await makeUser(db, { email: "bob@example.com" });
    const deps = { now: () => NOW, sleep: async () => {} };
    const signIn = () => login(db, { email: "bob@example.com", password: DEFAULT_PASSWORD, ip: "192.0.2.1", userAgent: null }, deps);
    const first = await signIn();
    expect(first.ok).toBe(true);

    expect(await setActive(db, actorOf(admin), person.id, false, NOW)).toMatchObject({ ok: true });
    expect(await db.select().from(sessions)).toHaveLength(0);
    expect(await signIn()).toEqual({ ok: false, error: expect.objectContaining({ code: "AUTH.INVALID_CREDENTIALS" }) });

    const reactivated = await setActive(db, actorOf(admin), person.id, true, new Date(NOW.getTime() + 60_000));
    expect(reactivated).toEqual({ ok: true, value: expect.objectContaining({ id: person.id, active: true, deactivatedAt: null }) });
    expect(await getUserById(db, person.id)).toMatchObject({ active: true, deactivatedAt: null });

    const again = await signIn();
    expect(again.ok).toBe(true);
    if (!again.ok || !first.ok) return;
    // The old session stays gone; only the new one exists.
    expect((await db.select().from(sessions)).map((s) => s.tokenHash)).toEqual([hashToken(again.value.token)]);
  });

  it("reactivating a deactivated admin counts them as an admin again", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const dormant = await makeUser(db, { role: "admin", active: false });
    expect(await countActiveAdmins(db)).toBe(1);

    expect(await setActive(db, actorOf(admin), dormant.id, true, NOW)).toMatchObject({ ok: true });

    expect(await countActiveAdmins(db)).toBe(2);
    expect(await changeRole(db, actorOf(dormant), admin.id, "member")).toMatchObject({ ok: true });
  });
});

describe("unknown people", () => {
  it("answers NOT_FOUND for an id that does not exist", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const before = await snapshotUsers(db);

    expect(await changeRole(db, actorOf(admin), UNKNOWN_ID, "viewer")).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "NOT_FOUND" }),
    });
    expect(await setActive(db, actorOf(admin), UNKNOWN_ID, false, NOW)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "NOT_FOUND" }),
    });
    expect(await setActive(db, actorOf(admin), UNKNOWN_ID, true, NOW)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "NOT_FOUND" }),
    });
    expect(await snapshotUsers(db)).toEqual(before);
  });
});
