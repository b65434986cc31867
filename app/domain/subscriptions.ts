// What readers who subscribe get (ADR 0013): the rules of a confirmation link and the words of
// every message to a subscriber. Pure: instants and links come in as arguments.
import { FIELD_LABEL, RESCOPE_FIELDS, formatFieldValue, type CommitmentFields } from "./commitment";
import { formatDateValue } from "./dates";
import { formatInZone, type MailBlock } from "./mail";
import { OUTCOME_FIELDS } from "./outcome-rules";
import { CONTROL_LABEL, OUTCOME_LABEL, REASON_LABEL, type Control, type OutcomeStatus, type ReasonCategory } from "./types";

/** How long a confirmation link works. */
export const CONFIRMATION_TTL_HOURS = 48;
/** Subscribe requests from one client address, and to one mail address, per hour. */
export const SUBSCRIBE_REQUESTS_PER_ADDRESS_HOUR = 10;
export const SUBSCRIBE_REQUESTS_PER_MAILBOX_HOUR = 3;

export function confirmationExpiry(requestedAt: Date): Date {
  return new Date(requestedAt.getTime() + CONFIRMATION_TTL_HOURS * 3_600_000);
}

export type ConfirmationState = "valid" | "used" | "expired";

/** A link already followed stays "used" (a replay is told so) even after it would have expired. */
export function confirmationState(request: { expiresAt: Date; confirmedAt: Date | null }, now: Date): ConfirmationState {
  if (request.confirmedAt) return "used";
  return now.getTime() >= request.expiresAt.getTime() ? "expired" : "valid";
}

export interface Sender {
  organisationName: string;
  timeZone: string;
}

export interface MailWords {
  subject: string;
  heading: string;
  blocks: MailBlock[];
  reason: string;
}

/** What is being subscribed to, as the confirmation mail and pages name it. */
export type SubscriptionTarget = { kind: "letters" } | { kind: "commitment"; statement: string };

export function targetText(target: SubscriptionTarget, organisationName: string): string {
  return target.kind === "letters"
    ? `${organisationName}'s public letters and their corrections`
    : `changes to ${organisationName}'s commitment “${target.statement}”`;
}

export function confirmationMail(sender: Sender, target: SubscriptionTarget, confirmUrl: string, expiresAt: Date): MailWords {
  const what = targetText(target, sender.organisationName);
  return {
    subject: target.kind === "letters" ? `Confirm your subscription to ${sender.organisationName}'s letters` : `Confirm that you want to watch a commitment`,
    heading: "Confirm your subscription",
    blocks: [
      { kind: "paragraph", text: `Someone — we hope you — asked to get ${what} by mail at this address.` },
      { kind: "link", label: "Yes, send them to me", url: confirmUrl },
      { kind: "paragraph", text: `The link works until ${formatInZone(expiresAt, sender.timeZone)}. If you did not ask, ignore this message: nothing is sent to you and your address is not kept.` },
    ],
    reason: "You get this one message because your address was entered on our public site.",
  };
}

/** Sent instead of a confirmation when the address already gets what was asked: nothing to confirm. */
export function alreadySubscribedMail(sender: Sender, target: SubscriptionTarget, unsubscribeUrl: string): MailWords {
  return {
    subject: `You already get ${target.kind === "letters" ? `${sender.organisationName}'s letters` : "news of this commitment"}`,
    heading: "You are already subscribed",
    blocks: [
      { kind: "paragraph", text: `Someone asked again to send ${targetText(target, sender.organisationName)} to this address. It gets them already, so nothing changed.` },
      { kind: "link", label: "Stop all mail and delete this address", url: unsubscribeUrl },
    ],
    reason: "You get this one message because your address was entered on our public site.",
  };
}

export interface LetterForMail {
  fiscalYear: number;
  title: string;
  markdown: string;
  sha256: string;
  url: string;
  publishedAt: Date;
}

export const SUBSCRIBER_REASON = "You get this because you subscribed to our letters on our public site.";

/**
 * A letter of a very large year runs to megabytes; the mail carries it whole up to this size,
 * else its beginning and the link (the hash is of the whole letter either way).
 */
export const LETTER_MAIL_MAX_CHARS = 100_000;

function mailableLetter(markdown: string, url: string): { text: string; cut: boolean } {
  if (markdown.length <= LETTER_MAIL_MAX_CHARS) return { text: markdown, cut: false };
  const end = markdown.lastIndexOf("\n", LETTER_MAIL_MAX_CHARS);
  return { text: `${markdown.slice(0, end > 0 ? end : LETTER_MAIL_MAX_CHARS)}\n\n[… the letter continues at ${url}]`, cut: true };
}

