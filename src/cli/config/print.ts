/** `rxproc config print`: the resolved config as the supervisor will run it. */
import { stringify } from 'yaml';
import { GracefulShutdown } from '../../index.js';
import type { LoadedProject } from './types.js';

/**
 * Renders a loaded project, after defaults files, env files and aliases were applied, in the supervisor's terms:
 * durations in milliseconds (`...Ms` keys), regexes as their source text, shutdowns as their phases, an unlimited
 * restart count as `unlimited`. Keys keep the order of the config.
 */
export function printConfig(project: LoadedProject, format: 'yaml' | 'json' = 'yaml'): string {
  const plain = {
    name: project.name,
    file: project.file ?? null,
    dir: project.dir,
    source: project.source,
    exitOnEnd: [...project.exitOnEnd],
    ...(toPlain(project.config) as Record<string, unknown>),
  };
  return format === 'json' ? `${JSON.stringify(plain, null, 2)}\n` : stringify(plain, { lineWidth: 0 });
}

/** Plain data: what YAML and JSON can both write without losing meaning. */
function toPlain(value: unknown): unknown {
  if (value instanceof RegExp) return value.source;
  if (value instanceof GracefulShutdown) {
    return { phases: value.phases.map((p) => ({ ...p })), killTimeoutMs: value.killTimeoutMs };
  }
  if (value === Infinity) return 'unlimited';
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
  }
  return value;
}
