import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrors, SelectField } from "~/components/ui/field";
import { GenerateLetterSchema } from "~/schemas/letters";
import { canReadPublicSite, findLetter, generateLetterDraft, letterPath, lettersFor, letterYearChoices } from "~/services/letters.server";
import { yearTimingOn } from "~/services/year-close.server";
import { countdownPhrase } from "~/domain/year-close";
import { invalid, refused } from "~/http/forms.server";
import { actorOf, getOptionalUser, requireAdmin } from "~/http/session.server";
import { Moment } from "~/components/dates";
import { can } from "~/domain/permissions";

export const meta: MetaFunction = () => [
  { title: "Letters · Kept" },
  { name: "description", content: "Our annual letters: what we said we would do, what we did, what we did not do and why." },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request, context);
  const viewer = user ? actorOf(user) : null;
  // With the public site switched off, the letters do not exist for anonymous visitors.
  if (!viewer && !(await canReadPublicSite(context.db, null))) throw new Response("Not found", { status: 404 });
  const letters = await lettersFor(context.db, viewer);
  const now = new Date();
  const isAdmin = user !== null && can(actorOf(user), "letters.manage");
  const choices = isAdmin ? await letterYearChoices(context.db, now) : null;
  const closing = choices ? await yearTimingOn(context.db, choices.currentYear, now) : null;
  return {
    signedIn: Boolean(user),
    isAdmin,
    choices,
    closing: closing ? { fiscalYear: closing.fiscalYear, countdown: countdownPhrase(closing) } : null,
    letters: letters.map((l) => ({
      id: l.id,
      fiscalYear: l.fiscalYear,
      audience: l.audience,
      title: l.title,
      status: l.status,
      publishedAt: l.publishedAt?.toISOString() ?? null,
      updatedAt: l.updatedAt.toISOString(),
      sha256: l.sha256,
      href: l.status === "published" ? letterPath(l.fiscalYear, l.audience) : `/letters/drafts/${l.id}`,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireAdmin(request, context, "letters.manage");
  const submission = parseWithZod(await request.formData(), { schema: GenerateLetterSchema });
  if (submission.status !== "success") return invalid(submission);
  const { fiscalYear, audience } = submission.value;
  // A letter that exists already is opened, never regenerated from here: regenerating is a
  // deliberate step in the editor, with a warning when it would replace edits.
  const existing = await findLetter(context.db, actorOf(user), fiscalYear, audience);
  if (existing) throw redirect(existing.status === "published" ? letterPath(fiscalYear, audience) : `/letters/drafts/${existing.id}`);
  const result = await generateLetterDraft(context.db, actorOf(user), { fiscalYear, audience }, new Date(), context.logger);
  if (!result.ok) return refused(submission, result.error);
  throw redirect(`/letters/drafts/${result.value.id}`);
}


export default function LettersIndex() {
  const { letters, isAdmin, choices, signedIn, closing } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "generate-letter",
    lastResult: actionData?.result,
    constraint: getZodConstraint(GenerateLetterSchema),
    defaultValue: { fiscalYear: choices ? String(choices.currentYear - 1) : "", audience: "public" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: GenerateLetterSchema }),
  });
  const published = letters.filter((l) => l.status === "published");
  const drafts = letters.filter((l) => l.status === "draft");
  return (
    <div className="page">
      <h1>Letters</h1>
      <p className="lead">
        Once a year we write to our customers: first what we said we would do, then what we did, then what we did not do and why, and only then what
        we commit to next. Published letters never change; corrections are appended as dated errata.
      </p>
      <p>
        <Link to="/ledger">The public ledger</Link> lists every customer-facing commitment with its current status.{" "}
        <a href="/letters/feed.xml">Subscribe to the Atom feed</a> to hear about new letters and corrections.
      </p>

      <section aria-labelledby="published-heading">
        <h2 id="published-heading">Published letters</h2>
        {published.length === 0 ? (
          <p>No letter has been published yet.</p>
        ) : (
          <ul className="card-list">
            {published.map((l) => (
              <li key={l.id} className="card">
                <h3>
                  <Link to={l.href}>{l.title}</Link>
                </h3>
                <p className="muted">
                  FY{l.fiscalYear} · {l.audience === "public" ? "Public" : "Internal"} · published{" "}
                  {l.publishedAt ? <Moment value={l.publishedAt} dayOnly /> : null}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>

      {signedIn ? (
        <section aria-labelledby="drafts-heading">
          <h2 id="drafts-heading">Drafts</h2>
          <p className="muted">Drafts are private: only people signed in to Kept can see them.</p>
          {drafts.length === 0 ? (
            <p>There are no drafts.</p>
          ) : (
            <ul className="card-list">
              {drafts.map((l) => (
                <li key={l.id} className="card">
                  <h3>
                    <Link to={l.href}>{l.title}</Link>
                  </h3>
                  <p className="muted">
                    FY{l.fiscalYear} · {l.audience === "public" ? "Public" : "Internal"} · draft, last changed <Moment value={l.updatedAt} dayOnly />
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}

      {isAdmin && choices ? (
        <section aria-labelledby="generate-heading">
          <h2 id="generate-heading">Write a letter</h2>
          <p>Kept drafts the letter from the record of the year. You edit it, and publish it when every shortfall is accounted for.</p>
          {closing ? (
            <p>
              FY{closing.fiscalYear} {closing.countdown}. <Link to={`/year-end/${closing.fiscalYear}`}>Close FY{closing.fiscalYear}</Link> first: what is
              still open, explanations and retrospectives to finish, then the letter. <Link to={`/year-end/${closing.fiscalYear - 1}`}>FY{closing.fiscalYear - 1}</Link>{" "}
              has its close page too.
            </p>
          ) : null}
          <p className="field__hint">Only years that have started are offered: a letter for a year not yet begun would have nothing to report.</p>
          <Form method="post" {...getFormProps(form)} className="stack form--inline">
            <input type="hidden" name="intent" value="generate" />
            <FormErrors id={form.errorId} errors={form.errors} />
            <SelectField
              meta={fields.fiscalYear}
              label="Fiscal year"
              options={choices.years.map((y) => ({ value: String(y), label: `FY${y}` }))}
            />
            <SelectField
              meta={fields.audience}
              label="Audience"
              options={[
                { value: "public", label: "Public: customer-facing commitments only" },
                { value: "internal", label: "Internal: every commitment" },
              ]}
            />
            <div>
              <button type="submit" className="button button--primary">
                Draft the letter
              </button>
            </div>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
