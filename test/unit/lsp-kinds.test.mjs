// The language server decides by document kind, and honours what the client can do:
// editors that attach servers by file type (neovim, Helix, Emacs) send every YAML file.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LspClient, uriOf } from '../support/lsp-client.mjs';

const VARIABLES = 'variable "region" {\n  type = string\n}\nvariable "replicas" {\n  type = number\n}\n';
const RECORD =
  'terraform {\n  required_providers {\n    dreamhost = { source = "adamantal/dreamhost" }\n  }\n}\nresource "dreamhost_dns_record" "www" {\n  record = "www.example.com"\n  type   = "A"\n  value  = "192.0.2.1"\n}\n';

let root;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'shoreline-kinds-'));
  mkdirSync(join(root, 'infra/envs'), { recursive: true });
  writeFileSync(join(root, 'infra/variables.tf'), VARIABLES);
  writeFileSync(join(root, 'infra/terraform.tfvars'), 'region   = "eu-west-1"\nreplicas = "3"\n');
  writeFileSync(join(root, 'infra/envs/prod.tfvars'), 'regoin = "us-east-1"\nreplicas = "three"\n');
  writeFileSync(join(root, 'docker-compose.yml'), 'services:\n  web:\n    image: nginx\n');
  writeFileSync(join(root, '.lagoon.yml'), 'docker-compose-yaml: docker-compose.yml\nenviroments: {}\n');
});
after(() => rmSync(root, { recursive: true, force: true }));

const codes = (diagnostics) => diagnostics.map((d) => `${d.code}@${d.range.start.line}`).sort();

describe('documents by kind', () => {
  let client;
  before(async () => {
    client = await LspClient.start({ root });
  });
  after(async () => {
    await client.stop();
  });

  it('a valid terraform.tfvars gets no diagnostics', async () => {
    const uri = uriOf(join(root, 'infra/terraform.tfvars'));
    assert.deepEqual(await client.waitForDiagnostics(uri), []);
  });
  it('a variables file in a folder of its own is checked against the module above', async () => {
    const uri = uriOf(join(root, 'infra/envs/prod.tfvars'));
    const diagnostics = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    assert.deepEqual(codes(diagnostics), ['tfvars/type-mismatch@1', 'tfvars/undeclared-variable@0']);
  });
  it('an edit to the module re-checks its variables files', async () => {
    const variables = uriOf(join(root, 'infra/variables.tf'));
    const vars = uriOf(join(root, 'infra/terraform.tfvars'));
    client.open(variables, VARIABLES.replace('type = number', 'type = bool'));
    const diagnostics = await client.waitForDiagnostics(vars, (d) => d.length > 0);
    assert.deepEqual(codes(diagnostics), ['tfvars/type-mismatch@1']);
    client.close(variables);
    assert.deepEqual(await client.waitForDiagnostics(vars, (d) => d.length === 0), []);
  });
  it('an open docker-compose.yml (languageId yaml) is never parsed as HCL', async () => {
    const uri = uriOf(join(root, 'docker-compose.yml'));
    client.open(uri, 'services:\n  web:\n    image: nginx\n', 1, 'yaml');
    client.open(uriOf(join(root, 'workflow.yml')), 'on: push\njobs: {}\n', 1, 'terraform');
    // A Terraform document opened after them is answered; the YAML files never get a publication.
    const probe = uriOf(join(root, 'probe.tf'));
    client.open(probe, 'locals {\n  a = 1\n}\n');
    await client.waitForDiagnostics(probe);
    assert.equal(client.diagnostics.has(uri), false);
    assert.equal(client.diagnostics.has(uriOf(join(root, 'workflow.yml'))), false);
    assert.deepEqual(await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 0 } }), []);
  });
  it('an untitled buffer set to Terraform is analysed', async () => {
    const uri = 'untitled:Untitled-1';
    client.open(uri, 'x = 1\n');
    const diagnostics = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    assert.deepEqual(codes(diagnostics), ['tf/unexpected-attribute@0']);
  });
  it('.lagoon.yml is still analysed', async () => {
    const diagnostics = await client.waitForDiagnostics(uriOf(join(root, '.lagoon.yml')), (d) => d.length > 0);
    assert.ok(diagnostics.some((d) => d.code === 'lagoon-yml/unknown-key'));
  });
  it('watches every kind of file it reads', () => {
    const globs = client.registrations.flatMap((r) => r.registerOptions?.watchers ?? []).map((w) => w.globPattern);
    for (const glob of ['**/*.tf', '**/*.tf.json', '**/*.tfvars', '**/*.tfvars.json']) assert.ok(globs.includes(glob), glob);
  });
});

describe('client capabilities', () => {
  it('no snippet syntax for a client without snippetSupport', async () => {
    const client = await LspClient.start({ root, snippets: false });
    try {
      const uri = uriOf(join(root, 'infra/new.tf'));
      client.open(uri, '\n');
      await client.waitForDiagnostics(uri);
      const items = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 0 } });
      assert.ok(items.length > 0);
      for (const item of items) {
        assert.notEqual(item.insertTextFormat, 2, item.label);
        assert.ok(!/\$\{\d|\$\d/.test(item.textEdit.newText), item.textEdit.newText);
      }
    } finally {
      await client.stop();
    }
  });

  it('quick fixes even when the client does not echo the diagnostic data', async () => {
    const client = await LspClient.start({ root });
    try {
      const uri = uriOf(join(root, 'infra/fix.tf'));
      client.open(uri, RECORD.replace('type   = "A"', 'type   = "a"'));
      const diagnostics = await client.waitForDiagnostics(uri, (d) => d.length > 0);
      const stripped = diagnostics.map(({ data, ...rest }) => rest);
      const target = stripped.find((d) => d.code === 'dns/type-not-uppercase');
      const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: target.range, context: { diagnostics: stripped } });
      assert.ok(actions.some((action) => action.title === 'Change to A'));
      const none = await client.request('textDocument/codeAction', { textDocument: { uri }, range: target.range, context: { diagnostics: [] } });
      assert.ok(none.some((action) => action.title === 'Change to A'));
    } finally {
      await client.stop();
    }
  });

  it('workspace folders added and removed at run time', async () => {
    const other = mkdtempSync(join(tmpdir(), 'shoreline-folder-'));
    writeFileSync(join(other, 'main.tf'), 'x = 1\n');
    const client = await LspClient.start({ root });
    try {
      const uri = uriOf(join(other, 'main.tf'));
      client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: uriOf(other), name: 'other' }], removed: [] } });
      assert.deepEqual(codes(await client.waitForDiagnostics(uri, (d) => d.length > 0)), ['tf/unexpected-attribute@0']);
      client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [{ uri: uriOf(other), name: 'other' }] } });
      assert.deepEqual(await client.waitForDiagnostics(uri, (d) => d.length === 0), []);
    } finally {
      await client.stop();
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('a client that sends only rootPath gets its folder indexed', async () => {
    const client = await LspClient.start({ root, rootPathOnly: true });
    try {
      const diagnostics = await client.waitForDiagnostics(uriOf(join(root, 'infra/envs/prod.tfvars')), (d) => d.length > 0);
      assert.ok(diagnostics.length > 0);
    } finally {
      await client.stop();
    }
  });
});
