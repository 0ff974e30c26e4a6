// Every "did you mean" comes with the quick fix that writes the suggestion,
// in each kind of file, spelled as that file spells it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkPaths } from '../../core/dist/check/index.js';

const FILES = {
  'mod/versions.tf': 'terraform {\n  required_providers {\n    dreamhost = {\n      source = "adamantal/dreamhost"\n    }\n  }\n}\n',
  'mod/main.tf': [
    'variable "region" {\n  type = string\n}\n',
    'resourc "dreamhost_dns_record" "a" {\n}\n',
    'resource "dreamhost_dns_recrd" "b" {\n  record = "b.example.com"\n}\n',
    'resource "dreamhost_dns_record" "www" {\n  record = "www.example.com"\n  type   = "A"\n  valeu  = "192.0.2.1"\n}\n',
    'resource "dreamhost_dns_record" "dyn" {\n  record = "dyn.example.com"\n  type   = "A"\n  value  = "192.0.2.2"\n  lifecycle {\n    ignore_changes = []\n  }\n  lifecyle {\n  }\n}\n',
    'import {\n  to = dreamhost_dns_record.wwww\n  id = "www.example.com|A|192.0.2.1"\n}\n',
  ].join('\n'),
  'mod/terraform.tfvars': 'regoin = "eu"\n',
  'mod/prod.tfvars.json': '{ "regin": "eu" }\n',
  'site/.lagoon.yml': 'docker-compose-yaml: docker-compose.yml\nenvironmets:\n  main:\n    routes: []\n',
  // A list item's field, in each program language: the fix at the key, spelled as the language writes keys.
  'yaml/Pulumi.yaml': 'name: y\nruntime: yaml\nresources:\n  r:\n    type: lagoon:lagoon:Route\n    properties:\n      pathRoutes:\n        - path: /api\n          toServce: api\n',
  'py/Pulumi.yaml': 'name: p\nruntime: python\n',
  'py/__main__.py': 'from pulumi_lagoon import Route\n\nRoute("r", path_routes=[{"path": "/api", "to_servce": "api"}])\n',
  'ts/Pulumi.yaml': 'name: t\nruntime: nodejs\n',
  'ts/index.ts': 'import * as lagoon from "@tag1consulting/pulumi-lagoon";\n\nnew lagoon.Route("r", { pathRoutes: [{ path: "/api", toServce: "api" }] });\n',
};

/** The text a fix leaves: the file with the fix's range replaced. */
function applied(text, { range, newText }) {
  const lines = text.split('\n');
  const offset = (position) => lines.slice(0, position.line).reduce((sum, line) => sum + line.length + 1, 0) + position.character;
  return text.slice(0, offset(range.start)) + newText + text.slice(offset(range.end));
}

describe('did-you-mean quick fixes', () => {
  let folder;
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'shoreline-did-you-mean-'));
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(join(folder, path, '..'), { recursive: true });
      writeFileSync(join(folder, path), text);
    }
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('offers the suggestion as a fix wherever a message suggests one, and the fixed text says it', async () => {
    const result = await checkPaths(['.'], { cwd: folder });
    const suggested = result.files.flatMap((file) => file.diagnostics.filter((d) => /did you mean/.test(d.message)).map((d) => ({ file: file.path, d })));
    const codes = suggested.map(({ file, d }) => `${file} ${d.code}`).sort();
    assert.deepEqual(codes, [
      'mod/main.tf tf/import-target-undeclared',
      'mod/main.tf tf/unknown-attribute',
      'mod/main.tf tf/unknown-block',
      'mod/main.tf tf/unknown-block',
      'mod/main.tf tf/unknown-resource-type',
      'mod/prod.tfvars.json tfvars/undeclared-variable',
      'mod/terraform.tfvars tfvars/undeclared-variable',
      'py/__main__.py lagoon/unknown-property',
      'site/.lagoon.yml lagoon-yml/unknown-key',
      'ts/index.ts lagoon/unknown-property',
      'yaml/Pulumi.yaml lagoon/unknown-property',
    ]);
    for (const { file, d } of suggested) {
      const suggestion = /did you mean '?([^'?]+)'?\?/.exec(d.message)[1];
      assert.ok(d.fixes?.length, `${file}: a fix for "${d.message}"`);
      const text = readFileSync(join(folder, file), 'utf8');
      const fixed = applied(text, d.fixes[0]);
      assert.equal(d.fixes[0].title, `Change to ${suggestion}`);
      assert.ok(fixed.includes(suggestion), `${file}: ${fixed}`);
    }
    // Spelled as each file spells it: identifiers bare, labels and JSON keys quoted.
    const fixOf = (file, code, nth = 0) => suggested.filter((entry) => entry.file === file && entry.d.code === code)[nth].d.fixes[0].newText;
    assert.equal(fixOf('mod/main.tf', 'tf/unknown-attribute'), 'value');
    assert.equal(fixOf('mod/main.tf', 'tf/unknown-resource-type'), '"dreamhost_dns_record"');
    assert.deepEqual(
      suggested
        .filter((entry) => entry.d.code === 'tf/unknown-block')
        .map((entry) => entry.d.fixes[0].newText)
        .sort(),
      ['lifecycle', 'resource'],
    );
    assert.equal(fixOf('mod/main.tf', 'tf/import-target-undeclared'), 'dreamhost_dns_record.www');
    assert.equal(fixOf('mod/terraform.tfvars', 'tfvars/undeclared-variable'), 'region');
    assert.equal(fixOf('mod/prod.tfvars.json', 'tfvars/undeclared-variable'), '"region"');
    assert.equal(fixOf('site/.lagoon.yml', 'lagoon-yml/unknown-key'), 'environments');
    assert.equal(fixOf('yaml/Pulumi.yaml', 'lagoon/unknown-property'), 'toService');
    assert.equal(fixOf('py/__main__.py', 'lagoon/unknown-property'), '"to_service"');
    assert.equal(fixOf('ts/index.ts', 'lagoon/unknown-property'), 'toService');
  });
});
