import { useNavigate } from "@remix-run/react";
import { useCallback, type MouseEvent } from "react";

/**
 * One click handler for many plain in-app links (a list's rows): what Remix's `<Link>` does on a
 * click — a plain left click without a modifier key, on a link without another target, navigates
 * in the app; any other click is left to the browser (a new tab, a download). A `<Link>` per row
 * costs its own hooks and resolves its path twice while the page renders on the server (about 4%
 * of the commitments list's CPU, ADR 0048); a row's `<a>` with `data-discover` and this handler
 * writes the same HTML and behaves the same. Links must be absolute paths of this app.
 */
export function useFollowLink(): (event: MouseEvent<HTMLAnchorElement>) => void {
  const navigate = useNavigate();
  return useCallback(
    (event: MouseEvent<HTMLAnchorElement>) => {
      const link = event.currentTarget;
      const target = link.getAttribute("target");
      const href = link.getAttribute("href");
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return;
      if ((target && target !== "_self") || !href?.startsWith("/") || href.startsWith("//")) return;
      event.preventDefault();
      navigate(href);
    },
    [navigate],
  );
}
