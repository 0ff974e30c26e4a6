import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { FileStorage, parseUpstream, startMirror } from '../../core/dist/mirror/index.js';
import { startUpstreamRegistry } from '../support/fake-upstream-registry.mjs';
import { get, getUntilHit } from '../support/mirror-client.mjs';

const BIN = fileURLToPath(new URL('../../bin/shoreline.js', import.meta.url));
const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const ZIP = (version, platform) => `/registry.terraform.io/shoreline-test/echo/${version}/${platform}/terraform-provider-echo_${version}_${platform}.zip`;

/** Runs the CLI without blocking this process (the stand-in registry runs here). */
function cli(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Bytes that do not compress. */
function pseudoRandom(length) {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i + 4 <= length; i += 4) bytes.writeUInt32LE((i * 2654435761) >>> 0, i);
  return bytes;
}

/** Starts a download and reads only its headers (and what the socket buffers take): a client that stopped reading. */
function stalledClient(url) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, (res) => {
      res.pause();
      resolve({ status: res.statusCode, destroy: () => req.destroy() });
    });
    req.on('error', () => {});
    req.on('timeout', reject);
    req.end();
  });
}

describe('registry mirror under slow clients and faults', () => {
  let upstream;
  let mirror;
  let cacheDir;

  before(async () => {
    // 12 MiB per zip: far more than socket buffers hold.
    upstream = await startUpstreamRegistry({ payload: pseudoRandom(12 * 1024 * 1024) });
    cacheDir = await mkdtemp(join(tmpdir(), 'shoreline-mirror-faults-'));
    mirror = await startMirror({
      storage: new FileStorage(cacheDir),
      port: 0,
      upstreams: [parseUpstream(`registry.terraform.io=${upstream.url}`)],
      artifactHosts: [],
      metadataTtlMs: 100,
      timeouts: { firstByteMs: 800, idleMs: 800, staleAfterMs: 300 },
      logger: quiet,
    });
  });
  after(async () => {
    await mirror?.close(100);
    await upstream?.close();
    await rm(cacheDir, { recursive: true, force: true, maxRetries: 5 });
  });

  it('a first client that stops reading delays neither the download nor the other clients', async () => {
    const path = ZIP('1.0.0', 'linux_amd64');
    upstream.state.trickle.add(upstream.fileFor('echo', '1.0.0', 'linux_amd64'));
    const expected = upstream.files.get(upstream.fileFor('echo', '1.0.0', 'linux_amd64')).body;
    const first = await stalledClient(`${mirror.url}${path}`);
    assert.equal(first.status, 200);
    const second = await get(`${mirror.url}${path}`);
    assert.equal(second.status, 200);
    assert.equal(sha256(second.body), sha256(expected));
    // The download finished and was cached while the first client still reads nothing.
    const hit = await getUntilHit(`${mirror.url}${path}`);
    assert.equal(hit.headers.get('x-cache-status'), 'HIT');
    first.destroy();
    upstream.state.trickle.clear();
  });

  it('a first client that goes away does not stop the download: the others get it whole and it is cached', async () => {
    const path = ZIP('1.0.0', 'darwin_arm64');
    upstream.state.trickle.add(upstream.fileFor('echo', '1.0.0', 'darwin_arm64'));
    const expected = upstream.files.get(upstream.fileFor('echo', '1.0.0', 'darwin_arm64')).body;
    const first = await stalledClient(`${mirror.url}${path}`);
    const second = get(`${mirror.url}${path}`);
    first.destroy();
    const answer = await second;
    assert.equal(answer.status, 200);
    assert.equal(sha256(answer.body), sha256(expected));
    assert.equal((await getUntilHit(`${mirror.url}${path}`)).headers.get('x-cache-status'), 'HIT');
    assert.deepEqual(await readdir(join(cacheDir, 'tmp')), [], 'no temp file left');
    upstream.state.trickle.clear();
  });

  it('serves expired metadata at once (STALE) when the upstream hangs, and a 504 when nothing is cached', async () => {
    const index = `${mirror.url}/registry.terraform.io/shoreline-test/echo/index.json`;
    assert.equal((await get(index)).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 150)); // past the TTL
    upstream.state.hang = true;
    try {
      const began = performance.now();
      const stale = await get(index);
      assert.equal(stale.status, 200);
      assert.equal(stale.headers.get('x-cache-status'), 'STALE');
      assert.ok(performance.now() - began < 2000, 'served without waiting for the upstream');
      const missing = await get(`${mirror.url}/registry.terraform.io/shoreline-test/other/index.json`);
      assert.equal(missing.status, 504);
      assert.match(missing.json().errors[0], /did not answer in time/);
    } finally {
      upstream.state.hang = false;
    }
  });

  it('never stores the query of a signed upstream URL', async () => {
    assert.equal((await get(`${mirror.url}${ZIP('1.0.0', 'linux_amd64')}`)).status, 200);
    const records = (await readdir(cacheDir, { recursive: true })).filter((name) => name.endsWith('.meta.json'));
    assert.ok(records.some((name) => name.endsWith('SHA256SUMS.meta.json')));
    for (const name of records) assert.doesNotMatch(await readFile(join(cacheDir, name), 'utf8'), /s3cr3t|Signature/);
  });

  it('gives up on an upstream that sends a byte now and then (504), leaving nothing behind', async () => {
    const upstreamPath = upstream.fileFor('echo', '1.1.0', 'darwin_arm64');
    upstream.state.drip.add(upstreamPath);
    try {
      const began = performance.now();
      const answer = await get(`${mirror.url}${ZIP('1.1.0', 'darwin_arm64')}`);
      assert.equal(answer.status, 504);
      assert.match(answer.json().errors[0], /stopped sending/);
      assert.ok(performance.now() - began < 5000, 'within the idle timeout, not the whole download deadline');
      assert.deepEqual(await readdir(join(cacheDir, 'tmp')), [], 'no temp file left');
    } finally {
      upstream.state.drip.delete(upstreamPath);
    }
  });

  it('answers HEAD for an uncached artifact with its headers, from the upstream', async () => {
    const path = ZIP('1.1.0', 'linux_amd64');
    const expected = upstream.files.get(upstream.fileFor('echo', '1.1.0', 'linux_amd64')).body;
    const answer = await fetch(`${mirror.url}${path}`, { method: 'HEAD' });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('content-length'), String(expected.length));
    assert.equal(answer.headers.get('content-type'), 'application/zip');
  });
});

