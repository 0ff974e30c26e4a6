// S3 storage against an S3-compatible server (s3rver) started here: two
// mirror instances share one bucket.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import S3rver from 's3rver';
import { parseUpstream, S3Storage, startMirror } from '../../core/dist/mirror/index.js';
import { startUpstreamRegistry } from '../support/fake-upstream-registry.mjs';
import { getUntilHit } from '../support/mirror-client.mjs';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const sha256 = (data) => createHash('sha256').update(data).digest('hex');

describe('registry mirror on S3-compatible storage', () => {
  let s3;
  let s3Url;
  let upstream;
  let work;
  const mirrors = [];

  const storage = (name) =>
    new S3Storage({ endpoint: s3Url, bucket: 'terraform-mirror', prefix: 'cache/', region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', tempDir: join(work, name) });

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'shoreline-s3-'));
    s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: join(work, 's3'), configureBuckets: [{ name: 'terraform-mirror' }] });
    const { port } = await s3.run();
    s3Url = `http://127.0.0.1:${port}`;
    upstream = await startUpstreamRegistry();
  });
  after(async () => {
    for (const mirror of mirrors) await mirror.close(100);
    await upstream?.close();
    await s3?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('caches verified artifacts in the bucket; a second instance serves them as hits', async () => {
    const options = { port: 0, upstreams: [parseUpstream(`registry.terraform.io=${upstream.url}`)], logger: quiet };
    const a = await startMirror({ ...options, storage: storage('a') });
    mirrors.push(a);
    const path = '/registry.terraform.io/shoreline-test/echo/1.0.0/linux_amd64/terraform-provider-echo_1.0.0_linux_amd64.zip';
    const first = await fetch(`${a.url}${path}`);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-cache-status'), 'MISS');
    const expected = sha256(upstream.files.get(upstream.fileFor('echo', '1.0.0', 'linux_amd64')).body);
    assert.equal(sha256(Buffer.from(await first.arrayBuffer())), expected);

    const b = await startMirror({ ...options, storage: storage('b') });
    mirrors.push(b);
    const second = await getUntilHit(`${b.url}${path}`);
    assert.equal(second.headers.get('x-cache-status'), 'HIT');
    assert.equal(sha256(second.body), expected);
    // The metadata record travels with the object: instance b knows the h1: hash instance a computed.
    const version = await (await fetch(`${b.url}/registry.terraform.io/shoreline-test/echo/1.0.0.json`)).json();
    assert.match(version.archives.linux_amd64.hashes[0], /^h1:/);
    const health = await (await fetch(`${b.url}/healthz`)).json();
    assert.equal(health.storage.state, 'ok');
    assert.match(health.storage.backend, /^s3 http:\/\/127\.0\.0\.1:\d+\/terraform-mirror\/cache\/$/);
  });

  it('two instances asked for one uncached artifact at once fetch it from the upstream once', async () => {
    const options = { port: 0, upstreams: [parseUpstream(`registry.terraform.io=${upstream.url}`)], logger: quiet };
    const [c, d] = await Promise.all([startMirror({ ...options, storage: storage('c') }), startMirror({ ...options, storage: storage('d') })]);
    mirrors.push(c, d);
    const path = '/registry.terraform.io/shoreline-test/echo/1.1.0/darwin_arm64/terraform-provider-echo_1.1.0_darwin_arm64.zip';
    const upstreamPath = upstream.fileFor('echo', '1.1.0', 'darwin_arm64');
    // Slow enough that both instances ask while the first fill runs.
    upstream.state.delayed.add(upstreamPath);
    try {
      const answers = await Promise.all([fetch(`${c.url}${path}`), fetch(`${d.url}${path}`), fetch(`${c.url}${path}`), fetch(`${d.url}${path}`)]);
      const expected = sha256(upstream.files.get(upstreamPath).body);
      for (const answer of answers) {
        assert.equal(answer.status, 200);
        assert.equal(sha256(Buffer.from(await answer.arrayBuffer())), expected);
      }
      assert.equal(upstream.state.counts.get(upstreamPath), 1, 'one upstream download for both instances');
    } finally {
      upstream.state.delayed.delete(upstreamPath);
    }
  });

  it('refuses to start on a bucket that does not exist, naming it', async () => {
    const missing = new S3Storage({ endpoint: s3Url, bucket: 'no-such-bucket', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', tempDir: join(work, 'c') });
    await assert.rejects(startMirror({ port: 0, storage: missing, logger: quiet }), /S3 bucket "no-such-bucket" does not exist/);
  });
});
