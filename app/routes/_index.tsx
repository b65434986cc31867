import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { periodContaining } from "~/domain/period";
import { getOrganisation } from "~/models/organisation.server";
import { teamsOfUser } from "~/models/team.server";
import { needsSetup } from "~/services/setup.server";
import { requireUser } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: "Home · Kept" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await needsSetup(context.db)) throw redirect("/setup");
  const user = await requireUser(request, context);
  const [organisation, myTeams] = await Promise.all([getOrganisation(context.db), teamsOfUser(context.db, user.id)]);
  if (!organisation) throw new Response("Kept has people but no organisation; restore a backup.", { status: 500 });
  const calendar = { startMonth: organisation.fiscalYearStartMonth, timeZone: organisation.timeZone };
  const now = new Date();
  return {
    user: { name: user.name, role: user.role },
    organisation: { name: organisation.name, timeZone: organisation.timeZone },
    year: periodContaining(now, "year", calendar),
    quarter: periodContaining(now, "quarter", calendar),
    myTeams,
  };
}

export default function Home() {
  const { user, organisation, year, quarter, myTeams } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{organisation.name}</h1>
      <p className="lead">
        Welcome, {user.name}. It is {quarter.label} ({quarter.start} to {quarter.end}) of {year.label}, on the{" "}
        {organisation.timeZone.replace(/_/g, " ")} calendar.
      </p>
      <section aria-labelledby="my-teams">
        <h2 id="my-teams">Your teams</h2>
        {myTeams.length === 0 ? (
          <p>
            You are not on any team yet.{" "}
            {user.role === "admin" ? (
              <>
                <Link to="/teams">Create a team</Link> and add people to it.
              </>
            ) : (
              <>Ask an admin to add you to your team.</>
            )}
          </p>
        ) : (
          <ul className="card-list">
            {myTeams.map((team) => (
              <li key={team.id} className="card">
                <h3>
                  <Link to={`/teams/${team.slug}`}>{team.name}</Link>
                </h3>
                {team.mission ? <p>{team.mission}</p> : null}
                <p className="muted">You are {team.role === "editor" ? "an editor" : "a viewer"} of this team.</p>
              </li>
            ))}
          </ul>
        )}
      </section>
      {user.role === "admin" ? (
        <section aria-labelledby="admin-tasks">
          <h2 id="admin-tasks">Running Kept</h2>
          <ul>
            <li>
              <Link to="/people">Add people</Link> and give them a role: admins run Kept, members write their
              teams&apos; commitments, viewers read.
            </li>
            <li>
              <Link to="/teams">Organise teams</Link>, with sub-teams for roll-ups.
            </li>
          </ul>
        </section>
      ) : null}
    </div>
  );
}
