import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LspClient, uriOf } from '../support/lsp-client.mjs';

const VERSIONS = 'terraform {\n  required_providers {\n    dreamhost = {\n      source = "adamantal/dreamhost"\n    }\n  }\n}\n';
const RECORDS = [
  'resource "dreamhost_dns_record" "www" {',
  '  record = "www.example.com"',
  '  type   = "CNAME"',
  '  value  = "example.com"',
  '}',
  '',
  'resource "dreamhost_dns_record" "mx" {',
  '  record = "example.com"',
  '  type   = "MX"',
  '  value  = "10 mail.example.com"',
  '}',
  '',
  'resource "dreamhost_dns_record" "v6" {',
  '  record = "Host.example.com"',
  '  type   = "AAAA"',
  '  value  = "2001:0db8:0:0:0:0:0:1"',
  '}',
  '',
  'output "mx" {',
  '  value = dreamhost_dns_record.mx.value',
  '}',
  '',
].join('\n');

let root;
let client;
const codes = (diagnostics) => diagnostics.map((d) => `${d.code}@${d.range.start.line}`).sort();

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'shoreline-lsp-'));
  mkdirSync(join(root, 'zone'));
  writeFileSync(join(root, 'zone/versions.tf'), VERSIONS);
  writeFileSync(join(root, 'zone/records.tf'), RECORDS);
  client = await LspClient.start({ root });
});
after(async () => {
  rmSync(root, { recursive: true, force: true });
});

