import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from "react";
import { mapScroll, markdownHeadingOffsets, reverseAnchors, scrollAnchors, type Anchor } from "~/utils/scroll-anchors";

// A Markdown editor beside its preview. On wide screens the two sit side by side at one height
// and scroll together, section by section (the preview follows the text and the text the
// preview). On narrow screens they become two tabs, Write and Preview. Without JavaScript both
// are simply shown, one under the other (narrow) or side by side (wide), each scrolling alone.

/** Matches the stylesheet's breakpoint for the editor (letters.css). */
const NARROW = "(max-width: 60rem)";

function useNarrow(): boolean | null {
  const [narrow, setNarrow] = useState<boolean | null>(null);
  useEffect(() => {
    const query = window.matchMedia(NARROW);
    const update = () => setNarrow(query.matches);
    update();
    query.addEventListener("change", update);
    return () => query.removeEventListener("change", update);
  }, []);
  return narrow;
}

const MIRRORED = [
  "boxSizing",
  "paddingTop",
  "paddingRight",
  "paddingBottom",
  "paddingLeft",
  "fontFamily",
  "fontSize",
  "fontWeight",
  "fontStyle",
  "letterSpacing",
  "lineHeight",
  "textTransform",
  "wordSpacing",
  "textIndent",
  "tabSize",
] as const;

/**
 * Where each heading line sits inside the textarea's scrolling content, measured on an invisible
 * copy of its text laid out the same way (a textarea has no layout API for lines).
 */
function textareaHeadingTops(textarea: HTMLTextAreaElement): number[] {
  const offsets = markdownHeadingOffsets(textarea.value);
  if (offsets.length === 0) return [];
  const style = window.getComputedStyle(textarea);
  const mirror = document.createElement("div");
  for (const property of MIRRORED) mirror.style[property] = style[property];
  mirror.style.position = "absolute";
  mirror.style.visibility = "hidden";
  mirror.style.top = "0";
  mirror.style.left = "-10000px";
  mirror.style.whiteSpace = "pre-wrap";
  mirror.style.overflowWrap = "break-word";
  mirror.style.boxSizing = "border-box";
  // The width the text wraps in: the textarea's without its border and scrollbar.
  mirror.style.width = `${textarea.clientWidth}px`;
  const markers: HTMLElement[] = [];
  let from = 0;
  for (const offset of offsets) {
    mirror.append(document.createTextNode(textarea.value.slice(from, offset)));
    const marker = document.createElement("span");
    marker.textContent = "\u200b";
    mirror.append(marker);
    markers.push(marker);
    from = offset;
  }
  document.body.append(mirror);
  const paddingTop = parseFloat(style.paddingTop) || 0;
  const tops = markers.map((m) => Math.max(0, m.offsetTop - paddingTop));
  mirror.remove();
  return tops;
}

function previewHeadingTops(preview: HTMLElement): number[] {
  const box = preview.getBoundingClientRect();
  const sticky = preview.querySelector<HTMLElement>(".editor__preview-heading")?.offsetHeight ?? 0;
  return Array.from(preview.querySelectorAll<HTMLElement>(".letter-body :is(h1, h2, h3, h4, h5, h6)")).map((h) =>
    Math.max(0, h.getBoundingClientRect().top - box.top + preview.scrollTop - sticky),
  );
}

/**
 * Keeps the textarea and the preview at the same section while either is scrolled. `content`
 * changes whenever the preview is re-rendered, so the sections are measured again.
 */
function useScrollTogether(container: RefObject<HTMLDivElement | null>, enabled: boolean, content: unknown) {
  useEffect(() => {
    const root = container.current;
    const textarea = root?.querySelector("textarea");
    const preview = root?.querySelector<HTMLElement>(".editor__preview");
    if (!enabled || !textarea || !preview) return;
    let anchors: { forward: Anchor[]; back: Anchor[] } | null = null;
    const measure = () => {
      if (anchors) return anchors;
      const forward = scrollAnchors(
        textareaHeadingTops(textarea),
        previewHeadingTops(preview),
        textarea.scrollHeight - textarea.clientHeight,
        preview.scrollHeight - preview.clientHeight,
      );
      anchors = { forward, back: reverseAnchors(forward) };
      return anchors;
    };
    const stale = () => {
      anchors = null;
    };
    // Setting one view's scrollTop fires its scroll event: that echo must not drive the other back.
    const expected = new Map<HTMLElement, number>();
    const follow = (from: HTMLElement, to: HTMLElement, direction: "forward" | "back") => () => {
      const echo = expected.get(from);
      if (echo !== undefined) {
        expected.delete(from);
        if (Math.abs(from.scrollTop - echo) <= 2) return;
      }
      const top = Math.round(mapScroll(measure()[direction], from.scrollTop));
      if (Math.abs(to.scrollTop - top) <= 1) return;
      expected.set(to, top);
      to.scrollTop = top;
    };
    const onText = follow(textarea, preview, "forward");
    const onPreview = follow(preview, textarea, "back");
    textarea.addEventListener("scroll", onText, { passive: true });
    preview.addEventListener("scroll", onPreview, { passive: true });
    textarea.addEventListener("input", stale);
    const resized = new ResizeObserver(stale);
    resized.observe(textarea);
    resized.observe(preview);
    const body = preview.querySelector(".letter-body");
    if (body) resized.observe(body);
    return () => {
      textarea.removeEventListener("scroll", onText);
      preview.removeEventListener("scroll", onPreview);
      textarea.removeEventListener("input", stale);
      resized.disconnect();
    };
  }, [container, enabled, content]);
}

