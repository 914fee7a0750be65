/**
 * The one polling helper of the suite: every wait for something that happens on its own (a process starting or
 * dying, a tree taking shape, a stream holding back) goes through {@link waitUntil}.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** What a condition returns while it does not hold yet. */
export type NotYet = undefined | null | false;

export interface WaitUntilOptions {
  /** Safety net against a hang, never an assertion about speed. Default 10 000 ms. */
  readonly timeoutMs?: number;
}

/** The wait named in the message gave up: its condition never held within the safety net. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

const POLL_INTERVAL_MS = 10;
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Calls `condition` until it returns something other than `undefined`, `null` or `false`, and resolves with that
 * value: a boolean condition resolves with `true`, a `find` resolves with what it found. Checks once at once, then
 * every 10 ms. Rejects with a {@link WaitTimeoutError} naming `what` ("timed out waiting until <what>") once
 * `timeoutMs` has passed; an error thrown by `condition` ends the wait with that error.
 *
 * @param what The awaited state, phrased to follow "until" (e.g. `'the shell has started'`).
 */
export async function waitUntil<T>(
  what: string,
  condition: () => T | Promise<T>,
  { timeoutMs = DEFAULT_TIMEOUT_MS }: WaitUntilOptions = {},
): Promise<Exclude<T, NotYet>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (!isNotYet(value)) return value as Exclude<T, NotYet>;
    if (performance.now() > deadline) throw new WaitTimeoutError(`timed out waiting until ${what}`);
    await sleep(POLL_INTERVAL_MS);
  }
}

function isNotYet(value: unknown): value is NotYet {
  return value === undefined || value === null || value === false;
}
