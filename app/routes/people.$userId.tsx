import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { IssuedLinkNotice, type IssuedLinkView } from "~/components/issued-link";
import { FormErrors, SelectField } from "~/components/ui/field";
import { formatAccountTime, type SignInStatus } from "~/domain/accounts";
import { getOrganisation } from "~/models/organisation.server";
import { teamsOfUser } from "~/models/team.server";
import { getUserById } from "~/models/user.server";
import { UuidSchema } from "~/schemas/common";
import { PersonActionSchema } from "~/schemas/people";
import { issueAccountLink, revokeAccountLink, signInStatusOf } from "~/services/accounts.server";
import { listTokens, revokeToken } from "~/services/api-tokens.server";
import { changeRole, setActive } from "~/services/people.server";
import { accountLinkDelivery } from "~/utils/env.server";
import { invalid, refused } from "~/utils/forms.server";
import { actorOf, forbidden, requireUser } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.person.name ?? "Person"} · Kept` }];

function notFound(): Response {
  return new Response("That person does not exist.", { status: 404 });
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const id = UuidSchema.safeParse(params.userId);
  if (!id.success) throw notFound();
  const person = await getUserById(context.db, id.data);
  if (!person) throw notFound();
  const canManage = user.role === "admin";
  const now = new Date();
  const [teams, tokens, signIn, org] = await Promise.all([
    teamsOfUser(context.db, person.id),
    canManage ? listTokens(context.db, person.id) : Promise.resolve([]),
    signInStatusOf(context.db, actorOf(user), person.id, now),
    getOrganisation(context.db),
  ]);
  return {
    canManage,
    signIn: signIn ? signInView(signIn, org?.timeZone ?? "UTC") : null,
    tokens: tokens
      .filter((t) => !t.revokedAt)
      .map((t) => ({ id: t.id, name: t.name, prefix: t.prefix, scope: t.scope, lastUsedAt: t.lastUsedAt?.toISOString().slice(0, 10) ?? null })),
    isSelf: user.id === person.id,
    person: {
      id: person.id,
      name: person.name,
      email: person.email,
      role: person.role,
      active: person.active,
      createdAt: person.createdAt.toISOString().slice(0, 10),
      deactivatedAt: person.deactivatedAt?.toISOString().slice(0, 10) ?? null,
    },
    teams,
  };
}

function signInView(status: SignInStatus, timeZone: string) {
  switch (status.kind) {
    case "password":
      return { kind: status.kind, text: "Has chosen a password." };
    case "no-password":
      return { kind: status.kind, text: "Has no password yet and no open invitation: invite them to choose one." };
    case "invited":
      return {
        kind: status.kind,
        text: status.expired
          ? `Invitation pending, but it expired on ${formatAccountTime(status.expiresAt, timeZone)}. Re-issue it.`
          : `Invitation pending: they have not chosen a password yet. The link works until ${formatAccountTime(status.expiresAt, timeZone)}.`,
      };
    case "reset-pending":
      return {
        kind: status.kind,
        text: status.expired
          ? `A password reset link expired on ${formatAccountTime(status.expiresAt, timeZone)} unused.`
          : `A password reset link is open until ${formatAccountTime(status.expiresAt, timeZone)}. Their current password works until it is used.`,
      };
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  if (user.role !== "admin") throw forbidden("Only admins can change people.");
  const id = UuidSchema.safeParse(params.userId);
  if (!id.success) throw notFound();
  const submission = parseWithZod(await request.formData(), { schema: PersonActionSchema });
  if (submission.status !== "success") return invalid(submission);
  const actor = actorOf(user);
  const value = submission.value;
  const now = new Date();
  if (value.intent === "invite" || value.intent === "reset-link") {
    const purpose = value.intent === "invite" ? "invitation" : "reset";
    const issued = await issueAccountLink(context.db, actor, id.data, purpose, accountLinkDelivery(context.env, request), now);
    if (!issued.ok) {
      if (issued.error.code === "NOT_FOUND") throw notFound();
      return refused(submission, issued.error);
    }
    context.logger.info({ userId: id.data, by: user.id, purpose, emailed: issued.value.emailed }, "sign-in link issued");
    const org = await getOrganisation(context.db);
    const link: IssuedLinkView = {
      purpose: issued.value.purpose,
      url: issued.value.url,
      emailed: issued.value.emailed,
      expires: formatAccountTime(issued.value.expiresAt, org?.timeZone ?? "UTC"),
    };
    return { result: submission.reply({ resetForm: true }), saved: value.intent, link };
  }
  if (value.intent === "revoke-link") {
    const revoked = await revokeAccountLink(context.db, actor, id.data, now);
    if (!revoked.ok) {
      if (revoked.error.code === "NOT_FOUND") throw notFound();
      return refused(submission, revoked.error);
    }
    context.logger.info({ userId: id.data, by: user.id, revoked: revoked.value.revoked }, "sign-in link revoked");
    return { result: submission.reply({ resetForm: true }), saved: value.intent };
  }
  const result =
    value.intent === "role"
      ? await changeRole(context.db, actor, id.data, value.role)
      : value.intent === "revoke-token"
        ? await revokeToken(context.db, actor, value.tokenId, new Date())
        : await setActive(context.db, actor, id.data, value.intent === "reactivate", new Date());
  if (!result.ok) {
    if (result.error.code === "NOT_FOUND") throw notFound();
    return refused(submission, result.error);
  }
  context.logger.info({ userId: id.data, intent: value.intent }, "person changed");
  return { result: submission.reply({ resetForm: true }), saved: value.intent };
}

const SAVED: Record<string, string> = {
  "revoke-token": "Token revoked. It stopped working at once.",
  role: "Role changed.",
  deactivate: "Deactivated. Their sessions have ended.",
  reactivate: "Reactivated. They can sign in again.",
  "revoke-link": "Link withdrawn. It no longer works.",
};

export default function Person() {
  const { person, teams, canManage, isSelf, tokens, signIn } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    id: "person",
    lastResult: actionData?.result,
    defaultValue: { role: person.role },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PersonActionSchema }),
  });
  const issued = actionData && "link" in actionData ? actionData.link : null;
  const saved = issued ? null : actionData && "saved" in actionData ? SAVED[actionData.saved] : searchParams.get("added") ? "Person added." : null;
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/people">People</Link>
      </p>
      <h1>{person.name}</h1>
      {saved ? (
        <p role="status" className="notice">
          {saved}
        </p>
      ) : null}
      <dl className="facts">
        <dt>Email</dt>
        <dd>{person.email}</dd>
        <dt>Role</dt>
        <dd>{person.role}</dd>
        <dt>Status</dt>
        <dd>{person.active ? "Active" : `Deactivated on ${person.deactivatedAt}`}</dd>
        <dt>Joined</dt>
        <dd>{person.createdAt}</dd>
      </dl>
      <h2>Teams</h2>
      {teams.length === 0 ? (
        <p>Not on any team.</p>
      ) : (
        <ul>
          {teams.map((t) => (
            <li key={t.id}>
              <Link to={`/teams/${t.slug}`}>{t.name}</Link> ({t.role})
            </li>
          ))}
        </ul>
      )}
      {canManage ? (
        <section className="panel" aria-labelledby="manage-heading">
          <h2 id="manage-heading">Manage</h2>
          <FormErrors id={form.errorId} errors={form.errors} />
          {signIn ? (
            <section aria-labelledby="sign-in-heading">
              <h3 id="sign-in-heading">Signing in</h3>
              {issued ? <IssuedLinkNotice name={person.name} email={person.email} link={issued} /> : null}
              <p data-testid="sign-in-status">{signIn.text}</p>
              {person.active ? (
                <Form method="post" className="inline-form">
                  {signIn.kind === "invited" || signIn.kind === "no-password" ? (
                    <button type="submit" name="intent" value="invite" className="button">
                      {signIn.kind === "invited" ? "Re-issue invitation" : "Invite to choose a password"}
                    </button>
                  ) : (
                    <button type="submit" name="intent" value="reset-link" className="button">
                      {signIn.kind === "reset-pending" ? "Issue a new reset link" : "Issue a password reset link"}
                    </button>
                  )}
                  {signIn.kind === "invited" || signIn.kind === "reset-pending" ? (
                    <button type="submit" name="intent" value="revoke-link" className="button button--danger">
                      Withdraw the link
                    </button>
                  ) : null}
                </Form>
              ) : (
                <p className="muted">Reactivate {person.name} to issue a sign-in link.</p>
              )}
            </section>
          ) : null}
          <Form method="post" {...getFormProps(form)} className="inline-form">
            <SelectField
              meta={fields.role}
              label="Role"
              options={[
                { value: "admin", label: "Admin" },
                { value: "member", label: "Member" },
                { value: "viewer", label: "Viewer" },
              ]}
            />
            <button type="submit" name="intent" value="role" className="button">
              Change role
            </button>
          </Form>
          <h3>API tokens</h3>
          {tokens.length === 0 ? (
            <p>No active API tokens.</p>
          ) : (
            <ul>
              {tokens.map((t) => (
                <li key={t.id}>
                  {t.name} (kept_{t.prefix}_…, {t.scope === "write" ? "read and write" : "read"}, last used {t.lastUsedAt ?? "never"})
                  <Form method="post" className="inline">
                    <input type="hidden" name="intent" value="revoke-token" />
                    <input type="hidden" name="tokenId" value={t.id} />
                    <button type="submit" className="button button--small button--danger">
                      Revoke<span className="visually-hidden"> {t.name}</span>
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
          )}
          {isSelf ? (
            <p className="muted">You cannot deactivate your own account.</p>
          ) : (
            <Form method="post" className="inline-form">
              {person.active ? (
                <button type="submit" name="intent" value="deactivate" className="button button--danger">
                  Deactivate {person.name}
                </button>
              ) : (
                <button type="submit" name="intent" value="reactivate" className="button">
                  Reactivate {person.name}
                </button>
              )}
            </Form>
          )}
        </section>
      ) : null}
    </div>
  );
}
