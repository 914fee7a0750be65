import { validateDuration } from '../core/durations.js';
import { InvalidOptionError, InvalidSignalError } from '../core/errors.js';
import { type SignalName, validateTerminationSignal } from '../core/signals.js';
import { PROBE_TIMEOUT_MS, SIGNAL_FAILURE_GRACE_MS } from './timing.js';

/** One graceful step: send `signal` to the group, then wait up to `timeoutMs` for everything to exit. */
export interface ShutdownPhase {
  /** A signal that can end a process; never SIGKILL, which is always the implicit last step. */
  readonly signal: SignalName;
  /**
   * An upper bound, not a delay: the phase ends as soon as the exit is seen. `0` sends the signal and escalates at
   * once, unless the exit is already known at that instant.
   */
  readonly timeoutMs: number;
}

/**
 * What to do with snapshotted processes (escapees included) that outlive the leader's group. `kill`: SIGKILL each
 * one after re-checking its identity. `report`: leave them alone and list them in the report.
 */
export type SurvivorPolicy = 'kill' | 'report';

/** Settings shared by every shutdown shape. All optional; validated when the shutdown is built. */
export interface GracefulShutdownOptions {
  /** How long to wait for the exit after SIGKILL before giving up with a `TerminationError`. Default 3000. */
  readonly killTimeoutMs?: number;
  /** What to do with snapshotted processes still alive after the exit. Default `'kill'`. */
  readonly survivors?: SurvivorPolicy;
  /**
   * Upper bound of the whole post-exit verification (checks, kills, re-checks). Default 1000. `0` keeps only the
   * answers available at once; whatever could not be checked is reported as still alive (unverified).
   */
  readonly verifyTimeoutMs?: number;
  /**
   * The single graceful timeout for Windows (CTRL_BREAK_EVENT, then TerminateProcess). Default: the sum of the Unix
   * phase timeouts. Recorded and validated, but NOT executed yet: Windows termination is not implemented.
   */
  readonly windowsTimeoutMs?: number;
}

const DEFAULT_KILL_TIMEOUT_MS = 3000;
const DEFAULT_VERIFY_TIMEOUT_MS = 1000;
const DEFAULT_GRACEFUL_TIMEOUT_MS = 5000;
const DEFAULT_INTERRUPT_TIMEOUT_MS = 2000;
let defaultShutdown: GracefulShutdown | undefined;
const survivorPolicies: readonly string[] = ['kill', 'report'] satisfies SurvivorPolicy[];

/**
 * How to end a process: graceful phases in order, then SIGKILL to the group with a bounded wait, then verification
 * of every process snapshotted before the first signal. Immutable and validated when built, so a bad duration
 * fails at the call site rather than turning into an instant kill later.
 *
 * The default escalates SIGINT → SIGTERM → SIGKILL, which also reaches shell background jobs (they ignore
 * SIGINT). Note that a multi-phase sequence does not give a child with unknown handlers more time: the first
 * signal it does not handle kills it outright. When the child's protocol is known, a single phase says it best:
 * `sigterm` for services, `sigint` for CLI-style children.
 */
export class GracefulShutdown {
  /** The graceful phases, in dispatch order. Empty only for {@link GracefulShutdown.killOnly}. */
  readonly phases: readonly ShutdownPhase[];
  /** Wait after SIGKILL before the run fails. */
  readonly killTimeoutMs: number;
  /** What to do with snapshotted survivors. */
  readonly survivors: SurvivorPolicy;
  /** Bound of the post-exit verification. */
  readonly verifyTimeoutMs: number;
  /** Windows graceful timeout; not executed yet (see {@link GracefulShutdownOptions.windowsTimeoutMs}). */
  readonly windowsTimeoutMs: number;

  private constructor(phases: readonly ShutdownPhase[], options: unknown) {
    const settings = readOptions(options);
    this.phases = Object.freeze(phases.slice());
    this.killTimeoutMs = optionalDuration('killTimeoutMs', settings.killTimeoutMs) ?? DEFAULT_KILL_TIMEOUT_MS;
    this.survivors = validateSurvivors(settings.survivors);
    this.verifyTimeoutMs =
      optionalDuration('verifyTimeoutMs', settings.verifyTimeoutMs) ?? DEFAULT_VERIFY_TIMEOUT_MS;
    this.windowsTimeoutMs =
      optionalDuration('windowsTimeoutMs', settings.windowsTimeoutMs) ??
      Math.min(sumOf(this.phases), 2 ** 31 - 1);
    Object.freeze(this);
  }

  /** SIGTERM, then SIGKILL after `timeoutMs`. The usual choice for services. */
  static sigterm(timeoutMs: number, options?: GracefulShutdownOptions): GracefulShutdown {
    return GracefulShutdown.phases([{ signal: 'SIGTERM', timeoutMs }], options);
  }

  /** SIGINT, then SIGKILL after `timeoutMs`. For CLI, REPL and watch-style children (Ctrl-C semantics). */
  static sigint(timeoutMs: number, options?: GracefulShutdownOptions): GracefulShutdown {
    return GracefulShutdown.phases([{ signal: 'SIGINT', timeoutMs }], options);
  }

