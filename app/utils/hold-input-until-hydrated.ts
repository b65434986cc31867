// React error #345 ("Root did not complete"), seen when someone clicked or typed as a page was
// still starting. With single fetch, RemixBrowser suspends at the very top of the tree while it
// decodes the loader data streamed into the page, above every Suspense boundary. A discrete
// event that reaches React then (it listens on the document from the moment hydrateRoot is
// called) makes React hydrate the root synchronously; the root suspends again, nothing can
// catch it, and React throws. Until RemixBrowser is past that point (app/root.tsx's Layout
// renders: from then on a synchronous hydration has nothing left to wait for), these events are
// kept from React: the browser still does what it does without scripts (follows the link,
// submits the form, types the character), which is what the page offers before it is interactive.

/** React's "discrete" events: the ones that make it hydrate synchronously (react-dom 18). */
export const DISCRETE_EVENTS = [
  "mousedown",
  "mouseup",
  "touchcancel",
  "touchend",
  "touchstart",
  "auxclick",
  "dblclick",
  "pointercancel",
  "pointerdown",
  "pointerup",
  "dragend",
  "dragstart",
  "drop",
  "compositionend",
  "compositionstart",
  "keydown",
  "keypress",
  "keyup",
  "input",
  "textInput",
  "copy",
  "cut",
  "paste",
  "click",
  "change",
  "contextmenu",
  "reset",
  "submit",
] as const;

interface EventTargetLike {
  addEventListener(type: string, listener: (event: Event) => void, options: { capture: boolean }): void;
  removeEventListener(type: string, listener: (event: Event) => void, options: { capture: boolean }): void;
}

/**
 * Stops discrete events at `target` (the window, in the capture phase, before they reach the
 * document React listens on) until the returned function is called. Their default actions
 * are left alone.
 */
export function holdInputUntilHydrated(target: EventTargetLike): () => void {
  const hold = (event: Event) => event.stopImmediatePropagation();
  for (const type of DISCRETE_EVENTS) target.addEventListener(type, hold, { capture: true });
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    if (held === release) held = null;
    for (const type of DISCRETE_EVENTS) target.removeEventListener(type, hold, { capture: true });
  };
  held = release;
  return release;
}

let held: (() => void) | null = null;

/** Lets input through again; nothing to do on the server or once released. */
export function releaseHeldInput(): void {
  held?.();
}
