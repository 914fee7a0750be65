/** Turns case results into the tables printed by `npm run bench` (also valid Markdown). */
import { median, ratio } from './stats.js';
import { fixed, formatTable, mib, ratioCell } from './table.js';
import type { Column } from './table.js';
import type { CaseResult, VariantResult } from './types.js';

/** The variants the goals are about (`rxproc`, or `rxproc <how>`); peers are shown for context only. */
const SUBJECT = 'rxproc';

function isSubject(variant: string): boolean {
  return variant === SUBJECT || variant.startsWith(`${SUBJECT} `);
}

/** A goal factor as written in the issue, without float noise: 1 / 0.95 prints as `1.05`. */
function factor(value: number): string {
  return String(Number(value.toFixed(2)));
}

function goalTexts(result: CaseResult): string[] {
  const { goals } = result;
  const reference = goals.against ?? 'raw';
  return [
    goals.timeRatio === undefined ? undefined : `time ≤ ${factor(goals.timeRatio)}× ${reference}`,
    goals.rssRatio === undefined ? undefined : `RSS growth ≤ ${factor(goals.rssRatio)}× raw`,
    goals.rssGrowthMiB === undefined ? undefined : `RSS growth < ${goals.rssGrowthMiB} MiB`,
  ].filter((text) => text !== undefined);
}

/** `12.3 ok` / `80.1 MISS` against an absolute bound in MiB, or the plain figure without one. */
function mibCell(bytes: number, goalMiB: number | undefined): string {
  const text = mib(bytes);
  if (goalMiB === undefined || !Number.isFinite(bytes)) return text;
  return `${text} ${bytes / 2 ** 20 < goalMiB ? 'ok' : 'MISS'}`;
}

function rateCell(result: CaseResult, medianMs: number): string {
  const throughput = result.throughput;
  if (throughput === undefined) return fixed(medianMs / result.operations, 3);
  return fixed(throughput.amount / (medianMs / 1000), 1);
}

function row(result: CaseResult, v: VariantResult): string[] {
  const { goals } = result;
  const subject = isSubject(v.variant);
  const failed = v.failures.length > 0 ? ' (FAILED)' : '';
  const cells = [
    `${v.variant}${failed}`,
    fixed(v.medianTimeMs, 0),
    fixed(v.minTimeMs, 0),
    rateCell(result, v.medianTimeMs),
    ratioCell(v.timeRatio, subject && goals.against === undefined ? goals.timeRatio : undefined),
  ];
  if (goals.against !== undefined) {
    cells.push(ratioCell(v.againstRatio ?? Number.NaN, subject ? goals.timeRatio : undefined));
  }
  cells.push(
    mibCell(v.medianRssGrowthBytes, subject ? goals.rssGrowthMiB : undefined),
    ratioCell(v.rssRatio, subject ? goals.rssRatio : undefined),
  );
  return cells;
}

function columns(result: CaseResult): Column[] {
  const perOperation =
    result.throughput === undefined ? (result.perOperation ?? 'ms/child') : `${result.throughput.unit}/s`;
  const list: Column[] = [
    { header: 'variant' },
    { header: 'median ms', numeric: true },
    { header: 'min ms', numeric: true },
    { header: perOperation, numeric: true },
    { header: 'time vs raw', numeric: true },
  ];
  if (result.goals.against !== undefined)
    list.push({ header: `time vs ${result.goals.against}`, numeric: true });
  list.push({ header: 'RSS growth MiB', numeric: true }, { header: 'RSS vs raw', numeric: true });
  return list;
}

function extraMedian(v: VariantResult, name: string): number {
  return median(v.samples.map((s) => s.extras?.[name]).filter((x) => x !== undefined));
}

/** `- variant, median of: name 12.3 (1.10× raw), …` for the variants whose tasks reported extra figures. */
function extrasLines(result: CaseResult): string[] {
  const floor = result.variants[0];
  return result.variants.flatMap((v) => {
    const names = [...new Set(v.samples.flatMap((s) => Object.keys(s.extras ?? {})))];
    if (names.length === 0) return [];
    const medians = names.map((name) => {
      const value = extraMedian(v, name);
      const versus = floor === undefined || floor === v ? Number.NaN : ratio(value, extraMedian(floor, name));
      return `${name} ${fixed(value, 1)}${Number.isFinite(versus) ? ` (${versus.toFixed(2)}× raw)` : ''}`;
    });
    return [`- ${v.variant}, median of: ${medians.join(', ')}`];
  });
}

export function formatCase(result: CaseResult): string {
  const goalText = goalTexts(result);
  const table = formatTable(
    columns(result),
    result.variants.map((v) => row(result, v)),
  );
  const configs = result.variants.map((v) => `- ${v.variant}: ${v.config}`);
  const failures = result.variants.flatMap((v) =>
    v.failures.map((f) => `- ${v.variant} failed: ${f.split('\n').slice(0, 6).join('\n    ')}`),
  );
  return [
    `### ${result.name}: ${result.description}`,
    `Median of ${result.reps} runs per variant, each in a fresh worker, order rotated between runs.` +
      (goalText.length > 0 ? ` Goals for ${SUBJECT}: ${goalText.join(', ')}.` : ''),
    '',
    table,
    '',
    ...configs,
    ...extrasLines(result),
    ...(result.notes ?? []),
    ...failures,
  ].join('\n');
}
