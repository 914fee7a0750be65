import { describeValue } from '../core/errors.js';
import { GracefulShutdown } from '../termination/graceful-shutdown.js';
import type { DependencyCondition, ServiceConfig, SupervisorConfig } from './config-types.js';
import { dependencyOrder, stopLevels } from './dependency-graph.js';
import { SupervisorConfigError } from './errors.js';
import { type ResolvedProbe, resolveProbe } from './probes/resolve-probe.js';
import { type ResolvedRestart, oneOf, record, resolveRestart } from './restart-config.js';

/** @internal */
/** One instance to run (a service, or one replica of it), with every option checked and defaulted. */
export interface ResolvedInstance {
  readonly name: string;
  readonly service: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly shell: boolean | string;
  readonly cwd: string | undefined;
  readonly env: Readonly<Record<string, string>>;
  readonly preferLocal: boolean;
  /** Instance names with their conditions (a dependency on a replicated service names every replica). */
  readonly dependsOn: Readonly<Record<string, DependencyCondition>>;
  readonly ready: ResolvedProbe | undefined;
  readonly liveness: ResolvedProbe | undefined;
  readonly restart: ResolvedRestart;
  readonly shutdown: GracefulShutdown;
  readonly autostart: boolean;
}

/** @internal */
export interface ResolvedSupervisorConfig {
  /** Dependencies first; otherwise in configuration order. */
  readonly instances: readonly ResolvedInstance[];
  /** Service name → its instance names. */
  readonly instancesOf: ReadonlyMap<string, readonly string[]>;
  /** Instance name → stop level (0 stops first). */
  readonly stopLevels: ReadonlyMap<string, number>;
}

/** @internal */
export const DEFAULT_SERVICE_SHUTDOWN_MS = 10_000;
const NAME = /^[A-Za-z0-9_:-]+$/;
const MAX_REPLICAS = 1000;
const conditions: readonly DependencyCondition[] = ['started', 'ready', 'completed', 'succeeded'];
const serviceKeys = [
  'command',
  'args',
  'shell',
  'cwd',
  'env',
  'preferLocal',
  'dependsOn',
  'ready',
  'liveness',
  'restart',
  'shutdown',
  'replicas',
  'autostart',
] satisfies (keyof ServiceConfig)[];
const supervisorKeys = ['services', 'env', 'shutdown', 'restart'] satisfies (keyof SupervisorConfig)[];

/** @internal */
/**
 * Checks a whole configuration before anything starts: names, options, probes, restart policies, unknown
 * dependencies and cycles.
 * @throws {@link SupervisorConfigError} or {@link DependencyCycleError}.
 */
export function resolveSupervisorConfig(value: unknown): ResolvedSupervisorConfig {
  const config = record('config', value, supervisorKeys);
  const services = record('services', config['services'], Object.keys(config['services'] ?? {}));
  const names = Object.keys(services);
  if (names.length === 0) throw new SupervisorConfigError('services', 'expected at least one service');
  for (const name of names) {
    if (!NAME.test(name)) {
      throw new SupervisorConfigError(
        `services.${name}`,
        'a name has letters, digits, _, - and : only (no dots)',
      );
    }
  }
  const sharedEnv = stringRecord('env', config['env']);
  const defaultShutdown = shutdownOption(
    'shutdown',
    config['shutdown'],
    GracefulShutdown.sigterm(DEFAULT_SERVICE_SHUTDOWN_MS),
  );
  const serviceDependencies = new Map<string, Record<string, DependencyCondition>>();
  const checked = new Map<string, Record<string, unknown>>();
  for (const name of names) {
    const service = record(`services.${name}`, services[name], serviceKeys);
    checked.set(name, service);
    serviceDependencies.set(name, dependencies(name, service['dependsOn'], names));
  }
  const order = dependencyOrder(names, (name) => Object.keys(serviceDependencies.get(name)!));
  const instancesOf = new Map<string, string[]>();
  for (const name of names) {
    const replicas = replicaCount(`services.${name}.replicas`, checked.get(name)!['replicas']);
    instancesOf.set(
      name,
      replicas === 1 ? [name] : Array.from({ length: replicas }, (_, i) => `${name}.${i + 1}`),
    );
  }
  const instances = order.flatMap((name) =>
    resolveService(name, checked.get(name)!, {
      sharedEnv,
      defaultShutdown,
      defaultRestart: config['restart'],
      dependsOn: expand(serviceDependencies.get(name)!, instancesOf),
      instances: instancesOf.get(name)!,
    }),
  );
  checkCompletable(instances);
  const dependsOnOf = new Map(instances.map((instance) => [instance.name, Object.keys(instance.dependsOn)]));
  return {
    instances,
    instancesOf,
    stopLevels: stopLevels(
      instances.map((instance) => instance.name),
      (name) => dependsOnOf.get(name)!,
    ),
  };
}

