import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LspClient, uriOf } from '../support/lsp-client.mjs';

const PY_MAIN = `import pulumi
from pulumi_lagoon import Project, ProjectArgs
from helpers import add_env

site = Project("site", ProjectArgs(name="site", git_url="git@github.com:agency/site.git", deploytarget_id=1))
add_env(site)
`;
const PY_HELPERS = `from pulumi_lagoon import lagoon


def add_env(project):
    lagoon.Environment("main", name="main", project_id=project.lagoon_id, deploy_type="branches", environment_type="production")
`;
const TS_INDEX = `import * as lagoon from "@tag1consulting/pulumi-lagoon";

new lagoon.lagoon.Project("shop", {
    name: "shop",
    gitUrl: "git@github.com:agency/shop.git",
    deploytargetId: 1,
    autoIdle: 3,
});
`;

let root;
let client;
const file = (...parts) => join(root, ...parts);
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'shoreline-lsp-programs-'));
  mkdirSync(file('py'));
  mkdirSync(file('ts'));
  mkdirSync(file('tools'));
  writeFileSync(file('py', 'Pulumi.yaml'), 'name: site\nruntime: python\n');
  writeFileSync(file('py', '__main__.py'), PY_MAIN);
  writeFileSync(file('py', 'helpers.py'), PY_HELPERS);
  writeFileSync(file('ts', 'Pulumi.yaml'), 'name: shop\nruntime: nodejs\n');
  writeFileSync(file('ts', 'index.ts'), TS_INDEX);
  // Python and TypeScript that are no Pulumi program of a provider Shoreline knows.
  writeFileSync(file('tools', 'report.py'), 'from pulumi_lagoon import Project\nProject("x", name="Not Valid")\n');
  writeFileSync(file('tools', 'build.ts'), 'import * as lagoon from "@tag1consulting/pulumi-lagoon";\nnew lagoon.Project("x", { name: "Not Valid" });\n');
  client = await LspClient.start({ root });
});
after(async () => {
  await client?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** The position of `needle` in `text` (plus `shift` characters), for requests and edits. */
function positionOf(text, needle, shift = 0) {
  const offset = text.indexOf(needle) + shift;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before.at(-1).length };
}
const rangeOf = (text, needle) => {
  const start = positionOf(text, needle);
  return { start, end: { line: start.line, character: start.character + needle.length } };
};
const at = (position) => `${position.line}:${position.character}`;

const codes = (diagnostics) => diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);

