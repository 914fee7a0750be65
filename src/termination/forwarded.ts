import type { SchedulerLike } from 'rxjs';
import type { SignalName } from '../core/signals.js';
import type { TerminationPort } from './port.js';

/** @internal */
/**
 * When the first phase would send the signal the group received from a forwarded parent signal less than the
 * phase's timeout ago, the time it was forwarded: that signal counts as this phase's, so one Ctrl-C never reaches
 * the child twice (a second SIGINT often means "force quit").
 */
export function freshForwarded(
  port: TerminationPort,
  scheduler: SchedulerLike,
  step: {
    readonly phase: number;
    readonly signal: SignalName;
    readonly timeoutMs: number;
    readonly interruptible: boolean;
  },
): number | undefined {
  if (step.phase !== 1 || !step.interruptible) return undefined;
  const recent = port.recentSignal?.();
  if (recent === undefined || recent.signal !== step.signal) return undefined;
  const age = scheduler.now() - recent.at;
  return age >= 0 && age < step.timeoutMs ? recent.at : undefined;
}
