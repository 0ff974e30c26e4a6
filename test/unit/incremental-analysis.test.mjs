import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
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
