/**
 * Case (a): one root service `db` and `services − 1` dependents waiting for it to be ready, each up once it printed
 * `ready`; the timed part runs from the first spawn until all are ready (`startMs`), then stops the dependents in
 * parallel by SIGTERM and `db` last (`stopMs`), until every process is confirmed gone. An untimed warm-up fan-out
 * of `warmup` services runs the same way first. Every pid is checked gone in `/proc` afterwards (untimed).
 */
import { spawn as nodeSpawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Supervisor, SupervisorConfig, SupervisorReport } from '../../../src/index.js';
import { measureRun } from '../../lib/single-run.js';
import { elapsedMs, nowNs } from '../../lib/timing.js';
import type { Measurement, Task, TaskParams } from '../../lib/types.js';
import { stillAlive } from '../many/proc.js';
import { killQuietly } from '../termination/harness.js';
import { rxproc } from '../termination/rxproc.js';
import { FAN_OUT, RAW_OPTIONS, READY_LINE, SERVICE_SCRIPT, SIGTERM_TIMEOUT_MS } from './config.js';

/** What one timed fan-out leaves for the untimed checks. */
interface FanOutRun {
  readonly startMs: number;
  readonly stopMs: number;
  /** Every pid the run started, checked gone afterwards. */
  readonly pids: readonly number[];
  /** Throws unless the variant's own view says every service ended as it should. */
  check(): void;
  /** Best-effort SIGKILL of whatever may still run; never throws. */
  cleanup(): void;
}

type FanOutVariant = (services: number) => Promise<FanOutRun>;

/** `db`, then `svc-01` … for the dependents. */
function dependentNames(services: number): string[] {
  return Array.from({ length: services - 1 }, (_, i) => `svc-${String(i + 1).padStart(2, '0')}`);
}

function checkGone(pids: readonly number[]): void {
  const alive = stillAlive(pids);
  if (alive.length > 0)
    throw new Error(`${alive.length} service process(es) still alive: ${alive.join(' ')}`);
}

async function measureFanOut(params: TaskParams, variant: FanOutVariant): Promise<Measurement> {
  let run: FanOutRun | undefined;
  const runs: FanOutRun[] = [];
  const once = async (services: number): Promise<FanOutRun> => {
    const result = await variant(services);
    runs.push(result);
    return result;
  };
  try {
    const measurement = await measureRun(
      async () => {
        const warm = await once(params.warmup ?? FAN_OUT.warmup);
        warm.check();
        checkGone(warm.pids);
      },
      async () => {
        run = await once(params.services ?? FAN_OUT.services);
        return { timeMs: run.startMs + run.stopMs, extras: { startMs: run.startMs, stopMs: run.stopMs } };
      },
    );
    run!.check();
    checkGone(run!.pids);
    return measurement;
  } finally {
    for (const r of runs) r.cleanup();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// raw: node:child_process by hand

interface RawService {
  readonly pid: number;
  readonly ready: Promise<void>;
  readonly exited: Promise<NodeJS.Signals | null>;
  isDone(): boolean;
}

/** Spawns the service in its own group; `ready` resolves on its `ready` line, rejects if it ends before. */
function startRawService(): RawService {
  const child = nodeSpawn('sh', ['-c', SERVICE_SCRIPT], RAW_OPTIONS);
  let done = false;
  const exited = once(child, 'exit').then(([, signal]) => {
    done = true;
    return signal as NodeJS.Signals | null;
  });
  child.stderr!.resume();
  const lines = createInterface({ input: child.stdout!, crlfDelay: Infinity });
  const ready = new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.includes(READY_LINE)) resolve();
    });
    exited.then(() => reject(new Error('service ended before it was ready')), reject);
  });
  ready.catch(() => undefined); // awaited by the caller; a cleanup path must not see an unhandled rejection
  if (child.pid === undefined) throw new Error('spawn failed');
  return { pid: child.pid, ready, exited, isDone: () => done };
}

