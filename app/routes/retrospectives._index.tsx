import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { periodContaining, previousPeriod } from "~/domain/period";
import { flattenTree } from "~/domain/team-tree";
import { listRecentRetrospectives } from "~/models/retrospective.server";
import { listAllTeams } from "~/models/team.server";
import { organisationCalendar } from "~/services/organisation.server";
import { periodChoices } from "~/domain/period";
import { ORG_SCOPE } from "~/schemas/retrospectives";
import { requireUser } from "~/http/session.server";
import { Moment } from "~/components/dates";

export const meta: MetaFunction = () => [{ title: "Retrospectives · Kept" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context);
  const url = new URL(request.url);
  const scope = url.searchParams.get("scope");
  const period = url.searchParams.get("period");
  if (scope && period && /^[a-z0-9-]{1,60}$/.test(scope) && /^FY\d{4}(-(H[12]|Q[1-4]))?$/.test(period)) {
    throw redirect(`/retrospectives/${scope}/${period}`);
  }
  const { calendar, today } = await organisationCalendar(context.db, new Date());
  const [teams, recent] = await Promise.all([listAllTeams(context.db), listRecentRetrospectives(context.db)]);
  return {
    scopes: [
      { value: ORG_SCOPE, label: "The whole organisation" },
      ...flattenTree(teams).map((r) => ({ value: r.team.slug, label: `${"— ".repeat(r.depth)}${r.team.name}` })),
    ],
    periods: periodChoices(calendar, today),
    // The quarter that just ended is the one most teams review.
    defaultPeriod: previousPeriod(periodContaining(today, "quarter", calendar), calendar).label,
    recent: recent.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() })),
  };
}

export default function Retrospectives() {
  const { scopes, periods, defaultPeriod, recent } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>Retrospectives</h1>
      <p className="lead">Look at one period: what was promised, what happened, why, and whether the forecasts were honest.</p>
      <Form method="get" className="inline-form" aria-label="Open a retrospective">
        <div className="field">
          <label htmlFor="retro-scope">Team (with its sub-teams)</label>
          <select id="retro-scope" name="scope" defaultValue={scopes[1]?.value ?? ORG_SCOPE}>
            {scopes.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="retro-period">Period</label>
          <select id="retro-period" name="period" defaultValue={defaultPeriod}>
            {periods.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--primary">
          Open retrospective
        </button>
      </Form>
      <h2>Recently held</h2>
      {recent.length === 0 ? (
        <p>
          No retrospective has notes or action items yet. Choose a team and a period above: its figures are ready, and its
          notes and action items are written on its page.
        </p>
      ) : (
        <ul>
          {recent.map((r) => (
            <li key={r.id}>
              <Link to={`/retrospectives/${r.teamSlug ?? ORG_SCOPE}/${r.periodLabel}`}>
                {r.teamName ?? "Whole organisation"}, {r.periodLabel}
              </Link>{" "}
              <span className="muted">(updated <Moment value={r.updatedAt} dayOnly />)</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
