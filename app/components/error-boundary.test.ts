import { describe, expect, it } from "vitest";
import { isNoAnswer } from "./error-boundary";

describe("isNoAnswer: the browser's own errors when no answer from Kept arrived", () => {
  it("recognises a dropped connection in each browser's wording and an answer Remix cannot decode", () => {
    expect(isNoAnswer(new TypeError("Failed to fetch"))).toBe(true);
    expect(isNoAnswer(new TypeError("NetworkError when attempting to fetch resource."))).toBe(true);
    expect(isNoAnswer(new TypeError("Load failed"))).toBe(true);
    expect(isNoAnswer(new Error("Unable to decode turbo-stream response from URL: https://kept.example/teams.data"))).toBe(true);
  });

  it("leaves Kept's own errors to their status: a server error, a thrown response, anything not an Error", () => {
    expect(isNoAnswer(new Error("Unexpected Server Error"))).toBe(false);
    expect(isNoAnswer(new TypeError("Cannot read properties of undefined (reading 'map')"))).toBe(false);
    expect(isNoAnswer(new Error("An upload failed: Load failed"))).toBe(false);
    expect(isNoAnswer({ status: 503, statusText: "Service Unavailable", data: "busy", internal: false })).toBe(false);
    expect(isNoAnswer("Failed to fetch")).toBe(false);
    expect(isNoAnswer(null)).toBe(false);
  });
});
