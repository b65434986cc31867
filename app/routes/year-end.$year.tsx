import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { FiscalYearSchema } from "~/schemas/letters";
import { yearCloseFor } from "~/services/year-close.server";
import { actorOf, requireAdmin } from "~/http/session.server";
import { pageError, requireParam } from "~/http/route-errors.server";

// The year-end close: the checklist that ends in drafting the letter (ADR 0017).

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Close FY${data?.fiscalYear ?? ""} · Kept` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireAdmin(request, context, "year.close");
  const year = requireParam(params, "year", FiscalYearSchema, "There is no such fiscal year.");
  const result = await yearCloseFor(context.db, actorOf(user), year, new Date());
  if (!result.ok) throw pageError(result.error);
  return result.value;
}

const dayFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const day = (iso: string) => dayFormat.format(new Date(`${iso}T00:00:00Z`));

const STATUS_WORDS = { missed: "Missed", partial: "Partly delivered", withdrawn: "Withdrawn", delivered: "Delivered" } as const;

export default function YearEndClose() {
  const close = useLoaderData<typeof loader>();
  const { fiscalYear, timing } = close;
  const notStarted = timing.phase === "not-started";
  const openCount = close.openTotal;
  return (
    <div className="page year-close">
      <p className="breadcrumb">
        <Link to="/letters">Letters</Link> / year-end close
      </p>
      <h1>Close FY{fiscalYear}</h1>
      <p className="lead countdown" id="countdown">
        <strong>
          FY{fiscalYear} {close.countdown}
        </strong>{" "}
        ({day(timing.start)} – {day(timing.end)}, in the organisation&apos;s time zone).
      </p>
      <nav aria-label="Other years" className="muted">
        <Link to={`/year-end/${fiscalYear - 1}`}>FY{fiscalYear - 1}</Link>
        {notStarted ? null : (
          <>
            {" · "}
            <Link to={`/year-end/${fiscalYear + 1}`}>FY{fiscalYear + 1}</Link>
          </>
        )}
      </nav>

      {notStarted ? (
        <p>Nothing to close yet: the year has not started, and no letter can be written or published for it until it has.</p>
      ) : (
        <>
          <p>
            Work through the list before drafting the letter: every open commitment gets its outcome, every shortfall its explanation, every period its
            retrospective. The letter then tells the whole story — and what is still open when it is published is listed as open, for good.
          </p>
          <ol className="close-steps stack">
            <li>
              <section aria-labelledby="open-heading" className="stack">
                <h2 id="open-heading">
                  Commitments without an outcome <span className="badge">{openCount}</span>
                </h2>
                {openCount === 0 ? (
                  <p className="checks--ready">Every commitment of FY{fiscalYear} has its outcome.</p>
                ) : (
                  <>
                    <p>
                      {close.openSummary} of FY{fiscalYear} {openCount === 1 ? "has" : "have"} no outcome yet. Ask each owner to record it.
                      {close.openShown < openCount ? ` The first ${close.openShown} are listed here; the commitments list has them all.` : ""}
                    </p>
                    {close.openByTeam.map((team) => (
                      <section key={team.teamId} aria-labelledby={`team-${team.teamId}`} className="stack">
                        <h3 id={`team-${team.teamId}`}>
                          <Link to={`/teams/${team.teamSlug}`}>{team.teamName}</Link> <span className="muted">({team.commitments.length})</span>
                        </h3>
                        <ul className="card-list">
                          {team.commitments.map((c) => (
                            <li key={c.id} className="card">
                              <Link to={`/commitments/${c.id}`}>{c.statement}</Link>
                              <p className="muted">
                                {c.ownerId ? <Link to={`/people/${c.ownerId}`}>{c.ownerName}</Link> : "No owner"} · {c.periodLabel} · due {day(c.dueDate)}
                                {c.overdue ? <strong> · past due</strong> : null} · {c.audience === "public" ? "public" : "internal"}
                              </p>
                            </li>
                          ))}
                        </ul>
                      </section>
                    ))}
                  </>
                )}
              </section>
            </li>
            <li>
              <section aria-labelledby="explanations-heading" className="stack">
                <h2 id="explanations-heading">
                  Explanations still missing <span className="badge">{close.unexplained.length}</span>
                </h2>
                {close.unexplained.length === 0 ? (
                  <p>Every missed, partly delivered and withdrawn commitment has its reason, explanation and lesson.</p>
                ) : (
                  <ul className="card-list">
                    {close.unexplained.map((s) => (
                      <li key={s.id} className="card">
                        <Link to={`/commitments/${s.id}`}>{s.statement}</Link>
                        <p className="muted">
                          {s.teamName} · {s.ownerName ?? "No owner"} · {STATUS_WORDS[s.status]}
                        </p>
                        <p>{s.missing}</p>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            </li>
            <li>
              <section aria-labelledby="retrospectives-heading" className="stack">
                <h2 id="retrospectives-heading">
                  Retrospectives not yet held <span className="badge">{close.retrospectives.length}</span>
                </h2>
                {close.retrospectives.length === 0 ? (
                  <p>Every team has held its retrospectives for the periods of FY{fiscalYear} so far.</p>
                ) : (
                  <ul className="card-list">
                    {close.retrospectives.map((r) => (
                      <li key={`${r.teamId ?? "org"}-${r.periodLabel}`} className="card">
                        <Link to={r.href}>
                          {r.teamName}, {r.periodLabel}
                        </Link>
                        <p className="muted">{r.ended ? `The period ended on ${day(r.periodEnd)}.` : `The period ends on ${day(r.periodEnd)}.`}</p>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            </li>
            <li>
              <section aria-labelledby="draft-heading" className="stack">
                <h2 id="draft-heading">Draft the letter</h2>
                <p>
                  Kept drafts the letter from the record as it stands: what is open above is listed as open.
                  {timing.phase === "under-way" ? " Publishing before the year ends asks you to confirm that in writing." : ""}
                </p>
                <ul className="card-list">
                  {(["public", "internal"] as const).map((audience) => {
                    const letter = close.letters[audience];
                    const name = audience === "public" ? "Public letter" : "Internal letter";
                    return (
                      <li key={audience} className="card">
                        {letter ? (
                          <Link to={letter.href}>
                            {name}: {letter.status === "published" ? "published" : "open the draft"}
                          </Link>
                        ) : (
                          <Form method="post" action="/letters" className="form--inline">
                            <input type="hidden" name="intent" value="generate" />
                            <input type="hidden" name="fiscalYear" value={fiscalYear} />
                            <input type="hidden" name="audience" value={audience} />
                            <button type="submit" className={audience === "public" ? "button button--primary" : "button"}>
                              Draft the {audience} letter for FY{fiscalYear}
                            </button>
                          </Form>
                        )}
                      </li>
                    );
                  })}
                </ul>
              </section>
            </li>
          </ol>
        </>
      )}
    </div>
  );
}
