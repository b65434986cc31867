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
