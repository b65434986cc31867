// The early answer's buffer is lent for one answer and lent again only once that answer has gone
// out (its response's 'finish'): a buffer still being written must never take another answer's
// bytes (ADR 0066). Responses here are stand-ins whose 'finish' the test fires.
import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { PageCache } from "../app/http/page-cache.server";
import type { PageValidation, PageValidations } from "../app/http/immutable-pages.server";
import { earlyImmutablePages, type EarlyResponder } from "./immutable-pages";

const validation: PageValidation = { etag: '"L.test"', lastModified: null, cacheControl: "public, max-age=300", cacheKey: "letter:2026:public:L.test" };

function setUp() {
  const cache = new PageCache(4 * 1024 * 1024);
  const filler = "x".repeat(36_000);
  cache.set(validation.cacheKey, { "content-type": "text/html; charset=utf-8" }, Buffer.from(`<script nonce="N0"></script>${filler}<script nonce="N0"></script>`), "N0");
  const validations = { listening: true, peek: () => validation } as unknown as PageValidations;
  let n = 0;
  const responder: EarlyResponder = {
    ready: () => true,
    begin: () => {
      n += 1;
      return { id: `r${n}`, nonce: `nonce${n}`, headers: [] };
    },
    done: () => {},
  };
  return { answer: earlyImmutablePages({ cache, validations, integrity: () => "null" }, responder), filler };
}

/** A request for the letter, and a response that keeps what it was given until the test says it went out. */
function exchange() {
  const req = { method: "GET", url: "/letters/2026", headers: { "accept-encoding": "identity" } } as unknown as IncomingMessage;
  const res = Object.assign(new EventEmitter(), {
    sent: null as Buffer | null,
    writeHead() {
      return res;
    },
    end(body?: Buffer) {
      res.sent = body ?? null;
    },
  });
  return { req, res, response: res as unknown as ServerResponse, wentOut: () => res.emit("finish") };
}

const sameMemory = (a: Buffer, b: Buffer) => a.buffer === b.buffer && a.byteOffset === b.byteOffset;

describe("the early answer's buffers", () => {
  it("are not lent to a second answer while the first is still going out, and are lent again once it has", () => {
    const { answer, filler } = setUp();
    const first = exchange();
    expect(answer(first.req, first.response)).toBe(true);
    const firstBytes = first.res.sent!;
    expect(firstBytes.toString()).toBe(`<script nonce="nonce1"></script>${filler}<script nonce="nonce1"></script>`);

    const second = exchange();
    expect(answer(second.req, second.response)).toBe(true);
    expect(sameMemory(second.res.sent!, firstBytes)).toBe(false);
    // The first answer's bytes are still what it was given.
    expect(firstBytes.toString()).toBe(`<script nonce="nonce1"></script>${filler}<script nonce="nonce1"></script>`);

    first.wentOut();
    const third = exchange();
    expect(answer(third.req, third.response)).toBe(true);
    expect(sameMemory(third.res.sent!, firstBytes)).toBe(true);
    expect(third.res.sent!.toString()).toBe(`<script nonce="nonce3"></script>${filler}<script nonce="nonce3"></script>`);
  });
});
