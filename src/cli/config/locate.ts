/** From key paths to line and column in the YAML source, using the node ranges `yaml` keeps. */
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { pathToString, type ConfigProblem, type RawProblem } from './types.js';

/**
 * Places a problem: at the key or value `path` names, or, when the path goes further than the file (a missing
 * key), at the deepest mapping or list that exists on the way.
 */
export function placeProblem(
  problem: RawProblem,
  doc: Document,
  lineCounter: LineCounter,
  file: string,
): ConfigProblem {
  const offset = offsetOf(doc, problem);
  const { line, col } = offset === undefined ? { line: 1, col: 1 } : lineCounter.linePos(offset);
  return { file, line, col, path: pathToString(problem.path), message: problem.message };
}

function offsetOf(doc: Document, problem: RawProblem): number | undefined {
  let node: unknown = doc.contents;
  let key: Node | undefined;
  let found = true;
  for (const segment of problem.path) {
    // An alias stands for the node it names; follow it so problems inside `<<: *base` still find a place.
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    let nextKey: Node | undefined;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (pair) {
        next = pair.value;
        nextKey = pair.key as Node;
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
    }
    if (next === undefined && nextKey === undefined) {
      found = false;
      break;
    }
    node = next;
    key = nextKey;
  }
  const valueStart = rangeStart(node);
  if (found && problem.at === 'key' && key) return rangeStart(key);
  // `key:` with nothing after it has a null value with no useful range: point at the key then.
  return valueStart ?? rangeStart(key);
}

function rangeStart(node: unknown): number | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const range = (node as Node).range;
    if (range) return range[0];
  }
  return undefined;
}

/** The problems of YAML syntax and duplicate keys, placed. */
export function yamlProblems(
  doc: Document,
  lineCounter: LineCounter,
  file: string,
  text: string,
): ConfigProblem[] {
  return doc.errors.map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    // With prettyErrors off the messages carry no source excerpt; the first line is the whole message.
    const message =
      error.code === 'DUPLICATE_KEY'
        ? `duplicate key "${text.slice(error.pos[0], error.pos[1]).trim()}" (each key may appear once)`
        : error.message;
    return { file, line, col, path: '', message: message.split('\n')[0] ?? message };
  });
}
