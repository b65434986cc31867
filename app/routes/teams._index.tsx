import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef, type FormEvent } from "react";
import { can } from "~/domain/permissions";
import { FormErrors, SelectField, TextField } from "~/components/ui/field";
import { flattenTree } from "~/domain/team-tree";
import { listAllTeams } from "~/models/team.server";
import { CreateTeamFieldsSchema, CreateTeamSchema, slugify } from "~/schemas/teams";
import { createTeam } from "~/services/teams.server";
import { invalid, refused } from "~/http/forms.server";
import { actorOf, requirePermission, requireUser } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Teams · Kept" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const teams = await listAllTeams(context.db);
  return {
    canManage: can(actorOf(user), "teams.manage"),
    rows: flattenTree(teams).map(({ team, depth }) => ({
      id: team.id,
      slug: team.slug,
      name: team.name,
      mission: team.mission,
      memberCount: team.memberCount,
      depth,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  requirePermission(user, "teams.manage", "Only admins can create teams.");
  const submission = parseWithZod(await request.formData(), { schema: CreateTeamSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await createTeam(context.db, actorOf(user), submission.value, context.logger);
  if (!result.ok) return refused(submission, result.error);
  return redirect(`/teams/${result.value.slug}?created=1`);
}

export default function Teams() {
  const { rows, canManage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "create-team",
    lastResult: actionData?.result,
    constraint: getZodConstraint(CreateTeamFieldsSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateTeamSchema }),
  });
  // The address follows the name as it is typed until someone types an address of their own
  // (without JavaScript, an empty address is made from the name on the server).
  const slugTyped = useRef(false);
  function followName(event: FormEvent<HTMLFormElement>) {
    const target = event.target as HTMLInputElement;
    if (target.name === fields.slug.name) slugTyped.current = target.value !== "";
    else if (target.name === fields.name.name && !slugTyped.current) form.update({ name: fields.slug.name, value: slugify(target.value) });
  }
  return (
    <div className="page">
      <h1>Teams</h1>
      {rows.length === 0 ? (
        <p>
          {canManage ? (
            <>
              No teams yet. Every commitment belongs to a team, so <a href="#create-team-heading">create the first one below</a>.
            </>
          ) : (
            "No teams yet. An admin creates them."
          )}
        </p>
      ) : (
        <ul className="tree">
          {rows.map((row) => (
            <li key={row.id} className={`tree__item tree__item--depth-${Math.min(row.depth, 6)}`}>
              <Link to={`/teams/${row.slug}`}>{row.name}</Link>{" "}
              <span className="muted">
                · {row.memberCount === 1 ? "1 member" : `${row.memberCount} members`}
                {row.depth > 0 ? ` · sub-team, level ${row.depth + 1}` : ""}
              </span>
              {row.mission ? <p className="tree__mission">{row.mission}</p> : null}
            </li>
          ))}
        </ul>
      )}
      {canManage ? (
        <section className="panel" aria-labelledby="create-team-heading">
          <h2 id="create-team-heading">Create a team</h2>
          <Form method="post" {...getFormProps(form)} className="stack" onInput={followName}>
            <FormErrors id={form.errorId} errors={form.errors} />
            <input type="hidden" name="intent" value="create" />
            <TextField meta={fields.name} label="Name" autoComplete="off" />
            <TextField
              meta={fields.slug}
              label="Address (slug)"
              hint="Made from the name unless you type one: lower-case letters, digits and hyphens, used in links like /teams/platform."
              autoComplete="off"
            />
            <TextField meta={fields.mission} label="Mission (one line, optional)" autoComplete="off" />
            <SelectField
              meta={fields.parentId}
              label="Parent team (optional)"
              placeholder="None: a top-level team"
              options={rows.map((r) => ({ value: r.id, label: `${"— ".repeat(r.depth)}${r.name}` }))}
            />
            <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
              Create team
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
