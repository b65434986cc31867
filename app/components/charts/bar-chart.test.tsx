import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { BAR_MAX, BreakdownBars, OutcomeBars } from "./bar-chart";
import { accessibleParts, elements, tableRows, textOf } from "./test-helpers";

const counts = { delivered: 8, partial: 2, missed: 4, withdrawn: 1, open: 0 };

function bars(html: string) {
  return elements(html, "rect", "chart__bar");
}
function widths(html: string): number[] {
  return bars(html).map((r) => Number(r.width));
}
function svgTexts(html: string, className: string): string[] {
  return [...html.matchAll(new RegExp(`<text class="${className}"[^>]*>([^<]*)</text>`, "g"))].map((m) => m[1] ?? "");
}

describe("OutcomeBars", () => {
  const html = renderToStaticMarkup(<OutcomeBars title="Outcomes, FY2026-Q1" counts={counts} />);

  it("is a figure captioned by its title around one labelled, described image", () => {
    expect(html.startsWith('<figure class="chart chart--outcomes"')).toBe(true);
    expect(html).toMatch(/^<figure[^>]*><figcaption/);
    const svg = elements(html, "svg")[0];
    expect(svg).toMatchObject({
      role: "img",
      width: "100%",
      "aria-labelledby": "chart-outcomes-fy2026-q1-title",
      "aria-describedby": "chart-outcomes-fy2026-q1-desc",
    });
    expect(svg?.viewBox).toMatch(/^0 0 \d+ \d+$/);
    expect(svg?.height).toBeUndefined();
    const parts = accessibleParts(html);
    expect(parts.title).toBe("Outcomes, FY2026-Q1");
    expect(parts.caption).toContain("Outcomes, FY2026-Q1");
  });

  it("says every count in words in the description", () => {
    expect(accessibleParts(html).desc).toBe(
      "15 commitments: 8 delivered, 2 partially delivered, 4 missed, 1 withdrawn, 0 open.",
    );
  });

  it("draws the outcomes in the fixed order, whatever order the counts come in", () => {
    const shuffled = renderToStaticMarkup(
      <OutcomeBars title="t" counts={{ open: 0, withdrawn: 1, missed: 4, partial: 2, delivered: 8 }} />,
    );
    const order = ["Delivered", "Partially delivered", "Missed", "Withdrawn", "Open"];
    expect(svgTexts(html, "chart__label")).toEqual(order);
    expect(svgTexts(shuffled, "chart__label")).toEqual(order);
    expect(bars(html).map((b) => b.class)).toEqual([
      "chart__bar chart__bar--delivered",
      "chart__bar chart__bar--partial",
      "chart__bar chart__bar--missed",
      "chart__bar chart__bar--withdrawn",
      "chart__bar chart__bar--open",
    ]);
  });

  it("makes bar lengths proportional to the counts, the largest filling the scale", () => {
    const [delivered, partial, missed, withdrawn, open] = widths(html) as [number, number, number, number, number];
    expect(delivered).toBe(BAR_MAX);
    expect(delivered).toBeCloseTo(missed * 2, 5);
    expect(missed).toBeCloseTo(partial * 2, 5);
    expect(delivered).toBeCloseTo(withdrawn * 8, 1);
    expect(open).toBe(0);
  });

  it("writes each count at the end of its bar", () => {
    expect(svgTexts(html, "chart__value")).toEqual(["8", "2", "4", "1", "0"]);
    const values = elements(html, "text", "chart__value");
    widths(html).forEach((w, i) => expect(Number(values[i]?.x)).toBeCloseTo(w + 6, 5));
  });

  it("colours bars from the palette as attributes and never uses an inline style", () => {
    expect(html).not.toMatch(/\sstyle=/);
    expect(bars(html).map((b) => b.fill)).toEqual(["#1f6b3a", "#7a5300", "#a3231b", "#6b7570", "#2f4a8a"]);
  });

  it("repeats the numbers, with shares, in a data table behind a Show data toggle", () => {
    expect(html).toContain("<details class=\"chart__data\"><summary>Show data</summary>");
    expect(tableRows(html)).toEqual([
      ["Outcome", "Commitments", "Share"],
      ["Delivered", "8", "53%"],
      ["Partially delivered", "2", "13%"],
      ["Missed", "4", "27%"],
      ["Withdrawn", "1", "7%"],
      ["Open", "0", "0%"],
      ["Total", "15", "100%"],
    ]);
  });

  it("shows a sentence, not an empty chart, when there are no commitments", () => {
    const empty = renderToStaticMarkup(
      <OutcomeBars title="Outcomes" counts={{ delivered: 0, partial: 0, missed: 0, withdrawn: 0, open: 0 }} />,
    );
    expect(empty).toContain('<figcaption class="chart__caption"><span class="chart__title">Outcomes</span></figcaption>');
    expect(textOf(empty, '<p class="chart__empty">', "p")).toBe("No commitments to show.");
    expect(empty).not.toContain("<svg");
    expect(empty).not.toContain("<table");
  });

  it("renders the same markup for the same props, and takes an id for a repeated title", () => {
    const again = renderToStaticMarkup(<OutcomeBars title="Outcomes, FY2026-Q1" counts={{ ...counts }} />);
    expect(again).toBe(html);
    const other = renderToStaticMarkup(<OutcomeBars title="Outcomes, FY2026-Q1" counts={counts} id="team-a-outcomes" />);
    expect(elements(other, "svg")[0]?.["aria-labelledby"]).toBe("team-a-outcomes-title");
    expect(other).toContain('<title id="team-a-outcomes-title">');
  });

  it("formats large counts as people write them", () => {
    const big = renderToStaticMarkup(
      <OutcomeBars title="All" counts={{ delivered: 1234, partial: 0, missed: 0, withdrawn: 0, open: 0 }} />,
    );
    expect(accessibleParts(big).desc).toContain("1,234 delivered");
    expect(svgTexts(big, "chart__value")[0]).toBe("1,234");
  });
});