describe('language server: Pulumi programs in Python and TypeScript', () => {
  it('publishes each program file\u2019s findings once the workspace is indexed', async () => {
    assert.deepEqual(codes(await client.waitForDiagnostics(uriOf(file('py', 'helpers.py')), (d) => d.length > 0)), [`lagoon/invalid-value@${at(positionOf(PY_HELPERS, '"branches"'))}`]);
    assert.deepEqual(codes(await client.waitForDiagnostics(uriOf(file('ts', 'index.ts')), (d) => d.length > 0)), [`lagoon/invalid-value@${at(positionOf(TS_INDEX, '3,'))}`]);
    assert.deepEqual(await client.waitForDiagnostics(uriOf(file('py', '__main__.py'))), []);
  });

  it('re-validates the program as a file is edited; a file the program no longer imports is cleared', async () => {
    const helpers = uriOf(file('py', 'helpers.py'));
    client.open(helpers, PY_HELPERS, 1, 'python');
    const fixed = client.waitForDiagnostics(helpers, (d) => d.length === 0);
    client.change(helpers, 2, [{ range: rangeOf(PY_HELPERS, '"branches"'), text: '"branch"' }]);
    await fixed;
    client.change(helpers, 3, [{ range: rangeOf(PY_HELPERS.replace('"branches"', '"branch"'), '"branch"'), text: '"promotes"' }]);
    await client.waitForDiagnostics(helpers, (d) => d.length === 1);
    const main = uriOf(file('py', '__main__.py'));
    client.open(main, PY_MAIN, 1, 'python');
    const cleared = client.waitForDiagnostics(helpers, (d) => d.length === 0);
    client.change(main, 2, [{ range: rangeOf(PY_MAIN, 'from helpers import add_env'), text: '' }]);
    await cleared;
    // Imported again: part of the program again.
    const back = client.waitForDiagnostics(helpers, (d) => d.length === 1);
    client.change(main, 3, [{ range: { start: positionOf(PY_MAIN, 'from helpers'), end: positionOf(PY_MAIN, 'from helpers') }, text: 'from helpers import add_env' }]);
    await back;
  });

  it('completes argument names and values in .py and .ts files', async () => {
    const helpers = uriOf(file('py', 'helpers.py'));
    const names = await client.request('textDocument/completion', { textDocument: { uri: helpers }, position: positionOf(PY_HELPERS, 'name="main"') });
    assert.ok(names.some((item) => item.label === 'deploy_base_ref'));
    const ts = uriOf(file('ts', 'index.ts'));
    client.open(ts, TS_INDEX, 1, 'typescript');
    const values = await client.request('textDocument/completion', { textDocument: { uri: ts }, position: positionOf(TS_INDEX, '3,') });
    assert.deepEqual(
      values.map((item) => item.label),
      ['0', '1'],
    );
    const keys = await client.request('textDocument/completion', { textDocument: { uri: ts }, position: positionOf(TS_INDEX, '    autoIdle') });
    assert.ok(keys.some((item) => item.label === 'productionEnvironment'));
    assert.ok(!keys.some((item) => item.label === 'gitUrl'));
  });

  it('hovers with the schema\u2019s docs in .py and .ts files', async () => {
    const hover = await client.request('textDocument/hover', { textDocument: { uri: uriOf(file('ts', 'index.ts')) }, position: positionOf(TS_INDEX, 'gitUrl', 2) });
    assert.match(hover.contents.value, /\*\*gitUrl\*\* \(Project\)/);
    const py = await client.request('textDocument/hover', { textDocument: { uri: uriOf(file('py', 'helpers.py')) }, position: positionOf(PY_HELPERS, 'Environment', 2) });
    assert.match(py.contents.value, /lagoon:lagoon:Environment/);
  });

  it('stays silent in Python and TypeScript files that are no part of such a program', async () => {
    const report = uriOf(file('tools', 'report.py'));
    const build = uriOf(file('tools', 'build.ts'));
    client.open(report, 'from pulumi_lagoon import Project\nProject("x", name="Not Valid")\n', 1, 'python');
    client.open(build, 'import * as lagoon from "@tag1consulting/pulumi-lagoon";\nnew lagoon.Project("x", { name: "Not Valid" });\n', 1, 'typescript');
    assert.deepEqual(await client.request('textDocument/completion', { textDocument: { uri: report }, position: { line: 1, character: 13 } }), []);
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri: build }, position: { line: 1, character: 13 } }), null);
    // A publication for a program file after both were opened: none came for them.
    const ts = uriOf(file('ts', 'index.ts'));
    const next = client.nextDiagnostics(ts);
    client.change(ts, 2, [{ range: rangeOf(TS_INDEX, '3,'), text: '1,' }]);
    assert.deepEqual(await next, []);
    assert.equal(client.diagnostics.has(report), false);
    assert.equal(client.diagnostics.has(build), false);
    assert.deepEqual(client.errors(), []);
  });

  it('re-checks a program when one of its files changes on disk, and ignores changes under node_modules', async () => {
    // A closed file of the program, new on disk and then imported.
    writeFileSync(file('py', 'extra.py'), 'from pulumi_lagoon import Group\nGroup("g", name=" bad")\n');
    const main = uriOf(file('py', '__main__.py'));
    const imported = client.waitForDiagnostics(uriOf(file('py', 'extra.py')), (d) => d.length === 1);
    client.change(main, 4, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'import extra\n' }]);
    await imported;
    const fixed = client.waitForDiagnostics(uriOf(file('py', 'extra.py')), (d) => d.length === 0);
    writeFileSync(file('py', 'extra.py'), 'from pulumi_lagoon import Group\nGroup("g", name="good")\n');
    client.notify('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: uriOf(file('py', 'extra.py')), type: 2 },
        { uri: uriOf(file('ts', 'node_modules', 'x', 'index.js')), type: 1 },
      ],
    });
    await fixed;
    assert.deepEqual(client.errors(), []);
  });
});
