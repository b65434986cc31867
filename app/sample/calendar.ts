// Dates of the sample organisation named the way its story is told: fiscal year, month of that
// year (1 = its first month) and day. Pure: the calendar, `now` and today come in as arguments.
import { addDaysToIsoDate, periodOf, startOfLocalDay, type FiscalCalendar, type PeriodKind } from "~/domain/period";

export type Day = number | "end";

export class SampleCalendar {
  constructor(
    readonly cal: FiscalCalendar,
    readonly now: Date,
    readonly today: string,
  ) {}

  /** Month 1–12 of fiscal year `fy`, day 1–28 or "end". */
  date(fy: number, month: number, day: Day): string {
    const yearStart = periodOf("year", fy, 1, this.cal).start;
    const [y, m] = yearStart.split("-").map(Number) as [number, number];
    const index = m - 1 + (month - 1);
    const first = `${y + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}-01`;
    if (day === "end") {
      const nextIndex = index + 1;
      const nextFirst = `${y + Math.floor(nextIndex / 12)}-${String((nextIndex % 12) + 1).padStart(2, "0")}-01`;
      return addDaysToIsoDate(nextFirst, -1);
    }
    return addDaysToIsoDate(first, day - 1);
  }

  end(kind: PeriodKind, fy: number, index: number): string {
    return periodOf(kind, fy, index, this.cal).end;
  }

  start(fy: number): string {
    return periodOf("year", fy, 1, this.cal).start;
  }

  /** The instant `hour` o'clock local time on `date`, never later than the real now. */
  at(date: string, hour: number): Date {
    const instant = new Date(startOfLocalDay(date, this.cal.timeZone).getTime() + hour * 3_600_000);
    return instant.getTime() > this.now.getTime() ? this.now : instant;
  }

  happened(date: string): boolean {
    return date <= this.today;
  }
}
