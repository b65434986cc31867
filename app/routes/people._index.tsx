import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { can } from "~/domain/permissions";
import { IssuedLinkNotice } from "~/components/issued-link";
import { FormErrors, SelectField, TextField } from "~/components/ui/field";
import { formatAccountTime } from "~/domain/accounts";
import { invitedAmong } from "~/models/account-link.server";
import { getOrganisation } from "~/models/organisation.server";
import { listUsers } from "~/models/user.server";
import { AddPersonSchema } from "~/schemas/people";
import { addPerson } from "~/services/people.server";
import { decodeCursor, keysetPage } from "~/utils/cursor";
import { accountLinkDelivery } from "~/utils/env.server";
import { invalid, refused } from "~/http/forms.server";
import { actorOf, requirePermission, requireUser } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "People · Kept" }];

const PAGE_SIZE = 50;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const url = new URL(request.url);
  const search = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  const after = decodeCursor(url.searchParams.get("after"), { name: "text", id: "uuid" });
  const rows = await listUsers(context.db, { after: after ?? undefined, search: search || undefined, limit: PAGE_SIZE + 1 });
  const { items: page, next } = keysetPage(rows, PAGE_SIZE, (last) => ({ name: last.name, id: last.id }));
  const canManage = can(actorOf(user), "people.manage");
  // Who still holds an open invitation is an admin's concern; others see Active/Deactivated.
  const invited = canManage ? await invitedAmong(context.db, page.map((p) => p.id)) : new Map<string, Date>();
  return {
    canManage,
    search,
    people: page.map((p) => ({ id: p.id, name: p.name, email: p.email, role: p.role, active: p.active, invited: invited.has(p.id) })),
    next,
    isFirstPage: !after,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  requirePermission(user, "people.manage", "Only admins can add people.");
  const submission = parseWithZod(await request.formData(), { schema: AddPersonSchema });
  if (submission.status !== "success") return invalid(submission, { hideFields: ["password"] });
  const now = new Date();
  const result = await addPerson(context.db, actorOf(user), submission.value, now, accountLinkDelivery(context.env, request), context.logger);
  if (!result.ok) return refused(submission, result.error, { hideFields: ["password"] });
  const { invitation, ...added } = result.value;
  if (!invitation) return redirect(`/people/${added.id}?added=1`);
  // The link is in this answer only (never in a URL or the loader): it is shown once.
  const org = await getOrganisation(context.db);
  return {
    result: submission.reply({ resetForm: true }),
    added: {
      id: added.id,
      name: added.name,
      email: added.email,
      link: { purpose: invitation.purpose, url: invitation.url, emailed: invitation.emailed, expires: formatAccountTime(invitation.expiresAt, org?.timeZone ?? "UTC") },
    },
  };
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
      {actionData && "added" in actionData && actionData.added ? (
        <>
          <IssuedLinkNotice name={actionData.added.name} email={actionData.added.email} link={actionData.added.link} />
          <p>
            <Link to={`/people/${actionData.added.id}`}>Open {actionData.added.name}&apos;s page</Link>
          </p>
        </>
      ) : null}
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
                  <td data-label="Status">{!p.active ? "Deactivated" : p.invited ? "Invited" : "Active"}</td>
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
            Kept makes a one-time invitation link with which they choose their own password; you see it once to pass on, and
            it is mailed to them when mail is set up. Admins run Kept; members write their teams&apos; commitments; viewers read
            everything internal and change nothing.
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
            <TextField
              meta={fields.password}
              label="Temporary password"
              type="password"
              autoComplete="new-password"
              hint="Optional, and best left empty: then they get an invitation link instead. If you set one, at least 8 characters, and tell it to them yourself."
            />
            <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
              Add person
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
