/**
 * Case (b): `children` services printing `rate` lines per second each for `seconds` (then exiting by themselves),
 * every line counted by the parent. Figures per run: the worker's CPU per 1,000 lines received, over the whole run
 * and over the steady window between the two RSS samples (`rssEarlyS` and `rssLateS` after the start, when every
 * child runs); the RSS at both and its growth between them; lines expected, received and lost; the rate received.
 */
import { spawn as nodeSpawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Supervisor, SupervisorConfig } from '../../../src/index.js';
import { measureRun } from '../../lib/single-run.js';
import { elapsedMs, nowNs } from '../../lib/timing.js';
import type { Measurement, Task, TaskParams } from '../../lib/types.js';
import { killQuietly } from '../termination/harness.js';
import { rxproc } from '../termination/rxproc.js';
import { FLOOD, RAW_OPTIONS, floodArgs } from './config.js';

interface FloodParams {
  readonly children: number;
  readonly rate: number;
  readonly seconds: number;
  readonly batch: number;
  readonly rssEarlyS: number;
  readonly rssLateS: number;
}

/** A running flood: `done` resolves once every child ended and all its output was read. */
interface FloodRun {
  readonly done: Promise<void>;
  /** Figures of the variant's own (such as `state$` emissions), read after `done`. */
  extras(): Readonly<Record<string, number>>;
  /** Best-effort SIGKILL of whatever may still run; never throws. */
  cleanup(): void;
}

interface FloodVariant {
  /** Loads what the variant needs, untimed. */
  warmup(): Promise<void>;
  /** Starts every child; `count(name)` for every line read from child `name`. */
  start(names: readonly string[], params: FloodParams, count: (name: string) => void): FloodRun;
}

function floodParams(params: TaskParams): FloodParams {
  return {
    children: params.children ?? FLOOD.children,
    rate: params.rate ?? FLOOD.rate,
    seconds: params.seconds ?? FLOOD.seconds,
    batch: params.batch ?? FLOOD.batch,
    rssEarlyS: params.rssEarlyS ?? FLOOD.rssEarlyS,
    rssLateS: params.rssLateS ?? FLOOD.rssLateS,
  };
}

interface Point {
  readonly atMs: number;
  readonly cpuMs: number;
  readonly lines: number;
  readonly rssBytes: number;
}

const MIB = 2 ** 20;

async function measureFlood(taskParams: TaskParams, variant: FloodVariant): Promise<Measurement> {
  const params = floodParams(taskParams);
  const names = Array.from({ length: params.children }, (_, i) => `svc-${String(i + 1).padStart(3, '0')}`);
  const perChild = new Map<string, number>(names.map((name) => [name, 0]));
  let lines = 0;
  const count = (name: string): void => {
    lines += 1;
    perChild.set(name, (perChild.get(name) ?? 0) + 1);
  };
  let run: FloodRun | undefined;
  try {
    return await measureRun(
      () => variant.warmup(),
      async () => {
        const begin = nowNs();
        const point = (): Point => {
          const cpu = process.cpuUsage();
          return {
            atMs: elapsedMs(begin),
            cpuMs: (cpu.user + cpu.system) / 1000,
            lines,
            rssBytes: process.memoryUsage.rss(),
          };
        };
        const first = point();
        run = variant.start(names, params, count);
        const sampleAt = async (seconds: number): Promise<Point> => {
          await sleep(seconds * 1000 - elapsedMs(begin));
          return point();
        };
        const early = sampleAt(params.rssEarlyS);
        const late = sampleAt(params.rssLateS);
        await run.done;
        const last = point();
        const [e, l] = [await early, await late];
        const expected = params.children * params.rate * params.seconds;
        const short = [...perChild.values()].filter((n) => n !== params.rate * params.seconds).length;
        const windowS = (l.atMs - e.atMs) / 1000;
        return {
          timeMs: last.atMs,
          extras: {
            linesExpected: expected,
            linesReceived: lines,
            linesLost: expected - lines,
            childrenShort: short,
            steadyLinesPerS: (l.lines - e.lines) / windowS,
            cpuMsPer1kLines: (last.cpuMs - first.cpuMs) / (lines / 1000),
            steadyCpuMsPer1kLines: (l.cpuMs - e.cpuMs) / ((l.lines - e.lines) / 1000),
            steadyCpuPercent: ((l.cpuMs - e.cpuMs) / (l.atMs - e.atMs)) * 100,
            rssEarlyMiB: e.rssBytes / MIB,
            rssLateMiB: l.rssBytes / MIB,
            rssSteadyGrowthMiB: (l.rssBytes - e.rssBytes) / MIB,
            ...run.extras(),
          },
        };
      },
    );
  } finally {
    run?.cleanup();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// raw: node:child_process + readline

const rawFlood: FloodVariant = {
  warmup: () => Promise.resolve(),
  start(names, params, count) {
    const children = names.map((name) => {
      const child = nodeSpawn('perl', floodArgs(name, params), RAW_OPTIONS);
      let done = false;
      const closed = once(child, 'close').then(() => {
        done = true;
      });
      child.stderr!.resume();
      createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', () => count(name));
      return { pid: child.pid, closed, isDone: () => done };
    });
    return {
      done: Promise.all(children.map((child) => child.closed)).then(() => undefined),
      extras: () => ({}),
      cleanup: () => {
        for (const child of children) if (!child.isDone() && child.pid !== undefined) killQuietly(-child.pid);
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// rxproc: supervise(), output$ and state$ subscribed

function rxprocFlood(): FloodVariant {
  let rx: Awaited<ReturnType<typeof rxproc>> | undefined;
  return {
    warmup: async () => {
      rx = await rxproc();
      await import('rxjs');
    },
    start(names, params, count) {
      const services: Record<string, SupervisorConfig['services'][string]> = {};
      for (const name of names) services[name] = { command: 'perl', args: floodArgs(name, params) };
      const sup: Supervisor = rx!.supervise({ services }, { parentSignals: 'none' });
      let stateEmissions = 0;
      const output = sup.output$.subscribe((line) => count(line.service));
      const state = sup.state$.subscribe(() => {
        stateEmissions += 1;
      });
      const done = sup.stopped.then((report) => {
        output.unsubscribe();
        state.unsubscribe();
        const notCompleted = sup.state.services.filter(
          (service) => service.status !== 'completed' || service.exitStatus?.code !== 0,
        );
        if (report.reason.type !== 'allEnded' || notCompleted.length > 0)
          throw new Error(
            `supervisor stopped by ${report.reason.type}; ${notCompleted.length} service(s) not completed with code 0`,
          );
      });
      return {
        done,
        extras: () => ({ stateEmissions }),
        cleanup: () => {
          if (sup.state.phase !== 'stopped') void sup.kill();
        },
      };
    },
  };
}

export const floodTasks: Record<string, Task> = {
  floodRaw: (params) => measureFlood(params, rawFlood),
  floodRxproc: (params) => measureFlood(params, rxprocFlood()),
};
