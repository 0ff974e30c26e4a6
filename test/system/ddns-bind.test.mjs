// RFC 2136 against a real BIND9: records appear and change, a wrong key is
// refused and reported; `shoreline ddns --once` publishes through it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DnsUpdateError, Rfc2136Provider, sendUpdate } from '../../core/dist/ddns/index.js';
import { NAMED, startBind } from '../support/bind.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

if (!NAMED) process.stderr.write(`\n${'!'.repeat(72)}\n!! BIND9 (named) is not installed: the RFC 2136 tests cannot run.\n!! apt-get install bind9\n${'!'.repeat(72)}\n\n`);

describe('RFC 2136 updates against BIND9', { skip: NAMED ? false : 'named is not installed (see the message above)' }, () => {
  let bind;
  let work;
  before(async () => {
    bind = await startBind({ keys: { 'ddns-key': 'hmac-sha256', 'legacy-key': 'hmac-md5', 'strong-key': 'hmac-sha512' } });
    work = await mkdtemp(join(tmpdir(), 'shoreline-ddns-sys-'));
  });
  after(async () => {
    await bind?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const keyOf = (name) => ({ name, secret: bind.keys[name].secret, algorithm: bind.keys[name].algorithm });

  it('creates and then replaces A and AAAA records; the server signs its answers', async () => {
    const provider = new Rfc2136Provider({ server: '127.0.0.1', port: bind.port, key: keyOf('ddns-key'), ttl: 30 });
    const signal = new AbortController().signal;
    await provider.update({ name: 'home.example.test', type: 'A' }, '198.51.100.10', signal);
    assert.deepEqual(await bind.lookup('home.example.test'), ['198.51.100.10']);
    await provider.update({ name: 'home.example.test', type: 'A' }, '198.51.100.11', signal);
    assert.deepEqual(await bind.lookup('home.example.test'), ['198.51.100.11'], 'the old address is gone');
    await provider.update({ name: 'home.example.test', type: 'AAAA' }, '2001:db8::11', signal);
    assert.deepEqual(await bind.lookup('home.example.test', 'AAAA'), ['2001:db8::11']);
  });

  it('signs with hmac-md5 and hmac-sha512 keys too', async () => {
    for (const key of ['legacy-key', 'strong-key']) {
      await sendUpdate({ server: '127.0.0.1', port: bind.port, zone: 'example.test', name: `${key}.example.test`, type: 'A', address: '198.51.100.20', ttl: 60, key: keyOf(key) });
      assert.deepEqual(await bind.lookup(`${key}.example.test`), ['198.51.100.20']);
    }
  });

  it('reports a wrong secret and an unknown key as refused, naming the settings to check', async () => {
    const wrongSecret = { ...keyOf('ddns-key'), secret: Buffer.alloc(32, 7).toString('base64') };
    await assert.rejects(
      sendUpdate({ server: '127.0.0.1', port: bind.port, zone: 'example.test', name: 'evil.example.test', type: 'A', address: '198.51.100.66', ttl: 60, key: wrongSecret }),
      (error) => error instanceof DnsUpdateError && error.permanent && /refused the TSIG key "ddns-key" \(NOTAUTH\/BADSIG\)/.test(error.message) && /RFC2136_TSIG_SECRET/.test(error.message),
    );
    await assert.rejects(
      sendUpdate({
        server: '127.0.0.1',
        port: bind.port,
        zone: 'example.test',
        name: 'evil.example.test',
        type: 'A',
        address: '198.51.100.66',
        ttl: 60,
        key: { name: 'nobody', secret: wrongSecret.secret, algorithm: 'hmac-sha256' },
      }),
      /refused the TSIG key "nobody" \(NOTAUTH\/BADKEY\)/,
    );
    assert.deepEqual(await bind.lookup('evil.example.test'), [], 'nothing was published');
  });

  it('reports a zone the server does not serve', async () => {
    await assert.rejects(
      sendUpdate({ server: '127.0.0.1', port: bind.port, zone: 'other.test', name: 'home.other.test', type: 'A', address: '198.51.100.1', ttl: 60, key: keyOf('ddns-key') }),
      /NOTAUTH.*is other\.test the zone it serves/,
    );
  });

  it('shoreline ddns --once publishes the address echo services agree on, then sends nothing the second time', async () => {
    const echo = createServer((req, res) => res.end('93.184.216.34\n'));
    await new Promise((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const echoUrl = `http://127.0.0.1:${echo.address().port}`;
    const env = {
      PATH: process.env.PATH,
      DDNS_PROVIDER: 'rfc2136',
      DDNS_RECORDS: 'office.example.test,vpn.example.test',
      DDNS_IP_SOURCE: 'http',
      DDNS_IP_URLS: `${echoUrl}/a,${echoUrl}/b`,
      DDNS_STATE_FILE: join(work, 'state.json'),
      RFC2136_SERVER: `127.0.0.1:${bind.port}`,
      RFC2136_TSIG_KEY_NAME: 'ddns-key',
      RFC2136_TSIG_SECRET: bind.keys['ddns-key'].secret,
      RFC2136_TSIG_ALGORITHM: 'hmac-sha256',
    };
    const run = () =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [join(root, 'bin/shoreline.js'), 'ddns', '--once'], { env });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk) => (stdout += chunk));
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
      });
    try {
      const first = await run();
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /office\.example\.test A 93\.184\.216\.34 updated \(rfc2136\)/);
      assert.match(first.stdout, /vpn\.example\.test A 93\.184\.216\.34 updated/);
      assert.deepEqual(await bind.lookup('office.example.test'), ['93.184.216.34']);
      assert.ok(!first.stderr.includes(env.RFC2136_TSIG_SECRET), 'the secret never reaches a log line');
      const state = JSON.parse(await readFile(env.DDNS_STATE_FILE, 'utf8'));
      assert.equal(state.records['office.example.test|A'].address, '93.184.216.34');
      const second = await run();
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /office\.example\.test A 93\.184\.216\.34 unchanged/);
    } finally {
      echo.close();
    }
  });
});
