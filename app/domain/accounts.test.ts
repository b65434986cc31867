import { describe, expect, it } from "vitest";
import { accountLinkExpiry, accountLinkState, signInStatus, userAgentSummary } from "./accounts";

const NOW = new Date("2026-11-29T10:00:00Z");
const hours = (n: number) => new Date(NOW.getTime() + n * 3_600_000);

describe("accountLinkState", () => {
  it("is open until it expires, then expired", () => {
    expect(accountLinkState({ expiresAt: hours(1), usedAt: null, revokedAt: null }, NOW)).toBe("open");
    expect(accountLinkState({ expiresAt: NOW, usedAt: null, revokedAt: null }, NOW)).toBe("expired");
  });
  it("says used or revoked even after the expiry has passed", () => {
    expect(accountLinkState({ expiresAt: hours(-1), usedAt: hours(-2), revokedAt: null }, NOW)).toBe("used");
    expect(accountLinkState({ expiresAt: hours(-1), usedAt: null, revokedAt: hours(-2) }, NOW)).toBe("revoked");
  });
  it("gives invitations a week and reset links a day", () => {
    expect(accountLinkExpiry("invitation", NOW)).toEqual(hours(24 * 7));
    expect(accountLinkExpiry("reset", NOW)).toEqual(hours(24));
  });
});

describe("signInStatus", () => {
  it("tells an invited person from one with a password and one with a pending reset", () => {
    expect(signInStatus(false, { purpose: "invitation", expiresAt: hours(5) }, NOW)).toEqual({ kind: "invited", expiresAt: hours(5), expired: false });
    expect(signInStatus(false, { purpose: "invitation", expiresAt: hours(-5) }, NOW)).toMatchObject({ kind: "invited", expired: true });
    expect(signInStatus(true, { purpose: "reset", expiresAt: hours(5) }, NOW)).toMatchObject({ kind: "reset-pending", expired: false });
    expect(signInStatus(true, null, NOW)).toEqual({ kind: "password" });
    expect(signInStatus(false, null, NOW)).toEqual({ kind: "no-password" });
  });
});

describe("userAgentSummary", () => {
  it.each([
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36", "Chrome on Windows"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0", "Edge on Windows"],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15", "Safari on macOS"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1", "Safari on iPhone"],
    ["Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", "Firefox on Linux"],
    ["Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36", "Chrome on Android"],
    ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36", "Chrome on Linux"],
    ["curl/8.4.0", "curl"],
    ["SomeBot", "SomeBot"],
  ])("%s", (ua, summary) => {
    expect(userAgentSummary(ua)).toBe(summary);
  });
  it("names a missing header", () => {
    expect(userAgentSummary(null)).toBe("Unknown browser");
    expect(userAgentSummary("  ")).toBe("Unknown browser");
  });
});