describe('registry mirror beyond loopback', () => {
  it('refuses to listen beyond loopback without a public URL (download links would follow the Host header)', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'shoreline-mirror-public-'));
    try {
      await assert.rejects(startMirror({ storage: new FileStorage(cacheDir), host: '0.0.0.0', port: 0, logger: quiet }), /needs --public-url/);
      const mirror = await startMirror({ storage: new FileStorage(cacheDir), host: '0.0.0.0', port: 0, publicUrl: 'https://mirror.example.com', logger: quiet });
      await mirror.close(10);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('registry mirror cache size', () => {
  let upstream;
  let cacheDir;
  before(async () => {
    // Zips of about 1 MiB each (stored, not compressed), next to which the checksum files are small.
    upstream = await startUpstreamRegistry({ payload: pseudoRandom(1024 * 1024) });
    cacheDir = await mkdtemp(join(tmpdir(), 'shoreline-mirror-size-'));
  });
  after(async () => {
    await upstream?.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('evicts the least recently used artifacts beyond --max-size, also while they are read, and keeps the metadata', async () => {
    const zipSize = upstream.files.get(upstream.fileFor('echo', '1.0.0', 'linux_amd64')).body.length;
    // Room for two zips and the small checksum files, not three zips.
    const mirror = await startMirror({
      storage: new FileStorage(cacheDir),
      port: 0,
      upstreams: [parseUpstream(`registry.terraform.io=${upstream.url}`)],
      artifactHosts: [],
      maxCacheBytes: Math.floor(2.5 * zipSize),
      logger: quiet,
    });
    try {
      const index = `${mirror.url}/registry.terraform.io/shoreline-test/echo/index.json`;
      assert.equal((await get(index)).status, 200);
      const a = ZIP('1.0.0', 'linux_amd64');
      const b = ZIP('1.0.0', 'darwin_arm64');
      const c = ZIP('1.1.0', 'linux_amd64');
      assert.equal((await getUntilHit(`${mirror.url}${a}`)).status, 200);
      assert.equal((await getUntilHit(`${mirror.url}${b}`)).status, 200);
      assert.equal((await get(`${mirror.url}${a}`)).headers.get('x-cache-status'), 'HIT'); // a is now more recent than b
      // c comes in while a is being read by several clients.
      const readers = Array.from({ length: 5 }, () => get(`${mirror.url}${a}`));
      assert.equal((await getUntilHit(`${mirror.url}${c}`)).status, 200);
      for (const answer of await Promise.all(readers)) assert.equal(answer.body.length, zipSize);
      // Eviction follows the commit: wait for it.
      let stats;
      for (let attempt = 0; attempt < 100; attempt++) {
        stats = (await get(`${mirror.url}/stats`)).json();
        if (stats.evictions >= 1 && stats.cacheBytes <= stats.maxCacheBytes) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.ok(stats.cacheBytes <= stats.maxCacheBytes, `${stats.cacheBytes} ≤ ${stats.maxCacheBytes}`);
      assert.ok(stats.evictions >= 1);
      assert.equal((await get(`${mirror.url}${a}`)).headers.get('x-cache-status'), 'HIT');
      assert.equal((await get(`${mirror.url}${b}`)).headers.get('x-cache-status'), 'MISS', 'the least recently used was evicted');
      assert.ok(Object.keys(stats.byOwner).includes('providers/registry.terraform.io/shoreline-test/echo'));
      // A mirror without a token does not purge over HTTP.
      assert.equal((await fetch(`${mirror.url}/purge`, { method: 'POST' })).status, 403);
      // Version lists were not evicted: served from the cache while the upstream is down.
      upstream.state.down = true;
      assert.equal((await get(index)).status, 200);
    } finally {
      upstream.state.down = false;
      await mirror.close(100);
    }
  });

  it('shoreline mirror purge removes the artifacts matching a pattern, and only those', async () => {
    const before = (await readdir(cacheDir, { recursive: true })).filter((name) => name.endsWith('.zip'));
    assert.ok(before.length >= 2);
    const run = spawnSync(process.execPath, [BIN, 'mirror', 'purge', 'registry.terraform.io/shoreline-test/echo/1.1.0/*', '--cache', cacheDir], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Purged [1-3] cached artifacts? /); // the 1.1.0 zip, and its checksum files unless they were evicted
    const after = (await readdir(cacheDir, { recursive: true })).filter((name) => name.endsWith('.zip'));
    assert.deepEqual(after.sort(), before.filter((name) => !name.includes('1.1.0')).sort());
    assert.ok(
      (await readdir(cacheDir, { recursive: true })).some((name) => name.startsWith(join('objects', 'meta'))),
      'metadata stays',
    );
  });
});

describe('registry mirror on a full disk', () => {
  it('passes new artifacts through uncached (verified) when the storage is full, and reports degraded health', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to mount a small tmpfs');
    const cacheDir = await mkdtemp(join(tmpdir(), 'shoreline-mirror-full-'));
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', cacheDir]);
    if (mounted.status !== 0) {
      await rm(cacheDir, { recursive: true, force: true });
      return t.skip(`cannot mount a tmpfs here: ${String(mounted.stderr).trim()}`);
    }
    const upstream = await startUpstreamRegistry({ payload: pseudoRandom(1536 * 1024) });
    let mirror;
    try {
      mirror = await startMirror({ storage: new FileStorage(cacheDir), port: 0, upstreams: [parseUpstream(`registry.terraform.io=${upstream.url}`)], artifactHosts: [], logger: quiet });
      const expected = upstream.files.get(upstream.fileFor('echo', '1.0.0', 'linux_amd64')).body;
      for (let round = 0; round < 2; round++) {
        const answer = await get(`${mirror.url}${ZIP('1.0.0', 'linux_amd64')}`);
        assert.equal(answer.status, 200);
        assert.equal(answer.headers.get('x-cache-status'), 'BYPASS');
        assert.equal(sha256(answer.body), sha256(expected));
      }
      assert.deepEqual(await readdir(join(cacheDir, 'tmp')), [], 'no temp file left');
      // Fill the rest of the disk: even the health probe cannot write.
      spawnSync('dd', ['if=/dev/zero', `of=${join(cacheDir, 'filler')}`, 'bs=64k']);
      const health = await get(`${mirror.url}/healthz`);
      assert.equal(health.status, 200);
      assert.equal(health.json().status, 'degraded');
      assert.match(health.json().storage.state, /^full/);
    } finally {
      await mirror?.close(100);
      await upstream.close();
      spawnSync('umount', [cacheDir]);
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('preparing caches: warm, export, import', () => {
  it('warms from a lock file and a provider list, exports in the terraform providers mirror layout, and an offline mirror answers from the import', async () => {
    const upstream = await startUpstreamRegistry();
    const work = await mkdtemp(join(tmpdir(), 'shoreline-mirror-transfer-'));
    const source = join(work, 'source-cache');
    const target = join(work, 'target-cache');
    const exported = join(work, 'export');
    const up = [`--upstream`, `registry.terraform.io=${upstream.url}`];
    try {
      const linux = upstream.files.get(upstream.fileFor('echo', '1.0.0', 'linux_amd64')).body;
      const lock = join(work, '.terraform.lock.hcl');
      await writeFile(lock, `provider "registry.terraform.io/shoreline-test/echo" {\n  version     = "1.0.0"\n  constraints = "~> 1.0"\n  hashes = [\n    "zh:${sha256(linux)}",\n  ]\n}\n`);
      let run = await cli(['mirror', 'warm', '--lock', lock, '--platform', 'linux_amd64', '--cache', source, ...up]);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /fetched {2}registry\.terraform\.io\/shoreline-test\/echo 1\.0\.0 linux_amd64/);
      // The latest version, for two platforms; again: cached already.
      run = await cli(['mirror', 'warm', 'shoreline-test/echo', '--platform', 'linux_amd64', '--platform', 'darwin_arm64', '--cache', source, ...up]);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout.trim().split('\n').length, 2);
      assert.match(run.stdout, /1\.1\.0 darwin_arm64/);
      // A lock file whose hash does not match is an error.
      await writeFile(lock, `provider "registry.terraform.io/shoreline-test/echo" {\n  version = "1.0.0"\n  hashes  = ["zh:${'0'.repeat(64)}"]\n}\n`);
      run = await cli(['mirror', 'warm', '--lock', lock, '--platform', 'darwin_arm64', '--cache', source, ...up]);
      assert.notEqual(run.status, 0);
      assert.match(run.stderr, /matches none of the lock file's hashes/);

      run = await cli(['mirror', 'export', exported, '--cache', source, ...up]);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /^Exported 4 provider archives/); // the darwin_arm64 1.0.0 of the refused warm was verified and cached all the same
      const folder = join(exported, 'registry.terraform.io', 'shoreline-test', 'echo');
      assert.deepEqual(JSON.parse(await readFile(join(folder, 'index.json'), 'utf8')), { versions: { '1.0.0': {}, '1.1.0': {} } });
      const version = JSON.parse(await readFile(join(folder, '1.0.0.json'), 'utf8'));
      assert.equal(version.archives.linux_amd64.url, 'terraform-provider-echo_1.0.0_linux_amd64.zip');
      assert.ok(version.archives.linux_amd64.hashes.some((hash) => hash.startsWith('h1:')));
      assert.deepEqual(await readFile(join(folder, 'terraform-provider-echo_1.0.0_linux_amd64.zip')), linux);

      run = await cli(['mirror', 'import', exported, '--cache', target]);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /^Imported 4 provider archives/);
      // A mirror whose upstream cannot be reached serves what was imported.
      const offline = await startMirror({ storage: new FileStorage(target), port: 0, upstreams: [parseUpstream('registry.terraform.io=http://127.0.0.1:9')], artifactHosts: [], logger: quiet });
      try {
        const index = await get(`${offline.url}/registry.terraform.io/shoreline-test/echo/index.json`);
        assert.equal(index.status, 200);
        assert.deepEqual(index.json(), { versions: { '1.0.0': {}, '1.1.0': {} } });
        const served = await get(`${offline.url}/registry.terraform.io/shoreline-test/echo/1.0.0.json`);
        assert.equal(served.status, 200);
        const zip = await get(new URL(served.json().archives.linux_amd64.url, `${offline.url}/registry.terraform.io/shoreline-test/echo/`).href);
        assert.equal(zip.status, 200);
        assert.equal(zip.headers.get('x-cache-status'), 'HIT');
        assert.deepEqual(zip.body, linux);
      } finally {
        await offline.close(100);
      }
      // A tampered zip is refused on import.
      const tampered = join(folder, 'terraform-provider-echo_1.0.0_linux_amd64.zip');
      const bytes = await readFile(tampered);
      bytes[bytes.length - 40] ^= 0xff;
      await writeFile(tampered, bytes);
      run = await cli(['mirror', 'import', exported, '--cache', join(work, 'third-cache')]);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /refused: .*linux_amd64: .* matches none of the hashes/);
    } finally {
      await upstream.close();
      await rm(work, { recursive: true, force: true });
    }
  });
});
