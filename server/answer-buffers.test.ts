import { describe, expect, it } from "vitest";
import { AnswerBuffers } from "./answer-buffers";

/** Whether two loans' bytes are the same memory. */
const same = (a: Buffer, b: Buffer) => a.buffer === b.buffer && a.byteOffset === b.byteOffset;

describe("buffers lent to answers", () => {
  it("lends exactly the bytes asked for", () => {
    const buffers = new AnswerBuffers();
    for (const length of [1, 16 * 1024, 37_000, 256 * 1024]) expect(buffers.take(length).bytes.length).toBe(length);
  });

  it("never lends a buffer twice before it is handed back, and lends it again after", () => {
    const buffers = new AnswerBuffers();
    const first = buffers.take(37_000);
    const second = buffers.take(37_000);
    expect(same(second.bytes, first.bytes)).toBe(false);
    first.release();
    const third = buffers.take(36_000);
    expect(same(third.bytes, first.bytes)).toBe(true);
    // The other, still out, is not lent meanwhile.
    expect(same(buffers.take(37_000).bytes, second.bytes)).toBe(false);
  });

  it("keeps a buffer handed back twice only once", () => {
    const buffers = new AnswerBuffers();
    const loan = buffers.take(20_000);
    loan.release();
    loan.release();
    const a = buffers.take(20_000);
    const b = buffers.take(20_000);
    expect(same(a.bytes, loan.bytes)).toBe(true);
    expect(same(b.bytes, loan.bytes)).toBe(false);
  });

  it("lends a buffer only to an answer it holds", () => {
    const buffers = new AnswerBuffers();
    const small = buffers.take(10_000);
    small.release();
    const large = buffers.take(100_000);
    expect(large.bytes.length).toBe(100_000);
    expect(same(large.bytes, small.bytes)).toBe(false);
  });

  it("keeps no more than its bound between answers", () => {
    const buffers = new AnswerBuffers(100 * 1024);
    const loans = Array.from({ length: 10 }, () => buffers.take(30_000));
    for (const loan of loans) loan.release();
    // 32 KB each: three fit under 100 KB, the rest are left to the collector.
    expect(buffers.kept).toBe(3 * 32 * 1024);
  });
});
