// RFC 4180 CSV: every field quoted, quotes doubled, CRLF between records. Quoting every
// field keeps commas, quotes and newlines inside a statement intact in any spreadsheet.

export type CsvValue = string | number | boolean | null | undefined;

function field(value: CsvValue): string {
  if (value === null || value === undefined) return '""';
  const text = String(value);
  // A leading =, +, - or @ would run as a formula in a spreadsheet: prefix it with an apostrophe.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === "string" ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** Records without a header, each ending in CRLF: for a file written in pages after toCsv's header. */
export function csvRecords(rows: CsvValue[][]): string {
  return rows.map((r) => r.map(field).join(",") + "\r\n").join("");
}

export function toCsv(header: string[], rows: CsvValue[][]): string {
  return [header, ...rows].map((r) => r.map(field).join(",")).join("\r\n") + "\r\n";
}
