// One HTTP POST of a webhook, to the address that was checked (resolveWebhookTarget): the host
// name still goes in the Host header and, for https, in SNI and the certificate check. Redirects
// are not followed (a 3xx is an answer, and a failure); the whole exchange has one deadline; at
// most EXCERPT_BYTES of the answer are read and kept.
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { ResolvedTarget } from "./webhook-target.server";

export const EXCERPT_BYTES = 1024;

export type WebhookAnswer =
  | { kind: "answered"; status: number; excerpt: string; latencyMs: number }
  | { kind: "failed"; error: string; latencyMs: number };

export async function postWebhook(
  target: ResolvedTarget,
  { headers, body, timeoutMs }: { headers: Record<string, string>; body: string; timeoutMs: number },
): Promise<WebhookAnswer> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  // Every connection this request makes goes to the checked address, never to a fresh answer from DNS.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const client = target.url.protocol === "https:" ? https : http;
  return new Promise<WebhookAnswer>((resolve) => {
    let settled = false;
    const finish = (answer: WebhookAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(answer);
    };
    const request = client.request(
      target.url,
      {
        method: "POST",
        lookup: pinned,
        headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const excerpt = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString("utf8").replace(/\uFFFD+$/, "");
          finish({ kind: "answered", status: response.statusCode ?? 0, excerpt, latencyMs: elapsed() });
          response.destroy();
        };
        response.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          // Enough to show; the rest of a large answer is not read.
          if (size >= EXCERPT_BYTES) done();
        });
        response.on("end", done);
        response.on("error", done);
        response.on("close", done);
      },
    );
    const deadline = setTimeout(() => {
      request.destroy(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    request.on("error", (error: NodeJS.ErrnoException) => {
      finish({ kind: "failed", error: error.code && !error.message.includes(error.code) ? `${error.code}: ${error.message}` : error.message, latencyMs: elapsed() });
    });
    request.end(body);
  });
}
