// One schema, three services: whatever completion offers, validation accepts and
// hover explains, for every block of Terraform's own table, every provider
// resource Shoreline knows, the Pulumi YAML program keys and .lagoon.yml keys.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  analyzeLagoonYml,
  analyzeModule,
  analyzePulumiProgram,
  complete,
  completeYaml,
  hover,
  hoverYaml,
  KNOWN_PROVIDERS,
  parseHcl,
  snippetToPlainText,
  TERRAFORM_FILE_BLOCKS,
} from '../../core/dist/index.js';

const UNKNOWN = new Set(['tf/unknown-attribute', 'tf/unknown-block', 'tf/block-labels', 'hcl/syntax-error']);

/** Every path of nested blocks in the built-in table, as [schema, ...] chains (dynamic's content excluded). */
function blockPaths(blocks, prefix = []) {
  return blocks.flatMap((block) => {
    const path = [...prefix, block];
    return [
      path,
      ...(prefix.length < 3
        ? blockPaths(
            (block.blocks ?? []).filter((nested) => nested.name !== 'dynamic'),
            path,
          )
        : []),
    ];
  });
}

/** A document with the blocks of `path` opened, the cursor on an empty line inside the innermost. */
function documentAt(path, typeLabel) {
  let text = '';
  path.forEach((block, depth) => {
    const labels = (block.labels ?? []).map((label, index) => ` "${depth === 0 && index === 0 && typeLabel ? typeLabel : label.replace(/[^a-z]/g, '') || 'x'}"`).join('');
    text += `${'  '.repeat(depth)}${block.name}${labels} {\n`;
  });
  const line = path.length;
  const indent = '  '.repeat(path.length);
  const close = path.map((_, depth) => `${'  '.repeat(path.length - 1 - depth)}}\n`).join('');
  return { before: text, indent, line, close };
}

function offeredAndJudged(path, typeLabel) {
  const { before, indent, line, close } = documentAt(path, typeLabel);
  const document = parseHcl(`${before}${indent}\n${close}`, { source: 'main.tf' });
  const items = complete(document, { line, character: indent.length });
  return items.map((item) => {
    // An empty placeholder after '=' is where the user types a value: null stands in for it.
    const inserted = snippetToPlainText(item.textEdit.newText).replace(/= *$/gm, '= null');
    const text = `${before}${indent}${inserted}\n${close}`;
    const diagnostics = [...analyzeModule([parseHcl(text, { source: 'main.tf' })]).values()].flat();
    return { item, text, problems: diagnostics.filter((d) => UNKNOWN.has(d.code) && d.range.start.line >= line) };
  });
}

describe('completion offers only what validation accepts', () => {
  for (const path of blockPaths(TERRAFORM_FILE_BLOCKS)) {
    const name = path.map((block) => block.name).join(' > ');
    it(`inside ${name}`, () => {
      const results = offeredAndJudged(path);
      if (!path.at(-1).openAttributes) assert.ok(results.length > 0 || (path.at(-1).attributes.length === 0 && !(path.at(-1).blocks ?? []).length), `nothing offered in ${name}`);
      for (const { item, text, problems } of results) assert.deepEqual(problems, [], `${item.label} in ${name}:\n${text}`);
    });
  }
  for (const provider of KNOWN_PROVIDERS) {
    for (const resource of provider.resources) {
      it(`inside ${resource.kind} "${resource.type}"`, () => {
        const root = TERRAFORM_FILE_BLOCKS.find((block) => block.name === resource.kind);
        const results = offeredAndJudged([root], resource.type);
        assert.ok(results.length > 0);
        for (const { item, text, problems } of results) assert.deepEqual(problems, [], `${item.label}:\n${text}`);
      });
    }
  }
});

