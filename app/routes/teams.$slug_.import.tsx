import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { FormErrors } from "~/components/ui/field";
import { getTeamBySlug } from "~/models/team.server";
import { mayOnTeam } from "~/services/authorize.server";
import { CSV_COLUMNS, CSV_TEMPLATE, MAX_IMPORT_ROWS, importCommitmentsCsv, type CsvImportReport } from "~/services/commitment-import.server";
import { STATUS_BY_CODE } from "~/domain/result";
import { actorOf, forbidden, requireUser } from "~/http/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Import commitments · ${data?.team.name ?? "Team"} · Kept` }];

const NOT_YOURS = "Only editors of this team and admins can import its commitments.";

async function loadTeam(request: Request, context: LoaderFunctionArgs["context"], slug: string | undefined) {
  const user = await requireUser(request, context);
  const team = await getTeamBySlug(context.db, String(slug ?? "").toLowerCase());
  if (!team) throw new Response("There is no team at this address.", { status: 404 });
  if (!(await mayOnTeam(context.db, actorOf(user), "commitments.write", team.id))) throw forbidden(NOT_YOURS);
  return { user, team };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { team } = await loadTeam(request, context, params.slug);
  return { team: { id: team.id, slug: team.slug, name: team.name }, columns: CSV_COLUMNS, template: CSV_TEMPLATE, maxRows: MAX_IMPORT_ROWS };
}

const ImportFormSchema = z.object({
  intent: z.enum(["check", "import"], { error: "Choose Check or Import." }),
  csv: z.string().optional(),
});

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, team } = await loadTeam(request, context, params.slug);
  const formData = await request.formData();
  const file = formData.get("file");
  const parsed = ImportFormSchema.safeParse({ intent: formData.get("intent"), csv: formData.get("csv") ?? undefined });
  if (!parsed.success) return data({ csv: "", report: null, formError: parsed.error.issues[0]!.message }, { status: 400 });
  // A chosen file wins over the paste area; either way the text comes back into the paste
  // area, so a bad row can be fixed right here.
  const csv = file instanceof File && file.size > 0 ? await file.text() : (parsed.data.csv ?? "");
  if (csv.trim() === "") return data({ csv, report: null, formError: "Choose a CSV file or paste its contents." }, { status: 400 });
  const dryRun = parsed.data.intent === "check";
  const result = await importCommitmentsCsv(context.db, actorOf(user), team.id, csv, { dryRun }, new Date(), context.logger);
  if (!result.ok) return data({ csv, report: null, formError: result.error.message }, { status: STATUS_BY_CODE[result.error.code] });
  const report: CsvImportReport = result.value;
  if (report.errors.length > 0) return data({ csv, report, formError: null }, { status: 422 });
  if (dryRun) return { csv, report, formError: null };
  return redirect(`/teams/${team.slug}/import?imported=${report.created.length}`);
}

function ErrorTable({ report }: { report: CsvImportReport }) {
  const lines = new Set(report.errors.map((e) => e.line)).size;
  return (
    <section aria-labelledby="import-errors-heading" className="panel">
      {/* The alert wraps the heading: role="alert" on the h2 itself would take its heading role away. */}
      <div role="alert">
        <h2 id="import-errors-heading">
          {lines} line{lines === 1 ? "" : "s"} need{lines === 1 ? "s" : ""} fixing{report.dryRun ? "" : "; nothing was imported"}
        </h2>
      </div>
      <div className="table-wrap">
        <table className="stack-table">
          <caption className="visually-hidden">Problems in the file, by line</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Column</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {report.errors.map((e, i) => (
              <tr key={`${e.line}-${e.field ?? ""}-${i}`}>
                <td data-label="Line">{e.line}</td>
                <td data-label="Column">{e.field ?? "(whole row)"}</td>
                <td data-label="Reason">{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export default function ImportCommitments() {
  const { team, columns, template, maxRows } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const imported = searchParams.get("imported");
  const busy = navigation.state === "submitting";
  const report = actionData?.report ?? null;
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/teams">Teams</Link> / <Link to={`/teams/${team.slug}`}>{team.name}</Link>
      </p>
      <h1>Import commitments into {team.name}</h1>
      {imported && !actionData ? (
        <p role="status" className="notice">
          Imported {imported} commitment{imported === "1" ? "" : "s"}. <Link to={`/commitments?team=${team.slug}`}>See {team.name}&apos;s commitments</Link>.
        </p>
      ) : null}
      <p className="lead">
        One commitment per row, up to {maxRows.toLocaleString("en")} rows. Every row is checked like a commitment written by hand
        (including the minimum score for public commitments); if any row is refused, none is imported.
      </p>
      <p>
        <a href={`data:text/csv;charset=utf-8,${encodeURIComponent(template)}`} download={`kept-${team.slug}-commitments.csv`}>
          Download the template
        </a>{" "}
        (the header row). Columns, in any order and any case: <code>{columns.join(", ")}</code>. <code>measure_kind</code> is{" "}
        <code>metric</code> or <code>deliverable</code>; <code>metric_comparator</code> is <code>gte</code>, <code>lte</code>,{" "}
        <code>eq</code> (or ≥ ≤ =); <code>due_date</code> is YYYY-MM-DD; <code>period</code> is like FY2026-Q3; <code>audience</code> is{" "}
        <code>public</code> or <code>internal</code>; <code>tags</code> are separated by <code>;</code>.
      </p>
      {report && report.errors.length === 0 && report.dryRun ? (
        <p role="status" className="notice">
          All {report.rows} row{report.rows === 1 ? "" : "s"} can be imported. Nothing has been saved yet: choose Import.
        </p>
      ) : null}
      {report && report.errors.length > 0 ? <ErrorTable report={report} /> : null}
      <Form method="post" encType="multipart/form-data" className="stack" aria-describedby={actionData?.formError ? "import-form-errors" : undefined}>
        <FormErrors id="import-form-errors" errors={actionData?.formError ? [actionData.formError] : undefined} />
        <div className="field">
          <label htmlFor="import-file">CSV file</label>
          <p id="import-file-hint" className="field__hint">
            UTF-8, comma-separated, with the header row first.
          </p>
          {/* Cleared after every answer: from then on the text below is what gets sent. */}
          <input key={actionData?.csv ?? ""} id="import-file" type="file" name="file" accept=".csv,text/csv" aria-describedby="import-file-hint" />
        </div>
        <div className="field">
          <label htmlFor="import-csv">Or paste the CSV</label>
          <p id="import-csv-hint" className="field__hint">
            A chosen file is used instead of this text. After a check the file&apos;s text appears here, so you can fix rows in place.
          </p>
          <textarea
            id="import-csv"
            name="csv"
            rows={12}
            spellCheck={false}
            // Keyed on the text sent back, so the area shows exactly what was checked.
            key={actionData?.csv ?? ""}
            defaultValue={actionData?.csv ?? ""}
            aria-describedby="import-csv-hint"
          />
        </div>
        <div className="field-row">
          <button type="submit" name="intent" value="check" className="button" disabled={busy}>
            Check (dry run)
          </button>
          <button type="submit" name="intent" value="import" className="button button--primary" disabled={busy}>
            Import
          </button>
        </div>
      </Form>
    </div>
  );
}
