import type { AppLoadContext } from "@remix-run/node";
import { localDate, type FiscalCalendar } from "~/domain/period";
import { getOrganisationFrame } from "~/models/organisation.server";
import { notSetUpResponse } from "~/services/organisation.server";

type OrganisationFrame = Awaited<ReturnType<typeof getOrganisationFrame>>;

// The root loader reads the organisation's frame for every page; a page's loader that needs only
// its calendar reads the same row, once per request, as the session user is (ADR 0048). The
// server builds one load context per request, so nothing here outlives the request.
const framesOfRequest = new WeakMap<AppLoadContext, Promise<OrganisationFrame>>();

/** The organisation's frame (getOrganisationFrame), read once per request however many loaders ask. */
export function organisationFrameOf(context: AppLoadContext): Promise<OrganisationFrame> {
  let frame = framesOfRequest.get(context);
  if (!frame) {
    frame = getOrganisationFrame(context.db);
    framesOfRequest.set(context, frame);
    // A failed read (the database was away) is not remembered: the next caller tries again.
    frame.catch(() => framesOfRequest.delete(context));
  }
  return frame;
}

/** The fiscal calendar and today's date in the organisation's zone, from the request's frame; `notSetUpResponse()` thrown before setup. */
export async function calendarOfRequest(context: AppLoadContext, now: Date): Promise<{ calendar: FiscalCalendar; today: string }> {
  const org = await organisationFrameOf(context);
  if (!org) throw notSetUpResponse();
  return { calendar: { startMonth: org.fiscalYearStartMonth, timeZone: org.timeZone }, today: localDate(now, org.timeZone) };
}
