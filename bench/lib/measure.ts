/**
 * Runs the variants of one case N times each, every run in a fresh worker, in an order that changes between
 * repetitions, and summarises them against the raw `node:child_process` floor.
 */
import { runInWorker } from './isolate.js';
import { orderForRep } from './repeat.js';
import { median, minimum, ratio } from './stats.js';
import type { CaseResult, Measurement, SuiteContext, TaskParams, VariantResult } from './types.js';

/** One way of doing the case's work; the first variant of a case is the floor the others are compared to. */
export interface VariantSpec {
  readonly variant: string;
  readonly config: string;
  /** The task's name in the case's task module. */
  readonly task: string;
}

export interface CaseSpec {
  readonly name: string;
  readonly description: string;
  readonly moduleFile: string;
  readonly params: TaskParams;
  readonly reps: number;
  readonly operations: number;
  readonly perOperation?: string;
  readonly throughput?: CaseResult['throughput'];
  readonly timeoutMs: number;
  readonly goals: CaseResult['goals'];
  /** The floor first. */
  readonly variants: readonly VariantSpec[];
}

export async function measureCase(spec: CaseSpec, context: SuiteContext): Promise<CaseResult> {
  const samples = new Map<string, Measurement[]>(spec.variants.map((v) => [v.variant, []]));
  const failures = new Map<string, string[]>(spec.variants.map((v) => [v.variant, []]));
  for (let rep = 0; rep < spec.reps; rep += 1) {
    for (const variant of orderForRep(spec.variants, rep)) {
      const failed = failures.get(variant.variant)!;
      // A variant that failed once is not retried: a hang would cost a full timeout every repetition.
      if (failed.length > 0) continue;
      try {
        const measurement = await runInWorker(spec.moduleFile, variant.task, spec.params, spec.timeoutMs);
        samples.get(variant.variant)!.push(measurement);
        const extras = Object.entries(measurement.extras ?? {}).map(([k, v]) => ` ${k}=${v.toFixed(1)}`);
        context.progress(
          `  ${spec.name} rep ${rep + 1}/${spec.reps} ${variant.variant}: ${measurement.timeMs.toFixed(0)} ms` +
            `, RSS +${(measurement.rssGrowthBytes / 2 ** 20).toFixed(1)} MiB${extras.join('')}`,
        );
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        failed.push(message);
        context.progress(`  ${spec.name} rep ${rep + 1}/${spec.reps} ${variant.variant}: FAILED ${message}`);
      }
    }
  }
  const summaries = spec.variants.map((variant) =>
    summarise(variant, samples.get(variant.variant)!, failures.get(variant.variant)!),
  );
  const floor = summaries[0];
  const against = spec.goals.against;
  const reference = against === undefined ? undefined : summaries.find((s) => s.variant === against);
  if (against !== undefined && reference === undefined)
    throw new Error(`${spec.name}: no variant ${against}`);
  const variants: VariantResult[] = summaries.map((summary) => ({
    ...summary,
    timeRatio: ratio(summary.medianTimeMs, floor?.medianTimeMs ?? Number.NaN),
    rssRatio: ratio(summary.medianRssGrowthBytes, floor?.medianRssGrowthBytes ?? Number.NaN),
    ...(reference === undefined ? {} : { againstRatio: ratio(summary.medianTimeMs, reference.medianTimeMs) }),
  }));
  const { name, description, reps, operations, perOperation, throughput, goals } = spec;
  return { name, description, reps, operations, perOperation, throughput, goals, variants };
}

function summarise(
  variant: VariantSpec,
  samples: readonly Measurement[],
  failures: readonly string[],
): Omit<VariantResult, 'timeRatio' | 'rssRatio'> {
  // A variant with a failed run reports no figures: a median of the runs that happened to pass would mislead.
  const usable = failures.length === 0 ? samples : [];
  return {
    variant: variant.variant,
    config: variant.config,
    samples,
    failures,
    medianTimeMs: median(usable.map((s) => s.timeMs)),
    minTimeMs: minimum(usable.map((s) => s.timeMs)),
    medianRssGrowthBytes: median(usable.map((s) => s.rssGrowthBytes)),
  };
}
