/**
 * What happened and what was learned, as the outcome's sanitised HTML: shared by a commitment's
 * own page and its public permalink, so both tell the outcome the same way.
 */
export function OutcomeNarrative({ explanationHtml, lessonHtml }: { explanationHtml: string | null; lessonHtml: string | null }) {
  return (
    <>
      {explanationHtml ? (
        <>
          <h3>What happened</h3>
          <div className="prose" dangerouslySetInnerHTML={{ __html: explanationHtml }} />
        </>
      ) : null}
      {lessonHtml ? (
        <>
          <h3>What we learned</h3>
          <div className="prose" dangerouslySetInnerHTML={{ __html: lessonHtml }} />
        </>
      ) : null}
    </>
  );
}
