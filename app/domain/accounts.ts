// Accounts (ADR 0018): how long one-time links live, what state a link is in, how often an
// admin may issue them, and a readable name for the browser behind a session. Pure: time
// comes in as an argument.

export type AccountLinkPurpose = "invitation" | "reset";

const HOUR = 60 * 60 * 1000;

/** An invitation waits a week for someone to open their mail; a reset link lives a day. */
export const ACCOUNT_LINK_TTL_MS: Record<AccountLinkPurpose, number> = {
  invitation: 7 * 24 * HOUR,
  reset: 24 * HOUR,
};

/** Links an admin may issue for one person within an hour, on top of their own credential allowance. */
export const ACCOUNT_LINKS_PER_PERSON_PER_HOUR = 5;

export type AccountLinkState = "open" | "used" | "revoked" | "expired";

export interface AccountLinkFacts {
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

/** Used and revoked win over expired: a link used yesterday is "used", not "expired". */
export function accountLinkState(link: AccountLinkFacts, now: Date): AccountLinkState {
  if (link.usedAt) return "used";
  if (link.revokedAt) return "revoked";
  if (link.expiresAt.getTime() <= now.getTime()) return "expired";
  return "open";
}

export function accountLinkExpiry(purpose: AccountLinkPurpose, now: Date): Date {
  return new Date(now.getTime() + ACCOUNT_LINK_TTL_MS[purpose]);
}

/** The path a link opens; the token travels only in it, never stored. */
export function accountLinkPath(token: string): string {
  return `/set-password/${token}`;
}

/** What a person's sign-in looks like to an admin on their page. */
export type SignInStatus =
  | { kind: "password" }
  | { kind: "invited"; expiresAt: Date; expired: boolean }
  | { kind: "reset-pending"; expiresAt: Date; expired: boolean }
  | { kind: "no-password" };

export function signInStatus(
  hasPassword: boolean,
  openLink: { purpose: AccountLinkPurpose; expiresAt: Date } | null,
  now: Date,
): SignInStatus {
  if (openLink) {
    const expired = openLink.expiresAt.getTime() <= now.getTime();
    if (openLink.purpose === "invitation" && !hasPassword) return { kind: "invited", expiresAt: openLink.expiresAt, expired };
    return { kind: "reset-pending", expiresAt: openLink.expiresAt, expired };
  }
  return hasPassword ? { kind: "password" } : { kind: "no-password" };
}

const BROWSERS: Array<[RegExp, string]> = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\bOPR\/|\bOpera\b/, "Opera"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\bCriOS\/|Chrom(?:e|ium)\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
  [/\bcurl\//, "curl"],
];

const SYSTEMS: Array<[RegExp, string]> = [
  [/\biPhone\b/, "iPhone"],
  [/\biPad\b/, "iPad"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

/** "Firefox on Windows", from a User-Agent header; enough to recognise one's own devices. */
export function userAgentSummary(userAgent: string | null): string {
  if (!userAgent || !userAgent.trim()) return "Unknown browser";
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  if (browser) return browser;
  if (system) return `A browser on ${system}`;
  const first = userAgent.trim().split(/[\s/]/)[0] ?? "";
  return first ? first.slice(0, 40) : "Unknown browser";
}

/** "29 November 2026 at 11:00 (Europe/Berlin)": when a link stops working, in the organisation's zone. */
export function formatAccountTime(at: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone }).format(at);
  return `${text} (${timeZone})`;
}
