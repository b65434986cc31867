// CSV import of a team's commitments. Every row goes through the same edge schema as the
// form and the same createCommitment as the UI and the API (minimum public score included),
// inside one transaction: a dry run always rolls it back, a real import commits only when
// no row was refused. Every bad row is reported with its physical line in the file.
import { parse } from "csv-parse/sync";
import { savepointsIn, type Database } from "../../db/client";
import { usersByEmail } from "~/models/export.server";
import { getTeamById } from "~/models/team.server";
import { CommitmentFormSchema, type CommitmentInput } from "~/schemas/commitments";
import { authorizeOnTeam } from "./authorize.server";
import { createCommitment } from "./commitments.server";
import { fail, ok, type DomainError, type Actor, type Result } from "~/domain/result";
import { NO_CHANGE_LOG, type ChangeLog } from "./change-log.server";

export const CSV_COLUMNS = [
  "statement",
  "details",
  "measure_kind",
  "metric_name",
  "metric_baseline",
  "metric_comparator",
  "metric_target",
  "metric_unit",
  "deliverable_event",
  "evidence_source",
  "due_date",
  "period",
  "owner_email",
  "audience",
  "tags",
] as const;
type Column = (typeof CSV_COLUMNS)[number];

const REQUIRED_COLUMNS: Column[] = ["statement", "measure_kind", "due_date", "period", "audience"];

export const MAX_IMPORT_ROWS = 2000;

/** The header row of an empty template, as a spreadsheet program would write it. */
export const CSV_TEMPLATE = `${CSV_COLUMNS.join(",")}\r\n`;

/** The form field each column fills, so refusals from the schema and the service find their column. */
const COLUMN_OF_FIELD: Record<string, Column> = {
  statement: "statement",
  details: "details",
  measureKind: "measure_kind",
  metricName: "metric_name",
  metricBaseline: "metric_baseline",
  metricComparator: "metric_comparator",
  metricTarget: "metric_target",
  metricUnit: "metric_unit",
  deliverableEvent: "deliverable_event",
  evidenceSource: "evidence_source",
  dueDate: "due_date",
  periodLabel: "period",
  ownerId: "owner_email",
  audience: "audience",
  tags: "tags",
};

export interface CsvRowError {
  /** Physical line in the file: the header is line 1, a quoted field over three lines takes three. */
  line: number;
  /** The column, or null when the row as a whole is wrong. */
  field: string | null;
  message: string;
}

export interface CsvImportReport {
  dryRun: boolean;
  /** Data rows read, not counting the header or blank lines. */
  rows: number;
  /** Ids of the commitments created, in file order; empty for a dry run or when any row failed. */
  created: string[];
  errors: CsvRowError[];
}

interface CsvRow {
  line: number;
  values: Partial<Record<Column, string>>;
}

const COMPARATOR_ALIASES: Record<string, string> = {
  gte: "gte",
  "≥": "gte",
  ">=": "gte",
  lte: "lte",
  "≤": "lte",
  "<=": "lte",
  eq: "eq",
  "=": "eq",
  "==": "eq",
};

interface CsvSyntaxError {
  code?: string;
  lines?: number;
  message: string;
}

function syntaxMessage(error: CsvSyntaxError): string {
  if (error.code === "CSV_QUOTE_NOT_CLOSED") return 'A quoted field is never closed: a " is missing. Nothing after this line could be read.';
  if (error.code === "CSV_INVALID_CLOSING_QUOTE" || error.code === "INVALID_OPENING_QUOTE") {
    return 'A quote sits in the middle of a field. Put the whole field in quotes and double any quote inside it (""). Nothing after this line could be read.';
  }
  return `This line is not valid CSV (${error.message}). Nothing after it could be read.`;
}

