import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { flattenTree } from "~/domain/team-tree";
import { OUTCOME_LABEL } from "~/domain/types";
import { cursorKeyOf, listCommitments, listTags, SORTS, type Sort } from "~/models/commitment.server";
import { getTeamBySlug, listAllTeams, subtreeIds } from "~/models/team.server";
import { listUsers } from "~/models/user.server";
import { organisationCalendar, periodChoices } from "~/services/commitment-form.server";
import { decodeCursor, encodeCursor } from "~/utils/cursor";
import { requireUser } from "~/utils/session.server";
import { Day } from "~/components/dates";

export const meta: MetaFunction = () => [{ title: "Commitments · Kept" }];

const PAGE_SIZE = 50;

// Unknown or malformed filter values are dropped rather than refused: a hand-edited URL
// still shows a list.
const FiltersSchema = z.object({
  team: z.string().regex(/^[a-z0-9-]{1,60}$/).optional().catch(undefined),
  period: z.string().regex(/^FY\d{4}(-(H[12]|Q[1-4]))?$/).optional().catch(undefined),
  audience: z.enum(["public", "internal"]).optional().catch(undefined),
  status: z.enum(["open", "delivered", "partial", "missed", "withdrawn"]).optional().catch(undefined),
  tag: z.string().max(40).optional().catch(undefined),
  owner: z.uuid().optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  sort: z.enum(SORTS).optional().catch(undefined),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const url = new URL(request.url);
  const filters = FiltersSchema.parse(Object.fromEntries([...url.searchParams].filter(([, v]) => v !== "")));
  const sort: Sort = filters.sort ?? "due";
  const after = decodeCursor(url.searchParams.get("after"), ["key", "id"] as const);
  const team = filters.team ? await getTeamBySlug(context.db, filters.team) : null;
  const teamIds = team ? await subtreeIds(context.db, team.id) : filters.team ? [] : undefined;
  const rows = await listCommitments(
    context.db,
    {
      teamIds,
      periodLabel: filters.period,
      audience: filters.audience,
      status: filters.status,
      tag: filters.tag,
      ownerId: filters.owner,
      q: filters.q || undefined,
    },
    sort,
    PAGE_SIZE + 1,
    after ?? undefined,
  );
  const page = rows.slice(0, PAGE_SIZE);
  const last = page.at(-1);
  const [teams, tags, people, { calendar, today }] = await Promise.all([
    listAllTeams(context.db),
    listTags(context.db),
    listUsers(context.db, { limit: 2000 }),
    organisationCalendar(context.db, new Date()),
  ]);
  return {
    canWrite: user.role !== "viewer",
    filters: { ...filters, sort },
    rows: page.map((r) => ({ ...r, committedAt: r.committedAt.toISOString() })),
    next: rows.length > PAGE_SIZE && last ? encodeCursor({ key: cursorKeyOf(last, sort), id: last.id }) : null,
    isFirstPage: !after,
    today,
    options: {
      teams: flattenTree(teams).map((r) => ({ value: r.team.slug, label: `${"— ".repeat(r.depth)}${r.team.name}` })),
      tags,
      people: people.map((p) => ({ value: p.id, label: p.name })),
      periods: periodChoices(calendar, today),
    },
  };
}

function Select({ name, label, value, options, any }: { name: string; label: string; value?: string; options: Array<{ value: string; label: string }>; any: string }) {
  return (
    <div className="field">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name} defaultValue={value ?? ""}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export default function Commitments() {
  const { rows, filters, next, isFirstPage, options, canWrite, today } = useLoaderData<typeof loader>();
  const params = new URLSearchParams(
    Object.entries(filters).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""),
  );
  const nextParams = new URLSearchParams(params);
  if (next) nextParams.set("after", next);
  return (
    <div className="page page--wide">
      <div className="page-head">
        <h1>Commitments</h1>
        {canWrite ? (
          <Link className="button button--primary" to="/commitments/new">
            New commitment
          </Link>
        ) : null}
      </div>
      <Form method="get" className="filters" role="search" aria-label="Filter commitments">
        <div className="field">
          <label htmlFor="filter-q">Search</label>
          <input id="filter-q" type="search" name="q" defaultValue={filters.q ?? ""} />
        </div>
        <Select name="team" label="Team (with sub-teams)" value={filters.team} options={options.teams} any="All teams" />
        <Select name="period" label="Period" value={filters.period} options={options.periods.map((p) => ({ value: p, label: p }))} any="Any period" />
        <Select name="status" label="Status" value={filters.status} any="Any status" options={[{ value: "open", label: "Open" }, ...Object.entries(OUTCOME_LABEL).map(([value, label]) => ({ value, label }))]} />
        <Select name="audience" label="Audience" value={filters.audience} any="Public and internal" options={[{ value: "public", label: "Public" }, { value: "internal", label: "Internal" }]} />
        <Select name="tag" label="Theme" value={filters.tag} any="Any theme" options={options.tags.map((t) => ({ value: t, label: t }))} />
        <Select name="owner" label="Owner" value={filters.owner} any="Anyone" options={options.people} />
        <Select
          name="sort"
          label="Sort by"
          value={filters.sort}
          any="Due date, soonest first"
          options={[
            { value: "due_desc", label: "Due date, latest first" },
            { value: "committed_desc", label: "Newest commitments first" },
            { value: "score", label: "Falsifiability, weakest first" },
          ]}
        />
        <button type="submit" className="button">
          Apply
        </button>
      </Form>
      {rows.length === 0 ? (
        <p>{params.toString() ? "No commitments match these filters." : canWrite ? "No commitments yet. Write the first one." : "No commitments yet."}</p>
      ) : (
        <div className="table-wrap">
          <table className="commitments-table">
            <caption className="visually-hidden">Commitments</caption>
            <thead>
              <tr>
                <th scope="col">Commitment</th>
                <th scope="col">Team</th>
                <th scope="col">Period</th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
                <th scope="col">Score</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/commitments/${r.id}`}>{r.statement}</Link>
                    <span className="muted">
                      {" "}
                      · {r.audience}
                      {r.attempt > 1 ? ` · attempt ${r.attempt}` : ""}
                      {r.ownerName ? ` · ${r.ownerName}` : ""}
                    </span>
                  </td>
                  <td>{r.teamName}</td>
                  <td>{r.periodLabel}</td>
                  <td>
                    <Day value={r.dueDate} />
                    {r.status === "open" && r.dueDate < today ? <strong className="danger-text"> past due</strong> : null}
                  </td>
                  <td>
                    <span className={`badge badge--${r.status}`}>{r.status === "open" ? "Open" : OUTCOME_LABEL[r.status]}</span>
                  </td>
                  <td>{r.lintScore}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pages of commitments" className="pager">
        {!isFirstPage ? <Link to={`?${params.toString()}`}>First page</Link> : null}
        {next ? <Link to={`?${nextParams.toString()}`}>Next page</Link> : null}
      </nav>
    </div>
  );
}
