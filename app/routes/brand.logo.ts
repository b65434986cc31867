import type { LoaderFunctionArgs } from "@remix-run/node";
import { getOrganisationLogo } from "~/models/organisation.server";

// The organisation's logo for its public pages, from the database (docs/decisions/0020). Its
// address carries the image's hash (logoPath), so a cached copy is never stale.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const logo = await getOrganisationLogo(context.db);
  if (!logo) throw new Response("No logo has been uploaded.", { status: 404 });
  const etag = `"${logo.sha256}"`;
  const versioned = new URL(request.url).searchParams.get("v") === logo.sha256.slice(0, 16);
  const headers = {
    "Content-Type": logo.contentType,
    ETag: etag,
    "Cache-Control": versioned ? "public, max-age=31536000, immutable" : "public, max-age=300, must-revalidate",
    // The type was read from the bytes on upload; never let a browser guess another one.
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
  };
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(logo.data), { headers: { ...headers, "Content-Length": String(logo.data.byteLength) } });
}
