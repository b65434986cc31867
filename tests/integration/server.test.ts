// Process-level behaviour of the real server: what an operator relies on.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SETUP_FIELDS,
  cookieFrom,
  postForm,
  requireBuild,
  startServer,
  tempDataDir,
  type RunningServer,
  waitFor,
} from "../support/server-process";

describe("the running server (embedded database)", { timeout: 300_000 }, () => {
  let server: RunningServer;
  let data: Awaited<ReturnType<typeof tempDataDir>>;

  beforeAll(async () => {
    requireBuild();
    data = await tempDataDir();
    server = await startServer({ DATA_DIR: data.dir, BODY_LIMIT_BYTES: "4096" });
  });

  afterAll(async () => {
    await server?.stop();
    await data?.cleanup();
  });

  it("answers /healthz and /readyz", async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", database: "pglite" });
  });

  it("serves the build's files: favicon.svg, hashed assets, and no page path as a file", async () => {
    const icon = await fetch(`${server.url}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toContain("image/svg+xml");
    expect(icon.headers.get("cache-control")).toContain("max-age=3600");
    const page = await (await fetch(`${server.url}/setup`)).text();
    const asset = /\/assets\/[\w.-]+\.js/.exec(page)?.[0];
    expect(asset).toBeDefined();
    const script = await fetch(`${server.url}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get("cache-control")).toContain("immutable");
    // Neither an unknown top-level name nor an encoded one reaches the file system as a file.
    expect((await fetch(`${server.url}/favicon.svg.missing`)).status).toBe(404);
    expect((await fetch(`${server.url}/%E0%A4%A`)).status).toBeGreaterThanOrEqual(400);
  });

  it("sends security headers and a CSP nonce that Remix's scripts carry", async () => {
    const res = await fetch(`${server.url}/setup`);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    const html = await res.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    // A second request gets a different nonce.
    const again = await fetch(`${server.url}/setup`);
    expect(again.headers.get("content-security-policy")).not.toContain(nonce);
  });

  it("refuses form posts from another origin", async () => {
    const res = await fetch(`${server.url}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example" },
      body: "email=a%40b.c&password=whatever1",
    });
    expect(res.status).toBe(403);
  });

  it("refuses bodies over the limit with 413", async () => {
    const res = await postForm(server, "/login", { email: "a@example.com", password: "x".repeat(5000) });
    expect(res.status).toBe(413);
  });

  it("sets up, signs in with a HttpOnly SameSite=Lax Secure cookie, and logs without secrets", async () => {
    const setup = await postForm(server, "/setup", SETUP_FIELDS);
    expect(setup.status).toBe(302);
    expect(setup.headers.get("location")).toBe("/");
    const setCookie = setup.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^__Host-kept_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Secure/i);

    const home = await fetch(`${server.url}/`, { headers: { Cookie: cookieFrom(setup) } });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Acme Cloud");

    // Setup is gone for good.
    expect((await fetch(`${server.url}/setup`)).status).toBe(404);
    expect((await postForm(server, "/setup", { ...SETUP_FIELDS, adminEmail: "eve@example.com" })).status).toBe(404);

    // Signing in again issues a different session id.
    const login = await postForm(server, "/login", { email: SETUP_FIELDS.adminEmail, password: SETUP_FIELDS.adminPassword }, cookieFrom(setup));
    expect(login.status).toBe(302);
    expect(cookieFrom(login)).not.toBe(cookieFrom(setup));
    // …and the old one no longer works.
    const old = await fetch(`${server.url}/people`, { headers: { Cookie: cookieFrom(setup) }, redirect: "manual" });
    expect(old.status).toBe(302);
    expect(old.headers.get("location")).toContain("/login");

    // Log lines travel through a pipe; give the last one a moment to arrive.
    await waitFor(() => server.output().includes('"path":"/people"'));
    const logs = server.output();
    expect(logs).not.toContain(SETUP_FIELDS.adminPassword);
    expect(logs).not.toContain(cookieFrom(login).split("=")[1]);
    const lines = logs
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const request = lines.find((l) => (l.req as { path?: string } | undefined)?.path === "/people");
    expect(request).toMatchObject({
      req: { id: expect.any(String), method: "GET", path: "/people" },
      res: { status: 302 },
      responseTime: expect.any(Number),
    });
  });

  it("answers a forbidden change with 403 whatever the page showed", async () => {
    const admin = await postForm(server, "/login", { email: SETUP_FIELDS.adminEmail, password: SETUP_FIELDS.adminPassword });
    const adminCookie = cookieFrom(admin);
    const added = await postForm(
      server,
      "/people",
      { intent: "add", name: "Vic Viewer", email: "vic@example.com", role: "viewer", password: "viewer-pass-1" },
      adminCookie,
    );
    expect(added.status).toBe(302);
    const viewer = await postForm(server, "/login", { email: "vic@example.com", password: "viewer-pass-1" });
    const attempt = await postForm(
      server,
      "/people",
      { intent: "add", name: "Sneaky", email: "sneaky@example.com", role: "admin", password: "sneaky-pass-1" },
      cookieFrom(viewer),
    );
    expect(attempt.status).toBe(403);
    const teamAttempt = await postForm(server, "/teams", { intent: "create", name: "X", slug: "x-team" }, cookieFrom(viewer));
    expect(teamAttempt.status).toBe(403);
    const people = await (await fetch(`${server.url}/people`, { headers: { Cookie: adminCookie } })).text();
    expect(people).not.toContain("sneaky@example.com");
  });
});

describe("shutdown and restart", { timeout: 300_000 }, () => {
  it("finishes an in-flight request on SIGTERM, refuses new connections, and exits 0", async () => {
    requireBuild();
    const data = await tempDataDir();
    const server = await startServer({ DATA_DIR: data.dir });
    try {
      // A slow client: headers and half the body now, the rest after SIGTERM.
      const body = new URLSearchParams({ email: "slow@example.com", password: "slow-client-password" }).toString();
      const socket = net.connect(Number(server.port), "127.0.0.1");
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      let response = "";
      socket.on("data", (chunk) => (response += chunk.toString()));
      const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
      socket.write(
        `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: http://127.0.0.1:${server.port}\r\n` +
          `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
      );
      await new Promise((r) => setTimeout(r, 300));
      const started = Date.now();
      server.child.kill("SIGTERM");
      // On a loaded machine the signal can take a moment to be handled.
      await waitFor(() => server.output().includes("shutting down"), 8000);

      // No new connections once draining has begun.
      await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();

      socket.write(body.slice(10));
      await closed;
      expect(response).toMatch(/^HTTP\/1\.1 \d{3} /);
      const { code } = await server.exited;
      expect(code).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(server.output()).toContain("stopped cleanly");
    } finally {
      await server.stop();
      await data.cleanup();
    }
  });

  it("keeps every row across a restart on the embedded database", async () => {
    requireBuild();
    const data = await tempDataDir();
    try {
      const first = await startServer({ DATA_DIR: data.dir });
      expect((await postForm(first, "/setup", SETUP_FIELDS)).status).toBe(302);
      await first.stop();
      expect((await first.exited).code).toBe(0);

      const second = await startServer({ DATA_DIR: data.dir });
      try {
        expect((await fetch(`${second.url}/setup`)).status).toBe(404);
        const login = await postForm(second, "/login", { email: SETUP_FIELDS.adminEmail, password: SETUP_FIELDS.adminPassword });
        expect(login.status).toBe(302);
      } finally {
        await second.stop();
      }
    } finally {
      await data.cleanup();
    }
  });

  it.each([
    ["PORT", "not-a-port"],
    ["DATABASE_URL", "mysql://nope"],
    ["LOG_LEVEL", "chatty"],
  ])("exits non-zero naming %s when it is invalid", async (name, value) => {
    const data = await tempDataDir();
    try {
      const env: Record<string, string> = { DATA_DIR: data.dir, PORT: "3999", [name]: value };
      const server = await startServer(env, { waitReady: false });
      const { code } = await server.exited;
      expect(code).toBe(1);
      expect(server.output()).toContain(`${name}:`);
    } finally {
      await data.cleanup();
    }
  });
});
