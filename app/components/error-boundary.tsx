import { isRouteErrorResponse, useRouteError } from "@remix-run/react";

const MESSAGES: Record<number, { title: string; body: string }> = {
  400: { title: "That request could not be understood", body: "Check what you sent and try again." },
  403: { title: "You do not have permission", body: "Your account cannot do this. Ask an admin if you think it should." },
  404: { title: "Page not found", body: "There is nothing at this address. It may have moved, or never existed." },
  503: { title: "Kept is briefly unavailable", body: "Kept cannot reach its database right now. Try again in a moment." },
};

/** The one error boundary every route reuses: a plain, honest message and a way back. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  let status = 500;
  let detail: string | null = null;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    if (typeof error.data === "string" && error.data.length < 300) detail = error.data;
  }
  const message = MESSAGES[status] ?? {
    title: "Something went wrong",
    body: "Kept hit an unexpected error. It has been logged; try again, and tell your admin if it keeps happening.",
  };
  return (
    <div className="page page--narrow">
      <h1>{message.title}</h1>
      <p>{detail && status !== 404 ? detail : message.body}</p>
      <p className="muted">Error {status}</p>
      <p>
        <a href="/">Back to Kept</a>
      </p>
    </div>
  );
}
