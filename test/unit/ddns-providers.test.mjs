import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  CloudflareProvider,
  DdnsConfigError,
  DreamhostProvider,
  loadDdnsConfig,
  loadPublicSuffixList,
  PermanentUpdateError,
  queryAddresses,
  readDdnsSettings,
  sendUpdate,
  zoneOf,
} from '../../core/dist/ddns/index.js';
import { DreamhostApi, HttpClient } from '../../core/dist/index.js';
import { startDreamhostFake } from '../support/fake-servers.mjs';

const signal = new AbortController().signal;

describe('DreamHost DDNS provider', () => {
  it('adds the new record before it removes the old one', async () => {
    const fake = await startDreamhostFake({ records: [{ record: 'home.example.com', type: 'A', value: '198.51.100.1' }] });
    try {
      const provider = new DreamhostProvider(new DreamhostApi({ apiKey: 'TESTKEY123', baseUrl: fake.url, consistencyIntervalMs: 5 }));
      await provider.update({ name: 'home.example.com', type: 'A' }, '198.51.100.2', signal);
      const writes = fake.state.requests.filter((request) => request.cmd !== 'dns-list_records').map((request) => `${request.cmd} ${request.value}`);
      assert.deepEqual(writes, ['dns-add_record 198.51.100.2', 'dns-remove_record 198.51.100.1']);
      const live = fake.state.records.filter((record) => !record.removedAt && record.record === 'home.example.com');
      assert.deepEqual(
        live.map((record) => record.value),
        ['198.51.100.2'],
      );
      assert.deepEqual(await provider.current({ name: 'home.example.com', type: 'A' }), ['198.51.100.2'], 'read back from the API');
      assert.deepEqual(await provider.current({ name: 'home.example.com', type: 'AAAA' }), []);
    } finally {
      await fake.close();
    }
  });

  it('refuses to touch a record DreamHost manages, and a bad key, as permanent errors', async () => {
    const fake = await startDreamhostFake({ records: [{ record: 'example.com', type: 'A', value: '198.51.100.1', editable: '0' }] });
    try {
      const provider = new DreamhostProvider(new DreamhostApi({ apiKey: 'TESTKEY123', baseUrl: fake.url }));
      await assert.rejects(provider.update({ name: 'example.com', type: 'A' }, '198.51.100.2', signal), (error) => error instanceof PermanentUpdateError && /managed by DreamHost/.test(error.message));
      const wrongKey = new DreamhostProvider(new DreamhostApi({ apiKey: 'WRONG', baseUrl: fake.url }));
      await assert.rejects(wrongKey.update({ name: 'home.example.com', type: 'A' }, '198.51.100.2', signal), PermanentUpdateError);
    } finally {
      await fake.close();
    }
  });
});

