// Finding many phrases in one text in one pass (Aho–Corasick). The publish check must find every
// required quotation in the letter's visible text; searching the whole text once per shortfall
// cost shortfalls × text, which a large year made quadratic.

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Work done by a search, for tests that pin its complexity (never wall-clock time). */
export interface PhraseSearchStats {
  /** Trie nodes built: at most the total length of the phrases, plus one. */
  nodes: number;
  /** Transitions and failure links followed while building and scanning. */
  steps: number;
}

interface Automaton {
  next: Array<Map<number, number>>;
  fail: number[];
  /** The phrase ending at this node, or -1. */
  phraseAt: number[];
  /** The nearest node along the failure links where a phrase ends, or -1. */
  outputLink: number[];
}

function build(phrases: readonly string[], stats: PhraseSearchStats): Automaton {
  const next: Array<Map<number, number>> = [new Map()];
  const phraseAt: number[] = [-1];
  // Duplicates share a node; the later ones are reported through `same`.
  for (let p = 0; p < phrases.length; p += 1) {
    const phrase = phrases[p] ?? "";
    if (phrase === "") continue;
    let node = 0;
    for (let i = 0; i < phrase.length; i += 1) {
      const code = phrase.charCodeAt(i);
      const children = next[node] as Map<number, number>;
      let child = children.get(code);
      if (child === undefined) {
        child = next.length;
        next.push(new Map());
        phraseAt.push(-1);
        children.set(code, child);
      }
      node = child;
      stats.steps += 1;
    }
    if (phraseAt[node] === -1) phraseAt[node] = p;
  }
  const fail = new Array<number>(next.length).fill(0);
  const outputLink = new Array<number>(next.length).fill(-1);
  const queue: number[] = [];
  for (const child of (next[0] as Map<number, number>).values()) queue.push(child);
  for (let head = 0; head < queue.length; head += 1) {
    const node = queue[head] as number;
    for (const [code, child] of next[node] as Map<number, number>) {
      let f = fail[node] as number;
      while (f !== 0 && !(next[f] as Map<number, number>).has(code)) {
        f = fail[f] as number;
        stats.steps += 1;
      }
      const target = (next[f] as Map<number, number>).get(code);
      fail[child] = target !== undefined && target !== child ? target : 0;
      const failNode = fail[child] as number;
      outputLink[child] = (phraseAt[failNode] as number) !== -1 ? failNode : (outputLink[failNode] as number);
      queue.push(child);
      stats.steps += 1;
    }
  }
  stats.nodes += next.length;
  return { next, fail, phraseAt, outputLink };
}

function isWhole(text: string, start: number, phrase: string): boolean {
  const before = start === 0 ? "" : text.charAt(start - 1);
  const after = text.charAt(start + phrase.length);
  const startsWord = WORD_CHAR.test(phrase.charAt(0));
  const endsWord = WORD_CHAR.test(phrase.charAt(phrase.length - 1));
  return (!startsWord || !WORD_CHAR.test(before)) && (!endsWord || !WORD_CHAR.test(after));
}

/**
 * The indexes of the phrases that occur in `text` as a whole: a phrase that starts (or ends)
 * with a letter or digit must not continue a word there, so "Launch in Germany" is not found in
 * "Launch in Germany and Austria"… unless it also stands alone somewhere else. One pass over the
 * text whatever the number of phrases; empty phrases are never found.
 */
export function findWholePhrases(text: string, phrases: readonly string[], stats: PhraseSearchStats = { nodes: 0, steps: 0 }): Set<number> {
  const found = new Set<number>();
  if (phrases.length === 0 || text === "") return found;
  const { next, fail, phraseAt, outputLink } = build(phrases, stats);
  // Phrases equal to one another share a trie node: report every index that ends there.
  const same = new Map<number, number[]>();
  const firstIndexOf = new Map<string, number>();
  for (let p = 0; p < phrases.length; p += 1) {
    const phrase = phrases[p] ?? "";
    if (phrase === "") continue;
    const first = firstIndexOf.get(phrase);
    if (first === undefined) firstIndexOf.set(phrase, p);
    else same.set(first, [...(same.get(first) ?? []), p]);
  }
  const report = (p: number) => {
    found.add(p);
    for (const twin of same.get(p) ?? []) found.add(twin);
  };
  let node = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    let child = (next[node] as Map<number, number>).get(code);
    while (child === undefined && node !== 0) {
      node = fail[node] as number;
      child = (next[node] as Map<number, number>).get(code);
      stats.steps += 1;
    }
    node = child ?? 0;
    stats.steps += 1;
    for (let out = (phraseAt[node] as number) !== -1 ? node : (outputLink[node] as number); out !== -1; out = outputLink[out] as number) {
      const p = phraseAt[out] as number;
      stats.steps += 1;
      if (found.has(p)) continue;
      const phrase = phrases[p] as string;
      if (isWhole(text, i - phrase.length + 1, phrase)) report(p);
    }
  }
  return found;
}
