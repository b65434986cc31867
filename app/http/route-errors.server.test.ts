import { describe, expect, it } from "vitest";
import { UuidSchema } from "~/schemas/common";
import { notFound, pageError, requireParam, throwIfNotTheirs } from "./route-errors.server";

async function thrown(fn: () => unknown): Promise<{ status: number; body: string }> {
  try {
    fn();
  } catch (error) {
    if (error instanceof Response) return { status: error.status, body: await error.text() };
    throw error;
  }
  throw new Error("nothing was thrown");
}

describe("UI route errors", () => {
  it("a 404 page says the message", async () => {
    const response = notFound("There is no team at this address.");
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("There is no team at this address.");
  });

  it("requireParam returns the parsed parameter and throws 404 with the message otherwise", async () => {
    const id = "0b6f8f7e-3f0c-4a4e-9d55-2d7f4f7b1c11";
    expect(requireParam({ id }, "id", UuidSchema, "gone")).toBe(id);
    expect(await thrown(() => requireParam({ id: "not-a-uuid" }, "id", UuidSchema, "That commitment does not exist."))).toEqual({
      status: 404,
      body: "That commitment does not exist.",
    });
    expect(await thrown(() => requireParam({}, "id", UuidSchema, "gone"))).toEqual({ status: 404, body: "gone" });
  });

  it("pageError maps NOT_FOUND to 404 (the page's message first), FORBIDDEN to 403 and others by their status", async () => {
    const missing = pageError({ code: "NOT_FOUND", message: "service words" }, "page words");
    expect([missing.status, await missing.text()]).toEqual([404, "page words"]);
    const missingOwn = pageError({ code: "NOT_FOUND", message: "service words" });
    expect([missingOwn.status, await missingOwn.text()]).toEqual([404, "service words"]);
    const refused = pageError({ code: "FORBIDDEN", message: "Only editors." });
    expect([refused.status, await refused.text()]).toEqual([403, "Only editors."]);
    const conflict = pageError({ code: "VERSION.CONFLICT", message: "Changed meanwhile." });
    expect([conflict.status, await conflict.text()]).toEqual([409, "Changed meanwhile."]);
  });

  it("throwIfNotTheirs throws for NOT_FOUND and a field-less FORBIDDEN, and returns for what the form shows", async () => {
    expect(await thrown(() => throwIfNotTheirs({ code: "NOT_FOUND", message: "x" }, "That commitment does not exist."))).toEqual({
      status: 404,
      body: "That commitment does not exist.",
    });
    expect(await thrown(() => throwIfNotTheirs({ code: "FORBIDDEN", message: "No." }))).toEqual({ status: 403, body: "No." });
    expect(() => throwIfNotTheirs({ code: "FORBIDDEN", message: "Not that team.", field: "teamId" })).not.toThrow();
    expect(() => throwIfNotTheirs({ code: "VALIDATION", message: "Bad.", field: "statement" })).not.toThrow();
  });
});
