// Buffers for the answers written in one piece (server/immutable-pages.ts: a cached page with
// this request's nonce put back). Each is lent for one answer and handed back once that answer
// has gone to the kernel (the response's 'finish'), then lent again. A new buffer for every
// answer made the kernel and the CPU caches meet fresh memory each time: measured on a bare
// node:http server sending 37 KB, 74–86 µs of CPU an answer against 43–63 µs when the bytes were
// copied into a buffer used again (ADR 0066).

/** The smallest buffer lent: a letter page is about 37 KB. */
const SMALLEST = 16 * 1024;

export interface AnswerBufferLoan {
  /** Exactly the bytes asked for. What they hold is undefined: the borrower writes every one. */
  bytes: Buffer;
  /** Hands the buffer back. Call it once the answer's bytes are out of node's hands, or never. */
  release(): void;
}

export class AnswerBuffers {
  private readonly free = new Map<number, Buffer[]>();
  private freeBytes = 0;

  /** `maxFreeBytes`: the most kept between answers; past it, a handed-back buffer is left to the collector. */
  constructor(private readonly maxFreeBytes = 4 * 1024 * 1024) {}

  take(length: number): AnswerBufferLoan {
    const size = sizeFor(length);
    const kept = this.free.get(size)?.pop();
    if (kept) this.freeBytes -= size;
    const buffer = kept ?? Buffer.allocUnsafeSlow(size);
    let lent = true;
    return {
      bytes: buffer.subarray(0, length),
      release: () => {
        if (!lent) return;
        lent = false;
        if (this.freeBytes + size > this.maxFreeBytes) return;
        let list = this.free.get(size);
        if (!list) this.free.set(size, (list = []));
        list.push(buffer);
        this.freeBytes += size;
      },
    };
  }

  /** Bytes kept between answers (for tests). */
  get kept(): number {
    return this.freeBytes;
  }
}

/** A power of two from SMALLEST up: a few sizes, so a buffer handed back fits the next answers. */
function sizeFor(length: number): number {
  let size = SMALLEST;
  while (size < length) size *= 2;
  return size;
}
