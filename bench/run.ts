/**
 * `npm run bench [-- <suite> ...]`: runs every suite in `bench/suites/` (or the named ones), prints machine info
 * and one table per case to stdout, progress to stderr, and writes `bench/results/latest.json`.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchDir, moduleExt, repoRoot } from './lib/paths.js';
import { leakedProcessesKilled } from './lib/isolate.js';
import { formatMachine, machineInfo } from './lib/machine.js';
import { gcAvailable } from './lib/memory.js';
import { formatCase } from './lib/report.js';
import { currentRevision } from './lib/revision.js';
import { sweepLeaks } from './lib/sweep.js';
import { elapsedMs, nowNs } from './lib/timing.js';
import type { BenchReport, SuiteContext, SuiteResult, SuiteRun } from './lib/types.js';

const suitesDir = join(benchDir, 'suites');
const resultsDir = join(repoRoot, 'bench', 'results');

function availableSuites(): string[] {
  return readdirSync(suitesDir)
    .filter((file) => file.endsWith(moduleExt))
    .map((file) => file.slice(0, -moduleExt.length))
    .sort();
}

function selectSuites(requested: readonly string[]): string[] {
  const available = availableSuites();
  const unknown = requested.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown suite(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  }
  return requested.length > 0 ? [...requested] : available;
}

// Ctrl-C reaches the workers (same group) but not their children (own groups): sweep them before leaving.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    sweepLeaks();
    process.exit(130);
  });
}

async function main(): Promise<void> {
  const start = nowNs();
  const names = selectSuites(process.argv.slice(2).filter((arg) => !arg.startsWith('-')));
  const machine = machineInfo(gcAvailable);
  const revision = currentRevision();
  const dirty = revision.srcDirty ? ' + uncommitted changes in src/' : '';
  console.log(`rxproc benchmarks, ${new Date().toISOString()}, commit ${revision.commit}${dirty}\n`);
  console.log(`${formatMachine(machine)}\n`);
  const context: SuiteContext = { progress: (line) => process.stderr.write(`${line}\n`) };
  const suites: SuiteResult[] = [];
  const errors: { suite: string; error: string }[] = [];
  for (const name of names) {
    context.progress(`suite ${name}`);
    try {
      const module = (await import(pathToFileURL(join(suitesDir, `${name}${moduleExt}`)).href)) as {
        run?: SuiteRun;
      };
      if (module.run === undefined) throw new Error(`bench/suites/${name}.ts exports no run()`);
      const result = await module.run(context);
      suites.push(result);
      for (const caseResult of result.cases) console.log(`${formatCase(caseResult)}\n`);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      errors.push({ suite: name, error: message });
      console.log(`### suite ${name} FAILED\n${message}\n`);
    }
  }
  const leaked = leakedProcessesKilled() + sweepLeaks();
  const totalSeconds = elapsedMs(start) / 1000;
  const report: BenchReport = {
    date: new Date().toISOString(),
    machine,
    revision,
    suites,
    errors,
    leakedProcessesKilled: leaked,
    totalSeconds,
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Leaked processes found and killed: ${leaked}`);
  console.log(`Total: ${totalSeconds.toFixed(1)} s; results in bench/results/latest.json`);
  if (errors.length > 0 || leaked > 0) process.exitCode = 1;
}

await main();
