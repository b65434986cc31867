import { describe, expect, it } from "vitest";
import { addressOf, formatInZone, renderMail } from "./mail";

describe("renderMail", () => {
  const content = {
    organisationName: "Acme <Cloud>",
    heading: "Check in on 'Ship EU region'",
    reason: "You own this commitment.",
    unsubscribeUrl: "https://kept.example.com/unsubscribe/abc",
    blocks: [
      { kind: "paragraph" as const, text: "Last check-in: 2026-11-01 & stalled." },
      { kind: "list" as const, items: [{ text: "Open it", url: "https://kept.example.com/commitments/1" }, { text: "No link" }] },
      { kind: "link" as const, label: "Sneaky", url: "javascript:alert(1)" },
      { kind: "preformatted" as const, text: "# Letter\n\n<script>x</script>" },
    ],
  };

  it("says the same in text and HTML, escaped in HTML", () => {
    const { text, html } = renderMail(content);
    expect(text).toContain("Last check-in: 2026-11-01 & stalled.");
    expect(text).toContain("- Open it\n  https://kept.example.com/commitments/1");
    expect(text).toContain("Unsubscribe: https://kept.example.com/unsubscribe/abc");
    expect(text).toContain("Acme <Cloud>, via Kept");
    expect(html).toContain("<p>Last check-in: 2026-11-01 &amp; stalled.</p>");
    expect(html).toContain('<a href="https://kept.example.com/commitments/1">Open it</a>');
    expect(html).toContain("&lt;script&gt;x&lt;/script&gt;");
    expect(html).not.toContain("<script>");
    expect(html).toContain("Acme &lt;Cloud&gt;, via Kept");
    expect(html).not.toContain("javascript:");
  });

  it("leaves the unsubscribe line out of transactional mail", () => {
    const { text, html } = renderMail({ ...content, unsubscribeUrl: undefined });
    expect(text).not.toContain("Unsubscribe");
    expect(html).not.toContain("Unsubscribe");
  });
});

describe("formatInZone", () => {
  it("shows an instant in the organisation's zone", () => {
    const instant = new Date("2026-03-29T00:30:00Z");
    expect(formatInZone(instant, "Europe/Berlin")).toBe("29 March 2026, 01:30 CET");
    expect(formatInZone(instant, "America/New_York")).toBe("28 March 2026, 20:30 GMT-4");
  });
});

describe("addressOf", () => {
  it("takes the address out of a mailbox", () => {
    expect(addressOf('"Kept" <kept@example.com>')).toBe("kept@example.com");
    expect(addressOf("kept@example.com")).toBe("kept@example.com");
  });
});
