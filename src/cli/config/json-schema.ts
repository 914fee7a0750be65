/** The config's JSON Schema, for `rxproc config schema` and editors (`# yaml-language-server: $schema=…`). */
import { z } from 'zod';
import { configSchema } from './schema.js';

/**
 * A draft 2020-12 JSON Schema of `rxproc.yaml`, generated from the same zod schemas the loader checks with, so
 * the two cannot drift. It describes what may be written (durations as numbers or `2s`-style strings), every key
 * has a description, and objects reject unknown keys (`additionalProperties: false`; at the top level `x-…` keys
 * are allowed). Checks the schema language cannot say (a regex compiles, exactly one probe kind, dependency names
 * exist) are only in the loader.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  });
  // The loader drops top-level `x-…` keys (anchor holders) before zod sees them; say so to editors.
  return { ...schema, patternProperties: { '^x-': { description: 'Ignored: a place for YAML anchors.' } } };
}
