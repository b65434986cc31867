import { describe, expect, it } from "vitest";
import { mapScroll, markdownHeadingOffsets, reverseAnchors, scrollAnchors } from "./scroll-anchors";

describe("markdownHeadingOffsets", () => {
  it("finds ATX and setext headings where their lines start", () => {
    const text = "# Title\n\nIntro line\n\n## Scorecard\nText\n\nWhat we did\n-----------\n\nMore\n===\n";
    const offsets = markdownHeadingOffsets(text);
    expect(offsets.map((o) => text.slice(o, text.indexOf("\n", o)))).toEqual(["# Title", "## Scorecard", "What we did", "More"]);
  });

  it("skips headings inside fenced code, and a thematic break after a blank line", () => {
    const text = "## One\n\n```md\n## not a heading\n```\n\n---\n\n~~~\n# nor this\n~~~~\n### Two\n#hashtag\n";
    const offsets = markdownHeadingOffsets(text);
    expect(offsets.map((o) => text.slice(o, text.indexOf("\n", o)))).toEqual(["## One", "### Two"]);
  });

  it("accepts a heading with nothing after its hashes and up to three spaces before them", () => {
    expect(markdownHeadingOffsets("   ##\n    # code, not a heading\n")).toEqual([0]);
  });
});

describe("scrollAnchors and mapScroll", () => {
  it("keeps a position between two headings at the same fraction of that section", () => {
    const anchors = scrollAnchors([100, 300], [400, 500], 1000, 2000);
    expect(anchors).toEqual([
      { source: 0, target: 0 },
      { source: 100, target: 400 },
      { source: 300, target: 500 },
      { source: 1000, target: 2000 },
    ]);
    expect(mapScroll(anchors, 50)).toBe(200);
    expect(mapScroll(anchors, 200)).toBe(450);
    expect(mapScroll(anchors, 650)).toBe(1250);
    expect(mapScroll(anchors, -10)).toBe(0);
    expect(mapScroll(anchors, 5000)).toBe(2000);
  });

  it("falls back to proportion when the preview has fewer headings than the text", () => {
    const anchors = scrollAnchors([100, 300, 500], [400], 1000, 2000);
    expect(anchors).toEqual([
      { source: 0, target: 0 },
      { source: 1000, target: 2000 },
    ]);
    expect(mapScroll(anchors, 250)).toBe(500);
  });

  it("pairs headings in order when the preview adds its own after the text, and drops pairs out of order", () => {
    expect(scrollAnchors([100, 300], [400, 350, 900], 1000, 2000)).toEqual([
      { source: 0, target: 0 },
      { source: 100, target: 400 },
      { source: 1000, target: 2000 },
    ]);
  });

  it("maps back the other way, without jumps where two anchors share a target", () => {
    const anchors = scrollAnchors([100, 300], [400, 400], 1000, 2000);
    const back = reverseAnchors(anchors);
    expect(back).toEqual([
      { source: 0, target: 0 },
      { source: 400, target: 100 },
      { source: 2000, target: 1000 },
    ]);
    expect(mapScroll(back, 200)).toBe(50);
    expect(mapScroll(back, mapScroll(anchors, 50))).toBe(50);
  });

  it("maps nothing to the top when a view cannot scroll", () => {
    expect(mapScroll(scrollAnchors([], [], 0, 0), 0)).toBe(0);
    expect(mapScroll(scrollAnchors([], [], 500, 0), 250)).toBe(0);
  });
});
