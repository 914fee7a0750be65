/**
 * Goals on per-run figures (a task's extras, such as the longest event-loop delay of a run), judged after all runs
 * and printed under the case's table as notes.
 */
import { median } from './stats.js';
import { fixed } from './table.js';
import type { CaseResult } from './types.js';

/** One per-run figure of one variant, and the bound it is held to (if any). */
export interface ExtraGoal {
  readonly variant: string;
  /** The extra's name, as the task reports it. */
  readonly extra: string;
  /** What the figure is, for the reader: `longest event-loop delay (ms)`. */
  readonly label: string;
  /** Upper bound (inclusive); without one the figure is only reported. */
  readonly atMost?: number;
  /**
   * Which figure the bound applies to: `worst` (the largest of all runs, for figures that are themselves maxima:
   * "every SIGTERM within 600 ms" must hold in every run) or `median`.
   */
  readonly judgeOn?: 'worst' | 'median';
  readonly digits?: number;
}

/** The values of `extra` in every run of `variant` (none when the variant failed or did not report it). */
export function extraValues(result: CaseResult, variant: string, extra: string): number[] {
  const found = result.variants.find((v) => v.variant === variant);
  if (found === undefined || found.failures.length > 0) return [];
  return found.samples.map((s) => s.extras?.[extra]).filter((x): x is number => x !== undefined);
}

/** `- rxproc, longest event-loop delay (ms): median 21.0, worst run 24.1 (3 runs); goal ≤ 50 (worst run): met` */
export function extraGoalNote(result: CaseResult, goal: ExtraGoal): string {
  const values = extraValues(result, goal.variant, goal.extra);
  const digits = goal.digits ?? 1;
  const head = `- ${goal.variant}, ${goal.label}:`;
  if (values.length === 0) return `${head} n/a (no successful run)`;
  const mid = median(values);
  const worst = Math.max(...values);
  const figures = `median ${fixed(mid, digits)}, worst run ${fixed(worst, digits)} (${values.length} runs)`;
  if (goal.atMost === undefined) return `${head} ${figures}`;
  const judgeOn = goal.judgeOn ?? 'worst';
  const judged = judgeOn === 'worst' ? worst : mid;
  const verdict = judged <= goal.atMost ? 'met' : 'MISSED';
  return `${head} ${figures}; goal ≤ ${goal.atMost} (${judgeOn === 'worst' ? 'worst run' : 'median'}): ${verdict}`;
}

/** The case with a note per goal added under its table. */
export function withExtraGoals(result: CaseResult, goals: readonly ExtraGoal[]): CaseResult {
  return { ...result, notes: [...(result.notes ?? []), ...goals.map((goal) => extraGoalNote(result, goal))] };
}
