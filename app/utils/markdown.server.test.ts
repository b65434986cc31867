import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderMarkdown, renderMarkdownBoth } from "./markdown.server";

describe("renderMarkdown", () => {
  it("renders ordinary Markdown", () => {
    expect(renderMarkdown("**Bold** and [a link](https://example.com)")).toBe(
      '<p><strong>Bold</strong> and <a href="https://example.com" rel="nofollow noopener noreferrer">a link</a></p>\n',
    );
  });

  it.each([
    ["<script>alert(1)</script>hello", "<script"],
    ['<img src="x" onerror="alert(1)">', "onerror"],
    ["[click](javascript:alert(1))", "javascript:"],
    ['<a href="JaVaScRiPt:alert(1)">x</a>', "javascript:"],
    ['<iframe src="https://evil.example"></iframe>', "<iframe"],
    ['<div style="background:url(javascript:alert(1))">x</div>', "style="],
    ["<svg><script>alert(1)</script></svg>", "<script"],
    ['<svg onload="alert(1)"><rect width="1" height="1"/></svg>', "onload"],
    ['<svg><a href="javascript:alert(1)"><text x="1" y="1">x</text></a></svg>', "javascript:"],
    ['<svg><use href="data:image/svg+xml,<svg onload=alert(1)>"/></svg>', "<use"],
    ['<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>', "javascript:"],
    ["<svg><set attributeName=\"onmouseover\" to=\"alert(1)\"/></svg>", "<set"],
    ['<svg><foreignObject><iframe src="https://evil.example"></iframe></foreignObject></svg>', "<iframe"],
    ['<svg><image xlink:href="https://evil.example/x.svg"/></svg>', "<image"],
    ['<svg><style>@import "https://evil.example/x.css";</style></svg>', "@import"],
    ['<svg><text x="1" y="1" style="fill:url(javascript:alert(1))">x</text></svg>', "style="],
    ['<a href="data:text/html,<script>alert(1)</script>">x</a>', "data:text/html"],
  ])("strips %s", (input, forbidden) => {
    expect(renderMarkdown(input).toLowerCase()).not.toContain(forbidden.toLowerCase());
  });

  it("keeps the letter's scorecard chart: figure, svg with viewBox, title and description", () => {
    const chart = [
      "<figure>",
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 240" width="480" height="240" role="img" aria-labelledby="letter-chart-c-title letter-chart-c-desc">',
      '<title id="letter-chart-c-title">Delivered in full, by year</title>',
      '<desc id="letter-chart-c-desc">FY2025 75% and FY2026 29%.</desc>',
      '<g font-family="Helvetica" font-size="11" fill="#000000"><line x1="48" y1="204" x2="464" y2="204" stroke="#000000" stroke-width="1.5" stroke-dasharray="3 3"/>',
      '<rect x="120" y="72" width="64" height="132" fill="#ffffff" stroke="#000000" stroke-width="1.5"/>',
      '<text x="152" y="66" text-anchor="middle" font-weight="bold">75%</text></g>',
      "</svg>",
      "<figcaption>FY2025 75% and FY2026 29%.</figcaption>",
      "</figure>",
    ].join("\n");
    const html = renderMarkdown(chart);
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg" viewbox="0 0 480 240" width="480" height="240" role="img" aria-labelledby="letter-chart-c-title letter-chart-c-desc">');
    expect(html).toContain('<title id="letter-chart-c-title">Delivered in full, by year</title>');
    expect(html).toContain('<rect x="120" y="72" width="64" height="132" fill="#ffffff" stroke="#000000" stroke-width="1.5">');
    expect(html).toContain('<text x="152" y="66" text-anchor="middle" font-weight="bold">75%</text>');
    expect(html).toContain("<figcaption>FY2025 75% and FY2026 29%.</figcaption>");
  });

  it("keeps only the chart's own ids, so user markup cannot collide with the page's", () => {
    const html = renderMarkdown('<svg aria-labelledby="main letter-chart-x-title"><title id="main">x</title><desc id="letter-chart-x-desc">d</desc></svg>');
    expect(html).not.toContain('id="main"');
    expect(html).toContain('aria-labelledby="letter-chart-x-title"');
    expect(html).toContain('<desc id="letter-chart-x-desc">d</desc>');
  });

  it("wraps tables in a focusable scroll box and gives images without alt text an empty one", () => {
    const html = renderMarkdown("| a | b |\n| --- | --- |\n| 1 | 2 |\n\n![](/favicon.svg)");
    expect(html).toMatch(/^<div class="table-scroll" tabindex="0" role="group" aria-label="[^"]+"><table>[\s\S]*<\/table><\/div>/);
    expect(html).toContain('<img src="/favicon.svg" alt="" />');
  });

  // The page's CSP is img-src 'self' data:; any other image would only be blocked.
  it.each([
    ["![x](https://example.com/x.png)", "example.com"],
    ["![x](http://example.com/x.png)", "example.com"],
    ["![x](//example.com/x.png)", "example.com"],
    ['<img src="https://example.com/x.png" alt="x">', "example.com"],
    ['<img src="/\\example.com/x.png" alt="x">', "example.com"],
    ['<img src="data:text/html,hello" alt="x">', "data:text"],
    ['<img alt="no source">', "<img"],
  ])("drops the image the CSP would block: %s", (input, forbidden) => {
    const html = renderMarkdown(input);
    expect(html).not.toContain(forbidden);
    expect(html).not.toContain("<img");
  });

  it.each([
    ["![chart](/assets/chart.png)", '<img src="/assets/chart.png" alt="chart" />'],
    ['<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">', '<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot" />'],
  ])("keeps the image the CSP allows: %s", (input, expected) => {
    expect(renderMarkdown(input)).toContain(expected);
  });

  it("returns nothing for blank input", () => {
    expect(renderMarkdown("  \n ")).toBe("");
  });
});

describe("renderMarkdownBoth", () => {
  const piece = fc.constantFrom("# Head\n", "text ", "<details>", "</details>", "<!--", "```\n", "| a | b |\n|---|---|\n| 1 | 2 |\n", "<style>x</style>", '<img src="x" onerror="y">', "\n\n", "- item\n", "**b**", "   ", "[l](javascript:x)");

  it("publishes exactly what renderMarkdown does, from the one parse", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }).map((p) => p.join("")), (markdown) => {
        expect(renderMarkdownBoth(markdown).published).toBe(renderMarkdown(markdown));
      }),
      { numRuns: 300 },
    );
  });

  it("keeps the author's HTML in the unsanitised rendering, and only there", () => {
    const { published, unsanitised } = renderMarkdownBoth('<style>p{display:none}</style>\n\n| a |\n|---|\n| 1 |\n');
    expect(unsanitised).toContain("<style>");
    expect(unsanitised).toContain("<table>");
    expect(unsanitised).not.toContain("table-scroll");
    expect(published).not.toContain("<style>");
    expect(published).toContain('<div class="table-scroll"');
  });
});
