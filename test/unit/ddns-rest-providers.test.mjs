import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DdnsConfigError, DdnsEngine, loadDdnsConfig, PermanentUpdateError, StateStore } from '../../core/dist/ddns/index.js';
import { CREDENTIALS, startDdnsApis } from '../support/fake-ddns-apis.mjs';

const signal = new AbortController().signal;

describe('DDNS providers over HTTP APIs (against stand-ins of their documented wire formats)', () => {
  let fake;
  before(async () => (fake = await startDdnsApis()));
  after(() => fake.close());

  /** The providers' settings as a configuration file gives them, with a wrong credential when `wrong`. */
  const entries = (wrong = false) => ({
    noip: { type: 'dyndns2', server: `${fake.url}/dyndns2`, username: CREDENTIALS.dyndns2.username, password: wrong ? 'nope' : CREDENTIALS.dyndns2.password },
    duck: { type: 'duckdns', token: wrong ? 'nope' : CREDENTIALS.duckdns, api_url: `${fake.url}/duckdns` },
    desec: { type: 'desec', token: wrong ? 'nope' : CREDENTIALS.desec, api_url: `${fake.url}/desec/api/v1` },
    porkbun: { type: 'porkbun', api_key: CREDENTIALS.porkbun.apikey, secret_api_key: wrong ? 'sk1_nope' : CREDENTIALS.porkbun.secretapikey, api_url: `${fake.url}/porkbun/api/json/v3` },
    hetzner: { type: 'hetzner', token: wrong ? 'nope' : CREDENTIALS.hetzner, api_url: `${fake.url}/hetzner/api/v1` },
    gandi: { type: 'gandi', token: wrong ? 'nope' : CREDENTIALS.gandi, api_url: `${fake.url}/gandi/v5/livedns` },
    digitalocean: { type: 'digitalocean', token: wrong ? 'nope' : CREDENTIALS.digitalocean, api_url: `${fake.url}/digitalocean/v2` },
    route53: { type: 'route53', access_key_id: CREDENTIALS.route53.accessKeyId, secret_access_key: wrong ? 'nope' : CREDENTIALS.route53.secretAccessKey, api_url: `${fake.url}/route53` },
  });
  const NAMES = {
    noip: 'noip.example.com',
    duck: 'myhome.duckdns.org',
    desec: 'desec.example.com',
    porkbun: 'porkbun.example.com',
    hetzner: 'hetzner.example.com',
    gandi: 'example.com',
    digitalocean: 'do.example.com',
    route53: 'r53.example.com',
  };
  const configure = (wrong = false) =>
    loadDdnsConfig({
      values: { DDNS_IP_SOURCE: 'http', DDNS_IP_URLS: 'http://127.0.0.1:9/a' },
      providers: entries(wrong),
      records: Object.entries(NAMES).flatMap(([provider, name]) => [
        { name, provider },
        { name, type: 'AAAA', provider },
      ]),
    });

  for (const provider of Object.keys(NAMES)) {
    it(`${provider}: creates, replaces and reads back A and AAAA records; refused credentials are permanent`, async () => {
      const config = await configure();
      const client = config.providers[provider];
      const name = NAMES[provider];
      for (const [type, first, second, canonical] of [
        ['A', '198.51.100.1', '198.51.100.2', '198.51.100.2'],
        ['AAAA', '2001:db8::1', '2001:0db8:0:0:0:0:0:2', '2001:db8::2'],
      ]) {
        const record = config.records.find((candidate) => candidate.provider === provider && candidate.type === type);
        await client.update(record, first, signal);
        assert.deepEqual(fake.records.get(`${name}|${type}`), [first]);
        await client.update(record, canonical === second ? second : canonical, signal);
        assert.deepEqual(fake.records.get(`${name}|${type}`), [canonical], 'replaced, not added beside');
        if (client.current) assert.deepEqual(await client.current(record, signal), [canonical]);
      }
      const refused = (await configure(true)).providers[provider];
      const record = config.records.find((candidate) => candidate.provider === provider);
      await assert.rejects(refused.update(record, '198.51.100.9', signal), (error) => error instanceof PermanentUpdateError && !error.message.includes('nope'));
    });
  }

  it('reads nothing where the API has no record (404 and empty lists)', async () => {
    const config = await configure();
    for (const provider of ['desec', 'porkbun', 'hetzner', 'gandi', 'digitalocean', 'route53']) {
      const record = { name: 'absent.example.com', type: 'A', provider, ttl: 60 };
      assert.deepEqual(await config.providers[provider].current(record, signal), [], provider);
    }
  });

  it('refuses what a provider cannot publish before any request: DuckDNS names outside duckdns.org', async () => {
    const config = await configure();
    assert.match(config.providers.duck.supports({ name: 'home.example.com', type: 'A' }), /SUBDOMAIN\.duckdns\.org/);
  });
});

