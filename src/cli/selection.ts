import type { ServiceConfig, SupervisorConfig } from '../index.js';

/** Thrown for a service name on the command line that the project does not have. */
export class UnknownServiceNameError extends Error {
  constructor(
    readonly service: string,
    known: readonly string[],
  ) {
    super(`no service named ${JSON.stringify(service)}; the project has ${known.join(', ')}`);
  }
}

/**
 * The configuration for `up a b` or `run a`: the named services and everything they depend on start; the others
 * stay `stopped` (autostart off). No names: the configuration as it is.
 */
export function selectServices(config: SupervisorConfig, names: readonly string[]): SupervisorConfig {
  if (names.length === 0) return config;
  const known = Object.keys(config.services);
  const wanted = new Set<string>();
  const visit = (name: string): void => {
    if (wanted.has(name)) return;
    const service = config.services[name];
    if (service === undefined) throw new UnknownServiceNameError(name, known);
    wanted.add(name);
    for (const dependency of Object.keys(service.dependsOn ?? {})) visit(dependency);
  };
  for (const name of names) visit(name);
  const services: Record<string, ServiceConfig> = {};
  for (const [name, service] of Object.entries(config.services)) {
    services[name] = wanted.has(name) ? { ...service, autostart: true } : { ...service, autostart: false };
  }
  return { ...config, services };
}

/** `run <service> -- args…`: the service with extra arguments (quoted for a shell command line). */
export function withExtraArgs(
  config: SupervisorConfig,
  name: string,
  extra: readonly string[],
): SupervisorConfig {
  const service = config.services[name];
  if (service === undefined) throw new UnknownServiceNameError(name, Object.keys(config.services));
  if (extra.length === 0) return config;
  const changed: ServiceConfig =
    service.shell === undefined || service.shell === false
      ? { ...service, args: [...(service.args ?? []), ...extra] }
      : { ...service, command: [service.command, ...extra.map(shellQuote)].join(' ') };
  return { ...config, services: { ...config.services, [name]: changed } };
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
