import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { CommitmentLines } from "~/components/commitment-lines";
import { PersonPicker, pickerMatchesOf } from "~/components/person-picker";
import { FormErrors, SelectField } from "~/components/ui/field";
import { AddMemberFormSchema, AddMemberSchema, RemoveMemberSchema } from "~/schemas/teams";
import { loadTeamHome } from "~/pages/team-home.server";
import { addTeamMember, removeTeamMember } from "~/services/teams.server";
import { getTeamBySlug } from "~/models/team.server";
import { DELIVERY_RATE_LABEL, deliveryRateExplanation, formatPercent } from "~/domain/statistics";
import { invalid, refused } from "~/http/forms.server";
import { MEMBER_PICKER, pickerReply, takeTypedPerson } from "~/http/person-picker.server";
import { notFound } from "~/http/route-errors.server";
import { actorOf, requirePermission, requireUser } from "~/http/session.server";
import { z } from "zod";
import { TEAM_ROLE_SUMMARY } from "~/domain/types";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.team.name ?? "Team"} · Kept` }];

const NOT_FOUND = "There is no team at this address.";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const home = await loadTeamHome(context.db, actorOf(user), String(params.slug ?? "").toLowerCase(), new Date());
  if (!home) throw notFound(NOT_FOUND);
  return home;
}

const MemberActionSchema = z.discriminatedUnion("intent", [AddMemberSchema, RemoveMemberSchema]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  requirePermission(user, "teams.manage", "Only admins can change teams.");
  const team = await getTeamBySlug(context.db, String(params.slug ?? "").toLowerCase());
  if (!team) throw notFound(NOT_FOUND);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const actor = actorOf(user);
  // The new member is typed (ADR 0029): the server finds them among the active people not on the team.
  const person =
    intent === "add-member" ? await takeTypedPerson(context.db, actor, formData, MEMBER_PICKER, { kind: "new-member", teamId: team.id }, true) : null;
  const submission = parseWithZod(formData, { schema: MemberActionSchema });
  if (person) return pickerReply(submission, person, { intent });
  if (submission.status !== "success") return invalid(submission, { extra: { intent } });
  const value = submission.value;
  const result =
    value.intent === "add-member"
      ? await addTeamMember(context.db, actor, team.id, value.userId, value.role, context.logger)
      : await removeTeamMember(context.db, actor, team.id, value.userId, context.logger);
  if (!result.ok) return refused(submission, result.error, { extra: { intent } });
  return { result: submission.reply({ resetForm: true }), intent, done: true };
}

export default function TeamPage() {
  const { team, parent, children, members, canManage, canImport, canWrite, anyoneToAdd, periods, total, figures, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [memberForm, memberFields] = useForm({
    id: "add-member",
    lastResult: actionData?.intent === "add-member" ? actionData.result : undefined,
    constraint: getZodConstraint(AddMemberFormSchema),
    shouldRevalidate: "onInput",
    defaultValue: { role: "editor" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AddMemberFormSchema }),
  });
  const removeErrors = actionData?.intent === "remove-member" ? actionData.result?.error?.[""] : undefined;
  const notice = searchParams.get("created") ? "Team created." : searchParams.get("saved") ? "Team saved." : null;
  const shown = periods.reduce((n, p) => n + p.items.length, 0);
  return (
    <div className="page page--wide">
      <p className="breadcrumb">
        <Link to="/teams">Teams</Link>
        {parent ? (
          <>
            {" "}
            / <Link to={`/teams/${parent.slug}`}>{parent.name}</Link>
          </>
        ) : null}
      </p>
      <div className="page-head">
        <h1>{team.name}</h1>
        <div className="page-head__actions">
          {canWrite ? (
            <Link className="button button--primary" to={`/commitments/new?teamId=${team.id}`}>
              New commitment for this team
            </Link>
          ) : null}
          {canManage ? (
            <Link className="button" to={`/teams/${team.slug}/edit`}>
              Edit team
            </Link>
          ) : null}
        </div>
      </div>
      {notice ? (
        <p role="status" className="notice">
          {notice}
        </p>
      ) : null}
      {team.mission ? <p className="lead">{team.mission}</p> : null}

      <section aria-labelledby="figures">
        <h2 id="figures">How {team.name} delivers</h2>
        <p className="muted">With its sub-teams. Commitments count in the fiscal year they were made for.</p>
        <dl className="stat-grid">
          {figures.map((f) => (
            <div key={f.label}>
              <dt>
                {DELIVERY_RATE_LABEL}, {f.label}
              </dt>
              <dd>{formatPercent(f.deliveryRate)}</dd>
              <dd className="muted">
                {deliveryRateExplanation(f.counts)}; {f.counts.open} still open.{" "}
                <Link to={`/retrospectives/${team.slug}/${f.label}`}>
                  Retrospective<span className="visually-hidden"> of {f.label}</span>
                </Link>
              </dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="commitments">
        <h2 id="commitments">Commitments ({total})</h2>
        {total === 0 ? (
          <p>
            {team.name} has made no commitments yet.{" "}
            {canWrite ? (
              <Link to={`/commitments/new?teamId=${team.id}`}>Write its first commitment</Link>
            ) : (
              "Its editors write them."
            )}
          </p>
        ) : (
          <>
            {periods.map((p) => (
              <section key={p.label} aria-labelledby={`period-${p.label}`}>
                <h3 id={`period-${p.label}`}>
                  {p.label} ({p.items.length})
                </h3>
                <CommitmentLines items={p.items} today={today} showTeam={children.length > 0} />
              </section>
            ))}
            {total > shown ? (
              <p>
                <Link to={`/commitments?team=${team.slug}`}>All {total} commitments of {team.name}</Link>
              </p>
            ) : (
              <p>
                <Link to={`/commitments?team=${team.slug}`}>Filter and sort them in the list</Link>
              </p>
            )}
          </>
        )}
      </section>

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
            <table className="stack-table">
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
                    <td data-label="Name">
                      <Link to={`/people/${m.userId}`}>{m.name}</Link>
                      {m.active ? null : <span className="muted"> (deactivated)</span>}
                    </td>
                    <td data-label="Team role">{TEAM_ROLE_SUMMARY[m.role]}</td>
                    {canManage ? (
                      <td data-label="Change">
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
      {canImport ? (
        <p>
          <Link to={`/teams/${team.slug}/import`}>Import commitments from a CSV file</Link>
        </p>
      ) : null}
      {canManage ? (
        <section className="panel" aria-labelledby="add-member-heading">
          <h2 id="add-member-heading">Add a member</h2>
          {!anyoneToAdd ? (
            <p>
              Everyone active is already on this team. <Link to="/people">Add people</Link> first.
            </p>
          ) : (
            <Form method="post" {...getFormProps(memberForm)} className="stack">
              <FormErrors id={memberForm.errorId} errors={memberForm.errors} />
              <input type="hidden" name="intent" value="add-member" />
              <PersonPicker
                meta={memberFields.person}
                label="Person"
                hint="Type part of their name or e-mail."
                idName="userId"
                pickName="personPick"
                matches={actionData?.intent === "add-member" ? pickerMatchesOf(actionData) : undefined}
                source={`for=member&team=${team.id}`}
              />
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
      ) : null}
    </div>
  );
}
