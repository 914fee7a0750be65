/** Dependency checks the CLI must place in the file: unknown names and cycles (the supervisor only names them). */
import type { ConfigInput } from './schema.js';
import type { KeyPath, RawProblem } from './types.js';

interface Edge {
  readonly to: string;
  /** Where the entry is written: the key of a map entry, the item of a list. */
  readonly path: KeyPath;
  readonly at: 'key' | 'value';
}

/** Problems with `depends_on`: names that are not processes, and each cycle (named in full, at the entry closing it). */
export function dependencyProblems(processes: ConfigInput['processes']): RawProblem[] {
  const problems: RawProblem[] = [];
  const edges = new Map<string, Edge[]>();
  for (const [name, process] of Object.entries(processes)) {
    const base = ['processes', name, 'depends_on'];
    const deps = process.depends_on;
    const list: Edge[] = Array.isArray(deps)
      ? deps.map((to: string, i) => ({ to, path: [...base, i], at: 'value' as const }))
      : Object.keys(deps ?? {}).map((to) => ({ to, path: [...base, to], at: 'key' as const }));
    for (const edge of list) {
      if (!(edge.to in processes)) {
        problems.push({
          path: edge.path,
          at: edge.at,
          message: unknownMessage(edge.to, Object.keys(processes)),
        });
      }
    }
    edges.set(
      name,
      list.filter((e) => e.to in processes),
    );
  }
  problems.push(...cycleProblems(edges));
  return problems;
}

function unknownMessage(name: string, known: readonly string[]): string {
  return `unknown process "${name}"; expected one of ${known.join(', ')}`;
}

/** Depth-first search; every edge back into the current path closes a cycle. */
function cycleProblems(edges: ReadonlyMap<string, readonly Edge[]>): RawProblem[] {
  const problems: RawProblem[] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const visit = (name: string): void => {
    stack.push(name);
    onStack.add(name);
    for (const edge of edges.get(name) ?? []) {
      if (onStack.has(edge.to)) {
        const cycle = [...stack.slice(stack.indexOf(edge.to)), edge.to];
        problems.push({ path: edge.path, at: edge.at, message: `dependency cycle: ${cycle.join(' → ')}` });
      } else if (!done.has(edge.to)) {
        visit(edge.to);
      }
    }
    stack.pop();
    onStack.delete(name);
    done.add(name);
  };
  for (const name of edges.keys()) if (!done.has(name)) visit(name);
  return problems;
}
