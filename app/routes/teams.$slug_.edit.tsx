import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrors, SelectField, TextField } from "~/components/ui/field";
import { descendantsOf, flattenTree } from "~/domain/team-tree";
import { getTeamBySlug, listAllTeams } from "~/models/team.server";
import { UpdateTeamSchema } from "~/schemas/teams";
import { updateTeam } from "~/services/teams.server";
import { invalid, refused } from "~/http/forms.server";
import { notFound } from "~/http/route-errors.server";
import { actorOf, requirePermission, requireUser } from "~/http/session.server";

// A team's name, address, mission and place in the tree: the admin's form, apart from the
// team's home page (teams.$slug.tsx), which is about its commitments and people.

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Edit ${data?.team.name ?? "team"} · Kept` }];

const NOT_FOUND = "There is no team at this address.";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  requirePermission(user, "teams.manage", "Only admins can change teams.");
  const team = await getTeamBySlug(context.db, String(params.slug ?? "").toLowerCase());
  if (!team) throw notFound(NOT_FOUND);
  const allTeams = await listAllTeams(context.db);
  const excluded = descendantsOf(allTeams, team.id);
  return {
    team: { id: team.id, slug: team.slug, name: team.name, mission: team.mission, parentId: team.parentId },
    parentOptions: flattenTree(allTeams)
      .filter((r) => !excluded.has(r.team.id))
      .map((r) => ({ value: r.team.id, label: `${"— ".repeat(r.depth)}${r.team.name}` })),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  requirePermission(user, "teams.manage", "Only admins can change teams.");
  const team = await getTeamBySlug(context.db, String(params.slug ?? "").toLowerCase());
  if (!team) throw notFound(NOT_FOUND);
  const submission = parseWithZod(await request.formData(), { schema: UpdateTeamSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await updateTeam(context.db, actorOf(user), team.id, submission.value, new Date(), context.logger);
  if (!result.ok) return refused(submission, result.error);
  return redirect(`/teams/${result.value.slug}?saved=1`);
}

export default function EditTeam() {
  const { team, parentOptions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [editForm, editFields] = useForm({
    id: "edit-team",
    lastResult: actionData?.result,
    constraint: getZodConstraint(UpdateTeamSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    defaultValue: { name: team.name, slug: team.slug, mission: team.mission, parentId: team.parentId ?? "" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: UpdateTeamSchema }),
  });
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/teams">Teams</Link> / <Link to={`/teams/${team.slug}`}>{team.name}</Link>
      </p>
      <h1>Edit {team.name}</h1>
      <Form method="post" {...getFormProps(editForm)} className="stack">
        <FormErrors id={editForm.errorId} errors={editForm.errors} />
        <input type="hidden" name="intent" value="update" />
        <TextField meta={editFields.name} label="Name" autoComplete="off" />
        <TextField meta={editFields.slug} label="Address (slug)" hint="Changing it changes this team's link." autoComplete="off" />
        <TextField meta={editFields.mission} label="Mission (one line)" autoComplete="off" />
        <SelectField meta={editFields.parentId} label="Parent team" placeholder="None: a top-level team" options={parentOptions} />
        <button type="submit" className="button button--primary">
          Save team
        </button>
      </Form>
    </div>
  );
}
