import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { can, decideByAccount } from "~/domain/permissions";
import { CommitmentLines } from "~/components/commitment-lines";
import type { FirstRunChecklist } from "~/domain/first-run";
import { DELIVERY_RATE_LABEL, deliveryRateExplanation, formatPercent, madeOf } from "~/domain/statistics";
import { FORECAST_LABEL, OUTCOME_LABEL, type Forecast, type OutcomeStatus } from "~/domain/types";
import type { DashboardItem } from "~/models/dashboard.server";
import { loadDashboard } from "~/pages/dashboard.server";
import { needsSetup } from "~/services/setup.server";
import { actorOf, requireUser } from "~/http/session.server";
import { useTimeZone } from "~/components/dates";
import { formatDay, formatDayOf } from "~/domain/dates";
import { commitmentListHref } from "~/utils/clean-search";

export const meta: MetaFunction = () => [{ title: "Dashboard · Kept" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await needsSetup(context.db)) throw redirect("/setup");
  const user = await requireUser(request, context);
  const data = await loadDashboard(context.db, actorOf(user), new Date(), context.figures);
  return { ...data, user: { id: user.id, name: user.name, role: user.role } };
}

function ItemList({ items, empty, detail }: { items: DashboardItem[]; empty: React.ReactNode; detail: (i: DashboardItem) => React.ReactNode }) {
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="dash-list">
      {items.map((i) => (
        <li key={i.id}>
          <Link to={`/commitments/${i.id}`}>{i.statement}</Link>
          <span className="muted">
            {" "}
            · {i.team_name} · {detail(i)}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** The link under a bounded list when it shows fewer than match: to the filtered list. */
function SeeAll({ shown, total, href, children }: { shown: number; total: number; href: string; children: React.ReactNode }) {
  if (total <= shown) return null;
  return (
    <p className="see-all">
      <Link to={href}>{children}</Link> <span className="muted">({shown} of {total} shown here)</span>
    </p>
  );
}

function Checklist({ checklist }: { checklist: FirstRunChecklist }) {
  const body = (
    <ol className="checklist">
      {checklist.steps.map((s) => (
        <li key={s.id} className={s.done ? "checklist__done" : undefined}>
          <span className="checklist__mark" aria-hidden="true">
            {s.done ? "✓" : "○"}
          </span>
          <div>
            <strong>{s.title}</strong> <span className="visually-hidden">{s.done ? "(done)" : "(to do)"}</span>
            <br />
            <span className="muted">{s.detail}</span> <Link to={s.href}>{s.linkText}</Link>
          </div>
        </li>
      ))}
    </ol>
  );
  if (checklist.complete) {
    return (
      <details className="first-run first-run--done">
        <summary>Getting started: all {checklist.steps.length} steps done</summary>
        {body}
      </details>
    );
  }
  return (
    <section aria-labelledby="first-run-heading" className="first-run">
      <h2 id="first-run-heading">
        Getting started ({checklist.doneCount} of {checklist.steps.length} done)
      </h2>
      {body}
    </section>
  );
}

export default function Dashboard() {
  const { user, organisationName, quarter, myTeams, wholeOrganisation, lists, recentListHref, openListHref, quarterCounts, mine, teamsThisQuarter, checklist, year, yearSummary, today } =
    useLoaderData<typeof loader>();
  const timeZone = useTimeZone();
  const canWrite = decideByAccount(user, "commitments.write") !== "deny";
  const onNoTeam = myTeams.length === 0 && !wholeOrganisation;
  const scopeName = wholeOrganisation ? "The organisation's" : "Your teams'";
  return (
    <div className="page page--wide">
      <h1>{organisationName}</h1>
      <p className="lead">
        Welcome, {user.name}. Today is {today}, in {quarter.label} ({quarter.start} to {quarter.end}).{" "}
        {wholeOrganisation ? "You are on no team, so this shows the whole organisation." : myTeams.length > 0 ? `Showing ${myTeams.map((t) => t.name).join(", ")} and their sub-teams.` : null}
      </p>
      {checklist ? <Checklist checklist={checklist} /> : null}
      {onNoTeam ? (
        <p className="notice">
          You are not on any team yet, so there is nothing of your teams&apos; to track here. Ask an admin to add you to yours, or{" "}
          <Link to="/teams">look through the teams</Link> and <Link to="/commitments">every commitment</Link>.
        </p>
      ) : null}
      <section aria-labelledby="mine-heading">
        <h2 id="mine-heading">Your open commitments ({mine.total})</h2>
        {mine.items.length > 0 ? (
          <>
            <CommitmentLines items={mine.items} today={today} />
            {mine.total > mine.items.length ? (
              <p>
                <Link to={`/commitments?owner=${user.id}&status=open`}>All {mine.total} of your open commitments</Link>
              </p>
            ) : null}
          </>
        ) : (
          <p className="muted">
            You own no open commitment.{" "}
            {canWrite ? (
              <>
                <Link to="/commitments/new">Write a commitment</Link> and name yourself its owner.
              </>
            ) : null}
          </p>
        )}
      </section>
      <section aria-labelledby="quarter-heading" className="dash-summary">
        <h2 id="quarter-heading">
          {scopeName} {quarter.label}: due {quarter.start} to {quarter.end}
        </h2>
        <dl className="stat-grid">
          <div>
            <dt>Due this quarter</dt>
            <dd>{madeOf(quarterCounts)}</dd>
          </div>
          <div>
            <dt>Delivered in full</dt>
            <dd>{quarterCounts.delivered}</dd>
          </div>
          <div>
            <dt>Still open</dt>
            <dd>{quarterCounts.open}</dd>
          </div>
          <div>
            <dt>
              {DELIVERY_RATE_LABEL}, {year.label}
            </dt>
            <dd>{formatPercent(yearSummary.deliveryRate)}</dd>
            <dd className="muted">{deliveryRateExplanation(yearSummary.counts)}</dd>
          </div>
        </dl>
        {teamsThisQuarter.items.length > 0 ? (
          <>
            <h3>Open and due this quarter ({teamsThisQuarter.total})</h3>
            <CommitmentLines items={teamsThisQuarter.items} today={today} />
            <SeeAll shown={teamsThisQuarter.items.length} total={teamsThisQuarter.total} href={openListHref}>
              Every open commitment, soonest due first
            </SeeAll>
          </>
        ) : (
          <p className="muted">
            Nothing open falls due this quarter.{" "}
            {canWrite && !onNoTeam ? (
              <>
                <Link to="/commitments/new">Write a commitment</Link>.
              </>
            ) : null}
          </p>
        )}
      </section>
      <div className="dash-grid">
        <section aria-labelledby="past-due">
          <h2 id="past-due">Past due, no outcome ({lists.totals.pastDue})</h2>
          <ItemList
            items={lists.pastDue}
            empty="Nothing is past due without an outcome."
            detail={(i) => <strong className="danger-text">due {formatDay(String(i.due_date))}</strong>}
          />
          <SeeAll shown={lists.pastDue.length} total={lists.totals.pastDue} href={openListHref}>
            All {lists.totals.pastDue} past due, in the list of open commitments
          </SeeAll>
        </section>
        <section aria-labelledby="due-soon">
          <h2 id="due-soon">Due in the next 30 days ({lists.totals.dueSoon})</h2>
          <ItemList
            items={lists.dueSoon}
            empty={
              canWrite ? (
                <>
                  Nothing due in the next 30 days. <Link to="/commitments/new">Write a commitment</Link>.
                </>
              ) : (
                "Nothing due in the next 30 days."
              )
            }
            detail={(i) => `due ${formatDay(String(i.due_date))}`}
          />
          <SeeAll shown={lists.dueSoon.length} total={lists.totals.dueSoon} href={openListHref}>
            All {lists.totals.dueSoon} due in the next 30 days, in the list of open commitments
          </SeeAll>
        </section>
        <section aria-labelledby="at-risk">
          <h2 id="at-risk">At risk or off track</h2>
          <ItemList
            items={lists.atRisk}
            empty="No open commitment's latest check-in says at risk, off track or stalled."
            detail={(i) => `${FORECAST_LABEL[i.forecast as Forecast]}, ${i.probability}% likely · due ${formatDay(String(i.due_date))}`}
          />
          {lists.atRisk.length > 0 ? (
            <p className="see-all">
              <Link to={commitmentListHref(openListHref, { status: "open", forecast: "not_on_track", sort: "due" })}>All at risk, off track or stalled, in the list of commitments</Link>
            </p>
          ) : null}
        </section>
        <section aria-labelledby="recent">
          <h2 id="recent">Outcomes in the last 30 days</h2>
          <ItemList
            items={lists.recent}
            empty={
              <>
                No outcomes recorded in the last 30 days. When something is done, missed or withdrawn, record it on the
                commitment: <Link to="/commitments?status=open&year=all">the open commitments</Link>.
              </>
            }
            detail={(i) => `${OUTCOME_LABEL[i.status as OutcomeStatus]} · recorded ${formatDayOf(String(i.recorded_at), timeZone)}`}
          />
          {lists.recent.length > 0 ? (
            <p className="see-all">
              <Link to={recentListHref}>All outcomes of the last 30 days, newest first, in the list of commitments</Link>
            </p>
          ) : null}
        </section>
      </div>
      {can(user, "organisation.manage") ? (
        <section aria-labelledby="admin-tasks">
          <h2 id="admin-tasks">Running Kept</h2>
          <ul>
            <li>
              <Link to="/people">Add people</Link> and give them a role: admins run Kept, members write their teams&apos;
              commitments, viewers read.
            </li>
            <li>
              <Link to="/teams">Organise teams</Link>, with sub-teams for roll-ups.
            </li>
            <li>
              <Link to="/year-end">Close the year</Link>: what is still open, explanations and retrospectives to finish, then the letter.
            </li>
          </ul>
        </section>
      ) : null}
    </div>
  );
}
