// The node flags the production server runs with, wherever it starts (ADR 0040): package.json's
// `start` and `serve`, the Dockerfile's CMD, and the HTTP benchmark and memory profile, which
// import this list. scripts/server-node-flags.test.ts fails when a start place leaves one out.
// Measured on the 10,000-commitment seed after the benchmark's load: RSS ~270 MB → ~150 MB, of
// which the live objects are ~50 MB; the rest was garbage V8 had not yet been asked to collect.
export const SERVER_NODE_FLAGS = [
  // A young generation of 2 × 4 MB instead of 2 × 16 MB: the server's requests allocate in
  // bursts, and the default lets 32 MB of short-lived objects sit committed between scavenges.
  "--max-semi-space-size=4",
  // After each full collection the old generation may grow by 30% before the next one, instead
  // of up to 4× the live objects (V8's factor on a machine with more than 2 GB of memory). Not
  // a limit: a large letter still gets the memory it needs, collected more often on the way.
  "--heap-growing-percent=30",
];
