// The embedded database's memory (ADR 0038): PGlite allocates and touches its shared buffers in
// WebAssembly memory that never shrinks, so it opens with small ones (EMBEDDED_SETTINGS), every
// time, on a data folder of an earlier version as on a new one; its postgresql.conf is not rewritten.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { connect } from "../../db/client";
import { rowsOf } from "~/models/rows.server";

it("opens with 16 MB of shared buffers, a new folder and one opened again alike, leaving postgresql.conf as initdb wrote it", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "kept-embedded-"));
  try {
    for (let open = 0; open < 2; open++) {
      const handle = await connect({ dataDir: dir });
      try {
        const [row] = rowsOf<{ shared_buffers: string }>(await handle.db.execute(sql`show shared_buffers`));
        expect(row?.shared_buffers).toBe("16MB");
      } finally {
        await handle.close();
      }
    }
    expect(await readFile(path.join(dir, "postgresql.conf"), "utf8")).toMatch(/^shared_buffers = 128MB/m);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
