// One labelled statement of the falsifiability corpus. The label says whether a customer who
// reads only this sentence could later tell, without asking us, whether it was kept; the reason
// says why, in the words a reviewer would use. Labels were written before the rules were tuned.
export type CorpusLabel = "vague" | "checkable";
export type CorpusKind =
  | "reliability"
  | "roadmap"
  | "security"
  | "support"
  | "pricing"
  | "regional"
  | "sustainability"
  | "accessibility"
  | "okr";

export interface CorpusEntry {
  kind: CorpusKind;
  statement: string;
  label: CorpusLabel;
  reason: string;
}

export const vague = (kind: CorpusKind, statement: string, reason: string): CorpusEntry => ({ kind, statement, label: "vague", reason });
export const checkable = (kind: CorpusKind, statement: string, reason: string): CorpusEntry => ({ kind, statement, label: "checkable", reason });
