import { getFormProps, getInputProps, getTextareaProps, useForm, type FieldMetadata } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { EditorPanes } from "~/components/editor-panes";
import { FormErrors, TextField } from "~/components/ui/field";
import { UuidSchema } from "~/schemas/common";
import { DiscardSchema, RegenerateSchema, SaveDraftSchema } from "~/schemas/letters";
import {
  discardLetterDraft,
  generateLetterDraft,
  letterById,
  letterPath,
  previewLetterDraft,
  publishLetter,
  saveLetterDraft,
} from "~/services/letters.server";
import { publishingContext } from "~/services/year-close.server";
import { STATUS_BY_CODE } from "~/domain/result";
import { invalid, refused } from "~/http/forms.server";
import { actorOf, getOptionalUser, requireAdmin } from "~/http/session.server";
import { Moment } from "~/components/dates";
import { can } from "~/domain/permissions";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.letter.title ?? "Letter draft"} (draft) · Kept` }];

async function loadDraft(request: Request, context: LoaderFunctionArgs["context"], rawId: string | undefined) {
  // Drafts are private: to anyone not signed in they do not exist (404, not a sign-in prompt).
  const user = await getOptionalUser(request, context);
  if (!user) throw new Response("There is no such letter.", { status: 404 });
  const id = UuidSchema.safeParse(rawId);
  const letter = id.success ? await letterById(context.db, actorOf(user), id.data) : null;
  if (!letter) throw new Response("There is no such letter.", { status: 404 });
  if (letter.status === "published") throw redirect(letterPath(letter.fiscalYear, letter.audience));
  return { user, letter };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, letter } = await loadDraft(request, context, params.id);
  const [preview, publishing] = await Promise.all([previewLetterDraft(context.db, letter), publishingContext(context.db, letter, new Date())]);
  return {
    publishing,
    canEdit: can(actorOf(user), "letters.manage"),
    letter: {
      id: letter.id,
      fiscalYear: letter.fiscalYear,
      audience: letter.audience,
      title: letter.title,
      body: letter.body,
      version: letter.version,
      edited: letter.body !== letter.generatedBody,
      generatedAt: letter.generatedAt.toISOString(),
      updatedAt: letter.updatedAt.toISOString(),
      path: letterPath(letter.fiscalYear, letter.audience),
    },
    previewHtml: preview.html,
    problems: preview.problems.map((p) => p.message),
  };
}

// A refused publish still saved the edits (a 422), and Remix skips reloading after an error
// status by default: reload anyway so the version and the "edited" state are current. (Live
// previews go to the preview resource route with fetch, not through this action.)
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) => {
  return formData ? true : defaultShouldRevalidate;
};

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireAdmin(request, context, "letters.manage");
  const { letter } = await loadDraft(request, context, params.id);
  const actor = actorOf(user);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const now = new Date();

  if (intent === "regenerate") {
    const submission = parseWithZod(formData, { schema: RegenerateSchema });
    if (submission.status !== "success") return invalid(submission, { extra: { form: "regenerate" } });
    if (submission.value.version !== letter.version) {
      return refused(submission, { code: "VERSION.CONFLICT", message: "The draft changed since you opened it. Reload before regenerating." }, { extra: { form: "regenerate" } });
    }
    const result = await generateLetterDraft(
      context.db,
      actor,
      { fiscalYear: letter.fiscalYear, audience: letter.audience, replaceEdits: submission.value.replaceEdits },
      now, context.logger,
    );
    if (!result.ok) return refused(submission, result.error, { extra: { form: "regenerate" } });
    throw redirect(`/letters/drafts/${letter.id}?regenerated=1`);
  }

  if (intent === "discard") {
    const submission = parseWithZod(formData, { schema: DiscardSchema });
    if (submission.status !== "success") return invalid(submission, { extra: { form: "discard" } });
    const result = await discardLetterDraft(context.db, actor, letter.id, submission.value.version, context.logger);
    if (!result.ok) return refused(submission, result.error, { extra: { form: "discard" } });
    throw redirect("/letters");
  }

  const submission = parseWithZod(formData, { schema: SaveDraftSchema });
  if (submission.status !== "success") return invalid(submission, { extra: { form: "edit" } });
  const { title, body, version, confirmation, confirmFrozen } = submission.value;
  let current = letter;
  if (title !== letter.title || body !== letter.body || version !== letter.version) {
    const saved = await saveLetterDraft(context.db, actor, letter.id, { title, body, version }, now, context.logger);
    if (!saved.ok) return refused(submission, saved.error, { extra: { form: "edit" } });
    current = saved.value;
  }
  if (submission.value.intent === "save") {
    return { result: submission.reply(), form: "edit", saved: true, version: current.version };
  }
  // After the year has ended, publishing is still a deliberate step: the box must be ticked.
  // (Before then the service asks for the typed phrase; a year not started is refused there.)
  const publishing = await publishingContext(context.db, current, now);
  if (publishing?.phase === "ended" && !confirmFrozen) {
    return data(
      {
        result: submission.reply({ fieldErrors: { confirmFrozen: ["Tick the box to confirm: a published letter can never be changed, only corrected by errata."] } }),
        form: "edit",
        version: current.version,
      },
      { status: 422 },
    );
  }
  const published = await publishLetter(context.db, actor, current.id, current.version, now, confirmation, context.logger);
  if (!published.ok && published.error.field === "confirmation") {
    return data(
      { result: submission.reply({ fieldErrors: { confirmation: [published.error.message] } }), form: "edit", version: current.version },
      { status: STATUS_BY_CODE[published.error.code] },
    );
  }
  if (!published.ok) {
    // The edits are saved either way; the reply says what stands between the draft and publishing.
    return data(
      {
        result: submission.reply({ formErrors: [published.error.message] }),
        form: "edit",
        version: current.version,
        problems: published.error.problems?.map((p) => p.message) ?? [],
      },
      { status: STATUS_BY_CODE[published.error.code] },
    );
  }
  throw redirect(letterPath(published.value.fiscalYear, published.value.audience));
}


function useLivePreview(letterId: string, initialHtml: string, initialProblems: string[]) {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inFlight = useRef<AbortController | null>(null);
  const [state, setState] = useState({ html: initialHtml, problems: initialProblems });
  const [pending, setPending] = useState(false);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
      inFlight.current?.abort();
    },
    [],
  );
  const run = async (body: string) => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setPending(true);
    try {
      const res = await fetch(`/letters/drafts/${letterId}/preview`, { method: "POST", body: new URLSearchParams({ body }), signal: controller.signal });
      if (res.ok) {
        const answer = (await res.json()) as { html: string; problems: string[] };
        if (!controller.signal.aborted) setState({ html: answer.html, problems: answer.problems });
      }
    } catch {
      // Superseded by newer text, or the network is gone: the last preview stays until the next one.
    } finally {
      if (inFlight.current === controller) setPending(false);
    }
  };
  const schedule = (body: string) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void run(body), 350);
  };
  return { ...state, schedule, pending };
}

export default function LetterDraft() {
  const { letter } = useLoaderData<typeof loader>();
  // Each stored version (saved, regenerated) gets a fresh editor: form, preview and checks.
  return <DraftEditor key={letter.version} />;
}

function DraftEditor() {
  const { letter, previewHtml, problems: loadedProblems, canEdit, publishing } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const editResult = actionData && "form" in actionData && actionData.form === "edit" ? actionData : null;
  const regenerateResult = actionData && "form" in actionData && actionData.form === "regenerate" ? actionData : null;
  // A save or a refused publish answers with the version it left; the reload that follows can
  // still be in flight (a slow preview), so the forms never post an older version than that.
  const savedVersion = editResult && "version" in editResult && typeof editResult.version === "number" ? editResult.version : 0;
  const version = Math.max(letter.version, savedVersion);
  const publishProblemsList = editResult && "problems" in editResult && Array.isArray(editResult.problems) ? editResult.problems : null;
  const live = useLivePreview(letter.id, previewHtml, loadedProblems);
  const [form, fields] = useForm({
    id: `letter-${letter.id}-v${letter.version}`,
    lastResult: editResult && "result" in editResult ? editResult.result : undefined,
    constraint: getZodConstraint(SaveDraftSchema),
    defaultValue: { title: letter.title, body: letter.body },
    shouldValidate: "onBlur",
    // Once a field shows an error it is checked again as it is typed, not on leaving it: an error
    // that vanished on blur moved Publish from under the pointer as the click began.
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SaveDraftSchema }),
  });
  const [regenForm] = useForm({ id: "regenerate", lastResult: regenerateResult && "result" in regenerateResult ? regenerateResult.result : undefined });
  const saving = navigation.state !== "idle";
  const bodyProps = getTextareaProps(fields.body, { ariaAttributes: true });
  // A refused publish answers with what blocked the text it was sent; once the text differs from
  // that (typed after the answer, or while it was still on its way), the live check speaks again:
  // the stale answer must not shadow it, nor keep Publish looking blocked.
  const [currentBody, setCurrentBody] = useState(letter.body);
  const refusedBody = editResult && "result" in editResult ? editResult.result?.initialValue?.body : undefined;
  // A posted textarea arrives with CRLF line breaks; the one on screen has LF.
  const sameText = typeof refusedBody === "string" && refusedBody.replace(/\r\n/g, "\n") === currentBody.replace(/\r\n/g, "\n");
  const shownProblems = publishProblemsList && sameText ? publishProblemsList : live.problems;
  const confirmationHintId = `${fields.confirmation.id}-hint`;

  return (
    <div className="page page--wide">
      <p className="breadcrumb">
        <Link to="/letters">Letters</Link> / draft
      </p>
      <h1>
        {letter.title} <span className="badge">Draft</span>
      </h1>
      <p className="muted">
        FY{letter.fiscalYear} · {letter.audience === "public" ? "Public letter: customer-facing commitments only" : "Internal letter: every commitment"} ·
        generated <Moment value={letter.generatedAt} /> · last changed <Moment value={letter.updatedAt} />. Once published it
        will live at <code>{letter.path}</code>.
      </p>
      {editResult && "saved" in editResult ? (
        <p role="status" className="notice">
          Draft saved.
        </p>
      ) : null}

      <section aria-labelledby="checks-heading" className={shownProblems.length ? "checks checks--blocked" : "checks checks--ready"}>
        <h2 id="checks-heading">Before publishing</h2>
        {/* One short sentence is announced as the checks change while typing; the list is read on demand. */}
        <p role="status">
          {shownProblems.length === 0
            ? "Ready to publish: every missed, partly delivered and withdrawn commitment is accounted for in the text."
            : `Publishing is blocked until ${shownProblems.length === 1 ? "this is" : `these ${shownProblems.length} are`} fixed:`}
        </p>
        {shownProblems.length === 0 ? null : (
          <>
            <ul id="publish-problems">
              {shownProblems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </>
        )}
      </section>

      {canEdit ? (
        <Form method="post" {...getFormProps(form)} className="stack editor">
          <input type="hidden" name="version" value={version} />
          <FormErrors id={form.errorId} errors={form.errors} />
          <TextField meta={fields.title} label="Title" />
          <EditorPanes
            showWrite={Boolean(fields.body.errors?.length)}
            previewContent={live.html}
            write={
              <div className="field">
                <label htmlFor={fields.body.id}>Letter (Markdown)</label>
                <p id={`${fields.body.id}-hint`} className="field__hint">
                  Edit freely. Quote every missed, partly delivered or withdrawn commitment where you explain it. The ledger appendix is added on
                  publishing and cannot be edited away.
                </p>
                <textarea
                  {...bodyProps}
                  key={bodyProps.key}
                  rows={30}
                  className="editor__body"
                  aria-describedby={[`${fields.body.id}-hint`, fields.body.errors?.length ? fields.body.errorId : null].filter(Boolean).join(" ")}
                  onChange={(e) => {
                    setCurrentBody(e.currentTarget.value);
                    live.schedule(e.currentTarget.value);
                  }}
                />
                {fields.body.errors?.length ? (
                  <p id={fields.body.errorId} className="field__error">
                    {fields.body.errors.join(" ")}
                  </p>
                ) : null}
              </div>
            }
            previewHeading={
              <>
                Preview <span className="muted">{live.pending ? "(updating…)" : "(sanitised, as it will be published)"}</span>
              </>
            }
            // Sanitised on the server by renderMarkdown: no script, handler or javascript: URL survives.
            preview={<div className="letter-body" dangerouslySetInnerHTML={{ __html: live.html }} />}
          />
          <PublishConfirmation publishing={publishing} confirmation={fields.confirmation} confirmFrozen={fields.confirmFrozen} hintId={confirmationHintId} />
          <div className="button-row">
            <button type="submit" name="intent" value="save" className="button" disabled={saving}>
              Save draft
            </button>
            <button type="submit" name="intent" value="publish" className="button button--primary" disabled={saving || publishing?.phase === "not-started"}>
              Publish
            </button>
          </div>
          <p className="field__hint">Publishing saves your edits, then freezes the letter for good. After that, only dated errata can be added.</p>
        </Form>
      ) : (
        <section aria-labelledby="preview-heading">
          <h2 id="preview-heading">Preview</h2>
          <p className="muted">Only admins edit and publish letters.</p>
          <div className="letter-body" dangerouslySetInnerHTML={{ __html: previewHtml }} />
        </section>
      )}

      {canEdit ? (
        <section aria-labelledby="regenerate-heading" className="stack">
          <h2 id="regenerate-heading">Start again from the record</h2>
          <Form method="post" {...getFormProps(regenForm)} className="stack">
            <input type="hidden" name="intent" value="regenerate" />
            <input type="hidden" name="version" value={version} />
            <FormErrors id={regenForm.errorId} errors={regenForm.errors} />
            {letter.edited ? (
              <div className="field field--checkbox">
                <p className="warning" id="regenerate-warning">
                  This draft has edits. Regenerating replaces the whole text, your edits included, with a fresh draft from the record.
                </p>
                <input type="checkbox" id="replaceEdits" name="replaceEdits" aria-describedby="regenerate-warning" />
                <label htmlFor="replaceEdits">Yes, replace my edits</label>
              </div>
            ) : (
              <p>The text is as generated; regenerating picks up changes to the record since then.</p>
            )}
            <div>
              <button type="submit" className="button">
                Regenerate from the record
              </button>
            </div>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="discard" />
            <input type="hidden" name="version" value={version} />
            <button type="submit" className="button button--danger">
              Discard this draft
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}

type Publishing = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["publishing"]>;

/**
 * What stands between Publish and a frozen letter, by where the year is: not started (no
 * publishing), under way (what is still open, and the phrase to type), ended (a box to tick).
 * Part of the editor's form, so it works the same without JavaScript.
 */
function PublishConfirmation({
  publishing,
  confirmation,
  confirmFrozen,
  hintId,
}: {
  publishing: Publishing | null;
  confirmation: FieldMetadata<string | undefined>;
  confirmFrozen: FieldMetadata<string | undefined>;
  hintId: string;
}) {
  if (!publishing) return null;
  if (publishing.phase === "not-started") {
    return (
      <p className="warning" id="publish-timing">
        {publishing.notStarted}
      </p>
    );
  }
  if (publishing.phase === "under-way") {
    const inputProps = getInputProps(confirmation, { type: "text", ariaAttributes: true });
    const describedBy = [hintId, confirmation.errors?.length ? confirmation.errorId : null].filter(Boolean).join(" ");
    return (
      <fieldset className="publish-confirmation stack">
        <legend>Publishing before the year ends</legend>
        <p id={hintId} className="warning">
          {publishing.summary} Published now, the letter says so for good: outcomes recorded later appear only in the ledger and next year&apos;s
          letter. <Link to={`/year-end/${publishing.fiscalYear}`}>See what is still open</Link>.
        </p>
        <div className="field">
          <label htmlFor={confirmation.id}>
            Type <kbd>{publishing.phrase}</kbd> to confirm
          </label>
          <input {...inputProps} key={inputProps.key} autoComplete="off" spellCheck={false} aria-describedby={describedBy} />
          {confirmation.errors?.length ? (
            <p id={confirmation.errorId} className="field__error">
              {confirmation.errors.join(" ")}
            </p>
          ) : null}
        </div>
      </fieldset>
    );
  }
  const boxProps = getInputProps(confirmFrozen, { type: "checkbox", ariaAttributes: true });
  return (
    <div className="field field--checkbox publish-confirmation">
      <p id={hintId} className="field__hint">
        FY{publishing.fiscalYear} {publishing.countdown}.{" "}
        {publishing.openCount === 0
          ? "Every commitment in the letter has its outcome."
          : `${publishing.openCount === 1 ? "1 commitment is" : `${publishing.openCount} commitments are`} still without an outcome and will be listed as open.`}
      </p>
      <input {...boxProps} key={boxProps.key} aria-describedby={[hintId, confirmFrozen.errors?.length ? confirmFrozen.errorId : null].filter(Boolean).join(" ")} />
      <label htmlFor={confirmFrozen.id}>I have read this letter; publish it for good</label>
      {confirmFrozen.errors?.length ? (
        <p id={confirmFrozen.errorId} className="field__error">
          {confirmFrozen.errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
