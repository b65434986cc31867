import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigate } from "@remix-run/react";
import type { FormEvent } from "react";
import { z } from "zod";
import { decideByAccount } from "~/domain/permissions";
import { chooseTeam, TEAM_MATCHES, teamChoiceError } from "~/domain/team-filter";
import { FORECAST_FILTER_LABEL, FORECAST_FILTERS, forecastsOf, OUTCOME_LABEL } from "~/domain/types";
import { fiscalYearOf, periodsUnderWay } from "~/domain/period";
import { countCommitments, cursorKeyKind, cursorKeyOf, listCommitments, listFiltersFor, listTags, SORTS, type Sort } from "~/models/commitment.server";
import { findTeamsByText, subtreeIds } from "~/models/team.server";
import { getUserById } from "~/models/user.server";
import { periodChoices } from "~/domain/period";
import { cleanListSearch } from "~/utils/clean-search";
import { UuidSchema } from "~/schemas/common";
import { ListSinceSchema, sinceInstant } from "~/schemas/commitments";
import { decodeCursor, keysetPage } from "~/utils/cursor";
import { requireUser } from "~/http/session.server";
import { calendarOfRequest } from "~/http/organisation-frame.server";
import { commitmentRowsHtml } from "~/components/commitment-rows";
import { useSuggestions } from "~/components/use-suggestions";
import { useFollowLink } from "~/components/use-follow-link";

export const meta: MetaFunction = () => [{ title: "Commitments · Kept" }];

const PAGE_SIZE = 50;
/** Above this many matches the count says "more than": counting further would scan without bound. */
const COUNT_UP_TO = 1000;
/** The `year` value meaning "the periods under way today". */
const NOW = "now";

// Unknown or malformed filter values are dropped rather than refused: a hand-edited URL
// still shows a list.
const FiltersSchema = z.object({
  // A team's slug (links from the dashboard and team pages) or part of its name typed into the
  // team search: the page never lists every team to pick from (ADR 0036).
  team: z.string().trim().max(200).optional().catch(undefined),
  period: z.string().regex(/^FY\d{4}(-(H[12]|Q[1-4]))?$/).optional().catch(undefined),
  audience: z.enum(["public", "internal"]).optional().catch(undefined),
  status: z.enum(["open", "delivered", "partial", "missed", "withdrawn"]).optional().catch(undefined),
  tag: z.string().max(40).optional().catch(undefined),
  // A person's id (links from a person's page and the dashboard) or part of a name or email
  // typed into the owner search: the page never lists every person to pick from.
  owner: z.string().trim().max(200).optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  sort: z.enum(SORTS).optional().catch(undefined),
  year: z.union([z.literal("all"), z.literal(NOW), z.string().regex(/^FY\d{4}$/)]).optional().catch(undefined),
  // By the latest check-in (the dashboard's "at risk or off track", continued here).
  forecast: z.enum(FORECAST_FILTERS).optional().catch(undefined),
  // A day typed by hand is not dropped when malformed: it stays in the field with its error.
  outcomeSince: z.string().max(40).optional().catch(undefined),
});

// Filters other than the page cursor: with none of them the list opens on what is under way
// now (the fiscal year, half and quarter containing today), newest commitments first.
const FILTER_KEYS = ["team", "period", "audience", "status", "tag", "owner", "q", "sort", "year", "forecast", "outcomeSince"] as const;

/**
 * The list's clean address: no empty filters, and no `year=now` when it is the only one (the
 * list opens on it, so "Apply" with nothing chosen keeps `/commitments`). Beside another
 * filter it stays: without a year a filter looks across every year.
 */
