import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { can, defaultTeamRole } from "~/domain/permissions";
import { IssuedLinkNotice, type IssuedLinkView } from "~/components/issued-link";
import { FormErrors, SelectField } from "~/components/ui/field";
import { CommitmentLines } from "~/components/commitment-lines";
import { formatAccountTime, type SignInStatus } from "~/domain/accounts";
import { flattenTree } from "~/domain/team-tree";
import { commitmentsOwnedBy } from "~/models/home.server";
import { getOrganisation } from "~/models/organisation.server";
import { listAllTeams, teamsOfUser } from "~/models/team.server";
import { getUserById } from "~/models/user.server";
import { UuidSchema } from "~/schemas/common";
import { PersonActionSchema } from "~/schemas/people";
import { issueAccountLink, revokeAccountLink, signInStatusOf } from "~/services/accounts.server";
import { listTokens, revokeToken } from "~/services/api-tokens.server";
import { changeRole, setActive } from "~/services/people.server";
import { addTeamMember } from "~/services/teams.server";
import { organisationCalendar } from "~/services/organisation.server";
import { accountLinkDelivery } from "~/utils/env.server";
import { invalid, refused } from "~/http/forms.server";
import { notFound, requireParam } from "~/http/route-errors.server";
import { actorOf, requirePermission, requireUser } from "~/http/session.server";
import { Moment } from "~/components/dates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.person.name ?? "Person"} · Kept` }];

const OWNED_SHOWN = 100;

const NOT_FOUND = "That person does not exist.";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const id = requireParam(params, "userId", UuidSchema, NOT_FOUND);
  const person = await getUserById(context.db, id);
  if (!person) throw notFound(NOT_FOUND);
  const canManage = can(actorOf(user), "people.manage");
  const now = new Date();
  const [teams, tokens, signIn, org, owned, allTeams, { today }] = await Promise.all([
    teamsOfUser(context.db, person.id),
    canManage ? listTokens(context.db, person.id) : Promise.resolve([]),
    signInStatusOf(context.db, actorOf(user), person.id, now),
    getOrganisation(context.db),
    commitmentsOwnedBy(context.db, person.id, OWNED_SHOWN),
    canManage ? listAllTeams(context.db) : Promise.resolve([]),
    organisationCalendar(context.db, now),
  ]);
  const onTeams = new Set(teams.map((t) => t.id));
  return {
    canManage,
    signIn: signIn ? signInView(signIn, org?.timeZone ?? "UTC") : null,
    tokens: tokens
      .filter((t) => !t.revokedAt)
      .map((t) => ({ id: t.id, name: t.name, prefix: t.prefix, scope: t.scope, lastUsedAt: t.lastUsedAt?.toISOString() ?? null })),
    isSelf: user.id === person.id,
    person: {
      id: person.id,
      name: person.name,
      email: person.email,
      role: person.role,
      active: person.active,
      createdAt: person.createdAt.toISOString(),
      deactivatedAt: person.deactivatedAt?.toISOString() ?? null,
    },
    teams,
    owned,
    today,
    teamOptions: flattenTree(allTeams)
      .filter((r) => !onTeams.has(r.team.id))
      .map((r) => ({ value: r.team.id, label: `${"— ".repeat(r.depth)}${r.team.name}` })),
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
  requirePermission(user, "people.manage", "Only admins can change people.");
  const id = requireParam(params, "userId", UuidSchema, NOT_FOUND);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const submission = parseWithZod(formData, { schema: PersonActionSchema });
  if (submission.status !== "success") return invalid(submission, { extra: { intent } });
  const actor = actorOf(user);
  const value = submission.value;
  const now = new Date();
  if (value.intent === "invite" || value.intent === "reset-link") {
    const purpose = value.intent === "invite" ? "invitation" : "reset";
    const issued = await issueAccountLink(context.db, actor, id, purpose, accountLinkDelivery(context.env, request), now, context.logger);
    if (!issued.ok) {
      if (issued.error.code === "NOT_FOUND") throw notFound(NOT_FOUND);
      return refused(submission, issued.error, { extra: { intent } });
    }
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
    const revoked = await revokeAccountLink(context.db, actor, id, now, context.logger);
    if (!revoked.ok) {
      if (revoked.error.code === "NOT_FOUND") throw notFound(NOT_FOUND);
      return refused(submission, revoked.error, { extra: { intent } });
    }
    return { result: submission.reply({ resetForm: true }), saved: value.intent };
  }
  const result =
    value.intent === "role"
      ? await changeRole(context.db, actor, id, value.role, context.logger)
      : value.intent === "add-to-team"
        ? await addTeamMember(context.db, actor, value.teamId, id, value.teamRole, context.logger)
        : value.intent === "revoke-token"
        ? await revokeToken(context.db, actor, value.tokenId, new Date(), context.logger)
          : await setActive(context.db, actor, id, value.intent === "reactivate", new Date(), context.logger);
  if (!result.ok) {
    // On the person's page a vanished team is the team field's problem, not a missing person.
    if (value.intent === "add-to-team" && result.error.code === "NOT_FOUND") {
      return refused(submission, { code: "VALIDATION", message: result.error.message, field: "teamId" }, { extra: { intent } });
    }
    if (result.error.code === "NOT_FOUND") throw notFound(NOT_FOUND);
    return refused(submission, result.error, { extra: { intent } });
  }
  return { result: submission.reply({ resetForm: true }), saved: value.intent, intent };
}

