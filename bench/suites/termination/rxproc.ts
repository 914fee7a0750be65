/** rxproc targets: spawned with defaults, confirmed started, ended by `terminate(GracefulShutdown.sigterm(5000))`. */
import type { ProcessHandle, TerminationReport } from '../../../src/index.js';
import { SIGTERM_TIMEOUT_MS } from './config.js';

type Rxproc = typeof import('../../../src/index.js');

let loaded: Rxproc | undefined;

/** rxproc, loaded on demand so that the other variants' workers never load it. */
export async function rxproc(): Promise<Rxproc> {
  loaded ??= await import('../../../src/index.js');
  return loaded;
}

/** Spawns and resolves once the first event says the child runs. */
export async function startRxproc(command: string, args: readonly string[]): Promise<ProcessHandle> {
  const { spawn } = await rxproc();
  const { firstValueFrom } = await import('rxjs');
  const proc = spawn(command, [...args]);
  const first = await firstValueFrom(proc.events$);
  if (first.type !== 'spawned') throw new Error(`${command} did not start: ${first.type}`);
  return proc;
}

/** The timed call: a graceful SIGTERM run, verification included; fails unless SIGTERM ended it cleanly. */
export async function terminateBySigterm(proc: ProcessHandle): Promise<void> {
  const { GracefulShutdown } = await rxproc();
  const report: TerminationReport = await proc.terminate(GracefulShutdown.sigterm(SIGTERM_TIMEOUT_MS));
  if (report.endedBy !== 'SIGTERM' || report.forced || report.stillAlive.length !== 0) {
    throw new Error(
      `unexpected report: endedBy ${report.endedBy}, forced ${report.forced}, ${report.stillAlive.length} still alive`,
    );
  }
}

/** Best-effort SIGKILL of the group while the handle may still run; never throws. */
export function cleanupRxproc(proc: ProcessHandle): void {
  try {
    if (proc.state === 'running') proc.sendSignal('SIGKILL');
  } catch {
    // best effort
  }
}
