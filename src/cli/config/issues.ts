/** Zod issues in the words of a config file: one problem per unknown key, "did you mean", missing keys named. */
import { z } from 'zod';
import type { KeyPath, RawProblem } from './types.js';

/** Turns a failed parse's issues into problems; positions are added later from the paths. */
export function problemsFromIssues(
  schema: z.ZodType,
  input: unknown,
  issues: readonly z.core.$ZodIssue[],
): RawProblem[] {
  const problems: RawProblem[] = [];
  const missing: KeyPath[] = [];
  // Paths of keys a typo's "did you mean" already names: "missing" at the same place would say it twice.
  const suggested = new Set<string>();
  for (const issue of issues.flatMap(intoBranch)) {
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, path);
      for (const key of issue.keys) {
        const guess = closest(key, known);
        if (guess !== undefined) suggested.add(JSON.stringify([...path, guess]));
        problems.push({ path: [...path, key], at: 'key', message: unknownKeyMessage(key, guess, known) });
      }
    } else if (issue.code === 'invalid_key') {
      // A record key failed its pattern (a process or variable name): the inner issue says why.
      problems.push({ path, at: 'key', message: issue.issues[0]?.message ?? issue.message });
    } else if (path.length > 0 && valueAt(input, path) === undefined) {
      // Any issue about a value that is not there (a union's, a type's) means the key is missing.
      missing.push(path);
    } else {
      problems.push({ path, message: tidy(issue.message) });
    }
  }
  for (const path of missing) {
    if (suggested.has(JSON.stringify(path))) continue;
    problems.push({ path, message: `missing required key "${String(path[path.length - 1])}"` });
  }
  return problems;
}

/**
 * A union (`command: string | list`, `restart: policy | map`) reports "no branch matched". When exactly one
 * branch had the right type, its own issues say far more (`depends_on.a: expected one of started, …`), so those
 * are used instead, with their paths made whole.
 */
function intoBranch(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue];
  const typed = issue.errors.filter(
    (branch) => !branch.some((i) => i.code === 'invalid_type' && i.path.length === 0),
  );
  if (typed.length !== 1) return [issue];
  return typed[0]!.flatMap((inner) => intoBranch({ ...inner, path: [...issue.path, ...inner.path] }));
}

function valueAt(input: unknown, path: KeyPath): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

/** Zod's default wording starts with a category ("Invalid input: expected …"); the "expected" part is the point. */
function tidy(message: string): string {
  const expected = /expected .*/i.exec(message);
  return expected ? expected[0].replace(/^Expected/, 'expected') : message;
}

function unknownKeyMessage(key: string, guess: string | undefined, known: readonly string[]): string {
  if (guess !== undefined) return `unknown key "${key}"; did you mean "${guess}"?`;
  return known.length > 0
    ? `unknown key "${key}"; expected one of ${known.join(', ')}`
    : `unknown key "${key}"`;
}

/** Names other tools use for our keys (docker-compose, process-compose, Kubernetes). */
const SYNONYMS: Readonly<Record<string, string>> = {
  period: 'interval',
  period_seconds: 'interval',
  cmd: 'command',
  entrypoint: 'command',
  environment: 'env',
  working_dir: 'cwd',
  working_directory: 'cwd',
  healthcheck: 'ready',
  readiness_probe: 'ready',
  liveness_probe: 'liveness',
  shutdown: 'stop',
  depends: 'depends_on',
  dependencies: 'depends_on',
  services: 'processes',
};

/**
 * The known key nearest to a typo: another tool's name for it, one within 2 edits (1 for short keys), or one that
 * ends with `_<key>`.
 */
export function closest(key: string, known: readonly string[]): string | undefined {
  const synonym = SYNONYMS[key.toLowerCase()];
  if (synonym !== undefined && known.includes(synonym)) return synonym;
  let best: string | undefined;
  let bestDistance = key.length <= 4 ? 2 : 3;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best ?? known.find((candidate) => candidate.endsWith(`_${key}`));
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The keys the schema allows at `path` (the object whose key was unknown), through optionals, unions and records. */
function knownKeysAt(schema: z.ZodType, path: KeyPath): string[] {
  let candidates: z.ZodType[] = [schema];
  for (const segment of path) {
    candidates = candidates.flatMap((c) => childSchemas(c, segment));
  }
  return [...new Set(candidates.flatMap((c) => objectKeys(c)))];
}

function unwrap(schema: z.ZodType): z.ZodType[] {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable)
    return unwrap(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodType[]).flatMap(unwrap);
  return [schema];
}

function childSchemas(schema: z.ZodType, segment: string | number): z.ZodType[] {
  return unwrap(schema).flatMap((s): z.ZodType[] => {
    if (s instanceof z.ZodObject && typeof segment === 'string') {
      const child = (s.shape as Record<string, z.ZodType | undefined>)[segment];
      return child ? [child] : [];
    }
    if (s instanceof z.ZodRecord && typeof segment === 'string') return [s.valueType as z.ZodType];
    if (s instanceof z.ZodArray && typeof segment === 'number') return [s.element as z.ZodType];
    return [];
  });
}

function objectKeys(schema: z.ZodType): string[] {
  return unwrap(schema).flatMap((s) => (s instanceof z.ZodObject ? Object.keys(s.shape) : []));
}