describe('language server over stdio', () => {
  const recordsUri = () => uriOf(join(root, 'zone/records.tf'));

  it('initialize announces the capabilities', () => {
    const { capabilities } = client.initializeResult;
    assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2 });
    assert.ok(capabilities.completionProvider && capabilities.hoverProvider && capabilities.codeActionProvider && capabilities.documentSymbolProvider && capabilities.definitionProvider);
  });

  it('indexes the workspace with a progress report and publishes diagnostics for closed files', async () => {
    const diagnostics = await client.waitForDiagnostics(recordsUri(), (d) => d.length > 0);
    assert.deepEqual(codes(diagnostics), ['dns/ipv6-not-canonical@15', 'dns/name-not-lowercase@13']);
    assert.deepEqual(
      client.progress.map((value) => value.kind).filter((kind) => kind !== 'report'),
      ['begin', 'end'],
    );
    assert.ok(client.registrations.some((registration) => registration.method === 'workspace/didChangeWatchedFiles'));
  });

  it('didOpen → publishDiagnostics with ranges, codes and the document version', async () => {
    const uri = recordsUri();
    const next = client.nextDiagnostics(uri);
    client.open(uri, RECORDS, 1);
    const diagnostics = await next;
    const v6 = diagnostics.find((d) => d.code === 'dns/ipv6-not-canonical');
    assert.deepEqual(v6.range, { start: { line: 15, character: 11 }, end: { line: 15, character: 34 } });
    assert.equal(v6.severity, 4);
    assert.equal(v6.source, 'shoreline');
  });

  it('completion offers record types, value snippets, attributes and block snippets', async () => {
    const uri = recordsUri();
    const at = (line, character) => client.request('textDocument/completion', { textDocument: { uri }, position: { line, character } });
    const types = await at(2, 12);
    assert.deepEqual(
      types.map((item) => item.label),
      ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'PTR', 'TXT', 'SRV', 'NAPTR'],
    );
    assert.equal(types[3].textEdit.newText, 'MX');
    const mxValue = await at(9, 12);
    assert.equal(mxValue[0].textEdit.newText, '${1:10} ${2:mail.example.com}');
    assert.equal(mxValue[0].insertTextFormat, 2);
    const top = await at(5, 0);
    assert.ok(top.some((item) => item.label === 'resource "dreamhost_dns_record"' && item.textEdit.newText.includes('type = "${2|A,AAAA,CNAME')));
    assert.ok(top.every((item) => item.documentation === undefined || item.documentation.kind === 'markdown'));
  });

  it('hover explains attributes and what a value means', async () => {
    const uri = recordsUri();
    const hover = (line, character) => client.request('textDocument/hover', { textDocument: { uri }, position: { line, character } });
    assert.match((await hover(9, 14)).contents.value, /^MX: priority 10 → mail\.example\.com/);
    assert.match((await hover(1, 3)).contents.value, /\*\*record\*\* · string · required/);
    assert.match((await hover(0, 2)).contents.value, /resource dreamhost_dns_record/);
    assert.equal(await hover(5, 0), null);
  });

  it('codeAction offers the quick fixes attached to diagnostics', async () => {
    const uri = recordsUri();
    const diagnostics = client.diagnostics.get(uri);
    const actions = await client.request('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 13, character: 12 }, end: { line: 15, character: 14 } },
      context: { diagnostics },
    });
    assert.deepEqual(actions.map((action) => action.title).sort(), ['Convert to lower case', 'Normalise to 2001:db8::1']);
    const lower = actions.find((action) => action.title === 'Convert to lower case');
    assert.deepEqual(lower.edit.changes[uri], [{ range: { start: { line: 13, character: 11 }, end: { line: 13, character: 29 } }, newText: '"host.example.com"' }]);
  });

  it('document symbols outline the records; definition jumps to the referenced block', async () => {
    const uri = recordsUri();
    const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(
      symbols.map((symbol) => [symbol.name, symbol.detail]),
      [
        ['dreamhost_dns_record.www', 'CNAME www.example.com → example.com'],
        ['dreamhost_dns_record.mx', 'MX example.com → 10 mail.example.com'],
        ['dreamhost_dns_record.v6', 'AAAA Host.example.com → 2001:0db8:0:0:0:0:0:1'],
        ['output mx', undefined],
      ],
    );
    const location = await client.request('textDocument/definition', { textDocument: { uri }, position: { line: 19, character: 36 } });
    assert.deepEqual(location, { uri, range: { start: { line: 9, character: 2 }, end: { line: 9, character: 7 } } });
  });

  it('incremental didChange re-validates', async () => {
    const uri = recordsUri();
    const next = client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'dns/mx-format'));
    // "10 mail.example.com" → "mail.example.com": delete the priority.
    client.change(uri, 2, [{ range: { start: { line: 9, character: 12 }, end: { line: 9, character: 15 } }, text: '' }]);
    const diagnostics = await next;
    assert.ok(diagnostics.some((d) => d.code === 'dns/mx-format' && d.range.start.line === 9));
    const fixed = client.waitForDiagnostics(uri, (d) => !d.some((x) => x.code === 'dns/mx-format'));
    client.change(uri, 3, [{ range: { start: { line: 9, character: 12 }, end: { line: 9, character: 12 } }, text: '10 ' }]);
    await fixed;
  });

  it('a CNAME conflict across files appears and disappears as a second file changes on disk', async () => {
    const uri = recordsUri();
    const second = join(root, 'zone/txt.tf');
    const appeared = client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'dns/cname-conflict'));
    writeFileSync(second, 'resource "dreamhost_dns_record" "www_txt" {\n  record = "www.example.com"\n  type   = "TXT"\n  value  = "hello"\n}\n');
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(second), type: 1 }] });
    await appeared;
    await client.waitForDiagnostics(uriOf(second), (d) => d.some((x) => x.code === 'dns/cname-conflict'));
    const gone = client.waitForDiagnostics(uri, (d) => !d.some((x) => x.code === 'dns/cname-conflict'));
    unlinkSync(second);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(second), type: 3 }] });
    await gone;
    await client.waitForDiagnostics(uriOf(second), (d) => d.length === 0);
  });

  it('answers malformed requests with empty results, and keeps running', async () => {
    const uri = recordsUri();
    assert.deepEqual(await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 5000, character: 0 } }), []);
    assert.deepEqual(await client.request('textDocument/completion', { textDocument: { uri: 'file:///nowhere.tf' }, position: { line: 0, character: 0 } }), []);
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position: { line: -1, character: 'x' } }), null);
    assert.deepEqual(await client.request('textDocument/codeAction', { textDocument: { uri } }), []);
    assert.deepEqual(await client.request('textDocument/documentSymbol', {}), []);
    assert.equal(await client.request('textDocument/definition', { textDocument: { uri }, position: { line: 0, character: 99999 } }), null);
    assert.ok((await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 9, character: 14 } })) !== undefined);
  });

  it('shutdown and exit end the process with status 0', async () => {
    assert.equal(await client.stop(), 0);
    assert.equal(client.stderr, '');
    assert.deepEqual(client.errors(), []);
  });
});

describe('language server over node IPC (the transport the VS Code extension uses)', () => {
  it('initializes and answers through --node-ipc, as vscode-languageclient forks it', async () => {
    const { fork } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const { createProtocolConnection, IPCMessageReader, IPCMessageWriter } = await import('vscode-languageserver-protocol/node');
    const bin = fileURLToPath(new URL('../../dist/shoreline.mjs', import.meta.url));
    const child = fork(bin, ['lsp', '--node-ipc', `--clientProcessId=${process.pid}`], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    const published = new Promise((resolve) => connection.onNotification('textDocument/publishDiagnostics', resolve));
    connection.listen();
    const result = await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { validation: { debounceMs: 0 } } });
    assert.ok(result.capabilities.hoverProvider);
    connection.sendNotification('initialized', {});
    connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: 'untitled:a.tf', languageId: 'terraform', version: 1, text: 'resource "dreamhost_dns_record" "x" {\n  record = "x.example.com"\n  type = "A"\n  value = "1.2.3"\n}\n' },
    });
    const diagnostics = await published;
    assert.ok(diagnostics.diagnostics.some((d) => d.code === 'dns/ipv4-invalid'));
    await connection.sendRequest('shutdown');
    connection.sendNotification('exit');
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 0);
    connection.dispose();
  });
});
