import { RxprocError } from '../core/errors.js';
import type { Holdout } from '../platform/types.js';
import type { TerminationAttempt } from './types.js';

/**
 * Even SIGKILL did not end the process within its bounded wait (or could not be sent). The process may still be
 * running: this needs a person. Carries every attempt, in order, so nothing about the escalation is lost.
 */
export class TerminationError extends RxprocError {
  /** Always `TERMINATION_FAILED`. */
  readonly code = 'TERMINATION_FAILED' as const;
  /** The name of the process that could not be terminated. */
  readonly processName: string;
  /** Every step that failed, in the order it happened; never empty. */
  readonly attempts: readonly TerminationAttempt[];

  constructor(processName: string, attempts: readonly TerminationAttempt[]) {
    const list = attempts.map((attempt, i) => `[${i + 1}] ${describeAttempt(attempt)}`).join('; ');
    super(
      `Failed to terminate process '${processName}'; it may still be running. ` +
        `Attempts: ${list === '' ? 'none recorded' : list}`,
    );
    this.processName = processName;
    this.attempts = Object.freeze(attempts.slice());
  }
}

/** @internal */
/** One attempt as a short sentence, for messages and logs. */
export function describeAttempt(attempt: TerminationAttempt): string {
  const step = `phase ${attempt.phase} (${attempt.signal})`;
  switch (attempt.kind) {
    case 'timedOut':
      return `${step}: no exit within ${attempt.timeoutMs} ms${describeHoldouts(attempt.holdouts)}`;
    case 'sendFailed':
      return `${step}: send failed with ${attempt.code} (${attempt.error.message})`;
    case 'interrupted':
      return `${step}: wait abandoned for an immediate kill`;
  }
}

function describeHoldouts(holdouts: readonly Holdout[] | undefined): string {
  if (holdouts === undefined || holdouts.length === 0) return '';
  const shown = holdouts
    .slice(0, 5)
    .map((h) => `pid ${h.pid} ${h.command} [${h.state}] ${h.disposition}`)
    .join(', ');
  return ` (still alive: ${shown}${holdouts.length > 5 ? `, and ${holdouts.length - 5} more` : ''})`;
}
