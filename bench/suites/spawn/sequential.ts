/** Case (a): one child at a time, `true`, spawned and awaited to its exit. Libraries are loaded on demand. */
import { spawn as nodeSpawn } from 'node:child_process';
import { once } from 'node:events';
import type { Task } from '../../lib/types.js';
import { RAW_OPTIONS } from './config.js';
import { measureSequential } from './harness.js';

function counts(params: Readonly<Record<string, number>>): [number, number] {
  return [params.count ?? 0, params.warmup ?? 0];
}

export const sequentialTasks: Record<string, Task> = {
  async sequentialRaw(params) {
    return measureSequential(...counts(params), async () => {
      // once() rejects on 'error', so a failed spawn fails the run instead of hanging it
      await once(nodeSpawn('true', [], RAW_OPTIONS), 'exit');
    });
  },

  async sequentialRxproc(params) {
    const { spawn } = await import('../../../src/index.js');
    return measureSequential(...counts(params), async () => {
      const outcome = await spawn('true').wait();
      if (outcome.type !== 'exited' || outcome.status.code !== 0) throw new Error('true did not exit with 0');
    });
  },

  async sequentialExeca(params) {
    const { execa } = await import('execa');
    return measureSequential(...counts(params), async () => {
      await execa('true', [], { stdin: 'ignore', detached: true });
    });
  },

  async sequentialSpawnRx(params) {
    const { spawnPromise } = await import('spawn-rx');
    return measureSequential(...counts(params), async () => {
      await spawnPromise('true', [], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    });
  },
};
