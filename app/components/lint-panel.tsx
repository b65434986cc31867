import type { Finding, LintResult } from "~/domain/falsifiability";

/** How many findings show before "show all": enough to act on, short enough to stay beside the statement. */
export const TOP_FINDINGS = 3;

function FindingItem({ f }: { f: Finding }) {
  return (
    <li className={`lint__finding lint__finding--${f.severity}`} data-code={f.code}>
      <strong>{f.severity === "error" ? "Fix: " : f.severity === "warning" ? "Consider: " : "Note: "}</strong>
      {f.message} <span className="lint__suggestion">{f.suggestion}</span>
    </li>
  );
}

/** One line for screen readers, changed only when the verdict changes, never on every keystroke. */
export function lintSummary(result: LintResult, minimum?: number): string {
  const errors = result.findings.filter((f) => f.severity === "error").length;
  const below = minimum !== undefined && minimum > 0 && result.score < minimum;
  const verdict = errors === 0 ? "no problem a reader could not check" : `${errors} ${errors === 1 ? "problem" : "problems"} to fix`;
  return `Falsifiability ${result.score} of 100, ${verdict}${below ? `; public commitments need ${minimum}` : ""}.`;
}

/**
 * The falsifiability findings: the score, the three that matter most, and the rest behind
 * "show all" (a <details>, so it works without JavaScript). Findings arrive sorted errors first.
 */
export function LintPanel({ result, minimum, headingLevel = 2 }: { result: LintResult; minimum?: number; headingLevel?: 2 | 3 }) {
  const level = result.score >= 80 ? "good" : result.score >= 50 ? "fair" : "poor";
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const top = result.findings.slice(0, TOP_FINDINGS);
  const rest = result.findings.slice(TOP_FINDINGS);
  return (
    <section className={`lint lint--${level}`} aria-labelledby="lint-heading">
      <Heading id="lint-heading" className="lint__heading">
        Falsifiability: <span data-testid="lint-score">{result.score}</span>/100
      </Heading>
      {minimum && minimum > 0 ? (
        <p className="muted">
          Public commitments need at least {minimum}.{result.score < minimum ? " This one does not reach it yet." : ""}
        </p>
      ) : null}
      {result.findings.length === 0 ? (
        <p>Sharp: someone could check this and prove it right or wrong.</p>
      ) : (
        <>
          <ul className="lint__list" data-testid="lint-top">
            {top.map((f, i) => (
              <FindingItem key={`${f.code}-${f.term ?? ""}-${i}`} f={f} />
            ))}
          </ul>
          {rest.length > 0 ? (
            <details className="lint__more">
              <summary>
                Show all {result.findings.length} findings ({rest.length} more)
              </summary>
              <ul className="lint__list">
                {rest.map((f, i) => (
                  <FindingItem key={`${f.code}-${f.term ?? ""}-${i}`} f={f} />
                ))}
              </ul>
            </details>
          ) : null}
        </>
      )}
    </section>
  );
}
