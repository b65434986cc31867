import type { ReactNode, SyntheticEvent } from "react";

/**
 * An action as a button that opens its form: a <details>, so it opens without JavaScript; with
 * it, opening moves the focus to the form's first field.
 */
export function ActionDisclosure({ label, open, children }: { label: string; open: boolean; children: ReactNode }) {
  const onToggle = (event: SyntheticEvent<HTMLDetailsElement>) => {
    const el = event.currentTarget;
    if (!el.open) return;
    el.querySelector<HTMLElement>("input:not([type=hidden]), select, textarea")?.focus();
  };
  return (
    <details className="action" open={open || undefined} onToggle={onToggle}>
      <summary className="button">{label}</summary>
      <div className="action__body">{children}</div>
    </details>
  );
}
