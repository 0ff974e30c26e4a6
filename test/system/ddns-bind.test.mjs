// RFC 2136 against a real BIND9: records appear and change, a wrong key is
// refused and reported; `shoreline ddns --once` publishes through it.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DdnsEngine, DnsUpdateError, PermanentUpdateError, queryZone, Rfc2136Provider, sendUpdate, StateStore } from '../../core/dist/ddns/index.js';
import { NAMED, startBind } from '../support/bind.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const hasNsupdate = () => spawnSync('nsupdate', ['-V']).error === undefined;

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

  it('finds a record’s zone from the server’s SOA as nsupdate does: a delegated zone below a registrable domain, wildcards, names it does not serve', async () => {
    // The public suffix list would say example.com; the server holds dyn.example.com.
    const delegated = await startBind({ zone: 'dyn.example.com' });
    try {
      const server = { server: '127.0.0.1', port: delegated.port };
      assert.equal(await queryZone({ ...server, name: 'dyn.example.com' }), 'dyn.example.com', 'the apex: SOA in the answer');
      assert.equal(await queryZone({ ...server, name: 'no.such.name.dyn.example.com' }), 'dyn.example.com', 'NXDOMAIN: SOA in the authority section');
      await assert.rejects(
        queryZone({ ...server, name: 'home.example.net' }),
        (error) => error instanceof DnsUpdateError && error.permanent && /does not serve a zone holding home\.example\.net.*REFUSED/.test(error.message),
      );
      const provider = new Rfc2136Provider({ ...server, key: { name: 'ddns-key', secret: delegated.keys['ddns-key'].secret, algorithm: 'hmac-sha256' } });
      const signal = new AbortController().signal;
      await provider.update({ name: 'home.dyn.example.com', type: 'A' }, '198.51.100.31', signal);
      await provider.update({ name: '*.dyn.example.com', type: 'A' }, '198.51.100.32', signal);
      assert.deepEqual(await delegated.lookup('home.dyn.example.com'), ['198.51.100.31']);
      assert.deepEqual(await delegated.lookup('anything.dyn.example.com'), ['198.51.100.32']);
      await assert.rejects(provider.update({ name: 'home.example.net', type: 'A' }, '198.51.100.33', signal), PermanentUpdateError);
    } finally {
      await delegated.stop();
    }
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

describe('shoreline ddns converging on BIND9', { skip: NAMED ? false : 'named is not installed (see the message above)' }, () => {
  let bind;
  let work;
  let echo;
  let echoAddress = '93.184.216.40';
  before(async () => {
    bind = await startBind({ keys: { 'ddns-key': 'hmac-sha256' } });
    work = await mkdtemp(join(tmpdir(), 'shoreline-ddns-converge-'));
    echo = createServer((req, res) => res.end(`${echoAddress}\n`));
    await new Promise((resolve) => echo.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    echo?.close();
    await bind?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const environment = (name, extra = {}) => ({
    PATH: process.env.PATH,
    DDNS_PROVIDER: 'rfc2136',
    DDNS_RECORDS: `${name}.example.test`,
    DDNS_IP_SOURCE: 'http',
    DDNS_IP_URLS: `http://127.0.0.1:${echo.address().port}/a,http://127.0.0.1:${echo.address().port}/b`,
    DDNS_STATE_FILE: join(work, `${name}.json`),
    DDNS_MIN_UPDATE_INTERVAL_SECS: '0',
    RFC2136_SERVER: `127.0.0.1:${bind.port}`,
    RFC2136_TSIG_KEY_NAME: 'ddns-key',
    RFC2136_TSIG_SECRET: bind.keys['ddns-key'].secret,
    ...extra,
  });
  const ddns = (env, args = ['--once']) => {
    const child = spawn(process.execPath, [join(root, 'bin/shoreline.js'), 'ddns', ...args], { env });
    const run = { child, stdout: '', stderr: '' };
    child.stdout.on('data', (chunk) => (run.stdout += chunk));
    child.stderr.on('data', (chunk) => (run.stderr += chunk));
    run.done = new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout: run.stdout, stderr: run.stderr })));
    return run;
  };
  /** An external change, as an administrator makes it: nsupdate with the zone's key. */
  const nsupdate = (commands) =>
    new Promise((resolve, reject) => {
      const child = spawn('nsupdate', ['-y', `hmac-sha256:ddns-key:${bind.keys['ddns-key'].secret}`]);
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`nsupdate exited ${code}: ${stderr}`))));
      child.stdin.end(`server 127.0.0.1 ${bind.port}\nzone example.test\n${commands}\nsend\n`);
    });
  const until = async (what, test) => {
    for (let attempt = 0; attempt < 100; attempt++) {
      if (await test()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`timed out waiting for ${what}`);
  };

  it('repairs a record deleted or changed on the server, with --once and while watching', { skip: hasNsupdate() ? false : 'nsupdate (bind9-dnsutils) is not installed' }, async () => {
    const env = environment('drift', { DDNS_CHECK_INTERVAL_SECS: '1' });
    assert.equal((await ddns(env).done).code, 0);
    assert.deepEqual(await bind.lookup('drift.example.test'), [echoAddress]);
    await nsupdate('update delete drift.example.test A');
    assert.deepEqual(await bind.lookup('drift.example.test'), []);
    const repaired = await ddns(env).done;
    assert.equal(repaired.code, 0, repaired.stderr);
    assert.match(repaired.stdout, /drift\.example\.test A 93\.184\.216\.40 updated/, 'the state file said unchanged; the server said otherwise');
    assert.deepEqual(await bind.lookup('drift.example.test'), [echoAddress]);
    assert.match((await ddns(env).done).stdout, /drift\.example\.test A 93\.184\.216\.40 unchanged/);
    // While watching: changed behind its back, put back within the check interval.
    const watcher = ddns(env, []);
    try {
      await until('the watcher to start', () => /unchanged|updated/.test(watcher.stdout));
      await nsupdate('update delete drift.example.test A\nupdate add drift.example.test 60 A 192.0.2.250');
      await until('the record to be repaired', async () => (await bind.lookup('drift.example.test'))[0] === echoAddress);
      assert.match(watcher.stderr, /the record on the server differs from what was published: repairing it/);
    } finally {
      watcher.child.kill('SIGTERM');
      await watcher.done;
    }
  });

  it('after kill -9 a restarted watcher sends no redundant update', async () => {
    const env = environment('crash', { DDNS_CHECK_INTERVAL_SECS: '0' });
    const first = ddns(env, []);
    await until('the first update', () => / updated /.test(first.stdout));
    first.child.kill('SIGKILL');
    await first.done;
    const second = ddns(env, []);
    try {
      await until('the restarted watcher to check the record', () => /crash\.example\.test A \S+ (unchanged|updated)/.test(second.stdout));
      assert.match(second.stdout, /crash\.example\.test A 93\.184\.216\.40 unchanged/);
      const leftovers = (await readdir(work)).filter((name) => name.endsWith('.tmp'));
      assert.deepEqual(leftovers, [], 'no temp file of a killed write is left');
    } finally {
      second.child.kill('SIGTERM');
      await second.done;
    }
  });

  it('stops retrying a refused key until the configuration changes; --once exit codes for cron', async () => {
    const wrong = environment('refused', { RFC2136_TSIG_SECRET: Buffer.alloc(32, 9).toString('base64') });
    const refusals = () => (bind.log().match(/request has invalid signature|tsig verify failure/gi) ?? []).length;
    const first = await ddns(wrong).done;
    assert.equal(first.code, 1);
    assert.match(first.stdout, /refused\.example\.test A \S+ failed: .*refused the TSIG key/);
    const seen = refusals();
    assert.ok(seen > 0, 'BIND logged the refused signature');
    const second = await ddns(wrong).done;
    assert.equal(second.code, 1);
    assert.match(second.stdout, /not retried until the address or the configuration changes/);
    assert.equal(refusals(), seen, 'BIND was not asked again');
    const fixed = await ddns(environment('refused')).done;
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.deepEqual(await bind.lookup('refused.example.test'), [echoAddress]);
    // A new address within the minimum interval: the update waits, and --once says so (exit 3).
    echoAddress = '93.184.216.41';
    try {
      const waiting = await ddns(environment('refused', { DDNS_MIN_UPDATE_INTERVAL_SECS: '3600' })).done;
      assert.equal(waiting.code, 3, waiting.stdout);
      assert.match(waiting.stdout, /deferred until/);
    } finally {
      echoAddress = '93.184.216.40';
    }
    const badConfig = await ddns(environment('refused', { DDNS_CHECK_INTERVAL_SECS: 'often' })).done;
    assert.equal(badConfig.code, 2);
    assert.match(badConfig.stderr, /DDNS_CHECK_INTERVAL_SECS/);
  });

  it('publishes several zones through several providers in one process; one failing provider does not stop the others', async () => {
    const other = await startBind({ zone: 'example.org', keys: { 'org-key': 'hmac-sha512' } });
    try {
      const config = join(work, 'several.json');
      const rfc2136 = (server, name, secret, algorithm) => ({ type: 'rfc2136', server, tsig_key_name: name, tsig_secret: secret, tsig_algorithm: algorithm });
      await writeFile(
        config,
        JSON.stringify({
          providers: {
            test: rfc2136(`127.0.0.1:${bind.port}`, 'ddns-key', bind.keys['ddns-key'].secret, 'hmac-sha256'),
            revoked: rfc2136(`127.0.0.1:${bind.port}`, 'ddns-key', Buffer.alloc(32, 5).toString('base64'), 'hmac-sha256'),
            org: rfc2136(`127.0.0.1:${other.port}`, 'org-key', other.keys['org-key'].secret, 'hmac-sha512'),
          },
          records: [
            { name: 'multi.example.test', provider: 'test' },
            { name: 'locked.example.test', provider: 'revoked' },
            { name: 'multi.example.org', provider: 'org', ttl: 120 },
          ],
        }),
      );
      const { PATH } = process.env;
      const run = await ddns({ PATH, DDNS_IP_SOURCE: 'http', DDNS_IP_URLS: environment('x').DDNS_IP_URLS, DDNS_STATE_FILE: join(work, 'several-state.json') }, ['--once', '--config', config]).done;
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /multi\.example\.test A 93\.184\.216\.40 updated \(test\)/);
      assert.match(run.stdout, /locked\.example\.test A 93\.184\.216\.40 failed: .*refused the TSIG key.* \(revoked\)/);
      assert.match(run.stdout, /multi\.example\.org A 93\.184\.216\.40 updated \(org\)/);
      assert.deepEqual(await bind.lookup('multi.example.test'), [echoAddress]);
      assert.deepEqual(await other.lookup('multi.example.org'), [echoAddress]);
      assert.deepEqual(await bind.lookup('locked.example.test'), []);
    } finally {
      await other.stop();
    }
  });

  it('keeps publishing with a corrupt state file (moved aside) and with a full disk under the state file', async (t) => {
    // Corrupt: moved aside with a warning, the record checked on the server and published.
    const corruptEnv = environment('corrupt');
    await writeFile(corruptEnv.DDNS_STATE_FILE, '{"version": 1, "records": {"corrupt.example.test|A": ');
    const corrupt = await ddns(corruptEnv).done;
    assert.equal(corrupt.code, 0, corrupt.stderr);
    assert.match(corrupt.stderr, /the state file was not valid: moved aside/);
    assert.deepEqual(await bind.lookup('corrupt.example.test'), [echoAddress]);
    assert.ok((await readdir(work)).some((name) => name.startsWith('corrupt.json.corrupt-')));
    // Full: a 64 KiB tmpfs filled up; the update still reaches BIND, the failed write is logged with its cause.
    if (process.getuid?.() !== 0) return t.skip('needs root to mount a small tmpfs');
    const full = join(work, 'full');
    await mkdir(full);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', full]);
    if (mounted.status !== 0) return t.skip(`cannot mount a tmpfs here: ${String(mounted.stderr).trim()}`);
    try {
      spawnSync('dd', ['if=/dev/zero', `of=${join(full, 'filler')}`, 'bs=4k', 'count=64']);
      const fullEnv = environment('full', { DDNS_STATE_FILE: join(full, 'state.json') });
      const run = await ddns(fullEnv).done;
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /full\.example\.test A 93\.184\.216\.40 updated/);
      assert.match(run.stderr, /cannot write the state file; updates go on.*ENOSPC/);
      assert.deepEqual(await bind.lookup('full.example.test'), [echoAddress]);
      assert.deepEqual(
        (await readdir(full)).filter((name) => name.endsWith('.tmp')),
        [],
        'no half-written temp file is left',
      );
    } finally {
      spawnSync('umount', [full]);
    }
  });

  it('fails fast while BIND is down and publishes once it is back', async () => {
    const statuses = [];
    const state = new StateStore(join(work, 'down.json'));
    const engine = new DdnsEngine({
      provider: new Rfc2136Provider({ server: '127.0.0.1', port: bind.port, key: { name: 'ddns-key', secret: bind.keys['ddns-key'].secret, algorithm: 'hmac-sha256' } }),
      records: [{ name: 'down.example.test', type: 'A' }],
      state,
      minIntervalMs: 500,
      attempts: 2,
      backoffMs: 100,
      checkIntervalMs: 0,
      onStatus: (status) => statuses.push(status),
    });
    await bind.down();
    try {
      engine.submit({ family: 4, address: '198.51.100.77', source: 'test' });
      await engine.idle();
      assert.equal(statuses.at(-1).result, 'failed');
      assert.match(statuses.at(-1).error, /connection refused/, 'the ICMP port unreachable is heard, not waited out');
    } finally {
      await bind.up();
    }
    await until('the retry after the minimum interval', () => statuses.at(-1).result === 'updated');
    assert.deepEqual(await bind.lookup('down.example.test'), ['198.51.100.77']);
    await engine.stop();
    state.close();
  });
});