describe('several providers and zones in one process', () => {
  let fake;
  let dir;
  before(async () => {
    fake = await startDdnsApis({ zones: ['example.com', 'example.org'] });
    dir = await mkdtemp(join(tmpdir(), 'shoreline-ddns-multi-'));
  });
  after(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('publishes each record through its provider in configuration order; one failing provider does not stop the others', async () => {
    const config = await loadDdnsConfig({
      values: { DDNS_IP_SOURCE: 'http', DDNS_IP_URLS: 'http://127.0.0.1:9/a', DDNS_MIN_UPDATE_INTERVAL_SECS: '0' },
      providers: {
        gandi: { type: 'gandi', token: CREDENTIALS.gandi, api_url: `${fake.url}/gandi/v5/livedns` },
        broken: { type: 'hetzner', token: 'revoked', api_url: `${fake.url}/hetzner/api/v1` },
        desec: { type: 'desec', token: CREDENTIALS.desec, api_url: `${fake.url}/desec/api/v1` },
      },
      records: [
        { name: 'www.example.com', provider: 'gandi', ttl: 600 },
        { name: 'home.example.org', provider: 'broken' },
        { name: 'home.example.org', provider: 'desec', min_interval: 0 },
      ],
    });
    assert.deepEqual(
      config.records.map((record) => `${record.name} ${record.provider} ${record.ttl}`),
      ['www.example.com gandi 600', 'home.example.org broken 60', 'home.example.org desec 60'],
    );
    const statuses = [];
    const state = new StateStore(join(dir, 'state.json'));
    const engine = new DdnsEngine({ providers: config.providers, records: config.records, state, minIntervalMs: 0, backoffMs: 1, onStatus: (status) => statuses.push(status) });
    engine.submit({ family: 4, address: '203.0.113.5', source: 'test' });
    await engine.idle();
    await engine.stop();
    assert.deepEqual(
      statuses.map((status) => `${status.record} ${status.provider} ${status.result}`),
      ['www.example.com gandi updated', 'home.example.org broken failed', 'home.example.org desec updated'],
    );
    assert.match(statuses[1].error, /Hetzner DNS refused the credentials \(HTTP 401: Invalid authentication credentials\): HETZNER_DNS_TOKEN/);
    assert.deepEqual(fake.records.get('home.example.org|A'), ['203.0.113.5']);
    // One state entry per provider: the same name through two providers is two records.
    assert.ok(state.get('broken:home.example.org|A').permanent);
    assert.equal(state.get('desec:home.example.org|A').address, '203.0.113.5');
  });

  it('names every problem of a configuration file with several providers, at once', async () => {
    await assert.rejects(
      async () =>
        loadDdnsConfig({
          file: 'ddns.yaml',
          values: { DDNS_PROVIDER: 'gandi' },
          providers: { a: { type: 'route66' }, b: { type: 'hetzner', tokn: 'x' }, c: { type: 'rfc2136', server: 'dns:99999', tsig_key_name: 'k', tsig_secret: 'c2VjcmV0LXNlY3JldA==' } },
          records: [{ name: 'home.example.com' }, { name: 'x.example.com', provider: 'z' }, { name: 'y.example.com', provider: 'b', colour: 'blue' }],
        }),
      (error) =>
        error instanceof DdnsConfigError &&
        /DDNS_PROVIDER is set and ddns\.yaml has providers: name the providers in one place/.test(error.message) &&
        /ddns\.yaml: providers\.a\.type must be one of dreamhost, .*not 'route66'/.test(error.message) &&
        /ddns\.yaml: providers\.b\.tokn is not a setting of hetzner; it takes token/.test(error.message) &&
        /ddns\.yaml: providers\.b\.token is not set/.test(error.message) &&
        /ddns\.yaml: providers\.c\.server must be HOST or HOST:PORT/.test(error.message) &&
        /ddns\.yaml: records\[0\]: home\.example\.com needs provider: \(one of a, b, c\)/.test(error.message) &&
        /ddns\.yaml: records\[1\]: provider 'z' is not one of a, b, c/.test(error.message) &&
        /ddns\.yaml: records\[2\]\.colour is not a record setting/.test(error.message),
    );
  });
});
