import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspClient, uriOf } from '../support/lsp-client.mjs';

const FMT = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'fmt');

/** Applies LSP text edits (non-overlapping) to a text. */
function applyEdits(text, edits) {
  const lines = text.split('\n');
  const offset = ({ line, character }) => lines.slice(0, line).reduce((sum, l) => sum + l.length + 1, 0) + character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((current, edit) => current.slice(0, offset(edit.range.start)) + edit.newText + current.slice(offset(edit.range.end)), text);
}

let root;
let client;
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'shoreline-lsp-terraform-'));
  client = await LspClient.start({ root });
});
after(async () => {
  await client?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('language server: formatting', () => {
  it('formats a document into what terraform fmt gives, changing only the lines that differ', async () => {
    assert.equal(client.initializeResult.capabilities.documentFormattingProvider, true);
    for (const name of ['records.tf', 'heredocs.tf', 'messy.tfvars', 'crlf.tf']) {
      const text = readFileSync(join(FMT, name), 'utf8');
      const path = join(root, name);
      writeFileSync(path, text);
      const uri = uriOf(path);
      client.open(uri, text, 1, name.endsWith('.tfvars') ? 'terraform-vars' : 'terraform');
      const edits = await client.request('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
      assert.equal(applyEdits(text, edits), readFileSync(join(FMT, 'expected', name), 'utf8'), name);
      // Only changed lines: no edit rewrites the whole file.
      assert.ok(
        edits.every((edit) => edit.newText.length < text.length),
        name,
      );
    }
  });

  it('range formatting changes only the lines of the range', async () => {
    const text = 'a=1\nb   =   2\nc=3\n';
    const uri = uriOf(join(root, 'range.tf'));
    client.open(uri, text, 1);
    const edits = await client.request('textDocument/rangeFormatting', {
      textDocument: { uri },
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } },
      options: { tabSize: 2, insertSpaces: true },
    });
    assert.equal(applyEdits(text, edits), 'a=1\nb = 2\nc=3\n');
  });

  it('leaves a file with syntax errors as it is', async () => {
    const uri = uriOf(join(root, 'broken.tf'));
    client.open(uri, 'resource "x" {\n  a =\n', 1);
    assert.deepEqual(await client.request('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } }), []);
  });

  it('offers no formatting when the client has another Terraform language server', async () => {
    const other = await LspClient.start({ root, initializationOptions: { terraformFeatures: false } });
    try {
      assert.equal(other.initializeResult.capabilities.documentFormattingProvider, undefined);
    } finally {
      await other.stop();
    }
  });
});

const MODULE = `terraform {
  required_providers {
    dreamhost = {
      source = "adamantal/dreamhost"
    }
  }
}

# The site's records.
# Kept in one place.
resource "dreamhost_dns_record" "www" {
  record = "www.example.com"
  type   = "A"
  value  = "192.0.2.10"
}

data "aws_route53_zone" "main" {
  name = "example.com"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"
  tags = {
    Name = "main"
  }
}

variable "zone_name" {
  type = string
}

locals {
  apex = var.zone_name
}
`;

describe('language server: structure', () => {
  let uri;
  before(() => {
    const path = join(root, 'structure', 'main.tf');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, MODULE);
    uri = uriOf(path);
    client.open(uri, MODULE, 1);
  });

  it('folds blocks, multi-line values and runs of comments', async () => {
    const ranges = await client.request('textDocument/foldingRange', { textDocument: { uri } });
    const has = (startLine, endLine, kind) => ranges.some((range) => range.startLine === startLine && range.endLine === endLine && range.kind === kind);
    assert.ok(has(0, 5), JSON.stringify(ranges));
    assert.ok(has(8, 9, 'comment'));
    assert.ok(has(10, 13));
    assert.ok(has(23, 24), 'the tags object');
  });

  it('selects outward from a word: value, attribute, body, block', async () => {
    const [selection] = await client.request('textDocument/selectionRange', { textDocument: { uri }, positions: [{ line: 12, character: 13 }] });
    const ranges = [];
    for (let current = selection; current; current = current.parent) ranges.push(current.range);
    assert.deepEqual(ranges[0], { start: { line: 12, character: 12 }, end: { line: 12, character: 13 } }, 'the word');
    assert.deepEqual(ranges[1], { start: { line: 12, character: 11 }, end: { line: 12, character: 14 } }, 'the value');
    assert.equal(ranges.at(-1).start.line, 10);
    assert.equal(ranges.at(-1).end.line, 14);
    assert.ok(ranges.length >= 4);
  });

  it('finds symbols across the workspace by name', async () => {
    const symbols = await client.request('workspace/symbol', { query: 'www' });
    assert.ok(symbols.some((symbol) => symbol.name === 'dreamhost_dns_record.www' && symbol.location.uri === uri));
    const fuzzy = await client.request('workspace/symbol', { query: 'vzn' });
    assert.ok(fuzzy.some((symbol) => symbol.name === 'var.zone_name'));
  });

  it('links module sources, provider sources and resource types to their pages', async () => {
    const links = await client.request('textDocument/documentLink', { textDocument: { uri } });
    const targets = links.map((link) => link.target);
    assert.ok(targets.includes('https://registry.terraform.io/providers/adamantal/dreamhost/latest'));
    assert.ok(targets.includes('https://registry.terraform.io/providers/adamantal/dreamhost/latest/docs/resources/dns_record'));
    assert.ok(targets.includes('https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/route53_zone'));
    assert.ok(targets.includes('https://registry.terraform.io/modules/terraform-aws-modules/vpc/aws/5.8.1'));
  });
});

describe('language server: references and rename', () => {
  const MAIN = 'variable "zone" {}\nlocals {\n  apex = var.zone\n  www  = "www.${var.zone}"\n}\nresource "aws_instance" "web" {\n  count = 2\n}\n';
  const OUTPUTS = 'output "ids" {\n  value      = aws_instance.web[*].id\n  depends_on = [aws_instance.web]\n}\noutput "apex" {\n  value = local.apex\n}\n';
  let main;
  let outputs;
  before(async () => {
    const folder = join(root, 'refs');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'main.tf'), MAIN);
    writeFileSync(join(folder, 'outputs.tf'), OUTPUTS);
    main = uriOf(join(folder, 'main.tf'));
    outputs = uriOf(join(folder, 'outputs.tf'));
    client.open(main, MAIN, 1);
    client.open(outputs, OUTPUTS, 1);
    await client.waitForDiagnostics(outputs);
  });

  it('finds every reference across the module, from a declaration or from a use', async () => {
    const fromDeclaration = await client.request('textDocument/references', { textDocument: { uri: main }, position: { line: 5, character: 26 }, context: { includeDeclaration: true } });
    assert.deepEqual(fromDeclaration.map((location) => `${location.uri === main ? 'main' : 'outputs'}:${location.range.start.line}`).sort(), ['main:5', 'outputs:1', 'outputs:2']);
    const fromUse = await client.request('textDocument/references', { textDocument: { uri: main }, position: { line: 3, character: 20 }, context: { includeDeclaration: false } });
    assert.equal(fromUse.length, 2);
  });

  it('renames a declaration and every use, and refuses names Terraform would reject or that are taken', async () => {
    const prepared = await client.request('textDocument/prepareRename', { textDocument: { uri: main }, position: { line: 2, character: 14 } });
    assert.equal(prepared.placeholder, 'zone');
    const rename = await client.request('textDocument/rename', { textDocument: { uri: main }, position: { line: 2, character: 14 }, newName: 'domain' });
    assert.equal(applyEdits(MAIN, rename.changes[main]), 'variable "domain" {}\nlocals {\n  apex = var.domain\n  www  = "www.${var.domain}"\n}\nresource "aws_instance" "web" {\n  count = 2\n}\n');
    const local = await client.request('textDocument/rename', { textDocument: { uri: outputs }, position: { line: 5, character: 15 }, newName: 'root' });
    assert.deepEqual(Object.keys(local.changes).sort(), [main, outputs].sort());
    await assert.rejects(client.request('textDocument/rename', { textDocument: { uri: main }, position: { line: 2, character: 14 }, newName: '1zone' }), /not a name Terraform accepts/);
    await assert.rejects(client.request('textDocument/rename', { textDocument: { uri: main }, position: { line: 3, character: 3 }, newName: 'apex' }), /already declared/);
  });

  it('shows reference counts as code lenses on declarations', async () => {
    const lenses = await client.request('textDocument/codeLens', { textDocument: { uri: main } });
    const titles = Object.fromEntries(lenses.map((lens) => [lens.range.start.line, lens.command.title]));
    assert.equal(titles[0], '2 references');
    assert.equal(titles[2], '1 reference');
    assert.equal(titles[3], '0 references');
    assert.equal(titles[5], '2 references');
    assert.equal(lenses[0].command.command, 'shoreline.findReferences');
  });

  it('marks unused declarations as unnecessary, for editors to fade', async () => {
    const diagnostics = await client.waitForDiagnostics(main, (list) => list.some((d) => d.code === 'tf/unused-declaration'));
    const unused = diagnostics.find((d) => d.code === 'tf/unused-declaration');
    assert.deepEqual(unused.tags, [1]);
    assert.equal(unused.range.start.line, 3);
  });
});

