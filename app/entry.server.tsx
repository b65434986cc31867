import "./utils/zod-config";
import { Transform, type TransformCallback } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "./utils/nonce";

const ABORT_DELAY = 5_000;
export const streamTimeout = ABORT_DELAY;

function etagMatches(header: string | null, etag: string): boolean {
  if (!header) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, "");
  return header.split(",").some((t) => t.trim() === "*" || bare(t) === bare(etag));
}

/**
 * React writes a document in 2 KB pieces and calls `flush()` after each batch it completes; each
 * piece handed on separately was a read of the web stream, a `res.write` (and a compression
 * flush) and a socket write of its own, dozens per page. This hands each batch on as one chunk,
 * so a page rendered at once leaves in one or two writes and a streamed one still streams.
 */
class BatchedHtml extends Transform {
  private pending: Buffer[] = [];

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    this.pending.push(chunk);
    done();
  }

  flush() {
    if (this.pending.length === 0) return;
    this.push(this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending));
    this.pending = [];
  }

  override _flush(done: TransformCallback) {
    this.flush();
    done();
  }
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // Pages that set an ETag (published letters, for anonymous readers) answer a matching
  // conditional GET with 304 and no body.
  const etag = responseHeaders.get("ETag");
  if (responseStatusCode === 200 && etag && request.method === "GET" && etagMatches(request.headers.get("If-None-Match"), etag)) {
    return new Response(null, { status: 304, headers: responseHeaders });
  }
  const nonce = loadContext.cspNonce;
  const bot = isbot(request.headers.get("user-agent") ?? "");
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    // A render still going after ABORT_DELAY is cut short.
    const timer = setTimeout(() => abort(), ABORT_DELAY);
    const ready = () => {
      shellRendered = true;
      const body = new BatchedHtml();
      const stream = createReadableStreamFromReadable(body);
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        // Bots and no-JS readers get the whole document at once.
        onShellReady() {
          if (!bot) ready();
        },
        onAllReady() {
          // The render is over: the timer would only hold the whole render (the loaders'
          // rows among it) for ABORT_DELAY after the response went (ADR 0052).
          clearTimeout(timer);
          if (bot) ready();
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) loadContext.logger?.error({ err: error }, "render error");
        },
      },
    );
  });
}

export const handleError: HandleErrorFunction = (error, { request, context }) => {
  // Aborted requests and "no such page" are not errors an operator needs to hear about.
  if (request.signal.aborted || (isRouteErrorResponse(error) && error.status < 500)) return;
  context.logger?.error({ err: error }, "unhandled error in loader or action");
};
