// What someone typed into a form is kept in their browser tab until the answer to it has come
// back (ADR 0058). When Kept cannot answer (its database is away, the server is busy, the
// network drops), the error page replaces the form and what was typed would be gone with it:
// the error page says it is kept, and the form, opened again, is filled in with it.
//
// One submission is kept per tab (sessionStorage), the latest. A password, a file or a field that
// names a token or secret is never kept. It is dropped once an answer has come back and the
// page rendered normally (saved, or refused with the errors beside the fields, which the form
// shows with what was typed), once it has been put back into its form, or after an hour.

const KEY = "kept:unsent-submission";
const KEEP_MS = 60 * 60 * 1000;

export interface UnsentSubmission {
  /** The page the form was on (path and query). */
  page: string;
  /** The form's action, as an absolute URL. */
  action: string;
  /** Its fields as sent, in order, secrets and files left out. */
  fields: Array<[string, string]>;
  at: number;
  /** Whether an error page was shown in place of the answer. */
  failed: boolean;
}

/** Field names that may carry a secret: never written to the browser's storage. */
const SECRET_NAME = /[Pp]assword|[Pp]assphrase|[Ss]ecret|^otp$|Otp$|^(token|code)$|(Token|Code)$/;

/** Whether a field of this name and input type is kept. */
export function keptField(name: string, type: string): boolean {
  if (name === "") return false;
  if (type === "password" || type === "file") return false;
  return !SECRET_NAME.test(name);
}

function storage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.sessionStorage;
  } catch {
    // Storage can be refused (privacy settings); keeping the text is then not possible.
    return null;
  }
}

export function readUnsent(now: number): UnsentSubmission | null {
  const store = storage();
  const text = store?.getItem(KEY);
  if (!store || !text) return null;
  try {
    const kept = JSON.parse(text) as UnsentSubmission;
    if (typeof kept.page !== "string" || !Array.isArray(kept.fields) || now - kept.at > KEEP_MS) {
      store.removeItem(KEY);
      return null;
    }
    return kept;
  } catch {
    store.removeItem(KEY);
    return null;
  }
}

function write(kept: UnsentSubmission | null) {
  const store = storage();
  if (!store) return;
  try {
    if (kept) store.setItem(KEY, JSON.stringify(kept));
    else store.removeItem(KEY);
  } catch {
    // Full or refused: the submission goes out regardless, just without a copy kept.
  }
}

/** Keeps a copy of a form as it is submitted (a POST; a GET form is a search, not typing to lose). */
export function rememberSubmission(form: HTMLFormElement, submitter: HTMLElement | null, page: string, now: number) {
  if ((form.getAttribute("method") ?? "get").toLowerCase() !== "post" || form.hasAttribute("data-no-keep")) return;
  const fields: Array<[string, string]> = [];
  const data = submitter ? new FormData(form, submitter) : new FormData(form);
  for (const [name, value] of data) {
    if (typeof value !== "string") continue;
    const element = form.elements.namedItem(name);
    const type = element instanceof HTMLInputElement ? element.type : "";
    if (keptField(name, type)) fields.push([name, value]);
  }
  // Nothing typed worth keeping (a button's intent alone): keep nothing.
  if (!fields.some(([, value]) => value.trim() !== "")) return write(null);
  write({ page, action: form.action, fields, at: now, failed: false });
}

/**
 * An error page was shown at `pathname`: the answer to a submission made there never arrived.
 * Returns it, if any. (An error on another page followed an answer that moved on: not this.)
 */
export function markUnsentFailed(pathname: string, now: number): UnsentSubmission | null {
  const kept = readUnsent(now);
  if (!kept || kept.page.split("?")[0] !== pathname) return null;
  if (!kept.failed) write({ ...kept, failed: true });
  return { ...kept, failed: true };
}

/** A page rendered normally after a submission: its answer arrived, nothing needs keeping. */
export function settleUnsent(now: number) {
  const kept = readUnsent(now);
  if (kept && !kept.failed) write(null);
}

export function forgetUnsent() {
  write(null);
}

/**
 * Which of the page's forms a kept submission came from: the one with its action that has the
 * most of its field names (several forms may post to one action, told apart by their fields).
 * `forms` gives each form's action and field names; returns its index, or -1.
 */
export function formOfSubmission(kept: Pick<UnsentSubmission, "action" | "fields">, forms: ReadonlyArray<{ action: string; names: ReadonlySet<string> }>): number {
  const names = new Set(kept.fields.map(([name]) => name));
  let best = -1;
  let bestScore = 0;
  forms.forEach((form, i) => {
    if (form.action !== kept.action) return;
    let score = 0;
    for (const name of names) if (form.names.has(name)) score++;
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return best;
}

/** Sets a field's value as typing would, so React and the form's own state see it too. */
function setValue(element: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string) {
  const prototype = Object.getPrototypeOf(element) as object;
  const setter = Object.getOwnPropertyDescriptor(prototype, "value")?.set;
  if (setter) setter.call(element, value);
  else element.value = value;
  element.dispatchEvent(new Event("input", { bubbles: true }));
  element.dispatchEvent(new Event("change", { bubbles: true }));
}

function setChecked(element: HTMLInputElement, checked: boolean) {
  if (element.checked === checked) return;
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "checked")?.set;
  if (setter) setter.call(element, checked);
  else element.checked = checked;
  element.dispatchEvent(new Event("click", { bubbles: true }));
  element.dispatchEvent(new Event("change", { bubbles: true }));
}

/**
 * Puts a failed submission back into its form on this page, if it was made here. The fields a
 * person types (text, choices) are filled in; hidden fields keep what the page has now (a
 * draft's version, say, which is the server's to say). Returns the form it filled, or null.
 */
export function restoreUnsent(doc: Document, page: string, now: number): HTMLFormElement | null {
  const kept = readUnsent(now);
  if (!kept || !kept.failed || kept.page !== page) return null;
  const forms = [...doc.querySelectorAll<HTMLFormElement>("form")].filter((f) => (f.getAttribute("method") ?? "get").toLowerCase() === "post");
  const index = formOfSubmission(
    kept,
    forms.map((f) => ({ action: f.action, names: new Set([...f.elements].map((e) => (e as HTMLInputElement).name).filter(Boolean)) })),
  );
  const form = forms[index];
  if (!form) return null;
  const values = new Map<string, string[]>();
  for (const [name, value] of kept.fields) values.set(name, [...(values.get(name) ?? []), value]);
  const seen = new Map<string, number>();
  for (const element of [...form.elements]) {
    if (!(element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement)) continue;
    const name = element.name;
    if (!name || element.disabled) continue;
    if (element instanceof HTMLInputElement) {
      const type = element.type;
      if (!keptField(name, type) || type === "hidden" || type === "submit" || type === "button" || type === "reset" || type === "image") continue;
      if (type === "checkbox" || type === "radio") {
        setChecked(element, (values.get(name) ?? []).includes(element.value));
        continue;
      }
    }
    const list = values.get(name);
    if (!list) continue;
    // Several fields of one name take its values in order.
    const at = seen.get(name) ?? 0;
    seen.set(name, at + 1);
    if (at < list.length) setValue(element, list[at]!);
  }
  forgetUnsent();
  return form;
}
