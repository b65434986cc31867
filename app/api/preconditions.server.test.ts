import { describe, expect, it } from "vitest";
import { optionalIfMatch, preconditionFailed, requireIfMatch, versionNamed } from "./preconditions.server";

const withIfMatch = (value?: string) => new Request("http://kept.test/api/v1/x", { method: "PATCH", headers: value === undefined ? {} : { "If-Match": value } });

describe("the If-Match rule", () => {
  it("answers 428 where If-Match is required and missing or blank", async () => {
    for (const request of [withIfMatch(), withIfMatch("  ")]) {
      let thrown: unknown;
      try {
        requireIfMatch(request, "Send If-Match.");
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(Response);
      const response = thrown as Response;
      expect(response.status).toBe(428);
      expect(await response.json()).toMatchObject({ code: "PRECONDITION.REQUIRED", detail: "Send If-Match." });
    }
  });

  it("reads strong and weak ETags alike, trimmed", () => {
    expect(requireIfMatch(withIfMatch(' W/"abc.v3" '), "x")).toBe('"abc.v3"');
    expect(optionalIfMatch(withIfMatch('"abc.v3"'))).toBe('"abc.v3"');
    expect(optionalIfMatch(withIfMatch())).toBeNull();
  });

  it("takes the version only from an ETag naming the same resource", () => {
    expect(versionNamed('"letter-1.v12"', "letter-1")).toBe(12);
    expect(versionNamed('"letter-2.v12"', "letter-1")).toBeNull();
    expect(versionNamed('"letter-1.v"', "letter-1")).toBeNull();
    expect(versionNamed('"letter-1.vx"', "letter-1")).toBeNull();
    expect(versionNamed("letter-1.v1", "letter-1")).toBeNull();
    expect(versionNamed('"retro.org.FY2026-Q3.v0"', "retro.org.FY2026-Q3")).toBe(0);
  });

  it("answers a stale If-Match with 412 and the current ETag", async () => {
    const response = preconditionFailed("Read it again.", '"a.v2"', { conflict: { currentVersion: 2 } });
    expect(response.status).toBe(412);
    expect(response.headers.get("ETag")).toBe('"a.v2"');
    expect(await response.json()).toMatchObject({ code: "VERSION.CONFLICT", conflict: { currentVersion: 2 } });
  });
});
