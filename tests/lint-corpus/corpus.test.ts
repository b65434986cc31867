import { describe, expect, it } from "vitest";
import { DEFAULT_MIN_PUBLIC_SCORE } from "~/domain/falsifiability";
import { HELD_OUT } from "./held-out";
import { MODES, SPLITS, evaluate, thresholdSweep } from "./evaluate";
import { TUNING } from "./tuning";

const whole = [...TUNING, ...HELD_OUT];

describe("the labelled corpus", () => {
  it("holds at least 300 distinct statements, both labels, every kind, each with a reason", () => {
    expect(whole.length).toBeGreaterThanOrEqual(300);
    expect(new Set(whole.map((e) => e.statement.trim().toLowerCase())).size).toBe(whole.length);
    const vague = whole.filter((e) => e.label === "vague").length;
    expect(vague / whole.length).toBeGreaterThan(0.35);
    expect(vague / whole.length).toBeLessThan(0.65);
    expect(new Set(whole.map((e) => e.kind))).toEqual(
      new Set(["reliability", "roadmap", "security", "support", "pricing", "regional", "sustainability", "accessibility", "okr"]),
    );
    for (const e of whole) expect(e.reason.trim()).not.toBe("");
    // The held-out part is a real share of the corpus, not a token sample.
    expect(HELD_OUT.length).toBeGreaterThanOrEqual(80);
  });
});

describe("the linter on the corpus", () => {
  it.each(MODES)("is at least 95 percent accurate on the whole corpus in %s mode", (mode) => {
    const figures = evaluate(mode, whole);
    const misses = figures.misses.map((m) => `labelled ${m.entry.label}: ${m.entry.statement}`).join("\n");
    expect(figures.accuracy, `misses:\n${misses}`).toBeGreaterThanOrEqual(0.95);
  });

  it("the default minimum is where the corpus is best separated with every field filled in", () => {
    const sweep = thresholdSweep(SPLITS.find((s) => s.name === "whole corpus")!.entries);
    const best = Math.max(...sweep.map((t) => t.accuracy));
    expect(sweep.find((t) => t.minimum === DEFAULT_MIN_PUBLIC_SCORE)?.accuracy).toBe(best);
  });
});
