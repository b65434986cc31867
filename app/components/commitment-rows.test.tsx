import { renderToStaticMarkup } from "react-dom/server";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OUTCOME_LABEL } from "~/domain/types";
import { commitmentRowsHtml, escapeAsReact, type CommitmentRow } from "./commitment-rows";
import { Day } from "./dates";

/** The rows as the list rendered them with React before ADR 0061: the HTML the string must equal. */
function ReactRows({ rows, today }: { rows: CommitmentRow[]; today: string }) {
  return (
    <tbody>
      {rows.map((r) => (
        <tr key={r.id}>
          <td data-label="Commitment">
            <a data-discover="true" href={`/commitments/${r.id}`}>
              {r.statement}
            </a>
            <span className="muted">{` · ${r.audience}${r.attempt > 1 ? ` · attempt ${r.attempt}` : ""}${r.ownerName ? ` · ${r.ownerName}` : ""}`}</span>
          </td>
          <td data-label="Team">{r.teamName}</td>
          <td data-label="Period">{r.periodLabel}</td>
          <td data-label="Due">
            <Day value={r.dueDate} />
            {r.status === "open" && r.dueDate < today ? <strong className="danger-text"> past due</strong> : null}
          </td>
          <td data-label="Status">
            <span className={`badge badge--${r.status}`}>{r.status === "open" ? "Open" : OUTCOME_LABEL[r.status]}</span>
          </td>
          <td data-label="Score">{r.lintScore}</td>
        </tr>
      ))}
    </tbody>
  );
}

const base: CommitmentRow = {
  id: "00585912-dc32-4ed6-b43e-ba10ef062a89",
  statement: "Serve p95 checkout latency under 389 ms in region 12",
  audience: "public",
  attempt: 1,
  ownerName: "Ada Lovelace",
  teamName: "Payments",
  periodLabel: "FY2026-Q1",
  dueDate: "2026-03-31",
  status: "open",
  lintScore: 90,
};

const rows: CommitmentRow[] = [
  base,
  // Past due, and every character React escapes, in every field a person can write.
  { ...base, id: "1", statement: `Ship <b>"bold"</b> & 'quoted' > less`, ownerName: `O'Brien <x> & "Co"`, teamName: `R&D <Core> "team" 'A'`, dueDate: "2026-01-02" },
  { ...base, id: "2", attempt: 3, ownerName: null, audience: "internal", status: "missed", lintScore: 0 },
  { ...base, id: "3", status: "partial", dueDate: "2020-02-29", lintScore: 100 },
  { ...base, id: "4", status: "delivered" },
  { ...base, id: "5", status: "withdrawn", dueDate: "2026-03-30" },
  { ...base, id: "6", ownerName: "", teamName: "", statement: "" },
  // Not past due: due today.
  { ...base, id: "7", dueDate: "2026-03-01" },
];

describe("commitmentRowsHtml", () => {
  it("writes the HTML React writes for the same rows, byte for byte", () => {
    const today = "2026-03-01";
    const react = renderToStaticMarkup(<ReactRows rows={rows} today={today} />);
    expect(`<tbody>${commitmentRowsHtml(rows, today)}</tbody>`).toBe(react);
    // Each row checked alone too, so a failure names the kind of row.
    for (const row of rows) expect(commitmentRowsHtml([row], today), row.id).toBe(renderToStaticMarkup(<ReactRows rows={[row]} today={today} />).slice(7, -8));
  });

  it("marks open commitments past due, and only those", () => {
    const html = commitmentRowsHtml(rows, "2026-03-01");
    expect(html.match(/past due/g)).toHaveLength(1);
    expect(commitmentRowsHtml([], "2026-03-01")).toBe("");
  });

  it("escapes as React does", () => {
    expect(escapeAsReact(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;");
    expect(escapeAsReact(42)).toBe("42");
  });

  it("writes what React writes for any text a person can type, in every field, and any date", () => {
    // Full Unicode, with the characters that matter to HTML made likely.
    const text = fc.oneof(fc.string({ unit: "grapheme" }), fc.string({ unit: fc.constantFrom("<", ">", "&", '"', "'", "a", " ", "/", "=", "`", "\u00a0", "\u2028") }));
    const day = fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2999-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const row = fc.record({
      id: fc.oneof(fc.uuid(), text),
      statement: text,
      audience: fc.oneof(fc.constantFrom("public", "internal"), text),
      attempt: fc.integer({ min: 1, max: 20 }),
      ownerName: fc.option(text),
      teamName: text,
      periodLabel: text,
      dueDate: fc.oneof(day, fc.constant("")),
      status: fc.constantFrom(...(["open", ...Object.keys(OUTCOME_LABEL)] as CommitmentRow["status"][])),
      lintScore: fc.integer({ min: 0, max: 100 }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 4 }), day, (list, today) => {
        expect(`<tbody>${commitmentRowsHtml(list, today)}</tbody>`).toBe(renderToStaticMarkup(<ReactRows rows={list} today={today} />));
      }),
      { numRuns: 300 },
    );
  });
});
