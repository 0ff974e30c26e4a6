import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseHcl } from '../../core/dist/index.js';

const hcl2 = createRequire(import.meta.url)('hcl2-parser');
const fixtures = new URL('../fixtures/valid/', import.meta.url);

const codes = (doc) => doc.diagnostics.map((d) => d.code);
const only = (text) => {
  const doc = parseHcl(text);
  assert.deepEqual(doc.diagnostics, [], JSON.stringify(doc.diagnostics));
  return doc;
};

/** Places our document's literal values where hcl2-parser puts them, for comparison. */
function compareBody(ours, theirs, path) {
  for (const attr of ours.attributes) {
    assert.ok(Object.hasOwn(theirs, attr.name), `${path}.${attr.name} missing in hcl2-parser output`);
    if (attr.value.known) assert.deepEqual(attr.value.value, theirs[attr.name], `${path}.${attr.name}`);
  }
  const seen = new Map();
  for (const block of ours.blocks) {
    let node = theirs[block.type];
    for (const label of block.labels) node = node?.[label];
    assert.ok(Array.isArray(node), `${path}.${block.type} ${block.labels.join(' ')} missing in hcl2-parser output`);
    const key = [block.type, ...block.labels].join('\u0000');
    const index = seen.get(key) ?? 0;
    seen.set(key, index + 1);
    compareBody(block, node[index], `${path}.${[block.type, ...block.labels].join('.')}`);
  }
}

describe('HCL document model', () => {
  it('gives exact 0-based ranges (UTF-16 columns) for blocks, labels, names and values', () => {
    const doc = only('# comment\nresource "dreamhost_dns_record" "wéb" {\n  record = "wéb.example.com"\n}\n');
    const [block] = doc.body.blocks;
    assert.equal(block.type, 'resource');
    assert.deepEqual(block.labels, ['dreamhost_dns_record', 'wéb']);
    assert.deepEqual(block.typeRange, { start: { line: 1, character: 0 }, end: { line: 1, character: 8 } });
    assert.deepEqual(block.labelRanges[1], { start: { line: 1, character: 32 }, end: { line: 1, character: 37 } });
    assert.deepEqual(block.range, { start: { line: 1, character: 0 }, end: { line: 3, character: 1 } });
    const [attr] = block.attributes;
    assert.deepEqual(attr.nameRange, { start: { line: 2, character: 2 }, end: { line: 2, character: 8 } });
    assert.deepEqual(attr.valueRange, { start: { line: 2, character: 11 }, end: { line: 2, character: 28 } });
    assert.deepEqual(attr.value, { known: true, value: 'wéb.example.com' });
  });

  it('marks references, calls, templates and operations as unknown, and keeps traversals', () => {
    const doc = only('a = var.x.y[0]\nb = upper("x")\nc = "${var.n}-x"\nd = 1 + 1\ne = x ? 1 : 2\nf = [for v in l : v]\ng = a.b[*].c\nh = [1, var.x]\ni = (1)\n');
    const kinds = Object.fromEntries(doc.body.attributes.map((attr) => [attr.name, attr.value.known ? 'known' : attr.value.kind]));
    assert.deepEqual(kinds, { a: 'reference', b: 'function-call', c: 'template', d: 'operation', e: 'conditional', f: 'for-expression', g: 'splat', h: 'reference', i: 'operation' });
    assert.equal(doc.body.attributes[0].traversal, 'var.x.y[0]');
  });

  it('reads flush heredocs, escapes and nested collections', () => {
    const doc = only('a = <<-EOT\n    x\n      y\n    EOT\nb = "q\\"\\u00e9$${z}"\nc = { k = [1, -2.5, { n = null }] }\n');
    assert.deepEqual(
      doc.body.attributes.map((attr) => attr.value.value),
      ['x\n  y\n', 'q"é${z}', { k: [1, -2.5, { n: null }] }],
    );
  });

  for (const file of readdirSync(fixtures).filter((name) => name.endsWith('.tf'))) {
    it(`literal values equal hcl2-parser's on ${file} (differential)`, () => {
      const text = readFileSync(new URL(file, fixtures), 'utf8');
      const [theirs, error] = hcl2.parseToObject(text);
      assert.equal(error, null);
      compareBody(only(text).body, theirs, file);
    });
  }

  it('agrees with hcl2-parser on generated literal attributes (differential, property)', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
    const scalar = fc.oneof(fc.string({ unit: 'grapheme-ascii' }), fc.integer({ min: -1e6, max: 1e6 }), fc.boolean(), fc.constant(null));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 3 })),
    })).node;
    const render = (v) =>
      v === null
        ? 'null'
        : Array.isArray(v)
          ? `[${v.map(render).join(', ')}]`
          : typeof v === 'object'
            ? `{ ${Object.entries(v)
                .map(([k, x]) => `${k} = ${render(x)}`)
                .join(', ')} }`
            : typeof v === 'string'
              ? JSON.stringify(v)
                  .replace(/\$\{/g, () => '$${')
                  .replace(/%\{/g, '%%{')
              : String(v);
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 }), (attrs) => {
        const text = `locals {\n${Object.entries(attrs)
          .map(([k, v]) => `  ${k} = ${render(v)}\n`)
          .join('')}}\n`;
        const [theirs, error] = hcl2.parseToObject(text);
        assert.equal(error, null, text);
        compareBody(only(text).body, theirs, 'generated');
      }),
      { numRuns: 60 },
    );
  });
});

