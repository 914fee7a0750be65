/**
 * `npm run demo`: starts real process trees and narrates what happens to them, as it happens:
 * lifecycle events, a readiness wait with prefixed live output, a typed spawn failure, and the escalation of a
 * child that ignores SIGINT, ending with the termination report. Everything it starts is gone when it exits.
 */
import { match } from 'ts-pattern';
import { GracefulShutdown, type ProcessEvent, type ProcessHandle, spawn } from '../src/index.js';

const started = Date.now();
const clock = (): string => `+${String(Date.now() - started).padStart(5)} ms`;
const say = (label: string, text: string): void => console.log(`${clock()}  [${label}] ${text}`);

function describe(event: ProcessEvent): string | undefined {
  return match(event)
    .with({ type: 'spawned' }, (e) => `spawned pid ${e.pid}, leading its own group ${e.pgid}`)
    .with({ type: 'spawnFailed' }, (e) => `could not start: ${e.error.code} (${e.error.reason})`)
    .with({ type: 'signalSent' }, (e) => `${e.signal} → group ${e.pgid} (${e.cause})`)
    .with({ type: 'signalFailed' }, (e) => `${e.signal} not delivered: ${e.code}`)
    .with({ type: 'stdinClosed' }, () => 'the child closed its stdin')
    .with({ type: 'exited' }, (e) =>
      e.signal === null ? `exited with code ${e.code}` : `killed by ${e.signal}`,
    )
    .with({ type: 'outputClosed' }, (e) => (e.closed.forced ? `${e.stream} closed by force` : undefined))
    .with(
      { type: 'terminationStarted' },
      (e) => `terminating: ${e.phases.map((p) => `${p.signal} ${p.timeoutMs} ms`).join(' → ')} → SIGKILL`,
    )
    .with({ type: 'timeout' }, (e) => {
      const who = (e.holdouts ?? []).map((h) => `${h.command} ${h.pid} has it ${h.disposition}`).join(', ');
      return `${e.signal} had no effect within ${e.timeoutMs} ms${who === '' ? '' : ` (${who})`}: escalating`;
    })
    .with(
      { type: 'verified' },
      (e) =>
        `verified ${e.checked.length} descendant(s): ${e.killed.length} killed, ${e.stillAlive.length} left`,
    )
    .with(
      { type: 'terminated' },
      (e) => `terminated, ended by ${e.report.endedBy}${e.report.forced ? ' (forced)' : ''}`,
    )
    .with({ type: 'terminationFailed' }, (e) => `termination FAILED: ${e.error.message}`)
    .exhaustive();
}

function narrate(proc: ProcessHandle, label: string): void {
  proc.events$.subscribe((event) => {
    const text = describe(event);
    if (text !== undefined) say(label, text);
  });
}

console.log('rxproc demo\n');

// 1. A "server": prints while booting, announces readiness, then keeps logging. Its output is shown live,
//    prefixed, and we wait for the readiness line before going on.
const server = spawn(
  'sh',
  ['-c', 'echo booting; sleep 0.2; echo "listening on :8080"; while :; do echo tick; sleep 0.3; done'],
  { name: 'server' },
);
narrate(server, 'server');
server.stdout.lines$.subscribe((line) => say('server', `│ ${line}`));
const ready = await server.stdout.waitForLine(/listening on/, { timeoutMs: 5000 });
say('demo', `readiness: ${ready.type === 'matched' ? `matched "${ready.line}"` : ready.type}`);

// 2. A command that does not exist: a typed error on the streams, never a throw (the token is never printed).
const missing = spawn('rxproc-demo-no-such-command', ['--token=secret-never-printed']);
narrate(missing, 'missing');
await missing.wait().catch(() => undefined);

// 3. A worker that ignores SIGINT and has a background job: SIGINT does nothing, so the run escalates to SIGTERM.
const stubborn = spawn('sh', ['-c', "trap '' INT; sleep 30 & echo worker up; wait"], { name: 'stubborn' });
narrate(stubborn, 'stubborn');
await stubborn.stdout.waitForLine('worker up', { timeoutMs: 5000 });
const report = await stubborn.terminate(
  GracefulShutdown.phases([
    { signal: 'SIGINT', timeoutMs: 500 },
    { signal: 'SIGTERM', timeoutMs: 1000 },
  ]),
);
say('demo', 'termination report:');
console.log(
  JSON.stringify(
    {
      status: report.status,
      endedBy: report.endedBy,
      forced: report.forced,
      durationMs: Math.round(report.durationMs),
      signalsSent: report.signalsSent,
      attempts: report.attempts.map((a) =>
        a.kind === 'timedOut' && a.holdouts !== undefined
          ? `${a.signal} timed out; still alive: ${a.holdouts.map((h) => `${h.pid} ${h.command} (${h.disposition})`).join(', ')}`
          : `${a.kind} ${a.signal}`,
      ),
      snapshot: report.snapshot.map((m) => `${m.pid} ${m.command}${m.inGroup === false ? ' (escapee)' : ''}`),
      survivorsKilled: report.survivorsKilled.map((m) => m.pid),
      stillAlive: report.stillAlive.map((m) => m.pid),
    },
    null,
    2,
  ),
);

// 4. Stop the server with the default escalation (SIGINT 2 s → SIGTERM 3 s → SIGKILL): it has no handler, so
//    the first signal ends it at once.
await server.terminate();
console.log(`\n${clock()}  done; nothing left running.`);
