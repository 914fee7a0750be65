/** Shared checks on rxproc handles in the streams suite. */
import type { ProcessHandle } from '../../../src/index.js';

/** Awaits the exit and fails the run unless the child exited with 0. */
export async function expectCleanExit(proc: ProcessHandle, command: string): Promise<void> {
  const outcome = await proc.wait();
  if (outcome.type !== 'exited' || outcome.status.code !== 0) {
    throw new Error(`${command} did not exit with 0: ${JSON.stringify(outcome.type)}`);
  }
}
