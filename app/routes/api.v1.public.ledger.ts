import type { LoaderFunctionArgs } from "@remix-run/node";
import { PublicLedgerQuerySchema } from "~/api/schemas/letters";
import { publicLedgerResource } from "~/api/letter-resources.server";
import { publicLedger } from "~/services/letters.server";
import { decodeCursor } from "~/utils/cursor";
import { json, problem, validationProblem } from "~/api/handler.server";

function badCursor() {
  return problem(400, "VALIDATION", "Bad request", "That cursor is not valid.", { fields: [{ name: "cursor", message: "Use the next link of a previous page." }] });
}

/**
 * The public ledger without a token: tallies of customer-facing commitments per year, and one
 * page of a year's commitments with a `next` link. 404 while the public site is off.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const parsed = PublicLedgerQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw validationProblem(parsed.error);
  const q = parsed.data;
  const after = q.cursor ? decodeCursor(q.cursor, { dueDate: "date", id: "uuid" }) : null;
  // decodeCursor checks each key is a date and a uuid (the columns it is compared with).
  if (q.cursor && !after) throw badCursor();
  const ledger = await publicLedger(context.db, null, q.year ?? null, after);
  if (!ledger) throw problem(404, "NOT_FOUND", "Not found", "This organisation does not publish a public site.");
  const body = publicLedgerResource(ledger);
  return json(body, { headers: { "Cache-Control": "public, max-age=60", ...(body.next ? { Link: `<${body.next}>; rel="next"` } : {}) } });
}
