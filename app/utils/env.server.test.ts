import { describe, expect, it } from "vitest";
import { EnvError, cookieIsSecure, loadEnv } from "./env.server";

describe("loadEnv", () => {
  it("fills defaults for an empty environment", () => {
    const env = loadEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATA_DIR).toBe("./data");
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.NODE_ENV).toBe("development");
  });

  it("treats empty strings as unset", () => {
    expect(loadEnv({ DATABASE_URL: "", PORT: "" }).PORT).toBe(3000);
  });

  it.each([
    ["PORT", "abc", /PORT: must be a whole number/],
    ["PORT", "70000", /PORT: must be at most 65535/],
    ["DATABASE_URL", "mysql://x", /DATABASE_URL: must be a postgres/],
    ["APP_URL", "ftp://x", /APP_URL: must be an http/],
    ["LOG_LEVEL", "loud", /LOG_LEVEL/],
    ["TRUST_PROXY", "maybe", /TRUST_PROXY: must be true, false, a hop count.*not understood: maybe/],
    ["TRUST_PROXY", "10.0.0.0/33", /TRUST_PROXY: .*not understood: 10.0.0.0\/33/],
    ["TRUST_PROXY", "loopback, 300.1.1.1", /TRUST_PROXY: .*not understood: 300.1.1.1/],
    ["COOKIE_SECURE", "sometimes", /COOKIE_SECURE: must be auto, true or false/],
    ["SMTP_URL", "http://mail.example.com", /SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/],
    ["MAIL_FROM", "not an address", /MAIL_FROM: must be an address/],
  ])("names %s when it is %s", (name, value, message) => {
    expect(() => loadEnv({ [name]: value })).toThrow(EnvError);
    expect(() => loadEnv({ [name]: value })).toThrow(message);
  });

  it.each([
    [undefined, false],
    ["false", false],
    ["true", true],
    ["1", 1],
    ["2", 2],
    ["loopback", ["loopback"]],
    ["10.0.0.1, 192.168.0.0/16,fd00::/8", ["10.0.0.1", "192.168.0.0/16", "fd00::/8"]],
    ["uniquelocal,::1", ["uniquelocal", "::1"]],
  ])("takes TRUST_PROXY=%s as Express's trust proxy %j", (value, expected) => {
    expect(loadEnv({ TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
  });

  it("takes the owner's URL for migrations only with a runtime DATABASE_URL, and never echoes either", () => {
    expect(() => loadEnv({ MIGRATION_DATABASE_URL: "postgres://owner:secret@db/kept" })).toThrow(/MIGRATION_DATABASE_URL: needs DATABASE_URL too/);
    expect(() => loadEnv({ DATABASE_URL: "postgres://app@db/kept", MIGRATION_DATABASE_URL: "mysql://owner:secret@db" })).toThrow(/MIGRATION_DATABASE_URL: must be a postgres/);
    expect(() => loadEnv({ DATABASE_URL: "postgres://app@db/kept", MIGRATION_DATABASE_URL: "mysql://owner:secret@db" })).not.toThrow(/secret/);
    const env = loadEnv({ DATABASE_URL: "postgres://app@db/kept", MIGRATION_DATABASE_URL: "postgres://owner@db/kept" });
    expect(env).toMatchObject({ MIGRATION_DATABASE_URL: "postgres://owner@db/kept", ALLOW_PRIVILEGED_DATABASE_ROLE: false, RECORD_CHECK_INTERVAL_MINUTES: 60 });
    expect(loadEnv({ ALLOW_PRIVILEGED_DATABASE_ROLE: "true" }).ALLOW_PRIVILEGED_DATABASE_ROLE).toBe(true);
    expect(() => loadEnv({ RECORD_CHECK_INTERVAL_MINUTES: "0" })).toThrow(/RECORD_CHECK_INTERVAL_MINUTES: must be at least 1/);
    expect(loadEnv({}).RECORD_CHECK_SHARE_PERCENT).toBe(25);
    expect(() => loadEnv({ RECORD_CHECK_SHARE_PERCENT: "0" })).toThrow(/RECORD_CHECK_SHARE_PERCENT: must be at least 1/);
    expect(() => loadEnv({ RECORD_CHECK_SHARE_PERCENT: "101" })).toThrow(/RECORD_CHECK_SHARE_PERCENT/);
  });

  it("never echoes the database URL, which may hold a password", () => {
    try {
      loadEnv({ DATABASE_URL: "mysql://user:secret@host/db" });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain("secret");
    }
  });

  it("accepts SMTP with a sender and a public address, and refuses it without them", () => {
    const env = loadEnv({ SMTP_URL: "smtps://kept:pw@mail.example.com:465", MAIL_FROM: "Kept <kept@example.com>", APP_URL: "https://kept.example.com" });
    expect(env.SMTP_URL).toBe("smtps://kept:pw@mail.example.com:465");
    expect(() => loadEnv({ SMTP_URL: "smtp://mail.example.com", APP_URL: "https://kept.example.com" })).toThrow(/MAIL_FROM: is required when SMTP_URL is set/);
    expect(() => loadEnv({ SMTP_URL: "smtp://mail.example.com", MAIL_FROM: "kept@example.com" })).toThrow(/APP_URL: is required/);
    expect(loadEnv({ MAIL_FROM: "kept@example.com" }).MAIL_FROM).toBe("kept@example.com");
  });

  it("never echoes the SMTP URL, which may hold a password", () => {
    expect(() => loadEnv({ SMTP_URL: "ftp://user:secret@host" })).toThrow(EnvError);
    try {
      loadEnv({ SMTP_URL: "ftp://user:secret@host" });
    } catch (error) {
      expect(String(error)).not.toContain("secret");
    }
  });

  it("marks cookies Secure in production unless told otherwise", () => {
    expect(cookieIsSecure(loadEnv({ NODE_ENV: "production" }))).toBe(true);
    expect(cookieIsSecure(loadEnv({ NODE_ENV: "development" }))).toBe(false);
    expect(cookieIsSecure(loadEnv({ NODE_ENV: "production", COOKIE_SECURE: "false" }))).toBe(false);
  });
});
