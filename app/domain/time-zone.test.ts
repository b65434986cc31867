import { describe, expect, it } from "vitest";
import { defaultTimeZone } from "./time-zone";

describe("defaultTimeZone", () => {
  const zones = ["UTC", "Europe/Berlin", "America/New_York"];

  it("starts on the runtime's zone when the picker has it", () => {
    expect(defaultTimeZone("Europe/Berlin", zones)).toBe("Europe/Berlin");
  });

  it("falls back to UTC for an unknown, missing or UTC-like zone", () => {
    expect(defaultTimeZone("Mars/Olympus_Mons", zones)).toBe("UTC");
    expect(defaultTimeZone(undefined, zones)).toBe("UTC");
    expect(defaultTimeZone("Etc/UTC", zones)).toBe("UTC");
    expect(defaultTimeZone("GMT", zones)).toBe("UTC");
  });
});
