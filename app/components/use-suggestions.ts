import { useEffect, useRef, useState, type ChangeEvent } from "react";

// Suggestions for a text field while someone types (ADR 0029, ADR 0036): a native <datalist>
// filled from a resource route, debounced, the previous lookup aborted by the next keystroke.
// The field works without it (the server resolves what was typed when the form is sent), so a
// failed lookup just leaves the list as it was.

const DEBOUNCE_MS = 150;

export interface Suggestion {
  /** Unique among the suggestions (a key, never shown). */
  id: string;
  /** What choosing it puts in the field. */
  label: string;
}

/** The suggestions a resource route answered under `key` (none when the answer has no such list). */
function suggestionsIn(body: unknown, key: string): Suggestion[] {
  const list = (body as Record<string, unknown> | null)?.[key];
  return Array.isArray(list) ? (list as Suggestion[]) : [];
}

/**
 * `urlFor(text)`: the resource route's address for what was typed; `key`: the name of the list of
 * suggestions in its JSON answer. Returns the suggestions to render and the field's change handler.
 */
export function useSuggestions(urlFor: (text: string) => string, key: string) {
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const inflight = useRef<AbortController>();
  useEffect(
    () => () => {
      clearTimeout(timer.current);
      inflight.current?.abort();
    },
    [],
  );

  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const text = event.currentTarget.value.trim();
    clearTimeout(timer.current);
    // Choosing a suggestion fills the field with its label: nothing more to look up.
    if (text === "" || suggestions.some((s) => s.label === text)) return;
    timer.current = setTimeout(() => {
      inflight.current?.abort();
      const controller = new AbortController();
      inflight.current = controller;
      fetch(urlFor(text), { headers: { Accept: "application/json" }, signal: controller.signal })
        .then((res) => (res.ok ? (res.json() as Promise<unknown>).then((body) => suggestionsIn(body, key)) : []))
        .then(setSuggestions)
        // Aborted by the next keystroke, or offline: the field still works as plain text.
        .catch(() => undefined);
    }, DEBOUNCE_MS);
  };

  return { suggestions, onChange };
}
