// How a long background job shares the server's one thread with the requests (ADR 0046).

/**
 * Where a long job may give the event loop back. The job calls `step(rows)` after every slice of
 * at most a few hundred rows of synchronous work; the pace decides whether to return at once or
 * to pause first. A job that never calls it holds the thread; one that calls it holds it for
 * one slice at most.
 */
export interface Pace {
  step(rows: number): Promise<void> | void;
}

/** Rows of synchronous work between two calls of `Pace.step` (entries hashed, commitments replayed, ledger entries compared). */
export const PACE_SLICE_ROWS = 250;

export interface DutyCycleOptions {
  /** The share of wall time the job may be busy (its own work and the statements it waits for), 0 < share ≤ 1. */
  share: number;
  /** How long the job runs before it pauses, in ms. */
  sliceMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A pace that lets the job run for `sliceMs`, then rests long enough that it was busy for no
 * more than `share` of the time: after 5 ms at a quarter, 15 ms of rest, in which the requests
 * that waited run, every round trip of theirs included. (Yielding once per slice without a rest
 * is not enough: a request needs many turns of the event loop, one per statement it awaits, and
 * got one turn per slice of the job, so it finished in as many slices as it had statements.)
 * Time waiting for the job's own statements counts as busy: they load the same database.
 */
export class DutyCycle implements Pace {
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private since: number;

  constructor(private readonly options: DutyCycleOptions) {
    if (!(options.share > 0 && options.share <= 1)) throw new Error(`a duty cycle's share is between 0 and 1, not ${options.share}`);
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => (ms > 0 ? sleepFor(ms) : nextTurn()));
    this.since = this.now();
  }

  step(): Promise<void> | void {
    const busy = this.now() - this.since;
    if (busy < this.options.sliceMs) return;
    const rest = (busy * (1 - this.options.share)) / this.options.share;
    return this.sleep(rest).then(() => {
      this.since = this.now();
    });
  }
}

/** Gives the event loop one turn after every slice of `sliceMs`, without resting: for a job nobody waits beside (tests, scripts). */
export function yieldingPace(sliceMs = 10): Pace {
  return new DutyCycle({ share: 1, sliceMs });
}
