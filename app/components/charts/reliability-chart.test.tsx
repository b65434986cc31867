import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { type ReliabilityChartBucket, ReliabilityChart } from "./reliability-chart";
import { accessibleParts, elements, tableRows, textOf } from "./test-helpers";

function bucket(from: number, count = 0, meanForecast: number | null = null, observedRate: number | null = null): ReliabilityChartBucket {
  return { from, to: from + 10, count, meanForecast, observedRate };
}

// Ten buckets like the domain's summary, four of them holding forecasts.
const buckets: ReliabilityChartBucket[] = [
  bucket(0),
  bucket(10),
  bucket(20, 2, 0.2, 0.5),
  bucket(30),
  bucket(40),
  bucket(50, 8, 0.5, 0.5),
  bucket(60),
  bucket(70, 8, 0.74, 0.625),
  bucket(80),
  bucket(90, 5, 0.96, 1),
];

function texts(html: string, className: string): string[] {
  return [...html.matchAll(new RegExp(`<text class="${className}"[^>]*>([^<]*)</text>`, "g"))].map((m) => m[1] ?? "");
}

describe("ReliabilityChart", () => {
  const html = renderToStaticMarkup(<ReliabilityChart title="Calibration" buckets={buckets} brier={0.1432} n={23} />);
  const points = elements(html, "circle", "chart__point");
  const diagonal = elements(html, "line", "chart__diagonal")[0] ?? {};

  it("is a captioned figure around a labelled, described image", () => {
    expect(html).toMatch(/^<figure class="chart chart--reliability"[^>]*><figcaption/);
    expect(elements(html, "svg")[0]).toMatchObject({ role: "img", width: "100%" });
    expect(accessibleParts(html).title).toBe("Calibration");
    expect(html).not.toMatch(/\sstyle=/);
  });

  it("puts the Brier score, and how to read it, in the caption", () => {
    expect(accessibleParts(html).caption).toContain(
      "Brier score 0.14 over 23 forecasts; lower is better; 0.25 is what always saying 50% scores.",
    );
  });

  it("describes each band of forecasts with its numbers", () => {
    expect(accessibleParts(html).desc).toBe(
      "23 forecasts in 4 groups. Forecasts of 20–30% (mean 20%): 2 forecasts, 50% delivered. " +
        "Forecasts of 50–60% (mean 50%): 8 forecasts, 50% delivered. " +
        "Forecasts of 70–80% (mean 74%): 8 forecasts, 63% delivered. " +
        "Forecasts of 90–100% (mean 96%): 5 forecasts, 100% delivered. Brier score 0.14.",
    );
  });

  it("tabulates the non-empty bands with the same numbers", () => {
    expect(tableRows(html)).toEqual([
      ["Forecast", "Forecasts", "Mean forecast", "Delivered"],
      ["20–30%", "2", "20%", "50%"],
      ["50–60%", "8", "50%", "50%"],
      ["70–80%", "8", "74%", "63%"],
      ["90–100%", "5", "96%", "100%"],
    ]);
  });

  it("draws one point per non-empty band, labelled with its count", () => {
    expect(points).toHaveLength(4);
    expect(texts(html, "chart__value")).toEqual(["2", "8", "8", "5"]);
  });

  it("draws a dashed diagonal for perfect calibration from 0% to 100%", () => {
    expect(diagonal["stroke-dasharray"]).toBeDefined();
    const [x1, y1, x2, y2] = [diagonal.x1, diagonal.y1, diagonal.x2, diagonal.y2].map(Number) as [number, number, number, number];
    expect(x2 - x1).toBeCloseTo(y1 - y2, 5);
    expect(texts(html, "chart__diagonal-label")).toEqual(["Perfect calibration"]);
  });

  it("places points by forecast (x) and observed rate (y) on the same 0–100% scale", () => {
    const [x0, y0, x1] = [diagonal.x1, diagonal.y1, diagonal.x2].map(Number) as [number, number, number];
    const plot = x1 - x0;
    const at = (i: number) => ({ x: Number(points[i]?.cx), y: Number(points[i]?.cy) });
    // 50% forecast, 50% delivered: on the diagonal, halfway along it.
    expect(at(1).x - x0).toBeCloseTo(plot * 0.5, 1);
    expect(y0 - at(1).y).toBeCloseTo(plot * 0.5, 1);
    // 74% forecast, 62.5% delivered: below the diagonal (over-confident).
    expect(at(2).x - x0).toBeCloseTo(plot * 0.74, 1);
    expect(y0 - at(2).y).toBeCloseTo(plot * 0.625, 1);
    // 96% forecast, all delivered: at the top.
    expect(y0 - at(3).y).toBeCloseTo(plot, 1);
  });

  it("sizes points by how many forecasts they hold", () => {
    const r = points.map((p) => Number(p.r)) as [number, number, number, number];
    expect(r[1]).toBe(r[2]); // 8 and 8
    expect(r[1]).toBeGreaterThan(r[3]); // 8 > 5
    expect(r[3]).toBeGreaterThan(r[0]); // 5 > 2
  });

  it("writes one forecast in the singular", () => {
    const one = renderToStaticMarkup(
      <ReliabilityChart title="Calibration" buckets={[bucket(70, 1, 0.7, 1)]} brier={0.09} n={1} />,
    );
    expect(accessibleParts(one).caption).toContain("Brier score 0.09 over 1 forecast;");
  });

  it("shows a sentence instead of a chart when nothing has been forecast", () => {
    const empty = renderToStaticMarkup(
      <ReliabilityChart title="Calibration" buckets={buckets.map((b) => bucket(b.from))} brier={null} n={0} />,
    );
    expect(textOf(empty, '<p class="chart__empty">', "p")).toMatch(/^No forecasts to score yet/);
    expect(empty).not.toContain("<svg");
    expect(empty).not.toContain("<table");
    expect(empty).not.toContain("Brier");
  });

  it("renders identical markup for identical props", () => {
    expect(
      renderToStaticMarkup(<ReliabilityChart title="Calibration" buckets={buckets.map((b) => ({ ...b }))} brier={0.1432} n={23} />),
    ).toBe(html);
  });
});
