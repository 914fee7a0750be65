import { DependencyCycleError } from './errors.js';

/** @internal */
/**
 * Orders nodes so that every node comes after the nodes it depends on, keeping the given order among nodes that
 * do not depend on each other (a dashboard lists services the way the configuration does).
 * @throws {@link DependencyCycleError} naming one cycle, when there is one.
 */
export function dependencyOrder(
  nodes: readonly string[],
  dependsOn: (node: string) => readonly string[],
): string[] {
  const ordered: string[] = [];
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (node: string): void => {
    if (done.has(node)) return;
    const seenAt = onPath.indexOf(node);
    if (seenAt !== -1) throw new DependencyCycleError([...onPath.slice(seenAt), node]);
    onPath.push(node);
    for (const dependency of dependsOn(node)) visit(dependency);
    onPath.pop();
    done.add(node);
    ordered.push(node);
  };
  for (const node of nodes) visit(node);
  return ordered;
}

/** @internal */
/**
 * The stop level of each node: 0 for nodes nothing depends on, otherwise one more than the highest level of its
 * dependents. Stopping level 0 first, then 1, … stops every dependent before what it depends on, and everything
 * of one level in parallel.
 */
export function stopLevels(
  ordered: readonly string[],
  dependsOn: (node: string) => readonly string[],
): Map<string, number> {
  const levels = new Map<string, number>();
  for (const node of ordered) levels.set(node, 0);
  // Dependents come after their dependencies in `ordered`: walking it backwards settles each node's level before
  // its dependencies read it.
  for (let index = ordered.length - 1; index >= 0; index--) {
    const node = ordered[index]!;
    const level = levels.get(node)!;
    for (const dependency of dependsOn(node)) {
      levels.set(dependency, Math.max(levels.get(dependency)!, level + 1));
    }
  }
  return levels;
}
