import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { FormErrors, TextField } from "~/components/ui/field";
import { LoginSchema } from "~/schemas/people";
import { login } from "~/services/auth.server";
import { needsSetup } from "~/services/setup.server";
import { invalid, refused } from "~/http/forms.server";
import { forwardHeaders } from "~/http/headers.server";
import { commitSessionToken, getOptionalUser, readSessionToken, safeRedirectPath } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Kept" }];
export const headers = forwardHeaders(["Retry-After"]);

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await needsSetup(context.db)) throw redirect("/setup");
  if (await getOptionalUser(request, context)) {
    throw redirect(safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")));
  }
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: LoginSchema });
  if (submission.status !== "success") return invalid(submission, { hideFields: ["password"] });
  const result = await login(context.db, {
    email: submission.value.email,
    password: submission.value.password,
    ip: context.clientIp,
    userAgent: request.headers.get("user-agent"),
    previousToken: await readSessionToken(request, context.env),
  });
  // Who tried and from where, never what they typed as a password.
  const who = { account: submission.value.email, address: context.clientIp };
  if (!result.ok) {
    context.logger.warn({ code: result.error.code, ...who }, "sign-in refused");
    return refused(submission, result.error, { hideFields: ["password"] });
  }
  context.logger.info({ userId: result.value.userId, ...who }, "signed in");
  return redirect(safeRedirectPath(submission.value.redirectTo), {
    headers: { "Set-Cookie": await commitSessionToken(context.env, result.value.token, result.value.expiresAt) },
  });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    id: "login",
    lastResult: actionData?.result,
    constraint: getZodConstraint(LoginSchema),
    shouldValidate: "onSubmit",
    defaultValue: { email: searchParams.get("email") ?? "" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
  });
  return (
    <div className="page page--narrow">
      <h1>Sign in</h1>
      {searchParams.get("password-set") ? (
        <p role="status" className="notice">
          Your password is set. Sign in with it.
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
        <TextField meta={fields.email} label="Email" type="email" autoComplete="username" />
        <TextField meta={fields.password} label="Password" type="password" autoComplete="current-password" />
        <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Signing in…" : "Sign in"}
        </button>
      </Form>
      <p className="muted">Forgotten your password? Ask an admin of your organisation for a password reset link.</p>
    </div>
  );
}
