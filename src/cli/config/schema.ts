/**
 * The shape of `rxproc.yaml`, as zod schemas. They only check shapes and spellings; turning values into a
 * `SupervisorConfig` (durations to ms, regexes, shutdowns) is `to-supervisor.ts`'s job, so the same schemas also
 * produce the JSON Schema for editors.
 */
import { z } from 'zod';
import { DURATION_EXPECTED, DURATION_PATTERN, toMilliseconds } from './duration.js';

/** Service names: what the supervisor accepts (dots are reserved for replica suffixes). */
export const NAME_PATTERN = /^[A-Za-z0-9_:-]+$/;
const NAME_EXPECTED = 'expected a process name of letters, digits, "_", "-" or ":" (no dots or spaces)';
const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

const duration = (description: string) =>
  z
    .union([z.number(), z.string().regex(DURATION_PATTERN, DURATION_EXPECTED)], { error: DURATION_EXPECTED })
    .refine(
      // Text off the pattern was already reported by the regex; this catches negatives and values too large.
      (v) => (typeof v === 'string' && !DURATION_PATTERN.test(v)) || toMilliseconds(v) !== undefined,
      `${DURATION_EXPECTED}, from 0 to 2147483647 ms`,
    )
    .describe(description);

const regex = (description: string) =>
  z.string().refine(isRegex, 'expected a valid JavaScript regular expression').describe(description);

const processName = z.string().regex(NAME_PATTERN, NAME_EXPECTED);

const argv = z
  .array(z.string(), { error: 'expected a list of strings' })
  .min(1, 'expected at least the program');

const command = (description: string) =>
  z
    .union([z.string().min(1, 'expected a non-empty command'), argv], {
      error: 'expected a command line (run by /bin/sh -c) or a list [program, ...args] (run directly)',
    })
    .describe(description);

const envMap = z
  .record(
    z
      .string()
      .regex(ENV_NAME_PATTERN, 'expected a variable name (letters, digits, "_"; not starting with a digit)'),
    z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string, number or boolean' }),
  )
  .describe('Environment variables; numbers and booleans are turned into strings.');

const envFile = z
  .union([z.string().min(1), z.array(z.string().min(1))], { error: 'expected a file name or a list of them' })
  .describe(
    'Dotenv file(s), relative to the config file, read in order (later wins); `${VAR}` and `${VAR:-default}` expand.',
  );

const PORT_EXPECTED = 'expected a port number from 1 to 65535';
const port = z
  .int(PORT_EXPECTED)
  .min(1, PORT_EXPECTED)
  .max(65535, PORT_EXPECTED)
  .describe('TCP port, 1-65535.');
