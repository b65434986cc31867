import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrors, SelectField, TextField } from "~/components/ui/field";
import { listUsers } from "~/models/user.server";
import { AddPersonSchema } from "~/schemas/people";
import { addPerson } from "~/services/people.server";
import { decodeCursor, encodeCursor } from "~/utils/cursor";
import { invalid, refused } from "~/utils/forms.server";
import { actorOf, forbidden, requireUser } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: "People · Kept" }];

const PAGE_SIZE = 50;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const url = new URL(request.url);
  const search = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  const after = decodeCursor(url.searchParams.get("after"), ["name", "id"] as const);
  const rows = await listUsers(context.db, { after: after ?? undefined, search: search || undefined, limit: PAGE_SIZE + 1 });
  const page = rows.slice(0, PAGE_SIZE);
  const last = page.at(-1);
  const next = rows.length > PAGE_SIZE && last ? encodeCursor({ name: last.name, id: last.id }) : null;
  return {
    canManage: user.role === "admin",
    search,
    people: page.map((p) => ({ id: p.id, name: p.name, email: p.email, role: p.role, active: p.active })),
    next,
    isFirstPage: !after,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  if (user.role !== "admin") throw forbidden("Only admins can add people.");
  const submission = parseWithZod(await request.formData(), { schema: AddPersonSchema });
  if (submission.status !== "success") return invalid(submission, { hideFields: ["password"] });
  const result = await addPerson(context.db, actorOf(user), submission.value);
  if (!result.ok) return refused(submission, result.error, { hideFields: ["password"] });
  context.logger.info({ userId: result.value.id, role: result.value.role }, "person added");
  return redirect(`/people/${result.value.id}?added=1`);
}

export default function People() {
  const { canManage, people, search, next, isFirstPage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "add-person",
    lastResult: actionData?.result,
    constraint: getZodConstraint(AddPersonSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    defaultValue: { role: "member" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AddPersonSchema }),
  });
  return (
    <div className="page">
      <h1>People</h1>
      <Form method="get" className="inline-form" role="search">
        <label htmlFor="people-search">Search by name or email</label>
        <input id="people-search" type="search" name="q" defaultValue={search} />
        <button type="submit" className="button">
          Search
        </button>
      </Form>
      {people.length === 0 ? (
        <p>
          {search ? (
            <>
              Nobody matches “{search}”. <Link to="/people">Show everyone</Link>
              {canManage ? " or add them below" : null}.
            </>
          ) : (
            "Nobody here yet."
          )}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="stack-table">
            <caption className="visually-hidden">People in this organisation</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {people.map((p) => (
                <tr key={p.id}>
                  <td data-label="Name">
                    <Link to={`/people/${p.id}`}>{p.name}</Link>
                  </td>
                  <td data-label="Email">{p.email}</td>
                  <td data-label="Role">{p.role}</td>
                  <td data-label="Status">{p.active ? "Active" : "Deactivated"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pages of people" className="pager">
        {!isFirstPage ? <Link to={search ? `?q=${encodeURIComponent(search)}` : "."}>First page</Link> : null}
        {next ? (
          <Link to={`?${new URLSearchParams({ ...(search ? { q: search } : {}), after: next }).toString()}`}>Next page</Link>
        ) : null}
      </nav>

      {canManage ? (
        <section aria-labelledby="add-person-heading" className="panel">
          <h2 id="add-person-heading">Add a person</h2>
          <p>
            Give them a temporary password and ask them to sign in. Admins run Kept; members write their teams&apos;
            commitments; viewers read everything internal and change nothing.
          </p>
          <Form method="post" {...getFormProps(form)} className="stack">
            <FormErrors id={form.errorId} errors={form.errors} />
            <input type="hidden" name="intent" value="add" />
            <TextField meta={fields.name} label="Name" autoComplete="off" />
            <TextField meta={fields.email} label="Email" type="email" autoComplete="off" />
            <SelectField
              meta={fields.role}
              label="Role"
              options={[
                { value: "member", label: "Member" },
                { value: "viewer", label: "Viewer" },
                { value: "admin", label: "Admin" },
              ]}
            />
            <TextField meta={fields.password} label="Temporary password" type="password" autoComplete="new-password" hint="At least 8 characters." />
            <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
              Add person
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
