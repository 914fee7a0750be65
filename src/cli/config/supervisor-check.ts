import {
  RxprocError,
  type SupervisorConfig,
  SupervisorConfigError,
  checkSupervisorConfig,
} from '../../index.js';
import type { RawProblem } from './types.js';

/** The file's key for each library option name the supervisor's error paths use. */
const FILE_KEYS: Readonly<Record<string, string>> = {
  services: 'processes',
  dependsOn: 'depends_on',
  shutdown: 'stop',
  initialDelayMs: 'initial_delay',
  intervalMs: 'interval',
  attemptTimeoutMs: 'attempt_timeout',
  timeoutMs: 'timeout',
  failureThreshold: 'failures',
  maxRestarts: 'max',
  windowMs: 'window',
  onExhausted: 'on_exhausted',
  initialMs: 'initial',
  maxMs: 'max',
  resetAfterMs: 'reset_after',
};

/**
 * The supervisor's own check of the mapped configuration, as a problem at the file's key (the loader catches most
 * mistakes first; this finds the rest, so `config validate` never calls valid what `up` refuses).
 */
export function supervisorProblem(config: SupervisorConfig): RawProblem | undefined {
  try {
    checkSupervisorConfig(config);
    return undefined;
  } catch (error) {
    if (error instanceof SupervisorConfigError) {
      const message = error.message.replace(/^Invalid supervisor configuration at [^:]+: /, '');
      return { path: error.path.split('.').map((segment) => FILE_KEYS[segment] ?? segment), message };
    }
    if (error instanceof RxprocError) return { path: ['processes'], message: error.message };
    throw error;
  }
}
