/**
 * The `ndjson` output mode: one JSON object per line, `{"v":1,"t":…,"type":…}`, for tools. Field names are
 * stable within `v: 1`; see docs/ndjson.md.
 */
import type { Observable } from 'rxjs';
import { Subscription } from 'rxjs';
import type { OutputLine, SupervisorEvent, SupervisorState } from '../../index.js';
import type { ServiceStopReport, ShutdownReason } from '../../index.js';
import { LineBatcher } from './sink.js';
import type { FlushScheduler, TextSink } from './sink.js';

/** The version of the record format; bumped only when a field changes meaning or disappears. */
export const NDJSON_VERSION = 1;

/** One record's fields (besides `v` and `t`, which every record has). */
export type NdjsonFields = { readonly type: string; readonly service?: string } & Readonly<
  Record<string, unknown>
>;

/** Options of {@link ndjsonRenderer}. */
export interface NdjsonOptions {
  /** Where records go: a function, or a stream whose `write` returning `false` pauses writing until `drain`. */
  readonly write: TextSink;
  /** Wall-clock epoch ms for `t`. Default `Date.now`. */
  readonly now?: () => number;
  /** The least time between two `usage` records of one service. Default 1000 ms. */
  readonly usageIntervalMs?: number;
  /** When to flush a batch. Default: `setImmediate`. */
  readonly schedule?: FlushScheduler;
}

/** The streams {@link NdjsonRenderer.attach} reads. */
export interface NdjsonSources {
  readonly output$: Observable<OutputLine>;
  readonly events$: Observable<SupervisorEvent>;
  readonly state$?: Observable<SupervisorState>;
}

/** An `ndjson` renderer; see {@link ndjsonRenderer}. */
export interface NdjsonRenderer {
  /** Writes every record until unsubscribed (which flushes what is pending). */
  attach(sources: NdjsonSources): Subscription;
  /** Writes what is pending now. */
  flush(): void;
}

/** The record fields of an output line. */
export function outputRecord(line: OutputLine): NdjsonFields {
  return {
    type: 'output',
    service: line.service,
    stream: line.stream,
    line: line.line,
    truncated: line.truncated,
  };
}

/**
 * The record fields of an event, or `undefined` for raw `process` events other than signal deliveries (the
 * supervisor's own events already say what they mean).
 */
export function eventRecord(event: SupervisorEvent): NdjsonFields | undefined {
  switch (event.type) {
    case 'process': {
      const e = event.event;
      if (e.type === 'signalSent')
        return { type: 'signal', service: event.service, signal: e.signal, cause: e.cause, ok: true };
      if (e.type === 'signalFailed')
        return {
          type: 'signal',
          service: event.service,
          signal: e.signal,
          cause: e.cause,
          ok: false,
          code: e.code,
        };
      return undefined;
    }
    case 'status':
      return {
        type: 'state',
        service: event.service,
        status: event.status,
        previous: event.previous,
        reason: event.reason ?? null,
      };
    case 'started':
      return { type: 'started', service: event.service, pid: event.pid, run: event.run };
    case 'ready':
      return { type: 'ready', service: event.service, afterMs: event.afterMs };
    case 'probe':
      return {
        type: 'probe',
        service: event.service,
        probe: event.probe,
        kind: event.kind,
        ok: event.ok,
        failures: event.failures,
        error: event.error ?? null,
      };
    case 'exited':
      return {
        type: 'exited',
        service: event.service,
        code: event.status.code,
        signal: event.status.signal,
        expected: event.expected,
      };
    case 'restartScheduled':
      return {
        type: 'restart',
        service: event.service,
        restart: event.restart,
        maxRestarts: Number.isFinite(event.maxRestarts) ? event.maxRestarts : null,
        delayMs: event.delayMs,
      };
    case 'skipped':
    case 'failed':
      return { type: event.type, service: event.service, reason: event.reason };
    case 'stopping':
      return { type: 'stopping', service: event.service, holdouts: event.holdouts };
    case 'stopped':
      return { type: 'stopped', ...stopRecord(event.report) };
    case 'shutdown':
      return { type: 'shutdown', stage: event.stage, reason: reasonRecord(event.reason) };
    case 'shutdownCompleted': {
      const r = event.report;
      return {
        type: 'report',
        reason: reasonRecord(r.reason),
        forced: r.forced,
        durationMs: r.durationMs,
        services: r.services.map(stopRecord),
      };
    }
  }
}

function stopRecord(s: ServiceStopReport): Record<string, unknown> {
  const r = s.report;
  return {
    service: s.service,
    outcome: s.outcome,
    statusBefore: s.statusBefore,
    endedBy: r?.endedBy ?? null,
    forced: r?.forced ?? false,
    durationMs: r?.durationMs ?? null,
    signalsSent: r?.signalsSent ?? [],
    stillAlive: r?.stillAlive.map((p) => p.pid) ?? [],
    error: s.error?.message ?? null,
  };
}

function reasonRecord(reason: ShutdownReason): Record<string, unknown> {
  return { ...reason };
}

/** Creates an `ndjson` renderer (nothing is written until {@link NdjsonRenderer.attach}). */
export function ndjsonRenderer(options: NdjsonOptions): NdjsonRenderer {
  const now = options.now ?? Date.now;
  const usageInterval = options.usageIntervalMs ?? 1000;
  const batcher = new LineBatcher(options.write, options.schedule);
  const lastUsage = new Map<string, number>();

  // `v` and `t` first, so a reader skimming the raw stream sees the version and time at the start of every line.
  const emit = (fields: NdjsonFields | undefined): void => {
    if (fields !== undefined) batcher.push(JSON.stringify({ v: NDJSON_VERSION, t: now(), ...fields }) + '\n');
  };

  const onState = (state: SupervisorState): void => {
    const t = now();
    for (const s of state.services) {
      if (s.usage === undefined) continue;
      const last = lastUsage.get(s.name);
      if (last !== undefined && t - last < usageInterval) continue;
      lastUsage.set(s.name, t);
      emit({
        type: 'usage',
        service: s.name,
        cpuPercent: s.usage.cpuPercent,
        rssBytes: s.usage.rssBytes,
        processes: s.usage.processes,
      });
    }
  };

  return {
    flush: () => batcher.flush(),
    attach(sources) {
      const subscription = new Subscription();
      subscription.add(sources.output$.subscribe((line) => emit(outputRecord(line))));
      subscription.add(sources.events$.subscribe((event) => emit(eventRecord(event))));
      if (sources.state$ !== undefined) subscription.add(sources.state$.subscribe(onState));
      subscription.add(() => batcher.flush());
      return subscription;
    },
  };
}
