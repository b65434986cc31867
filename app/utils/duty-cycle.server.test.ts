import { describe, expect, it } from "vitest";
import { DutyCycle, yieldingPace, type Pace } from "./duty-cycle.server";

/** A clock moved by hand and a sleep that only records how long it was asked to rest (and moves the clock). */
function fakeTime() {
  let t = 1_000;
  const rests: number[] = [];
  return {
    advance: (ms: number) => void (t += ms),
    now: () => t,
    sleep: (ms: number) => {
      rests.push(ms);
      t += ms;
      return Promise.resolve();
    },
    rests,
  };
}

describe("DutyCycle", () => {
  it("lets a slice shorter than sliceMs run on, and rests after a longer one so the job is busy for its share of the time", async () => {
    const time = fakeTime();
    const pace: Pace = new DutyCycle({ share: 0.25, sliceMs: 5, now: time.now, sleep: time.sleep });
    time.advance(3);
    expect(pace.step(100)).toBeUndefined();
    time.advance(3);
    await pace.step(100);
    expect(time.rests).toEqual([18]);
    // The next slice is measured from the end of the rest, not from the start.
    time.advance(4);
    expect(pace.step(100)).toBeUndefined();
    time.advance(6);
    await pace.step(100);
    expect(time.rests).toEqual([18, 30]);
  });

  it("at a share of 1 only gives the event loop a turn after each slice", async () => {
    const time = fakeTime();
    const pace: Pace = new DutyCycle({ share: 1, sliceMs: 10, now: time.now, sleep: time.sleep });
    time.advance(12);
    await pace.step(1);
    expect(time.rests).toEqual([0]);
  });

  it("refuses a share outside (0, 1]", () => {
    expect(() => new DutyCycle({ share: 0, sliceMs: 5 })).toThrow(/between 0 and 1/);
    expect(() => new DutyCycle({ share: 1.5, sliceMs: 5 })).toThrow(/between 0 and 1/);
  });

  it("the yielding pace really yields: something scheduled on the event loop runs before a slice past its time continues", async () => {
    const pace = yieldingPace(0);
    let ran = false;
    setImmediate(() => (ran = true));
    await pace.step(1);
    expect(ran).toBe(true);
  });
});
