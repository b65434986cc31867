import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { fiscalYearOf } from "~/domain/period";
import { organisationCalendar } from "~/services/organisation.server";
import { requireAdmin } from "~/http/session.server";

/** The close page of the year under way, in the organisation's calendar. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context);
  const { calendar, today } = await organisationCalendar(context.db, new Date());
  throw redirect(`/year-end/${fiscalYearOf(today, calendar)}`);
}
