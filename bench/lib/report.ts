/** Turns case results into the tables printed by `npm run bench` (also valid Markdown). */
import { fixed, formatTable, mib, ratioCell } from './table.js';
import type { CaseResult } from './types.js';

/** The variant the goals are about; peers are shown for context only. */
const SUBJECT = 'rxproc';

export function formatCase(result: CaseResult): string {
  const { goals } = result;
  const goalText = [
    goals.timeRatio === undefined ? undefined : `time ≤ ${goals.timeRatio}× raw`,
    goals.rssRatio === undefined ? undefined : `RSS growth ≤ ${goals.rssRatio}× raw`,
  ].filter((text) => text !== undefined);
  const rows = result.variants.map((v) => {
    const subject = v.variant === SUBJECT;
    const failed = v.failures.length > 0 ? ' (FAILED)' : '';
    return [
      `${v.variant}${failed}`,
      fixed(v.medianTimeMs, 0),
      fixed(v.minTimeMs, 0),
      fixed(v.medianTimeMs / result.operations, 3),
      ratioCell(v.timeRatio, subject ? goals.timeRatio : undefined),
      mib(v.medianRssGrowthBytes),
      ratioCell(v.rssRatio, subject ? goals.rssRatio : undefined),
    ];
  });
  const table = formatTable(
    [
      { header: 'variant' },
      { header: 'median ms', numeric: true },
      { header: 'min ms', numeric: true },
      { header: 'ms/child', numeric: true },
      { header: 'time vs raw', numeric: true },
      { header: 'RSS growth MiB', numeric: true },
      { header: 'RSS vs raw', numeric: true },
    ],
    rows,
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
    ...failures,
  ].join('\n');
}
