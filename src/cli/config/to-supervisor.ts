/** A schema-checked config turned into the supervisor's types: milliseconds, RegExps, GracefulShutdowns. */
import { resolve } from 'node:path';
import { validateTerminationSignal } from '../../core/signals.js';
import type {
  BackoffConfig,
  DependencyCondition,
  ProbeConfig,
  ProbeTiming,
  RestartConfig,
  RestartPolicy,
  ServiceConfig,
  SupervisorConfig,
} from '../../index.js';
import { GracefulShutdown, type ShutdownPhase } from '../../index.js';
import { toMilliseconds } from './duration.js';
import { readEnvFiles, type Environment } from './env-file.js';
import {
  CONDITION_ALIASES,
  type ConfigInput,
  type ProbeInput,
  type ProcessInput,
  type RestartInput,
  type StopInput,
} from './schema.js';
import type { KeyPath, RawProblem } from './types.js';

/** The grace of a `stop:` that names only a signal, as the supervisor's own default. */
const DEFAULT_GRACE_MS = 10_000;

/** What the mapping produces besides problems. */
export interface Mapped {
  readonly config: SupervisorConfig;
  readonly exitOnEnd: ReadonlySet<string>;
}

/**
 * Converts a config the schema accepted. Values the schema cannot judge (signal names, env files on disk) become
 * problems in `problems`; the result is only meaningful when none were added.
 */
export function toSupervisorConfig(
  input: ConfigInput,
  dir: string,
  outer: Environment,
  problems: RawProblem[],
): Mapped {
  const topEnv = {
    ...readEnvFiles(input.env_file, dir, ['env_file'], outer, problems),
    ...stringEnv(input.env),
  };
  const services: Record<string, ServiceConfig> = {};
  const exitOnEnd = new Set<string>();
  for (const [name, process] of Object.entries(input.processes)) {
    const path = ['processes', name];
    services[name] = toService(process, path, dir, { ...outer, ...topEnv }, problems);
    if (process.exit_on_end === true) exitOnEnd.add(name);
  }
  const defaults = input.defaults;
  const config: SupervisorConfig = compact({
    services,
    env: Object.keys(topEnv).length > 0 ? topEnv : undefined,
    shutdown: defaults?.stop && toShutdown(defaults.stop, ['defaults', 'stop'], problems),
    restart: defaults?.restart && toRestart(defaults.restart),
  });
  return { config, exitOnEnd };
}

function toService(
  p: ProcessInput,
  path: KeyPath,
  dir: string,
  outer: Environment,
  problems: RawProblem[],
): ServiceConfig {
  const env = {
    ...readEnvFiles(p.env_file, dir, [...path, 'env_file'], outer, problems),
    ...stringEnv(p.env),
  };
  const run = toCommand(p.command, p.args ?? []);
  return compact({
    ...run,
    cwd: resolve(dir, p.cwd ?? '.'),
    env: Object.keys(env).length > 0 ? env : undefined,
    dependsOn: p.depends_on && toDependsOn(p.depends_on),
    ready: p.ready && toProbe(p.ready),
    liveness: p.liveness && toProbe(p.liveness),
    restart: p.restart && toRestart(p.restart),
    shutdown: p.stop && toShutdown(p.stop, [...path, 'stop'], problems),
    replicas: p.replicas,
    autostart: p.autostart,
  });
}

/** A string runs through `/bin/sh -c` (extra args shell-quoted onto it); a list runs directly. */
function toCommand(
  command: string | readonly string[],
  extra: readonly string[],
): Pick<ServiceConfig, 'command' | 'args' | 'shell'> {
  if (typeof command === 'string') {
    const line = extra.length > 0 ? `${command} ${extra.map(shellQuote).join(' ')}` : command;
    return { command: line, shell: true };
  }
  const args = [...command.slice(1), ...extra];
  return compact({ command: command[0]!, args: args.length > 0 ? args : undefined });
}

