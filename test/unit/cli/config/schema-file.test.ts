import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchema } from '../../../../src/cli/config/index.js';

describe('schema.json (shipped for editors)', () => {
  it('is the schema `rxproc config schema` prints (regenerate with npm run schema)', () => {
    const shipped = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../../../schema.json'), 'utf8'),
    ) as unknown;
    expect(shipped).to.deep.equal(configJsonSchema());
  });
});
