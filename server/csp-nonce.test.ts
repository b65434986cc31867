import { describe, expect, it } from "vitest";
import { cspNonce } from "./csp-nonce";

describe("cspNonce", () => {
  it("gives 16 bytes as base64, a different nonce every time, across the pool's refills", () => {
    const seen = new Set<string>();
    // 256 nonces fill the pool: this crosses four refills wherever the pool stands.
    for (let i = 0; i < 1100; i++) {
      const nonce = cspNonce();
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(Buffer.from(nonce, "base64")).toHaveLength(16);
      seen.add(nonce);
    }
    expect(seen.size).toBe(1100);
  });
});