async function stopRaw(services: readonly RawService[]): Promise<(NodeJS.Signals | null)[]> {
  for (const service of services) process.kill(-service.pid, 'SIGTERM');
  return Promise.all(services.map((service) => service.exited));
}

const rawFanOut: FanOutVariant = async (count) => {
  const started: RawService[] = [];
  const signals: (NodeJS.Signals | null)[] = [];
  const cleanup = (): void => {
    for (const service of started) if (!service.isDone()) killQuietly(-service.pid);
  };
  const begin = nowNs();
  let startMs: number;
  let stopMs: number;
  try {
    const db = startRawService();
    started.push(db);
    await db.ready;
    const dependents = dependentNames(count).map(() => startRawService());
    started.push(...dependents);
    await Promise.all(dependents.map((service) => service.ready));
    startMs = elapsedMs(begin);
    const stopBegin = nowNs();
    signals.push(...(await stopRaw(dependents)));
    signals.push(...(await stopRaw([db])));
    stopMs = elapsedMs(stopBegin);
  } catch (error) {
    cleanup();
    throw error;
  }
  return {
    startMs,
    stopMs,
    pids: started.map((service) => service.pid),
    check: () => {
      const wrong = signals.filter((signal) => signal !== 'SIGTERM');
      if (signals.length !== count || wrong.length > 0)
        throw new Error(`${wrong.length} of ${signals.length} services not ended by SIGTERM`);
    },
    cleanup,
  };
};

// ---------------------------------------------------------------------------------------------------------------
// rxproc: supervise()

function fanOutConfig(rx: Awaited<ReturnType<typeof rxproc>>, count: number): SupervisorConfig {
  const service = { command: 'sh', args: ['-c', SERVICE_SCRIPT], ready: { log: READY_LINE } } as const;
  const services: Record<string, SupervisorConfig['services'][string]> = { db: service };
  for (const name of dependentNames(count)) services[name] = { ...service, dependsOn: { db: 'ready' } };
  return { services, shutdown: rx.GracefulShutdown.sigterm(SIGTERM_TIMEOUT_MS) };
}

function checkReport(report: SupervisorReport, count: number): void {
  if (report.services.length !== count)
    throw new Error(`stop report lists ${report.services.length} services, expected ${count}`);
  for (const service of report.services) {
    const r = service.report;
    if (service.outcome !== 'terminated' || r === undefined || r.stillAlive.length > 0 || r.forced)
      throw new Error(
        `${service.service}: outcome ${service.outcome}, forced ${String(r?.forced)}, ${r?.stillAlive.length ?? '?'} still alive`,
      );
  }
  const last = report.services.at(-1)?.service;
  if (last !== 'db') throw new Error(`db was not stopped last (last: ${String(last)})`);
}

function rxprocFanOut(usageIntervalMs: number | false): FanOutVariant {
  return async (count) => {
    const rx = await rxproc();
    const config = fanOutConfig(rx, count);
    const begin = nowNs();
    const sup: Supervisor = rx.supervise(config, { parentSignals: 'none', usageIntervalMs });
    try {
      await sup.ready();
    } catch (error) {
      await sup.kill();
      throw error;
    }
    const startMs = elapsedMs(begin);
    const pids = sup.state.services.map((service) => service.pid).filter((pid) => pid !== undefined);
    const stopBegin = nowNs();
    const report = await sup.stop();
    const stopMs = elapsedMs(stopBegin);
    return {
      startMs,
      stopMs,
      pids,
      check: () => {
        if (pids.length !== count) throw new Error(`${pids.length} pids seen running, expected ${count}`);
        checkReport(report, count);
      },
      cleanup: () => {
        if (sup.state.phase !== 'stopped') void sup.kill();
        for (const pid of stillAlive(pids)) killQuietly(-pid);
      },
    };
  };
}

export const fanOutTasks: Record<string, Task> = {
  fanOutRaw: (params) => measureFanOut(params, rawFanOut),
  fanOutRxproc: (params) => measureFanOut(params, rxprocFanOut(false)),
  fanOutRxprocSampled: (params) => measureFanOut(params, rxprocFanOut(1000)),
};
