// Links a published letter's ledger appendix to each commitment's own page, when the letter is
// shown. The stored letter never changes (its Markdown is what the SHA-256 is of, and the
// database refuses edits): the links are added to the HTML on the way out, from the ids the
// frozen ledger recorded, never by matching statement text.
import { Parser } from "htmlparser2";

/**
 * The HTML with each row of the appendix table (the table after the last h2 reading `heading`)
 * linked to `hrefs[i]`, in order: the appendix writes one row per ledger entry, in the ledger's
 * order. When the rows and the ids do not pair up one to one, the HTML is returned unchanged.
 */
export function linkLedgerAppendix(html: string, heading: string, hrefs: readonly string[]): string {
  if (hrefs.length === 0) return html;
  let h2Text: string | null = null;
  let afterHeading = false;
  let tableDepth = 0;
  let inBody = false;
  let cellInRow = 0;
  let cellStart = -1;
  let cells: Array<{ start: number; end: number }> = [];
  let done = false;

  const parser = new Parser(
    {
      onopentag(name) {
        if (name === "h2") h2Text = "";
        if (!afterHeading || done) return;
        if (name === "table") tableDepth += 1;
        if (tableDepth !== 1) return;
        if (name === "tbody") inBody = true;
        else if (name === "tr") cellInRow = 0;
        else if (name === "td" && inBody) {
          cellInRow += 1;
          if (cellInRow === 1) cellStart = parser.endIndex + 1;
        }
      },
      ontext(text) {
        if (h2Text !== null) h2Text += text;
      },
      onclosetag(name) {
        if (name === "h2" && h2Text !== null) {
          // A later heading of the same name starts over: the appendix is the last one.
          if (h2Text.trim() === heading) {
            afterHeading = true;
            done = false;
            cells = [];
            tableDepth = 0;
            inBody = false;
          }
          h2Text = null;
          return;
        }
        if (!afterHeading || done) return;
        if (name === "td" && tableDepth === 1 && inBody && cellInRow === 1 && cellStart >= 0) {
          cells.push({ start: cellStart, end: parser.startIndex });
          cellStart = -1;
        } else if (name === "tbody" && tableDepth === 1) inBody = false;
        else if (name === "table") {
          tableDepth -= 1;
          if (tableDepth === 0) done = true;
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();

  if (cells.length !== hrefs.length) return html;
  let out = html;
  for (let i = cells.length - 1; i >= 0; i--) {
    const { start, end } = cells[i]!;
    const href = hrefs[i]!.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
    out = `${out.slice(0, start)}<a href="${href}">${out.slice(start, end)}</a>${out.slice(end)}`;
  }
  return out;
}

/** Elements whose text is not linked: a link already, code, or Kept's chart. */
const NOT_LINKED = new Set(["a", "pre", "code", "svg", "script", "style", "textarea", "title"]);

// The five characters marked escapes, and numeric references; nothing else appears in its text.
function decodeText(raw: string): string {
  return raw.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (whole, ref: string) => {
    const name = ref.toLowerCase();
    if (name.startsWith("#x")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
    return ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" } as Record<string, string>)[name] ?? whole;
  });
}

interface Quote {
  /** Where the quoted words start and end in the HTML (inside the quotation marks). */
  start: number;
  end: number;
  text: string;
}

/**
 * Every “quoted” run of text a reader sees in the letter's body: in one stretch of text (the
 * generator quotes a statement whole, escaped, so it never holds markup), not inside a link,
 * code or the chart, and before the ledger appendix (its rows are linked by id; a body may not
 * use the appendix's heading itself, ADR 0008).
 */
function bodyQuotes(html: string, appendixHeading: string): Quote[] {
  const quotes: Quote[] = [];
  let skip = 0;
  let h2Text: string | null = null;
  let h2Start = -1;
  // The appendix is the table after the last heading of its name, as linkLedgerAppendix reads it.
  let appendixAt = html.length;
  let runStart = -1;
  let runEnd = -1;

  const flush = () => {
    if (runStart < 0) return;
    const raw = html.slice(runStart, runEnd);
    const pattern = /“([^“”<>]+)”/g;
    for (let m = pattern.exec(raw); m; m = pattern.exec(raw)) {
      const start = runStart + m.index + 1;
      quotes.push({ start, end: start + m[1]!.length, text: decodeText(m[1]!) });
    }
    runStart = -1;
  };

  const parser = new Parser(
    {
      onopentag(name) {
        flush();
        if (name === "h2") {
          h2Text = "";
          h2Start = parser.startIndex;
        }
        if (NOT_LINKED.has(name)) skip += 1;
      },
      ontext(text) {
        if (h2Text !== null) h2Text += text;
        if (skip > 0) return;
        if (runStart < 0) runStart = parser.startIndex;
        runEnd = parser.endIndex + 1;
      },
      onclosetag(name) {
        flush();
        if (NOT_LINKED.has(name) && skip > 0) skip -= 1;
        if (name === "h2" && h2Text !== null) {
          if (decodeText(h2Text).trim() === appendixHeading) appendixAt = h2Start;
          h2Text = null;
        }
      },
    },
    { decodeEntities: false },
  );
  parser.write(html);
  parser.end();
  flush();
  return quotes.filter((q) => q.start < appendixAt);
}

/** The quoted words of a letter's body, for looking up which commitments they name. */
export function quotedInBody(html: string, appendixHeading: string): string[] {
  return [...new Set(bodyQuotes(html, appendixHeading).map((q) => q.text))];
}

/**
 * The HTML with each quoted mention of a commitment in the body linked to its page: a quote
 * whose words are exactly a commitment's statement (the generator writes every shortfall,
 * re-scope and delivery it names that way). `hrefByStatement` holds only statements that name
 * one commitment of the letter; a quote of anything else stays as it is. Like the appendix links,
 * this is added on the way out: the stored letter and its hash never change.
 */
export function linkBodyMentions(html: string, appendixHeading: string, hrefByStatement: ReadonlyMap<string, string>): string {
  if (hrefByStatement.size === 0) return html;
  const quotes = bodyQuotes(html, appendixHeading).filter((q) => hrefByStatement.has(q.text));
  let out = html;
  for (let i = quotes.length - 1; i >= 0; i--) {
    const { start, end, text } = quotes[i]!;
    const href = hrefByStatement.get(text)!.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
    // The quotation marks go inside the link, so the link reads as the quote it is.
    out = `${out.slice(0, start - 1)}<a href="${href}">${out.slice(start - 1, end + 1)}</a>${out.slice(end + 1)}`;
  }
  return out;
}

/**
 * The statement → page map for linkBodyMentions from a letter's commitments: a statement two
 * commitments share (say, a commitment and its carried-forward attempt) names neither for sure,
 * so it is left out.
 */
export function mentionLinks(commitments: ReadonlyArray<{ id: string; statement: string }>, hrefOf: (id: string) => string): Map<string, string> {
  const seen = new Map<string, string | null>();
  for (const c of commitments) seen.set(c.statement, seen.has(c.statement) ? null : hrefOf(c.id));
  return new Map([...seen].filter((e): e is [string, string] => e[1] !== null));
}
