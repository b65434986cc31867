import { useNavigate } from "@remix-run/react";
import { useCallback, type MouseEvent } from "react";

/**
 * One click handler for many plain in-app links (a list's rows), set on the element that holds
 * them: what Remix's `<Link>` does on a click — a plain left click without a modifier key, on a
 * link without another target, navigates in the app; any other click (a new tab, a download),
 * and a click outside a link, is left to the browser. A `<Link>` per row costs its own hooks and
 * resolves its path twice while the page renders on the server (about 4% of the commitments
 * list's CPU, ADR 0048); rows written as HTML with `<a data-discover>` and this handler on their
 * container write the same HTML and behave the same (ADR 0061). Links must be absolute paths of
 * this app.
 */
export function useFollowLink(): (event: MouseEvent<HTMLElement>) => void {
  const navigate = useNavigate();
  return useCallback(
    (event: MouseEvent<HTMLElement>) => {
      const link = event.target instanceof Element ? event.target.closest("a") : null;
      if (!link || !event.currentTarget.contains(link)) return;
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
