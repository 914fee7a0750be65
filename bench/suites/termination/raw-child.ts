/** A child started with `node:child_process` as the floor and tree-kill's targets use it. */
import { spawn as nodeSpawn } from 'node:child_process';
import { once } from 'node:events';
import { RAW_OPTIONS } from './config.js';
import { killQuietly } from './harness.js';

export interface RawChild {
  readonly pid: number;
  /** Resolves with the exit signal once `'exit'` was seen. */
  readonly exited: Promise<NodeJS.Signals | null>;
  /** SIGKILLs the group unless the leader's exit was seen (its pid may be reused after that). */
  cleanup(): void;
}

/** Spawns `command` in its own group and resolves once the OS confirmed it runs. */
export async function startRaw(command: string, args: readonly string[]): Promise<RawChild> {
  const child = nodeSpawn(command, args, RAW_OPTIONS);
  let done = false;
  const exited = once(child, 'exit').then(([, signal]) => {
    done = true;
    return signal as NodeJS.Signals | null;
  });
  exited.catch(() => undefined); // a failed spawn rejects this too; the 'spawn' wait below reports it
  await once(child, 'spawn');
  const pid = child.pid!;
  return {
    pid,
    exited,
    cleanup: () => {
      if (!done) killQuietly(-pid);
    },
  };
}

/** tree-kill as a promise. */
export async function treeKill(pid: number, signal: NodeJS.Signals): Promise<void> {
  const { default: kill } = await import('tree-kill');
  await new Promise<void>((resolve, reject) =>
    kill(pid, signal, (error) => (error ? reject(error) : resolve())),
  );
}

/** Throws unless the exit signal is the expected one. */
export function expectSignal(actual: NodeJS.Signals | null | undefined, expected: NodeJS.Signals): void {
  if (actual !== expected) throw new Error(`ended by ${String(actual)}, expected ${expected}`);
}
