import { describe, expect, it } from "vitest";
import { describeChange, historySentence, letterName, plainText } from "./history";

const ctx = { timeZone: "Europe/Berlin", nameOf: (_kind: "person" | "team", id: string) => (id === "u-1" ? "Ana Owner" : null) };

describe("history sentences", () => {
  it("writes the moment in the organisation's zone, in the one date format", () => {
    const s = historySentence({ kind: "create", at: "2026-11-29T13:05:00.000Z", actorName: "Ana", changes: [], reason: null }, ctx);
    expect(s.when).toBe("29 November 2026, 14:05 CET");
    expect(s.sentence).toMatch(/^Ana /);
    expect(s.sentence).not.toMatch(/[a-z][A-Z]|_/);
  });

  it("names fields and values in words, never codes or raw Markdown", () => {
    expect(plainText("**53%** of _all_ payouts")).toBe("53% of all payouts");
    expect(letterName("/letters/2025")).toMatch(/2025/);
    const change = describeChange({ field: "reasonCategory", from: null, to: "underestimated_scope" }, ctx);
    expect(change).not.toContain("underestimated_scope");
    expect(change).not.toContain("reasonCategory");
    const due = describeChange({ field: "dueDate", from: "2026-05-15", to: "2026-06-30" }, ctx);
    expect(due).toContain("15 May 2026");
    expect(due).toContain("30 June 2026");
  });
});
