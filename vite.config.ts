import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [
    remix({
      // Every v3 flag on: the app already behaves as React Router 7 will (ADR 0003).
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
        v3_routeConfig: false,
      },
      ignoredRouteFiles: ["**/*.test.*"],
    }),
    tsconfigPaths(),
  ],
  server: { hmr: { port: 24678 } },
  build: { target: "es2022" },
});
