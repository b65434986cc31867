import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown.server";

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
    ["<svg><script>alert(1)</script></svg>", "<svg"],
    ['<a href="data:text/html,<script>alert(1)</script>">x</a>', "data:text/html"],
  ])("strips %s", (input, forbidden) => {
    expect(renderMarkdown(input).toLowerCase()).not.toContain(forbidden.toLowerCase());
  });

  it("returns nothing for blank input", () => {
    expect(renderMarkdown("  \n ")).toBe("");
  });
});