  /**
   * Any sequence of graceful phases, then SIGKILL.
   * @throws {@link InvalidOptionError} for an empty or non-array list, or a bad duration.
   * @throws {@link InvalidSignalError} for an unknown or non-terminating signal, or SIGKILL.
   */
  static phases(phases: readonly ShutdownPhase[], options?: GracefulShutdownOptions): GracefulShutdown {
    if (!Array.isArray(phases) || phases.length === 0) {
      throw new InvalidOptionError(
        'phases',
        phases,
        'a non-empty array of { signal, timeoutMs }; use GracefulShutdown.killOnly() to skip straight to SIGKILL',
      );
    }
    return new GracefulShutdown(phases.map(validatePhase), options);
  }

  /**
   * The escalation rxproc uses when none is given: SIGINT with 2000 ms (Ctrl-C semantics, which dev servers and
   * CLIs handle), then SIGTERM with 3000 ms (what service managers send), then SIGKILL with 3000 ms. A child
   * without handlers dies at the first signal, so the waits cost nothing; a child that ignores SIGINT (a shell's
   * background job does) still gets SIGTERM.
   */
  static default(): GracefulShutdown {
    // Immutable, so one instance serves every spawn.
    defaultShutdown ??= GracefulShutdown.phases([
      { signal: 'SIGINT', timeoutMs: DEFAULT_INTERRUPT_TIMEOUT_MS },
      { signal: 'SIGTERM', timeoutMs: DEFAULT_GRACEFUL_TIMEOUT_MS - DEFAULT_INTERRUPT_TIMEOUT_MS },
    ]);
    return defaultShutdown;
  }

  /**
   * Checks that `value` is a `GracefulShutdown` (a plain object with the same fields is not: it was never
   * validated).
   * @throws {@link InvalidOptionError} naming `option` otherwise.
   */
  static check(option: string, value: unknown): GracefulShutdown {
    if (value instanceof GracefulShutdown) return value;
    throw new InvalidOptionError(option, value, 'a GracefulShutdown, e.g. GracefulShutdown.sigterm(5000)');
  }

  /** No graceful phase: SIGKILL to the group at once, then the bounded wait and verification. */
  static killOnly(options?: GracefulShutdownOptions): GracefulShutdown {
    return new GracefulShutdown([], options);
  }

  /** A copy with some settings replaced; the phases stay. */
  with(options: GracefulShutdownOptions): GracefulShutdown {
    const current: GracefulShutdownOptions = {
      killTimeoutMs: this.killTimeoutMs,
      survivors: this.survivors,
      verifyTimeoutMs: this.verifyTimeoutMs,
      windowsTimeoutMs: this.windowsTimeoutMs,
    };
    return new GracefulShutdown(this.phases, { ...current, ...readOptions(options) });
  }

  /** The sum of the graceful phase timeouts: how long the child gets to exit on its own. */
  get totalTimeoutMs(): number {
    return sumOf(this.phases);
  }

  /**
   * An upper bound of one whole termination run (probes, phases, kill wait, verification), for callers that bound
   * their own waits. Scheduling delays of a busy event loop come on top.
   */
  get maxDurationMs(): number {
    const phases = this.phases.reduce((sum, p) => sum + Math.max(p.timeoutMs, SIGNAL_FAILURE_GRACE_MS), 0);
    const kill = Math.max(this.killTimeoutMs, SIGNAL_FAILURE_GRACE_MS);
    return 2 * PROBE_TIMEOUT_MS + phases + kill + this.verifyTimeoutMs;
  }
}

function validatePhase(phase: unknown, index: number): ShutdownPhase {
  if (typeof phase !== 'object' || phase === null) {
    throw new InvalidOptionError(`phases[${index}]`, phase, 'an object { signal, timeoutMs }');
  }
  const { signal, timeoutMs } = phase as Record<string, unknown>;
  if (signal === 'SIGKILL') {
    throw new InvalidSignalError(
      signal,
      'SIGKILL is always the implicit last step and cannot be a graceful phase (see killTimeoutMs)',
    );
  }
  return Object.freeze({
    signal: validateTerminationSignal(signal),
    timeoutMs: validateDuration(`phases[${index}].timeoutMs`, timeoutMs),
  });
}

function readOptions(options: unknown): GracefulShutdownOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', options, 'an options object or undefined');
  }
  const source = options as Record<string, unknown>;
  // Copy only known keys so that `undefined` in the caller's object means "default", not "unset a value".
  const picked: Record<string, unknown> = {};
  for (const key of ['killTimeoutMs', 'survivors', 'verifyTimeoutMs', 'windowsTimeoutMs']) {
    if (source[key] !== undefined) picked[key] = source[key];
  }
  return picked as GracefulShutdownOptions;
}

function optionalDuration(option: string, value: unknown): number | undefined {
  return value === undefined ? undefined : validateDuration(option, value);
}

function validateSurvivors(value: unknown): SurvivorPolicy {
  if (value === undefined) return 'kill';
  if (typeof value !== 'string' || !survivorPolicies.includes(value)) {
    throw new InvalidOptionError('survivors', value, '"kill" or "report"');
  }
  return value as SurvivorPolicy;
}

function sumOf(phases: readonly ShutdownPhase[]): number {
  return phases.reduce((sum, phase) => sum + phase.timeoutMs, 0);
}
