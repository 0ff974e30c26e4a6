import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LspClient, uriOf } from '../support/lsp-client.mjs';
import { startDreamhostFake, startLagoonFake, startRegistryFake } from '../support/fake-servers.mjs';

const API_KEY = 'LIVEKEY0123456789';
const MAIN = `terraform {
  required_providers {
    dreamhost = {
      source  = "adamantal/dreamhost"
      version = "~> 9.0"
    }
  }
}

resource "dreamhost_dns_record" "apex" {
  record = "example.com"
  type   = "A"
  value  = "192.0.2.1"
}

resource "dreamhost_dns_record" "ns" {
  record = "example.com"
  type   = "NS"
  value  = "ns1.dreamhost.com"
}
`;
const PROGRAM =
  'name: p\nruntime: yaml\nresources:\n  shop:\n    type: lagoon:lagoon:Project\n    properties:\n      name: shop\n      gitUrl: git@github.com:example/shop.git\n      deploytargetId: 99\n';

let root;
let dreamhost;
let lagoon;
let registry;
let client;
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'shoreline-live-'));
  writeFileSync(join(root, 'main.tf'), MAIN);
  writeFileSync(join(root, 'Pulumi.yaml'), PROGRAM);
  dreamhost = await startDreamhostFake({
    key: API_KEY,
    records: [
      { record: 'example.com', type: 'A', value: '192.0.2.1' },
      { record: 'example.com', type: 'NS', value: 'ns1.dreamhost.com', editable: '0' },
      { record: 'www.example.com', type: 'CNAME', value: 'example.com' },
      { record: 'other.net', type: 'A', value: '198.51.100.1' },
    ],
  });
  lagoon = await startLagoonFake({
    token: 'lagoon-secret-token',
    deployTargets: [{ id: 1, name: 'cluster-1', cloudProvider: 'aws', cloudRegion: 'eu-west-1', disabled: false }],
    projects: [{ id: 7, name: 'shop' }],
  });
  registry = await startRegistryFake({ providers: { 'adamantal/dreamhost': ['0.3.2', '0.3.0', '1.1.0'] } });
  client = await LspClient.start({
    root,
    env: {
      DREAMHOST_API_KEY: API_KEY,
      SHORELINE_DREAMHOST_API_URL: `${dreamhost.url}/`,
      LAGOON_API_URL: `${lagoon.url}/graphql`,
      LAGOON_TOKEN: 'lagoon-secret-token',
      SHORELINE_REGISTRY_URL: registry.url,
      SHORELINE_LIVE_REGISTRY: 'on',
    },
  });
  await client.request('shoreline/refreshLiveData');
});
after(async () => {
  await client.stop();
  await Promise.all([dreamhost.close(), lagoon.close(), registry.close()]);
  rmSync(root, { recursive: true, force: true });
});

