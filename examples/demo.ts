/**
 * `npm run demo`: starts a few real process trees and prints what happens to them, as it happens.
 * Everything it starts is gone when it exits.
 */
import { lastValueFrom } from 'rxjs';
import { match } from 'ts-pattern';
import { type ProcessEvent, type ProcessHandle, spawn } from '../src/index.js';

const started = Date.now();
const clock = (): string => `+${String(Date.now() - started).padStart(5)} ms`;

function describe(event: ProcessEvent): string {
  return match(event)
    .with({ type: 'spawned' }, (e) => `spawned pid ${e.pid} in its own group ${e.pgid}`)
    .with({ type: 'spawnFailed' }, (e) => `could not start: ${e.error.code} (${e.error.reason})`)
    .with({ type: 'signalSent' }, (e) => `${e.signal} sent to group ${e.pgid} (${e.cause})`)
    .with({ type: 'signalFailed' }, (e) => `${e.signal} not delivered: ${e.code}`)
    .with({ type: 'stdinClosed' }, () => 'stdin closed by the child')
    .with({ type: 'exited' }, (e) =>
      e.signal === null ? `exited with code ${e.code}` : `killed by ${e.signal}`,
    )
    .with(
      { type: 'terminationStarted' },
      (e) => `terminating: ${e.phases.map((p) => p.signal).join(' → ')} → SIGKILL`,
    )
    .with({ type: 'timeout' }, (e) => `${e.signal} had no effect within ${e.timeoutMs} ms; escalating`)
    .with(
      { type: 'verified' },
      (e) => `verified: ${e.checked.length} descendants checked, ${e.killed.length} killed`,
    )
    .with(
      { type: 'terminated' },
      (e) => `terminated (ended by ${e.report.endedBy}, forced: ${e.report.forced})`,
    )
    .with({ type: 'terminationFailed' }, (e) => `termination FAILED: ${e.error.message}`)
    .with({ type: 'outputClosed' }, (e) => `${e.stream} closed${e.closed.forced ? ' by force' : ''}`)
    .exhaustive();
}

function narrate(proc: ProcessHandle, label: string): Promise<void> {
  proc.events$.subscribe((event) => console.log(`${clock()}  [${label}] ${describe(event)}`));
  return lastValueFrom(proc.events$, { defaultValue: undefined }).then(() => undefined);
}

console.log('rxproc demo: three process trees, narrated\n');

// 1. A small tree: a shell with a background job and a foreground job, exiting on its own.
const tree = spawn('sh', ['-c', 'sleep 0.3 & sleep 0.2; wait; exit 0'], { name: 'tree' });
// 2. A command that does not exist: a typed error, no throw.
const missing = spawn('rxproc-demo-no-such-command', ['--token=secret-never-printed']);
// 3. A long sleeper, stopped with a signal to its whole group.
const sleeper = spawn('sh', ['-c', 'sleep 30 & sleep 30'], { name: 'sleeper' });

const narrated = [narrate(tree, 'tree'), narrate(missing, 'missing'), narrate(sleeper, 'sleeper')];

await tree.wait();
const stillRunning = await sleeper.wait({ timeoutMs: 100 });
console.log(`${clock()}  [sleeper] wait({ timeoutMs: 100 }) -> ${stillRunning.type}`);
sleeper.sendSignal('SIGKILL');
await sleeper.wait();
await Promise.all(narrated);
console.log(`\n${clock()}  done; nothing left running.`);
