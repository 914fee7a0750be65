/** Turning a ps-list listing into {@link ResourceUsage} rows. Pure; each OS module supplies the listing. */
import type { ProcessDescriptor } from 'ps-list';
import type { ResourceUsage } from './types.js';

/** @internal */
/**
 * The rows of `listing` whose pid was asked for, in listing order. Entries without numbers (ps-list on Windows
 * reports neither CPU nor memory) are left out rather than reported as zero, which would read as "idle".
 */
export function pickResourceUsage(
  listing: readonly ProcessDescriptor[],
  pids: readonly number[],
): ResourceUsage[] {
  const wanted = new Set(pids);
  const rows: ResourceUsage[] = [];
  for (const entry of listing) {
    if (!wanted.has(entry.pid) || entry.cpu === undefined || entry.memory === undefined) continue;
    rows.push({ pid: entry.pid, cpuPercent: entry.cpu, memoryPercent: entry.memory });
  }
  return rows;
}
