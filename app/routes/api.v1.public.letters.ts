import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicLetterSummaryResource } from "~/api/letter-resources.server";
import { canReadPublicSite, lettersFor, sha256Hex } from "~/services/letters.server";
import { json, problem } from "~/api/handler.server";

// The public site's letters without a token: no Authorization and no cookie is read, so every
// caller gets the same answer and shared caches may keep it. Anonymous reads are not rate
// limited (limits are per token); put a proxy's limit in front if that matters.

/** The published public letters, newest year first; 404 while the public site is off. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!(await canReadPublicSite(context.db, null))) throw problem(404, "NOT_FOUND", "Not found", "This organisation does not publish a public site.");
  const letters = await lettersFor(context.db, null);
  const body = { items: letters.map(publicLetterSummaryResource), next: null };
  const etag = `"letters-${sha256Hex(JSON.stringify(body)).slice(0, 32)}"`;
  const headers = { "Cache-Control": "public, max-age=60, must-revalidate" };
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers: { ...headers, ETag: etag } });
  return json(body, { etag, headers });
}
