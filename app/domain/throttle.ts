// Sign-in throttling policy. Pure: the counters live in the database (so every app process
// sees them); this decides what a given count means. See ADR 0010.
//
// Three counters answer three questions:
// - one address, any account ("ip:…"): a guesser at one address is locked out for a while;
// - one account from one address ("pair:…"): guessing one person's password from one place
//   locks only that place out of that account;
// - one account, any address ("account:…"): guesses from many addresses (or a spoofed
//   X-Forwarded-For) are paced, never locked: each failure past the free ones pushes the
//   next allowed attempt a little further out, up to a minute, so a stranger who knows an
//   email address can slow its owner down by at most that, and can never lock them out.

export interface ThrottlePolicy {
  /** Failures within the window that are free; the next one starts the hold. */
  maxFailures: number;
  windowMs: number;
  /** "lock": hold for lockMs once maxFailures is reached. "pace": hold growing from baseMs, doubling, up to capMs. */
  kind: "lock" | "pace";
  lockMs: number;
  baseMs?: number;
}

export const ADDRESS_POLICY: ThrottlePolicy = { kind: "lock", maxFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
export const PAIR_POLICY: ThrottlePolicy = { kind: "lock", maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
export const ACCOUNT_POLICY: ThrottlePolicy = { kind: "pace", maxFailures: 5, windowMs: 15 * 60_000, lockMs: 60_000, baseMs: 1000 };

export interface ThrottleState {
  failures: number;
  windowStartedAt: Date;
  lockedUntil: Date | null;
}

/** Seconds until a held key may try again, or 0 when it is not held. */
export function retryAfterSeconds(state: ThrottleState | undefined, now: Date): number {
  if (!state?.lockedUntil) return 0;
  const ms = state.lockedUntil.getTime() - now.getTime();
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

/** Failures that still count: a window that has passed starts again from zero. */
export function currentFailures(state: ThrottleState | undefined, policy: ThrottlePolicy, now: Date): number {
  if (!state) return 0;
  return now.getTime() - state.windowStartedAt.getTime() > policy.windowMs ? 0 : state.failures;
}

/** How long a key is held after its `failures`-th failure in the window (0: not at all). */
export function holdMs(policy: ThrottlePolicy, failures: number): number {
  if (failures < policy.maxFailures) return 0;
  if (policy.kind === "lock") return policy.lockMs;
  const base = policy.baseMs ?? 1000;
  return Math.min(base * 2 ** Math.min(failures - policy.maxFailures, 30), policy.lockMs);
}

export type AttemptDecision =
  | { allowed: true; next: ThrottleState }
  | { allowed: false; retryAfter: number };

/**
 * Whether one more attempt may go ahead on a key, counting it as a failure in advance (a
 * success gives it back): parallel guesses each take their own number, so only the free
 * ones are ever checked.
 */
export function decideAttempt(policy: ThrottlePolicy, state: ThrottleState | undefined, now: Date): AttemptDecision {
  const wait = retryAfterSeconds(state, now);
  if (wait > 0) return { allowed: false, retryAfter: wait };
  const counted = currentFailures(state, policy, now);
  const failures = counted + 1;
  const hold = holdMs(policy, failures);
  return {
    allowed: true,
    next: {
      failures,
      windowStartedAt: counted === 0 || !state ? now : state.windowStartedAt,
      lockedUntil: hold > 0 ? new Date(now.getTime() + hold) : null,
    },
  };
}

/**
 * How long to hold a failed sign-in's answer: nothing for the first two failures, then a
 * growing pause, so guessing slows down well before any hold.
 */
export function slowdownMs(failures: number): number {
  if (failures < 2) return 0;
  return Math.min(250 * (failures - 1), 2000);
}