/** Splits the text into rows with the line each starts on, plus header and syntax problems. */
function readCsv(text: string): { rows: CsvRow[]; dataLines: number[]; errors: CsvRowError[] } {
  // csv-parse miscounts lines inside quoted fields with CRLF endings; with one kind of line
  // break its count is exact, and every physical line keeps its number.
  const normalised = text.replace(/\r\n?/g, "\n");
  const broken: { error?: CsvSyntaxError } = {};
  const records = parse(normalised, {
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    // Read on past a broken record only to learn where it is; what follows is not trusted.
    skip_records_with_error: true,
    on_skip: (error) => {
      broken.error ??= error ?? { message: "unreadable record" };
    },
  }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  const syntax = broken.error;
  const brokenAt = syntax?.lines ?? Infinity;
  const errors: CsvRowError[] = [];
  const read = records
    .filter((r) => r.info.lines < brokenAt)
    // info.lines is where the record ends; its quoted line breaks say where it began.
    .map((r) => ({ cells: r.record, line: r.info.lines - r.record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0) }))
    .filter((r) => r.cells.some((cell) => cell.trim() !== ""));
  if (syntax) errors.push({ line: brokenAt === Infinity ? 1 : brokenAt, field: null, message: syntaxMessage(syntax) });

  const [header, ...data] = read;
  if (!header) {
    if (!syntax) errors.push({ line: 1, field: null, message: `The file is empty. Start with the header row: ${CSV_COLUMNS.join(",")}.` });
    return { rows: [], dataLines: [], errors };
  }
  const names = header.cells.map((cell) => cell.trim().toLowerCase().replace(/[\s-]+/g, "_"));
  const known = new Set<string>(CSV_COLUMNS);
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (!known.has(name)) {
      errors.push({ line: header.line, field: header.cells[i]!.trim() || `column ${i + 1}`, message: `Unknown column. The columns are: ${CSV_COLUMNS.join(", ")}.` });
    } else if (seen.has(name)) {
      errors.push({ line: header.line, field: name, message: "This column appears twice." });
    }
    seen.add(name);
  });
  for (const required of REQUIRED_COLUMNS) {
    if (!seen.has(required)) errors.push({ line: header.line, field: required, message: "This column is required." });
  }
  if (errors.some((e) => e.line === header.line)) return { rows: [], dataLines: data.map((d) => d.line), errors };

  const rows: CsvRow[] = [];
  for (const { cells, line } of data) {
    if (cells.length !== names.length) {
      errors.push({ line, field: null, message: `This row has ${cells.length} fields; the header has ${names.length}.` });
      continue;
    }
    const values: Partial<Record<Column, string>> = {};
    names.forEach((name, i) => {
      values[name as Column] = cells[i]!;
    });
    rows.push({ line, values });
  }
  return { rows, dataLines: data.map((d) => d.line), errors };
}

/** The form's shape (text in, like a browser sends it), from one CSV row. */
function formValuesOf(row: CsvRow, teamId: string, ownerId: string | undefined): Record<string, string | undefined> {
  const cell = (column: Column) => {
    const value = row.values[column];
    // As conform does for an empty input: missing, so the schema's "required" message applies.
    return value === undefined || value.trim() === "" ? undefined : value;
  };
  const comparator = cell("metric_comparator")?.trim();
  return {
    statement: cell("statement"),
    details: cell("details"),
    measureKind: cell("measure_kind")?.trim().toLowerCase(),
    metricName: cell("metric_name"),
    metricBaseline: cell("metric_baseline"),
    metricComparator: comparator === undefined ? undefined : (COMPARATOR_ALIASES[comparator.toLowerCase()] ?? comparator),
    metricTarget: cell("metric_target"),
    metricUnit: cell("metric_unit"),
    deliverableEvent: cell("deliverable_event"),
    evidenceSource: cell("evidence_source"),
    dueDate: cell("due_date"),
    periodLabel: cell("period"),
    teamId,
    ownerId,
    audience: cell("audience")?.trim().toLowerCase(),
    // Themes are separated by ";" in the file (commas would fight with CSV) and by "," in the form.
    tags: cell("tags")?.split(";").join(","),
  };
}

