import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FormErrors, SelectField, TextField } from "~/components/ui/field";
import { descendantsOf, flattenTree } from "~/domain/team-tree";
import { getTeamBySlug, listAllTeams, listMembers } from "~/models/team.server";
import { listUsers } from "~/models/user.server";
import { AddMemberSchema, RemoveMemberSchema, UpdateTeamSchema } from "~/schemas/teams";
import { addTeamMember, removeTeamMember, updateTeam } from "~/services/teams.server";
import { invalid, refused } from "~/utils/forms.server";
import { actorOf, forbidden, requireUser } from "~/utils/session.server";
import { z } from "zod";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.team.name ?? "Team"} · Kept` }];

const MAX_PEOPLE_IN_PICKER = 2000;

function notFound(): Response {
  return new Response("There is no team at this address.", { status: 404 });
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const team = await getTeamBySlug(context.db, String(params.slug ?? "").toLowerCase());
  if (!team) throw notFound();
  const canManage = user.role === "admin";
  const [allTeams, members, people] = await Promise.all([
    listAllTeams(context.db),
    listMembers(context.db, team.id),
    canManage ? listUsers(context.db, { limit: MAX_PEOPLE_IN_PICKER, activeOnly: true }) : Promise.resolve([]),
  ]);
  const parent = allTeams.find((t) => t.id === team.parentId) ?? null;
  const children = allTeams.filter((t) => t.parentId === team.id);
  const excluded = descendantsOf(allTeams, team.id);
  const memberIds = new Set(members.map((m) => m.userId));
  // Admins and this team's editors write its commitments, so they may import them.
  const canImport = canManage || members.some((m) => m.userId === user.id && m.role === "editor" && user.role === "member");
  return {
    canManage,
    canImport,
    team: { id: team.id, slug: team.slug, name: team.name, mission: team.mission, parentId: team.parentId },
    parent: parent ? { slug: parent.slug, name: parent.name } : null,
    children: children.map((c) => ({ slug: c.slug, name: c.name })),
    members: members.map((m) => ({ userId: m.userId, name: m.name, email: m.email, role: m.role, active: m.active })),
    parentOptions: flattenTree(allTeams)
      .filter((r) => !excluded.has(r.team.id))
      .map((r) => ({ value: r.team.id, label: `${"— ".repeat(r.depth)}${r.team.name}` })),
    candidates: people.filter((p) => !memberIds.has(p.id)).map((p) => ({ value: p.id, label: `${p.name} (${p.email})` })),
  };
}

const TeamActionSchema = z.discriminatedUnion("intent", [UpdateTeamSchema, AddMemberSchema, RemoveMemberSchema]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  if (user.role !== "admin") throw forbidden("Only admins can change teams.");
  const team = await getTeamBySlug(context.db, String(params.slug ?? "").toLowerCase());
  if (!team) throw notFound();
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const submission = parseWithZod(formData, { schema: TeamActionSchema });
  if (submission.status !== "success") return invalid(submission, { extra: { intent } });
  const actor = actorOf(user);
  const value = submission.value;
  if (value.intent === "update") {
    const result = await updateTeam(context.db, actor, team.id, value, new Date());
    if (!result.ok) return refused(submission, result.error, { extra: { intent } });
    context.logger.info({ teamId: team.id }, "team updated");
    return redirect(`/teams/${result.value.slug}?saved=1`);
  }
  const result =
    value.intent === "add-member"
      ? await addTeamMember(context.db, actor, team.id, value.userId, value.role)
      : await removeTeamMember(context.db, actor, team.id, value.userId);
  if (!result.ok) return refused(submission, result.error, { extra: { intent } });
  context.logger.info({ teamId: team.id, intent: value.intent, userId: value.userId }, "team membership changed");
  return { result: submission.reply({ resetForm: true }), intent, done: true };
}

export default function TeamPage() {
  const { team, parent, children, members, canManage, canImport, parentOptions, candidates } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const resultFor = (intent: string) => (actionData?.intent === intent ? actionData.result : undefined);
  const [editForm, editFields] = useForm({
    id: "edit-team",
    lastResult: resultFor("update"),
    constraint: getZodConstraint(UpdateTeamSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    defaultValue: { name: team.name, slug: team.slug, mission: team.mission, parentId: team.parentId ?? "" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: UpdateTeamSchema }),
  });
  const [memberForm, memberFields] = useForm({
    id: "add-member",
    lastResult: resultFor("add-member"),
    constraint: getZodConstraint(AddMemberSchema),
    defaultValue: { role: "editor" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AddMemberSchema }),
  });
  const removeErrors = actionData?.intent === "remove-member" ? actionData.result?.error?.[""] : undefined;
  const notice = searchParams.get("created") ? "Team created." : searchParams.get("saved") ? "Team saved." : null;
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/teams">Teams</Link>
        {parent ? (
          <>
            {" "}
            / <Link to={`/teams/${parent.slug}`}>{parent.name}</Link>
          </>
        ) : null}
      </p>
      <h1>{team.name}</h1>
      {notice ? (
        <p role="status" className="notice">
          {notice}
        </p>
      ) : null}
      {team.mission ? <p className="lead">{team.mission}</p> : null}
      {canImport ? (
        <p>
          <Link to={`/teams/${team.slug}/import`}>Import commitments from a CSV file</Link>
        </p>
      ) : null}
      {children.length > 0 ? (
        <section aria-labelledby="subteams">
          <h2 id="subteams">Sub-teams</h2>
          <ul>
            {children.map((c) => (
              <li key={c.slug}>
                <Link to={`/teams/${c.slug}`}>{c.name}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="members">
        <h2 id="members">Members</h2>
        {members.length === 0 ? (
          <p>{canManage ? "No members yet. Add people below." : "No members yet."}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Members of {team.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Team role</th>
                  {canManage ? <th scope="col">Change</th> : null}
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <tr key={m.userId}>
                    <td>
                      <Link to={`/people/${m.userId}`}>{m.name}</Link>
                      {m.active ? null : <span className="muted"> (deactivated)</span>}
                    </td>
                    <td>{m.role === "editor" ? "Editor: writes commitments" : "Viewer: reads"}</td>
                    {canManage ? (
                      <td>
                        <Form method="post">
                          <input type="hidden" name="intent" value="remove-member" />
                          <input type="hidden" name="userId" value={m.userId} />
                          <button type="submit" className="button button--small">
                            Remove {m.name}
                          </button>
                        </Form>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {removeErrors ? <FormErrors id="remove-member-errors" errors={removeErrors} /> : null}
      </section>
      {canManage ? (
        <>
          <section className="panel" aria-labelledby="add-member-heading">
            <h2 id="add-member-heading">Add a member</h2>
            {candidates.length === 0 ? (
              <p>
                Everyone active is already on this team. <Link to="/people">Add people</Link> first.
              </p>
            ) : (
              <Form method="post" {...getFormProps(memberForm)} className="stack">
                <FormErrors id={memberForm.errorId} errors={memberForm.errors} />
                <input type="hidden" name="intent" value="add-member" />
                <SelectField meta={memberFields.userId} label="Person" placeholder="Choose a person" options={candidates} />
                <SelectField
                  meta={memberFields.role}
                  label="Team role"
                  options={[
                    { value: "editor", label: "Editor: writes this team's commitments" },
                    { value: "viewer", label: "Viewer: reads only" },
                  ]}
                />
                <button type="submit" className="button button--primary">
                  Add member
                </button>
              </Form>
            )}
          </section>
          <section className="panel" aria-labelledby="edit-team-heading">
            <h2 id="edit-team-heading">Edit team</h2>
            <Form method="post" {...getFormProps(editForm)} className="stack">
              <FormErrors id={editForm.errorId} errors={editForm.errors} />
              <input type="hidden" name="intent" value="update" />
              <TextField meta={editFields.name} label="Name" autoComplete="off" />
              <TextField meta={editFields.slug} label="Address (slug)" hint="Changing it changes this page's link." autoComplete="off" />
              <TextField meta={editFields.mission} label="Mission (one line)" autoComplete="off" />
              <SelectField meta={editFields.parentId} label="Parent team" placeholder="None: a top-level team" options={parentOptions} />
              <button type="submit" className="button button--primary">
                Save team
              </button>
            </Form>
          </section>
        </>
      ) : null}
    </div>
  );
}
