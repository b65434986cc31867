import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RateTrend, type RatePoint } from "./line-chart";
import { accessibleParts, elements, tableRows, textOf } from "./test-helpers";

const points: RatePoint[] = [
  { label: "FY2025-Q3", rate: 0.5, n: 4 },
  { label: "FY2025-Q4", rate: 1, n: 3 },
  { label: "FY2026-Q1", rate: null, n: 0 },
  { label: "FY2026-Q2", rate: 0, n: 2 },
  { label: "FY2026-Q3", rate: 2 / 3, n: 6 },
];

function texts(html: string, className: string): string[] {
  return [...html.matchAll(new RegExp(`<text class="${className}"[^>]*>([^<]*)</text>`, "g"))].map((m) => m[1] ?? "");
}
function polylinePoints(html: string): Array<Array<[number, number]>> {
  return elements(html, "polyline", "chart__line").map((l) =>
    (l.points ?? "").split(" ").map((pair) => pair.split(",").map(Number) as [number, number]),
  );
}

describe("RateTrend", () => {
  const html = renderToStaticMarkup(<RateTrend title="Delivery rate by quarter" points={points} />);
  const circles = elements(html, "circle", "chart__point");

  it("is a captioned figure around a labelled, described image", () => {
    expect(html).toMatch(/^<figure class="chart chart--trend"[^>]*><figcaption/);
    const svg = elements(html, "svg")[0];
    expect(svg).toMatchObject({ role: "img", width: "100%" });
    const parts = accessibleParts(html);
    expect(parts.title).toBe("Delivery rate by quarter");
    expect(parts.caption).toContain("Delivery rate by quarter");
    expect(html).not.toMatch(/\sstyle=/);
  });

  it("states every period's rate and base in the description", () => {
    expect(accessibleParts(html).desc).toBe(
      "Delivery rate by period. FY2025-Q3: 50% of 4 resolved commitments; FY2025-Q4: 100% of 3 resolved commitments; " +
        "FY2026-Q1: no rate, no resolved commitments; FY2026-Q2: 0% of 2 resolved commitments; " +
        "FY2026-Q3: 67% of 6 resolved commitments.",
    );
  });

  it("repeats the numbers in the data table, noting the period with nothing resolved", () => {
    expect(tableRows(html)).toEqual([
      ["Period", "Delivery rate", "Resolved commitments"],
      ["FY2025-Q3", "50%", "4"],
      ["FY2025-Q4", "100%", "3"],
      ["FY2026-Q1", "No resolved commitments", "0"],
      ["FY2026-Q2", "0%", "2"],
      ["FY2026-Q3", "67%", "6"],
    ]);
  });

  it("draws a y axis from 0% to 100% and places points in proportion to the rate", () => {
    expect(texts(html, "chart__tick").slice(0, 5)).toEqual(["0%", "25%", "50%", "75%", "100%"]);
    // Four points with a rate; the null period has none.
    expect(circles).toHaveLength(4);
    const [half, full, zero, twoThirds] = circles.map((c) => Number(c.cy)) as [number, number, number, number];
    const baseline = zero;
    const height = baseline - full;
    expect(height).toBeGreaterThan(0);
    expect(baseline - half).toBeCloseTo(height / 2, 1);
    expect(baseline - twoThirds).toBeCloseTo((height * 2) / 3, 1);
    expect(texts(html, "chart__value")).toEqual(["50%", "100%", "0%", "67%"]);
  });

  it("leaves a gap for a period with no rate instead of drawing through it", () => {
    const lines = polylinePoints(html);
    // 50% → 100% before the gap, 0% → 67% after it; nothing joins across the null period.
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => l.length)).toEqual([2, 2]);
    const gapX = Number(elements(html, "text", "chart__gap")[0]?.x);
    for (const line of lines) {
      const xs = line.map(([x]) => x);
      expect(Math.min(...xs) > gapX || Math.max(...xs) < gapX).toBe(true);
    }
    expect(texts(html, "chart__gap")).toEqual(["no data"]);
  });

  it("draws no line at all when every rated period stands alone", () => {
    const alone = renderToStaticMarkup(
      <RateTrend
        title="Sparse"
        points={[
          { label: "FY2026-Q1", rate: 0.4, n: 5 },
          { label: "FY2026-Q2", rate: null, n: 0 },
          { label: "FY2026-Q3", rate: 0.8, n: 5 },
        ]}
      />,
    );
    expect(elements(alone, "polyline")).toHaveLength(0);
    expect(elements(alone, "circle", "chart__point")).toHaveLength(2);
  });

  it("labels each period and its base under the axis, left to right", () => {
    expect(texts(html, "chart__label")).toEqual(points.map((p) => p.label));
    expect(texts(html, "chart__tick").slice(5)).toEqual(["n = 4", "n = 3", "n = 0", "n = 2", "n = 6"]);
    const xs = elements(html, "text", "chart__label").map((t) => Number(t.x));
    const width = Number(elements(html, "svg")[0]?.viewBox?.split(" ")[2]);
    xs.forEach((x, i) => {
      if (i > 0) expect(x).toBeGreaterThan(xs[i - 1] as number);
      expect(x).toBeLessThan(width);
    });
  });

  it("writes one resolved commitment in the singular", () => {
    const one = renderToStaticMarkup(<RateTrend title="One" points={[{ label: "FY2026-Q1", rate: 1, n: 1 }]} />);
    expect(accessibleParts(one).desc).toContain("FY2026-Q1: 100% of 1 resolved commitment.");
  });

  it("shows a sentence when there are no periods", () => {
    const empty = renderToStaticMarkup(<RateTrend title="Delivery rate" points={[]} />);
    expect(textOf(empty, '<p class="chart__empty">', "p")).toBe("No periods to show yet.");
    expect(empty).not.toContain("<svg");
  });

  it("renders identical markup for identical props", () => {
    expect(renderToStaticMarkup(<RateTrend title="Delivery rate by quarter" points={points.map((p) => ({ ...p }))} />)).toBe(html);
  });
});
