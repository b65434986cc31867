import { describe, expect, it } from "vitest";
import { chartIds, formatBrier, formatNumber, formatPercent, scaleLength, truncate, withUnit } from "./format";

describe("chart formatting", () => {
  it("writes numbers and percentages as people do", () => {
    expect(formatNumber(12)).toBe("12");
    expect(formatNumber(1234)).toBe("1,234");
    expect(formatNumber(2.5)).toBe("2.5");
    expect(formatPercent(2 / 3)).toBe("67%");
    expect(formatPercent(0)).toBe("0%");
    expect(formatBrier(0.1432)).toBe("0.14");
  });

  it("attaches units, singular for exactly one", () => {
    expect(withUnit(3, "reasons")).toBe("3 reasons");
    expect(withUnit(1, "reasons")).toBe("1 reason");
    expect(withUnit(1, "class")).toBe("1 class");
    expect(withUnit(40, "%")).toBe("40%");
    expect(withUnit(5)).toBe("5");
  });

  it("scales lengths proportionally and never negative", () => {
    expect(scaleLength(5, 10, 300)).toBe(150);
    expect(scaleLength(10, 10, 300)).toBe(300);
    expect(scaleLength(0, 0, 300)).toBe(0);
    expect(scaleLength(-2, 10, 300)).toBe(0);
    expect(scaleLength(Number.NaN, 10, 300)).toBe(0);
  });

  it("derives stable ids from the title, or takes the one given", () => {
    expect(chartIds("Reasons — by category!")).toEqual({
      base: "chart-reasons-by-category",
      title: "chart-reasons-by-category-title",
      desc: "chart-reasons-by-category-desc",
    });
    expect(chartIds("").base).toBe("chart-untitled");
    expect(chartIds("x", "mine").title).toBe("mine-title");
  });

  it("shortens long labels with an ellipsis", () => {
    expect(truncate("short", 10)).toBe("short");
    expect(truncate("a much longer label", 10)).toBe("a much lo…");
  });
});
