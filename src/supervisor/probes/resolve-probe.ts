import { describeValue } from '../../core/errors.js';
import { MAX_TIMER_MS } from '../../core/durations.js';
import type { ProbeKind } from '../config-types.js';
import { SupervisorConfigError } from '../errors.js';

/** @internal */
/** Which job a probe does: gate the service's readiness, or watch a ready service's health. */
export type ProbeRole = 'readiness' | 'liveness';

/** @internal */
/** {@link ProbeTiming} with every default applied. */
export interface ResolvedTiming {
  readonly initialDelayMs: number;
  readonly intervalMs: number;
  readonly attemptTimeoutMs: number;
  /** Readiness: the overall bound from the spawn; `null` means none. Always `null` for liveness. */
  readonly timeoutMs: number | null;
  /** Consecutive failures that end the probe; `Infinity` for none. */
  readonly failureThreshold: number;
}

/** @internal */
export interface ResolvedLogProbe {
  readonly kind: 'log';
  readonly timing: ResolvedTiming;
  /** Without the `g` and `y` flags, so `test()` keeps no state between lines. */
  readonly pattern: RegExp;
  readonly stream: 'stdout' | 'stderr' | 'both';
}

/** @internal */
export interface ResolvedTcpProbe {
  readonly kind: 'tcp';
  readonly timing: ResolvedTiming;
  readonly host: string;
  readonly port: number;
}

/** @internal */
export interface ResolvedHttpProbe {
  readonly kind: 'http';
  readonly timing: ResolvedTiming;
  readonly url: URL;
  readonly statuses: ReadonlySet<number>;
  readonly body: RegExp | undefined;
  readonly headers: Readonly<Record<string, string>>;
}

/** @internal */
export interface ResolvedExecProbe {
  readonly kind: 'exec';
  readonly timing: ResolvedTiming;
  readonly command: string;
  readonly args: readonly string[];
  readonly shell: boolean | string;
  /** `undefined`: the service's working directory. */
  readonly cwd: string | undefined;
}

/** @internal */
/** A probe configuration after validation, with defaults applied: one case per {@link ProbeKind}. */
export type ResolvedProbe = ResolvedLogProbe | ResolvedTcpProbe | ResolvedHttpProbe | ResolvedExecProbe;

const KINDS: readonly ProbeKind[] = ['log', 'tcp', 'http', 'exec'];
const TIMING_KEYS = ['initialDelayMs', 'intervalMs', 'attemptTimeoutMs', 'timeoutMs', 'failureThreshold'];
const TOP_KEYS: Readonly<Record<ProbeKind, readonly string[]>> = {
  log: [...TIMING_KEYS, 'log', 'stream'],
  tcp: [...TIMING_KEYS, 'tcp'],
  http: [...TIMING_KEYS, 'http'],
  exec: [...TIMING_KEYS, 'exec'],
};

/** @internal */
export const DEFAULT_HTTP_STATUSES: ReadonlySet<number> = new Set(
  Array.from({ length: 200 }, (_, i) => 200 + i),
);

type Fields = Readonly<Record<string, unknown>>;

function fail(path: string, problem: string): never {
  throw new SupervisorConfigError(path, problem);
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RegExp);
}

function objectAt(path: string, value: unknown, expected: string): Fields {
  if (!isObject(value)) fail(path, `expected ${expected}, got ${describeValue(value)}`);
  return value;
}

/** Names the first key that is not allowed, so a typo (`intervalMS`) is not silently ignored. */
function rejectUnknownKeys(path: string, fields: Fields, allowed: readonly string[]): void {
  for (const key of Object.keys(fields)) {
    if (!allowed.includes(key)) fail(`${path}.${key}`, `unknown key; expected one of ${allowed.join(', ')}`);
  }
}

/**
 * Node turns a NaN, negative, infinite or too large delay into a 1 ms timer: a typo would probe in a tight loop or
 * fail at once. So every duration is checked here, before anything runs.
 */
function duration(path: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_TIMER_MS) {
    fail(
      path,
      `expected a finite number of milliseconds from 0 to ${MAX_TIMER_MS}, got ${describeValue(value)}`,
    );
  }
  return value;
}

function threshold(path: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === Infinity || (typeof value === 'number' && Number.isInteger(value) && value >= 1))
    return value;
  return fail(path, `expected a positive integer (or Infinity), got ${describeValue(value)}`);
}

function resolveTiming(path: string, fields: Fields, role: ProbeRole): ResolvedTiming {
  const readiness = role === 'readiness';
  // Checked for both roles so that a wrong value is never silently accepted, but only readiness uses it.
  const timeoutMs =
    fields['timeoutMs'] === null ? null : duration(`${path}.timeoutMs`, fields['timeoutMs'], 60_000);
  return {
    initialDelayMs: duration(`${path}.initialDelayMs`, fields['initialDelayMs'], 0),
    intervalMs: duration(`${path}.intervalMs`, fields['intervalMs'], readiness ? 1000 : 10_000),
    attemptTimeoutMs: duration(`${path}.attemptTimeoutMs`, fields['attemptTimeoutMs'], 1000),
    timeoutMs: readiness ? timeoutMs : null,
    failureThreshold: threshold(
      `${path}.failureThreshold`,
      fields['failureThreshold'],
      readiness ? Infinity : 3,
    ),
  };
}

function nonEmptyString(path: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    fail(path, `expected a non-empty string, got ${describeValue(value)}`);
  }
  return value;
}

/** A RegExp as given (minus `g`/`y`, which would make `test()` remember where it stopped), or a compiled string. */
function pattern(path: string, value: unknown): RegExp {
  if (value instanceof RegExp) {
    return value.global || value.sticky ? new RegExp(value.source, value.flags.replace(/[gy]/g, '')) : value;
  }
  const source = nonEmptyString(path, value);
  try {
    return new RegExp(source);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail(path, `invalid regular expression: ${reason}`);
  }
}