export function letterMail(sender: Sender, letter: LetterForMail): MailWords {
  const body = mailableLetter(letter.markdown, letter.url);
  return {
    subject: `${letter.title}`,
    heading: letter.title,
    blocks: [
      {
        kind: "paragraph",
        text: `${sender.organisationName} published its FY${letter.fiscalYear} letter on ${formatInZone(letter.publishedAt, sender.timeZone)}. It will never change; corrections are appended as dated errata.`,
      },
      { kind: "link", label: "Read it at its permanent address", url: letter.url },
      { kind: "paragraph", text: `SHA-256 of the letter as published: ${letter.sha256}` },
      { kind: "paragraph", text: `Anyone can check it: the Markdown as published is at ${letter.url}/letter.md, and its SHA-256 must be the one above.` },
      { kind: "heading", text: body.cut ? "The beginning of the letter" : "The letter" },
      { kind: "preformatted", text: body.text },
    ],
    reason: SUBSCRIBER_REASON,
  };
}

export function erratumMail(sender: Sender, letter: Omit<LetterForMail, "markdown" | "publishedAt">, erratum: { body: string; createdAt: Date }): MailWords {
  return {
    subject: `Correction to ${letter.title}`,
    heading: `A correction to ${letter.title}`,
    blocks: [
      {
        kind: "paragraph",
        text: `${sender.organisationName} appended an erratum to its FY${letter.fiscalYear} letter on ${formatInZone(erratum.createdAt, sender.timeZone)}. The letter itself is unchanged.`,
      },
      { kind: "heading", text: "The erratum" },
      { kind: "preformatted", text: erratum.body },
      { kind: "link", label: "The letter with its errata", url: letter.url },
      { kind: "paragraph", text: `SHA-256 of the letter as published (unchanged): ${letter.sha256}` },
    ],
    reason: SUBSCRIBER_REASON,
  };
}

export interface WatchedChange {
  statement: string;
  /** "rescope": what was promised changed; "outcome": the outcome was recorded or changed. */
  kind: "rescope" | "outcome" | "outcome_change";
  at: Date;
  changes: Array<{ field: string; from: unknown; to: unknown }>;
  reason: string | null;
  url: string;
}

const OUTCOME_FIELD_LABEL: Record<(typeof OUTCOME_FIELDS)[number], string> = {
  status: "Outcome",
  resolvedAt: "Resolved on",
  actualValue: "Actual value",
  evidenceUrl: "Evidence",
  partialDescription: "What was delivered",
  reasonCategory: "Reason",
  control: "Control",
  explanation: "Explanation",
  lesson: "Lesson",
};

/** The fields that hold a date: written the product's one way, with the year, never as ISO. */
const DATE_FIELDS = new Set(["dueDate", "resolvedAt"]);

/** A changed field as a reader of the public ledger reads it, or null for what is not theirs to see. */
function changeLine(change: { field: string; from: unknown; to: unknown }, showFrom: boolean, timeZone: string): string | null {
  const field = change.field;
  let label: string;
  let show: (value: unknown) => string;
  const value = (v: unknown) => (DATE_FIELDS.has(field) && typeof v === "string" && v !== "" ? formatDateValue(v, timeZone) : formatFieldValue(field, v));
  if ((OUTCOME_FIELDS as readonly string[]).includes(field)) {
    label = OUTCOME_FIELD_LABEL[field as keyof typeof OUTCOME_FIELD_LABEL];
    show = (v) =>
      field === "status" && typeof v === "string" && v in OUTCOME_LABEL
        ? OUTCOME_LABEL[v as OutcomeStatus]
        : field === "reasonCategory" && typeof v === "string" && v in REASON_LABEL
          ? REASON_LABEL[v as ReasonCategory]
          : field === "control" && typeof v === "string" && v in CONTROL_LABEL
            ? CONTROL_LABEL[v as Control]
            : value(v);
  } else if (RESCOPE_FIELDS.has(field as keyof CommitmentFields) && field !== "audience") {
    label = FIELD_LABEL[field as keyof CommitmentFields];
    show = value;
  } else {
    return null;
  }
  return showFrom ? `${label}: ${show(change.from)} → ${show(change.to)}` : `${label}: ${show(change.to)}`;
}

export function watchMail(sender: Sender, change: WatchedChange): MailWords {
  const what = change.kind === "rescope" ? "was re-scoped" : change.kind === "outcome" ? "has its outcome" : "had its outcome changed";
  const lines = change.changes.map((c) => changeLine(c, change.kind !== "outcome", sender.timeZone)).filter((line): line is string => line !== null);
  return {
    subject: `${change.kind === "rescope" ? "Re-scoped" : "Outcome recorded"}: ${change.statement}`,
    heading: `A commitment you watch ${what}`,
    blocks: [
      { kind: "paragraph", text: `“${change.statement}” — ${formatInZone(change.at, sender.timeZone)}.` },
      ...(lines.length > 0 ? [{ kind: "list" as const, items: lines.map((text) => ({ text })) }] : []),
      ...(change.reason ? [{ kind: "paragraph" as const, text: `Why: ${change.reason}` }] : []),
      { kind: "link", label: "See it on the public ledger", url: change.url },
    ],
    reason: "You get this because you asked to watch this commitment on our public site.",
  };
}