describe('language server: semantic tokens', () => {
  it('classifies block types, resource types, arguments, references, functions, strings, numbers, comments and operators', async () => {
    const text =
      '# records\nresource "aws_instance" "web" {\n  count = 2\n  ami   = upper(var.ami)\n  tags  = { Name = "web-${count.index}" }\n}\noutput "x" {\n  value = aws_instance.web[0].id != null\n}\n';
    const uri = uriOf(join(root, 'semantic.tf'));
    client.open(uri, text, 1);
    const { tokenTypes } = client.initializeResult.capabilities.semanticTokensProvider.legend;
    const { data } = await client.request('textDocument/semanticTokens/full', { textDocument: { uri } });
    const lines = text.split('\n');
    const decoded = [];
    let line = 0;
    let start = 0;
    for (let index = 0; index < data.length; index += 5) {
      line += data[index];
      start = data[index] ? data[index + 1] : start + data[index + 1];
      decoded.push(`${lines[line].slice(start, start + data[index + 2])}:${tokenTypes[data[index + 3]]}`);
    }
    for (const expected of [
      '# records:comment',
      'resource:keyword',
      '"aws_instance":type',
      'count:property',
      '2:number',
      'upper:function',
      'var:variable',
      'ami:property',
      'Name:property',
      'count:variable',
      'index:property',
      'aws_instance:type',
      'web:property',
      '!=:operator',
      'null:keyword',
      'web-:string',
    ]) {
      assert.ok(decoded.includes(expected), `${expected} in ${decoded.join(' ')}`);
    }
  });
});

