import { describe, expect, it } from "vitest";
import { formatDateValue, formatDay, formatDayOf, formatMoment } from "./dates";

describe("formatDay", () => {
  it("writes a calendar day with the month's name and the year, never shifted by a zone", () => {
    expect(formatDay("2026-05-15")).toBe("15 May 2026");
    expect(formatDay("2025-01-01")).toBe("1 January 2025");
  });
  it("leaves what is not a real ISO day alone and writes nothing for nothing", () => {
    expect(formatDay("2026-02-30")).toBe("2026-02-30");
    expect(formatDay("someday")).toBe("someday");
    expect(formatDay(null)).toBe("");
  });
  it("writes every day the same when written again, past the bound of days it remembers", () => {
    const days = Array.from({ length: 5000 }, (_, i) => new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10));
    const first = days.map((d) => formatDay(d));
    expect(days.map((d) => formatDay(d))).toEqual(first);
    expect(first[0]).toBe("1 January 2020");
    expect(first[4999]).toBe(formatDayOf(`${days[4999]}T12:00:00Z`, "UTC"));
    expect(formatDay("2026-02-30")).toBe("2026-02-30");
  });
});

describe("formatMoment", () => {
  it("reads an instant in the organisation's zone, with the zone named", () => {
    expect(formatMoment("2026-11-29T13:05:00Z", "Europe/Berlin")).toBe("29 November 2026, 14:05 CET");
    expect(formatMoment("2026-07-01T13:05:00Z", "Europe/Berlin")).toBe("1 July 2026, 15:05 CEST");
    expect(formatMoment("2026-07-01T13:05:00Z", "UTC")).toBe("1 July 2026, 13:05 UTC");
  });
  it("follows daylight saving across the switch", () => {
    // Europe/Berlin springs forward at 01:00 UTC on 29 March 2026.
    expect(formatMoment("2026-03-29T00:59:00Z", "Europe/Berlin")).toBe("29 March 2026, 01:59 CET");
    expect(formatMoment("2026-03-29T01:00:00Z", "Europe/Berlin")).toBe("29 March 2026, 03:00 CEST");
    // And falls back at 01:00 UTC on 25 October 2026: 02:30 happens twice, told apart by the zone.
    expect(formatMoment("2026-10-25T00:30:00Z", "Europe/Berlin")).toBe("25 October 2026, 02:30 CEST");
    expect(formatMoment("2026-10-25T01:30:00Z", "Europe/Berlin")).toBe("25 October 2026, 02:30 CET");
  });
  it("writes nothing for an unreadable instant", () => {
    expect(formatMoment("not a date", "UTC")).toBe("");
  });
});

describe("formatDayOf", () => {
  it("is the day in the organisation's zone, not in UTC", () => {
    expect(formatDayOf("2026-12-31T23:30:00Z", "Europe/Berlin")).toBe("1 January 2027");
    expect(formatDayOf("2026-12-31T23:30:00Z", "UTC")).toBe("31 December 2026");
    expect(formatDayOf("2027-01-01T03:00:00Z", "America/New_York")).toBe("31 December 2026");
  });
});

describe("formatDateValue", () => {
  it("writes a calendar day as it is and an instant as its day in the zone", () => {
    expect(formatDateValue("2026-12-15", "Asia/Tokyo")).toBe("15 December 2026");
    // 23:30 UTC on the 15th is already the 16th in Tokyo and still the 15th in Berlin.
    expect(formatDateValue("2026-12-15T23:30:00Z", "Asia/Tokyo")).toBe("16 December 2026");
    expect(formatDateValue("2026-12-15T23:30:00Z", "Europe/Berlin")).toBe("16 December 2026");
    expect(formatDateValue("2026-12-15T20:30:00Z", "Europe/Berlin")).toBe("15 December 2026");
    expect(formatDateValue("next week", "UTC")).toBe("next week");
  });
});