describe('hover explains what completion offers', () => {
  it('every argument of every built-in block (property)', () => {
    const paths = blockPaths(TERRAFORM_FILE_BLOCKS).filter((path) => path.at(-1).attributes.length > 0);
    fc.assert(
      fc.property(
        fc.constantFrom(...paths).chain((path) => fc.tuple(fc.constant(path), fc.constantFrom(...path.at(-1).attributes))),
        ([path, attr]) => {
          const { before, indent, line, close } = documentAt(path);
          const document = parseHcl(`${before}${indent}${attr.name} = 1\n${close}`, { source: 'main.tf' });
          const shown = hover(document, { line, character: indent.length + 1 });
          assert.ok(shown?.contents.value.includes(attr.description), `${attr.name} in ${path.map((block) => block.name).join(' > ')}`);
        },
      ),
      { numRuns: 200 },
    );
  });
  it('every top-level block type', () => {
    for (const block of TERRAFORM_FILE_BLOCKS) {
      const labels = (block.labels ?? []).map(() => ' "a"').join('');
      const shown = hover(parseHcl(`${block.name}${labels} {\n}\n`), { line: 0, character: 1 });
      assert.ok(shown?.contents.value.includes(block.description), block.name);
    }
  });
});

describe('YAML: keys completion offers are keys validation accepts, and hover describes them', () => {
  it('Pulumi YAML program and resource keys', () => {
    const top = completeYaml('Pulumi.yaml', 'name: p\nruntime: yaml\n\n', { line: 2, character: 0 });
    assert.ok(top.some((item) => item.label === 'resources'));
    for (const item of top) {
      const text = `name: p\nruntime: yaml\n${item.label}: {}\n`;
      assert.ok(!analyzePulumiProgram(text).some((d) => d.code === 'pulumi/unknown-key'), item.label);
      assert.ok(hoverYaml('Pulumi.yaml', text, { line: 2, character: 1 }), `hover on ${item.label}`);
    }
    const misspelt = analyzePulumiProgram('name: p\nruntime: yaml\nresorces: {}\n').find((d) => d.code === 'pulumi/unknown-key');
    assert.match(misspelt.message, /did you mean 'resources'/);
    assert.equal(misspelt.severity, 'warning');
    // Pulumi YAML reads resource fields without regard to case (with a warning): so does Shoreline.
    const cased = analyzePulumiProgram(
      'name: p\nruntime: yaml\nresources:\n  p:\n    Type: lagoon:lagoon:Project\n    Properties:\n      name: shop\n      gitUrl: git@github.com:acme/shop.git\n      deploytargetId: 1\n      productionEnvironment: main\n',
    );
    assert.deepEqual(
      cased.filter((d) => d.severity === 'error').map((d) => d.code),
      [],
    );
    assert.ok(cased.some((d) => d.code === 'pulumi/unknown-key' && /write 'type'/.test(d.message)));
  });
  it('.lagoon.yml keys at the top, in tasks and in an environment', () => {
    const cases = [
      { path: '', text: 'docker-compose-yaml: docker-compose.yml\n\n', line: 1 },
      { path: 'environments.main', text: 'environments:\n  main:\n    \n', line: 2 },
      { path: 'routes.autogenerate', text: 'routes:\n  autogenerate:\n    \n', line: 2 },
    ];
    for (const { path, text, line } of cases) {
      const character = text.split('\n')[line].length;
      const items = completeYaml('.lagoon.yml', text, { line, character });
      assert.ok(items.length > 0, path);
      for (const item of items) {
        const lines = text.split('\n');
        lines[line] = `${lines[line]}${item.label}: ${item.label === 'docker-compose-yaml' ? 'x.yml' : 'null'}`;
        const written = lines.join('\n');
        assert.ok(!analyzeLagoonYml(written).some((d) => d.code === 'lagoon-yml/unknown-key'), `${path}.${item.label}`);
        const shown = hoverYaml('.lagoon.yml', written, { line, character: character + 1 });
        assert.ok(shown?.contents.value.length > item.label.length + 10, `hover on ${path}.${item.label}`);
        assert.ok(item.documentation, `completion documents ${path}.${item.label}`);
      }
    }
  });
});
