// The benchmark's anchor (scripts/bench-http.ts): a bare node:http server answering every request
// with BYTES bytes, or a 304 when STATUS is 304. Run as a script, it listens on 127.0.0.1 in a
// process of its own, as the server under test runs, prints its port and runs until SIGTERM;
// bench-http.ts also imports `bareHandler` to run the same answer inside its own process.
import http from "node:http";
import { pathToFileURL } from "node:url";

/** The request handler: `bytes` bytes of HTML, or a 304 when `status` is 304. */
export function bareHandler(bytes, status) {
  const body = Buffer.alloc(Math.max(0, Math.round(bytes)), "x");
  return (_req, res) => {
    if (status === 304) {
      res.writeHead(304, { ETag: '"bench"' });
      res.end();
      return;
    }
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Length": body.length });
    res.end(body);
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const server = http.createServer(bareHandler(Number(process.env.BYTES ?? 0), Number(process.env.STATUS ?? 200)));
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    process.stdout.write(`${typeof address === "object" && address ? address.port : 0}\n`);
  });
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}