function errorsOfRefusal(line: number, error: DomainError): CsvRowError[] {
  if (error.fieldErrors) {
    return Object.entries(error.fieldErrors).flatMap(([field, messages]) =>
      messages.map((message) => ({ line, field: COLUMN_OF_FIELD[field] ?? null, message })),
    );
  }
  return [{ line, field: error.field ? (COLUMN_OF_FIELD[error.field] ?? null) : null, message: error.message }];
}

/** Thrown inside the transaction to roll it back: after a dry run, or when any row failed. */
class RollBack extends Error {}

/**
 * Checks (dryRun) or imports the commitments of a CSV file into one team. Fails only when
 * the team does not exist or the actor may not write its commitments; everything wrong with
 * the file itself is in the report's `errors`, every bad row with its line.
 */
async function importCommitmentsCsvUnlogged(
  db: Database,
  actor: Actor,
  teamId: string,
  csvText: string,
  options: { dryRun: boolean },
  now: Date,
): Promise<Result<CsvImportReport>> {
  const team = await getTeamById(db, teamId);
  if (!team) return fail("NOT_FOUND", "That team does not exist.");
  const refused = await authorizeOnTeam(db, actor, "commitments.write", teamId, "Only editors of this team and admins can import its commitments.");
  if (refused) return refused;

  const { rows, dataLines, errors } = readCsv(csvText);
  const report = (created: string[] = []): Result<CsvImportReport> =>
    ok({ dryRun: options.dryRun, rows: dataLines.length, created, errors: errors.sort((a, b) => a.line - b.line) });
  if (dataLines.length > MAX_IMPORT_ROWS) {
    errors.push({ line: dataLines[MAX_IMPORT_ROWS]!, field: null, message: `A file can hold at most ${MAX_IMPORT_ROWS.toLocaleString("en")} commitments; split it and import the rest separately.` });
    return report();
  }
  if (dataLines.length === 0 && errors.length === 0) {
    errors.push({ line: 1, field: null, message: "The file has a header row but no commitments under it." });
  }

  const emails = [...new Set(rows.map((r) => r.values.owner_email?.trim().toLowerCase()).filter((e): e is string => Boolean(e)))];
  const people = await usersByEmail(db, emails);
  const inputs: Array<{ line: number; input: CommitmentInput }> = [];
  for (const row of rows) {
    const email = row.values.owner_email?.trim().toLowerCase();
    const owner = email ? people.get(email) : undefined;
    if (email && !owner) {
      errors.push({ line: row.line, field: "owner_email", message: `Nobody in Kept has the email address ${email}.` });
    }
    const parsed = CommitmentFormSchema.safeParse(formValuesOf(row, teamId, owner?.id));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        errors.push({ line: row.line, field: COLUMN_OF_FIELD[String(issue.path[0])] ?? null, message: issue.message });
      }
      continue;
    }
    if (email && !owner) continue;
    inputs.push({ line: row.line, input: parsed.data });
  }

  // Rows that passed the schema meet the service's own checks (period, owner, minimum score)
  // by being created, each one a savepoint in the one transaction.
  const created: string[] = [];
  try {
    await db.transaction(async (tx) => {
      for (const { line, input } of inputs) {
        const result = await createCommitment(savepointsIn(tx), actor, input, now);
        if (result.ok) created.push(result.value.id);
        else errors.push(...errorsOfRefusal(line, result.error));
      }
      if (options.dryRun || errors.length > 0) throw new RollBack();
    });
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
    return report();
  }
  return report(created);
}

/** importCommitmentsCsv, and its line in the change log: the same line whether the UI or the API asked. */
export async function importCommitmentsCsv(db: Database, actor: Actor, teamId: string, csvText: string, options: { dryRun: boolean }, now: Date, log: ChangeLog = NO_CHANGE_LOG) {
  const result = await importCommitmentsCsvUnlogged(db, actor, teamId, csvText, options, now);
  // A dry run, or a file with a bad line, imports nothing and so logs nothing.
  if (result.ok && !result.value.dryRun && result.value.errors.length === 0) log.info({ teamId, created: result.value.created.length, by: actor.id }, "commitments imported from CSV");
  return result;
}
