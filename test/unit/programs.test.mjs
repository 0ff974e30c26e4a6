import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import {
  analyzeProgram,
  checkPaths,
  completeProgram,
  diskFiles,
  editBetween,
  findProject,
  hoverProgram,
  LAGOON_RESOURCES,
  loadedGrammars,
  ProgramModelCache,
  PROGRAM_SDKS,
  pythonName,
  readProgramFile,
} from '../../core/dist/index.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'programs');

/** Every file under a folder. */
function filesUnder(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** `# expect: CODE[, CODE]` / `// expect: ...` markers: the findings a fixture line must have. */
function expectedFindings(folder) {
  const expected = [];
  for (const file of filesUnder(folder).filter((path) => /\.(py|ts|js)$/.test(path))) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        const marker = line.match(/(?:#|\/\/) expect: ([a-z0-9-]+\/[a-z0-9-]+(?:, [a-z0-9-]+\/[a-z0-9-]+)*)$/);
        if (marker) for (const code of marker[1].split(',')) expected.push(`${relative(folder, file)}:${index + 1} ${code.trim()}`);
      });
  }
  return expected.sort();
}

async function findingsOf(folder) {
  const result = await checkPaths([folder], { cwd: folder });
  assert.deepEqual(result.errors, []);
  return result.files.flatMap((file) => file.diagnostics.map((d) => `${file.path}:${d.range.start.line + 1} ${d.code}`)).sort();
}

/** Program files in memory: path → text. */
const memoryFiles = (files) => ({
  read: async (path) => files[path],
  isFile: async (path) => path in files,
});

