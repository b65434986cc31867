import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { toCsv } from "./csv";

describe("toCsv", () => {
  it("round-trips commas, quotes, newlines and non-ASCII through a real CSV parser", () => {
    const statement = 'Ship "Atlas", the new billing API,\nin eu-west-1 — für alle Kunden';
    const csv = toCsv(["statement", "status", "value"], [[statement, "missed", 42], ["plain", null, 1.5]]);
    const parsed = parse(csv, { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(parsed).toEqual([
      { statement, status: "missed", value: "42" },
      { statement: "plain", status: "", value: "1.5" },
    ]);
  });

  it("defuses spreadsheet formulas in text", () => {
    const csv = toCsv(["a"], [["=HYPERLINK(\"x\")"], [-3]]);
    const parsed = parse(csv) as string[][];
    expect(parsed[1]![0]).toBe("'=HYPERLINK(\"x\")");
    expect(parsed[2]![0]).toBe("-3");
  });
});
