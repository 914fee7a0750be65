/**
 * The order of the service table: each service under the dependency that starts last, so a glance shows what
 * waits on what.
 */
import type { ServiceState } from '../../../index.js';

/** A table row: the service and how deep it sits under its dependencies. */
export interface TreeRow {
  readonly service: ServiceState;
  readonly depth: number;
}

/**
 * Services in tree order. `services` come dependencies first (as `state$` gives them); each service is placed
 * under its deepest dependency (the first one on a tie), roots keep their given order. Unknown dependencies
 * (filtered out) are ignored, so a service is never lost.
 */
export function treeOrder(services: readonly ServiceState[]): TreeRow[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const depth = new Map<string, number>();
  const children = new Map<string, ServiceState[]>();
  const roots: ServiceState[] = [];
  for (const s of services) {
    let parent: string | undefined;
    let parentDepth = -1;
    for (const dep of Object.keys(s.dependsOn)) {
      const d = depth.get(dep);
      // A dependency listed after its dependent (a cycle or a bad order) cannot be a parent: skip it.
      if (!byName.has(dep) || d === undefined) continue;
      if (d > parentDepth) {
        parent = dep;
        parentDepth = d;
      }
    }
    depth.set(s.name, parentDepth + 1);
    if (parent === undefined) roots.push(s);
    else children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const rows: TreeRow[] = [];
  const visit = (s: ServiceState): void => {
    rows.push({ service: s, depth: depth.get(s.name) ?? 0 });
    for (const child of children.get(s.name) ?? []) visit(child);
  };
  roots.forEach(visit);
  return rows;
}