async function analyzeMemory(files) {
  const view = memoryFiles(files);
  const project = await findProject(
    Object.keys(files).find((path) => !path.endsWith('Pulumi.yaml')),
    view,
  );
  return analyzeProgram(project, view);
}
const codesOf = (analysis, file) => (analysis.files.get(file) ?? []).map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`);

describe('Pulumi programs: grammars', () => {
  // First in this file: nothing before it has read a program.
  it('loads no grammar for workspaces without program files', async () => {
    await checkPaths([join(FIXTURES, '..', 'modules')]);
    assert.deepEqual(loadedGrammars(), []);
  });

  it('parses an edited file incrementally to the same tree as a fresh parse, counting UTF-16 code units', async () => {
    const cache = new ProgramModelCache();
    const before = 'import pulumi_lagoon as l\nlabel = "é😀"\nl.Group("g", name="ok")\n';
    const after = before.replace('"é😀"', '"😀😀é"').replace('name="ok"', 'name=" bad"');
    await cache.model('a.py', before);
    const edited = await cache.model('a.py', after);
    const fresh = await readProgramFile('a.py', after);
    assert.deepEqual(
      edited.declarations.map((d) => d.inputs.map((i) => [i.written, i.valueRange, i.value])),
      fresh.declarations.map((d) => d.inputs.map((i) => [i.written, i.valueRange, i.value])),
    );
    assert.deepEqual(editBetween('abc\ndef', 'abc\ndXef'), {
      startIndex: 5,
      oldEndIndex: 5,
      newEndIndex: 6,
      startPosition: { row: 1, column: 1 },
      oldEndPosition: { row: 1, column: 1 },
      newEndPosition: { row: 1, column: 2 },
    });
  });

  it('completion after an edit that adds an import knows the new name', async () => {
    const cache = new ProgramModelCache();
    const first = 'import pulumi_lagoon as l\nl.Group("g", name="x")\n';
    await cache.model('b.py', first);
    const second = 'import pulumi_lagoon as l\nfrom pulumi_lagoon import Environment\nl.Group("g", name="x")\nEnvironment("e", )\n';
    const items = await completeProgram('b.py', second, { line: 3, character: 17 }, undefined, cache);
    assert.ok(items.some((item) => item.label === 'deploy_type'));
  });
});

describe('Pulumi programs: zones records refer to', () => {
  it("places a record in the zone a variable of its own file names, never one of another file's variables of the same name", async () => {
    const record = (label, name) => `new aws.route53.Record("${label}", { zoneId: zone.zoneId, name: "${name}", type: "A", ttl: 300, records: ["192.0.2.1"] });\n`;
    const analysis = await analyzeMemory({
      '/p/Pulumi.yaml': 'name: p\nruntime: nodejs\n',
      '/p/index.ts': `import * as aws from "@pulumi/aws";\nimport "./other";\nconst zone = new aws.route53.Zone("main", { name: "example.org" });\n${record('a', 'www')}${record('b', 'www.example.org')}`,
      // Its own \`zone\`: a lookup, whose name Shoreline does not know. Its records are in no known zone, so not duplicates of index.ts's.
      '/p/other.ts': `import * as aws from "@pulumi/aws";\nconst zone = aws.route53.getZoneOutput({ name: "example.net" });\n${record('c', 'www')}`,
    });
    assert.deepEqual(codesOf(analysis, '/p/index.ts'), ['5:107 dns/duplicate-record']);
    assert.deepEqual(codesOf(analysis, '/p/other.ts'), []);
  });

  it('inside a function a zone name may be a parameter or a local: only top-level records are placed by it', async () => {
    const ts = await analyzeMemory({
      '/t/Pulumi.yaml': 'name: t\nruntime: nodejs\n',
      '/t/index.ts':
        'import * as aws from "@pulumi/aws";\nconst zone = new aws.route53.Zone("main", { name: "example.org" });\n' +
        'new aws.route53.Record("a", { zoneId: zone.zoneId, name: "www", type: "A", ttl: 300, records: ["192.0.2.1"] });\n' +
        'export function other(zone: aws.route53.Zone) {\n  new aws.route53.Record("b", { zoneId: zone.zoneId, name: "www", type: "A", ttl: 300, records: ["192.0.2.1"] });\n}\n',
    });
    assert.deepEqual(codesOf(ts, '/t/index.ts'), []);
    const py = await analyzeMemory({
      '/q/Pulumi.yaml': 'name: q\nruntime: python\n',
      '/q/__main__.py':
        'import pulumi_aws as aws\nzone = aws.route53.Zone("main", name="example.org")\n' +
        'aws.route53.Record("a", zone_id=zone.zone_id, name="www", type="A", ttl=300, records=["192.0.2.1"])\n' +
        'def other(zone):\n    aws.route53.Record("b", zone_id=zone.zone_id, name="www", type="A", ttl=300, records=["192.0.2.1"])\n' +
        'aws.route53.Record("c", zone_id=zone.zone_id, name="www.example.org", type="A", ttl=300, records=["192.0.2.1"])\n',
    });
    assert.deepEqual(codesOf(py, '/q/__main__.py'), ['6:98 dns/duplicate-record']);
  });
});

describe('Pulumi programs: fixtures', () => {
  for (const name of ['python-broken', 'typescript-broken', 'python-dns', 'typescript-dns']) {
    it(`${name}: every check fires where the fixture says, and nowhere else`, async () => {
      const folder = join(FIXTURES, name);
      assert.deepEqual(await findingsOf(folder), expectedFindings(folder));
    });
  }

  for (const [name, resources] of [
    ['python-valid', 17],
    ['typescript-valid', 12],
  ]) {
    it(`${name}: a valid program shaped like the provider's examples has no findings`, async () => {
      const folder = join(FIXTURES, name);
      assert.deepEqual(await findingsOf(folder), []);
      const entry = filesUnder(folder).find((path) => /(__main__\.py|index\.ts)$/.test(path));
      const analysis = await analyzeProgram(await findProject(entry, diskFiles), diskFiles);
      // The resources were read (nothing passes by not being seen).
      assert.equal(analysis.usesSdk, true);
      assert.equal(analysis.declarations.length, resources);
    });
  }

  it('files of the project its program does not import (tests, scripts) are not read', async () => {
    const result = await checkPaths([join(FIXTURES, 'python-valid')]);
    assert.ok(!result.files.some((file) => file.path.includes('test_sites.py')));
    const direct = await checkPaths([join(FIXTURES, 'python-valid', 'tests', 'test_sites.py')]);
    assert.equal(direct.files.length, 0);
    assert.match(direct.errors[0].message, /not part of a Pulumi program/);
  });
});

