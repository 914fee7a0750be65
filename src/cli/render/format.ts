/**
 * Texts shared by the line and TUI renderers: durations, sizes, clock times and the lifecycle sentence of each
 * supervisor event.
 */
import type { ShutdownReason, SupervisorEvent } from '../../index.js';

/** `0.3 s`, `1.2 s`, `4 s`, `12 s`, `4 min 5 s`: short and human, one decimal under 10 s. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${Math.round(s * 10) / 10} s`; // 4 s, 0.3 s: no trailing .0
  if (s < 60) return `${Math.round(s)} s`;
  const whole = Math.floor(s);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`;
}

/** A compact uptime for table cells: `45s`, `12m05s`, `3h07m`, `2d04h`. */
export function formatUptime(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d${pad(Math.floor((s % 86400) / 3600))}h`;
}

/** Bytes in binary units with one decimal from MB up: `512 KB`, `34.5 MB`, `1.2 GB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${Math.round(bytes / 1024)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

/** Local wall-clock time `HH:MM:SS.mmm` of an epoch-ms instant. */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** `SIGINT`, `requested`, `api failed`: why a shutdown began, for people. */
export function describeShutdownReason(reason: ShutdownReason): string {
  switch (reason.type) {
    case 'signal':
      return reason.signal;
    case 'request':
      return 'requested';
    case 'abort':
      return 'aborted';
    case 'allEnded':
      return 'every service ended';
    case 'serviceFailed':
      return `${reason.service} failed`;
    case 'serviceEnded':
      return `${reason.service} ended`;
  }
}

/** `exited 0`, `exited 1`, `killed by SIGKILL`. */
export function describeExit(status: {
  readonly code: number | null;
  readonly signal: string | null;
}): string {
  return status.code !== null ? `exited ${status.code}` : `killed by ${status.signal ?? 'a signal'}`;
}

/** `3/5`, or `3/∞` when restarts are unlimited. */
export function formatRestarts(restarts: number, max: number): string {
  return `${restarts}/${Number.isFinite(max) ? max : '∞'}`;
}

/**
 * The lifecycle sentence of an event (without the service prefix), or `undefined` for events that the line and
 * log views leave out: raw `process` events, `status` changes (the specific events already say it) and probe
 * successes (noise at every interval).
 */
export function lifecycleText(event: SupervisorEvent): string | undefined {
  switch (event.type) {
    case 'started':
      return event.run > 1 ? `started (pid ${event.pid}, run ${event.run})` : `started (pid ${event.pid})`;
    case 'ready':
      return `ready in ${formatDuration(event.afterMs)}`;
    case 'exited':
      return event.expected ? `${describeExit(event.status)} (expected)` : describeExit(event.status);
    case 'restartScheduled':
      return restartText(event.restart, event.maxRestarts, event.delayMs);
    case 'failed':
      return `failed: ${event.reason}`;
    case 'skipped':
      return `skipped: ${event.reason}`;
    case 'probe':
      // Readiness attempts fail as a matter of course while a service starts: lines mode shows the verdict (ready,
      // or failed with the reason), NDJSON every attempt.
      if (event.ok || event.probe === 'readiness') return undefined;
      return `${event.probe} probe (${event.kind}) failed ×${event.failures}${event.error ? `: ${event.error}` : ''}`;
    case 'stopping':
      return event.holdouts.length > 0 ? `stopping (holdouts: ${event.holdouts.join(', ')})` : 'stopping';
    case 'stopped': {
      const { report } = event;
      if (report.outcome === 'notRunning') return 'stopped (was not running)';
      if (report.outcome === 'failed') return `stop failed: ${report.error?.message ?? 'unknown error'}`;
      const r = report.report;
      if (r === undefined) return 'stopped';
      const by = r.endedBy === 'alreadyExited' ? 'already exited' : r.endedBy;
      const left =
        r.stillAlive.length > 0 ? `, still alive: ${r.stillAlive.map((p) => p.pid).join(', ')}` : '';
      return `stopped (${by}, ${formatDuration(r.durationMs)}${r.forced ? ', forced' : ''}${left})`;
    }
    case 'shutdown':
      return event.stage === 'started'
        ? `stopping all (${describeShutdownReason(event.reason)})${event.reason.type === 'allEnded' ? '' : ' — press Ctrl-C again to kill'}`
        : 'killing all (second request)';
    case 'shutdownCompleted': {
      const { report } = event;
      return `all stopped in ${formatDuration(report.durationMs)}${report.forced ? ' (forced)' : ''}`;
    }
    case 'process':
    case 'status':
      return undefined;
  }
}

/** `restart 3/5 in 4 s`. */
export function restartText(restart: number, maxRestarts: number, delayMs: number): string {
  return `restart ${formatRestarts(restart, maxRestarts)} in ${formatDuration(delayMs)}`;
}
