// Credentials: common passwords are refused with the reason, and minting credentials
// (API tokens, people with passwords) is limited per person and hour.
import { describe, expect, it } from "vitest";
import { users } from "../../db/schema";
import { createToken } from "~/services/api-tokens.server";
import { CREDENTIALS_PER_HOUR, credentialsPerHour } from "~/services/credential-limit.server";
import { addPerson } from "~/services/people.server";
import { setupOrganisation } from "~/services/setup.server";
import { makeUser } from "../factories";
import { testDatabase } from "../setup/db";

const NOW = new Date("2026-03-02T09:10:00.000Z");

describe("common passwords", () => {
  it.each(["password", "12345678", "Password1", "qwertyuiop", "iloveyou", "  PASSWORD  "])("refuses %j for a new person, saying why", async (password) => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const result = await addPerson(db, { id: admin.id, role: "admin" }, { name: "Grace", email: "grace@example.com", role: "member", password }, NOW);
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "VALIDATION", field: "password", message: expect.stringMatching(/most common passwords/) }),
    });
    expect(await db.select().from(users)).toHaveLength(1);
  });

  it("refuses a common password for the first admin at setup", async () => {
    const { db } = await testDatabase();
    const result = await setupOrganisation(db, {
      organisationName: "Acme",
      fiscalYearStartMonth: 1,
      timeZone: "Europe/Berlin",
      adminName: "Ada",
      adminEmail: "ada@example.com",
      adminPassword: "12345678",
      sampleOrganisation: false,
    });
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "VALIDATION", field: "adminPassword" }) });
  });

  it("accepts an uncommon passphrase", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const result = await addPerson(db, { id: admin.id, role: "admin" }, { name: "Grace", email: "grace@example.com", role: "member", password: "velvet otter receipts" }, NOW);
    expect(result.ok).toBe(true);
  });
});

describe("minting credentials is limited", () => {
  it(`allows ${CREDENTIALS_PER_HOUR} tokens an hour per person, then 429 with Retry-After until the hour ends`, async () => {
    const { db } = await testDatabase();
    const member = await makeUser(db, { role: "member" });
    const other = await makeUser(db, { role: "member" });
    const actor = { id: member.id, role: member.role };
    for (let i = 0; i < CREDENTIALS_PER_HOUR; i++) {
      expect((await createToken(db, actor, { name: `t${i}`, scope: "read", expiresAt: null }, NOW)).ok).toBe(true);
    }
    const refused = await createToken(db, actor, { name: "one too many", scope: "read", expiresAt: null }, NOW);
    expect(refused).toEqual({ ok: false, error: expect.objectContaining({ code: "CREDENTIALS.RATE_LIMITED", retryAfter: 50 * 60 }) });
    // Someone else is not affected, and the next hour starts afresh.
    expect((await createToken(db, { id: other.id, role: other.role }, { name: "x", scope: "read", expiresAt: null }, NOW)).ok).toBe(true);
    const nextHour = new Date("2026-03-02T10:00:00.000Z");
    expect((await createToken(db, actor, { name: "later", scope: "read", expiresAt: null }, nextHour)).ok).toBe(true);
  });

  it("takes its hourly allowance from CREDENTIALS_PER_HOUR, and says the configured number when it refuses", async () => {
    const { db } = await testDatabase();
    const member = await makeUser(db, { role: "member" });
    const actor = { id: member.id, role: member.role };
    const previous = process.env.CREDENTIALS_PER_HOUR;
    process.env.CREDENTIALS_PER_HOUR = "3";
    try {
      for (let i = 0; i < 3; i++) {
        expect((await createToken(db, actor, { name: `t${i}`, scope: "read", expiresAt: null }, NOW)).ok).toBe(true);
      }
      const refused = await createToken(db, actor, { name: "fourth", scope: "read", expiresAt: null }, NOW);
      expect(refused).toEqual({ ok: false, error: expect.objectContaining({ code: "CREDENTIALS.RATE_LIMITED", message: expect.stringContaining("at most 3 tokens or people an hour") }) });
    } finally {
      if (previous === undefined) delete process.env.CREDENTIALS_PER_HOUR;
      else process.env.CREDENTIALS_PER_HOUR = previous;
    }
    expect(credentialsPerHour({ CREDENTIALS_PER_HOUR: "0" })).toBe(CREDENTIALS_PER_HOUR);
    expect(credentialsPerHour({})).toBe(CREDENTIALS_PER_HOUR);
  });

  it("counts people created with a password against the same allowance", async () => {
    const { db } = await testDatabase();
    const admin = await makeUser(db, { role: "admin" });
    const actor = { id: admin.id, role: admin.role };
    for (let i = 0; i < CREDENTIALS_PER_HOUR - 1; i++) {
      await createToken(db, actor, { name: `t${i}`, scope: "read", expiresAt: null }, NOW);
    }
    const last = await addPerson(db, actor, { name: "Grace", email: "grace@example.com", role: "member", password: "velvet otter receipts" }, NOW);
    expect(last.ok).toBe(true);
    const over = await addPerson(db, actor, { name: "Alan", email: "alan@example.com", role: "member", password: "velvet otter receipts" }, NOW);
    expect(over).toEqual({ ok: false, error: expect.objectContaining({ code: "CREDENTIALS.RATE_LIMITED" }) });
  });
});
