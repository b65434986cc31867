// Suggestions for the person pickers while someone types (ADR 0029): at most
// PERSON_SUGGESTIONS active people whose name or e-mail contains `q`, among those the form may
// choose (`for=owner`: anyone active; `for=member&team=<id>`: those not on that team yet).
// A resource route: the forms work without it, the server resolving what was typed.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { personLabel } from "~/domain/person-picker";
import { STATUS_BY_CODE } from "~/domain/result";
import { UuidSchema } from "~/schemas/common";
import { suggestPeople, type PickerScope } from "~/services/person-picker.server";
import { actorOf, requireUser } from "~/http/session.server";

const NO_STORE = { "Cache-Control": "private, no-store" };

function scopeOf(url: URL): PickerScope | null {
  const purpose = url.searchParams.get("for");
  if (purpose === "owner") return { kind: "owner" };
  if (purpose === "member") {
    const team = UuidSchema.safeParse(url.searchParams.get("team"));
    return team.success ? { kind: "new-member", teamId: team.data } : null;
  }
  return null;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const url = new URL(request.url);
  const scope = scopeOf(url);
  if (!scope) return Response.json({ error: "Say whom the picker chooses: for=owner, or for=member&team=<team id>." }, { status: 400, headers: NO_STORE });
  const result = await suggestPeople(context.db, actorOf(user), scope, url.searchParams.get("q") ?? "");
  if (!result.ok) return Response.json({ error: result.error.message }, { status: STATUS_BY_CODE[result.error.code], headers: NO_STORE });
  return Response.json(
    { people: result.value.map((p) => ({ id: p.id, name: p.name, email: p.email, label: personLabel(p) })) },
    { headers: NO_STORE },
  );
}
