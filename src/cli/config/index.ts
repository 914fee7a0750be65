/** Config files for the CLI: rxproc.yaml, Procfiles and ad-hoc commands, turned into a SupervisorConfig. */
export { loadConfig, loadYaml, CONFIG_FILE_NAMES, type LoadConfigOptions } from './load.js';
export { parseProcfile } from './procfile.js';
export { adhocProject } from './adhoc.js';
export { configJsonSchema } from './json-schema.js';
export { printConfig } from './print.js';
export { formatProblem, type ConfigProblem, type ConfigResult, type LoadedProject } from './types.js';
export type { Environment } from './env-file.js';