describe("BreakdownBars", () => {
  const items = [
    { label: "Underestimated scope", value: 4 },
    { label: "Dependency or external blocker", value: 2 },
    { label: "Execution shortfall", value: 1 },
    { label: "Badly specified commitment", value: 0 },
  ];
  const html = renderToStaticMarkup(<BreakdownBars title="Reasons by category" items={items} unit="reasons" />);

  it("has the accessible figure, image, title and description", () => {
    const svg = elements(html, "svg")[0];
    expect(svg?.role).toBe("img");
    expect(svg?.width).toBe("100%");
    const parts = accessibleParts(html);
    expect(parts.title).toBe("Reasons by category");
    expect(parts.caption).toContain("Reasons by category");
    expect(parts.desc).toBe(
      "Underestimated scope: 4 reasons; Dependency or external blocker: 2 reasons; Execution shortfall: 1 reason; Badly specified commitment: 0 reasons. Total 7 reasons.",
    );
  });

  it("keeps zero rows, drawn as 0 with no bar length", () => {
    expect(svgTexts(html, "chart__label")).toEqual(items.map((i) => i.label));
    expect(svgTexts(html, "chart__value")).toEqual(["4", "2", "1", "0"]);
    expect(widths(html)[3]).toBe(0);
  });

  it("makes a value twice as big a bar twice as long", () => {
    const [four, two, one] = widths(html) as [number, number, number];
    expect(four).toBe(BAR_MAX);
    expect(four).toBeCloseTo(two * 2, 5);
    expect(two).toBeCloseTo(one * 2, 5);
  });

  it("repeats labels and numbers in the data table", () => {
    expect(tableRows(html)).toEqual([
      ["Category", "Reasons"],
      ["Underestimated scope", "4"],
      ["Dependency or external blocker", "2"],
      ["Execution shortfall", "1"],
      ["Badly specified commitment", "0"],
    ]);
    expect(html).not.toMatch(/\sstyle=/);
  });

  it("says 'No reasons recorded' instead of drawing all-zero data", () => {
    const zero = renderToStaticMarkup(
      <BreakdownBars title="By control" items={[{ label: "In our control", value: 0 }, { label: "Outside our control", value: 0 }]} />,
    );
    expect(textOf(zero, '<p class="chart__empty">', "p")).toBe("No reasons recorded.");
    expect(zero).toContain("By control");
    expect(zero).not.toContain("<svg");
    expect(zero).not.toContain("<table");
    const none = renderToStaticMarkup(<BreakdownBars title="Nothing" items={[]} emptyText="Nothing to count." />);
    expect(textOf(none, '<p class="chart__empty">', "p")).toBe("Nothing to count.");
  });

  it("shortens a very long label in the drawing but keeps it whole in words and table", () => {
    const long = "A reason label so long that it would run off the right-hand edge of a phone screen";
    const out = renderToStaticMarkup(<BreakdownBars title="Long" items={[{ label: long, value: 3 }]} />);
    const drawn = svgTexts(out, "chart__label")[0] ?? "";
    expect(drawn.endsWith("…")).toBe(true);
    expect(drawn.length).toBeLessThanOrEqual(48);
    expect(accessibleParts(out).desc).toContain(long);
    expect(tableRows(out)[1]?.[0]).toBe(long);
  });

  it("writes percentages with a % sign when the unit is %", () => {
    const pct = renderToStaticMarkup(
      <BreakdownBars title="Share" unit="%" labelHeading="Control" items={[{ label: "Ours", value: 60 }, { label: "External", value: 40 }]} />,
    );
    expect(svgTexts(pct, "chart__value")).toEqual(["60%", "40%"]);
    expect(accessibleParts(pct).desc).toBe("Ours: 60%; External: 40%.");
    expect(tableRows(pct)[0]).toEqual(["Control", "Percent"]);
  });
});
