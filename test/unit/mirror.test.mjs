import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileStorage, packageHashV1, parseUpstream, startMirror } from '../../core/dist/mirror/index.js';
import { RegistryClient } from '../../core/dist/index.js';
import { startUpstreamRegistry } from '../support/fake-upstream-registry.mjs';
import { get, getUntilHit } from '../support/mirror-client.mjs';

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

async function listFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) out.push(join(entry.parentPath ?? entry.path, entry.name));
  return out;
}

describe('registry mirror', () => {
  let upstream;
  let mirror;
  let cacheDir;
  const logs = [];

  before(async () => {
    upstream = await startUpstreamRegistry();
    cacheDir = await mkdtemp(join(tmpdir(), 'shoreline-mirror-'));
    mirror = await startMirror({
      storage: new FileStorage(cacheDir),
      port: 0,
      upstreams: [parseUpstream(`registry.terraform.io=${upstream.url}`), parseUpstream('registry.opentofu.org=http://127.0.0.1:9')],
      artifactHosts: [],
      metadataTtlMs: 200,
      timeouts: { idleMs: 400 },
      logger: { debug() {}, info: (msg, fields) => logs.push({ msg, ...fields }), warn: (msg, fields) => logs.push({ msg, ...fields }), error: (msg, fields) => logs.push({ msg, ...fields }) },
    });
  });
  after(async () => {
    await mirror?.close(100);
    await upstream?.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('offers service discovery for both registry protocols', async () => {
    const answer = await get(`${mirror.url}/.well-known/terraform.json`);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json(), { 'providers.v1': '/v1/providers/', 'modules.v1': '/v1/modules/' });
  });

  it('serves the network mirror index and version documents with zh: hashes from the signed SHA256SUMS', async () => {
    const index = await get(`${mirror.url}/registry.terraform.io/shoreline-test/echo/index.json`);
    assert.equal(index.status, 200);
    assert.deepEqual(index.json(), { versions: { '1.0.0': {}, '1.1.0': {} } });
    assert.equal(index.headers.get('x-cache-status'), 'MISS');
    const version = await get(`${mirror.url}/registry.terraform.io/shoreline-test/echo/1.0.0.json`);
    assert.equal(version.status, 200);
    const { archives } = version.json();
    assert.deepEqual(Object.keys(archives).sort(), ['darwin_arm64', 'linux_amd64']);
    const zip = upstream.files.get(upstream.fileFor('echo', '1.0.0', 'linux_amd64')).body;
    assert.equal(archives.linux_amd64.url, '1.0.0/linux_amd64/terraform-provider-echo_1.0.0_linux_amd64.zip');
    assert.deepEqual(archives.linux_amd64.hashes, [`zh:${sha256(zip)}`]);
  });

  it('caches a verified provider zip, computes its h1: hash and serves it as a HIT', async () => {
    const path = '/registry.terraform.io/shoreline-test/echo/1.0.0/linux_amd64/terraform-provider-echo_1.0.0_linux_amd64.zip';
    const first = await get(`${mirror.url}${path}`);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-cache-status'), 'MISS');
    const zip = upstream.files.get(upstream.fileFor('echo', '1.0.0', 'linux_amd64')).body;
    assert.equal(sha256(first.body), sha256(zip));
    const second = await getUntilHit(`${mirror.url}${path}`);
    assert.equal(second.headers.get('x-cache-status'), 'HIT');
    assert.equal(sha256(second.body), sha256(zip));
    const version = await get(`${mirror.url}/registry.terraform.io/shoreline-test/echo/1.0.0.json`);
    const hashes = version.json().archives.linux_amd64.hashes;
    assert.match(hashes[0], /^h1:[A-Za-z0-9+/]{43}=$/);
    assert.equal(hashes[0], await packageHashV1(join(cacheDir, 'objects', 'providers', 'registry.terraform.io', 'shoreline-test', 'echo', '1.0.0', 'terraform-provider-echo_1.0.0_linux_amd64.zip')));
  });

  it('rewrites registry-protocol download links to the mirror', async () => {
    const answer = await get(`${mirror.url}/v1/providers/shoreline-test/echo/1.1.0/download/darwin/arm64`);
    assert.equal(answer.status, 200);
    const body = answer.json();
    const base = `${mirror.url}/registry.terraform.io/shoreline-test/echo/1.1.0/darwin_arm64`;
    assert.equal(body.download_url, `${base}/terraform-provider-echo_1.1.0_darwin_arm64.zip`);
    assert.equal(body.shasums_url, `${base}/SHA256SUMS`);
    assert.equal(body.shasums_signature_url, `${base}/SHA256SUMS.sig`);
    assert.ok(body.signing_keys.gpg_public_keys[0].ascii_armor.includes('BEGIN PGP PUBLIC KEY'));
    const sums = await get(body.shasums_url);
    assert.equal(sums.status, 200);
    assert.match(sums.body.toString(), /terraform-provider-echo_1\.1\.0_darwin_arm64\.zip/);
    const sig = await get(body.shasums_signature_url);
    assert.equal(sig.status, 200);
    const zip = await get(body.download_url);
    assert.equal(sha256(zip.body), body.shasum);
  });

  it('answers If-None-Match with 304 on metadata', async () => {
    const first = await get(`${mirror.url}/v1/providers/shoreline-test/echo/versions`);
    const etag = first.headers.get('etag');
    assert.ok(etag);
    const second = await get(`${mirror.url}/v1/providers/shoreline-test/echo/versions`, { 'if-none-match': etag });
    assert.equal(second.status, 304);
  });

  it('revalidates expired metadata with the upstream ETag and serves it stale while the upstream is down', async () => {
    await get(`${mirror.url}/v1/providers/shoreline-test/echo/versions`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const revalidated = await get(`${mirror.url}/v1/providers/shoreline-test/echo/versions`);
    assert.equal(revalidated.headers.get('x-cache-status'), 'HIT');
    await new Promise((resolve) => setTimeout(resolve, 250));
    upstream.state.down = true;
    try {
      const stale = await get(`${mirror.url}/v1/providers/shoreline-test/echo/versions`);
      assert.equal(stale.status, 200);
      assert.equal(stale.headers.get('x-cache-status'), 'STALE');
      assert.equal(stale.json().versions.length, 2);
      const unknown = await get(`${mirror.url}/v1/providers/shoreline-test/never-seen/versions`);
      assert.equal(unknown.status, 502);
      assert.match(unknown.json().errors[0], /HTTP 503/);
    } finally {
      upstream.state.down = false;
    }
  });

  it('refuses a corrupted upstream zip with 502 and never caches it', async () => {
    const upstreamPath = upstream.fileFor('echo', '1.1.0', 'linux_amd64');
    upstream.state.corrupt.add(upstreamPath);
    const path = '/registry.terraform.io/shoreline-test/echo/1.1.0/linux_amd64/terraform-provider-echo_1.1.0_linux_amd64.zip';
    try {
      const answer = await get(`${mirror.url}${path}`);
      assert.equal(answer.status, 502);
      assert.match(answer.json().errors[0], /SHA-256 mismatch/);
      const again = await get(`${mirror.url}${path}`);
      assert.equal(again.status, 502, 'a mismatch is never cached: the next request tries the upstream again');
      assert.equal(upstream.state.counts.get(upstreamPath), 2);
      const files = await listFiles(cacheDir);
      assert.ok(!files.some((file) => file.endsWith('echo_1.1.0_linux_amd64.zip')), 'no object for the corrupt zip');
      assert.deepEqual(await readdir(join(cacheDir, 'tmp')), [], 'no temp file left');
    } finally {
      upstream.state.corrupt.delete(upstreamPath);
    }
    const fixed = await get(`${mirror.url}${path}`);
    assert.equal(fixed.status, 200);
  });

  it('makes one upstream fetch for 50 parallel downloads of one artifact', async () => {
    const upstreamPath = upstream.fileFor('echo', '1.1.0', 'darwin_arm64');
    await rm(join(cacheDir, 'objects', 'providers', 'registry.terraform.io', 'shoreline-test', 'echo', '1.1.0', 'terraform-provider-echo_1.1.0_darwin_arm64.zip'), { force: true });
    const before = upstream.state.counts.get(upstreamPath) ?? 0;
    const path = '/registry.terraform.io/shoreline-test/echo/1.1.0/darwin_arm64/terraform-provider-echo_1.1.0_darwin_arm64.zip';
    const answers = await Promise.all(Array.from({ length: 50 }, () => get(`${mirror.url}${path}`)));
    const expected = sha256(upstream.files.get(upstreamPath).body);
    for (const answer of answers) {
      assert.equal(answer.status, 200);
      assert.equal(sha256(answer.body), expected);
    }
    assert.equal((upstream.state.counts.get(upstreamPath) ?? 0) - before, 1);
  });

  it('leaves no partial object when the upstream stalls mid-way; a stall before the first byte is a 504', async () => {
    const upstreamPath = upstream.fileFor('echo', '1.0.0', 'darwin_arm64');
    upstream.state.stall.add(upstreamPath);
    const path = '/registry.terraform.io/shoreline-test/echo/1.0.0/darwin_arm64/terraform-provider-echo_1.0.0_darwin_arm64.zip';
    // Half the (one-chunk) file reaches the mirror, which holds it back, then the upstream stalls past the idle timeout.
    const stalled = await get(`${mirror.url}${path}`);
    assert.equal(stalled.status, 504);
    assert.match(stalled.json().errors[0], /stopped sending/);
    upstream.state.stall.delete(upstreamPath);
    const files = await listFiles(cacheDir);
    assert.ok(!files.some((file) => file.endsWith('echo_1.0.0_darwin_arm64.zip')), 'no object');
    assert.deepEqual(await readdir(join(cacheDir, 'tmp')), [], 'no temp file left');
    const complete = await get(`${mirror.url}${path}`);
    assert.equal(complete.status, 200);
    assert.equal(complete.headers.get('x-cache-status'), 'MISS');
  });

  it('answers path traversal and invalid registry names with 400', async () => {
    for (const path of [
      '/registry.terraform.io/shoreline-test/echo/1.0.0/linux_amd64/..%2F..%2F..%2Fetc%2Fpasswd',
      '/registry.terraform.io/../../etc/passwd/x/y',
      '/registry.terraform.io/shoreline-test/echo/1.0.0/linux_amd64/%2e%2e',
      '/v1/providers/bad%2Fns/echo/versions',
      '/v1/providers/-bad/echo/versions',
      '/registry.terraform.io/shoreline-test/echo/not-a-version.json',
      '/Registry.Terraform.IO/shoreline-test/echo/index.json',
      '/registry.terraform.io/shoreline-test/echo/1.0.0/linux-amd64/x.zip',
    ]) {
      const answer = await new Promise((resolve, reject) => {
        // fetch() would normalise dot segments; send the raw path.
        const req = httpRequest({ host: '127.0.0.1', port: mirror.port, path }, (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk)).on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(answer.status, 400, `${path} → ${answer.status} ${answer.body}`);
      assert.match(JSON.parse(answer.body).errors[0], /invalid|not allowed/);
    }
    const foreign = await get(`${mirror.url}/example.com/acme/thing/index.json`);
    assert.equal(foreign.status, 404, 'a host that is not an upstream is never contacted');
    assert.match(foreign.json().errors[0], /not a configured upstream/);
  });

  it('serves modules: versions pass through, X-Terraform-Get points at a mirrored archive', async () => {
    const versions = await get(`${mirror.url}/v1/modules/shoreline-test/site/dreamhost/versions`);
    assert.equal(versions.status, 200);
    assert.equal(versions.json().modules[0].versions[0].version, '0.1.0');
    const download = await fetch(`${mirror.url}/v1/modules/shoreline-test/site/dreamhost/0.1.0/download`);
    assert.equal(download.status, 204);
    const location = download.headers.get('x-terraform-get');
    assert.equal(location, `${mirror.url}/modules/registry.terraform.io/shoreline-test/site/dreamhost/0.1.0/module.zip`);
    const archive = await get(location);
    assert.equal(archive.status, 200);
    assert.equal(sha256(archive.body), sha256(upstream.files.get('/archives/shoreline-test-site-dreamhost-0.1.0.zip').body));
    assert.equal((await getUntilHit(location)).headers.get('x-cache-status'), 'HIT');
  });

  it('follows the upstream moving its provider protocol once the discovery document expires', async () => {
    const index = `${mirror.url}/registry.terraform.io/shoreline-test/echo/index.json`;
    assert.equal((await get(index)).status, 200);
    upstream.state.providersPath = '/api/registry/v1/providers/';
    try {
      await new Promise((resolve) => setTimeout(resolve, 250)); // past the 200 ms TTL
      const answer = await get(index);
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.json(), { versions: { '1.0.0': {}, '1.1.0': {} } });
      assert.ok(upstream.state.requests.includes('/api/registry/v1/providers/shoreline-test/echo/versions'), 'the version list came from the new place');
    } finally {
      upstream.state.providersPath = '/v1/providers/';
    }
  });

  it('reports health, Prometheus metrics and stats; logs one JSON line per request with its id', async () => {
    const health = await get(`${mirror.url}/healthz`);
    assert.equal(health.status, 200);
    const body = health.json();
    assert.equal(body.storage.state, 'ok');
    assert.equal(body.upstreams['registry.terraform.io'], 'ok');
    assert.match(body.upstreams['registry.opentofu.org'], /unreachable/);
    assert.equal(body.status, 'degraded');
    const metrics = (await get(`${mirror.url}/metrics`)).body.toString();
    assert.match(metrics, /shoreline_mirror_requests_total\{route="provider-archive",cache="HIT",status="200"\} \d+/);
    // Counted once per request, each route and status apart.
    const discoveries = (text) => Number(/shoreline_mirror_requests_total\{route="discovery",cache="NONE",status="200"\} (\d+)/.exec(text)?.[1] ?? 0);
    await get(`${mirror.url}/.well-known/terraform.json`);
    await get(`${mirror.url}/.well-known/terraform.json`);
    assert.equal(discoveries((await get(`${mirror.url}/metrics`)).body.toString()), discoveries(metrics) + 2);
    assert.match(metrics, /shoreline_mirror_upstream_request_duration_seconds_bucket\{le="0.005",host="127\.0\.0\.1:\d+"\}/);
    assert.match(metrics, /shoreline_mirror_cache_bytes \d+/);
    assert.match(metrics, /shoreline_mirror_verification_failures_total [1-9]/);
    const stats = (await get(`${mirror.url}/stats`)).json();
    assert.ok(stats.HIT > 0 && stats.hitRatio > 0 && stats.hitRatio <= 1 && stats.cacheObjects > 0);
    await get(`${mirror.url}/.well-known/terraform.json`, { 'x-request-id': 'req-abc.1' });
    // Status polls (an editor's /stats every few seconds) do not flood the log.
    assert.ok(!logs.some((entry) => entry.msg === 'request' && ['stats', 'healthz', 'metrics'].includes(entry.route)));
    const line = logs.find((entry) => entry.requestId === 'req-abc.1');
    assert.equal(line.msg, 'request');
    assert.equal(line.route, 'discovery');
    assert.equal(line.status, 200);
  });
});

describe('live version lookups through the mirror', () => {
  it('asks the running mirror first and the registry when the mirror is down', async () => {
    const upstream = await startUpstreamRegistry({ modules: {} });
    const cacheDir = await mkdtemp(join(tmpdir(), 'shoreline-mirror-'));
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    const mirror = await startMirror({ storage: new FileStorage(cacheDir), port: 0, upstreams: [parseUpstream(`registry.terraform.io=${upstream.url}`)], logger: quiet });
    try {
      const viaMirror = new RegistryClient({ baseUrl: 'http://127.0.0.1:9', mirrorUrl: mirror.url });
      assert.deepEqual(await viaMirror.providerVersions('shoreline-test', 'echo'), ['1.1.0', '1.0.0']);
      assert.ok(upstream.state.requests.includes('/v1/providers/shoreline-test/echo/versions'), 'the mirror fetched the list');
      const mirrorDown = new RegistryClient({ baseUrl: upstream.url, mirrorUrl: 'http://127.0.0.1:9' });
      assert.deepEqual(await mirrorDown.providerVersions('shoreline-test', 'echo'), ['1.1.0', '1.0.0']);
    } finally {
      await mirror.close(100);
      await upstream.close();
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('registry mirror with a bearer token', () => {
  it('refuses requests without the token, but not /healthz', async () => {
    const upstream = await startUpstreamRegistry({ providers: {}, modules: {} });
    const cacheDir = await mkdtemp(join(tmpdir(), 'shoreline-mirror-'));
    const logs = [];
    const mirror = await startMirror({
      storage: new FileStorage(cacheDir),
      port: 0,
      upstreams: [parseUpstream(`registry.terraform.io=${upstream.url}`)],
      token: 's3cret-token',
      logger: { debug() {}, info: (m, f) => logs.push(JSON.stringify(f)), warn() {}, error() {} },
    });
    try {
      assert.equal((await get(`${mirror.url}/.well-known/terraform.json`)).status, 401);
      assert.equal((await get(`${mirror.url}/.well-known/terraform.json`, { authorization: 'Bearer wrong' })).status, 401);
      assert.equal((await get(`${mirror.url}/.well-known/terraform.json`, { authorization: 'Bearer s3cret-token' })).status, 200);
      assert.equal((await get(`${mirror.url}/healthz`)).status, 200);
      // Purging over HTTP: POST with the token only.
      assert.equal((await fetch(`${mirror.url}/purge`, { method: 'POST' })).status, 401);
      const purged = await fetch(`${mirror.url}/purge?pattern=${encodeURIComponent('registry.terraform.io/none/*')}`, { method: 'POST', headers: { authorization: 'Bearer s3cret-token' } });
      assert.equal(purged.status, 200);
      assert.deepEqual(await purged.json(), { objects: 0, bytes: 0 });
      assert.equal((await fetch(`${mirror.url}/purge`, { headers: { authorization: 'Bearer s3cret-token' } })).status, 404, 'GET does not purge');
      assert.ok(!logs.some((line) => line.includes('s3cret-token')), 'the token never reaches a log line');
    } finally {
      await mirror.close(100);
      await upstream.close();
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