function listSearch(params: URLSearchParams): string {
  const search = cleanListSearch(params);
  return search === `?year=${NOW}` ? "" : search;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const url = new URL(request.url);
  // A form sent without JavaScript carries every empty filter; answer with the clean address.
  // So does "Apply" with nothing but the default chosen (`?year=now` is `/commitments`).
  const clean = listSearch(new URLSearchParams([...url.searchParams].filter(([k]) => k !== "after")));
  const cursor = url.searchParams.get("after");
  const hasEmpty = [...url.searchParams].some(([, v]) => v.trim() === "");
  if (hasEmpty || (url.searchParams.get("year") === NOW && clean === "")) {
    const next = new URLSearchParams(clean);
    if (cursor) next.set("after", cursor);
    throw redirect(`${url.pathname}${next.size > 0 ? `?${next.toString()}` : ""}`);
  }
  const filters = FiltersSchema.parse(Object.fromEntries([...url.searchParams].filter(([, v]) => v !== "")));
  const sort: Sort = filters.sort ?? "committed_desc";
  // The organisation row the root loader reads for the frame: one statement for both (ADR 0048).
  const { calendar, today } = await calendarOfRequest(context, new Date());
  const currentYear = `FY${fiscalYearOf(today, calendar)}`;
  const underWay = periodsUnderWay(today, calendar).map((p) => p.label);
  const opening = !FILTER_KEYS.some((k) => url.searchParams.has(k));
  // What is shown: the year asked for, or what is under way now when the list opens; a search
  // or any other filter looks across every year unless a year (or "now") is chosen too.
  const year = filters.year ?? (opening ? NOW : "all");
  const fiscalYear = year === "all" || year === NOW ? undefined : Number(year.slice(2));
  const after = decodeCursor(url.searchParams.get("after"), { key: cursorKeyKind(sort), id: "uuid" });
  // The team typed or linked to: one team (a typed name answers with its slug's address), or
  // none applied, with the reason beside the field and the text kept.
  const teamChoice = filters.team ? chooseTeam(filters.team, await findTeamsByText(context.db, filters.team, TEAM_MATCHES + 1)) : null;
  const team = teamChoice?.kind === "one" ? teamChoice.team : null;
  if (team && team.slug !== filters.team) {
    const next = new URLSearchParams(clean);
    next.set("team", team.slug);
    throw redirect(`${url.pathname}?${next.toString()}`);
  }
  const teamIds = team ? await subtreeIds(context.db, team.id) : undefined;
  const ownerById = filters.owner !== undefined && UuidSchema.safeParse(filters.owner).success;
  // An id shows as the person's name in the search field (and filters by that person exactly).
  const owner = ownerById ? await getUserById(context.db, filters.owner!) : null;
  // "Outcome recorded on or after" a day of the organisation's calendar: from its first instant there.
  // Or an exact instant: the dashboard's "outcomes in the last 30 days" continues here to the second.
  const since = filters.outcomeSince === undefined ? null : ListSinceSchema.safeParse(filters.outcomeSince);
  const outcomeSinceError = since && !since.success ? (since.error.issues[0]?.message ?? "Use a real date as YYYY-MM-DD.") : null;
  const listFilters = listFiltersFor({
    teamIds,
    periodLabel: filters.period,
    periodLabels: year === NOW ? underWay : undefined,
    fiscalYear,
    audience: filters.audience,
    status: filters.status,
    tag: filters.tag,
    ownerId: ownerById ? filters.owner : undefined,
    ownerSearch: ownerById ? undefined : filters.owner,
    q: filters.q || undefined,
    forecasts: filters.forecast ? forecastsOf(filters.forecast) : undefined,
    outcomeRecordedSince: since?.success ? sinceInstant(since.data, calendar.timeZone) : undefined,
  }, sort);
  // The picker's tags go with the page's own statements: one wait instead of two.
  const [rows, total, tags] = await Promise.all([
    listCommitments(context.db, listFilters, sort, PAGE_SIZE + 1, after ?? undefined),
    countCommitments(context.db, listFilters, COUNT_UP_TO),
    listTags(context.db),
  ]);
  // Only when nothing matches: is the organisation's list empty, or just this view of it?
  const anyAtAll = total > 0 ? true : (await countCommitments(context.db, {}, 0)) > 0;
  const periods = periodChoices(calendar, today);
  const { items: page, next } = keysetPage(rows, PAGE_SIZE, (last) => ({ key: cursorKeyOf(last, sort), id: last.id }));
  return {
    canWrite: decideByAccount(user, "commitments.write") !== "deny",
    filters: { ...filters, sort, year },
    /** Why the typed "outcome recorded on or after" day was not applied (it stays in its field). */
    outcomeSinceError,
    /** The team filter: the team's name when it names one; else why not, and the teams it could mean. */
    teamText: team ? team.name : (filters.team ?? ""),
    teamError: filters.team && teamChoice ? teamChoiceError(filters.team, teamChoice) : null,
    teamMatches: teamChoice?.kind === "several" ? teamChoice.matches.map((t) => ({ slug: t.slug, name: t.name })) : [],
    /** What the owner search field shows: the text typed, or the name of the person linked to. */
    ownerText: ownerById ? (owner?.name ?? "") : (filters.owner ?? ""),
    // What the address asked for (no cursor): the pager keeps it, and nothing more.
    query: clean,
    opening,
    currentYear,
    underWay,
    total: Math.min(total, COUNT_UP_TO),
    /** The count stopped at COUNT_UP_TO: there are more matches than it says. */
    moreThanTotal: total > COUNT_UP_TO,
    anyAtAll,
    // Only what a row shows: the page's data is encoded into every response (ADR 0036).
    rows: page.map((r) => ({
      id: r.id,
      statement: r.statement,
      audience: r.audience,
      attempt: r.attempt,
      ownerName: r.ownerName,
      teamName: r.teamName,
      periodLabel: r.periodLabel,
      dueDate: r.dueDate,
      status: r.status,
      lintScore: r.lintScore,
    })),
    next,
    isFirstPage: !after,
    today,
    options: {
      tags,
      periods,
      years: [...new Set(periods.map((p) => p.slice(0, 6)))],
    },
  };
}

