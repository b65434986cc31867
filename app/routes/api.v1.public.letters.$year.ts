import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicLetterResource } from "~/api/letter-resources.server";
import { publishedEtag, publishedLetterFor } from "~/services/letters.server";
import { json, problem } from "~/api/handler.server";

/**
 * A published public letter without a token, as frozen: Markdown, HTML, SHA-256, ledger and
 * errata. It only ever changes by an appended erratum, which changes the ETag, so caches may
 * keep it briefly and revalidate cheaply. Drafts, internal letters and a switched-off public
 * site are all 404: their existence is not public either.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const year = params.year && /^\d{4}$/.test(params.year) ? Number(params.year) : null;
  const view = year === null ? null : await publishedLetterFor(context.db, null, year, "public");
  if (!view || view.letter.publishedAt === null || view.letter.sha256 === null) {
    throw problem(404, "NOT_FOUND", "Not found", "There is no published public letter for that year.");
  }
  const etag = publishedEtag(view.letter, view.errata);
  const headers = {
    "Cache-Control": "public, max-age=300, must-revalidate",
    "Last-Modified": (view.errata[view.errata.length - 1]?.createdAt ?? view.letter.publishedAt).toUTCString(),
  };
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers: { ...headers, ETag: etag } });
  return json(publicLetterResource(view), { etag, headers });
}
