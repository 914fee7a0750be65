/**
 * Case (b): many long-running children at once (`sleep 30`), all confirmed started, then SIGKILLed and every exit
 * awaited. spawn-rx is absent: its Observable exposes neither the pid, nor the start, nor an exit after
 * unsubscribing (which sends SIGTERM and forgets the child).
 */
import { spawn as nodeSpawn } from 'node:child_process';
import { once } from 'node:events';
import type { Task } from '../../lib/types.js';
import { RAW_OPTIONS } from './config.js';
import { type Child, measureConcurrent } from './harness.js';

const COMMAND = 'sleep';
const ARGS = ['30'];

function ignoreErrors(send: () => void): void {
  try {
    send();
  } catch {
    // already gone
  }
}

function counts(params: Readonly<Record<string, number>>): [number, number] {
  return [params.count ?? 0, params.warmup ?? 0];
}

function rawChild(): Child {
  const child = nodeSpawn(COMMAND, ARGS, RAW_OPTIONS);
  let done = false;
  const exited = once(child, 'exit').then(() => {
    done = true;
  });
  exited.catch(() => undefined); // a failed spawn rejects this too; `started` reports it
  // The whole group, as rxproc does: the same one kill(2) per child.
  const killGroup = (): void => {
    process.kill(-child.pid!, 'SIGKILL');
  };
  return {
    started: once(child, 'spawn').then(() => undefined),
    kill: killGroup,
    exited,
    // Never after the exit: the pid may already belong to someone else.
    cleanup: () => {
      if (!done && child.pid !== undefined) ignoreErrors(killGroup);
    },
  };
}

export const concurrentTasks: Record<string, Task> = {
  async concurrentRaw(params) {
    return measureConcurrent(...counts(params), rawChild);
  },

  async concurrentRxproc(params) {
    const { spawn } = await import('../../../src/index.js');
    const { firstValueFrom } = await import('rxjs');
    return measureConcurrent(...counts(params), () => {
      const proc = spawn(COMMAND, ARGS);
      const exited = proc.wait().then(() => undefined);
      exited.catch(() => undefined);
      return {
        started: firstValueFrom(proc.events$).then((event) => {
          if (event.type !== 'spawned') throw new Error(`${COMMAND} did not start: ${event.type}`);
        }),
        kill: () => {
          const result = proc.sendSignal('SIGKILL');
          if (!result.sent) throw new Error(`SIGKILL not sent: ${result.reason}`);
        },
        exited,
        cleanup: () => {
          if (proc.state === 'running') proc.sendSignal('SIGKILL');
        },
      };
    });
  },

  async concurrentExeca(params) {
    const { execa } = await import('execa');
    return measureConcurrent(...counts(params), () => {
      const subprocess = execa(COMMAND, ARGS, { stdin: 'ignore', detached: true, reject: false });
      const exited = subprocess.then(() => undefined);
      return {
        started: once(subprocess, 'spawn').then(() => undefined),
        kill: () => {
          subprocess.kill('SIGKILL');
        },
        exited,
        cleanup: () => {
          if (subprocess.exitCode === null && subprocess.signalCode === null) subprocess.kill('SIGKILL');
        },
      };
    });
  },
};