function resolveLog(path: string, fields: Fields, timing: ResolvedTiming): ResolvedLogProbe {
  const stream = fields['stream'] ?? 'both';
  if (stream !== 'stdout' && stream !== 'stderr' && stream !== 'both') {
    fail(`${path}.stream`, `expected 'stdout', 'stderr' or 'both', got ${describeValue(stream)}`);
  }
  return { kind: 'log', timing, pattern: pattern(`${path}.log`, fields['log']), stream };
}

function resolveTcp(path: string, value: unknown, timing: ResolvedTiming): ResolvedTcpProbe {
  const tcp = objectAt(path, value, 'an object { port, host? }');
  rejectUnknownKeys(path, tcp, ['port', 'host']);
  const port = tcp['port'];
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    fail(`${path}.port`, `expected an integer port from 1 to 65535, got ${describeValue(port)}`);
  }
  const host = tcp['host'] === undefined ? '127.0.0.1' : nonEmptyString(`${path}.host`, tcp['host']);
  return { kind: 'tcp', timing, host, port };
}

function statuses(path: string, value: unknown): ReadonlySet<number> {
  if (value === undefined) return DEFAULT_HTTP_STATUSES;
  if (!Array.isArray(value) || value.length === 0) {
    fail(path, `expected a non-empty array of HTTP statuses, got ${describeValue(value)}`);
  }
  value.forEach((status: unknown, i) => {
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
      fail(`${path}[${i}]`, `expected an integer HTTP status from 100 to 599, got ${describeValue(status)}`);
    }
  });
  return new Set(value as number[]);
}

function headers(path: string, value: unknown): Readonly<Record<string, string>> {
  if (value === undefined) return {};
  const fields = objectAt(path, value, 'an object of header names to strings');
  for (const [name, header] of Object.entries(fields)) {
    if (typeof header !== 'string')
      fail(`${path}.${name}`, `expected a string, got ${describeValue(header)}`);
  }
  return fields as Readonly<Record<string, string>>;
}

function resolveHttp(path: string, value: unknown, timing: ResolvedTiming): ResolvedHttpProbe {
  const http = objectAt(path, value, 'an object { url, statuses?, body?, headers? }');
  rejectUnknownKeys(path, http, ['url', 'statuses', 'body', 'headers']);
  const text = nonEmptyString(`${path}.url`, http['url']);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(`${path}.url`, `expected an absolute http: or https: URL, got ${describeValue(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    fail(`${path}.url`, `expected an http: or https: URL, got the protocol ${url.protocol}`);
  }
  return {
    kind: 'http',
    timing,
    url,
    statuses: statuses(`${path}.statuses`, http['statuses']),
    body: http['body'] === undefined ? undefined : pattern(`${path}.body`, http['body']),
    headers: headers(`${path}.headers`, http['headers']),
  };
}

function resolveExec(path: string, value: unknown, timing: ResolvedTiming): ResolvedExecProbe {
  const exec = objectAt(path, value, 'an object { command, args?, shell?, cwd? }');
  rejectUnknownKeys(path, exec, ['command', 'args', 'shell', 'cwd']);
  const command = nonEmptyString(`${path}.command`, exec['command']);
  const args = exec['args'] ?? [];
  if (!Array.isArray(args)) fail(`${path}.args`, `expected an array of strings, got ${describeValue(args)}`);
  args.forEach((arg: unknown, i) => {
    if (typeof arg !== 'string') fail(`${path}.args[${i}]`, `expected a string, got ${describeValue(arg)}`);
  });
  const shell = exec['shell'] ?? false;
  if (typeof shell !== 'boolean' && (typeof shell !== 'string' || shell.length === 0)) {
    fail(`${path}.shell`, `expected a boolean or a shell's path, got ${describeValue(shell)}`);
  }
  const cwd = exec['cwd'] === undefined ? undefined : nonEmptyString(`${path}.cwd`, exec['cwd']);
  return { kind: 'exec', timing, command, args: args as string[], shell, cwd };
}

/** @internal */
/**
 * Validates a readiness or liveness probe of the configuration and applies its defaults, so that nothing about it
 * can go wrong once services run.
 *
 * @param path Where the probe sits, e.g. `services.api.ready`; errors name the exact field below it.
 * @throws {@link SupervisorConfigError} naming the first wrong field and what was expected.
 */
export function resolveProbe(path: string, value: unknown, role: ProbeRole): ResolvedProbe {
  const fields = objectAt(path, value, `a probe object with one of ${KINDS.join(', ')}`);
  const kinds = KINDS.filter((kind) => fields[kind] !== undefined);
  const [kind] = kinds;
  if (kind === undefined || kinds.length > 1) {
    const found = kinds.length === 0 ? 'none' : kinds.join(' and ');
    fail(path, `expected exactly one of ${KINDS.join(', ')}, found ${found}`);
  }
  if (kind === 'log' && role === 'liveness') {
    fail(
      `${path}.log`,
      'a log probe cannot be a liveness probe: a line once printed says nothing about health later; use tcp, http or exec',
    );
  }
  rejectUnknownKeys(path, fields, TOP_KEYS[kind]);
  const timing = resolveTiming(path, fields, role);
  switch (kind) {
    case 'log':
      return resolveLog(path, fields, timing);
    case 'tcp':
      return resolveTcp(`${path}.tcp`, fields['tcp'], timing);
    case 'http':
      return resolveHttp(`${path}.http`, fields['http'], timing);
    case 'exec':
      return resolveExec(`${path}.exec`, fields['exec'], timing);
  }
}
