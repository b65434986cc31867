// The node flags the production server runs with, wherever it starts (ADR 0040): package.json's
// `start` and `serve`, the Dockerfile's CMD, and the HTTP benchmark and memory profile, which
// import this list. scripts/server-node-flags.test.ts fails when a start place leaves one out.
// Measured at 100,000 commitments after the profile's load: RSS 241–302 MB → 175 MB, of which
// the live objects are ~50–60 MB; the rest was garbage V8 had not yet been asked to collect.
// Smaller settings (4 MB, 30%) reached ~150 MB, with about twice these settings' GC pauses per request.
export const SERVER_NODE_FLAGS = [
  // A young generation of 2 × 8 MB instead of 2 × 16 MB: the default lets 32 MB of short-lived
  // objects sit committed between scavenges.
  "--max-semi-space-size=8",
  // After each full collection the old generation may grow by 50% before the next one, instead
  // of up to 4× the live objects (V8's factor on a machine with more than 2 GB of memory). Not
  // a limit: a large letter still gets the memory it needs, collected more often on the way.
  "--heap-growing-percent=50",
];
