import "./utils/zod-config";
import { RemixBrowser } from "@remix-run/react";
import { StrictMode, startTransition, useEffect, type ReactNode } from "react";
import { hydrateRoot } from "react-dom/client";
import { holdInputUntilHydrated } from "./utils/hold-input-until-hydrated";

// Clicks and keys before hydration are the browser's alone (app/utils/hold-input-until-hydrated.ts).
const release = holdInputUntilHydrated(window);

/**
 * Renders nothing of its own, so the markup still matches the server's. app/root.tsx releases the
 * hold as soon as it renders; this effect (once the root has committed) is the backstop.
 */
function Hydrated({ children }: { children: ReactNode }) {
  useEffect(release, []);
  return children;
}

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <Hydrated>
        <RemixBrowser />
      </Hydrated>
    </StrictMode>,
  );
});
