import { describe, expect, it } from "vitest";
import { ACCOUNT_POLICY, PAIR_POLICY, currentFailures, decideAttempt, holdMs, retryAfterSeconds, slowdownMs } from "./throttle";

const now = new Date("2026-03-01T12:00:00Z");

describe("retryAfterSeconds", () => {
  it.each([
    ["no state", undefined, 0],
    ["never locked", { failures: 3, windowStartedAt: now, lockedUntil: null }, 0],
    ["lock expired", { failures: 5, windowStartedAt: now, lockedUntil: new Date("2026-03-01T11:59:59Z") }, 0],
    ["locked 90 s more", { failures: 5, windowStartedAt: now, lockedUntil: new Date("2026-03-01T12:01:30Z") }, 90],
    ["locked 0.2 s more rounds up", { failures: 5, windowStartedAt: now, lockedUntil: new Date("2026-03-01T12:00:00.200Z") }, 1],
  ])("%s", (_name, state, expected) => {
    expect(retryAfterSeconds(state, now)).toBe(expected);
  });
});

describe("currentFailures", () => {
  it("counts failures inside the window", () => {
    const state = { failures: 4, windowStartedAt: new Date("2026-03-01T11:50:00Z"), lockedUntil: null };
    expect(currentFailures(state, ACCOUNT_POLICY, now)).toBe(4);
  });
  it("forgets failures once the window has passed", () => {
    const state = { failures: 4, windowStartedAt: new Date("2026-03-01T11:44:59Z"), lockedUntil: null };
    expect(currentFailures(state, ACCOUNT_POLICY, now)).toBe(0);
  });
});

describe("slowdownMs", () => {
  it.each([
    [0, 0],
    [1, 0],
    [2, 250],
    [4, 750],
    [20, 2000],
  ])("after %i failures waits %i ms", (failures, ms) => {
    expect(slowdownMs(failures)).toBe(ms);
  });
});

describe("holdMs", () => {
  it("locks a pair for 15 minutes from the fifth failure", () => {
    expect([4, 5, 9].map((n) => holdMs(PAIR_POLICY, n))).toEqual([0, 15 * 60_000, 15 * 60_000]);
  });
  it("paces an account: a second, doubling, never more than a minute", () => {
    expect([4, 5, 6, 7, 10, 11, 50, 5000].map((n) => holdMs(ACCOUNT_POLICY, n))).toEqual([0, 1000, 2000, 4000, 32000, 60000, 60000, 60000]);
  });
});

describe("decideAttempt", () => {
  it("refuses while held, without counting", () => {
    const state = { failures: 5, windowStartedAt: now, lockedUntil: new Date(now.getTime() + 2500) };
    expect(decideAttempt(ACCOUNT_POLICY, state, now)).toEqual({ allowed: false, retryAfter: 3 });
  });
  it("counts a first attempt and starts the window", () => {
    expect(decideAttempt(PAIR_POLICY, undefined, now)).toEqual({ allowed: true, next: { failures: 1, windowStartedAt: now, lockedUntil: null } });
  });
  it("starts again once the window has passed", () => {
    const old = { failures: 4, windowStartedAt: new Date(now.getTime() - 16 * 60_000), lockedUntil: null };
    expect(decideAttempt(PAIR_POLICY, old, now)).toEqual({ allowed: true, next: { failures: 1, windowStartedAt: now, lockedUntil: null } });
  });
  it("sets the hold on the attempt that reaches the limit", () => {
    const state = { failures: 4, windowStartedAt: now, lockedUntil: null };
    expect(decideAttempt(PAIR_POLICY, state, now)).toEqual({
      allowed: true,
      next: { failures: 5, windowStartedAt: now, lockedUntil: new Date(now.getTime() + 15 * 60_000) },
    });
  });
});
