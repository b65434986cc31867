import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ListQuerySchema } from "~/api/schemas/query";
import { cursorKeyKind, cursorKeyOf, getCommitmentsByIds, listCommitments, listFiltersFor } from "~/models/commitment.server";
import { getTeamBySlug, subtreeIds } from "~/models/team.server";
import { forecastsOf } from "~/domain/types";
import { sinceInstant } from "~/schemas/commitments";
import { organisationCalendar } from "~/services/organisation.server";
import { CommitmentWriteSchema } from "~/api/schemas/core";
import { commitmentEtag, commitmentResource, inputFromApi } from "~/api/commitment-resources.server";
import { createCommitment } from "~/services/commitments.server";
import { decodeCursor, keysetPage } from "~/utils/cursor";
import { actorOfPrincipal, idempotent, json, nextPagePath, problem, problemFromDomain, readJson, requireApiPrincipal, validationProblem } from "~/api/handler.server";


export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireApiPrincipal(request, context, { write: false });
  const url = new URL(request.url);
  const parsed = ListQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw validationProblem(parsed.error);
  const q = parsed.data;
  const after = q.cursor ? decodeCursor(q.cursor, { key: cursorKeyKind(q.sort), id: "uuid" }) : null;
  if (q.cursor && !after) throw problem(400, "VALIDATION", "Bad request", "That cursor is not valid.", { fields: [{ name: "cursor", message: "Use the next link of a previous page." }] });
  const team = q.team ? await getTeamBySlug(context.db, q.team) : null;
  if (q.team && !team) throw problem(400, "VALIDATION", "Bad request", "There is no team with that slug.", { fields: [{ name: "team", message: "Unknown team." }] });
  // A day of the organisation's calendar, from its first instant there, or an exact instant (as the list page reads it).
  const outcomeRecordedSince = q.outcomeSince ? sinceInstant(q.outcomeSince, (await organisationCalendar(context.db, new Date())).calendar.timeZone) : undefined;
  const rows = await listCommitments(
    context.db,
    listFiltersFor({
      teamIds: team ? await subtreeIds(context.db, team.id) : undefined,
      periodLabel: q.period,
      audience: q.audience,
      status: q.status,
      tag: q.tag,
      ownerId: q.owner,
      q: q.q || undefined,
      forecasts: q.forecast ? forecastsOf(q.forecast) : undefined,
      outcomeRecordedSince,
    }, q.sort),
    q.sort,
    q.limit + 1,
    after ?? undefined,
  );
  const { items: page, next: cursor } = keysetPage(rows, q.limit, (last) => ({ key: cursorKeyOf(last, q.sort), id: last.id }));
  const full = await getCommitmentsByIds(context.db, page.map((r) => r.id));
  const next = cursor ? nextPagePath(url, cursor) : null;
  const items = full.map((c) => {
    const { details: _details, ...rest } = commitmentResource(c);
    return rest;
  });
  return json({ items, next }, { headers: next ? { Link: `<${next}>; rel="next"` } : {} });
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use GET or POST.", {}, { Allow: "GET, POST" });
  const principal = await requireApiPrincipal(request, context, { write: true });
  const { raw, value } = await readJson(request, CommitmentWriteSchema);
  return idempotent(request, context, principal, raw, async (db) => {
    const link = value.sourceActionItemId ? { sourceActionItemId: value.sourceActionItemId } : {};
    const result = await createCommitment(db, actorOfPrincipal(principal), inputFromApi(value), new Date(), link, context.logger);
    if (!result.ok) return problemFromDomain(result.error);
    return json(commitmentResource(result.value, null), {
      status: 201,
      etag: commitmentEtag(result.value),
      headers: { Location: `/api/v1/commitments/${result.value.id}` },
    });
  });
}