/** The list's address `search` with `key` set to `value` (other filters kept). */
function withParam(search: string, key: string, value: string): string {
  const params = new URLSearchParams(search);
  params.set(key, value);
  return params.toString();
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
  const { rows, filters, outcomeSinceError, teamText, teamError, teamMatches, ownerText, query, next, isFirstPage, options, canWrite, today, total, moreThanTotal, anyAtAll, currentYear, underWay } =
    useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const followLink = useFollowLink();
  const teamSuggestions = useSuggestions((text) => `/suggestions/teams?q=${encodeURIComponent(text)}`, "teams");
  const nextParams = new URLSearchParams(query);
  if (next) nextParams.set("after", next);
  const sinceIsInstant = (filters.outcomeSince ?? "").includes("T");
  const active = [filters.team, filters.period, filters.status, filters.audience, filters.tag, filters.owner, filters.forecast, filters.outcomeSince].filter(Boolean).length;
  // With JavaScript the form goes straight to the clean address; without, the loader redirects.
  function applyFilters(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new URLSearchParams();
    for (const [k, v] of new FormData(event.currentTarget)) if (typeof v === "string") data.append(k, v);
    navigate(`/commitments${listSearch(data)}`);
  }
  const scope = filters.year === "all" ? "" : filters.year === NOW ? " under way now" : ` in ${filters.year}`;
  // Short, so the filter fits a phone; the count below names the periods.
  const nowLabel = "Under way now";
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
      <Form method="get" className="filters" role="search" aria-label="Filter commitments" onSubmit={applyFilters}>
        <div className="field">
          <label htmlFor="filter-q">Search</label>
          <input id="filter-q" type="search" name="q" defaultValue={filters.q ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="filter-year">Fiscal year</label>
          <select id="filter-year" name="year" defaultValue={filters.year}>
            <option value={NOW}>{nowLabel}</option>
            <option value="all">Every year</option>
            {options.years.map((y) => (
              <option key={y} value={y}>
                {y}
                {y === currentYear ? " (this year)" : ""}
              </option>
            ))}
          </select>
        </div>
        <details className="filters__more" open={active > 0}>
          <summary>More filters{active > 0 ? ` (${active} in use)` : ""}</summary>
          <div className="filters__grid">
            <div className="field">
              <label htmlFor="filter-team">Team (with sub-teams)</label>
              {/* Keyed by what it shows: after a typed name resolves, the field shows the team's name. */}
              <input
                key={teamText}
                id="filter-team"
                type="search"
                name="team"
                defaultValue={teamText}
                autoComplete="off"
                list="filter-team-suggestions"
                onChange={teamSuggestions.onChange}
                aria-invalid={teamError ? true : undefined}
                aria-describedby={teamError ? "filter-team-hint filter-team-error" : "filter-team-hint"}
              />
              <datalist id="filter-team-suggestions">
                {teamSuggestions.suggestions.map((t) => (
                  <option key={t.id} value={t.label} />
                ))}
              </datalist>
              <p id="filter-team-hint" className="field__hint">
                Part of a team&apos;s name
              </p>
              {teamError ? (
                <div id="filter-team-error" className="field__error">
                  <p>{teamError} This filter is not applied.</p>
                  {teamMatches.length > 0 ? (
                    <ul>
                      {teamMatches.map((t) => (
                        <li key={t.slug}>
                          <Link to={`/commitments?${withParam(query, "team", t.slug)}`}>{t.name}</Link>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </div>
              ) : null}
            </div>
            <Select name="period" label="Period" value={filters.period} options={options.periods.map((p) => ({ value: p, label: p }))} any="Any period" />
            <Select name="status" label="Status" value={filters.status} any="Any status" options={[{ value: "open", label: "Open" }, ...Object.entries(OUTCOME_LABEL).map(([value, label]) => ({ value, label }))]} />
            <Select name="audience" label="Audience" value={filters.audience} any="Public and internal" options={[{ value: "public", label: "Public" }, { value: "internal", label: "Internal" }]} />
            <Select name="tag" label="Theme" value={filters.tag} any="Any theme" options={options.tags.map((t) => ({ value: t, label: t }))} />
            <Select
              name="forecast"
              label="Latest check-in"
              value={filters.forecast}
              any="Any forecast"
              options={FORECAST_FILTERS.map((f) => ({ value: f, label: FORECAST_FILTER_LABEL[f] }))}
            />
            <div className="field">
              <label htmlFor="filter-outcomeSince">Outcome recorded on or after</label>
              {/* An instant (the dashboard's exact window) stays as typed text: a date field would drop it. */}
              <input
                id="filter-outcomeSince"
                type={sinceIsInstant ? "text" : "date"}
                name="outcomeSince"
                defaultValue={filters.outcomeSince ?? ""}
                aria-invalid={outcomeSinceError ? true : undefined}
                aria-describedby={[sinceIsInstant ? "filter-outcomeSince-hint" : "", outcomeSinceError ? "filter-outcomeSince-error" : ""].join(" ").trim() || undefined}
              />
              {sinceIsInstant ? (
                <p id="filter-outcomeSince-hint" className="field__hint">
                  An exact moment, as the dashboard links it; or a day as YYYY-MM-DD
                </p>
              ) : null}
              {outcomeSinceError ? (
                <p id="filter-outcomeSince-error" className="field__error">
                  {outcomeSinceError} This filter is not applied.
                </p>
              ) : null}
            </div>
            <div className="field">
              <label htmlFor="filter-owner">Owner</label>
              <input id="filter-owner" type="search" name="owner" defaultValue={ownerText} aria-describedby="filter-owner-hint" autoComplete="off" />
              <p id="filter-owner-hint" className="field__hint">
                Part of a name or email
              </p>
            </div>
          </div>
        </details>
        <Select
          name="sort"
          label="Sort by"
          value={filters.sort === "committed_desc" ? "" : filters.sort}
          any="Newest commitments first"
          options={[
            { value: "due", label: "Due date, soonest first" },
            { value: "due_desc", label: "Due date, latest first" },
            { value: "score", label: "Falsifiability, weakest first" },
            { value: "outcome_desc", label: "Outcome recorded, newest first" },
          ]}
        />
        <button type="submit" className="button">
          Apply
        </button>
      </Form>
      <p className="result-count" role="status">
        {moreThanTotal ? `More than ${total.toLocaleString("en-GB")} commitments` : total === 1 ? "1 commitment" : `${total} commitments`}
        {scope}
        {query ? null : <span className="muted"> ({underWay.join(", ")}; newest first)</span>}
      </p>
      {rows.length === 0 ? (
        !anyAtAll ? (
          <p>
            No commitments yet.{" "}
            {canWrite ? (
              <>
                <Link to="/commitments/new">Write the first one</Link>: one sentence someone could check, a due date, and how you
                will know it is done.
              </>
            ) : (
              "Your teams' editors write them."
            )}
          </p>
        ) : (
          <p>
            {query ? "No commitments match these filters." : "No commitments under way now."}{" "}
            {filters.year !== "all" ? <Link to={`/commitments?${withParam(query, "year", "all")}`}>Look in every year</Link> : null}
            {canWrite ? (
              <>
                {filters.year !== "all" ? " or " : null}
                <Link to="/commitments/new">write a commitment</Link>.
              </>
            ) : null}
          </p>
        )
      ) : (
        <div className="table-wrap">
          <table className="commitments-table stack-table">
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
            {/* The rows as one string of the HTML React wrote for them, followed in the app by one click handler (ADR 0061). */}
            <tbody onClick={followLink} dangerouslySetInnerHTML={{ __html: commitmentRowsHtml(rows, today) }} />
          </table>
        </div>
      )}
      <nav aria-label="Pages of commitments" className="pager">
        {!isFirstPage ? <Link to={query ? `?${query.slice(1)}` : "/commitments"}>First page</Link> : null}
        {next ? <Link to={`?${nextParams.toString()}`}>Next page</Link> : null}
      </nav>
    </div>
  );
}
