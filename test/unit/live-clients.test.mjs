import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DreamhostApi, HttpClient, LagoonApi, LiveData, mintLagoonToken, parseHcl, parseVersionConstraints, RegistryClient, versionsMatching } from '../../core/dist/index.js';
import { startDreamhostFake, startLagoonFake, startRegistryFake } from '../support/fake-servers.mjs';

const fastHttp = (log) => new HttpClient({ retries: 2, initialBackoffMs: 5, maxBackoffMs: 20, timeoutMs: 1000, log, secrets: () => ['TESTKEY123', 'lagoon-token', 'jwt-secret'] });

describe('DreamHost API client', () => {
  let fake;
  const logs = [];
  before(
    async () =>
      (fake = await startDreamhostFake({
        propagationMs: 60,
        records: [
          { record: 'example.com', type: 'A', value: '192.0.2.1' },
          { record: 'example.com', type: 'NS', value: 'ns1.dreamhost.com', editable: '0' },
        ],
      })),
  );
  after(() => fake.close());
  const api = () =>
    new DreamhostApi({ apiKey: 'TESTKEY123', baseUrl: `${fake.url}/`, http: fastHttp((event) => logs.push(JSON.stringify(event))), consistencyIntervalMs: 20, consistencyTimeoutMs: 2000 });

  it('lists records, caching the list', async () => {
    const client = api();
    const records = await client.listRecords();
    assert.deepEqual(
      records.map((record) => `${record.type} ${record.record} ${record.editable}`),
      ['A example.com 1', 'NS example.com 0'],
    );
    const before = fake.state.requests.length;
    await client.listRecords();
    assert.equal(fake.state.requests.length, before);
    assert.equal(client.cachedRecords().length, 2);
  });
  it('adds and removes records, waiting until the list shows the change', async () => {
    const client = api();
    await client.addRecord({ record: 'www.example.com', type: 'CNAME', value: 'example.com' });
    assert.ok((await client.listRecords()).some((record) => record.record === 'www.example.com'));
    const add = fake.state.requests.find((request) => request.cmd === 'dns-add_record');
    assert.match(add.unique_id, /^[0-9a-f-]{36}$/);
    await client.removeRecord({ record: 'www.example.com', type: 'CNAME', value: 'example.com' });
    assert.ok(!(await client.listRecords()).some((record) => record.record === 'www.example.com'));
  });
  it("maps DreamHost's error strings to typed errors", async () => {
    await assert.rejects(api().addRecord({ record: 'example.com', type: 'CNAME', value: 'x.example.net' }), (error) => error.code === 'CNAME_must_be_only_record' && error.kind === 'conflict');
    await assert.rejects(api().removeRecord({ record: 'example.com', type: 'NS', value: 'ns1.dreamhost.com' }), (error) => error.kind === 'not-editable');
    await assert.rejects(new DreamhostApi({ apiKey: 'WRONG', baseUrl: `${fake.url}/`, http: fastHttp() }).listRecords(), (error) => error.kind === 'auth');
  });
  it('retries a 500, and never logs the key', async () => {
    fake.state.faults.push({ status: 500 });
    const client = api();
    await client.listRecords({ fresh: true });
    assert.ok(logs.length > 0);
    assert.ok(!logs.join('\n').includes('TESTKEY123'));
  });
});

