/** The shapes shared by the runner, the suites and the worker; also the layout of `bench/results/latest.json`. */
import type { MachineInfo } from './machine.js';
import type { Revision } from './revision.js';

/** One run of one variant, as measured inside its worker process. */
export interface Measurement {
  /** Wall-clock time of the measured part, in milliseconds. */
  readonly timeMs: number;
  /** Peak RSS during the measured part minus the settled baseline before it, in bytes. */
  readonly rssGrowthBytes: number;
  /** Further figures a task reports (such as bytes dropped by a lossy consumer); medians appear under the table. */
  readonly extras?: Readonly<Record<string, number>>;
}

/** Numbers passed from a suite to a task in its worker. */
export type TaskParams = Readonly<Record<string, number>>;

/** A measured operation, run inside a fresh worker process. */
export type Task = (params: TaskParams) => Promise<Measurement>;

/** All runs of one variant of a case, and their summary. */
export interface VariantResult {
  readonly variant: string;
  /** The exact configuration, so readers can judge the comparison. */
  readonly config: string;
  readonly samples: readonly Measurement[];
  /** Why runs failed or were skipped; a failed variant has no figures. */
  readonly failures: readonly string[];
  readonly medianTimeMs: number;
  readonly minTimeMs: number;
  readonly medianRssGrowthBytes: number;
  /** Median time divided by the raw floor's median time. */
  readonly timeRatio: number;
  /** Median RSS growth divided by the raw floor's. */
  readonly rssRatio: number;
  /** Median time divided by the median time of the case's `goals.against` variant, when the case names one. */
  readonly againstRatio?: number;
}

/**
 * What a case's rxproc variant is held to. Time goals compare with the raw floor, or with the variant named by
 * `against` (a peer) when set; `rssGrowthMiB` is an absolute bound on the median RSS growth.
 */
export interface CaseGoals {
  readonly timeRatio?: number;
  readonly rssRatio?: number;
  readonly against?: string;
  readonly rssGrowthMiB?: number;
}

/** A work amount per run, shown as a rate column (`amount / seconds`), e.g. 1073.7 MB or 10 M lines. */
export interface Throughput {
  readonly amount: number;
  readonly unit: string;
}

/** One scenario of a suite, with the goals its rxproc variant is held to. */
export interface CaseResult {
  readonly name: string;
  readonly description: string;
  readonly reps: number;
  /** Operations per run (children per run), for the per-operation column. */
  readonly operations: number;
  /** Header of the per-operation column; default `ms/child`. */
  readonly perOperation?: string;
  /** When set, a rate column replaces the per-operation one. */
  readonly throughput?: Throughput;
  readonly goals: CaseGoals;
  readonly variants: readonly VariantResult[];
  /** Lines printed under the table: goals on per-run figures (extras) and how they fared. */
  readonly notes?: readonly string[];
}

export interface SuiteResult {
  readonly suite: string;
  readonly cases: readonly CaseResult[];
}

/** What a suite gets from the runner. */
export interface SuiteContext {
  /** Prints a progress line (to stderr, so stdout holds only the report). */
  readonly progress: (line: string) => void;
}

/** The function every `bench/suites/<name>.ts` exports as `run`. */
export type SuiteRun = (context: SuiteContext) => Promise<SuiteResult>;

/** The whole of `bench/results/latest.json`. */
export interface BenchReport {
  readonly date: string;
  readonly machine: MachineInfo;
  readonly revision: Revision;
  readonly suites: readonly SuiteResult[];
  readonly errors: readonly { readonly suite: string; readonly error: string }[];
  readonly leakedProcessesKilled: number;
  readonly totalSeconds: number;
}
