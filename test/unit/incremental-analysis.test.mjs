import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { analyzeModule, ModuleAnalysisState, ModuleWorkspace, parseHcl, reparseHcl } from '../../core/dist/index.js';

// Blocks whose findings span blocks: duplicate records and addresses, CNAME
// conflicts and targets, references declared or not, variables used or not,
// and a resource type whose presence changes what traversals mean.
const record = (name, type, value, label) => `resource "dreamhost_dns_record" "${label}" {\n  record = "${name}"\n  type   = "${type}"\n  value  = "${value}"\n}\n`;
const PIECES = [
  record('www.example.com', 'CNAME', 'web.example.net', 'www'),
  record('www.example.com', 'A', '192.0.2.1', 'www_a'),
  record('mail.example.com', 'MX', '10 www.example.com', 'mx'),
  record('dup.example.com', 'A', '192.0.2.9', 'dup1'),
  record('dup.example.com', 'A', '192.0.2.9', 'dup2'),
  record('dup.example.com', 'A', '192.0.2.9', 'dup1'),
  'variable "zone" {}\n',
  'variable "unused" {}\n',
  'locals {\n  apex = var.zone\n  other = local.apex\n}\n',
  'output "o" {\n  value = dreamhost_dns_record.www.id\n}\n',
  'output "p" {\n  value = [var.missing, local.nope, aws_instance.web.id]\n}\n',
  'resource "aws_instance" "web" {\n}\n',
  // Blocks whose only expressions are plain references (kept in a compact form), and the zone they name.
  'resource "aws_route53_record" "r" {\n  zone_id = aws_route53_zone.main.zone_id\n  name    = "www"\n  type    = "CNAME"\n  ttl     = 300\n  records = ["web.example.net"]\n}\n',
  'resource "aws_route53_record" "s" {\n  zone_id = aws_route53_zone.main.zone_id\n  name    = "www"\n  type    = "A"\n  ttl     = var.zone\n  records = ["192.0.2.1"]\n}\n',
  'resource "aws_route53_zone" "main" {\n  name = "example.com"\n}\n',
  '# comment\n',
  '\n',
  '}',
  '"',
];

const BASES = [`${PIECES[0]}${PIECES[2]}${PIECES[6]}${PIECES[8]}`, `${PIECES[3]}${PIECES[4]}${PIECES[9]}${PIECES[7]}`, `${PIECES[10]}${PIECES[1]}`];