/** `completed` and `succeeded` wait for an end that a service restarted after every exit never reaches. */
function checkCompletable(instances: readonly ResolvedInstance[]): void {
  const byName = new Map(instances.map((instance) => [instance.name, instance]));
  for (const instance of instances) {
    for (const [dependency, condition] of Object.entries(instance.dependsOn)) {
      const policy = byName.get(dependency)!.restart.policy;
      if (
        (condition === 'completed' || condition === 'succeeded') &&
        (policy === 'always' || policy === 'unless-stopped')
      ) {
        throw new SupervisorConfigError(
          `services.${instance.service}.dependsOn.${byName.get(dependency)!.service}`,
          `'${condition}' can never be met: ${dependency} restarts after every exit (restart: '${policy}')`,
        );
      }
    }
  }
}

interface ServiceDefaults {
  readonly sharedEnv: Readonly<Record<string, string>>;
  readonly defaultShutdown: GracefulShutdown;
  readonly defaultRestart: unknown;
  readonly dependsOn: Readonly<Record<string, DependencyCondition>>;
  readonly instances: readonly string[];
}

function resolveService(
  name: string,
  service: Record<string, unknown>,
  defaults: ServiceDefaults,
): ResolvedInstance[] {
  const path = `services.${name}`;
  const command = service['command'];
  if (typeof command !== 'string' || command.trim() === '') {
    throw new SupervisorConfigError(
      `${path}.command`,
      `expected a non-empty string, got ${describeValue(command)}`,
    );
  }
  const args = service['args'] ?? [];
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string')) {
    throw new SupervisorConfigError(`${path}.args`, 'expected an array of strings');
  }
  const shell = service['shell'] ?? false;
  if (typeof shell !== 'boolean' && typeof shell !== 'string') {
    throw new SupervisorConfigError(
      `${path}.shell`,
      `expected a boolean or a path, got ${describeValue(shell)}`,
    );
  }
  const cwd = service['cwd'];
  if (cwd !== undefined && typeof cwd !== 'string') {
    throw new SupervisorConfigError(`${path}.cwd`, `expected a string, got ${describeValue(cwd)}`);
  }
  const env = { ...defaults.sharedEnv, ...stringRecord(`${path}.env`, service['env']) };
  const ready =
    service['ready'] === undefined ? undefined : resolveProbe(`${path}.ready`, service['ready'], 'readiness');
  const liveness =
    service['liveness'] === undefined
      ? undefined
      : resolveProbe(`${path}.liveness`, service['liveness'], 'liveness');
  const restart = resolveRestart(`${path}.restart`, service['restart'] ?? defaults.defaultRestart);
  const shutdown = shutdownOption(`${path}.shutdown`, service['shutdown'], defaults.defaultShutdown);
  const common = {
    service: name,
    command,
    args: args as string[],
    shell,
    cwd,
    preferLocal: flag(`${path}.preferLocal`, service['preferLocal'], false),
    dependsOn: defaults.dependsOn,
    ready,
    liveness,
    restart,
    shutdown,
    autostart: flag(`${path}.autostart`, service['autostart'], true),
  };
  const replicas = defaults.instances.length;
  return defaults.instances.map((instance, index) => ({
    ...common,
    name: instance,
    env:
      replicas === 1 ? env : { ...env, RXPROC_REPLICA: String(index + 1), RXPROC_REPLICAS: String(replicas) },
  }));
}

function dependencies(
  name: string,
  value: unknown,
  names: readonly string[],
): Record<string, DependencyCondition> {
  const path = `services.${name}.dependsOn`;
  if (value === undefined) return {};
  const given = record(path, value, Object.keys(value ?? {}));
  const result: Record<string, DependencyCondition> = {};
  for (const [dependency, condition] of Object.entries(given)) {
    if (!names.includes(dependency)) {
      throw new SupervisorConfigError(
        `${path}.${dependency}`,
        `no service is named ${JSON.stringify(dependency)}`,
      );
    }
    if (dependency === name)
      throw new SupervisorConfigError(`${path}.${dependency}`, 'a service cannot depend on itself');
    result[dependency] = oneOf(`${path}.${dependency}`, condition, conditions);
  }
  return result;
}

function expand(
  dependsOn: Readonly<Record<string, DependencyCondition>>,
  instancesOf: ReadonlyMap<string, readonly string[]>,
): Record<string, DependencyCondition> {
  const result: Record<string, DependencyCondition> = {};
  for (const [service, condition] of Object.entries(dependsOn)) {
    for (const instance of instancesOf.get(service)!) result[instance] = condition;
  }
  return result;
}

function replicaCount(path: string, value: unknown): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > MAX_REPLICAS) {
    throw new SupervisorConfigError(
      path,
      `expected a whole number from 1 to ${MAX_REPLICAS}, got ${describeValue(value)}`,
    );
  }
  return value;
}

function stringRecord(path: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  const given = record(path, value, Object.keys(value ?? {}));
  for (const [key, entry] of Object.entries(given)) {
    if (typeof entry !== 'string')
      throw new SupervisorConfigError(`${path}.${key}`, `expected a string, got ${describeValue(entry)}`);
  }
  return given as Record<string, string>;
}

function flag(path: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new SupervisorConfigError(path, `expected a boolean, got ${describeValue(value)}`);
  return value;
}

function shutdownOption(path: string, value: unknown, fallback: GracefulShutdown): GracefulShutdown {
  if (value === undefined) return fallback;
  if (!(value instanceof GracefulShutdown)) {
    throw new SupervisorConfigError(path, `expected a GracefulShutdown, got ${describeValue(value)}`);
  }
  return value;
}
