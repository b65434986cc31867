// Imported first by every entry point (browser, Remix server, the process itself). Zod 4
// probes for `new Function` the first time an object schema parses; under our CSP (no
// 'unsafe-eval') that probe is reported as a violation on every page with a form. Jitless
// parsing is what we want anyway: the same code path in the browser and on the server.
import { z } from "zod";

z.config({ jitless: true });
