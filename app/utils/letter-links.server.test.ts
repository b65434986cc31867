import { describe, expect, it } from "vitest";
import { LEDGER_APPENDIX_HEADING, ledgerAppendixMarkdown, publishedMarkdown, type LedgerEntry } from "~/domain/letter-publish";
import { linkBodyMentions, linkLedgerAppendix, mentionLinks, quotedInBody } from "./letter-links.server";
import { renderMarkdown } from "./markdown.server";

const entry = (id: string, statement: string, extra: Partial<LedgerEntry> = {}): LedgerEntry => ({
  id,
  statement,
  teamName: "Payouts",
  periodLabel: "FY2026-Q2",
  dueDate: "2026-06-30",
  audience: "public",
  status: "open",
  resolvedAt: null,
  daysLate: 0,
  measure: "SEPA instant payouts generally available",
  actualValue: null,
  evidenceUrl: null,
  attempt: 1,
  rescoped: false,
  ...extra,
});

const ENTRIES = [
  entry("c-1", "Ship <instant> payouts & refunds by 30 June 2026.", { attempt: 2, rescoped: true }),
  entry("c-2", "Answer every ticket within 4 hours by 30 June 2026."),
];

function publishedHtml(body: string, entries: LedgerEntry[]) {
  return renderMarkdown(publishedMarkdown(body, ledgerAppendixMarkdown(entries, "FY2026", "public", [{ since: null, score: 70 }])));
}

describe("linkLedgerAppendix", () => {
  it("links each appendix row, in the ledger's order, to the page its id gives, leaving every other byte as stored", () => {
    // The body quotes a commitment and even has a table of its own: neither is touched.
    const body = "# Our year\n\nWe said: Answer every ticket within 4 hours by 30 June 2026.\n\n| A | B |\n| --- | --- |\n| x | y |\n";
    const html = publishedHtml(body, ENTRIES);
    const linked = linkLedgerAppendix(html, LEDGER_APPENDIX_HEADING, ["/ledger/commitments/c-1", "/ledger/commitments/c-2"]);
    const links = [...linked.matchAll(/<a href="([^"]+)">(.*?)<\/a>/g)].map((m) => [m[1], m[2]]);
    expect(links).toEqual([
      ["/ledger/commitments/c-1", "Ship &lt;instant&gt; payouts &amp; refunds by 30 June 2026. (attempt 2, re-scoped)"],
      ["/ledger/commitments/c-2", "Answer every ticket within 4 hours by 30 June 2026."],
    ]);
    expect(linked.replace(/<a href="[^"]+">|<\/a>/g, "")).toBe(html);
  });

  it("reads the last heading of the appendix's name, so a body section of that name is not mistaken for it", () => {
    const body = `## ${LEDGER_APPENDIX_HEADING}\n\n| Commitment |\n| --- |\n| not a ledger row |\n`;
    const linked = linkLedgerAppendix(publishedHtml(body, ENTRIES), LEDGER_APPENDIX_HEADING, ["/a", "/b"]);
    expect(linked).not.toContain('<a href="/a">not a ledger row');
    expect(linked).toContain('<a href="/a">Ship');
    expect(linked).toContain('<a href="/b">Answer');
  });

  it("changes nothing when the rows and the ids do not pair up, or there is nothing to link", () => {
    const html = publishedHtml("Body.", ENTRIES);
    expect(linkLedgerAppendix(html, LEDGER_APPENDIX_HEADING, ["/only-one"])).toBe(html);
    const empty = publishedHtml("Body.", []);
    expect(linkLedgerAppendix(empty, LEDGER_APPENDIX_HEADING, [])).toBe(empty);
    expect(linkLedgerAppendix("<p>No appendix</p>", LEDGER_APPENDIX_HEADING, ["/a"])).toBe("<p>No appendix</p>");
  });

  it("escapes the address it writes", () => {
    const html = publishedHtml("Body.", [ENTRIES[1]!]);
    expect(linkLedgerAppendix(html, LEDGER_APPENDIX_HEADING, ['/x?a=1&b="2"'])).toContain('<a href="/x?a=1&amp;b=&quot;2&quot;">');
  });
});

describe("linkBodyMentions", () => {
  const hrefs = mentionLinks(ENTRIES, (id) => `/ledger/commitments/${id}`);

  it("links each quote of a commitment's statement in the body, quotation marks inside the link, and changes no other byte", () => {
    const body = [
      "# Our year",
      "",
      "- “Ship &lt;instant&gt; payouts & refunds by 30 June 2026.” Payouts missed it on 30 June 2026.",
      "- **“Answer every ticket within 4 hours by 30 June 2026.”** Owned by Support.",
      "",
      "We also said “something nobody committed to”, and wrote `“Answer every ticket within 4 hours by 30 June 2026.”` as code,",
      "and [“Answer every ticket within 4 hours by 30 June 2026.”](https://example.com/already-a-link) as a link.",
      "",
    ].join("\n");
    const html = publishedHtml(body, ENTRIES);
    const linked = linkBodyMentions(html, LEDGER_APPENDIX_HEADING, hrefs);
    const links = [...linked.matchAll(/<a href="(\/ledger[^"]+)">(.*?)<\/a>/g)].map((m) => [m[1], m[2]]);
    // Code, the author's own link and a quote of no commitment get none.
    expect(links).toEqual([
      ["/ledger/commitments/c-1", "“Ship &lt;instant&gt; payouts &amp; refunds by 30 June 2026.”"],
      ["/ledger/commitments/c-2", "“Answer every ticket within 4 hours by 30 June 2026.”"],
    ]);
    expect(linked).toContain("https://example.com/already-a-link");
    expect(linked.replace(/<a href="\/ledger\/commitments\/c-\d">(.*?)<\/a>/g, "$1")).toBe(html);
  });

  it("leaves the appendix to linkLedgerAppendix, and both together link each row once", () => {
    const html = publishedHtml("We missed “Answer every ticket within 4 hours by 30 June 2026.”", ENTRIES);
    const both = linkBodyMentions(linkLedgerAppendix(html, LEDGER_APPENDIX_HEADING, ["/ledger/commitments/c-1", "/ledger/commitments/c-2"]), LEDGER_APPENDIX_HEADING, hrefs);
    expect(both.match(/<a href="\/ledger\/commitments\/c-2">/g)).toHaveLength(2);
    expect(both.replace(/<a href="[^"]+">|<\/a>/g, "")).toBe(html);
  });

  it("links no statement that two commitments share, and nothing when there is nothing to link", () => {
    const twice = mentionLinks([...ENTRIES, entry("c-3", ENTRIES[1]!.statement, { attempt: 2 })], (id) => `/c/${id}`);
    expect([...twice]).toEqual([[ENTRIES[0]!.statement, "/c/c-1"]]);
    const html = publishedHtml("We kept “Answer every ticket within 4 hours by 30 June 2026.”", ENTRIES);
    expect(linkBodyMentions(html, LEDGER_APPENDIX_HEADING, twice)).toBe(html);
    expect(linkBodyMentions(html, LEDGER_APPENDIX_HEADING, new Map())).toBe(html);
  });

  it("finds the quoted words a body holds, decoded, for looking them up", () => {
    const html = publishedHtml("“Ship &lt;instant&gt; payouts & refunds by 30 June 2026.” and “Ship &lt;instant&gt; payouts & refunds by 30 June 2026.”", ENTRIES);
    expect(quotedInBody(html, LEDGER_APPENDIX_HEADING)).toEqual(["Ship <instant> payouts & refunds by 30 June 2026."]);
  });
});
