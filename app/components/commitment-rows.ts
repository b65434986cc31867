import { formatDay } from "~/domain/dates";
import { OUTCOME_LABEL, type OutcomeStatus } from "~/domain/types";

/** What a row of the commitments list shows (the list loader's `rows`). */
export interface CommitmentRow {
  id: string;
  statement: string;
  audience: string;
  attempt: number;
  ownerName: string | null;
  teamName: string;
  periodLabel: string;
  dueDate: string;
  status: "open" | OutcomeStatus;
  lintScore: number;
}

const ESCAPES: Record<string, string> = { '"': "&quot;", "&": "&amp;", "'": "&#x27;", "<": "&lt;", ">": "&gt;" };

/** Text or an attribute's value escaped as React's server renderer escapes them. */
export function escapeAsReact(value: string | number): string {
  const text = String(value);
  return /["&'<>]/.test(text) ? text.replace(/["&'<>]/g, (c) => ESCAPES[c]!) : text;
}

/**
 * The list's rows as the HTML React wrote for them, byte for byte (commitment-rows.test.tsx
 * renders the React rows beside it): one string the page sets as its table body's content, so a
 * page of 50 rows is not 600 React elements rendered, escaped and collected on every request
 * (ADR 0061). A row's link is followed in the app by its container's `useFollowLink`.
 */
export function commitmentRowsHtml(rows: readonly CommitmentRow[], today: string): string {
  let html = "";
  for (const r of rows) {
    const muted = ` · ${r.audience}${r.attempt > 1 ? ` · attempt ${r.attempt}` : ""}${r.ownerName ? ` · ${r.ownerName}` : ""}`;
    html +=
      `<tr><td data-label="Commitment"><a data-discover="true" href="/commitments/${escapeAsReact(r.id)}">${escapeAsReact(r.statement)}</a>` +
      `<span class="muted">${escapeAsReact(muted)}</span></td>` +
      `<td data-label="Team">${escapeAsReact(r.teamName)}</td>` +
      `<td data-label="Period">${escapeAsReact(r.periodLabel)}</td>` +
      `<td data-label="Due">${r.dueDate ? `<time dateTime="${escapeAsReact(r.dueDate)}">${escapeAsReact(formatDay(r.dueDate))}</time>` : ""}` +
      `${r.status === "open" && r.dueDate < today ? '<strong class="danger-text"> past due</strong>' : ""}</td>` +
      `<td data-label="Status"><span class="badge badge--${escapeAsReact(r.status)}">${escapeAsReact(r.status === "open" ? "Open" : OUTCOME_LABEL[r.status])}</span></td>` +
      `<td data-label="Score">${escapeAsReact(r.lintScore)}</td></tr>`;
  }
  return html;
}
