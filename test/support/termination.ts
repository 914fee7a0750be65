/**
 * Helpers for the termination integration tests: tracked real children (always cleaned up), fixture paths, ready
 * files, the real process tree and a compact rendering of `proc.events$`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SinonSpy } from 'sinon';
import { match } from 'ts-pattern';
import {
  currentPlatform,
  type ProcessEvent,
  type ProcessHandle,
  type ProcessIdentity,
  type ProcessInfo,
  type SnapshotMember,
  spawn,
  type SpawnOptions,
  type TerminationAttempt,
} from '../../src/index.js';
import { killGroup } from './processes.js';
import { waitUntil } from './wait.js';

/** Absolute path of a file in test/fixtures. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** The node fixture whose signal handling is set from its arguments (see test/fixtures/signal-child.cjs). */
export const SIGNAL_CHILD = fixturePath('signal-child.cjs');

/**
 * Every child a test starts goes through one of these, so that `cleanup()` (in `afterEach`) can SIGKILL whatever
 * is left: each tracked group, and each tracked escapee whose identity still matches.
 */
export class ChildTracker {
  private readonly handles: ProcessHandle[] = [];
  private readonly strays: ProcessIdentity[] = [];
  private readyDir: string | undefined;
  private readyCount = 0;

  /** `spawn()`, tracked, with `proc.events$` recorded from the start. */
  spawn(command: string, args: readonly string[] = [], options: SpawnOptions = {}): Recorded {
    const proc = spawn(command, args, options);
    this.handles.push(proc);
    return { proc, events: recordEvents(proc) };
  }

  /**
   * Starts test/fixtures/signal-child.cjs with `fixtureArgs` and resolves once its handlers are installed (it
   * writes its ready file only then).
   */
  async spawnSignalChild(fixtureArgs: readonly string[], options: SpawnOptions = {}): Promise<Recorded> {
    const readyFile = this.newReadyFile();
    const recorded = this.spawn(process.execPath, [SIGNAL_CHILD, readyFile, ...fixtureArgs], options);
    await waitUntil('the fixture has installed its signal handlers', () => existsSync(readyFile));
    const writtenPid = Number(readFileSync(readyFile, 'utf8'));
    if (writtenPid !== recorded.proc.pid) throw new Error(`ready file of another process: ${writtenPid}`);
    return recorded;
  }

  /** Remembers a process outside every tracked group (an escapee) for cleanup. */
  trackStray(identity: ProcessIdentity): void {
    this.strays.push({ pid: identity.pid, startTime: identity.startTime });
  }

  async cleanup(): Promise<void> {
    const platform = currentPlatform();
    for (const stray of this.strays.splice(0)) {
      if (await platform.isAlive(stray)) platform.signalProcess(stray.pid, 'SIGKILL');
    }
    for (const proc of this.handles.splice(0)) {
      if (proc.state !== 'exited' || (proc.pid !== undefined && (await isGroupAlive(proc.pid)))) {
        killGroup(proc.pid);
      }
      await proc.wait().catch(() => undefined);
      // A run still in progress would otherwise carry on into the next test.
      await proc.terminate().catch(() => undefined);
    }
    if (this.readyDir !== undefined) rmSync(this.readyDir, { recursive: true, force: true });
    this.readyDir = undefined;
  }

  private newReadyFile(): string {
    this.readyDir ??= mkdtempSync(join(tmpdir(), 'rxproc-termination-'));
    this.readyCount += 1;
    return join(this.readyDir, `ready-${this.readyCount}`);
  }
}

/** A handle and every event it emitted so far (kept up to date). */
export interface Recorded {
  readonly proc: ProcessHandle;
  readonly events: ProcessEvent[];
}

/** Subscribes at once and keeps every event in an array. */
export function recordEvents(proc: ProcessHandle): ProcessEvent[] {
  const events: ProcessEvent[] = [];
  proc.events$.subscribe({ next: (event) => events.push(event), error: () => undefined });
  return events;
}

/**
 * One short line per lifecycle event, for asserting the order of what happened. Stream events (stdin and output
 * closing) are left out: their timing relative to the termination is not what these tests are about.
 */
export function timeline(events: readonly ProcessEvent[]): string[] {
  return events.flatMap((event) =>
    match(event)
      .with({ type: 'signalSent' }, (e) => [`signalSent ${e.signal} (${e.cause})`])
      .with({ type: 'signalFailed' }, (e) => [`signalFailed ${e.signal} ${e.code}`])
      .with({ type: 'timeout' }, (e) => [`timeout ${e.signal} ${e.timeoutMs}`])
      .with({ type: 'exited' }, (e) => [`exited ${e.signal ?? e.code}`])
      .with({ type: 'spawnFailed' }, (e) => [`spawnFailed ${e.error.code}`])
      .with(
        { type: 'spawned' },
        { type: 'terminationStarted' },
        { type: 'verified' },
        { type: 'terminated' },
        { type: 'terminationFailed' },
        (e) => [e.type],
      )
      .otherwise(() => []),
  );
}

/** The tree of a started handle as the platform sees it right now. */
export function treeOf(pid: number): Promise<ProcessInfo[]> {
  return currentPlatform().snapshotTree({ pid, pgid: pid, sid: pid });
}

/** True when some live (non-zombie) member of group `pgid` exists, read from /proc. */
export function isGroupAlive(pgid: number): Promise<boolean> {
  return currentPlatform().isGroupAlive(pgid);
}

/** The command line of a live process (arguments joined by spaces), or `undefined`. */
export function cmdlineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return undefined;
  }
}

/** The snapshot member with this pid; throws when missing, so the assertion message names it. */
export function memberOf(snapshot: readonly SnapshotMember[], pid: number): SnapshotMember {
  const found = snapshot.find((member) => member.pid === pid);
  if (found === undefined) {
    throw new Error(`pid ${pid} is not in the snapshot: ${JSON.stringify(snapshot.map((m) => m.pid))}`);
  }
  return found;
}

/** `(pid, startTime)` of a process info or member, without the other fields. */
export function identityOf(info: ProcessIdentity): ProcessIdentity {
  return { pid: info.pid, startTime: info.startTime };
}

/** The state letter of a live process in /proc (e.g. `T` for stopped), or `undefined` when gone. */
export function procStateOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).charAt(0);
  } catch {
    return undefined;
  }
}

/** Probes: `kill(target, 0)` checks existence and delivers nothing. */
function isProbe(signal: unknown): boolean {
  return signal === 0 || signal === '0';
}

/** `[target, signal]` of every real signal a `process.kill` spy saw (existence probes left out). */
export function signalCalls(spy: SinonSpy): [unknown, unknown][] {
  return spy
    .getCalls()
    .map((call): [unknown, unknown] => [call.args[0], call.args[1]])
    .filter(([, signal]) => !isProbe(signal));
}

/** The real signals a `process.kill` spy saw sent to this exact target (a negative number is a group). */
export function signalsSentTo(spy: SinonSpy, target: number): unknown[] {
  return signalCalls(spy)
    .filter(([to]) => to === target)
    .map(([, signal]) => signal);
}

/**
 * Attempts with their holdouts reduced to `"<pid> <disposition>"`, so a test can assert who outlived a signal and
 * why without depending on the scheduler state (`sleeping` or `running`) seen at that instant.
 */
export function attemptsWithHoldouts(attempts: readonly TerminationAttempt[]): unknown[] {
  return attempts.map((attempt) =>
    attempt.kind === 'timedOut' && attempt.holdouts !== undefined
      ? { ...attempt, holdouts: attempt.holdouts.map((h) => `${h.pid} ${h.disposition}`) }
      : attempt,
  );
}
