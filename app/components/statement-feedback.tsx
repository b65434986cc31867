import { useEffect, useState } from "react";
import { LintPanel, lintSummary } from "~/components/lint-panel";
import { vagueSpans, type FieldOffer, type LintResult, type Rewrite } from "~/domain/falsifiability";

/** The statement as typed, with the words a reader couldn't check marked. */
export function MarkedStatement({ statement }: { statement: string }) {
  const spans = vagueSpans(statement);
  if (statement.trim() === "" || spans.length === 0) return null;
  const pieces: React.ReactNode[] = [];
  let at = 0;
  for (const s of spans) {
    if (s.index > at) pieces.push(statement.slice(at, s.index));
    pieces.push(
      <mark key={s.index} className={s.pinned ? "vague vague--pinned" : "vague"} data-term={s.term}>
        {statement.slice(s.index, s.index + s.length)}
      </mark>,
    );
    at = s.index + s.length;
  }
  pieces.push(statement.slice(at));
  return (
    <p className="marked-statement" data-testid="marked-statement">
      <span className="marked-statement__label">Words a reader can’t check are marked: </span>
      {pieces}
    </p>
  );
}

function RewriteText({ rewrite }: { rewrite: Rewrite }) {
  return (
    <q className="rewrite__text" data-testid="rewrite">
      {rewrite.parts.map((p, i) =>
        p.kind === "text" ? (
          <span key={i}>{p.text}</span>
        ) : (
          <span key={i} className="blank" title={`Fill in: ${p.label}`}>
            <span className="visually-hidden">blank: {p.label}</span>
            <span aria-hidden="true">[{p.label}]</span>
          </span>
        ),
      )}
      .
    </q>
  );
}

interface Props {
  statement: string;
  result: LintResult;
  minimum: number;
  rewrite: Rewrite | null;
  offer: FieldOffer | null;
  onUseRewrite: (text: string) => void;
  onUseOffer: (offer: FieldOffer) => void;
}

/**
 * Everything about the statement, placed right under it (so on a phone it sits above the submit
 * button): the marked words, the top findings, a rewrite and the values it names. The buttons
 * need JavaScript, so they appear only once it runs; the rest is rendered on the server too.
 */
export function StatementFeedback({ statement, result, minimum, rewrite, offer, onUseRewrite, onUseOffer }: Props) {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const summary = lintSummary(result, minimum);
  // The live region holds one short line that changes only when the verdict does, so typing a
  // letter doesn't make a screen reader read the findings out again.
  const [announced, setAnnounced] = useState(summary);
  useEffect(() => {
    const t = setTimeout(() => setAnnounced(summary), 600);
    return () => clearTimeout(t);
  }, [summary]);

  return (
    <div className="statement-feedback" id="statement-feedback">
      <p className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="lint-announcement">
        {hydrated ? announced : ""}
      </p>
      <MarkedStatement statement={statement} />
      <LintPanel result={result} minimum={minimum} />
      {rewrite ? (
        <div className="rewrite">
          <p>
            <strong>A checkable wording</strong>
            {rewrite.blanks > 0 ? " (fill in the blanks)" : ""}: <RewriteText rewrite={rewrite} />
          </p>
          {hydrated ? (
            <button type="button" className="button button--small" onClick={() => onUseRewrite(rewrite.text)}>
              Use this wording
            </button>
          ) : null}
        </div>
      ) : null}
      {offer && hydrated ? (
        <div className="offer">
          <p>
            The statement says: <span data-testid="offer-summary">{offer.summary}</span>.
          </p>
          <button type="button" className="button button--small" onClick={() => onUseOffer(offer)}>
            Put {offer.metricTarget !== null && offer.dueDate ? "these in the measure and due-date fields" : offer.dueDate ? "this in the due-date field" : "these in the measure fields"}
          </button>
        </div>
      ) : null}
    </div>
  );
}
