import type { LintResult } from "~/domain/falsifiability";

/** The falsifiability findings, announced politely to screen readers as they change. */
export function LintPanel({ result, minimum, live = false }: { result: LintResult; minimum?: number; live?: boolean }) {
  const level = result.score >= 80 ? "good" : result.score >= 50 ? "fair" : "poor";
  return (
    <section className={`lint lint--${level}`} aria-labelledby="lint-heading">
      <h2 id="lint-heading" className="lint__heading">
        Falsifiability: <span data-testid="lint-score">{result.score}</span>/100
      </h2>
      <div aria-live={live ? "polite" : undefined} aria-atomic="true">
        {minimum && minimum > 0 ? (
          <p className="muted">Public commitments need at least {minimum}.</p>
        ) : null}
        {result.findings.length === 0 ? (
          <p>Sharp: someone could check this and prove it right or wrong.</p>
        ) : (
          <ul className="lint__list">
            {result.findings.map((f, i) => (
              <li key={`${f.code}-${f.term ?? ""}-${i}`} className={`lint__finding lint__finding--${f.severity}`} data-code={f.code}>
                <strong>{f.severity === "error" ? "Fix: " : f.severity === "warning" ? "Consider: " : "Note: "}</strong>
                {f.message} <span className="lint__suggestion">{f.suggestion}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
