import { randomBytes } from 'node:crypto';

/** @internal */
/**
 * The environment variable every child is started with (unless `marker: false`): a token unique to the handle,
 * which descendants inherit even after `setsid` or a double fork. Termination and usage find a tree's escapees by
 * it; it is never used to signal anything that does not also match the tree's user and start time.
 */
export const MARKER_VARIABLE = 'RXPROC_TREE';

// One random prefix per parent process, and a counter: unique without a random read per spawn.
const prefix = `${process.pid.toString(36)}.${randomBytes(6).toString('hex')}`;
let counter = 0;

/** @internal */
/** A fresh token for one child. */
export function newMarkerToken(): string {
  counter += 1;
  return `${prefix}.${counter.toString(36)}`;
}
