// The production server as an attacker and an operator meet it: caching headers per kind of
// route, redirects after sign-in, throttling that ignores a spoofed X-Forwarded-For, bad input
// answered 4xx, and sign-ins logged with account and address.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SETUP_FIELDS, cookieFrom, postForm, requireBuild, startServer, tempDataDir, type RunningServer } from "../support/server-process";

describe("the hardened server", { timeout: 300_000 }, () => {
  let server: RunningServer;
  let cleanup: () => Promise<void>;
  let cookie: string;
  let token: string;

  beforeAll(async () => {
    requireBuild();
    const data = await tempDataDir();
    cleanup = data.cleanup;
    server = await startServer({ DATA_DIR: data.dir, COOKIE_SECURE: "false" });
    cookie = cookieFrom(await postForm(server, "/setup", SETUP_FIELDS));
    const page = await postForm(server, "/account/tokens", { intent: "create", name: "headers", scope: "read" }, cookie);
    token = /kept_[a-z0-9]{10}_[A-Za-z0-9_-]{43}/.exec(await page.text())![0];
  });

  afterAll(async () => {
    await server?.stop();
    await cleanup?.();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers, redirect: "manual" });

  it("sends the right caching headers for each kind of route", async () => {
    const html = await (await get("/login")).text();
    const asset = /\/assets\/[^"]+\.js/.exec(html)![0];
    const rows: Array<[string, () => Promise<Response>, number, RegExp | null]> = [
      ["anonymous page", () => get("/login"), 200, null],
      ["signed-in dashboard", () => get("/", { Cookie: cookie }), 200, /^no-store$/],
      ["signed-in settings", () => get("/settings", { Cookie: cookie }), 200, /^no-store$/],
      ["signed-in token page", () => get("/account/tokens", { Cookie: cookie }), 200, /^no-store$/],
      ["signed-in data request", () => get("/teams?_data=routes%2Fteams._index", { Cookie: cookie }), 200, /^no-store$/],
      ["API with a token", () => get("/api/v1/me", { Authorization: `Bearer ${token}` }), 200, /^no-store$/],
      ["API problem", () => get("/api/v1/me"), 401, /^no-store$/],
      ["public API", () => get("/api/v1/public/letters"), 200, /^(?!no-store)/],
      ["asset", () => get(asset, { Cookie: cookie }), 200, /immutable/],
      ["health", () => get("/healthz"), 200, /^no-store$/],
      ["metrics from this machine", () => get("/metrics"), 200, /^no-store$/],
    ];
    for (const [kind, send, status, cacheControl] of rows) {
      const res = await send();
      expect(res.status, kind).toBe(status);
      const value = res.headers.get("cache-control");
      if (cacheControl) expect(value ?? "", kind).toMatch(cacheControl);
      else expect(value ?? "", kind).not.toMatch(/public|max-age=[1-9]/);
      expect(res.headers.get("content-security-policy") ?? "base-uri 'none'", kind).toContain("base-uri 'none'");
    }
  });

  it("sends a successful sign-in only to a plain path on this site, never a cacheable one", async () => {
    for (const [redirectTo, expected] of [
      ["/\t/evil.example/phish", "/"],
      ["/\n/evil.example", "/"],
      ["//evil.example", "/"],
      ["/\\evil.example", "/"],
      ["https://evil.example", "/"],
      ["/teams?x=1", "/teams?x=1"],
    ]) {
      const res = await postForm(server, "/login", { email: SETUP_FIELDS.adminEmail, password: SETUP_FIELDS.adminPassword, redirectTo: redirectTo! });
      expect(res.status, JSON.stringify(redirectTo)).toBe(302);
      expect(res.headers.get("location")).toBe(expected);
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("answers bad input with 4xx, never 5xx", async () => {
    expect((await get("/teams/%E0%A4%A")).status).toBe(400);
    expect((await get("/api/v1/people/%zz", { Authorization: `Bearer ${token}` })).status).toBe(400);
    expect((await get("/commitments/%00", { Cookie: cookie })).status).toBeLessThan(500);
    for (const [type, body] of [["application/json", '{"email":"a@b.c"}'], ["text/plain", "hello"], ["", ""]] as const) {
      const res = await fetch(`${server.url}/settings`, {
        method: "POST",
        headers: { Cookie: cookie, Origin: server.url, ...(type ? { "Content-Type": type } : {}) },
        body,
      });
      expect(res.status, type || "no type").toBeGreaterThanOrEqual(400);
      expect(res.status, type || "no type").toBeLessThan(500);
    }
    const nul = await postForm(server, "/teams", { intent: "create", name: "A\u0000B", slug: "a-b", mission: "" }, cookie);
    expect(nul.status).toBeLessThan(500);
  });

  it("counts sign-ins by the connection's address, whatever X-Forwarded-For claims, and logs account and address", async () => {
    let throttledAt = 0;
    for (let i = 1; i <= 25 && !throttledAt; i++) {
      const res = await fetch(`${server.url}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, "X-Forwarded-For": `198.51.100.${i}` },
        body: new URLSearchParams({ email: `nobody${i}@example.com`, password: "wrong password" }).toString(),
      });
      if (res.status === 429) throttledAt = i;
      else expect(res.status).toBe(401);
    }
    // Earlier tests here signed in from the same address; the address lock comes at the 21st
    // failure at the latest.
    expect(throttledAt).toBeGreaterThan(0);
    expect(throttledAt).toBeLessThanOrEqual(21);
    const lines = server
      .output()
      .split("\n")
      .filter((l) => l.includes('"sign-in refused"'))
      .map((l) => JSON.parse(l) as { account?: string; address?: string });
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.account).toMatch(/@example\.com$/);
      expect(line.address).toMatch(/127\.0\.0\.1$/);
    }
  });
});
