/** Launches a task in its own worker process, bounded in time, and sweeps up anything it left running. */
import { spawn } from 'node:child_process';
import { benchModule, nodeArgsFor, repoRoot } from './paths.js';
import { MARKER_NAME, markerValue, sweepLeaks } from './sweep.js';
import type { Measurement, TaskParams } from './types.js';
import type { WorkerMessage } from './worker.js';

const workerFile = benchModule('lib/worker');
const OUTPUT_TAIL_CHARS = 2000;

let leakedTotal = 0;

/** How many leaked processes the sweeps after workers have found and killed so far. */
export function leakedProcessesKilled(): number {
  return leakedTotal;
}

/**
 * Runs `taskName` of `moduleFile` in a fresh `node --expose-gc` process (through tsx when running the sources). Rejects when the task
 * fails, or when it has not answered within `timeoutMs` (the worker is then killed): a hung variant costs one
 * timeout, never the whole run.
 */
export async function runInWorker(
  moduleFile: string,
  taskName: string,
  params: TaskParams,
  timeoutMs: number,
): Promise<Measurement> {
  try {
    return await launch(moduleFile, taskName, params, timeoutMs);
  } finally {
    const leaked = sweepLeaks();
    leakedTotal += leaked;
    if (leaked > 0) process.stderr.write(`  ! killed ${leaked} leaked process(es) after ${taskName}\n`);
  }
}

function launch(
  moduleFile: string,
  taskName: string,
  params: TaskParams,
  timeoutMs: number,
): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...nodeArgsFor(workerFile), moduleFile, taskName, JSON.stringify(params)],
      {
        cwd: repoRoot,
        env: { ...process.env, [MARKER_NAME]: markerValue },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      },
    );
    let output = '';
    const keepTail = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout?.on('data', keepTail);
    child.stderr?.on('data', keepTail);
    let answer: WorkerMessage | undefined;
    child.on('message', (message: WorkerMessage) => {
      answer = message;
    });
    const timer = setTimeout(() => {
      answer ??= { ok: false, error: `timed out after ${timeoutMs} ms` };
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (answer?.ok === true) resolve(answer.measurement);
      else {
        const why = answer?.error ?? `worker exited with ${signal ?? `code ${code}`} without an answer`;
        reject(new Error(`${taskName}: ${why}${output.trim() === '' ? '' : `\n${output.trim()}`}`));
      }
    });
  });
}