describe('Pulumi programs: names and forms', () => {
  it('maps every schema name to the Python SDK spelling', () => {
    assert.equal(pythonName('gitUrl'), 'git_url');
    assert.equal(pythonName('deploytargetId'), 'deploytarget_id');
    assert.equal(pythonName('deployTargetId'), 'deploy_target_id');
    assert.equal(pythonName('apiURL'), 'api_url');
    assert.equal(pythonName('SHA256Hash'), 'sha256_hash');
    assert.equal(pythonName('hstsIncludeSubdomains'), 'hsts_include_subdomains');
    for (const resource of LAGOON_RESOURCES) for (const property of resource.properties) assert.match(pythonName(property.name), /^[a-z][a-z0-9_]*$/);
  });

  it('knows the SDK classes of every Lagoon resource, the provider and the bridged DreamHost record', () => {
    const lagoon = PROGRAM_SDKS.find((sdk) => sdk.title === 'Lagoon');
    for (const resource of LAGOON_RESOURCES) assert.equal(lagoon.classes.get(resource.name)?.schema, resource);
    assert.ok(lagoon.classes.has('Provider'));
    assert.ok(PROGRAM_SDKS.find((sdk) => sdk.title === 'DreamHost').classes.has('DnsRecord'));
  });

  it('reads Python imports in every form: module alias, submodule alias, wildcard, relative helper packages', async () => {
    const analysis = await analyzeMemory({
      '/p/Pulumi.yaml': 'name: p\nruntime: python\n',
      '/p/__main__.py': [
        'import pulumi_lagoon.lagoon as ll',
        'from pulumi_lagoon import *',
        'from app import build',
        'll.Project("a", name="A", git_url="git@h:o/r.git", deploytarget_id=1)',
        'Environment("e", name="main", project_id=1, deploy_type="branch", environment_type="prod")',
        'build()',
      ].join('\n'),
      '/p/app/__init__.py': 'from .parts import build\n',
      '/p/app/parts.py': 'from pulumi_lagoon import lagoon\ndef build():\n    lagoon.Group("g", name="")\n',
    });
    assert.deepEqual(codesOf(analysis, '/p/__main__.py'), ['4:22 lagoon/invalid-value', '5:84 lagoon/invalid-value']);
    assert.deepEqual(codesOf(analysis, '/p/app/parts.py'), ['3:28 lagoon/invalid-value']);
    assert.ok(analysis.files.has('/p/app/__init__.py'));
  });

  it('reads Python literals as Python does: escapes, raw and f-strings, concatenation, numbers; computed values are unknown', async () => {
    const analysis = await analyzeMemory({
      '/p/Pulumi.yaml': 'name: p\nruntime: python\n',
      '/p/__main__.py': [
        'import pulumi, pulumi_lagoon as l',
        'cfg = pulumi.Config()',
        'l.Group("g1", name="dev" "s")',
        'l.Group("g2", name=f"{cfg.get(\'x\')}")',
        'l.Group("g3", name=r"\\t")',
        'l.Group("g4", name="\\t x")',
        'l.Project("p", name="p", git_url="git@h:o/r.git", deploytarget_id=-1)',
        'l.Project("q", name="q", git_url="git@h:o/r.git", deploytarget_id=1_000, auto_idle=True)',
        'l.Variable("v", name="X", value=cfg.require("v"), project_id=None, scope=("runtime"))',
      ].join('\n'),
    });
    assert.deepEqual(codesOf(analysis, '/p/__main__.py'), ['6:20 lagoon/invalid-value', '7:67 lagoon/invalid-value', '8:84 lagoon/property-type']);
  });

  it('ranges count UTF-16 code units, as LSP positions do', async () => {
    const analysis = await analyzeMemory({
      '/p/Pulumi.yaml': 'name: p\nruntime: nodejs\n',
      '/p/index.ts': 'import * as l from "@tag1consulting/pulumi-lagoon";\nconst label = "é😀"; new l.Group("g", { name: " x" });\n',
    });
    assert.deepEqual(codesOf(analysis, '/p/index.ts'), ['2:47 lagoon/invalid-value']);
  });

  it('reads TypeScript and JavaScript imports in every form: named, default, require, import = require, a .js specifier naming .ts source', async () => {
    const analysis = await analyzeMemory({
      '/p/Pulumi.yaml': 'name: p\nruntime: nodejs\nmain: src\n',
      '/p/src/index.mjs': 'import lagoon from "@tag1consulting/pulumi-lagoon";\nimport "./more.js";\nnew lagoon.Group("a", { name: " a" });\n',
      '/p/src/more.ts': 'import l = require("@tag1consulting/pulumi-lagoon");\nimport { helper } from "./helper";\nnew l.lagoon.Group("b", { name: " b" });\n',
      '/p/src/helper.js': 'const { Group: G } = require("@tag1consulting/pulumi-lagoon");\nnew G("c", { name: " c" });\nexports.helper = 1;\n',
    });
    assert.deepEqual(codesOf(analysis, '/p/src/index.mjs'), ['3:31 lagoon/invalid-value']);
    assert.deepEqual(codesOf(analysis, '/p/src/more.ts'), ['3:33 lagoon/invalid-value']);
    assert.deepEqual(codesOf(analysis, '/p/src/helper.js'), ['2:20 lagoon/invalid-value']);
  });

  it('treats what it cannot see as unknown: args variables, spreads, **kwargs, options that read existing resources', async () => {
    const analysis = await analyzeMemory({
      '/p/Pulumi.yaml': 'name: p\nruntime: python\n',
      '/p/__main__.py': [
        'import pulumi',
        'from pulumi_lagoon import Project, ProjectArgs',
        'args = make_args()',
        'Project("a", args)',
        'Project("b", **settings)',
        'Project("c", opts=pulumi.ResourceOptions(id="12"))',
        'Project("d", ProjectArgs(**settings))',
        'Project("e", ProjectArgs(...))',
      ].join('\n'),
    });
    assert.deepEqual(codesOf(analysis, '/p/__main__.py'), []);
  });

  it('a program that imports no provider SDK gets nothing, nor does a Python file outside any Pulumi project', async () => {
    const analysis = await analyzeMemory({ '/p/Pulumi.yaml': 'name: p\nruntime: python\n', '/p/__main__.py': 'import pulumi_azure_native\nProject("x")\n' });
    assert.equal(analysis.usesSdk, false);
    assert.equal(await findProject('/elsewhere/x.py', memoryFiles({})), undefined);
  });
});

