// Reads a letter body the way its readers will: what text they actually see, which headings it
// has, and whether it leaves anything open that would swallow what Kept appends after it.
// The publish check (app/domain/letter-publish.ts) decides on what this returns; nothing here
// judges a letter. See docs/decisions/0008-what-a-letter-mentions.md.
//
// Two parsers on purpose: marked renders the page (so "visible" is judged on the HTML that is
// published), and markdown-it, a CommonMark-compliant parser, stands in for "any ordinary
// Markdown renderer" of the published letter.md (so "closed" is judged by the standard, not by
// marked's leniency).
import type { ChildNode, Element } from "domhandler";
import { Parser, parseDocument } from "htmlparser2";
import MarkdownIt from "markdown-it";
import { renderMarkdownBoth } from "./markdown.server";

const commonMark = new MarkdownIt("default", { html: true, linkify: false });

export interface VisibleSection {
  /** The h1/h2 heading the text sits under, as a reader sees it; null before the first. */
  heading: string | null;
  text: string;
}

export interface OpenConstruct {
  kind: "fence" | "comment" | "html_block" | "html_element" | "block";
  /** 1-based line of the body where it starts, when known. */
  line: number | null;
  /** The tag or fence marker left open, for the message. */
  detail: string;
}

export interface BodyReading {
  /**
   * The visible text by section, once per way the body is displayed: the published (sanitised)
   * page, and a renderer that keeps the author's HTML. Text counts only where every one shows it.
   */
  renderings: VisibleSection[][];
  /** Every heading in the body, visible or not, in either parser's reading. */
  headings: string[];
  open: OpenConstruct[];
  /** Markup the body may not carry (lower-case tag names, once each). */
  forbiddenMarkup: string[];
}

// ---------------------------------------------------------------------------------------------
// Visible text

/** Elements whose content no reader sees on the page (or that are refused outright anyway). */
const CONTENT_NEVER_SHOWN = new Set([
  "head", "title", "script", "style", "template", "noscript", "textarea", "select", "option", "optgroup", "datalist",
  "iframe", "object", "embed", "audio", "video", "canvas", "svg", "math", "map", "frameset", "noframes", "dialog",
]);

/**
 * Elements whose text is shown but does not say anything happened: code blocks (quoted, not
 * said), struck-through text (retracted), and super- and subscript (footnote-sized).
 */
const CONTENT_NOT_SAID = new Set(["pre", "del", "s", "strike", "sup", "sub", "small"]);

/** Between blocks, a mark no statement contains, so words of two paragraphs never run into one phrase. */
export const BLOCK_BREAK = "\n\u00B6\n";

const BLOCK = new Set([
  "address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt", "figcaption", "figure", "footer",
  "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "section", "summary", "table",
  "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
]);

const ZERO = /^\s*0+(?:\.0*)?\s*(?:px|em|rem|%|pt|vh|vw)?\s*$/i;

/**
 * Whether an element hides what it contains. Inline style and class are never trusted: the
 * published page drops them, but a renderer that keeps them could make the text invisible in
 * more ways than a list can name (colour on colour, zero size, off-screen, clipped, a site's
 * own "visually hidden" class), so text inside them never counts as said.
 */
function hides(el: Element): boolean {
  const a = el.attribs;
  if ("hidden" in a || "style" in a) return true;
  if ((a["aria-hidden"] ?? "").toLowerCase() === "true") return true;
  if (a.class !== undefined && !harmlessClass(el.name, a.class)) return true;
  if ((a.width !== undefined && ZERO.test(a.width)) || (a.height !== undefined && ZERO.test(a.height))) return true;
  if (el.name === "font" && (a.color !== undefined || a.size !== undefined)) return true;
  return false;
}

