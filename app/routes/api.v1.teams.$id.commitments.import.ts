import type { ActionFunctionArgs } from "@remix-run/node";
import { CsvImportWriteSchema } from "~/schemas/api-data";
import { importCommitmentsCsv } from "~/services/commitment-import.server";
import { actorOfPrincipal, idempotent, json, problem, problemFromDomain, readJson, requireApiPrincipal } from "~/api/handler.server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function loader() {
  throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "POST a CSV here.", {}, { Allow: "POST" });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "POST") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "POST a CSV here.", {}, { Allow: "POST" });
  const principal = await requireApiPrincipal(request, context, { write: true });
  const teamId = String(params.id ?? "");
  if (!UUID.test(teamId)) throw problem(404, "NOT_FOUND", "Not found", "That team does not exist.");
  const { raw, value } = await readJson(request, CsvImportWriteSchema);
  return idempotent(request, context, principal, raw, async (db) => {
    const result = await importCommitmentsCsv(db, actorOfPrincipal(principal), teamId, value.csv, { dryRun: value.dryRun }, new Date(), context.logger);
    if (!result.ok) return problemFromDomain(result.error);
    const report = result.value;
    if (report.errors.length > 0) {
      const bad = new Set(report.errors.map((e) => e.line)).size;
      return problem(
        422,
        "IMPORT.INVALID_ROWS",
        "Unprocessable content",
        `${bad} line${bad === 1 ? "" : "s"} of the file ${bad === 1 ? "has" : "have"} problems; ${report.dryRun ? "fix them, then import" : "nothing was imported"}.`,
        { dryRun: report.dryRun, rows: report.rows, errors: report.errors },
      );
    }
    if (report.dryRun) return json(report);
    return json(report, { status: 201 });
  });
}
