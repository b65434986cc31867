// The pages' CSP nonces (ADR 0064): 16 bytes from the CSPRNG each, base64, taken from a pool that
// is refilled 256 nonces at a time. A randomBytes(16) call per page cost about 9 µs of CPU here,
// a tenth of what answering a cached letter costs in all. Each pool byte is handed out once.
import { randomFillSync } from "node:crypto";

const NONCE_BYTES = 16;
const pool = Buffer.alloc(NONCE_BYTES * 256);
let next = pool.length;

/** A new nonce: 16 random bytes, base64 (24 characters), never handed out before. */
export function cspNonce(): string {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const nonce = pool.toString("base64", next, next + NONCE_BYTES);
  next += NONCE_BYTES;
  return nonce;
}
