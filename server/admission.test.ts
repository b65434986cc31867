import express from "express";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AdmissionGate } from "./admission";

// A real server with the gate in front of a handler that answers only when the test says so:
// which requests are running and which wait is read from the handler and the gate, not timed.
async function gatedServer(limit: number, queueLimit: number) {
  const waits: number[] = [];
  let clock = 0;
  const gate = new AdmissionGate({
    limit,
    queueLimit,
    now: () => clock,
    onAdmitted: (seconds) => waits.push(seconds),
    refuse: (_req, res) => {
      res.setHeader("Retry-After", "2");
      res.status(503).send("busy");
    },
  });
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const arrivals = new Map<string, () => void>();
  const app = express();
  app.get("/healthz", (_req, res) => res.send("ok"));
  app.use(gate.middleware);
  // A download: its headers and first page go out at once, the rest when the test says so.
  app.get("/download/:name", (req, res) => {
    const name = req.params.name;
    started.push(name);
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.write(`${name}:first page;`);
    finishers.set(name, () => res.end(`${name}:last page`));
    arrivals.get(name)?.();
  });
  app.get("/:name", (req, res) => {
    const name = req.params.name;
    started.push(name);
    finishers.set(name, () => res.send(name));
    arrivals.get(name)?.();
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => sockets.add(socket));
  return {
    gate,
    started,
    waits,
    advance: (ms: number) => (clock += ms),
    /** Resolves once the handler has started rendering `name`. */
    rendering: (name: string) =>
      started.includes(name) ? Promise.resolve() : new Promise<void>((resolve) => arrivals.set(name, resolve)),
    finish: (name: string) => finishers.get(name)!(),
    get: (name: string, signal?: AbortSignal) =>
      fetch(`${base}/${name}`, { signal }).then(async (res) => ({ status: res.status, body: await res.text(), retryAfter: res.headers.get("Retry-After") })),
    base,
    close: () => {
      sockets.forEach((socket) => socket.destroy());
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Resolves once the gate holds the given counts (each request's arrival is an I/O event). */
async function until(gate: AdmissionGate, running: number, waiting: number) {
  for (let i = 0; i < 1000; i++) {
    const now = gate.stats();
    if (now.running === running && now.waiting === waiting) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(gate.stats()).toEqual({ running, waiting });
}

describe("AdmissionGate", () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it("renders at most `limit` requests at once; the rest wait and go in arrival order as turns free up", async () => {
    const s = await gatedServer(2, 10);
    close = s.close;
    const a = s.get("a");
    const b = s.get("b");
    await Promise.all([s.rendering("a"), s.rendering("b")]);
    const c = s.get("c");
    await until(s.gate, 2, 1);
    const d = s.get("d");
    await until(s.gate, 2, 2);
    expect(s.started).toEqual(["a", "b"]);

    s.advance(250);
    s.finish("b");
    expect((await b).body).toBe("b");
    await s.rendering("c");
    expect(s.started).toEqual(["a", "b", "c"]);
    expect(s.gate.stats()).toEqual({ running: 2, waiting: 1 });

    s.advance(500);
    s.finish("a");
    await s.rendering("d");
    s.finish("c");
    s.finish("d");
    expect(await Promise.all([a, c, d])).toMatchObject([{ body: "a" }, { body: "c" }, { body: "d" }]);
    await until(s.gate, 0, 0);
    // a and b went straight in; c waited 250 ms of the fake clock, d 750.
    expect(s.waits).toEqual([0, 0, 0.25, 0.75]);
  });

  it("answers 503 with Retry-After at once when the line is full, and admits again once it has room", async () => {
    const s = await gatedServer(1, 1);
    close = s.close;
    const a = s.get("a");
    await s.rendering("a");
    const b = s.get("b");
    await until(s.gate, 1, 1);
    expect(await s.get("c")).toEqual({ status: 503, body: "busy", retryAfter: "2" });
    expect(s.started).toEqual(["a"]);

    s.finish("a");
    await s.rendering("b");
    const d = s.get("d");
    await until(s.gate, 1, 1);
    s.finish("b");
    await s.rendering("d");
    s.finish("d");
    expect(await Promise.all([a, b, d])).toMatchObject([{ status: 200 }, { status: 200 }, { status: 200, body: "d" }]);
  });

  it("drops a request whose client goes away while it waits: it is never rendered and frees its place in line", async () => {
    const s = await gatedServer(1, 1);
    close = s.close;
    const a = s.get("a");
    await s.rendering("a");
    const gaveUp = new AbortController();
    const b = s.get("b", gaveUp.signal).catch((error: unknown) => error);
    await until(s.gate, 1, 1);
    gaveUp.abort();
    await b;
    await until(s.gate, 1, 0);
    // Its place is free: another request can wait instead of being refused.
    const c = s.get("c");
    await until(s.gate, 1, 1);
    s.finish("a");
    await s.rendering("c");
    s.finish("c");
    expect(await Promise.all([a, c])).toMatchObject([{ body: "a" }, { body: "c" }]);
    expect(s.started).toEqual(["a", "c"]);
  });

  it("frees a turn when a running request's client goes away", async () => {
    const s = await gatedServer(1, 5);
    close = s.close;
    const gaveUp = new AbortController();
    const a = s.get("a", gaveUp.signal).catch((error: unknown) => error);
    await s.rendering("a");
    const b = s.get("b");
    await until(s.gate, 1, 1);
    gaveUp.abort();
    await a;
    await s.rendering("b");
    s.finish("b");
    expect((await b).body).toBe("b");
  });

  it("ends a turn when the response's headers go out, so a download's slow body does not keep pages waiting", async () => {
    const s = await gatedServer(1, 5);
    close = s.close;
    const download = fetch(`${s.base}/download/log`);
    await s.rendering("log");
    const response = await download;
    expect(response.status).toBe(200);
    // The download is still open (its last page not sent) and the turn is free again.
    await until(s.gate, 0, 0);
    const page = s.get("page");
    await s.rendering("page");
    s.finish("page");
    expect((await page).body).toBe("page");
    s.finish("log");
    expect(await response.text()).toBe("log:first page;log:last page");
  });

  it("does not hold back what is answered before it (health) when every turn is taken and the line is full", async () => {
    const s = await gatedServer(1, 0);
    close = s.close;
    const a = s.get("a");
    await s.rendering("a");
    expect((await s.get("b")).status).toBe(503);
    const health = await fetch(`${s.base}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, "ok"]);
    s.finish("a");
    await a;
  });
});