describe('Lagoon GraphQL client', () => {
  let fake;
  before(
    async () =>
      (fake = await startLagoonFake({
        jwtSecret: 'jwt-secret',
        deployTargets: [{ id: 1, name: 'cluster-1', cloudProvider: 'aws', cloudRegion: 'eu-west-1', disabled: false }],
        projects: [{ id: 7, name: 'shop', environments: [{ id: 70, name: 'main', environmentType: 'PRODUCTION', deployType: 'BRANCH' }], variables: [{ id: 1, name: 'API_KEY', scope: 'RUNTIME' }] }],
      })),
  );
  after(() => fake.close());

  it('queries version, deploy targets, projects, environments and variables — every query valid against the Lagoon schema', async () => {
    const api = new LagoonApi({ url: `${fake.url}/graphql`, token: 'lagoon-token', http: fastHttp() });
    assert.equal(await api.version(), 'v2.30.1');
    assert.deepEqual(await api.deployTargets(), [{ id: 1, name: 'cluster-1', cloudProvider: 'aws', cloudRegion: 'eu-west-1', disabled: false }]);
    assert.deepEqual(await api.projects(), [{ id: 7, name: 'shop' }]);
    assert.deepEqual(
      (await api.environments('shop')).map((environment) => environment.name),
      ['main'],
    );
    assert.deepEqual(
      (await api.variables('shop')).map((variable) => variable.name),
      ['API_KEY'],
    );
    assert.deepEqual(api.cached(LagoonApi.PROJECTS).allProjects, [{ id: 7, name: 'shop' }]);
  });
  it('mints a JWT from the secret when no token is given', async () => {
    const api = new LagoonApi({ url: `${fake.url}/graphql`, jwtSecret: 'jwt-secret', http: fastHttp() });
    assert.equal(await api.version(), 'v2.30.1');
    const claims = JSON.parse(Buffer.from(fake.state.tokensSeen.at(-1).split('.')[1], 'base64url'));
    assert.equal(claims.role, 'admin');
    assert.ok(claims.exp > Date.now() / 1000 + 3000);
    assert.equal(mintLagoonToken('s', 60, 1000).split('.').length, 3);
  });
  it('types errors: not found, validation, auth, connection', async () => {
    const api = new LagoonApi({ url: `${fake.url}/graphql`, token: 'lagoon-token', http: fastHttp() });
    await assert.rejects(api.environments('nope'), (error) => error.kind === 'not-found');
    await assert.rejects(api.query('{ allProjects { noSuchField } }'), (error) => error.kind === 'validation');
    await assert.rejects(new LagoonApi({ url: `${fake.url}/graphql`, token: 'wrong', http: fastHttp() }).projects(), (error) => error.kind === 'auth');
    await assert.rejects(new LagoonApi({ url: 'http://127.0.0.1:1/graphql', token: 't', http: new HttpClient({ retries: 0 }) }).projects(), (error) => error.kind === 'connection');
  });
});

describe('registry client and version constraints', () => {
  let fake;
  before(async () => (fake = await startRegistryFake({ providers: { 'adamantal/dreamhost': ['0.3.2', '0.3.0', '0.2.1', '1.0.0-beta.1', '0.10.0'] } })));
  after(() => fake.close());
  it('discovers the protocol and lists versions, newest first, cached', async () => {
    const client = new RegistryClient({ baseUrl: fake.url, http: fastHttp() });
    assert.deepEqual(await client.providerVersions('adamantal', 'dreamhost'), ['1.0.0-beta.1', '0.10.0', '0.3.2', '0.3.0', '0.2.1']);
    const requests = fake.state.requests.length;
    assert.deepEqual(client.cachedProviderVersions('adamantal', 'dreamhost')[0], '1.0.0-beta.1');
    await client.providerVersions('adamantal', 'dreamhost');
    assert.equal(fake.state.requests.length, requests);
  });
  it('flags a constraint no version meets, and hints a newer major', async () => {
    const live = new LiveData({ registry: new RegistryClient({ baseUrl: fake.url, http: fastHttp() }) });
    const config = (version) =>
      parseHcl(`terraform {\n  required_providers {\n    dreamhost = {\n      source  = "adamantal/dreamhost"\n      version = "${version}"\n    }\n  }\n}\n`, { source: 'v.tf' });
    await live.refresh([config('~> 0.3')]);
    assert.deepEqual(
      live
        .diagnostics([config('~> 0.3')])
        .get('v.tf')
        .map((d) => d.code),
      [],
    );
    assert.deepEqual(
      live
        .diagnostics([config('~> 5.0')])
        .get('v.tf')
        .map((d) => d.code),
      ['live/version-unpublished'],
    );
    const newer = await startRegistryFake({ providers: { 'adamantal/dreamhost': ['0.3.2', '1.2.0'] } });
    try {
      const withMajor = new LiveData({ registry: new RegistryClient({ baseUrl: newer.url, http: fastHttp() }) });
      await withMajor.refresh([config('~> 0.3')]);
      const [hint] = withMajor.diagnostics([config('~> 0.3')]).get('v.tf');
      assert.equal(hint.code, 'live/newer-major');
      assert.equal(hint.severity, 'hint');
      assert.match(hint.message, /1\.2\.0 is published/);
    } finally {
      await newer.close();
    }
  });
  it('matches constraints as Terraform does', () => {
    const versions = ['1.0.0-beta.1', '0.10.0', '0.3.2', '0.3.0', '0.2.1'];
    const match = (text) => versionsMatching(versions, parseVersionConstraints(text).constraints);
    assert.deepEqual(match('~> 0.3'), ['0.10.0', '0.3.2', '0.3.0']);
    assert.deepEqual(match('~> 0.3.0'), ['0.3.2', '0.3.0']);
    assert.deepEqual(match('>= 0.3, < 0.10'), ['0.3.2', '0.3.0']);
    assert.deepEqual(match('1.0.0-beta.1'), ['1.0.0-beta.1']);
    assert.deepEqual(match('>= 2.0'), []);
  });
});
