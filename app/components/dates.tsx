import { useRouteLoaderData } from "@remix-run/react";
import { formatDay, formatDayOf, formatMoment, machineMoment } from "~/domain/dates";

// Pages write dates through these, so every page reads dates the same way and in the
// organisation's time zone (the root loader carries it; UTC before setup).

export function useTimeZone(): string {
  const root = useRouteLoaderData("root") as { timeZone?: string | null } | undefined;
  return root?.timeZone ?? "UTC";
}

/** A calendar day ("2026-05-15") as "15 May 2026". */
export function Day({ value }: { value: string | null | undefined }) {
  if (!value) return null;
  return <time dateTime={value}>{formatDay(value)}</time>;
}

/** An instant in the organisation's zone: "29 November 2026, 14:05 CET"; `dayOnly` drops the time. */
export function Moment({ value, dayOnly = false }: { value: Date | string | null | undefined; dayOnly?: boolean }) {
  const timeZone = useTimeZone();
  if (!value) return null;
  return <time dateTime={machineMoment(value)}>{dayOnly ? formatDayOf(value, timeZone) : formatMoment(value, timeZone)}</time>;
}
