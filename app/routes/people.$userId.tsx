import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FormErrors, SelectField } from "~/components/ui/field";
import { teamsOfUser } from "~/models/team.server";
import { getUserById } from "~/models/user.server";
import { UuidSchema } from "~/schemas/common";
import { PersonActionSchema } from "~/schemas/people";
import { listTokens, revokeToken } from "~/services/api-tokens.server";
import { changeRole, setActive } from "~/services/people.server";
import { invalid, refused } from "~/utils/forms.server";
import { actorOf, forbidden, requireUser } from "~/utils/session.server";
import { Moment } from "~/components/dates";

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
  const [teams, tokens] = await Promise.all([
    teamsOfUser(context.db, person.id),
    canManage ? listTokens(context.db, person.id) : Promise.resolve([]),
  ]);
  return {
    canManage,
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
  };
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
};

export default function Person() {
  const { person, teams, canManage, isSelf, tokens } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    id: "person",
    lastResult: actionData?.result,
    defaultValue: { role: person.role },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PersonActionSchema }),
  });
  const saved = actionData && "saved" in actionData ? SAVED[actionData.saved] : searchParams.get("added") ? "Person added." : null;
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