describe('Pulumi programs: completion and hover', () => {
  const at = (source) => {
    const offset = source.indexOf('|');
    const before = source.slice(0, offset).split('\n');
    return { text: source.replace('|', ''), position: { line: before.length - 1, character: before.at(-1).length } };
  };
  const labels = (items) => items.map((item) => item.label);

  it('completes Python argument names in snake_case, those not written yet, with snippets', async () => {
    const { text, position } = at('from pulumi_lagoon import Project, ProjectArgs\nProject("n", ProjectArgs(name="x", g|))\n');
    const items = await completeProgram('a.py', text, position);
    assert.ok(labels(items).includes('git_url'));
    assert.ok(!labels(items).includes('name'));
    assert.equal(items.find((item) => item.label === 'git_url').textEdit.newText, 'git_url="$1"');
    assert.deepEqual(items.find((item) => item.label === 'git_url').textEdit.range, { start: { line: 1, character: 35 }, end: position });
  });

  it('completes accepted values inside a string and after `=`, quoted as the language writes them', async () => {
    const inString = at('import pulumi_lagoon as l\nl.Environment("n", deploy_type="|")\n');
    assert.deepEqual(labels(await completeProgram('a.py', inString.text, inString.position)), ['branch', 'pullrequest', 'promote']);
    const afterEquals = at('import pulumi_lagoon as l\nl.Environment("n", deploy_type=|)\n');
    assert.equal((await completeProgram('a.py', afterEquals.text, afterEquals.position))[0].textEdit.newText, '"branch"');
    const ts = at('import * as l from "@tag1consulting/pulumi-lagoon";\nnew l.Route("r", { insecure: "|" });\n');
    assert.deepEqual(labels(await completeProgram('a.ts', ts.text, ts.position)), ['Allow', 'Redirect', 'None']);
  });

  it('completes TypeScript property names in camelCase inside the args object, and nothing in nested objects', async () => {
    const keys = at('import * as l from "@tag1consulting/pulumi-lagoon";\nnew l.lagoon.Environment("n", {\n  name: "x",\n  dep|\n});\n');
    const items = await completeProgram('a.ts', keys.text, keys.position);
    assert.ok(labels(items).includes('deployType'));
    assert.ok(!labels(items).includes('name'));
    const nested = at('import * as l from "@tag1consulting/pulumi-lagoon";\nnew l.Environment("n", { name: "x" }, { dependsOn: [], |});\n');
    assert.deepEqual(await completeProgram('a.ts', nested.text, nested.position), []);
    const unrelated = at('import * as aws from "@pulumi/aws";\nnew aws.s3.Bucket("b", { |});\n');
    assert.deepEqual(await completeProgram('a.ts', unrelated.text, unrelated.position), []);
  });

  it('hovers with the schema docs: the resource on its class, an argument (and that changing it replaces the resource) on its name', async () => {
    const text = 'from pulumi_lagoon import Project, ProjectArgs\nProject("n", ProjectArgs(name="x"))\n';
    const onClass = await hoverProgram('a.py', text, { line: 1, character: 3 });
    assert.match(onClass.contents.value, /lagoon:lagoon:Project/);
    const onArgument = await hoverProgram('a.py', text, { line: 1, character: 27 });
    assert.match(onArgument.contents.value, /\*\*name\*\* \(Project\)/);
    assert.match(onArgument.contents.value, /changing it replaces the resource/);
    const ts = await hoverProgram('a.ts', 'import * as l from "@tag1consulting/pulumi-lagoon";\nnew l.Project("n", { gitUrl: "x" });\n', { line: 1, character: 23 });
    assert.match(ts.contents.value, /\*\*gitUrl\*\*/);
  });
});
