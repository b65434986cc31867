// Mail bodies from a few blocks, in plain text and in HTML that says the same thing. Pure:
// the same blocks give the same message, so every kind of mail is tested without a server.
import { formatMoment } from "./dates";

export type MailBlock =
  | { kind: "paragraph"; text: string }
  | { kind: "heading"; text: string }
  | { kind: "link"; label: string; url: string }
  | { kind: "list"; items: Array<{ text: string; url?: string }> }
  /** Text shown as written (a letter's Markdown), never reflowed. */
  | { kind: "preformatted"; text: string };

export interface MailContent {
  organisationName: string;
  heading: string;
  blocks: MailBlock[];
  /** Why the reader gets this, in one sentence. */
  reason: string;
  /** For anything not transactional. */
  unsubscribeUrl?: string;
}

export interface RenderedMail {
  text: string;
  html: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function safeUrl(url: string): string {
  // Only web links go into mail; anything else (javascript:, data:) would be a trap.
  return /^https?:\/\//i.test(url) ? url : "#";
}

function blockText(block: MailBlock): string {
  switch (block.kind) {
    case "paragraph":
      return block.text;
    case "heading":
      return `${block.text}\n${"-".repeat(Math.min(block.text.length, 72))}`;
    case "link":
      return `${block.label}: ${block.url}`;
    case "list":
      return block.items.map((item) => `- ${item.text}${item.url ? `\n  ${item.url}` : ""}`).join("\n");
    case "preformatted":
      return block.text;
  }
}

function blockHtml(block: MailBlock): string {
  switch (block.kind) {
    case "paragraph":
      return `<p>${escapeHtml(block.text)}</p>`;
    case "heading":
      return `<h2 style="font-size:1.1em">${escapeHtml(block.text)}</h2>`;
    case "link":
      return `<p><a href="${escapeHtml(safeUrl(block.url))}">${escapeHtml(block.label)}</a></p>`;
    case "list":
      return `<ul>${block.items
        .map((item) =>
          item.url ? `<li><a href="${escapeHtml(safeUrl(item.url))}">${escapeHtml(item.text)}</a></li>` : `<li>${escapeHtml(item.text)}</li>`,
        )
        .join("")}</ul>`;
    case "preformatted":
      return `<pre style="white-space:pre-wrap;font-family:inherit">${escapeHtml(block.text)}</pre>`;
  }
}

export function renderMail(content: MailContent): RenderedMail {
  const footer = [content.reason, content.unsubscribeUrl ? `Unsubscribe: ${content.unsubscribeUrl}` : ""].filter(Boolean);
  const text = [content.heading, "=".repeat(Math.min(content.heading.length, 72)), "", ...content.blocks.map(blockText).flatMap((b) => [b, ""]), "--", `${content.organisationName}, via Kept`, ...footer, ""].join("\n");
  const html = [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(content.heading)}</title></head>`,
    '<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;max-width:40em">',
    `<h1 style="font-size:1.3em">${escapeHtml(content.heading)}</h1>`,
    ...content.blocks.map(blockHtml),
    `<hr><p style="color:#555;font-size:0.9em">${escapeHtml(content.organisationName)}, via Kept. ${escapeHtml(content.reason)}${
      content.unsubscribeUrl ? ` <a href="${escapeHtml(safeUrl(content.unsubscribeUrl))}">Unsubscribe</a>.` : ""
    }</p>`,
    "</body></html>",
  ].join("\n");
  return { text, html };
}

/**
 * A date and time as the organisation reads it, in Kept's one format (app/domain/dates.ts):
 * "29 November 2026, 14:05 CET".
 */
export function formatInZone(instant: Date, timeZone: string): string {
  return formatMoment(instant, timeZone);
}

/** The bare address inside `Name <address>` or an address alone. */
export function addressOf(mailbox: string): string {
  const match = /<([^<>]+)>\s*$/.exec(mailbox);
  return (match ? match[1]! : mailbox).trim();
}
