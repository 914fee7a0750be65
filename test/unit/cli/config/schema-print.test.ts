import { expect } from 'chai';
import { parse } from 'yaml';
import { configJsonSchema, loadConfig, printConfig } from '../../../../src/cli/config/index.js';
import { toMilliseconds } from '../../../../src/cli/config/duration.js';
import { lines, tempProject } from './temp-project.js';

interface JsonSchemaNode {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchemaNode>;
  additionalProperties?: boolean | JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  items?: JsonSchemaNode;
  required?: string[];
}

/** Every object schema reachable from `node`, with the path it was found at. */
function objectsIn(node: JsonSchemaNode, path = '$'): [string, JsonSchemaNode][] {
  const found: [string, JsonSchemaNode][] = node.properties ? [[path, node]] : [];
  for (const [key, child] of Object.entries(node.properties ?? {}))
    found.push(...objectsIn(child, `${path}.${key}`));
  if (typeof node.additionalProperties === 'object')
    found.push(...objectsIn(node.additionalProperties, `${path}.*`));
  node.anyOf?.forEach((child, i) => found.push(...objectsIn(child, `${path}|${i}`)));
  if (node.items) found.push(...objectsIn(node.items, `${path}[]`));
  return found;
}

describe('cli config: JSON Schema', () => {
  const schema = configJsonSchema() as unknown as JsonSchemaNode & { $schema: string };

  it('is draft 2020-12, requires processes, and rejects unknown keys in every object', () => {
    expect(schema.$schema).to.equal('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).to.deep.equal(['processes']);
    expect(schema.properties).to.have.property('processes');
    const objects = objectsIn(schema);
    expect(objects.length).to.be.greaterThan(10);
    for (const [path, object] of objects) expect(object.additionalProperties, path).to.equal(false);
  });

  it('describes every key', () => {
    for (const [path, object] of objectsIn(schema)) {
      for (const [key, property] of Object.entries(object.properties ?? {})) {
        expect(property.description, `${path}.${key}`).to.be.a('string').and.not.equal('');
      }
    }
  });
});

describe('cli config: durations', () => {
  it('reads numbers as ms and unit strings, and refuses the rest', () => {
    expect(['500ms', '2s', '1.5s', '1m', '1h', '1m30s', 250, 0].map(toMilliseconds)).to.deep.equal([
      500, 2000, 1500, 60_000, 3_600_000, 90_000, 250, 0,
    ]);
    for (const bad of ['fast', '5', '-1s', '1 s', '', -1, NaN, Infinity, 2 ** 31, '600h']) {
      expect(toMilliseconds(bad), String(bad)).to.equal(undefined);
    }
  });
});

describe('cli config: printConfig', () => {
  it('prints the resolved config with ms, regex sources and shutdown phases, in YAML or JSON', () => {
    const project = tempProject({
      'rxproc.yaml': lines(
        'defaults: { stop: { signal: SIGINT, grace: 2s } }',
        'processes:',
        "  web: { command: vite, ready: { log: 'ready in \\d+', timeout: 1m }, restart: { policy: always, max: unlimited } }",
      ),
    });
    try {
      const result = loadConfig({ cwd: project.dir });
      if (!result.ok) expect.fail(JSON.stringify(result.errors));
      const printed = parse(printConfig(result.project)) as Record<string, unknown>;
      expect(printed).to.deep.include({ source: 'yaml', exitOnEnd: [] });
      expect(printed['shutdown']).to.deep.equal({
        phases: [{ signal: 'SIGINT', timeoutMs: 2000 }],
        killTimeoutMs: 3000,
      });
      expect(printed['services']).to.deep.equal({
        web: {
          command: 'vite',
          shell: true,
          cwd: project.dir,
          ready: { timeoutMs: 60_000, log: 'ready in \\d+' },
          restart: { policy: 'always', maxRestarts: 'unlimited' },
        },
      });
      const json = JSON.parse(printConfig(result.project, 'json')) as Record<string, unknown>;
      expect(json).to.deep.equal(printed);
    } finally {
      project.remove();
    }
  });
});