describe('HCL syntax errors become diagnostics with ranges', () => {
  const cases = [
    ['resource "a" "b" {\n  x = 1\n', 'hcl/unclosed-block', /opened on line 1 is not closed/, 0],
    ['a = "abc\nb = 1\n', 'hcl/unterminated-string', /not closed/, 0],
    ['a = <<EOT\nline\n', 'hcl/unterminated-heredoc', /only EOT/, 0],
    ['resource "a" "b" {\n  x =\n}\n', 'hcl/syntax-error', /'x' has no value/, 1],
    ['a = 1\n}\n', 'hcl/syntax-error', /no open block/, 1],
    ['foo bar\n', 'hcl/syntax-error', /expected '\{' to open the 'foo' block \(or '=' for an attribute\)/, 0],
    ['a = "\\q"\n', 'hcl/syntax-error', /invalid escape sequence '\\q'/, 0],
    ['a = 1 b = 2\n', 'hcl/syntax-error', /own line/, 0],
    ['a = [1, 2\nb = 3\n', 'hcl/syntax-error', /expected ',' or ']'/, 1],
    ['a = 0x10\n', 'hcl/syntax-error', /not a number/, 0],
    ['a = (1\n', 'hcl/syntax-error', /expected '\)'/, 0],
    ['/* open\na = 1\n', 'hcl/syntax-error', /never closed/, 0],
    ['r "x" { a = 1\n  b = 2 }\n', 'hcl/syntax-error', /single-line/, 0],
  ];
  for (const [text, code, message, line] of cases) {
    it(`${JSON.stringify(text).slice(0, 40)} → ${code}`, () => {
      const doc = parseHcl(text);
      const found = doc.diagnostics.find((d) => d.code === code);
      assert.ok(found, JSON.stringify(doc.diagnostics));
      assert.match(found.message, message);
      assert.equal(found.range.start.line, line);
    });
  }

  it('recovers after an error and keeps reading later blocks', () => {
    const doc = parseHcl('resource "a" "one" {\n  x = = 1\n  y = 2\n}\nresource "a" "two" {\n  z = 3\n}\n');
    assert.deepEqual(codes(doc), ['hcl/syntax-error']);
    assert.deepEqual(
      doc.body.blocks.map((block) => block.labels[1]),
      ['one', 'two'],
    );
    assert.deepEqual(
      doc.body.blocks[0].attributes.map((attr) => attr.name),
      ['x', 'y'],
    );
  });

  it('caps the number of reported errors', () => {
    const doc = parseHcl('!\n'.repeat(500));
    assert.equal(doc.diagnostics.length, 51);
    assert.match(doc.diagnostics.at(-1).message, /450 more syntax errors/);
  });
});

describe('HCL bad input is bounded', () => {
  it('10,000 nested blocks: reported, no crash', () => {
    const doc = parseHcl('a {\n'.repeat(10000) + '}\n'.repeat(10000));
    assert.deepEqual(codes(doc), ['hcl/nesting-too-deep']);
  });
  it('10,000 nested lists: reported, no crash', () => {
    const doc = parseHcl(`a = ${'['.repeat(10000)}${']'.repeat(10000)}\nb = 1\n`);
    assert.ok(codes(doc).includes('hcl/nesting-too-deep'));
    assert.deepEqual(doc.body.attributes.at(-1).value, { known: true, value: 1 });
  });
  it('10,000 unary minus signs: reported, no crash', () => {
    const doc = parseHcl(`a = ${'-'.repeat(10000)}1\n`);
    assert.ok(codes(doc).includes('hcl/nesting-too-deep'));
  });
  it('never throws on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => void parseHcl(text)),
      { numRuns: 500 },
    );
    const pieces = fc.constantFrom('a', ' = ', '"', '{', '}', '[', ']', '(', ')', '${', '%{', '<<EOT\n', '\nEOT\n', '\n', '#', '/*', '*/', '\\', ',', '.', '?', ':', 'for ', ' in ', '=>', '1', '-');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), (parts) => void parseHcl(parts.join(''))),
      { numRuns: 2000 },
    );
  });
});
