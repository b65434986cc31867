import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { integrityStatus, type IntegrityStatusView } from "~/services/record-log.server";
import { requireAdmin } from "~/http/session.server";
import { Moment } from "~/components/dates";

export const meta: MetaFunction = () => [{ title: "Record integrity · Settings · Kept" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context);
  return { status: await integrityStatus(context.db, context.integrity, false) };
}

/** "Check now": runs the same read-only check the schedule runs. */
export async function action({ request, context }: ActionFunctionArgs) {
  await requireAdmin(request, context);
  const status = await integrityStatus(context.db, context.integrity, true);
  context.logger.info({ state: status.state }, "record integrity checked on demand");
  return { status };
}


function StatusPanel({ status }: { status: IntegrityStatusView }) {
  if (status.state === "broken" && status.problem) {
    return (
      <div className="form-errors" role="alert">
        <h2>Record integrity broken at #{status.problem.seq} since {status.brokenSince ? <Moment value={status.brokenSince} /> : "never"}</h2>
        <p>{status.problem.message}</p>
        <p>
          Kept does not repair this: someone changed the database outside the app. Restore it from a good copy (an export or a backup
          from before the break) and check again. The public ledger says the record is broken until then.
        </p>
      </div>
    );
  }
  if (status.state === "intact") {
    return (
      <div className="notice" role="status">
        <h2>Record intact</h2>
        <p>
          {status.head ? `${status.head.seq} entries in the hash chain; head ${status.head.hash}.` : "The record has no entries yet."} Every commitment,
          outcome and check-in agrees with its revisions, and every published letter with its SHA-256 and checkpoint.
        </p>
      </div>
    );
  }
  if (status.state === "checking") {
    return (
      <div className="notice" role="status">
        <h2>Checking</h2>
        <p>The first check since the server started is running. Reload this page in a moment for its result.</p>
      </div>
    );
  }
  return (
    <div className="notice" role="status">
      <h2>Not checked yet</h2>
      <p>The first check runs when the server starts.</p>
    </div>
  );
}

export default function RecordIntegrity() {
  const loaded = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const status = loaded.status;
  return (
    <div className="page">
      <p>
        <Link to="/settings">Settings</Link>
      </p>
      <h1>Record integrity</h1>
      <p className="lead">
        Every change to a commitment joins a hash chain. Kept recomputes it at start, on a schedule and when you ask, and checks that current
        commitments, outcomes and check-ins are what their revisions say. Anyone can check the public part with{" "}
        <code>npm run verify -- --url …</code>.
      </p>
      <StatusPanel status={status} />
      <p>Last checked: {status.checkedAt ? <Moment value={status.checkedAt} /> : "never"}.{status.lastError ? ` The last attempt could not run: ${status.lastError}` : ""}</p>
      <Form method="post">
        <button type="submit" className="button button--primary" disabled={navigation.state !== "idle"}>
          {navigation.state === "submitting" ? "Checking…" : "Check now"}
        </button>
      </Form>
    </div>
  );
}
