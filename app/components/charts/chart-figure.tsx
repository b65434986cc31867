import { type ReactNode } from "react";
import { chartIds } from "./format";

// The frame every chart shares: a <figure> named by its <figcaption>, an svg exposed as one
// image whose name is the title and whose description states the data in words, and the same
// numbers in a table behind <details>, which opens without JavaScript and reads in any
// screen reader's table mode.

export const INK = "#1a1f1c";
export const MUTED = "#4d5752";
export const GRID = "#c9d1cc";

export interface DataTableProps {
  caption: string;
  columns: readonly string[];
  /** The first cell of each row heads the row; the other cells are right-aligned numbers. */
  rows: ReadonlyArray<readonly string[]>;
}

export function DataTable({ caption, columns, rows }: DataTableProps) {
  return (
    <details className="chart__data">
      <summary>Show data</summary>
      <div className="table-wrap">
        <table className="chart__table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {columns.map((column, i) => (
                <th key={`${i}-${column}`} scope="col" className={i === 0 ? undefined : "chart__num"}>
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => (
              <tr key={`${r}-${row[0] ?? ""}`}>
                {row.map((cell, i) =>
                  i === 0 ? (
                    <th key={i} scope="row">
                      {cell}
                    </th>
                  ) : (
                    <td key={i} className="chart__num">
                      {cell}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

export interface ChartFigureProps {
  /** Modifier for the figure's class: "outcomes" → "chart chart--outcomes". */
  kind: string;
  title: string;
  id?: string;
  /** A sentence under the title, such as how to read the chart or a score. */
  note?: ReactNode;
  /** The data in words; becomes the svg's <desc>. */
  desc: string;
  width: number;
  height: number;
  /** The drawing; omitted for an empty state, which shows `empty` instead. */
  children?: ReactNode;
  empty?: string;
  table?: DataTableProps;
}

export function ChartFigure({ kind, title, id, note, desc, width, height, children, empty, table }: ChartFigureProps) {
  const ids = chartIds(title, id);
  return (
    <figure className={`chart chart--${kind}`} id={ids.base}>
      <figcaption className="chart__caption">
        <span className="chart__title">{title}</span>
        {note ? <span className="chart__note">{note}</span> : null}
      </figcaption>
      {empty !== undefined ? (
        <p className="chart__empty">{empty}</p>
      ) : (
        <svg
          className="chart__svg"
          role="img"
          aria-labelledby={ids.title}
          aria-describedby={ids.desc}
          viewBox={`0 0 ${width} ${height}`}
          width="100%"
          preserveAspectRatio="xMinYMin meet"
          xmlns="http://www.w3.org/2000/svg"
        >
          <title id={ids.title}>{title}</title>
          <desc id={ids.desc}>{desc}</desc>
          {children}
        </svg>
      )}
      {empty === undefined && table ? <DataTable {...table} /> : null}
    </figure>
  );
}
