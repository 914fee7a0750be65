/** @internal */
/** How a probe ended: readiness passes (`ready`) or fails (`failed`); liveness only ever ends `unhealthy`. */
export type ProbeVerdict = 'ready' | 'failed' | 'unhealthy';

/** @internal */
/**
 * One step of a probe: the result of an attempt, and on the last emission the verdict. `failures` counts the
 * failed attempts in a row (a success resets it).
 */
export interface ProbeProgress {
  readonly ok: boolean;
  readonly failures: number;
  /** Why the attempt failed; on a verdict of failure, why the probe ended. */
  readonly error?: string;
  readonly verdict?: ProbeVerdict;
}