type Tab = "write" | "preview";

/**
 * The text and its preview as panes. `write` holds the textarea (and its label and errors);
 * `preview` is what goes under the preview heading. `showWrite` brings the Write tab forward
 * (when the text has an error to see). `previewContent` is whatever changes when the preview
 * is re-rendered.
 */
export function EditorPanes({
  write,
  previewHeading,
  preview,
  previewContent,
  showWrite,
}: {
  write: ReactNode;
  previewHeading: ReactNode;
  preview: ReactNode;
  previewContent: unknown;
  showWrite: boolean;
}) {
  const id = useId();
  const narrow = useNarrow();
  const tabs = narrow === true;
  const [tab, setTab] = useState<Tab>("write");
  const container = useRef<HTMLDivElement>(null);
  const tabRefs = {
    write: useRef<HTMLButtonElement>(null),
    preview: useRef<HTMLButtonElement>(null),
  };
  useScrollTogether(container, narrow === false, previewContent);
  const writePane = useRef<HTMLDivElement>(null);
  // An error in the text brings the Write tab forward: when the server's answer names it, and
  // when the form is submitted from the Preview tab and the check in the browser finds it.
  useEffect(() => {
    if (showWrite) setTab("write");
  }, [showWrite]);
  useEffect(() => {
    const form = container.current?.closest("form");
    if (!tabs || !form) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onSubmit = () => {
      // After the form's own submit handler has run its checks and marked what is invalid.
      timer = setTimeout(() => {
        const invalid = writePane.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
        if (!invalid) return;
        setTab("write");
        requestAnimationFrame(() => invalid.focus());
      }, 0);
    };
    form.addEventListener("submit", onSubmit);
    return () => {
      form.removeEventListener("submit", onSubmit);
      clearTimeout(timer);
    };
  }, [tabs]);

  const ids = { write: `${id}-write`, preview: `${id}-preview` };
  const tabId = (t: Tab) => `${ids[t]}-tab`;
  const choose = (t: Tab, focus: boolean) => {
    setTab(t);
    if (focus) tabRefs[t].current?.focus();
  };
  // The tab pattern: arrows move between the two tabs, Home and End to the first and last.
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    const next: Partial<Record<string, Tab>> = {
      ArrowLeft: tab === "write" ? "preview" : "write",
      ArrowRight: tab === "write" ? "preview" : "write",
      Home: "write",
      End: "preview",
    };
    const to = next[event.key];
    if (!to) return;
    event.preventDefault();
    choose(to, true);
  };
  const tabButton = (t: Tab, label: string) => (
    <button
      ref={tabRefs[t]}
      type="button"
      role="tab"
      id={tabId(t)}
      aria-selected={tab === t}
      aria-controls={ids[t]}
      tabIndex={tab === t ? 0 : -1}
      className="tabs__tab"
      onClick={() => choose(t, false)}
      onKeyDown={onKeyDown}
    >
      {label}
    </button>
  );
  const panel = (t: Tab) => (tabs ? { role: "tabpanel", "aria-labelledby": tabId(t), hidden: tab !== t } : {});

  return (
    <div ref={container} className={tabs ? "editor__panes editor__panes--tabs" : "editor__panes"}>
      {tabs ? (
        <div role="tablist" aria-label="Letter editor" className="tabs">
          {tabButton("write", "Write")}
          {tabButton("preview", "Preview")}
        </div>
      ) : null}
      <div ref={writePane} id={ids.write} className="editor__write" {...panel("write")}>
        {write}
      </div>
      {/* Focusable, so the preview scrolls from the keyboard too. Not a live region: a screen
          reader would read the whole letter out on every keystroke. */}
      <section id={ids.preview} className="editor__preview" aria-labelledby={`${ids.preview}-heading`} tabIndex={0} {...panel("preview")}>
        <h2 id={`${ids.preview}-heading`} className="editor__preview-heading">
          {previewHeading}
        </h2>
        {preview}
      </section>
    </div>
  );
}
