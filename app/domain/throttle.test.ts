import { describe, expect, it } from "vitest";
import { ACCOUNT_POLICY, currentFailures, retryAfterSeconds, slowdownMs } from "./throttle";

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
