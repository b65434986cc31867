// Runs the falsifiability linter over the labelled corpus in two modes and counts agreement:
// - "statement": the statement alone, every other field empty; a statement is judged vague when
//   the linter raises an error on the statement itself.
// - "fields": the statement with the other fields filled in as a careful (or evasive) writer
//   would: a metric or date read from the sentence where it has one, otherwise a metric target
//   hidden in the measure fields. Judged vague when the score is below the default minimum.
// "Vague" is the positive class: precision is how often a refusal was right, recall how many
// vague statements were caught.
import {
  DEFAULT_MIN_PUBLIC_SCORE,
  lintCommitment,
  readStatement,
  type LintInput,
  type LintResult,
} from "../../app/domain/falsifiability";
import type { Measure } from "../../app/domain/types";
import type { CorpusEntry, CorpusLabel } from "./entry";
import { HELD_OUT } from "./held-out";
import { TUNING } from "./tuning";

export type Mode = "statement" | "fields";
export const MODES: readonly Mode[] = ["statement", "fields"];

export interface Split {
  name: "tuning" | "held-out" | "whole corpus";
  entries: readonly CorpusEntry[];
}

export const SPLITS: readonly Split[] = [
  { name: "tuning", entries: TUNING },
  { name: "held-out", entries: HELD_OUT },
  { name: "whole corpus", entries: [...TUNING, ...HELD_OUT] },
];

// Fixed so the evaluation gives the same figures whenever it runs.
const TODAY = "2025-12-01";
const DEFAULT_DUE = "2026-12-31";

function lastDayOfMonth(yearMonth: string): string {
  const [y, m] = yearMonth.split("-").map(Number) as [number, number];
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${yearMonth}-${String(days).padStart(2, "0")}`;
}

/** The other fields, filled in from what the statement says (never from its label). */
export function filledInput(statement: string): LintInput {
  const read = readStatement(statement, null);
  const date = read.dates.at(-1);
  const dueDate = date ? (date.iso.length === 10 ? date.iso : lastDayOfMonth(date.iso)) : DEFAULT_DUE;
  const to = read.quantities.find((q) => q.role === "to");
  const from = read.quantities.find((q) => q.role === "from");
  const main = to ?? read.quantities.find((q) => q.unit !== "") ?? read.quantities[0];
  const comparator = read.comparator ?? "gte";
  let measure: Measure;
  if (main) {
    const baseline = from?.value ?? (comparator === "lte" ? main.value * 2 : main.value / 2);
    measure = { kind: "metric", name: "as stated", baseline, comparator, target: main.value, unit: main.unit };
  } else {
    // The evasive writer's move: a sharp number in the measure fields behind a vague sentence.
    measure = { kind: "metric", name: "customer satisfaction", baseline: 70, comparator: "gte", target: 85, unit: "%" };
  }
  return {
    statement,
    measure,
    evidenceSource: "Public status page and the monthly report on our website",
    dueDate,
    period: null,
    hasOwner: true,
    today: TODAY,
  };
}

export function statementOnlyInput(statement: string): LintInput {
  return { statement, measure: null, evidenceSource: null, dueDate: null, period: null, hasOwner: false, today: TODAY };
}

export function judge(mode: Mode, entry: CorpusEntry): { predicted: CorpusLabel; result: LintResult } {
  const result = lintCommitment(mode === "statement" ? statementOnlyInput(entry.statement) : filledInput(entry.statement));
  const vague =
    mode === "statement"
      ? result.findings.some((f) => f.field === "statement" && f.severity === "error")
      : result.score < DEFAULT_MIN_PUBLIC_SCORE;
  return { predicted: vague ? "vague" : "checkable", result };
}

export interface Miss {
  entry: CorpusEntry;
  predicted: CorpusLabel;
  score: number;
  findings: string[];
}

export interface Figures {
  n: number;
  accuracy: number;
  precision: number;
  recall: number;
  misses: Miss[];
}

export function evaluate(mode: Mode, entries: readonly CorpusEntry[]): Figures {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let correct = 0;
  const misses: Miss[] = [];
  for (const entry of entries) {
    const { predicted, result } = judge(mode, entry);
    if (predicted === entry.label) correct++;
    else misses.push({ entry, predicted, score: result.score, findings: result.findings.map((f) => `${f.severity} ${f.code}${f.matched ? ` "${f.matched}"` : ""}`) });
    if (predicted === "vague" && entry.label === "vague") tp++;
    if (predicted === "vague" && entry.label === "checkable") fp++;
    if (predicted === "checkable" && entry.label === "vague") fn++;
  }
  const n = entries.length;
  return {
    n,
    accuracy: n === 0 ? 0 : correct / n,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    misses,
  };
}

/** Accuracy with every field filled in at each candidate minimum: how the default was chosen. */
export function thresholdSweep(entries: readonly CorpusEntry[]): Array<{ minimum: number; accuracy: number }> {
  const scored = entries.map((e) => ({ label: e.label, score: lintCommitment(filledInput(e.statement)).score }));
  const out: Array<{ minimum: number; accuracy: number }> = [];
  for (let minimum = 10; minimum <= 100; minimum += 10) {
    const correct = scored.filter((s) => (s.score < minimum ? "vague" : "checkable") === s.label).length;
    out.push({ minimum, accuracy: correct / scored.length });
  }
  return out;
}
