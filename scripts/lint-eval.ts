// `npm run lint:eval`: how well the falsifiability linter separates vague from checkable
// statements on the labelled corpus (tests/lint-corpus), with and without the other fields
// filled in, the held-out part reported on its own, and every miss listed.
import { DEFAULT_MIN_PUBLIC_SCORE } from "../app/domain/falsifiability";
import { MODES, SPLITS, evaluate, thresholdSweep } from "../tests/lint-corpus/evaluate";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const MODE_LABEL = { statement: "statement alone", fields: `with the other fields filled in (minimum ${DEFAULT_MIN_PUBLIC_SCORE})` };

console.log("Falsifiability linter on the labelled corpus (positive class: vague)\n");
console.log(`${"part".padEnd(14)}${"mode".padEnd(50)}${"n".padStart(5)}${"accuracy".padStart(10)}${"precision".padStart(11)}${"recall".padStart(9)}`);
for (const split of SPLITS) {
  for (const mode of MODES) {
    const f = evaluate(mode, split.entries);
    console.log(`${split.name.padEnd(14)}${MODE_LABEL[mode].padEnd(50)}${String(f.n).padStart(5)}${pct(f.accuracy).padStart(10)}${pct(f.precision).padStart(11)}${pct(f.recall).padStart(9)}`);
  }
}

const whole = SPLITS.find((s) => s.name === "whole corpus")?.entries ?? [];
console.log("\nAccuracy on the whole corpus, fields filled in, at each minimum score:");
console.log(thresholdSweep(whole).map((t) => `${t.minimum}: ${pct(t.accuracy)}`).join("  "));

for (const mode of MODES) {
  const f = evaluate(mode, whole);
  console.log(`\nMisses, ${MODE_LABEL[mode]} (${f.misses.length}):`);
  if (f.misses.length === 0) console.log("  none");
  for (const m of f.misses) {
    const part = SPLITS[1]?.entries.includes(m.entry) ? "held-out" : "tuning";
    console.log(`  [${part}] labelled ${m.entry.label}, judged ${m.predicted} (score ${m.score}): ${m.entry.statement}`);
    console.log(`      label reason: ${m.entry.reason}; findings: ${m.findings.join("; ") || "none"}`);
  }
}