describe('incremental module analysis', () => {
  it('gives after any edits exactly what an analysis from scratch gives (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 2 }), fc.nat(), fc.nat({ max: 40 }), fc.constantFrom(...PIECES, '')), { minLength: 1, maxLength: 10 }), (edits) => {
        const texts = [...BASES];
        let documents = texts.map((text, index) => parseHcl(text, { source: `/m/f${index}.tf` }));
        const state = new ModuleAnalysisState();
        analyzeModule(documents, { state });
        for (const [file, at, length, insert] of edits) {
          const text = texts[file];
          const start = at % (text.length + 1);
          texts[file] = text.slice(0, start) + insert + text.slice(Math.min(text.length, start + length));
          documents = documents.map((document, index) => (index === file ? reparseHcl(document, texts[file]) : document));
          const incremental = analyzeModule(documents, { state });
          const fresh = analyzeModule(documents.map((document) => parseHcl(document.text, { source: document.source })));
          assert.deepEqual(incremental, fresh);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('follows files coming and going', () => {
    const state = new ModuleAnalysisState();
    const a = parseHcl(BASES[0], { source: '/m/a.tf' });
    const b = parseHcl(`${PIECES[6]}${PIECES[0]}`, { source: '/m/b.tf' });
    const both = analyzeModule([a, b], { state });
    assert.deepEqual(both, analyzeModule([a, b]));
    assert.ok(both.get('/m/b.tf').some((diagnostic) => diagnostic.code === 'tf/duplicate-resource'));
    const alone = analyzeModule([a], { state });
    assert.deepEqual(alone, analyzeModule([a]));
    assert.ok(!alone.get('/m/a.tf').some((diagnostic) => diagnostic.code === 'tf/duplicate-resource' || diagnostic.code === 'dns/cname-conflict'));
  });
});

describe('workspace analysis state', () => {
  it('stays right when a module’s documents leave the parse cache and come back', () => {
    // A budget of one small document: every analysis of the other module evicts this one's documents.
    const workspace = new ModuleWorkspace({ memoryBudgetBytes: 1 });
    workspace.setText('/a/main.tf', '/a', BASES[0]);
    workspace.setText('/a/more.tf', '/a', BASES[2]);
    workspace.setText('/b/main.tf', '/b', BASES[1]);
    const expected = (module) => analyzeModule(workspace.sources(module).map((source) => parseHcl(workspace.document(source).text, { source })));
    for (let round = 0; round < 3; round++) {
      for (const module of ['/a', '/b']) {
        const results = workspace.analyze(module);
        for (const [source, diagnostics] of expected(module)) assert.deepEqual(results.get(source), diagnostics);
      }
      workspace.setText('/a/more.tf', '/a', round % 2 ? BASES[2] : `${BASES[2]}${PIECES[4]}`);
    }
  });
});

describe('workspace parse budget', () => {
  it('keeps the module being analysed parsed whole, and drops the least recently used of other modules beyond the budget', () => {
    const workspace = new ModuleWorkspace({ memoryBudgetBytes: 1 });
    workspace.setText('/a/main.tf', '/a', BASES[0]);
    workspace.setText('/a/more.tf', '/a', BASES[2]);
    workspace.setText('/b/main.tf', '/b', BASES[1]);
    workspace.analyze('/a');
    assert.equal(workspace.stats().parsed, 2, 'both files of /a, over the budget');
    const parses = workspace.stats().parses;
    workspace.analyze('/a');
    assert.equal(workspace.stats().parses, parses, 'analysing /a again parses nothing');
    workspace.analyze('/b');
    assert.equal(workspace.stats().parsed, 1, "/a's files went for /b's");
  });
});

describe('module analysis read one file at a time', () => {
  const OVERRIDE = 'resource "dreamhost_dns_record" "www" {\n  value = "other.example.net"\n}\nresource "dreamhost_dns_record" "gone" {\n  value = "x.example.net"\n}\n';
  const IMPORT = 'import {\n  to = dreamhost_dns_record.dup1\n  id = "dup.example.com|A|192.0.2.8"\n}\nresource "aws_route53_record" "r" {\n}\n';
  const lazily = (documents) => {
    const loads = [];
    const bySource = new Map(documents.map((document) => [document.source, document]));
    return { loads, module: { sources: [...bySource.keys()], load: (source) => (loads.push(source), bySource.get(source)) } };
  };

  it('finds what the analysis of all documents at once finds (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 4 }), fc.nat(), fc.nat({ max: 40 }), fc.constantFrom(...PIECES, OVERRIDE, IMPORT, '')), { maxLength: 6 }), (edits) => {
        const texts = [...BASES, IMPORT, OVERRIDE];
        for (const [file, at, length, insert] of edits) {
          const start = at % (texts[file].length + 1);
          texts[file] = texts[file].slice(0, start) + insert + texts[file].slice(Math.min(texts[file].length, start + length));
        }
        const sources = ['/m/f0.tf', '/m/f1.tf', '/m/f2.tf', '/m/imports.tf', '/m/main_override.tf'];
        const documents = texts.map((text, index) => parseHcl(text, { source: sources[index] }));
        const { loads, module } = lazily(documents);
        assert.deepEqual(analyzeModule(module), analyzeModule(documents));
        // Each file is read once, the override files first: they change the blocks of the others.
        assert.deepEqual(loads, ['/m/main_override.tf', '/m/f0.tf', '/m/f1.tf', '/m/f2.tf', '/m/imports.tf']);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps no syntax tree of a file once it is analysed', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc');
    const trees = [];
    const files = Array.from({ length: 4 }, (_, index) => `/m/records-${index}.tf`);
    const load = (source) => {
      const document = parseHcl(`${PIECES[3]}${PIECES[4]}${record('x.example.com', 'CNAME', 'y.example.net', `c${source.length}`)}${PIECES[6]}`, { source });
      trees.push(new WeakRef(document.body));
      return document;
    };
    const results = analyzeModule({ sources: files, load });
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    assert.equal(trees.length, files.length);
    assert.deepEqual(
      trees.map((tree) => tree.deref() === undefined),
      files.map(() => true),
    );
    assert.ok(results.get('/m/records-3.tf').some((diagnostic) => diagnostic.code === 'tf/duplicate-resource'));
  });
});
