import type { SchedulerLike } from 'rxjs';
import type { GracefulShutdown } from '../termination/graceful-shutdown.js';

/**
 * What a dependent waits for before it starts:
 * - `started`: the dependency's process was spawned;
 * - `ready`: its readiness probe passed (or it was spawned, when it has no probe);
 * - `completed`: it exited, with any status, and will not be restarted;
 * - `succeeded`: it exited with code 0 and will not be restarted.
 *
 * A dependency that can no longer meet the condition (it failed, was skipped, exited before it was ready, exited
 * non-zero for `succeeded`) marks its dependents `skipped` with the reason: nothing waits forever.
 */
export type DependencyCondition = 'started' | 'ready' | 'completed' | 'succeeded';

/** Timing shared by every probe. All durations in milliseconds. */
export interface ProbeTiming {
  /** Wait before the first attempt. Default 0. */
  readonly initialDelayMs?: number;
  /** Time between the end of an attempt and the start of the next. Default 1000 (readiness), 10 000 (liveness). */
  readonly intervalMs?: number;
  /** Upper bound of one attempt; a slower attempt counts as failed. Default 1000. */
  readonly attemptTimeoutMs?: number;
  /**
   * Readiness only: the whole probe fails when the service is not ready this long after its spawn. Default 60 000;
   * `null` waits as long as the service runs.
   */
  readonly timeoutMs?: number | null;
  /**
   * Consecutive failed attempts that fail the probe. Default: unlimited for readiness (only `timeoutMs` ends it),
   * 3 for liveness.
   */
  readonly failureThreshold?: number;
}

/** Ready when a line of the service's output matches (lines printed before the probe began count too). */
export interface LogProbe extends ProbeTiming {
  /**
   * A regular expression, or its source as a string (compiled with no flags; an invalid one is a configuration
   * error). Escape metacharacters to match them literally: `'listening on port \\d+'`, `'ready \\(v2\\)'`.
   */
  readonly log: RegExp | string;
  /** Which output to watch. Default `'both'`. */
  readonly stream?: 'stdout' | 'stderr' | 'both';
}

/** Ready when a TCP connection to the port is accepted. */
export interface TcpProbe extends ProbeTiming {
  readonly tcp: {
    readonly port: number;
    /** Default `'127.0.0.1'`. */
    readonly host?: string;
  };
}

/** Ready when an HTTP GET answers with an accepted status (and, if given, a body matching `body`). */
export interface HttpProbe extends ProbeTiming {
  readonly http: {
    /** An `http:` or `https:` URL. */
    readonly url: string;
    /** Statuses that count as success. Default: 200–399. */
    readonly statuses?: readonly number[];
    /** A regular expression the body must match. */
    readonly body?: RegExp;
    /** Request headers. */
    readonly headers?: Readonly<Record<string, string>>;
  };
}

/** Ready when a command exits with code 0 (it is terminated when the attempt times out). */
export interface ExecProbe extends ProbeTiming {
  readonly exec: {
    readonly command: string;
    readonly args?: readonly string[];
    /** Run `command` through a shell, as for the service. Default `false`. */
    readonly shell?: boolean | string;
    /** Default: the service's working directory. */
    readonly cwd?: string;
  };
}

/** A readiness or liveness probe: exactly one of `log`, `tcp`, `http`, `exec`. */
export type ProbeConfig = LogProbe | TcpProbe | HttpProbe | ExecProbe;

/** Which probe a {@link ProbeConfig} is. */
export type ProbeKind = 'log' | 'tcp' | 'http' | 'exec';

/**
 * When a service that ended is started again:
 * - `no`: never;
 * - `on-failure`: when it exited with a non-zero code or died by a signal rxproc did not send;
 * - `always`: after every exit;
 * - `unless-stopped`: after every exit except a death by a signal that someone outside rxproc sent (an operator's
 *   `kill`): the operator stopped it, so it stays stopped.
 *
 * A stop that rxproc requested (`stop()`, `stopService()`, a parent signal) never leads to a restart.
 */
export type RestartPolicy = 'no' | 'on-failure' | 'always' | 'unless-stopped';

/** Exponential backoff between restarts. */
export interface BackoffConfig {
  /** The first delay. Default 500. */
  readonly initialMs?: number;
  /** The largest delay. Default 30 000. */
  readonly maxMs?: number;
  /** Each delay is the previous one times this. Default 2. */
  readonly factor?: number;
  /**
   * Random spread, as a fraction of the delay: 0.2 draws each delay from ±20 % around its value. Default 0.1; 0
   * for exact delays.
   */
  readonly jitter?: number;
  /** A run that lasted this long resets the backoff and the restart count. Default 30 000. */
  readonly resetAfterMs?: number;
}

