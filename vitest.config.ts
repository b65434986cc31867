import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

// Unit tests of pure code sit next to it; tests that need a real database live under
// tests/integration and share one database per worker (see tests/setup/db.ts).
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          sequence: { groupOrder: 0 },
          include: ["app/**/*.test.ts", "app/**/*.test.tsx", "db/**/*.test.ts", "scripts/**/*.test.ts", "server/**/*.test.ts", "tests/lint-corpus/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          // Runs after the unit tests, with its own worker limit (one database per worker).
          sequence: { groupOrder: 1 },
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          setupFiles: ["tests/setup/integration.ts"],
          // Generous: on a loaded two-core machine the embedded database is several times slower.
          testTimeout: 60_000,
          hookTimeout: 300_000,
          pool: "forks",
          // Keep modules (and so the worker's one database) alive across test files.
          isolate: false,
          maxWorkers: 2,
        },
      },
    ],
  },
});