describe('language server with live lookups (local stand-ins for DreamHost, Lagoon and the registry)', () => {
  const mainUri = () => uriOf(join(root, 'main.tf'));

  it('reports a non-editable collision, unpublished versions and records to import', async () => {
    const diagnostics = await client.waitForDiagnostics(mainUri(), (d) => d.some((x) => x.code === 'live/record-not-editable'));
    const codes = diagnostics.map((d) => d.code).sort();
    assert.deepEqual(codes, ['live/record-not-editable', 'live/record-not-in-config', 'live/version-unpublished']);
    const importable = diagnostics.find((d) => d.code === 'live/record-not-in-config');
    assert.match(importable.message, /CNAME record www\.example\.com/);
    assert.match(importable.data.fixes[0].newText, /import \{\n {2}to = dreamhost_dns_record\.www_example_com_cname\n {2}id = "CNAME\|www\.example\.com\|example\.com"\n\}/);
  });

  it('completes record names and provider versions from the live data', async () => {
    client.open(mainUri(), MAIN, 1);
    const names = await client.request('textDocument/completion', { textDocument: { uri: mainUri() }, position: { line: 10, character: 12 } });
    assert.deepEqual(
      names.map((item) => item.label),
      ['example.com', 'other.net', 'www.example.com'],
    );
    const versions = await client.request('textDocument/completion', { textDocument: { uri: mainUri() }, position: { line: 4, character: 17 } });
    assert.deepEqual(versions.map((item) => item.label).slice(0, 3), ['~> 1.1', '1.1.0', '0.3.2']);
  });

  it('hovers the live state of a record', async () => {
    const hover = await client.request('textDocument/hover', { textDocument: { uri: mainUri() }, position: { line: 16, character: 14 } });
    assert.match(hover.contents.value, /NS ns1\.dreamhost\.com — managed by DreamHost, not editable/);
  });

  it('completes Lagoon deploy target IDs and reports an unknown one', async () => {
    const uri = uriOf(join(root, 'Pulumi.yaml'));
    client.open(uri, PROGRAM, 1);
    const diagnostics = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'live/deploy-target-unknown'));
    assert.match(diagnostics.find((d) => d.code === 'live/deploy-target-unknown').message, /no deploy target 99; it has 1 \(cluster-1\)/);
    const items = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 8, character: 22 } });
    assert.deepEqual(
      items.map((item) => [item.label, item.detail, item.textEdit.newText]),
      [['1 — cluster-1', 'aws / eu-west-1', '1']],
    );
  });

  it('completion answers at once while DreamHost stalls for 10 s', async () => {
    dreamhost.state.faults.push({ stallMs: 10_000 });
    // The refresh waits on the stalled host; it is left to finish (or be cut off at shutdown).
    client.request('shoreline/refreshLiveData').catch(() => undefined);
    const started = performance.now();
    const names = await client.request('textDocument/completion', { textDocument: { uri: mainUri() }, position: { line: 10, character: 12 } });
    assert.ok(performance.now() - started < 200, `${performance.now() - started} ms`);
    assert.ok(names.length > 0);
  });

  it('never writes a key or token to its logs', async () => {
    const logs = JSON.stringify(client.logs) + client.stderr + JSON.stringify(client.messages);
    assert.ok(!logs.includes(API_KEY) && !logs.includes('lagoon-secret-token'));
  });
});

describe('language server without reachable live sources', () => {
  it('says nothing when the client has told the user this window already (a restarted server)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'shoreline-offline-'));
    writeFileSync(join(folder, 'main.tf'), MAIN);
    const restarted = await LspClient.start({ root: folder, env: { DREAMHOST_API_KEY: 'X', SHORELINE_DREAMHOST_API_URL: 'http://127.0.0.1:1/' }, initializationOptions: { liveNoticeShown: true } });
    try {
      await restarted.request('shoreline/refreshLiveData');
      assert.deepEqual(restarted.messages, []);
    } finally {
      await restarted.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('tells the user once and goes on validating', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'shoreline-offline-'));
    writeFileSync(join(folder, 'main.tf'), MAIN);
    const offline = await LspClient.start({ root: folder, env: { DREAMHOST_API_KEY: 'X', SHORELINE_DREAMHOST_API_URL: 'http://127.0.0.1:1/' } });
    try {
      await offline.request('shoreline/refreshLiveData');
      await offline.request('shoreline/refreshLiveData');
      assert.equal(offline.messages.length, 1);
      assert.match(offline.messages[0].message, /live lookups are unavailable \(DreamHost: .*\); static validation goes on/);
      assert.deepEqual(
        offline.custom.filter((method) => method !== 'shoreline/status'),
        ['shoreline/liveNoticeShown'],
        'the client is told, to pass it on to a restarted server',
      );
      const diagnostics = await offline.waitForDiagnostics(uriOf(join(folder, 'main.tf')), () => true);
      assert.ok(diagnostics.every((d) => !d.code.startsWith('live/')));
    } finally {
      await offline.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