describe('Cloudflare DDNS provider', () => {
  it('creates, then patches the record through API v4', async () => {
    const records = [];
    const calls = [];
    const server = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      calls.push(`${req.method} ${req.url}`);
      const send = (result) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ success: true, errors: [], messages: [], result }));
      if (req.headers.authorization !== 'Bearer cf-token') return res.writeHead(403).end(JSON.stringify({ success: false, errors: [{ code: 9109, message: 'Invalid access token' }] }));
      const url = new URL(req.url, 'http://x');
      if (url.pathname === '/zones') return send(url.searchParams.get('name') === 'example.com' ? [{ id: 'zone1', name: 'example.com' }] : []);
      if (url.pathname === '/zones/zone1/dns_records' && req.method === 'GET') return send(records.filter((r) => r.type === url.searchParams.get('type') && r.name === url.searchParams.get('name')));
      if (url.pathname === '/zones/zone1/dns_records' && req.method === 'POST') {
        const record = { id: `rec${records.length + 1}`, ...JSON.parse(body) };
        records.push(record);
        return send(record);
      }
      const match = /^\/zones\/zone1\/dns_records\/(\w+)$/.exec(url.pathname);
      if (match && req.method === 'PATCH') {
        Object.assign(
          records.find((r) => r.id === match[1]),
          JSON.parse(body),
        );
        return send(records.find((r) => r.id === match[1]));
      }
      res.writeHead(404).end(JSON.stringify({ success: false, errors: [{ code: 7003, message: 'No route for that URI' }] }));
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${server.address().port}`;
    try {
      // Built by hand, not through the configuration: the zone comes from the name, so the list is loaded first.
      await loadPublicSuffixList();
      const provider = new CloudflareProvider({ apiToken: 'cf-token', baseUrl, http: new HttpClient({ retries: 0 }) });
      await provider.update({ name: 'home.example.com', type: 'A' }, '198.51.100.7', signal);
      await provider.update({ name: 'home.example.com', type: 'A' }, '198.51.100.8', signal);
      assert.deepEqual(
        records.map((r) => [r.name, r.type, r.content, r.proxied]),
        [['home.example.com', 'A', '198.51.100.8', false]],
      );
      assert.ok(calls.some((call) => call.startsWith('PATCH /zones/zone1/dns_records/rec1')));
      assert.deepEqual(await provider.current({ name: 'home.example.com', type: 'A' }), ['198.51.100.8'], 'read back from the API');
      records.push({ id: 'rec9', name: 'home.example.com', type: 'AAAA', content: '2001:0db8:0000:0000:0000:0000:0000:0009' });
      assert.deepEqual(await provider.current({ name: 'home.example.com', type: 'AAAA' }), ['2001:db8::9'], 'IPv6 compared in its canonical form');
      const denied = new CloudflareProvider({ apiToken: 'nope', baseUrl, http: new HttpClient({ retries: 0 }) });
      await assert.rejects(denied.update({ name: 'home.example.com', type: 'A' }, '198.51.100.9', signal), (error) => error instanceof PermanentUpdateError && /Zone:DNS:Edit/.test(error.message));
    } finally {
      server.close();
    }
  });
});

describe('DDNS configuration', () => {
  it('names every wrong variable and what it expects, at once', async () => {
    await assert.rejects(
      async () =>
        loadDdnsConfig({ DDNS_PROVIDER: 'route66', DDNS_RECORDS: 'home.example.com:MX,nodots', DDNS_MIN_UPDATE_INTERVAL_SECS: 'soon', DDNS_IP_SOURCE: 'carrier-pigeon', DDNS_ALLOW_PRIVATE: 'maybe' }),
      (error) =>
        error instanceof DdnsConfigError &&
        /DDNS_PROVIDER must be one of dreamhost, rfc2136, cloudflare, .*digitalocean, not 'route66'/.test(error.message) &&
        /'home\.example\.com:MX' has type MX; only A and AAAA/.test(error.message) &&
        /'nodots' is not a fully qualified name/.test(error.message) &&
        /DDNS_MIN_UPDATE_INTERVAL_SECS must be a whole number of seconds/.test(error.message) &&
        /DDNS_IP_SOURCE must be http, interface, interface:NAME or command/.test(error.message) &&
        /DDNS_ALLOW_PRIVATE must be true or false/.test(error.message),
    );
    await assert.rejects(
      async () =>
        loadDdnsConfig({
          DDNS_PROVIDER: 'rfc2136',
          DDNS_RECORDS: 'home.example.com',
          RFC2136_SERVER: '127.0.0.1:5353',
          RFC2136_TSIG_KEY_NAME: 'k',
          RFC2136_TSIG_SECRET: 'c2VjcmV0LXNlY3JldA==',
          RFC2136_TSIG_ALGORITHM: 'hmac-sha3',
        }),
      /RFC2136_TSIG_ALGORITHM must be one of hmac-md5, .*not 'hmac-sha3'/,
    );
    await assert.rejects(async () => loadDdnsConfig({ DDNS_PROVIDER: 'dreamhost', DDNS_RECORDS: 'home.example.com' }), /DREAMHOST_API_KEY is not set/);
  });

  it('knows each record’s zone before any update: wildcards under their domain, names outside DDNS_ZONE refused, check interval read', async () => {
    const base = { DDNS_PROVIDER: 'cloudflare', CLOUDFLARE_API_TOKEN: 't' };
    const wildcard = await loadDdnsConfig({ ...base, DDNS_RECORDS: '*.home.example.co.uk', DDNS_CHECK_INTERVAL_SECS: '0' });
    assert.equal(zoneOf(wildcard.records[0]), 'example.co.uk');
    assert.equal(wildcard.checkIntervalMs, 0);
    assert.equal((await loadDdnsConfig({ ...base, DDNS_RECORDS: 'home.example.com' })).checkIntervalMs, 300_000);
    await assert.rejects(
      async () => loadDdnsConfig({ ...base, DDNS_RECORDS: 'home.example.com,vpn.other.net', DDNS_ZONE: 'example.com' }),
      /vpn\.other\.net is not inside the zone example\.com \(DDNS_ZONE\)/,
    );
    await assert.rejects(async () => loadDdnsConfig({ ...base, DDNS_RECORDS: 'home.example.com', DDNS_CHECK_INTERVAL_SECS: 'often' }), /DDNS_CHECK_INTERVAL_SECS must be a whole number/);
    // What identifies the configuration changes with the provider's settings, not with where addresses come from.
    const digest = async (extra) => (await loadDdnsConfig({ ...base, DDNS_RECORDS: 'home.example.com', ...extra })).records[0].configuration;
    assert.equal(await digest({ DDNS_IP_POLL_SECS: '60' }), await digest({}));
    assert.notEqual(await digest({ CLOUDFLARE_API_TOKEN: 'new' }), await digest({}));
  });

  it('reads records of other hosts (an IPv6 suffix under this prefix) and the command source from a file', async () => {
    const config = await loadDdnsConfig({
      values: { DDNS_IP_SOURCE: 'command', DDNS_IP_COMMAND: 'upnpc -s | grep ExternalIP' },
      providers: { cf: { type: 'cloudflare', api_token: 't' } },
      records: [{ name: 'nas.example.com', type: 'AAAA', ipv6_suffix: '::1234:5678:9abc:def0', prefix_length: 56 }],
    });
    assert.equal(config.source.name, 'command');
    assert.deepEqual(
      config.records.map((record) => [record.ipv6Suffix, record.ipv6PrefixLength]),
      [['::1234:5678:9abc:def0', 56]],
    );
    await assert.rejects(
      async () =>
        loadDdnsConfig({
          values: { DDNS_IP_SOURCE: 'command' },
          providers: { cf: { type: 'cloudflare', api_token: 't' } },
          records: [
            { name: 'nas.example.com', ipv6_suffix: '::1' },
            { name: 'tv.example.com', type: 'AAAA', ipv6_suffix: 'zz', prefix_length: 200 },
          ],
        }),
      (error) =>
        /DDNS_IP_COMMAND is not set/.test(error.message) &&
        /records\[0\]\.ipv6_suffix must be an IPv6 interface identifier .*on an AAAA record/.test(error.message) &&
        /records\[1\]\.ipv6_suffix must be/.test(error.message) &&
        /records\[1\]\.prefix_length must be a whole number of bits from 1 to 127/.test(error.message),
    );
  });

  it('reads a YAML file with the same keys; the environment wins', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shoreline-ddns-config-'));
    try {
      const file = join(dir, 'ddns.yaml');
      await writeFile(
        file,
        'DDNS_PROVIDER: cloudflare\nDDNS_RECORDS:\n  - home.example.com\n  - home.example.com:AAAA\nCLOUDFLARE_API_TOKEN: from-file\nDDNS_MIN_UPDATE_INTERVAL_SECS: 120\nDDNS_IP_SOURCE: interface:eth0\n',
      );
      const settings = await readDdnsSettings({ DDNS_MIN_UPDATE_INTERVAL_SECS: '30' }, file);
      const config = await loadDdnsConfig(settings, { XDG_STATE_HOME: dir });
      assert.equal(config.providers.cloudflare.name, 'cloudflare');
      assert.deepEqual(
        config.records.map((r) => `${r.name} ${r.type}`),
        ['home.example.com A', 'home.example.com AAAA'],
      );
      assert.equal(config.minIntervalMs, 30_000);
      assert.deepEqual(config.families, [4, 6]);
      assert.equal(config.source.name, 'interface eth0');
      assert.equal(config.stateFile, join(dir, 'shoreline', 'ddns-state.json'));
      await writeFile(file, 'DDNS_PROVIDER: cloudflare\nDDNS_RECRODS: typo\n');
      await assert.rejects(readDdnsSettings({}, file), /unknown setting DDNS_RECRODS/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('RFC 2136 transport', () => {
  it('fails at once, saying so, when nothing listens on the server port (ICMP port unreachable)', async () => {
    const { createSocket } = await import('node:dgram');
    // A port that was just free: bound, then closed.
    const probe = createSocket('udp4');
    await new Promise((resolve) => probe.bind(0, '127.0.0.1', resolve));
    const port = probe.address().port;
    await new Promise((resolve) => probe.close(resolve));
    const key = { name: 'k', secret: Buffer.alloc(32, 1).toString('base64'), algorithm: 'hmac-sha256' };
    await assert.rejects(
      sendUpdate({ server: '127.0.0.1', port, zone: 'example.test', name: 'home.example.test', type: 'A', address: '192.0.2.1', ttl: 60, key, timeoutMs: 30_000 }),
      /127\.0\.0\.1:\d+: connection refused \(is the DNS server running/,
    );
    await assert.rejects(queryAddresses({ server: '127.0.0.1', port, name: 'home.example.test', type: 'A', timeoutMs: 30_000 }), /connection refused/);
  });
});
