import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { allRules } from '../../core/dist/index.js';
import { allDocs } from '../../scripts/gen-docs.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('rule catalog and generated reference', () => {
  it('the committed reference docs match the schemas and rules (run `npm run docs`)', () => {
    for (const [path, text] of Object.entries(allDocs())) assert.equal(readFileSync(join(root, path), 'utf8'), text, `${path} is out of date`);
  });
  it('every code used in the source is declared in the catalog', () => {
    const declared = new Set(allRules().map((rule) => rule.code));
    const sources = (dir) =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []));
    for (const file of sources(join(root, 'core/src'))) {
      for (const [, code] of readFileSync(file, 'utf8').matchAll(/code: '((?:dns|hcl|tf|tfvars|file|lagoon|lagoon-yml|live|pulumi|yaml)\/[a-z0-9-]+)'/g))
        assert.ok(declared.has(code), `${code} in ${file} is not in the rule catalog`);
    }
  });
  it('every rule in the catalog is reported somewhere (no rule is declared and never fires)', () => {
    const sources = (dir) =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []));
    // Declarations are `'code': { severity ...`; uses are the code in any other position.
    const uses = sources(join(root, 'core/src'))
      .map((file) => readFileSync(file, 'utf8').replace(/'[a-z-]+\/[a-z0-9-]+': \{ severity/g, ''))
      .join('\n');
    for (const rule of allRules()) assert.ok(uses.includes(`'${rule.code}'`), `${rule.code} is declared but never reported`);
  });
});
