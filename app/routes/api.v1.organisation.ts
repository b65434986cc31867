import { preconditionFailed, requireIfMatch } from "~/api/preconditions.server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getOrganisation, getOrganisationLogoVersion } from "~/models/organisation.server";
import { logoPath } from "~/domain/branding";
import { OrganisationWriteSchema } from "~/api/schemas/org";
import { notSetUp } from "~/domain/result";
import { saveOrganisationSettings } from "~/services/organisation.server";
import { actorOfPrincipal, json, problem, problemFromDomain, readJson, requireApiPrincipal, requireApiPermission } from "~/api/handler.server";

type Organisation = NonNullable<Awaited<ReturnType<typeof getOrganisation>>>;

function resource(org: Organisation, logoVersion: string | null) {
  return {
    name: org.name,
    fiscalYearStartMonth: org.fiscalYearStartMonth,
    timeZone: org.timeZone,
    signatoryName: org.signatoryName,
    signatoryTitle: org.signatoryTitle,
    publicSiteEnabled: org.publicSiteEnabled,
    minPublicScore: org.minPublicScore,
    accentColour: org.accentColour,
    showPublicCheckIns: org.showPublicCheckIns,
    logoUrl: logoVersion ? logoPath(logoVersion) : null,
    isSample: org.isSample,
    updatedAt: org.updatedAt.toISOString(),
  };
}

// The organisation has no version column; the time of its last change, to the millisecond,
// serves as one (the UPDATE compares it in its WHERE clause).
const etagOf = (org: Organisation) => `"org.${org.updatedAt.getTime()}"`;

async function organisationOrThrow(context: LoaderFunctionArgs["context"]) {
  const org = await getOrganisation(context.db);
  if (!org) throw problemFromDomain(notSetUp().error);
  return org;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireApiPrincipal(request, context, { write: false });
  const org = await organisationOrThrow(context);
  const etag = etagOf(org);
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers: { ETag: etag } });
  return json(resource(org, await getOrganisationLogoVersion(context.db)), { etag });
}

/** PUT the whole settings object (admins), with If-Match: the same settings as Settings in the UI. */
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "PUT") throw problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", "Use GET, or PUT.", {}, { Allow: "GET, PUT" });
  const principal = await requireApiPrincipal(request, context, { write: true });
  requireApiPermission(principal, "organisation.manage", "Only admins can change the organisation's settings.");
  const { value } = await readJson(request, OrganisationWriteSchema);
  const ifMatch = requireIfMatch(request, "Send If-Match with the ETag from GET /api/v1/organisation.");
  const current = await organisationOrThrow(context);
  if (etagOf(current) !== ifMatch) return preconditionFailed("The settings changed since you read them; read them again.", etagOf(current));
  const expected = current.updatedAt;
  const result = await saveOrganisationSettings(
    context.db,
    actorOfPrincipal(principal),
    {
      organisationName: value.name,
      fiscalYearStartMonth: value.fiscalYearStartMonth,
      timeZone: value.timeZone,
      signatoryName: value.signatoryName || null,
      signatoryTitle: value.signatoryTitle || null,
      publicSiteEnabled: value.publicSiteEnabled,
      minPublicScore: value.minPublicScore,
      accentColour: value.accentColour,
      showPublicCheckIns: value.showPublicCheckIns,
    },
    new Date(),
    expected, context.logger,
  );
  if (!result.ok) return problemFromDomain(result.error, { ifMatch: true });
  const saved = await organisationOrThrow(context);
  return json(resource(saved, await getOrganisationLogoVersion(context.db)), { etag: etagOf(saved) });
}
