/** The measured loop of the termination suite: setup untimed, only the termination itself timed. */
import { measureRun } from '../../lib/single-run.js';
import { elapsedMs, nowNs } from '../../lib/timing.js';
import type { Measurement } from '../../lib/types.js';

/** One target as a variant prepares it: `terminate()` is the timed part and resolves once every check passed. */
export interface Target {
  terminate(): Promise<void>;
  /** Untimed, after `terminate()`: throws unless every process of the target is gone. */
  check(): void;
  /** Best-effort SIGKILL of whatever may still run; never throws. */
  cleanup(): void;
}

async function timedOnce(prepare: () => Promise<Target>): Promise<number> {
  const target = await prepare();
  try {
    const start = nowNs();
    await target.terminate();
    const timeMs = elapsedMs(start);
    target.check();
    return timeMs;
  } finally {
    target.cleanup();
  }
}

/** `warmup` untimed terminations, then `count` timed ones; the run's time is the sum of the timed parts. */
export function measureTerminations(
  count: number,
  warmup: number,
  prepare: () => Promise<Target>,
): Promise<Measurement> {
  return measureRun(
    async () => {
      for (let i = 0; i < warmup; i += 1) await timedOnce(prepare);
    },
    async () => {
      let timeMs = 0;
      for (let i = 0; i < count; i += 1) timeMs += await timedOnce(prepare);
      return { timeMs };
    },
  );
}

/** Sends a signal, ignoring a target that is already gone. */
export function killQuietly(target: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(target, signal);
  } catch {
    // gone already
  }
}
