import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Day, Moment } from "~/components/dates";
import { OutcomeNarrative } from "~/components/outcome-narrative";
import { formatFieldValue } from "~/domain/commitment";
import { formatDay } from "~/domain/dates";
import { STATUS_LABEL } from "~/domain/letter-publish";
import { CONTROL_LABEL, FORECAST_LABEL, REASON_LABEL } from "~/domain/types";
import { UuidSchema } from "~/schemas/common";
import { loadPublicCommitment } from "~/pages/public-commitment.server";
import { forwardHeaders } from "~/http/headers.server";
import { actorOf, getOptionalUser } from "~/http/session.server";
import { notFound, requireParam } from "~/http/route-errors.server";

// The permalink a customer can follow to one public commitment: what was promised first,
// how it changed and why, and what became of it.

export const handle = { staticForAnonymous: true, publicPage: true };

export const headers = forwardHeaders(["Cache-Control", "Vary"]);

export const meta: MetaFunction<typeof loader> = ({ data: page }) =>
  page
    ? [
        { title: `${page.commitment.statement.slice(0, 60)} · ${page.organisationName}` },
        { name: "description", content: `A commitment ${page.organisationName} made to its customers, and what became of it.` },
      ]
    : [{ title: "Not found" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const id = requireParam(params, "id", UuidSchema, "Not found");
  const user = await getOptionalUser(request, context);
  const page = await loadPublicCommitment(context.db, user ? actorOf(user) : null, id);
  if (!page) throw notFound("Not found");
  return data(page, { headers: { "Cache-Control": user ? "private, no-cache" : "public, max-age=60", Vary: "Cookie" } });
}

const dayOf = (field: string, value: unknown) => (field === "dueDate" && typeof value === "string" ? formatDay(value) : formatFieldValue(field, value));

export default function PublicCommitment() {
  const { commitment: c, rescopes, outcome, organisationName, checkIns } = useLoaderData<typeof loader>();
  return (
    <article className="page public-commitment">
      <p className="breadcrumb">
        <Link to="/ledger">Public ledger</Link>
      </p>
      <h1 className="commitment-title">{c.statement}</h1>
      <p className="commitment-meta">
        <span className={`badge badge--${c.status}`}>{STATUS_LABEL[c.status]}</span> · {c.teamName} · {c.periodLabel} · due <Day value={c.dueDate} />
        {c.attempt > 1 ? <> · attempt {c.attempt}</> : null}
      </p>

      <section aria-labelledby="promise-heading">
        <h2 id="promise-heading">The promise</h2>
        <p>
          On <Moment value={c.committedAt} dayOnly />, {organisationName || "we"} committed:
        </p>
        <blockquote className="public-commitment__promise">{c.firstStatement}</blockquote>
        <dl className="facts">
          <dt>Measure</dt>
          <dd>{c.measureText}</dd>
          <dt>How anyone can check</dt>
          <dd>{c.evidenceSource || "—"}</dd>
        </dl>
      </section>

      {rescopes ? (
        <section aria-labelledby="rescope-heading" className="rescopes">
          <h2 id="rescope-heading">Changed since: original beside current</h2>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Each changed part of the promise as first made and as it stands now</caption>
              <thead>
                <tr>
                  <th scope="col">What</th>
                  <th scope="col">As first promised</th>
                  <th scope="col">Now</th>
                </tr>
              </thead>
              <tbody>
                {rescopes.rows.map((r) => (
                  <tr key={r.field}>
                    <th scope="row">{r.label}</th>
                    <td>
                      <del>{dayOf(r.field, r.original)}</del>
                    </td>
                    <td>
                      <ins>{dayOf(r.field, r.current)}</ins>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ul>
            {rescopes.events.map((e, i) => (
              <li key={i}>
                <Moment value={e.at} dayOnly />: “{e.reason}”
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {checkIns ? (
        <section aria-labelledby="checkins-heading">
          <h2 id="checkins-heading">Along the way</h2>
          {checkIns.length === 0 ? (
            <p>No check-ins yet.</p>
          ) : (
            <>
              <p>How likely the team thought delivery was at each check-in, newest first.</p>
              <ol className="timeline" reversed>
                {checkIns.map((ci) => (
                  <li key={ci.id}>
                    <strong>
                      <Day value={ci.date} />
                    </strong>{" "}
                    · {FORECAST_LABEL[ci.forecast]} · {ci.probability}% likely
                    {ci.progressValue !== null ? <> · progress {formatFieldValue("progress", ci.progressValue)}</> : null}
                    {ci.note ? <p>{ci.note}</p> : null}
                  </li>
                ))}
              </ol>
            </>
          )}
        </section>
      ) : null}

      <section aria-labelledby="outcome-heading">
        <h2 id="outcome-heading">What became of it</h2>
        {outcome ? (
          <>
            <p>
              <span className={`badge badge--${outcome.status}`}>{STATUS_LABEL[outcome.status]}</span> on <Day value={outcome.resolvedAt} />
              {outcome.timing ? <> · {outcome.timing}</> : null}
            </p>
            <dl className="facts">
              {outcome.actualValue !== null ? (
                <>
                  <dt>Result</dt>
                  <dd>{formatFieldValue("actualValue", outcome.actualValue)}</dd>
                </>
              ) : null}
              {outcome.partialDescription ? (
                <>
                  <dt>What was delivered</dt>
                  <dd>{outcome.partialDescription}</dd>
                </>
              ) : null}
              {outcome.reasonCategory ? (
                <>
                  <dt>Main reason</dt>
                  <dd>{REASON_LABEL[outcome.reasonCategory]}</dd>
                  <dt>In our control?</dt>
                  <dd>{outcome.control ? CONTROL_LABEL[outcome.control] : "—"}</dd>
                </>
              ) : null}
              {outcome.evidenceUrl ? (
                <>
                  <dt>Evidence</dt>
                  <dd>
                    <a href={outcome.evidenceUrl} rel="nofollow noopener noreferrer" className="break-anywhere">
                      {outcome.evidenceUrl}
                    </a>
                  </dd>
                </>
              ) : null}
            </dl>
            <OutcomeNarrative explanationHtml={outcome.explanationHtml} lessonHtml={outcome.lessonHtml} />
          </>
        ) : (
          <p>Still open: no outcome yet. It is due on {formatDay(c.dueDate)}.</p>
        )}
      </section>
    </article>
  );
}
