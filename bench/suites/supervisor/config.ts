/**
 * Inputs of the `supervisor` suite (issue 10). Raw children are spawned with rxproc's own setup (detached, stdin
 * ignored, stdout/stderr piped), so every variant runs and signals the same kind of process.
 */
export { RAW_OPTIONS, RAW_CONFIG } from '../spawn/config.js';

/** Case (a): a service that says it is up, then stays up (the shell is replaced by `sleep`: one process). */
export const SERVICE_SCRIPT = 'echo ready; exec sleep 300';
/** Case (a): the line every service prints once up, and the readiness probe's pattern. */
export const READY_LINE = 'ready';
/** Case (a): services per run (one root `db` and the rest depending on it), after an untimed warm-up fan-out. */
export const FAN_OUT = { services: 50, warmup: 5 } as const;
/** Case (a): graceful budget of each stop; an upper bound only, `sleep` ends at once by SIGTERM. */
export const SIGTERM_TIMEOUT_MS = 5000;

/**
 * Case (b): `children` services printing `rate` lines per second each for `seconds`, then exiting by themselves.
 * RSS is sampled `rssEarlyS` and `rssLateS` seconds after the start; the steady-state CPU is measured between them.
 */
export const FLOOD = {
  children: 100,
  rate: 1000,
  seconds: 60,
  batch: 10,
  rssEarlyS: 10,
  rssLateS: 59,
} as const;

/** Case (b): bytes per line, newline included. */
export const FLOOD_LINE_BYTES = 60;

/**
 * Case (b): the writer, in Perl (a few MB and near-zero CPU per child: 100 Node children would take most of the
 * 2 cores the worker is measured on). Timer-based: at each wake-up it writes every line due since the start
 * (`rate` per second), `batch` lines every `batch / rate` seconds, one write per wake-up, exactly `rate × seconds`
 * lines in all. Each line: `<name> line <10-digit n> xxx…`, 60 bytes with the newline.
 * Arguments: name rate seconds batch.
 */
export const FLOOD_SCRIPT = [
  'use strict; use Time::HiRes qw(time sleep);',
  'my ($name, $rate, $secs, $batch) = @ARGV; $| = 1;',
  'my $total = $rate * $secs; my $pad = "x" x (' +
    String(FLOOD_LINE_BYTES - 1) +
    ' - length("$name line 0000000000 "));',
  'my $t0 = time; my $n = 0;',
  'while ($n < $total) {',
  '  my $due = int((time - $t0) * $rate); $due = $total if $due > $total;',
  '  my $buf = ""; while ($n < $due) { $buf .= sprintf("%s line %010d %s\\n", $name, $n, $pad); $n++; }',
  '  syswrite(STDOUT, $buf) if length $buf;',
  '  sleep($batch / $rate) if $n < $total;',
  '}',
].join(' ');

/** The flood child's command line for service `name`. */
export function floodArgs(name: string, params: { rate: number; seconds: number; batch: number }): string[] {
  return ['-e', FLOOD_SCRIPT, name, String(params.rate), String(params.seconds), String(params.batch)];
}
