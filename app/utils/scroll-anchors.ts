// Keeping two scrolling views of one document together (the letter's Markdown and its rendered
// preview): both are cut at the same headings, and a position between two headings in one view
// maps to the same fraction of that section in the other. Pure, so it is tested without a page.

/** A point that must line up in both views: a scroll offset in the source and in the target. */
export interface Anchor {
  source: number;
  target: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX_HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;

/**
 * Where each heading of a Markdown text starts (character offsets, in order), as a renderer
 * would see them: ATX headings (`## What we delivered`) and setext ones (a line underlined
 * with `===` or `---`), not the `#` lines inside fenced code.
 */
export function markdownHeadingOffsets(text: string): number[] {
  const offsets: number[] = [];
  let fence: string | null = null;
  let offset = 0;
  let previous: { start: number; blank: boolean; heading: boolean } | null = null;
  for (const line of text.split("\n")) {
    const start = offset;
    offset += line.length + 1;
    const fenceMatch = FENCE.exec(line);
    if (fence !== null) {
      // Inside a fence until a closing fence of the same kind, at least as long.
      if (fenceMatch && fenceMatch[1]![0] === fence[0] && fenceMatch[1]!.length >= fence.length && line.trim() === fenceMatch[1]) fence = null;
      previous = null;
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1]!;
      previous = null;
      continue;
    }
    const blank = line.trim() === "";
    if (ATX_HEADING.test(line)) {
      offsets.push(start);
      previous = { start, blank, heading: true };
      continue;
    }
    if (SETEXT_UNDERLINE.test(line) && previous && !previous.blank && !previous.heading) {
      offsets.push(previous.start);
      previous = { start, blank, heading: true };
      continue;
    }
    previous = { start, blank, heading: false };
  }
  return offsets;
}

/**
 * The anchors between two views: the tops, the headings both have, the ends. Headings are paired
 * only when the target has at least as many (the preview may add its own after the text, such
 * as a chart's); otherwise the views are kept together by proportion alone. Pairs that would
 * run backwards (a heading measured out of order) are dropped, so the mapping only ever moves
 * one way as the other does.
 */
export function scrollAnchors(sourceHeadings: readonly number[], targetHeadings: readonly number[], sourceMax: number, targetMax: number): Anchor[] {
  const anchors: Anchor[] = [{ source: 0, target: 0 }];
  if (targetHeadings.length >= sourceHeadings.length) {
    sourceHeadings.forEach((source, i) => {
      const target = targetHeadings[i]!;
      const last = anchors[anchors.length - 1]!;
      if (source > last.source && target >= last.target && source < sourceMax && target <= targetMax) anchors.push({ source, target });
    });
  }
  const last = anchors[anchors.length - 1]!;
  if (sourceMax > last.source)
    anchors.push({
      source: sourceMax,
      target: Math.max(targetMax, last.target),
    });
  return anchors;
}

/** The target offset for a source offset: linear between the anchors around it, clamped at the ends. */
export function mapScroll(anchors: readonly Anchor[], source: number): number {
  if (anchors.length === 0) return 0;
  const first = anchors[0]!;
  if (source <= first.source) return first.target;
  for (let i = 1; i < anchors.length; i++) {
    const a = anchors[i - 1]!;
    const b = anchors[i]!;
    if (source <= b.source) {
      const span = b.source - a.source;
      return span <= 0 ? b.target : a.target + ((source - a.source) / span) * (b.target - a.target);
    }
  }
  return anchors[anchors.length - 1]!.target;
}

/** The same anchors read the other way, for scrolling the source from the target. */
export function reverseAnchors(anchors: readonly Anchor[]): Anchor[] {
  const reversed: Anchor[] = [];
  for (const a of anchors) {
    const last = reversed[reversed.length - 1];
    // Two anchors at one target offset would make the reverse mapping jump: keep the first.
    if (last && a.target <= last.source) continue;
    reversed.push({ source: a.target, target: a.source });
  }
  return reversed;
}
