import { describeValue } from '../core/errors.js';
import type { FailurePolicy, RestartPolicy } from './config-types.js';
import { SupervisorConfigError } from './errors.js';

/** @internal */
/** A restart configuration with every default applied. */
export interface ResolvedRestart {
  readonly policy: RestartPolicy;
  readonly maxRestarts: number;
  readonly windowMs: number;
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
  readonly jitter: number;
  readonly resetAfterMs: number;
  readonly onExhausted: FailurePolicy;
}

const policies: readonly RestartPolicy[] = ['no', 'on-failure', 'always', 'unless-stopped'];
const failurePolicies: readonly FailurePolicy[] = ['ignore', 'stop-dependents', 'shutdown'];
const restartKeys = ['policy', 'maxRestarts', 'windowMs', 'backoff', 'onExhausted'];
const backoffKeys = ['initialMs', 'maxMs', 'factor', 'jitter', 'resetAfterMs'];

/** @internal */
export const DEFAULT_MAX_RESTARTS = 5;

/** @internal */
/**
 * Validates a `restart` option (a policy name or a full configuration) and applies the defaults.
 * @throws {@link SupervisorConfigError} naming the path of the first wrong value.
 */
export function resolveRestart(path: string, value: unknown): ResolvedRestart {
  const given = typeof value === 'string' || value === undefined ? { policy: value ?? 'no' } : value;
  const config = record(path, given, restartKeys);
  const policy = oneOf(`${path}.policy`, config['policy'], policies);
  const backoff = record(`${path}.backoff`, config['backoff'] ?? {}, backoffKeys);
  const initialMs = number(`${path}.backoff.initialMs`, backoff['initialMs'], 500, 0);
  const maxMs = number(`${path}.backoff.maxMs`, backoff['maxMs'], Math.max(30_000, initialMs), 0);
  if (maxMs < initialMs)
    throw new SupervisorConfigError(`${path}.backoff.maxMs`, 'must not be below initialMs');
  const jitter = number(`${path}.backoff.jitter`, backoff['jitter'], 0.1, 0);
  if (jitter > 1)
    throw new SupervisorConfigError(`${path}.backoff.jitter`, 'expected a fraction from 0 to 1');
  const factor = number(`${path}.backoff.factor`, backoff['factor'], 2, 1);
  const maxRestarts =
    config['maxRestarts'] === Infinity
      ? Infinity
      : policy === 'no' && config['maxRestarts'] === undefined
        ? 0
        : count(`${path}.maxRestarts`, config['maxRestarts']);
  return {
    policy,
    maxRestarts,
    windowMs:
      config['windowMs'] === undefined ? Infinity : number(`${path}.windowMs`, config['windowMs'], 0, 1),
    initialMs,
    maxMs,
    factor,
    jitter,
    resetAfterMs: number(`${path}.backoff.resetAfterMs`, backoff['resetAfterMs'], 30_000, 0),
    onExhausted: oneOf(`${path}.onExhausted`, config['onExhausted'] ?? 'ignore', failurePolicies),
  };
}

/** @internal */
/** A plain object with only the allowed keys. */
export function record(path: string, value: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof RegExp) {
    throw new SupervisorConfigError(path, `expected an object, got ${describeValue(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new SupervisorConfigError(
        `${path}.${key}`,
        `unknown option; expected one of ${allowed.join(', ')}`,
      );
    }
  }
  return value as Record<string, unknown>;
}

/** @internal */
export function oneOf<T extends string>(path: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new SupervisorConfigError(
    path,
    `expected one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describeValue(value)}`,
  );
}

function number(path: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new SupervisorConfigError(path, `expected a finite number ≥ ${min}, got ${describeValue(value)}`);
  }
  return value;
}

function count(path: string, value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_RESTARTS;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new SupervisorConfigError(
      path,
      `expected a whole number ≥ 0 or Infinity, got ${describeValue(value)}`,
    );
  }
  return value;
}
