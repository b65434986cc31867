import type { LoaderFunctionArgs } from "@remix-run/node";

// The public pages' accent colour as a stylesheet: the pages' CSP allows no inline style, so the
// colour from Settings arrives as a file of its own. Its address carries the colour, so it never
// changes and needs no database read; only a six-digit hex colour is answered.
export function loader({ request }: LoaderFunctionArgs) {
  const colour = new URL(request.url).searchParams.get("c") ?? "";
  if (!/^[0-9a-f]{6}$/.test(colour)) throw new Response("Not found", { status: 404 });
  return new Response(`:root{--brand:#${colour};--brand-ink:#ffffff}\n`, {
    headers: { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=31536000, immutable" },
  });
}
