// Login throttling policy. Pure: the counters live in the database (so every app process
// sees them); this decides what a given count means.

export interface ThrottlePolicy {
  /** Failures within the window after which the key is locked. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
export const ADDRESS_POLICY: ThrottlePolicy = { maxFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export interface ThrottleState {
  failures: number;
  windowStartedAt: Date;
  lockedUntil: Date | null;
}

/** Seconds until a locked key may try again, or 0 when it is not locked. */
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

/**
 * How long to hold a login attempt before answering: nothing for the first two failures,
 * then a growing pause, so guessing slows down well before the hard lock.
 */
export function slowdownMs(failures: number): number {
  if (failures < 2) return 0;
  return Math.min(250 * (failures - 1), 2000);
}
