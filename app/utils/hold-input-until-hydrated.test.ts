import { describe, expect, it } from "vitest";
import { DISCRETE_EVENTS, holdInputUntilHydrated, releaseHeldInput } from "./hold-input-until-hydrated";

function fakeWindow() {
  const listeners = new Map<string, Set<(e: Event) => void>>();
  return {
    listeners,
    addEventListener(type: string, listener: (e: Event) => void, options: { capture: boolean }) {
      expect(options.capture).toBe(true);
      (listeners.get(type) ?? listeners.set(type, new Set()).get(type)!).add(listener);
    },
    removeEventListener(type: string, listener: (e: Event) => void) {
      listeners.get(type)?.delete(listener);
    },
  };
}

describe("holdInputUntilHydrated", () => {
  it("stops every discrete event from propagating, without preventing its default action", () => {
    const target = fakeWindow();
    holdInputUntilHydrated(target);
    for (const type of DISCRETE_EVENTS) {
      const event = new Event(type, { cancelable: true });
      let stopped = false;
      event.stopImmediatePropagation = () => (stopped = true);
      for (const l of target.listeners.get(type) ?? []) l(event);
      expect(stopped, type).toBe(true);
      expect(event.defaultPrevented, type).toBe(false);
    }
  });

  it("lets everything through once released, and releasing twice is harmless", () => {
    const target = fakeWindow();
    const release = holdInputUntilHydrated(target);
    release();
    release();
    for (const type of ["click", "keydown", "submit"]) expect(target.listeners.get(type)?.size, type).toBe(0);
  });
});

describe("releaseHeldInput", () => {
  it("releases the hold in place, and does nothing when nothing is held", () => {
    releaseHeldInput();
    const target = fakeWindow();
    holdInputUntilHydrated(target);
    expect(target.listeners.get("click")?.size).toBe(1);
    releaseHeldInput();
    expect(target.listeners.get("click")?.size).toBe(0);
    releaseHeldInput();
  });
});
