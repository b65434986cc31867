// Markdown from people is rendered with marked and then sanitised with an allow-list, so no
// script, event handler, style or javascript: URL survives into a page.
import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

const marked = new Marked({ gfm: true, breaks: false, async: false });

const CHART_ID = /^letter-chart-[a-z0-9-]{1,80}$/;

function keepChartIds(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const out: sanitizeHtml.Attributes = { ...attribs };
  if (out.id !== undefined && !CHART_ID.test(out.id)) delete out.id;
  if (out["aria-labelledby"] !== undefined) {
    const ids = out["aria-labelledby"].split(/\s+/).filter((id) => CHART_ID.test(id));
    if (ids.length) out["aria-labelledby"] = ids.join(" ");
    else delete out["aria-labelledby"];
  }
  return { tagName, attribs: out };
}

/** Same as the CSP's img-src: a path on this site, or an inline data: image. */
function imageAllowedByCsp(src: string | undefined): boolean {
  if (!src) return false;
  if (/^data:image\/(png|gif|jpeg|webp|avif|svg\+xml)[;,]/i.test(src)) return true;
  return src.startsWith("/") && !src.startsWith("//") && !src.includes("\\");
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "em", "strong", "del", "s",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "img", "sup", "sub", "span",
    // The letter's scorecard chart (app/domain/letter-chart.ts): presentational SVG only. No
    // <use>, <a>, <image>, <foreignObject>, <script>, <style>, href or event attribute is allowed.
    "figure", "figcaption", "svg", "title", "desc", "g", "rect", "line", "text",
  ],
  allowedAttributes: {
    a: ["href", "title", "rel"],
    img: ["src", "alt", "title"],
    th: ["align"],
    td: ["align"],
    code: ["class"],
    ol: ["start"],
    // htmlparser2 lower-cases attribute names; browsers restore SVG's camel case (viewBox).
    svg: ["xmlns", "viewbox", "width", "height", "role", "aria-labelledby", "aria-hidden", "focusable"],
    title: ["id"],
    desc: ["id"],
    g: ["font-family", "font-size", "font-weight", "fill", "stroke", "stroke-width", "text-anchor"],
    rect: ["x", "y", "width", "height", "fill", "stroke", "stroke-width"],
    line: ["x1", "y1", "x2", "y2", "stroke", "stroke-width", "stroke-dasharray"],
    text: ["x", "y", "text-anchor", "font-weight", "font-size", "fill"],
  },
  allowedSchemes: ["http", "https", "mailto"],
  // The CSP lets pages load images only from this site and data: URLs; anything else would be
  // a broken picture (and a request to a stranger's server if the CSP were ever loosened).
  allowedSchemesByTag: { img: ["data"] },
  allowProtocolRelative: false,
  exclusiveFilter: (frame) => frame.tag === "img" && !imageAllowedByCsp(frame.attribs.src),
  transformTags: {
    a: sanitizeHtml.simpleTransform("a", { rel: "nofollow noopener noreferrer" }),
    // An image someone left without alt text is treated as decorative rather than announced by
    // its file name.
    img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, alt: attribs.alt ?? "" } }),
    // The chart's ids tie its title and description to the svg; any other id could collide
    // with the page's own (the skip link's #main, form fields), so only chart ids survive.
    title: keepChartIds,
    desc: keepChartIds,
    svg: keepChartIds,
  },
};

export function renderMarkdown(markdown: string): string {
  if (!markdown.trim()) return "";
  return sanitisedPage(marked.parse(markdown) as string);
}

/** marked's HTML as published: sanitised, and wide tables given their scrolling box. */
function sanitisedPage(html: string): string {
  // Wide tables scroll sideways inside a focusable box of their own (keyboard users can scroll
  // it too) instead of widening the page on a phone. Added after sanitising, as fixed markup.
  return sanitizeHtml(html, SANITIZE)
    .replace(/<table>/g, '<div class="table-scroll" tabindex="0" role="group" aria-label="Table, scrolls sideways on small screens"><table>')
    .replace(/<\/table>/g, "</table></div>");
}

/**
 * renderMarkdown of the Markdown, and the HTML marked makes of it before sanitising (what a
 * renderer that keeps the author's HTML, as many Markdown viewers of the published letter.md do,
 * would display), from one parse. The unsanitised HTML is used only to read a letter the way
 * such a reader would, never served.
 */
export function renderMarkdownBoth(markdown: string): { published: string; unsanitised: string } {
  const unsanitised = marked.parse(markdown) as string;
  return { published: markdown.trim() ? sanitisedPage(unsanitised) : "", unsanitised };
}
