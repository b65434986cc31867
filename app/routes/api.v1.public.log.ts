import type { LoaderFunctionArgs } from "@remix-run/node";
import { PublicLogQuerySchema } from "~/api/schemas/letters";
import { publicLogDownload, publicLogPage } from "~/services/record-log.server";
import { json, problem, validationProblem } from "~/api/handler.server";

/**
 * The record's hash chain without a token: one page (`after`, `limit`) or, with
 * `download=true`, the whole log as a file a verifier can check offline. 404 while the
 * public site is off.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const parsed = PublicLogQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw validationProblem(parsed.error);
  const q = parsed.data;
  const headers: Record<string, string> = { "Cache-Control": "public, max-age=60" };
  if (q.download === "true") {
    // Streamed a page at a time: the whole log is never held in memory (ADR 0038).
    const download = await publicLogDownload(context.db);
    if (!download) throw notPublished();
    headers["Content-Type"] = "application/json";
    headers["Content-Disposition"] = `attachment; filename="kept-log-${download.head?.seq ?? 0}.json"`;
    return new Response(download.body, { headers });
  }
  const body = await publicLogPage(context.db, q.after ?? 0, q.limit ?? 200);
  if (!body) throw notPublished();
  if (body.next) headers.Link = `<${body.next}>; rel="next"`;
  return json(body, { headers });
}

const notPublished = () => problem(404, "NOT_FOUND", "Not found", "This organisation does not publish a public site.");
