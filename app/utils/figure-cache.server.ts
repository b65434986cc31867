// Figures counted from commitment_stats (a retrospective's tally, the trend's and the dashboard
// year's outcome counts), kept in this process between changes the database announces (ADR 0037).
//
// A figure depends only on the commitment_stats rows of the period labels it counts (and on the
// key's other parts: teams, audience, today). Migration figures_notify has the database NOTIFY
// every listening process, on commit, of the labels whose rows a statement changed; the figures of
// those labels are dropped then. While not listening (before the first LISTEN, or while its
// connection is lost) nothing is kept and every request counts, as if there were no cache; on
// listening again everything kept is forgotten (notifications may have been missed). The same
// rules as the public pages' validations (ADR 0023), so it is correct with several processes.

/** The NOTIFY channel migration figures_notify announces changed period labels on. */
export const FIGURES_CHANNEL = "kept_figures";
/** A notification that names no labels (too many for one payload): every figure is stale. */
export const ALL_LABELS = "*";

interface Entry {
  labels: ReadonlySet<string>;
  /** Pending until counted: concurrent askers share one count. */
  value: Promise<unknown>;
}

export class FigureCache {
  /** A change to an entry's labels (or of listening state) removes it, pending or not: a figure counted across one is never kept. */
  private readonly entries = new Map<string, Entry>();
  private live = false;
  private counts = { kept: 0, counted: 0, dropped: 0 };

  constructor(readonly maxEntries = 512) {}

  get listening(): boolean {
    return this.live;
  }

  /** The LISTEN connection is up (true) or lost (false): either way, what was kept may have missed a change. */
  setListening(now: boolean): void {
    this.live = now;
    this.forget(() => true);
  }

  /** A notification: the rows of these period labels (comma-separated, or ALL_LABELS) changed in a committed transaction. */
  changed(payload: string): void {
    if (payload === ALL_LABELS) return this.forget(() => true);
    const changed = payload.split(",");
    this.forget((entry) => changed.some((label) => entry.labels.has(label)));
  }

  /**
   * The figure under `key`, counted from the rows of `labels`: the kept one, or one counted now by
   * `count` (shared with anyone asking for it meanwhile) and kept when nothing changed meanwhile.
   * `key` must name everything else the figure depends on.
   */
  async get<T>(key: string, labels: readonly string[], count: () => Promise<T>): Promise<T> {
    if (!this.live) return count();
    const found = this.entries.get(key);
    if (found) {
      // Least recently used goes first: a hit moves to the end.
      this.entries.delete(key);
      this.entries.set(key, found);
      return found.value as Promise<T>;
    }
    this.counts.counted += 1;
    const value = count();
    const entry: Entry = { labels: new Set(labels), value };
    this.entries.set(key, entry);
    this.evict();
    try {
      await value;
    } catch (error) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw error;
    }
    // Still there: no change to its labels was announced while it was counted, so it is current.
    if (this.entries.get(key) === entry) this.counts.kept += 1;
    return value;
  }

  stats() {
    return { entries: this.entries.size, listening: this.live, ...this.counts };
  }

  private evict(): void {
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  private forget(which: (entry: Entry) => boolean): void {
    for (const [key, entry] of [...this.entries]) {
      if (which(entry)) {
        this.entries.delete(key);
        this.counts.dropped += 1;
      }
    }
  }
}