/**
 * What the supervisor does when a service's restarts run out (or a service without restarts fails):
 * - `ignore`: the service is `failed`; its dependents that still wait are skipped, the others keep running;
 * - `stop-dependents`: its dependents (transitively) are also stopped;
 * - `shutdown`: the whole supervisor stops in order.
 */
export type FailurePolicy = 'ignore' | 'stop-dependents' | 'shutdown';

/** Restarts of one service. */
export interface RestartConfig {
  readonly policy: RestartPolicy;
  /** Restarts allowed within `windowMs` (or since the last reset). Default 5; `Infinity` for no limit. */
  readonly maxRestarts?: number;
  /** The sliding window `maxRestarts` counts in. Default: unbounded (counted since the last reset). */
  readonly windowMs?: number;
  readonly backoff?: BackoffConfig;
  /** Default `'ignore'`. */
  readonly onExhausted?: FailurePolicy;
}

/** One service: a command, how it is started, checked, restarted and stopped. */
export interface ServiceConfig {
  /** The program (or, with `shell`, the command line). */
  readonly command: string;
  readonly args?: readonly string[];
  /** Run through a shell: `true` for `/bin/sh -c`, or the shell's path. Default `false`. */
  readonly shell?: boolean | string;
  readonly cwd?: string;
  /** Added to the supervisor's environment (and to the supervisor-wide `env`). */
  readonly env?: Readonly<Record<string, string>>;
  /** Prepend `node_modules/.bin` directories to PATH. Default `false`. */
  readonly preferLocal?: boolean;
  /** Services this one waits for, with the condition each must meet. */
  readonly dependsOn?: Readonly<Record<string, DependencyCondition>>;
  /** Readiness probe. Without one, a service is ready once spawned. */
  readonly ready?: ProbeConfig;
  /** Liveness probe, run after the service is ready: `failureThreshold` failures in a row restart the service. */
  readonly liveness?: ProbeConfig;
  /** A policy name or a full configuration. Default `'no'`. */
  readonly restart?: RestartPolicy | RestartConfig;
  /** How the service is stopped. Default: the supervisor's `shutdown`, else SIGTERM 10 s. */
  readonly shutdown?: GracefulShutdown;
  /**
   * Run `n` instances, named `name.1` … `name.n`, each with `RXPROC_REPLICA` (1-based) and `RXPROC_REPLICAS` in
   * its environment. A dependency on `name` waits for every instance. Default 1 (no suffix).
   */
  readonly replicas?: number;
  /** Start with the supervisor. `false` leaves it `stopped` until `startService()`. Default `true`. */
  readonly autostart?: boolean;
}

/** Everything {@link supervise} runs. */
export interface SupervisorConfig {
  /** Services by name. Names: letters, digits, `_`, `-`, `:`; no dots (reserved for replicas). */
  readonly services: Readonly<Record<string, ServiceConfig>>;
  /** Environment added to every service's. */
  readonly env?: Readonly<Record<string, string>>;
  /** The default `shutdown` of services that have none. */
  readonly shutdown?: GracefulShutdown;
  /** The default `restart` of services that have none. */
  readonly restart?: RestartPolicy | RestartConfig;
}

/** Options of {@link supervise}. */
export interface SupervisorOptions {
  /** Aborting it stops the supervisor in order, like `stop()`. */
  readonly signal?: AbortSignal;
  /** Every timer (probes, backoff, coalescing) runs on it; a `TestScheduler` makes time virtual. */
  readonly scheduler?: SchedulerLike;
  /**
   * What this process's SIGINT, SIGTERM and SIGHUP do. `'stop'` (default): the first starts the ordered stop, a
   * second kills every service at once; afterwards, unless the application listens for that signal itself, this
   * process ends by the signal (exit status 128 + n). `'none'`: the supervisor ignores them (the application
   * calls `stop()`); services still never receive a terminal's Ctrl-C directly.
   */
  readonly parentSignals?: 'stop' | 'none';
  /** How often `state$` may emit at most, in milliseconds (changes in between are coalesced). Default 100. */
  readonly stateIntervalMs?: number;
  /** Usage sampling interval; `false` turns sampling off. Default 1000. */
  readonly usageIntervalMs?: number | false;
  /** Lines `output$` replays to late subscribers. Default 1000. */
  readonly outputReplay?: number;
  /** Events `events$` replays to late subscribers. Default 1000. */
  readonly eventReplay?: number;
  /** Longest line kept, in characters; longer ones are cut and marked `truncated`. Default 16 384. */
  readonly maxLineLength?: number;
  /**
   * Stop by itself once every service ended on its own (completed, failed or skipped): `stopped` resolves with the
   * reason `allEnded`. Default `true`; `false` keeps the supervisor until `stop()` (a dashboard that stays open).
   */
  readonly endWhenAllEnded?: boolean;
}