/** POSIX single quoting: safe for any text, `'` written as `'\''`. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

function toDependsOn(
  deps: Readonly<Record<string, keyof typeof CONDITION_ALIASES>> | readonly string[],
): Record<string, DependencyCondition> {
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name: string) => [name, 'started' as const]));
  return Object.fromEntries(
    Object.entries(deps as Readonly<Record<string, keyof typeof CONDITION_ALIASES>>).map(([name, c]) => [
      name,
      CONDITION_ALIASES[c],
    ]),
  );
}

function toProbe(p: ProbeInput): ProbeConfig {
  const timing: ProbeTiming = compact({
    initialDelayMs: ms(p.initial_delay),
    intervalMs: ms(p.interval),
    attemptTimeoutMs: ms(p.attempt_timeout),
    timeoutMs: p.timeout === null ? null : ms(p.timeout),
    failureThreshold: p.failures,
  });
  if (p.log !== undefined) return compact({ ...timing, log: new RegExp(p.log), stream: p.stream });
  if (p.tcp !== undefined) {
    return { ...timing, tcp: typeof p.tcp === 'number' ? { port: p.tcp } : compact({ ...p.tcp }) };
  }
  if (p.http !== undefined) {
    const http =
      typeof p.http === 'string'
        ? { url: p.http }
        : compact({ ...p.http, body: p.http.body === undefined ? undefined : new RegExp(p.http.body) });
    return { ...timing, http };
  }
  // The schema allows exactly one kind, so this is exec.
  const exec = p.exec!;
  return {
    ...timing,
    exec:
      typeof exec === 'string'
        ? { command: exec, shell: true }
        : compact({ command: exec[0]!, args: exec.length > 1 ? exec.slice(1) : undefined }),
  };
}

function toRestart(r: RestartInput): RestartPolicy | RestartConfig {
  if (typeof r === 'string') return r;
  const backoff: BackoffConfig | undefined =
    r.backoff &&
    compact({
      initialMs: ms(r.backoff.initial),
      maxMs: ms(r.backoff.max),
      factor: r.backoff.factor,
      jitter: r.backoff.jitter,
      resetAfterMs: ms(r.backoff.reset_after),
    });
  return compact({
    policy: r.policy,
    maxRestarts: r.max === 'unlimited' ? Infinity : r.max,
    windowMs: ms(r.window),
    backoff,
    onExhausted: r.on_exhausted,
  });
}

function toShutdown(s: StopInput, path: KeyPath, problems: RawProblem[]): GracefulShutdown | undefined {
  const given = s.phases ?? [{ signal: s.signal ?? 'SIGTERM', grace: s.grace ?? DEFAULT_GRACE_MS }];
  const phases: ShutdownPhase[] = [];
  given.forEach((phase, i) => {
    const signalPath = s.phases ? [...path, 'phases', i, 'signal'] : [...path, 'signal'];
    const name = phase.signal.toUpperCase().startsWith('SIG')
      ? phase.signal.toUpperCase()
      : `SIG${phase.signal}`;
    try {
      phases.push({ signal: validateTerminationSignal(name), timeoutMs: ms(phase.grace)! });
    } catch (error) {
      problems.push({
        path: signalPath,
        message: `${(error as Error).message}; expected e.g. SIGTERM or SIGINT`,
      });
    }
  });
  if (phases.length < given.length) return undefined;
  const killTimeoutMs = ms(s.kill_timeout);
  return GracefulShutdown.phases(phases, killTimeoutMs === undefined ? undefined : { killTimeoutMs });
}

/** The schema already checked durations, so a defined value converts. */
function ms(value: number | string | undefined): number | undefined {
  return value === undefined ? undefined : toMilliseconds(value);
}

function stringEnv(
  env: Readonly<Record<string, string | number | boolean>> | undefined,
): Record<string, string> {
  return Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, String(v)]));
}

/** Drops `undefined` fields so results compare and print without noise. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
