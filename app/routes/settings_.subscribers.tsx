import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatInZone } from "~/domain/mail";
import { getOrganisation } from "~/models/organisation.server";
import { subscriberOverview } from "~/services/subscriptions.server";
import { actorOf, requireAdmin } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Subscribers · Settings · Kept" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireAdmin(request, context);
  const now = new Date();
  const result = await subscriberOverview(context.db, actorOf(user), now);
  if (!result.ok) throw new Response(result.error.message, { status: 403 });
  const timeZone = (await getOrganisation(context.db))?.timeZone ?? "UTC";
  const { bouncedList, ...counts } = result.value;
  return {
    counts,
    bounced: bouncedList.map((b) => ({ email: b.email, at: b.bouncedAt ? formatInZone(b.bouncedAt, timeZone) : "", reason: b.bounceReason ?? "" })),
  };
}

export default function Subscribers() {
  const { counts, bounced } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p>
        <a href="/settings">← Settings</a>
      </p>
      <h1>Subscribers</h1>
      <p className="lead">
        Readers who asked on the public site for the letters by mail or to watch a commitment, and confirmed. Their addresses are shown only
        here and in the export, never publicly; unsubscribing deletes an address.
      </p>
      <dl className="stat-grid" aria-label="Subscribers by state">
        <div>
          <dt>Confirmed addresses</dt>
          <dd>{counts.confirmed}</dd>
        </div>
        <div>
          <dt>Getting the letters</dt>
          <dd>{counts.letters}</dd>
        </div>
        <div>
          <dt>Commitments watched</dt>
          <dd>{counts.watches}</dd>
        </div>
        <div>
          <dt>Bounced (no more mail)</dt>
          <dd>{counts.bounced}</dd>
        </div>
        <div>
          <dt>Waiting for confirmation</dt>
          <dd>{counts.pending}</dd>
        </div>
      </dl>
      <p>
        <a href="/settings/subscribers.csv" download className="button">
          Export subscribers (CSV)
        </a>
      </p>
      <section aria-labelledby="bounced-heading">
        <h2 id="bounced-heading">Bounced addresses</h2>
        {bounced.length === 0 ? (
          <p>None. An address the mail server refuses for good is listed here and gets no more mail until its owner subscribes again.</p>
        ) : (
          <div className="table-wrap">
            <table className="stack-table">
              <caption className="visually-hidden">Subscriber addresses refused by the mail server, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Address</th>
                  <th scope="col">Bounced</th>
                  <th scope="col">Server's answer</th>
                </tr>
              </thead>
              <tbody>
                {bounced.map((b) => (
                  <tr key={b.email}>
                    <td data-label="Address">{b.email}</td>
                    <td data-label="Bounced">{b.at}</td>
                    <td data-label="Server's answer">{b.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
