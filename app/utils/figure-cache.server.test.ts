import { describe, expect, it } from "vitest";
import { ALL_LABELS, FigureCache } from "./figure-cache.server";

/** A count that says how often it ran, and can be held open until released. */
function counter() {
  let runs = 0;
  let release: (() => void) | null = null;
  let hold = false;
  return {
    get runs() {
      return runs;
    },
    holdNext() {
      hold = true;
    },
    release() {
      release?.();
      release = null;
    },
    count: async () => {
      runs += 1;
      const value = runs;
      if (hold) {
        hold = false;
        await new Promise<void>((resolve) => (release = resolve));
      }
      return value;
    },
  };
}

describe("FigureCache", () => {
  it("keeps nothing while not listening: every ask counts", async () => {
    const cache = new FigureCache();
    const c = counter();
    expect(await cache.get("k", ["FY2026"], c.count)).toBe(1);
    expect(await cache.get("k", ["FY2026"], c.count)).toBe(2);
    expect(cache.stats().entries).toBe(0);
  });

  it("keeps a figure while listening until a change names one of its labels", async () => {
    const cache = new FigureCache();
    cache.setListening(true);
    const c = counter();
    const labels = ["FY2026", "FY2026-Q1"];
    expect(await cache.get("k", labels, c.count)).toBe(1);
    expect(await cache.get("k", labels, c.count)).toBe(1);
    cache.changed("FY2025,FY2025-Q4");
    expect(await cache.get("k", labels, c.count), "another year's change leaves it").toBe(1);
    cache.changed("FY2025-Q4,FY2026-Q1");
    expect(await cache.get("k", labels, c.count), "a change to one of its labels drops it").toBe(2);
    cache.changed(ALL_LABELS);
    expect(await cache.get("k", labels, c.count)).toBe(3);
    expect(c.runs).toBe(3);
  });

  it("forgets everything when the connection is lost, and keeps nothing until it listens again", async () => {
    const cache = new FigureCache();
    cache.setListening(true);
    const c = counter();
    await cache.get("k", ["FY2026"], c.count);
    cache.setListening(false);
    expect(await cache.get("k", ["FY2026"], c.count)).toBe(2);
    expect(await cache.get("k", ["FY2026"], c.count)).toBe(3);
    cache.setListening(true);
    expect(await cache.get("k", ["FY2026"], c.count)).toBe(4);
    expect(await cache.get("k", ["FY2026"], c.count)).toBe(4);
  });

  it("shares one count among concurrent askers, and does not keep a count a change overtook", async () => {
    const cache = new FigureCache();
    cache.setListening(true);
    const c = counter();
    c.holdNext();
    const first = cache.get("k", ["FY2026"], c.count);
    const second = cache.get("k", ["FY2026"], c.count);
    // The change is committed while the count runs: the count may predate it.
    cache.changed("FY2026");
    const third = cache.get("k", ["FY2026"], c.count);
    c.release();
    expect(await first).toBe(1);
    expect(await second, "asked before the change: shares the count").toBe(1);
    expect(await third, "asked after the change: counts anew").toBe(2);
    expect(await cache.get("k", ["FY2026"], c.count), "the count begun after the change is kept").toBe(2);
    expect(c.runs).toBe(2);
  });

  it("drops a count that failed, so the next ask counts again", async () => {
    const cache = new FigureCache();
    cache.setListening(true);
    await expect(cache.get("k", ["FY2026"], () => Promise.reject(new Error("statement timeout")))).rejects.toThrow("statement timeout");
    expect(await cache.get("k", ["FY2026"], () => Promise.resolve(7))).toBe(7);
  });

  it("is bounded, least recently used out first", async () => {
    const cache = new FigureCache(2);
    cache.setListening(true);
    const c = counter();
    await cache.get("a", ["FY2026"], c.count); // 1
    await cache.get("b", ["FY2026"], c.count); // 2
    await cache.get("a", ["FY2026"], c.count); // hit: a is now the most recent
    await cache.get("c", ["FY2026"], c.count); // 3, b goes
    expect(cache.stats().entries).toBe(2);
    expect(await cache.get("a", ["FY2026"], c.count)).toBe(1);
    expect(await cache.get("b", ["FY2026"], c.count)).toBe(4);
  });
});