/** The only classes the rendering itself writes: fenced code's language and the table's scroll box. */
function harmlessClass(tag: string, value: string): boolean {
  return (tag === "code" && /^language-[\w+#.-]*$/.test(value)) || (tag === "div" && value === "table-scroll");
}

function isElement(node: ChildNode): node is Element {
  return node.type === "tag" || node.type === "script" || node.type === "style";
}

/** The text of an element as shown (hidden parts left out), for headings. */
function shownText(nodes: ChildNode[]): string {
  let out = "";
  for (const node of nodes) {
    if (node.type === "text") out += node.data;
    else if (isElement(node) && !CONTENT_NEVER_SHOWN.has(node.name) && !CONTENT_NOT_SAID.has(node.name) && !hides(node)) {
      out += shownText(node.children);
    }
  }
  return out;
}

function visibleSections(document: ChildNode[]): VisibleSection[] {
  const sections: VisibleSection[] = [{ heading: null, text: "" }];
  const current = () => sections[sections.length - 1]!;
  const walk = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (node.type === "text") {
        current().text += node.data;
        continue;
      }
      if (!isElement(node)) continue; // comments, CDATA, processing instructions
      const name = node.name;
      if (CONTENT_NEVER_SHOWN.has(name) || CONTENT_NOT_SAID.has(name) || hides(node)) {
        current().text += BLOCK_BREAK;
        continue;
      }
      if (name === "h1" || name === "h2") {
        sections.push({ heading: shownText(node.children), text: "" });
        continue;
      }
      if (name === "details" && !("open" in node.attribs)) {
        // A closed <details> shows only its summary until someone opens it.
        const summary = node.children.find((c): c is Element => isElement(c) && c.name === "summary");
        current().text += BLOCK_BREAK;
        if (summary) walk(summary.children);
        current().text += BLOCK_BREAK;
        continue;
      }
      if (name === "br") current().text += " ";
      if (BLOCK.has(name)) current().text += BLOCK_BREAK;
      walk(node.children);
      if (BLOCK.has(name)) current().text += BLOCK_BREAK;
    }
  };
  walk(document);
  return sections;
}

/** The nodes of an HTML fragment, as visibleSections and allHeadings walk them. */
function parsed(html: string): ChildNode[] {
  return parseDocument(html, { decodeEntities: true }).children;
}

function allHeadings(document: ChildNode[]): string[] {
  const out: string[] = [];
  const walk = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (!isElement(node)) continue;
      if (/^h[1-6]$/.test(node.name)) out.push(textContent(node.children));
      else walk(node.children);
    }
  };
  walk(document);
  return out;
}

function textContent(nodes: ChildNode[]): string {
  return nodes.map((n) => (n.type === "text" ? n.data : isElement(n) ? textContent(n.children) : "")).join("");
}

// ---------------------------------------------------------------------------------------------
// What the body leaves open

/** The body may not carry these: SVG (Kept adds the chart), and markup that restyles or runs. */
const FORBIDDEN = new Set(["svg", "math", "style", "script", "link", "meta", "base", "iframe", "object", "embed", "frame", "frameset"]);

const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "keygen"]);

const PROBE = "kept-end-of-body-probe";

/**
 * What the body leaves open, judged by CommonMark: a heading placed right after the body must
 * come out as a heading of its own. If it doesn't, whatever swallowed it is named.
 */
function openBlocks(body: string): OpenConstruct[] {
  const tokens = commonMark.parse(`${body.replace(/\s+$/, "")}\n\n## ${PROBE}\n`, {});
  const probeIsHeading = tokens.some(
    (t, i) => t.type === "heading_open" && t.level === 0 && tokens[i + 1]?.type === "inline" && tokens[i + 1]?.content === PROBE,
  );
  if (probeIsHeading) return [];
  const swallower = tokens.find((t) => t.content.includes(PROBE) && t.type !== "inline");
  const line = swallower?.map ? swallower.map[0] + 1 : null;
  if (swallower?.type === "fence") return [{ kind: "fence", line, detail: swallower.markup }];
  if (swallower?.type === "html_block") {
    const start = swallower.content.trimStart();
    if (start.startsWith("<!--")) return [{ kind: "comment", line, detail: "<!--" }];
    const tag = /^<\/?([a-zA-Z][a-zA-Z0-9-]*)/.exec(start)?.[1]?.toLowerCase() ?? start.slice(0, 9);
    return [{ kind: "html_block", line, detail: tag }];
  }
  return [{ kind: "block", line, detail: swallower?.type ?? "" }];
}

/**
 * The author's own HTML (raw blocks and inline tags, in order), checked for elements opened and
 * never closed, comments never ended, and forbidden markup.
 */
