import { isRouteErrorResponse, useLocation, useRouteError } from "@remix-run/react";
import { useEffect, useState } from "react";
import { markUnsentFailed } from "~/utils/unsent-submission";

const MESSAGES: Record<number, { title: string; body: string }> = {
  400: { title: "That request could not be understood", body: "Check what you sent and try again." },
  403: { title: "You do not have permission", body: "Your account cannot do this. Ask an admin if you think it should." },
  404: { title: "Page not found", body: "There is nothing at this address. It may have moved, or never existed." },
  503: { title: "Kept is briefly unavailable", body: "Kept cannot reach its database right now. Try again in a moment." },
};

/**
 * Errors the browser raises itself when a page's data or a form's answer did not arrive as Kept
 * sends it: the connection dropped ("Failed to fetch" and its Firefox and Safari wordings), or
 * something on the way answered instead of Kept (a proxy's page, or the server's own 503 while its
 * request line is full, which are not Remix's encoding). Kept never saw or logged these.
 */
const NO_ANSWER = /^Unable to decode turbo-stream response|^Failed to fetch|^NetworkError when attempting to fetch|^Load failed$/;

/** Whether this error is the browser's own: no answer from Kept arrived (see NO_ANSWER). */
export function isNoAnswer(error: unknown): boolean {
  return error instanceof Error && NO_ANSWER.test(error.message);
}

const NO_ANSWER_MESSAGE = {
  title: "Kept's answer did not arrive",
  body: "The connection to Kept dropped, or Kept was too busy to answer. Try again in a moment.",
};

/** The one error boundary every route reuses: a plain, honest message and a way back. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const location = useLocation();
  let status = 500;
  let detail: string | null = null;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    if (typeof error.data === "string" && error.data.length < 300) detail = error.data;
  }
  const noAnswer = isNoAnswer(error);
  // A form sent from this page whose answer this error took the place of: its text is kept (ADR
  // 0058), where sending it again may work (the server or the way to it failed, or was busy), not
  // where it was refused for good (no permission, nothing there).
  const retryable = noAnswer || status >= 500 || status === 408 || status === 429;
  const [unsentPage, setUnsentPage] = useState<string | null>(null);
  useEffect(() => {
    // By path alone: after a failed submission the location carries the action's query (?index).
    const kept = retryable ? markUnsentFailed(location.pathname, new Date().getTime()) : null;
    setUnsentPage(kept ? kept.page : null);
  }, [location.pathname, retryable]);
  const message = (noAnswer ? NO_ANSWER_MESSAGE : MESSAGES[status]) ?? {
    title: "Something went wrong",
    body: "Kept hit an unexpected error. It has been logged; try again, and tell your admin if it keeps happening.",
  };
  return (
    <div className="page page--narrow">
      <h1>{message.title}</h1>
      <p>{detail && status !== 404 ? detail : message.body}</p>
      {unsentPage ? (
        <p>
          What you typed is kept in this browser tab. <a href={unsentPage}>Back to the form</a> to check it and send it again.
        </p>
      ) : null}
      <p className="muted">{noAnswer ? "No answer from Kept" : `Error ${status}`}</p>
      <p>
        <a href="/">Back to Kept</a>
      </p>
    </div>
  );
}
