import { describe, expect, it } from "vitest";
import { EVIDENCE_RULE, REASON_RULE, evidenceProblem, isRealHost, reasonProblem } from "./reasons";

describe("reasonProblem", () => {
  it.each([
    ["blank", "   "],
    ["a full stop", "."],
    ["a dash", "-"],
    ["n/a", "n/a"],
    ["N/A with padding", "  N/A  "],
    ["tbd", "tbd"],
    ["TBD spelt out", "To be determined later."],
    ["see above", "see above"],
    ["placeholders strung together", "TBD, see above, n/a"],
    ["one word repeated", "delay delay delay delay delay"],
    ["a single long word", "Supercalifragilisticexpialidocious"],
    ["too short to explain", "Was late."],
    ["punctuation only", "?!?!?!?!?!?!?!?!"],
    ["letters split by spaces", "a b c d e f g h i j k l m n o"],
  ])("refuses %s", (_label, text) => {
    expect(reasonProblem(text)).not.toBeNull();
  });

  it.each([
    ["a short sentence", "Ran out of time."],
    ["a sentence that mentions a placeholder word", "The vendor's API was not available until March, see above for the ticket."],
    ["a sentence in another language", "Der Anbieter hat die Schnittstelle zu spät geliefert."],
    ["a reason with numbers", "Moved to Q3 because 2 of 3 engineers left."],
  ])("accepts %s", (_label, text) => {
    expect(reasonProblem(text)).toBeNull();
  });

  it("explains the rule when it refuses something typed", () => {
    expect(reasonProblem("n/a")).toBe(REASON_RULE);
  });
});

describe("evidenceProblem", () => {
  it.each([
    ["a single-label host", "https://n/a"],
    ["localhost", "http://localhost/report"],
    ["a host with a numeric top-level label", "https://example.123/report"],
    ["a host ending in a hyphen", "https://example-.com/"],
    ["a relative path outside Kept", "/admin/secret"],
    ["a Kept-looking path with a bad id", "/commitments/not-a-uuid"],
    ["no scheme", "example.com/release-notes"],
    ["javascript:", "javascript:alert(1)"],
    ["ftp", "ftp://files.example.com/report.pdf"],
    ["credentials in the link", "https://user:secret@example.com/report"],
    ["words", "see the wiki"],
    ["blank", "  "],
  ])("refuses %s", (_label, url) => {
    expect(evidenceProblem(url)).not.toBeNull();
  });

  it.each([
    ["a domain name", "https://status.example.com/history?year=2026"],
    ["a trailing-dot domain", "https://example.com./changelog"],
    ["an internationalised domain", "https://bücher.example/katalog"],
    ["a punycode top-level domain", "https://example.xn--p1ai/"],
    ["an IPv4 address", "http://192.0.2.10/report"],
    ["an IPv6 address", "http://[2001:db8::1]/report"],
    ["a Kept commitment", "/commitments/3f2b8c1e-8d7a-4b1c-9a55-0d5e6f7a8b9c"],
    ["a Kept letter", "/letters/2026"],
    ["an internal Kept letter section", "/letters/2026/internal#ledger-appendix"],
  ])("accepts %s", (_label, url) => {
    expect(evidenceProblem(url)).toBeNull();
  });

  it("says what a usable link looks like", () => {
    expect(evidenceProblem("https://n/a")).toBe(EVIDENCE_RULE);
  });

  it("knows a real host from a single label", () => {
    expect(isRealHost("n")).toBe(false);
    expect(isRealHost("wiki.example.com")).toBe(true);
  });
});
