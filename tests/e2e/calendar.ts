// Dates for the browser tests, computed independently of the app's period code so the tests
// check it rather than repeat it.

// Set up by foundation.spec.ts ("Fiscal year starts in: July", time zone UTC).
export const FISCAL_START_MONTH: number = 7;

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Today in the organisation's time zone (UTC), the way the server reckons it. */
export function today(): string {
  return isoDay(new Date());
}

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return isoDay(d);
}

/**
 * The fiscal quarter containing `iso`, computed independently of the app's period code:
 * fiscal years are named by the calendar year they end in (July 2026 – June 2027 is FY2027).
 */
export function quarterContaining(iso: string): { label: string; start: string; end: string } {
  const [y, m] = iso.split("-").map(Number) as [number, number];
  const offset = (m - FISCAL_START_MONTH + 12) % 12;
  const quarter = Math.floor(offset / 3) + 1;
  const fiscalYear = FISCAL_START_MONTH === 1 ? y : m >= FISCAL_START_MONTH ? y + 1 : y;
  const startMonth0 = m - 1 - (offset % 3);
  return {
    label: `FY${fiscalYear}-Q${quarter}`,
    start: isoDay(new Date(Date.UTC(y, startMonth0, 1))),
    end: isoDay(new Date(Date.UTC(y, startMonth0 + 3, 0))),
  };
}