describe('language server: signature help', () => {
  const help = async (source) => {
    const offset = source.indexOf('|');
    const text = source.replace('|', '');
    const before = text.slice(0, offset).split('\n');
    const uri = uriOf(join(root, `signature-${offset}.tf`));
    client.open(uri, text, 1);
    return client.request('textDocument/signatureHelp', { textDocument: { uri }, position: { line: before.length - 1, character: before.at(-1).length } });
  };

  it('shows the signature of the built-in function being called, and the argument being written', async () => {
    const format = await help('locals {\n  a = format("%s-%s", var.a, |)\n}\n');
    assert.equal(format.signatures[0].label, 'format(format string, args any...) any');
    assert.equal(format.activeParameter, 1);
    const join = await help('locals {\n  a = join(", ", |)\n}\n');
    assert.equal(join.signatures[0].label.startsWith('join('), true);
    assert.equal(join.activeParameter, 1, 'the comma inside the string is no separator');
    const nested = await help('locals {\n  a = upper(format("x", [1, 2], |))\n}\n');
    assert.match(nested.signatures[0].label, /^format\(/);
    assert.equal(nested.activeParameter, 1);
    assert.equal(await help('locals {\n  a = [1, |]\n}\n'), null);
    assert.equal(await help('locals {\n  a = provider::aws::arn_parse(|)\n}\n'), null);
  });
});

describe('language server at workspace scale', () => {
  it('publishes the module of an open file first, each module as soon as it is read, and re-parses only the file an edit touches', async () => {
    const workspaceRoot = mkdtempSync(join(tmpdir(), 'shoreline-lsp-scale-'));
    try {
      for (const name of ['a', 'b', 'c', 'd']) {
        mkdirSync(join(workspaceRoot, name));
        for (let file = 0; file < 5; file++) writeFileSync(join(workspaceRoot, name, `f${file}.tf`), `variable "v${file}" {}\noutput "o${file}" {\n  value = var.v${file}\n}\n`);
      }
      const other = await LspClient.start({ root: workspaceRoot });
      // The client's map of publications keeps the order of each file's first one.
      const order = () => [...new Set([...other.diagnostics.keys()].map((uri) => uri.split('/').at(-2)))];
      const opened = uriOf(join(workspaceRoot, 'd', 'f0.tf'));
      other.open(opened, readFileSync(join(workspaceRoot, 'd', 'f0.tf'), 'utf8'), 1);
      await other.waitForDiagnostics(uriOf(join(workspaceRoot, 'a', 'f4.tf')));
      for (let i = 0; i < 50 && order().length < 4; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(order()[0], 'd', `publication order ${order().join(', ')}`);
      assert.equal(order().length, 4);
      const before = await other.request('shoreline/stats');
      assert.equal(before.parsed, 20, 'every file stays parsed (well inside the memory budget)');
      const published = other.nextDiagnostics(opened);
      other.change(opened, 2, [{ range: { start: { line: 0, character: 10 }, end: { line: 0, character: 12 } }, text: 'w0' }]);
      const findings = await published;
      assert.ok(findings.some((d) => d.code === 'tf/undeclared-reference'));
      const after = await other.request('shoreline/stats');
      assert.equal(after.parses - before.parses, 1, 'only the edited file is parsed again');
      await other.stop();
    } finally {
      rmSync(workspaceRoot, { recursive: true, force: true });
    }
  });
});

describe('language server: outline limit', () => {
  it('caps the outline at shoreline.maxItemsComputed symbols, keeping the top-level blocks, and says so once', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'shoreline-outline-limit-'));
    const limited = await LspClient.start({ root: folder, settings: { validation: { enable: true, debounceMs: 0 }, maxItemsComputed: 5 } });
    try {
      const text = ['a', 'b', 'c'].map((name) => `resource "dreamhost_dns_record" "${name}" {\n  record = "${name}.example.com"\n  type   = "A"\n  value  = "192.0.2.1"\n}\n`).join('\n');
      const path = join(folder, 'main.tf');
      writeFileSync(path, text);
      const uri = uriOf(path);
      limited.open(uri, text, 1);
      await limited.nextDiagnostics(uri);
      for (let i = 0; i < 2; i++) {
        const symbols = await limited.request('textDocument/documentSymbol', { textDocument: { uri } });
        assert.deepEqual(
          symbols.map((symbol) => [symbol.name, symbol.children.length]),
          [
            ['dreamhost_dns_record.a', 0],
            ['dreamhost_dns_record.b', 0],
            ['dreamhost_dns_record.c', 0],
          ],
        );
      }
      assert.equal(limited.logs.filter((log) => log.message.includes('shoreline.maxItemsComputed')).length, 1);
      assert.equal((await limited.request('textDocument/foldingRange', { textDocument: { uri } })).length, 3);
    } finally {
      await limited.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