const httpUrl = z
  .string()
  .refine((u) => /^https?:\/\//.test(u) && URL.canParse(u), 'expected an http:// or https:// URL')
  .describe('The URL to GET.');

/** Condition names, with the docker-compose and process-compose spellings as aliases. */
export const CONDITION_ALIASES = {
  started: 'started',
  ready: 'ready',
  completed: 'completed',
  succeeded: 'succeeded',
  healthy: 'ready',
  log_ready: 'ready',
  completed_successfully: 'succeeded',
  process_started: 'started',
  process_healthy: 'ready',
  process_log_ready: 'ready',
  process_completed: 'completed',
  process_completed_successfully: 'succeeded',
} as const;
const conditionNames = Object.keys(CONDITION_ALIASES) as [keyof typeof CONDITION_ALIASES];
const CONDITION_EXPECTED =
  'expected one of started, ready, completed, succeeded (or an alias: healthy, log_ready, completed_successfully)';

const probe = (kind: 'readiness' | 'liveness') =>
  z
    .strictObject({
      log: regex(
        'Passes when an output line matches this regular expression (no flags, no slashes).',
      ).optional(),
      stream: z
        .enum(['stdout', 'stderr', 'both'])
        .describe('Log probe: which output to watch. Default both.')
        .optional(),
      tcp: z
        .union(
          [
            port,
            z.strictObject({
              port,
              host: z.string().min(1).describe('Host to connect to. Default 127.0.0.1.').optional(),
            }),
          ],
          { error: 'expected a port number or { port, host }' },
        )
        .describe('Passes when a TCP connection is accepted: a port, or { port, host }.')
        .optional(),
      http: z
        .union(
          [
            httpUrl,
            z.strictObject({
              url: httpUrl,
              statuses: z
                .array(z.int().min(100).max(599))
                .min(1)
                .describe('Statuses that pass. Default 200-399.')
                .optional(),
              body: regex('A regular expression the body must match.').optional(),
              headers: z.record(z.string(), z.string()).describe('Request headers.').optional(),
            }),
          ],
          { error: 'expected a URL or { url, statuses, body, headers }' },
        )
        .describe(
          'Passes when a GET answers with an accepted status: a URL, or { url, statuses, body, headers }.',
        )
        .optional(),
      exec: command('Passes when this command exits with 0: a shell line or [program, ...args].').optional(),
      initial_delay: duration('Wait before the first attempt. Default 0.').optional(),
      interval: duration(`Time between attempts. Default ${kind === 'readiness' ? '1s' : '10s'}.`).optional(),
      attempt_timeout: duration('Upper bound of one attempt. Default 1s.').optional(),
      timeout: duration('')
        .nullable()
        .describe(
          'Readiness only: fail when not ready this long after the spawn. Default 60s; null waits as long as it runs.',
        )
        .optional(),
      failures: z
        .int()
        .min(1)
        .describe(
          `Consecutive failed attempts that fail the probe. Default ${kind === 'readiness' ? 'unlimited (timeout decides)' : '3'}.`,
        )
        .optional(),
    })
    .refine(
      (p) => [p.log, p.tcp, p.http, p.exec].filter((k) => k !== undefined).length === 1,
      'expected exactly one of log, tcp, http, exec',
    )
    .refine((p) => p.stream === undefined || p.log !== undefined, {
      message: 'stream applies only to a log probe',
      path: ['stream'],
    })
    .refine((p) => kind === 'readiness' || p.timeout === undefined, {
      // A liveness probe has no overall deadline: each attempt has attempt_timeout, failures decides the rest.
      message: 'timeout applies only to readiness probes; use attempt_timeout for one attempt',
      path: ['timeout'],
    });

const restartPolicy = z
  .enum(['no', 'on-failure', 'always', 'unless-stopped'], {
    error: 'expected one of no, on-failure, always, unless-stopped',
  })
  .describe('When an ended process is started again.');

const restart = z
  .union(
    [
      restartPolicy,
      z.strictObject({
        policy: restartPolicy,
        max: z
          .union([z.int().min(0), z.literal('unlimited')], {
            error: 'expected a whole number or "unlimited"',
          })
          .describe('Restarts allowed within window (or since the last reset). Default 5.')
          .optional(),
        window: duration('Sliding window max counts in. Default: since the last reset.').optional(),
        backoff: z
          .strictObject({
            initial: duration('First delay. Default 500ms.').optional(),
            max: duration('Largest delay. Default 30s.').optional(),
            factor: z
              .number()
              .min(1)
              .describe('Each delay is the previous one times this. Default 2.')
              .optional(),
            jitter: z
              .number()
              .min(0)
              .max(1)
              .describe('Random spread as a fraction of the delay. Default 0.1.')
              .optional(),
            reset_after: duration('A run this long resets backoff and count. Default 30s.').optional(),
          })
          .describe('Exponential backoff between restarts.')
          .optional(),
        on_exhausted: z
          .enum(['ignore', 'stop-dependents', 'shutdown'])
          .describe('What happens when restarts run out. Default ignore.')
          .optional(),
      }),
    ],
    {
      error:
        'expected one of no, on-failure, always, unless-stopped, or { policy, max, window, backoff, on_exhausted }',
    },
  )
  .describe('A policy name, or { policy, max, window, backoff, on_exhausted }. Default no.');

const signal = z.string().describe('A signal name such as SIGTERM (TERM also accepted).');
const stop = z
  .strictObject({
    signal: signal.optional(),
    grace: duration('How long the process gets to exit after the signal. Default 10s.').optional(),
    phases: z
      .array(z.strictObject({ signal, grace: duration('Wait after this signal before the next step.') }))
      .min(1)
      .describe('Signals sent in turn, each followed by its grace; SIGKILL comes last.')
      .optional(),
    kill_timeout: duration('Wait after SIGKILL before the stop fails. Default 3s.').optional(),
  })
  .refine((s) => s.phases === undefined || (s.signal === undefined && s.grace === undefined), {
    message: 'expected either signal/grace or phases, not both',
  })
  .describe('How a process is stopped: { signal, grace } or { phases: [{ signal, grace }], kill_timeout }.');

const dependsOn = z
  .union(
    [z.record(processName, z.enum(conditionNames, { error: CONDITION_EXPECTED })), z.array(processName)],
    { error: 'expected a map { name: condition } or a list of names' },
  )
  .describe(
    'Processes to wait for: { name: started|ready|completed|succeeded } or a list of names (= started).',
  );

const processSchema = z
  .strictObject({
    command: command('A command line (run by /bin/sh -c) or a list [program, ...args] (run directly).'),
    args: z
      .array(z.string())
      .describe('Arguments appended to command (shell-quoted for a command line).')
      .optional(),
    cwd: z
      .string()
      .min(1)
      .describe('Working directory, relative to the config file. Default its directory.')
      .optional(),
    env: envMap.optional(),
    env_file: envFile.optional(),
    depends_on: dependsOn.optional(),
    ready: probe('readiness').describe('Readiness probe. Without one, ready once spawned.').optional(),
    liveness: probe('liveness')
      .describe('Liveness probe, after ready; failures restart the process.')
      .optional(),
    restart: restart.optional(),
    stop: stop.optional(),
    replicas: z.int().min(1).describe('Number of instances, named name.1 … name.n. Default 1.').optional(),
    autostart: z.boolean().describe('Start with the others. Default true.').optional(),
    exit_on_end: z
      .boolean()
      .describe('When this process ends, the whole run ends. Default false.')
      .optional(),
  })
  .describe('One process.');

/** The whole `rxproc.yaml`. */
export const configSchema = z
  .strictObject({
    version: z.literal(1, 'expected 1').describe('Config format version. Default 1.').optional(),
    name: z.string().min(1).describe('Project name. Default the directory name.').optional(),
    env: envMap.optional(),
    env_file: envFile.optional(),
    defaults: z
      .strictObject({
        stop: stop.optional(),
        restart: restart.optional(),
      })
      .describe('Defaults for processes that set none.')
      .optional(),
    processes: z
      .record(processName, processSchema)
      .refine((p) => Object.keys(p).length > 0, 'expected at least one process')
      .describe('Processes by name.'),
  })
  .meta({ title: 'rxproc config', description: 'rxproc.yaml: the processes `rxproc up` runs.' });

/** A config as the schema accepts it (values not yet converted). */
export type ConfigInput = z.infer<typeof configSchema>;
/** One process as the schema accepts it. */
export type ProcessInput = z.infer<typeof processSchema>;
/** One probe as the schema accepts it. */
export type ProbeInput = z.infer<ReturnType<typeof probe>>;
/** A `stop:` block as the schema accepts it. */
export type StopInput = z.infer<typeof stop>;
/** A `restart:` value as the schema accepts it. */
export type RestartInput = z.infer<typeof restart>;