const SAVED: Record<string, string> = {
  "revoke-token": "Token revoked. It stopped working at once.",
  "add-to-team": "Added to the team.",
  role: "Role changed.",
  deactivate: "Deactivated. Their sessions have ended.",
  reactivate: "Reactivated. They can sign in again.",
  "revoke-link": "Link withdrawn. It no longer works.",
};

export default function Person() {
  const { person, teams, canManage, isSelf, tokens, signIn, owned, today, teamOptions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    id: "person",
    lastResult: actionData?.intent !== "add-to-team" ? actionData?.result : undefined,
    defaultValue: { role: person.role },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PersonActionSchema }),
  });
  const [teamForm, teamFields] = useForm({
    id: "person-team",
    lastResult: actionData?.intent === "add-to-team" ? actionData.result : undefined,
    defaultValue: { teamRole: defaultTeamRole(person) },
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
        <dd>{person.active ? "Active" : <>Deactivated on <Moment value={person.deactivatedAt} dayOnly /></>}</dd>
        <dt>Joined</dt>
        <dd>
          <Moment value={person.createdAt} dayOnly />
        </dd>
      </dl>
      <h2>Teams</h2>
      {teams.length === 0 ? (
        <p>{canManage ? "Not on any team yet: put them on one below, so their dashboard shows their team's work." : "Not on any team."}</p>
      ) : (
        <ul>
          {teams.map((t) => (
            <li key={t.id}>
              <Link to={`/teams/${t.slug}`}>{t.name}</Link> ({t.role})
            </li>
          ))}
        </ul>
      )}
      {canManage && person.active && teamOptions.length > 0 ? (
        <Form method="post" {...getFormProps(teamForm)} className="inline-form" aria-label="Put on a team">
          <FormErrors id={teamForm.errorId} errors={teamForm.errors} />
          <SelectField meta={teamFields.teamId} label="Put on a team" placeholder="Choose a team" options={teamOptions} />
          <SelectField
            meta={teamFields.teamRole}
            label="Team role"
            options={[
              { value: "editor", label: "Editor: writes the team's commitments" },
              { value: "viewer", label: "Viewer: reads only" },
            ]}
          />
          <button type="submit" name="intent" value="add-to-team" className="button">
            Add to team
          </button>
        </Form>
      ) : null}
      <h2>Commitments they own ({owned.total})</h2>
      {owned.total === 0 ? (
        <p className="muted">
          {person.name} owns no commitment. The owner is chosen when a commitment is written or edited.
        </p>
      ) : (
        <>
          <CommitmentLines items={owned.items} today={today} />
          {owned.total > owned.items.length ? (
            <p>
              <Link to={`/commitments?owner=${person.id}`}>All {owned.total} in the list</Link>
            </p>
          ) : null}
        </>
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
                  {t.name} (kept_{t.prefix}_…, {t.scope === "write" ? "read and write" : "read"}, last used {t.lastUsedAt ? <Moment value={t.lastUsedAt} dayOnly /> : "never"})
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
