import { openApiDocument } from "~/api/openapi.server";

// Public: the contract is no secret, and clients fetch it before they have a token.
export function loader() {
  return new Response(JSON.stringify(openApiDocument(), null, 2), {
    headers: { "Content-Type": "application/json", "Cache-Control": "public, max-age=300" },
  });
}
