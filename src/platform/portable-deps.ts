import type { ProcessDescriptor } from 'ps-list';
import type { SignalName } from '../core/signals.js';
import { nodeSpawn } from './spawn-child.js';
import type { SpawnFunction } from './spawn-child.js';
import type { PpidLink } from './tree.js';

/** @internal */
/**
 * What the platforms without `/proc` (macOS, Windows) take from the outside world besides their command runners.
 * Tests replace any of it.
 */
export interface PortableDeps {
  /** Sends a signal; `process.kill` in production (a negative pid addresses a group on Unix). */
  readonly kill: (pid: number, signal: SignalName) => void;
  /** The parent-link walk from a root, root included. */
  readonly pidtree: (pid: number) => Promise<readonly PpidLink[]>;
  readonly psList: () => Promise<ProcessDescriptor[]>;
  readonly spawn: SpawnFunction;
  /** This process, which must never be signalled. */
  readonly ownPid: number;
}

/** @internal */
/** The production dependencies. */
export const portableDefaults = (): PortableDeps => ({
  // Looked up at call time so a stub installed on `process.kill` later is still honoured.
  kill: (pid, signal) => process.kill(pid, signal),
  // Loaded on first use: Linux never needs them, and every import costs start-up time and heap.
  pidtree: async (pid) => (await import('pidtree')).default(pid, { root: true, advanced: true }),
  psList: async () => (await import('ps-list')).default(),
  spawn: nodeSpawn,
  ownPid: process.pid,
});
