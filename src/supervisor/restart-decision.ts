import type { ExitStatus } from '../core/exit-status.js';
import type { ResolvedRestart } from './restart-config.js';

/** @internal */
/** How a run of a service ended, as far as restarting is concerned. */
export interface RunEnd {
  /** The leader's status; `undefined` when the spawn failed. */
  readonly status: ExitStatus | undefined;
  /** rxproc stopped it on request (`stop()`, `stopService()`, a parent signal): never restarted. */
  readonly requested: boolean;
  /** A probe failed (readiness or liveness) and rxproc ended the run: a failure whatever the status. */
  readonly probeFailed: boolean;
  /** It died by a signal that rxproc did not send. */
  readonly foreignSignal: boolean;
  /** Why the run ended, when rxproc ended it for a probe (`readiness timed out after 60 s`). */
  readonly cause?: string;
  /** Scheduler times of the run. */
  readonly startedAt: number;
  readonly endedAt: number;
}

/** @internal */
/** The restart bookkeeping carried from one run to the next. */
export interface RestartHistory {
  /** Scheduler times of the restarts counted now (since the last reset, within the window). */
  readonly restarts: readonly number[];
  /** How many delays in a row so far: the exponent of the next one. */
  readonly attempt: number;
}

/** @internal */
export type RestartDecision =
  | { readonly type: 'restart'; readonly delayMs: number; readonly history: RestartHistory }
  | {
      readonly type: 'end';
      readonly outcome: 'completed' | 'failed' | 'stopped';
      readonly reason: string;
      readonly exhausted: boolean;
    };

/** @internal */
export const NO_RESTARTS: RestartHistory = { restarts: [], attempt: 0 };

/** @internal */
/**
 * Whether a service whose run just ended starts again, and after how long: the policy, then the reset after a stable
 * run, then the limit within the window, then the exponential delay with jitter. Pure: `random` is injected.
 */
export function decideRestart(
  restart: ResolvedRestart,
  end: RunEnd,
  previous: RestartHistory,
  random: () => number,
): RestartDecision {
  const failed = isFailure(end);
  const description = end.cause ?? describeEnd(end);
  if (end.requested)
    return { type: 'end', outcome: 'stopped', reason: 'stopped on request', exhausted: false };
  if (restart.policy === 'unless-stopped' && end.foreignSignal) {
    return {
      type: 'end',
      outcome: 'stopped',
      reason: `${description}, a signal rxproc did not send`,
      exhausted: false,
    };
  }
  if (!wantsRestart(restart, end, failed)) {
    return { type: 'end', outcome: failed ? 'failed' : 'completed', reason: description, exhausted: false };
  }
  const stable = end.endedAt - end.startedAt >= restart.resetAfterMs;
  const history = stable ? NO_RESTARTS : previous;
  const counted = history.restarts.filter((at) => end.endedAt - at < restart.windowMs);
  if (counted.length >= restart.maxRestarts) {
    const reason = `${description}; restarts exhausted (${counted.length}/${restart.maxRestarts})`;
    return { type: 'end', outcome: 'failed', reason, exhausted: true };
  }
  const delayMs = backoffDelay(restart, history.attempt, random);
  return {
    type: 'restart',
    delayMs,
    history: { restarts: [...counted, end.endedAt], attempt: history.attempt + 1 },
  };
}

/** @internal */
/** The delay before restart number `attempt + 1`: `initialMs × factor^attempt`, capped, then spread by jitter. */
export function backoffDelay(restart: ResolvedRestart, attempt: number, random: () => number): number {
  const base = Math.min(restart.maxMs, restart.initialMs * restart.factor ** attempt);
  const spread = base * restart.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(base + spread));
}

function isFailure(end: RunEnd): boolean {
  return end.probeFailed || end.status === undefined || end.status.code !== 0;
}

function wantsRestart(restart: ResolvedRestart, end: RunEnd, failed: boolean): boolean {
  switch (restart.policy) {
    case 'no':
      return false;
    case 'on-failure':
      return failed;
    case 'always':
      return true;
    case 'unless-stopped':
      return true;
  }
}

/** @internal */
/** How a run ended, for people: `exited 1`, `killed by SIGKILL`, `spawn failed`. */
export function describeEnd(end: Pick<RunEnd, 'status'>): string {
  if (end.status === undefined) return 'spawn failed';
  if (end.status.signal !== null) return `killed by ${end.status.signal}`;
  return `exited ${end.status.code}`;
}
