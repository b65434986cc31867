import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./session.server";

describe("safeRedirectPath", () => {
  it.each([
    ["/teams", "/teams"],
    ["/people?x=1", "/people?x=1"],
    ["/commitments?team=a&status=open#list", "/commitments?team=a&status=open#list"],
    ["/letters/2026", "/letters/2026"],
    ["/teams/./payments/../billing", "/teams/billing"],
    ["/café", "/caf%C3%A9"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
  ])("keeps the plain path %s as %s", (input, expected) => {
    expect(safeRedirectPath(input)).toBe(expected);
  });

  // Known open-redirect tricks: each must fall back to "/".
  it.each([
    "//evil.example",
    "///evil.example",
    "////evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "/\t/evil.example/phish",
    "/\t\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\r/evil.example",
    "/\u0000/evil.example",
    "/\u000b/evil.example",
    "/\u007f/evil.example",
    "/ \t/evil.example",
    "https://evil.example",
    "http://evil.example",
    "HTTPS://evil.example",
    "//evil.example/%2F..",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "evil.example",
    "@evil.example",
    "https://kept.invalid@evil.example",
    "//user:pass@evil.example",
    "/\\user@evil.example",
    "%2F%2Fevil.example",
    "%2f%2fevil.example",
    " //evil.example",
    "\t//evil.example",
    "ftp://evil.example",
    "//evil.example:443",
    "//[::1]/",
    "/..//evil.example",
    "/.//evil.example",
    "/%09/../..//evil.example",
    "",
    "/" + "a".repeat(2001),
  ])("refuses %j", (input) => {
    expect(safeRedirectPath(input)).toBe("/");
  });

  it.each([undefined, null, 42, {}, ["/teams"]])("refuses the non-string %j", (input) => {
    expect(safeRedirectPath(input)).toBe("/");
  });

  it("falls back to the given path", () => {
    expect(safeRedirectPath("//evil.example", "/login")).toBe("/login");
  });
});
