import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BUILD_OUTPUTS, buildStatus, clearStamp, computeStamp, readStamp, stampInputs, writeStamp } from "./build-stamp.mjs";

let root: string;

function write(relative: string, content: string, dir = root) {
  const file = path.join(dir, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** A project with a few sources and a complete build beside them. */
function project() {
  write("app/root.tsx", "export default function App() {}");
  write("app/routes/_index.tsx", "export const loader = () => null;");
  write("server/index.ts", "main();");
  write("db/migrations/0000_first.sql", "create table t ();");
  write("public/favicon.svg", "<svg/>");
  write("package.json", "{}");
  write("package-lock.json", "{}");
  write("vite.config.ts", "export default {};");
  for (const output of BUILD_OUTPUTS) {
    if (output.endsWith(".js")) write(output, "// built");
    else mkdirSync(path.join(root, output), { recursive: true });
  }
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "kept-stamp-"));
  project();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("build stamp", () => {
  it("is the same for the same sources, whatever order the files were written in", () => {
    const first = computeStamp(root);
    const other = mkdtempSync(path.join(os.tmpdir(), "kept-stamp-"));
    try {
      write("vite.config.ts", "export default {};", other);
      write("package-lock.json", "{}", other);
      write("package.json", "{}", other);
      write("public/favicon.svg", "<svg/>", other);
      write("db/migrations/0000_first.sql", "create table t ();", other);
      write("server/index.ts", "main();", other);
      write("app/routes/_index.tsx", "export const loader = () => null;", other);
      write("app/root.tsx", "export default function App() {}", other);
      expect(computeStamp(other)).toBe(first);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it.each([
    ["an edited source", () => write("app/routes/_index.tsx", "export const loader = () => 1;")],
    ["an added source", () => write("app/routes/about.tsx", "export default function About() {}")],
    ["a deleted source", () => rmSync(path.join(root, "app/routes/_index.tsx"))],
    ["a renamed source", () => {
      rmSync(path.join(root, "app/routes/_index.tsx"));
      write("app/routes/home.tsx", "export const loader = () => null;");
    }],
    ["a changed server file", () => write("server/http.ts", "export {};")],
    ["a new migration", () => write("db/migrations/0001_next.sql", "alter table t add c int;")],
    ["a changed public file", () => write("public/favicon.svg", "<svg></svg>")],
    ["a changed lockfile", () => write("package-lock.json", '{"lockfileVersion":3}')],
    ["a changed build configuration", () => write("vite.config.ts", "export default { base: '/x/' };")],
    ["a new tsconfig", () => write("tsconfig.json", "{}")],
    ["an .env file vite reads", () => write(".env.production", "VITE_X=1")],
    ["an edited operator command", () => write("scripts/import.ts", "main(); // changed")],
    ["the db:migrate command", () => write("db/migrate-cli.ts", "migrate();")],
  ])("changes with %s", (_what, change) => {
    const before = computeStamp(root);
    change();
    expect(computeStamp(root)).not.toBe(before);
  });

  it.each([
    ["a unit test beside the code", () => write("app/domain/thing.test.ts", "it('x', () => {});")],
    ["a file outside the build's inputs", () => write("docs/notes.md", "# notes")],
    ["the build output itself", () => write("build/server/index.js", "// rebuilt")],
    ["installed packages", () => write("app/node_modules/x/index.js", "module.exports = 1;")],
  ])("ignores %s", (_what, change) => {
    const before = computeStamp(root);
    change();
    expect(computeStamp(root)).toBe(before);
  });

  it("lists its inputs sorted and relative to the project", () => {
    const inputs = stampInputs(root);
    expect(inputs).toEqual([...inputs].sort());
    expect(inputs).toContain("app/routes/_index.tsx");
    expect(inputs).toContain("package-lock.json");
    expect(inputs.every((file) => !path.isAbsolute(file))).toBe(true);
  });
});

describe("build status", () => {
  it("is current only when the written stamp matches the sources and every output exists", () => {
    expect(buildStatus(root)).toMatchObject({ current: false, reason: "the build has no stamp" });

    writeStamp(root, computeStamp(root));
    expect(readStamp(root)).toBe(computeStamp(root));
    expect(buildStatus(root)).toMatchObject({ current: true });

    write("server/index.ts", "main(); // changed");
    expect(buildStatus(root)).toMatchObject({ current: false, reason: "the sources changed since the last build" });

    writeStamp(root, computeStamp(root));
    rmSync(path.join(root, "build/kept-server.js"));
    expect(buildStatus(root)).toMatchObject({ current: false, reason: "build/kept-server.js is missing" });
  });

  it("is not current without a compiled operator command: npm run db:migrate would have nothing to run", () => {
    writeStamp(root, computeStamp(root));
    expect(buildStatus(root)).toMatchObject({ current: true });
    rmSync(path.join(root, "build/kept-migrate.js"));
    expect(buildStatus(root)).toMatchObject({ current: false, reason: "build/kept-migrate.js is missing" });
  });

  it("treats a cleared or unreadable stamp as no stamp", () => {
    writeStamp(root, computeStamp(root));
    clearStamp(root);
    expect(readStamp(root)).toBeNull();
    write("build/.build-stamp.json", "not json");
    expect(readStamp(root)).toBeNull();
    expect(buildStatus(root).current).toBe(false);
  });
});
