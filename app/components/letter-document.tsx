import { getFormProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { Form, Link } from "@remix-run/react";
import { FormErrors } from "~/components/ui/field";
import { ErratumSchema } from "~/schemas/letters";
import { Moment } from "./dates";

export interface LetterDocumentData {
  organisationName: string;
  fiscalYear: number;
  audience: "public" | "internal";
  title: string;
  html: string;
  sha256: string;
  publishedAt: string;
  path: string;
  previous: { fiscalYear: number; title: string; path: string } | null;
  next: { fiscalYear: number; title: string; path: string } | null;
  errata: Array<{ id: string; html: string; createdAt: string }>;
}

/** The page around a published letter, shared by the public and the internal address. */
export function LetterPage({
  letter,
  canCorrect,
  appended,
  erratumResult,
}: {
  letter: LetterDocumentData;
  canCorrect: boolean;
  appended: boolean;
  erratumResult?: SubmissionResult<string[]> | null;
}) {
  return (
    <div className="page page--letter">
      {appended ? (
        <p role="status" className="notice no-print">
          Erratum appended. It is on this page and in the feed, and cannot be changed.
        </p>
      ) : null}
      <LetterDocument letter={letter} canCorrect={canCorrect} erratumResult={erratumResult} />
    </div>
  );
}

/** Title and description of a letter page; internal letters ask search engines to stay away. */
export function letterMeta(letter: Pick<LetterDocumentData, "title" | "organisationName" | "fiscalYear" | "audience"> | undefined) {
  if (!letter) return [{ title: "Letter not found" }];
  const description = `${letter.organisationName}: what we said we would do in FY${letter.fiscalYear}, what we did, and what we did not do and why.`;
  return letter.audience === "internal"
    ? [{ title: `${letter.title} (internal) · ${letter.organisationName}` }, { name: "robots", content: "noindex" }, { name: "description", content: description }]
    : [
        { title: `${letter.title} · ${letter.organisationName}` },
        { name: "description", content: description },
        { tagName: "link", rel: "alternate", type: "application/atom+xml", href: "/letters/feed.xml", title: "Letters and errata" },
      ];
}


/** A published letter: masthead with year, hash and the previous letter; body with appendix; errata. */
export function LetterDocument({
  letter,
  canCorrect,
  erratumResult,
}: {
  letter: LetterDocumentData;
  canCorrect: boolean;
  erratumResult?: SubmissionResult<string[]> | null;
}) {
  return (
    <article className="letter" aria-labelledby="letter-masthead-title">
      <header className="letter-masthead">
        <p className="letter-masthead__org">{letter.organisationName}</p>
        <p id="letter-masthead-title" className="letter-masthead__year">
          Annual letter, FY{letter.fiscalYear}
          {letter.audience === "internal" ? " · internal, not for publication" : ""}
        </p>
        <dl className="letter-masthead__facts">
          <div>
            <dt>Published</dt>
            <dd>
              <Moment value={letter.publishedAt} dayOnly />
            </dd>
          </div>
          <div>
            <dt>SHA-256</dt>
            <dd>
              <code className="hash">{letter.sha256}</code>{" "}
              <a href={`${letter.path}/letter.md`}>Markdown as published</a>{" "}
              <span className="muted no-print">(its SHA-256 is the hash above)</span>
            </dd>
          </div>
          <div>
            <dt>Previous letter</dt>
            <dd>{letter.previous ? <Link to={letter.previous.path}>{letter.previous.title}</Link> : "This is our first letter."}</dd>
          </div>
          {letter.next ? (
            <div className="no-print">
              <dt>Next letter</dt>
              <dd>
                <Link to={letter.next.path}>{letter.next.title}</Link>
              </dd>
            </div>
          ) : null}
        </dl>
      </header>

      {/* Rendered and sanitised once, when the letter was published; stored and hashed since. */}
      <div className="letter-body" dangerouslySetInnerHTML={{ __html: letter.html }} />

      <section className="letter-errata" aria-labelledby="errata-heading">
        <h2 id="errata-heading">Errata</h2>
        {letter.errata.length === 0 ? (
          <p>No corrections have been made to this letter since it was published.</p>
        ) : (
          <ol className="errata-list">
            {letter.errata.map((e) => (
              <li key={e.id} id={`erratum-${e.id}`}>
                <p className="errata-list__date">
                  <Moment value={e.createdAt} dayOnly />
                </p>
                <div dangerouslySetInnerHTML={{ __html: e.html }} />
              </li>
            ))}
          </ol>
        )}
        {canCorrect ? <ErratumForm result={erratumResult ?? undefined} /> : null}
      </section>
    </article>
  );
}

function ErratumForm({ result }: { result?: SubmissionResult<string[]> }) {
  const [form, fields] = useForm({
    id: "erratum",
    lastResult: result,
    constraint: getZodConstraint(ErratumSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ErratumSchema }),
  });
  const props = getTextareaProps(fields.body, { ariaAttributes: true });
  return (
    <Form method="post" {...getFormProps(form)} className="stack no-print erratum-form">
      <h3>Append an erratum</h3>
      <input type="hidden" name="intent" value="erratum" />
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="field">
        <label htmlFor={fields.body.id}>Correction (Markdown)</label>
        <p id={`${fields.body.id}-hint`} className="field__hint">
          Say what was wrong and what is right. Errata are dated, shown on this page and in the feed, and can never be edited or removed.
        </p>
        <textarea
          {...props}
          key={props.key}
          rows={4}
          aria-describedby={[`${fields.body.id}-hint`, fields.body.errors?.length ? fields.body.errorId : null].filter(Boolean).join(" ")}
        />
        {fields.body.errors?.length ? (
          <p id={fields.body.errorId} className="field__error">
            {fields.body.errors.join(" ")}
          </p>
        ) : null}
      </div>
      <div>
        <button type="submit" className="button">
          Append erratum
        </button>
      </div>
    </Form>
  );
}