function authorHtml(body: string, tokens: ReturnType<typeof commonMark.parse>): { open: OpenConstruct[]; forbidden: string[] } {
  const pieces: Array<{ html: string; line: number | null }> = [];
  const collect = (tokens: ReturnType<typeof commonMark.parse>, line: number | null) => {
    for (const t of tokens) {
      const at = t.map ? t.map[0] + 1 : line;
      if (t.type === "html_block" || t.type === "html_inline") pieces.push({ html: t.content, line: at });
      if (t.children) collect(t.children, at);
    }
  };
  collect(tokens, null);
  const html = pieces.map((p) => p.html).join("");
  const open: OpenConstruct[] = [];
  const forbidden = new Set<string>();
  const stack: string[] = [];
  const parser = new Parser(
    {
      onopentagname(name) {
        if (FORBIDDEN.has(name)) forbidden.add(name);
        if (!VOID.has(name)) stack.push(name);
      },
      onclosetag(name, isImplied) {
        if (VOID.has(name)) return;
        const at = stack.lastIndexOf(name);
        if (at !== -1) stack.splice(at, 1);
        if (isImplied && !open.some((o) => o.kind === "html_element" && o.detail === name)) {
          open.push({ kind: "html_element", line: pieces.find((p) => p.html.toLowerCase().includes(`<${name}`))?.line ?? null, detail: name });
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  // A comment opened inline and never ended is text to CommonMark but a comment to marked and to
  // browsers: refuse it either way.
  const lastOpen = body.lastIndexOf("<!--");
  if (lastOpen !== -1 && body.indexOf("-->", lastOpen + 4) === -1 && !open.some((o) => o.kind === "comment")) {
    open.push({ kind: "comment", line: body.slice(0, lastOpen).split("\n").length, detail: "<!--" });
  }
  return { open, forbidden: [...forbidden] };
}

/** The letter body as its readers meet it. */
export function readLetterBody(body: string): BodyReading {
  // Each parser reads the body once: marked's HTML is sanitised for the published rendering,
  // and CommonMark's tokens serve both the author's HTML and CommonMark's own rendering.
  const { published, unsanitised } = renderMarkdownBoth(body);
  const unsanitisedDocument = parsed(unsanitised);
  const blocks = openBlocks(body);
  const env = {};
  const tokens = commonMark.parse(body, env);
  const html = authorHtml(body, tokens);
  const commonMarkHeadings = allHeadings(parsed(commonMark.renderer.render(tokens, commonMark.options, env)));
  return {
    renderings: [visibleSections(parsed(published)), visibleSections(unsanitisedDocument)],
    headings: [...new Set([...allHeadings(unsanitisedDocument), ...commonMarkHeadings])],
    open: [...blocks.filter((b) => !html.open.some((h) => h.kind === b.kind && h.detail === b.detail)), ...html.open],
    forbiddenMarkup: html.forbidden,
  };
}

// ---------------------------------------------------------------------------------------------
// The published Markdown, as a CommonMark reader sees it

/**
 * Whether the published Markdown shows Kept's appendix as it must: exactly one top-level
 * "Ledger appendix" heading, followed (before the next heading) by a table with one body row
 * per ledger entry, or by no table when there are no entries.
 */
export function appendixRendersAsTable(publishedMarkdown: string, heading: string, rows: number): boolean {
  const tokens = commonMark.parse(publishedMarkdown, {});
  const starts = tokens.flatMap((t, i) =>
    t.type === "heading_open" && t.level === 0 && tokens[i + 1]?.content.trim() === heading ? [i] : [],
  );
  if (starts.length !== 1) return false;
  let bodyRows = 0;
  let tables = 0;
  let inBody = false;
  for (let i = starts[0]! + 3; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === "heading_open" && t.level === 0) break;
    if (t.type === "table_open") tables += 1;
    if (t.type === "tbody_open") inBody = true;
    if (t.type === "tbody_close") inBody = false;
    if (inBody && t.type === "tr_open") bodyRows += 1;
  }
  return rows === 0 ? tables === 0 : tables === 1 && bodyRows === rows;
}
