import { afterEach, describe, expect, it, vi } from "vitest";

describe("zod configuration", () => {
  afterEach(() => vi.restoreAllMocks());

  it("parses objects without compiling code (no eval for the CSP to report)", async () => {
    const constructed = vi.spyOn(globalThis, "Function");
    await import("./zod-config");
    const { z } = await import("zod");
    expect(z.config().jitless).toBe(true);
    const schema = z.object({ name: z.string(), tags: z.array(z.string()).optional() });
    expect(schema.parse({ name: "a", tags: ["b"] })).toEqual({ name: "a", tags: ["b"] });
    expect(constructed).not.toHaveBeenCalled();
  });
});
