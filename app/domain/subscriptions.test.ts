import { describe, expect, it } from "vitest";
import { confirmationExpiry, confirmationState, LETTER_MAIL_MAX_CHARS, letterMail, watchMail } from "./subscriptions";

const sender = { organisationName: "Acme Cloud", timeZone: "Asia/Tokyo" };

describe("confirmation links", () => {
  it("work for 48 hours, once; a followed link stays 'used' after it would have expired", () => {
    const requested = new Date("2026-11-29T10:00:00Z");
    const expiresAt = confirmationExpiry(requested);
    expect(expiresAt.toISOString()).toBe("2026-12-01T10:00:00.000Z");
    expect(confirmationState({ expiresAt, confirmedAt: null }, new Date("2026-12-01T09:59:59Z"))).toBe("valid");
    expect(confirmationState({ expiresAt, confirmedAt: null }, expiresAt)).toBe("expired");
    expect(confirmationState({ expiresAt, confirmedAt: requested }, new Date("2027-01-01T00:00:00Z"))).toBe("used");
  });
});

describe("subscriber mail", () => {
  const letter = { fiscalYear: 2025, title: "Annual letter FY2025", sha256: "ab".repeat(32), url: "https://kept.example.com/letters/2025", publishedAt: new Date("2026-11-21T15:30:00Z") };

  it("carries the whole letter, its hash and its link, dated in the organisation's zone", () => {
    const words = letterMail(sender, { ...letter, markdown: "# Annual letter FY2025\n\nWe said, we did." });
    const text = JSON.stringify(words.blocks);
    expect(text).toContain("We said, we did.");
    expect(text).toContain(letter.sha256);
    expect(text).toContain(letter.url);
    expect(text).toContain("22 November 2026, 00:30 GMT+9");
  });

  it("cuts a letter too large for mail at a line, saying where the rest is", () => {
    const markdown = Array.from({ length: 5000 }, (_, i) => `Line ${i} of a very long ledger appendix entry.`).join("\n");
    const words = letterMail(sender, { ...letter, markdown });
    const body = words.blocks.find((b) => b.kind === "preformatted")!;
    expect(body.kind === "preformatted" && body.text.length).toBeLessThan(LETTER_MAIL_MAX_CHARS + 200);
    expect(body.kind === "preformatted" && body.text).toMatch(/entry\.\n\n\[… the letter continues at https:\/\/kept\.example\.com\/letters\/2025\]$/);
  });

  it("tells watchers what changed in public words, never internal fields", () => {
    const words = watchMail(sender, {
      statement: "Ship the EU region by June",
      kind: "rescope",
      at: new Date("2026-11-29T12:00:00Z"),
      changes: [
        { field: "dueDate", from: "2026-06-30", to: "2026-07-31" },
        { field: "ownerId", from: "u1", to: "u2" },
        { field: "details", from: "secret plan", to: "other plan" },
      ],
      reason: "The supplier slipped by a month.",
      url: "https://kept.example.com/ledger?year=2026",
    });
    const text = JSON.stringify(words);
    expect(text).toContain("Due date: 30 June 2026 → 31 July 2026");
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(text).not.toContain("u2");
    expect(text).not.toContain("secret plan");
    expect(words.subject).toBe("Re-scoped: Ship the EU region by June");
    const outcome = watchMail(sender, { ...{ statement: "S", url: "https://x.example/l", at: new Date(), reason: null }, kind: "outcome", changes: [{ field: "status", from: null, to: "partial" }, { field: "reasonCategory", from: null, to: "capacity_change" }, { field: "resolvedAt", from: null, to: "2026-12-15" }] });
    expect(JSON.stringify(outcome.blocks)).toContain("Resolved on: 15 December 2026");
    expect(JSON.stringify(outcome.blocks)).toContain("Outcome: Partially delivered");
    expect(JSON.stringify(outcome.blocks)).toContain("Reason: Capacity or funding change");
  });
});
