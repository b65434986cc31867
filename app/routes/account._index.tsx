// The signed-in person's own account: their password and their sessions. Everything here is
// about the person asking; no parameter names anyone else (ADR 0018), so nobody — admins
// included — can read or end another person's sessions from here.
import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrors, TextField } from "~/components/ui/field";
import { formatAccountTime, userAgentSummary } from "~/domain/accounts";
import { getOrganisation } from "~/models/organisation.server";
import { ChangePasswordSchema, SessionActionSchema } from "~/schemas/people";
import { changeOwnPassword, endOtherSessions, endOwnSession, ownSessions } from "~/services/accounts.server";
import { invalid, refused } from "~/http/forms.server";
import { forwardHeaders } from "~/http/headers.server";
import { readSessionToken, requireUser } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Your account · Kept" }];
export const headers = forwardHeaders(["Retry-After"]);

async function requireSession(request: Request, context: LoaderFunctionArgs["context"]) {
  const user = await requireUser(request, context);
  const token = await readSessionToken(request, context.env);
  // requireUser found a session, so the cookie is there; this only satisfies the types.
  if (!token) throw redirect("/login?redirectTo=%2Faccount");
  return { user, token };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, token } = await requireSession(request, context);
  const now = new Date();
  const [sessions, org] = await Promise.all([
    ownSessions(context.db, user.id, token, now, context.env.SESSION_IDLE_DAYS * 24 * 60 * 60 * 1000),
    getOrganisation(context.db),
  ]);
  const zone = org?.timeZone ?? "UTC";
  return {
    user: { name: user.name, email: user.email, role: user.role },
    sessions: sessions.map((s) => ({
      id: s.id,
      current: s.current,
      browser: userAgentSummary(s.userAgent),
      createdAt: formatAccountTime(s.createdAt, zone),
      lastSeenAt: formatAccountTime(s.lastSeenAt, zone),
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, token } = await requireSession(request, context);
  const formData = await request.formData();
  const now = new Date();
  if (formData.get("intent") === "change-password") {
    const hide = { hideFields: ["currentPassword", "newPassword", "confirm"] };
    const submission = parseWithZod(formData, { schema: ChangePasswordSchema });
    if (submission.status !== "success") return invalid(submission, { ...hide, extra: { form: "password" as const } });
    const result = await changeOwnPassword(
      context.db,
      user,
      { currentPassword: submission.value.currentPassword, newPassword: submission.value.newPassword, currentToken: token },
      now,
    );
    if (!result.ok) {
      context.logger.warn({ userId: user.id, code: result.error.code, address: context.clientIp }, "password change refused");
      return refused(submission, result.error, { ...hide, extra: { form: "password" as const } });
    }
    context.logger.info({ userId: user.id, signedOut: result.value.signedOut }, "password changed");
    return { form: "password" as const, result: submission.reply({ resetForm: true }), saved: `Password changed. ${signedOutText(result.value.signedOut)}` };
  }
  const submission = parseWithZod(formData, { schema: SessionActionSchema });
  if (submission.status !== "success") return invalid(submission, { extra: { form: "sessions" as const } });
  if (submission.value.intent === "end-others") {
    const ended = await endOtherSessions(context.db, user.id, token);
    context.logger.info({ userId: user.id, signedOut: ended }, "signed out everywhere else");
    return { form: "sessions" as const, result: submission.reply(), saved: ended === 0 ? "You were not signed in anywhere else." : signedOutText(ended) };
  }
  const ended = await endOwnSession(context.db, user.id, token, submission.value.sessionId);
  if (!ended.ok) return refused(submission, { ...ended.error, field: undefined }, { extra: { form: "sessions" as const } });
  context.logger.info({ userId: user.id, sessionId: submission.value.sessionId }, "session signed out");
  return { form: "sessions" as const, result: submission.reply(), saved: "That session is signed out." };
}

function signedOutText(n: number): string {
  if (n === 0) return "You were not signed in anywhere else.";
  return n === 1 ? "Signed out of 1 other session." : `Signed out of ${n} other sessions.`;
}

export default function Account() {
  const { user, sessions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const passwordReply = actionData?.form === "password" ? actionData : null;
  const sessionsReply = actionData?.form === "sessions" ? actionData : null;
  const [passwordForm, fields] = useForm({
    id: "change-password",
    lastResult: passwordReply?.result,
    constraint: getZodConstraint(ChangePasswordSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ChangePasswordSchema }),
  });
  const [sessionsForm] = useForm({ id: "sessions", lastResult: sessionsReply?.result });
  const others = sessions.filter((s) => !s.current).length;
  const passwordSaved = passwordReply && "saved" in passwordReply ? String(passwordReply.saved) : null;
  const sessionsSaved = sessionsReply && "saved" in sessionsReply ? String(sessionsReply.saved) : null;
  return (
    <div className="page page--narrow">
      <h1>Your account</h1>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{user.name}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Role</dt>
        <dd>{user.role}</dd>
      </dl>
      <p>
        Also yours: <Link to="/account/notifications">notification preferences</Link> and <Link to="/account/tokens">API tokens</Link>.
      </p>

      <section aria-labelledby="password-heading" className="panel">
        <h2 id="password-heading">Change your password</h2>
        {passwordSaved ? (
          <p role="status" className="notice">
            {passwordSaved}
          </p>
        ) : null}
        <Form method="post" {...getFormProps(passwordForm)} className="stack">
          <FormErrors id={passwordForm.errorId} errors={passwordForm.errors} />
          <input type="hidden" name="intent" value="change-password" />
          <input type="email" name="username" autoComplete="username" value={user.email} readOnly hidden />
          <TextField meta={fields.currentPassword} label="Current password" type="password" autoComplete="current-password" />
          <TextField meta={fields.newPassword} label="New password" type="password" autoComplete="new-password" hint="At least 8 characters. You stay signed in here; everywhere else is signed out." />
          <TextField meta={fields.confirm} label="Type the new password again" type="password" autoComplete="new-password" />
          <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
            Change password
          </button>
        </Form>
      </section>

      <section aria-labelledby="sessions-heading" className="panel">
        <h2 id="sessions-heading">Where you are signed in</h2>
        {sessionsSaved ? (
          <p role="status" className="notice">
            {sessionsSaved}
          </p>
        ) : null}
        <FormErrors id={sessionsForm.errorId} errors={sessionsForm.errors} />
        <ul className="session-list">
          {sessions.map((s) => (
            <li key={s.id} className="session-list__item" data-testid="session">
              <p>
                <strong>{s.browser}</strong>
                {s.current ? (
                  <>
                    {" "}
                    <span className="badge badge--open">This session</span>
                  </>
                ) : null}
              </p>
              <p className="muted">
                Signed in {s.createdAt}. Last active {s.lastSeenAt}.
              </p>
              {s.current ? null : (
                <Form method="post">
                  <input type="hidden" name="intent" value="end-session" />
                  <input type="hidden" name="sessionId" value={s.id} />
                  <button type="submit" className="button button--small">
                    Sign out<span className="visually-hidden"> of {s.browser}, signed in {s.createdAt}</span>
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
        {others > 0 ? (
          <Form method="post">
            <button type="submit" name="intent" value="end-others" className="button button--danger">
              Sign out everywhere else
            </button>
          </Form>
        ) : (
          <p className="muted">You are signed in only here.</p>
        )}
      </section>
    </div>
  );
}
