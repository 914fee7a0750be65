// TEMPORARY STUB: replaced by the probes branch at merge.
import type { ProbeKind } from '../config-types.js';
import { SupervisorConfigError } from '../errors.js';

/** @internal */
export interface ResolvedProbe {
  readonly kind: ProbeKind;
  readonly log?: RegExp;
  readonly timeoutMs: number | null;
}

/** @internal */
export function resolveProbe(path: string, value: unknown, _role: 'readiness' | 'liveness'): ResolvedProbe {
  if (typeof value !== 'object' || value === null) throw new SupervisorConfigError(path, 'expected a probe');
  const v = value as { log?: unknown; timeoutMs?: unknown };
  if (v.log instanceof RegExp)
    return { kind: 'log', log: v.log, timeoutMs: (v.timeoutMs as number) ?? 60000 };
  if (typeof v.log === 'string') return { kind: 'log', log: new RegExp(v.log), timeoutMs: 60000 };
  return { kind: 'tcp', timeoutMs: 60000 };
}
