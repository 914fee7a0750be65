/**
 * Runs one task in a fresh process: `worker.ts <module file> <task name> <params JSON>`. Each run starts from
 * the same clean state, so one variant's heap, loaded modules and JIT state never flatter or burden another's
 * RSS or time. The result goes back over the IPC channel.
 */
import { pathToFileURL } from 'node:url';
import type { Measurement, Task, TaskParams } from './types.js';

export type WorkerMessage =
  { readonly ok: true; readonly measurement: Measurement } | { readonly ok: false; readonly error: string };

function reply(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) {
      console.log(JSON.stringify(message));
      resolve();
      return;
    }
    process.send(message, () => resolve());
  });
}

async function main(): Promise<void> {
  const [modulePath, taskName, paramsJson] = process.argv.slice(2);
  if (modulePath === undefined || taskName === undefined)
    throw new Error('usage: worker <module> <task> [params]');
  const module = (await import(pathToFileURL(modulePath).href)) as { tasks?: Record<string, Task> };
  const task = module.tasks?.[taskName];
  if (task === undefined) throw new Error(`no task ${taskName} in ${modulePath}`);
  const params = JSON.parse(paramsJson ?? '{}') as TaskParams;
  const measurement = await task(params);
  await reply({ ok: true, measurement });
}

main().then(
  () => process.exit(0), // exit at once: a straggling handle must not keep the worker alive
  async (error: unknown) => {
    await reply({
      ok: false,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    process.exit(1);
  },
);
