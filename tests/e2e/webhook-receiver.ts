// A webhook receiver on 127.0.0.1 for the browser specs: the e2e server allows private targets
// (WEBHOOKS_ALLOW_PRIVATE_TARGETS in scripts/e2e-server.mjs), so the specs' webhooks deliver
// here and nothing a spec registers ever reaches outside this machine.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { expect } from "./fixtures";

export interface ReceivedDelivery {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface WebhookReceiver {
  /** http://127.0.0.1:<port> */
  base: string;
  received: ReceivedDelivery[];
  /** Waits for a delivery to `path` beyond the first `after` ones, and returns it. */
  delivery(path: string, options?: { after?: number; timeout?: number }): Promise<ReceivedDelivery>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : (value ?? "")]));
      received.push({ path: req.url ?? "/", headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end("received");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    received,
    async delivery(path, { after = 0, timeout = 60_000 } = {}) {
      let found: ReceivedDelivery | undefined;
      await expect(() => {
        found = received.filter((d) => d.path === path)[after];
        expect(found, `a delivery to ${path}`).toBeDefined();
      }).toPass({ timeout });
      return found!;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The delivery's payload, after checking its Standard Webhooks signature against `secret`. */
export function verifiedPayload(delivery: ReceivedDelivery, secret: string): unknown {
  return new Webhook(secret).verify(delivery.body, delivery.headers);
}
