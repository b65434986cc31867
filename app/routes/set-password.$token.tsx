// The page a one-time link opens (an invitation or a reset link, ADR 0018): the person chooses
// their password, the link is spent, and they sign in with it. A used, expired, withdrawn or
// unknown link gets a page that says which, and what to do.
import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrors, TextField } from "~/components/ui/field";
import { formatAccountTime } from "~/domain/accounts";
import { getOrganisation } from "~/models/organisation.server";
import { SetPasswordSchema } from "~/schemas/people";
import { readAccountLink, redeemAccountLink } from "~/services/accounts.server";
import { logout } from "~/services/auth.server";
import { STATUS_BY_CODE, type DomainError } from "~/domain/result";
import { refused, invalid } from "~/http/forms.server";
import { clearSessionCookie, readSessionToken } from "~/http/session.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  { title: d && "problem" in d && d.problem ? "This link does not work · Kept" : "Choose your password · Kept" },
  { name: "robots", content: "noindex" },
];

// The token is in the path: never send it to another site as a referrer (same-origin, not
// no-referrer, which would make the form post arrive with Origin: null and be refused), never
// cache the page.
const PRIVATE_HEADERS = { "Referrer-Policy": "same-origin", "Cache-Control": "no-store" };
export const headers: HeadersFunction = () => PRIVATE_HEADERS;

const PROBLEM_TITLES: Partial<Record<DomainError["code"], string>> = {
  "LINK.USED": "This link has already been used",
  "LINK.EXPIRED": "This link has expired",
  "LINK.REVOKED": "This link was withdrawn",
  "LINK.UNKNOWN": "This link does not work",
};

function linkProblem(error: DomainError) {
  return data(
    { problem: { title: PROBLEM_TITLES[error.code] ?? "This link does not work", message: error.message }, link: null },
    { status: STATUS_BY_CODE[error.code], headers: PRIVATE_HEADERS },
  );
}

export async function loader({ params, context }: LoaderFunctionArgs) {
  const now = new Date();
  const link = await readAccountLink(context.db, params.token ?? "", now);
  if (!link.ok) return linkProblem(link.error);
  const org = await getOrganisation(context.db);
  return data(
    {
      problem: null,
      link: {
        purpose: link.value.purpose,
        name: link.value.name,
        email: link.value.email,
        expires: formatAccountTime(link.value.expiresAt, org?.timeZone ?? "UTC"),
        organisationName: org?.name ?? "your organisation",
      },
    },
    { headers: PRIVATE_HEADERS },
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: SetPasswordSchema });
  if (submission.status !== "success") return invalid(submission, { hideFields: ["password", "confirm"] });
  const result = await redeemAccountLink(context.db, params.token ?? "", submission.value.password, new Date());
  if (!result.ok) {
    if (result.error.code.startsWith("LINK.")) {
      context.logger.warn({ code: result.error.code, address: context.clientIp }, "sign-in link refused");
      return linkProblem(result.error);
    }
    return refused(submission, result.error, { hideFields: ["password", "confirm"] });
  }
  context.logger.info({ userId: result.value.userId, purpose: result.value.purpose }, "password set through a link");
  // Whoever was signed in on this browser (say, the admin trying the link) is signed out, so
  // the sign-in page that follows is for the person whose password this is.
  const token = await readSessionToken(request, context.env);
  if (token) await logout(context.db, token);
  const next = new URLSearchParams({ email: result.value.email, "password-set": "1" });
  return redirect(`/login?${next.toString()}`, { headers: { "Set-Cookie": await clearSessionCookie(context.env) } });
}

export default function SetPassword() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const problem = (actionData && "problem" in actionData ? actionData.problem : null) ?? loaded.problem;
  const [form, fields] = useForm({
    id: "set-password",
    lastResult: actionData && "result" in actionData ? actionData.result : undefined,
    constraint: getZodConstraint(SetPasswordSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SetPasswordSchema }),
  });
  if (problem || !loaded.link) {
    return (
      <div className="page page--narrow">
        <h1>{problem?.title ?? "This link does not work"}</h1>
        <p>{problem?.message}</p>
        <p>
          <Link to="/login">Go to the sign-in page</Link>
        </p>
      </div>
    );
  }
  const link = loaded.link;
  return (
    <div className="page page--narrow">
      <h1>{link.purpose === "invitation" ? `Welcome, ${link.name}` : "Choose a new password"}</h1>
      <p className="lead">
        {link.purpose === "invitation"
          ? `You have been added to ${link.organisationName}'s Kept as ${link.email}. Choose a password to sign in with.`
          : `Choose a new password for ${link.email}. Every place you are signed in will be signed out.`}
      </p>
      <p className="muted">This link works once, until {link.expires}.</p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        {/* For password managers: the account this password belongs to. */}
        <input type="email" name="username" autoComplete="username" value={link.email} readOnly hidden />
        <TextField meta={fields.password} label="New password" type="password" autoComplete="new-password" hint="At least 8 characters; a phrase of a few words is easy to remember." />
        <TextField meta={fields.confirm} label="Type it again" type="password" autoComplete="new-password" />
        <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
          Set password
        </button>
      </Form>
    </div>
  );
}
