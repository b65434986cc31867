import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { OutcomeBars } from "~/components/charts";
import { formatNumber } from "~/domain/commitment";
import { DELIVERY_RATE_LABEL, deliveryRate, deliveryRateExplanation, formatPercent } from "~/domain/statistics";
import { movedToText } from "~/domain/letter";
import { STATUS_LABEL, changedAfterLetterText } from "~/domain/letter-publish";
import { publicLedger } from "~/services/letters.server";
import { publicRecordValidation } from "~/http/immutable-pages.server";
import { decodeCursor, encodeCursor } from "~/utils/cursor";
import { forwardHeaders } from "~/http/headers.server";
import { actorOf, getOptionalUser } from "~/http/session.server";
import { Day, Moment } from "~/components/dates";
import { publicCommitmentPath } from "~/domain/commitment";

export const handle = { staticForAnonymous: true, publicPage: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Public ledger${data?.organisationName ? ` · ${data.organisationName}` : ""}` },
  { name: "description", content: "Every commitment we made to our customers, with what became of it." },
];

export const headers = forwardHeaders(["ETag", "Cache-Control", "Vary"]);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request, context);
  const url = new URL(request.url);
  const yearParam = url.searchParams.get("year");
  const year = yearParam && /^\d{4}$/.test(yearParam) ? Number(yearParam) : null;
  const after = decodeCursor(url.searchParams.get("after"), { dueDate: "date", id: "uuid" });
  const ledger = await publicLedger(context.db, user ? actorOf(user) : null, year, after);
  if (!ledger) throw new Response("Not found", { status: 404 });
  const integrity = context.integrity?.publicStatus() ?? { broken: false, checking: false, seq: null, since: null };
  // The same validator the server answers anonymous readers with before rendering (ADR 0015),
  // so a render is cached only when it is the page that ETag describes.
  const query = new URLSearchParams([...url.searchParams].filter(([k]) => k === "year" || k === "after")).toString();
  const validation = user ? null : await publicRecordValidation(context.db, { kind: "ledger", query }, context.buildId ?? "", JSON.stringify(context.integrity?.publicStatus() ?? null));
  return data(
    {
      organisationName: ledger.organisationName,
      years: ledger.years,
      year: ledger.year,
      items: ledger.items,
      next: ledger.next && ledger.year ? `/ledger?year=${ledger.year}&after=${encodeCursor(ledger.next)}` : null,
      continued: Boolean(after),
      integrity,
    },
    { headers: validation ? { ETag: validation.etag, "Cache-Control": validation.cacheControl, Vary: "Cookie" } : { "Cache-Control": user ? "private, no-cache" : "public, max-age=60", Vary: "Cookie" } },
  );
}



export default function Ledger() {
  const { organisationName, years, year, items, next, continued, integrity } = useLoaderData<typeof loader>();
  const current = years.find((y) => y.fiscalYear === year);
  return (
    <div className="page">
      <h1>Public ledger</h1>
      {integrity.broken ? (
        <p className="form-errors" role="alert">
          <strong>
            Record integrity broken at #{integrity.seq} since {integrity.since ? <Moment value={integrity.since} /> : "the last check"}.
          </strong>{" "}
          The stored record no longer agrees with its own hash chain; what follows may have been changed outside Kept.
        </p>
      ) : integrity.checking ? (
        <p className="notice" role="status">
          The record&apos;s integrity is being checked (the server started recently): until the check ends, this page does not vouch that the stored
          record agrees with its hash chain.
        </p>
      ) : null}
      <p className="lead">
        Every commitment {organisationName || "we"} made to customers, and what became of it. Outcomes are recorded by the teams that made them and can
        only be changed with a written reason; our <Link to="/letters">annual letters</Link> explain each miss. Every change joins a hash chain
        you can <a href="/api/v1/public/log?download=true">download</a> and check yourself.
      </p>

      {years.length === 0 ? (
        <p>No customer-facing commitments have been made yet.</p>
      ) : (
        <>
          <section aria-labelledby="tallies-heading">
            <h2 id="tallies-heading">Tallies by year</h2>
            <div className="table-wrap">
              <table className="stack-table">
                <caption className="visually-hidden">Customer-facing commitments per fiscal year, by outcome</caption>
                <thead>
                  <tr>
                    <th scope="col">Year</th>
                    <th scope="col">Made</th>
                    <th scope="col">Delivered</th>
                    <th scope="col">Partially delivered</th>
                    <th scope="col">Missed</th>
                    <th scope="col">Withdrawn</th>
                    <th scope="col">Still open</th>
                    <th scope="col">{DELIVERY_RATE_LABEL}</th>
                  </tr>
                </thead>
                <tbody>
                  {years.map((y) => (
                    <tr key={y.fiscalYear} aria-current={y.fiscalYear === year ? "true" : undefined}>
                      <th scope="row">
                        {y.fiscalYear === year ? <strong>FY{y.fiscalYear}</strong> : <Link to={`/ledger?year=${y.fiscalYear}`}>FY{y.fiscalYear}</Link>}
                      </th>
                      <td data-label="Made" className="num">{formatNumber(y.made)}</td>
                      <td data-label="Delivered" className="num">{formatNumber(y.delivered)}</td>
                      <td data-label="Partially delivered" className="num">{formatNumber(y.partial)}</td>
                      <td data-label="Missed" className="num">{formatNumber(y.missed)}</td>
                      <td data-label="Withdrawn" className="num">{formatNumber(y.withdrawn)}</td>
                      <td data-label="Still open" className="num">{formatNumber(y.open)}</td>
                      <td data-label={DELIVERY_RATE_LABEL} className="num">
                        {formatPercent(deliveryRate(y))} <span className="muted">({deliveryRateExplanation(y)})</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          {current ? (
            <section aria-labelledby="year-heading">
              <h2 id="year-heading">FY{current.fiscalYear}</h2>
              <OutcomeBars
                title={`Customer-facing commitments of FY${current.fiscalYear}, by outcome`}
                counts={{ delivered: current.delivered, partial: current.partial, missed: current.missed, withdrawn: current.withdrawn, open: current.open }}
              />
              {continued ? (
                <p>
                  <Link to={`/ledger?year=${current.fiscalYear}`}>Back to the start of FY{current.fiscalYear}</Link>
                </p>
              ) : null}
              <ol className="ledger-list">
                {items.map((i) => (
                  <li key={i.id} className={`ledger-item ledger-item--${i.status}`}>
                    <p className="ledger-item__statement">
                      <a href={publicCommitmentPath(i.id)}>{i.statement}</a>
                    </p>
                    <p className="ledger-item__status">
                      <span className={`badge badge--${i.status}`}>{STATUS_LABEL[i.status]}</span>
                      {i.resolvedAt ? (
                        <>
                          {" "}
                          on <Day value={i.resolvedAt.slice(0, 10)} />
                        </>
                      ) : null}
                      {i.daysLate > 0 ? `, ${formatNumber(i.daysLate)} ${i.daysLate === 1 ? "day" : "days"} late` : ""}
                      {i.movedTo ? ` · ${movedToText(i.movedTo)}, still counted in FY${current.fiscalYear}` : ""}
                      {i.attempt > 1 ? ` · attempt ${formatNumber(i.attempt)}` : ""}
                    </p>
                    {i.changedAfterLetter ? <p className="ledger-item__changed">{changedAfterLetterText(i.changedAfterLetter)}</p> : null}
                    <p>
                      <a href={`/subscribe?commitment=${i.id}`}>
                        Watch<span className="visually-hidden"> “{i.statement}”</span>
                      </a>
                    </p>
                    <p className="muted">
                      {i.teamName} · due <Day value={i.dueDate.slice(0, 10)} /> · {i.measure}
                      {i.actualValue !== null ? ` · result ${formatNumber(i.actualValue)}` : ""}
                      {i.evidenceUrl ? (
                        <>
                          {" · "}
                          <a href={i.evidenceUrl} rel="nofollow noopener noreferrer">
                            evidence
                          </a>
                        </>
                      ) : null}
                    </p>
                  </li>
                ))}
              </ol>
              {next ? (
                <p>
                  <Link to={next}>More commitments from FY{current.fiscalYear}</Link>
                </p>
              ) : null}
            </section>
          ) : null}
        </>
      )}
    </div>
  );
}
