import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CommandSource, DdnsEngine, PermanentUpdateError, StateStore, withSuffix } from '../../core/dist/ddns/index.js';

/** A clock that only moves when told: sleeps and timers fire on advance(). */
class FakeClock {
  time = 1_000_000;
  timers = [];
  now() {
    return this.time;
  }
  sleep(ms, signal) {
    return new Promise((resolve, reject) => {
      const timer = { at: this.time + ms, fn: resolve };
      this.timers.push(timer);
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(signal.reason);
      });
    });
  }
  setTimer(ms, fn) {
    const timer = { at: this.time + ms, fn };
    this.timers.push(timer);
    return () => (this.timers = this.timers.filter((t) => t !== timer));
  }
  /** Moves time forward in 500 ms steps, letting real I/O (the state file) finish between steps. */
  async advance(ms) {
    const until = this.time + ms;
    const settle = () => new Promise((resolve) => setTimeout(resolve, 3));
    await settle();
    while (this.time < until) {
      this.time = Math.min(until, this.time + 500);
      for (;;) {
        const due = this.timers.filter((t) => t.at <= this.time).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        this.timers = this.timers.filter((t) => t !== due);
        due.fn();
        await settle();
      }
      await settle();
    }
  }
}

/**
 * A provider that records calls; failures can be scripted per record. With
 * `server`, it also holds the records (name|type → addresses) and can be read
 * (`current`), so drift can be made by changing them behind its back.
 */
function recordingProvider({ failures = {}, unsupported = [], server } = {}) {
  const calls = [];
  const reads = [];
  return {
    calls,
    reads,
    server,
    name: 'fake',
    supports: (record) => (unsupported.includes(record.name) ? 'not in this account' : undefined),
    async update(record, address) {
      calls.push(`${record.name} ${record.type} ${address}`);
      const plan = failures[record.name];
      if (plan === 'permanent') throw new PermanentUpdateError('bad credentials');
      if (typeof plan === 'number' && plan > 0) {
        failures[record.name] -= 1;
        throw new Error('HTTP 503');
      }
      server?.set(`${record.name}|${record.type}`, [address]);
    },
    ...(server
      ? {
          async current(record) {
            reads.push(`${record.name} ${record.type}`);
            if (server.unreadable) throw new Error('connection refused');
            return server.get(`${record.name}|${record.type}`) ?? [];
          },
        }
      : {}),
  };
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const event = (address, family = address.includes(':') ? 6 : 4) => ({ family, address, source: 'test' });

describe('DDNS engine', () => {
  let dir;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'shoreline-ddns-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  const setup = async (name, options = {}) => {
    const clock = new FakeClock();
    const state = new StateStore(join(dir, `${name}.json`));
    await state.load();
    const provider = options.provider ?? recordingProvider();
    const statuses = [];
    const records = options.records ?? [
      { name: 'home.example.com', type: 'A' },
      { name: 'vpn.example.com', type: 'A' },
      { name: 'home.example.com', type: 'AAAA' },
    ];
    const engine = new DdnsEngine({ provider, records, state, clock, minIntervalMs: 60_000, backoffMs: 1000, onStatus: (status) => statuses.push(status), ...options.engine });
    return { clock, state, provider, statuses, engine };
  };

  it('updates each record of the family in configuration order, once per address', async () => {
    const { engine, provider, statuses } = await setup('order');
    engine.submit(event('203.0.113.7'));
    await engine.idle();
    assert.deepEqual(provider.calls, ['home.example.com A 203.0.113.7', 'vpn.example.com A 203.0.113.7']);
    engine.submit(event('203.0.113.7'));
    await engine.idle();
    assert.equal(provider.calls.length, 2, 'the same address again makes no call');
    assert.deepEqual(
      statuses.map((s) => `${s.record} ${s.result}`),
      ['home.example.com updated', 'vpn.example.com updated', 'home.example.com unchanged', 'vpn.example.com unchanged'],
    );
    engine.submit(event('2001:db8::7'));
    await engine.idle();
    assert.equal(provider.calls.at(-1), 'home.example.com AAAA 2001:db8::7');
  });

  it('defers a second change within the minimum interval and then publishes the latest address', async () => {
    const { engine, provider, statuses, clock } = await setup('interval');
    engine.submit(event('203.0.113.1'));
    await engine.idle();
    await clock.advance(10_000);
    engine.submit(event('203.0.113.2'));
    engine.submit(event('203.0.113.3'));
    await engine.idle();
    assert.equal(provider.calls.length, 2, 'nothing sent within the interval');
    assert.ok(statuses.some((s) => s.result === 'deferred' && s.retryAt === 1_000_000 + 60_000));
    await clock.advance(50_000);
    await engine.idle();
    assert.deepEqual(provider.calls.slice(2), ['home.example.com A 203.0.113.3', 'vpn.example.com A 203.0.113.3']);
  });

  it('keeps going when one record fails, retries with backoff, and does not retry permanent errors', async () => {
    const provider = recordingProvider({ failures: { 'home.example.com': 2, 'vpn.example.com': 'permanent' } });
    const { engine, statuses, clock } = await setup('faults', {
      provider,
      records: [
        { name: 'vpn.example.com', type: 'A' },
        { name: 'home.example.com', type: 'A' },
        { name: 'www.example.com', type: 'A' },
      ],
    });
    engine.submit(event('198.51.100.4'));
    await clock.advance(10_000); // two backoffs: 1 s, then 2 s
    await engine.idle();
    assert.deepEqual(provider.calls, [
      'vpn.example.com A 198.51.100.4',
      'home.example.com A 198.51.100.4',
      'home.example.com A 198.51.100.4',
      'home.example.com A 198.51.100.4',
      'www.example.com A 198.51.100.4',
    ]);
    const byRecord = Object.fromEntries(statuses.map((s) => [s.record, s]));
    assert.equal(byRecord['vpn.example.com'].result, 'failed');
    assert.match(byRecord['vpn.example.com'].error, /bad credentials/);
    assert.equal(byRecord['home.example.com'].result, 'updated');
    assert.equal(byRecord['home.example.com'].attempts, 3);
    assert.equal(byRecord['www.example.com'].result, 'updated');
  });

  it('retries a failed record after the minimum interval without a new event', async () => {
    const provider = recordingProvider({ failures: { 'home.example.com': 4 } });
    const { engine, clock } = await setup('retry-later', { provider, records: [{ name: 'home.example.com', type: 'A' }] });
    engine.submit(event('198.51.100.9'));
    await clock.advance(20_000); // 4 attempts: 1 s + 2 s + 4 s of backoff
    await engine.idle();
    assert.equal(provider.calls.length, 4);
    await clock.advance(60_000);
    await engine.idle();
    assert.equal(provider.calls.length, 5, 'tried again once the interval passed');
  });

  it('reports records the provider cannot publish', async () => {
    const provider = recordingProvider({ unsupported: ['vpn.example.com'] });
    const { engine, statuses } = await setup('unsupported', { provider });
    engine.submit(event('203.0.113.9'));
    await engine.idle();
    assert.deepEqual(provider.calls, ['home.example.com A 203.0.113.9']);
    assert.equal(statuses.find((s) => s.record === 'vpn.example.com').result, 'unsupported');
  });

  it('coalesces an overflowing queue to the latest address per family', async () => {
    let release;
    const gate = new Promise((resolve) => (release = resolve));
    const provider = recordingProvider();
    const slow = { ...provider, name: 'slow', supports: () => undefined, update: async (record, address) => (await gate, provider.update(record, address)) };
    const { engine } = await setup('overflow', {
      provider: slow,
      records: [
        { name: 'home.example.com', type: 'A' },
        { name: 'home.example.com', type: 'AAAA' },
      ],
      engine: { queueLimit: 10, minIntervalMs: 0 },
    });
    engine.submit(event('192.0.2.0'));
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 1; i <= 50; i++) engine.submit(event(`192.0.2.${i}`));
    engine.submit(event('2001:db8::1'));
    for (let i = 51; i <= 60; i++) engine.submit(event(`192.0.2.${i}`));
    assert.ok(engine.coalesced > 0);
    release();
    await engine.idle();
    assert.equal(provider.calls.filter((call) => call.includes(' A ')).at(-1), 'home.example.com A 192.0.2.60', 'the newest IPv4 address is published');
    assert.ok(provider.calls.includes('home.example.com AAAA 2001:db8::1'), 'the IPv6 address survived the overflow');
    assert.ok(provider.calls.length < 20);
  });

  it('sends no redundant update after a restart (state file)', async () => {
    const first = await setup('restart');
    first.engine.submit(event('203.0.113.50'));
    await first.engine.idle();
    await first.engine.stop();
    const saved = JSON.parse(await readFile(join(dir, 'restart.json'), 'utf8'));
    assert.equal(saved.records['home.example.com|A'].address, '203.0.113.50');
    const second = await setup('restart');
    second.engine.submit(event('203.0.113.50'));
    await second.engine.idle();
    assert.deepEqual(second.provider.calls, []);
    assert.deepEqual(
      second.statuses.map((s) => s.result),
      ['unchanged', 'unchanged'],
    );
  });

  it('moves a corrupt or empty state file aside with a warning and starts afresh; removes temp files of a killed write', async () => {
    for (const [name, text] of [
      ['corrupt', '{"version": 1, "records": '],
      ['empty', ''],
      ['foreign', '{"version": 7}'],
    ]) {
      const folder = join(dir, `state-${name}`);
      await mkdir(folder);
      await writeFile(join(folder, 'state.json'), text);
      await writeFile(join(folder, '.state.json.0b6c2a4e-dead.tmp'), '{"version": 1, "rec');
      const warnings = [];
      const store = new StateStore(join(folder, 'state.json'), { ...quiet, warn: (msg, fields) => warnings.push({ msg, ...fields }) });
      await store.load();
      assert.deepEqual(store.get('home.example.com|A'), {});
      assert.equal(warnings.length, 1);
      assert.match(warnings[0].movedTo, /state\.json\.corrupt-/);
      const files = (await readdir(folder)).sort();
      assert.equal(files.length, 1, `only the file moved aside is left: ${files}`);
      assert.equal(await readFile(join(folder, files[0]), 'utf8'), text, 'nothing is lost');
      await store.set('home.example.com|A', { address: '192.0.2.1' });
      assert.equal(JSON.parse(await readFile(join(folder, 'state.json'), 'utf8')).records['home.example.com|A'].address, '192.0.2.1');
      store.close();
    }
  });

  it('keeps publishing when the state file cannot be written, says why, and writes it once it can', async () => {
    const blocker = join(dir, 'not-a-folder');
    await writeFile(blocker, 'a file where the state folder should be');
    const errors = [];
    const state = new StateStore(join(blocker, 'state.json'), { ...quiet, error: (msg, fields) => errors.push({ msg, ...fields }) });
    await state.load();
    const provider = recordingProvider();
    const statuses = [];
    const engine = new DdnsEngine({ provider, records: [{ name: 'home.example.com', type: 'A' }], state, clock: new FakeClock(), minIntervalMs: 0, onStatus: (status) => statuses.push(status) });
    engine.submit(event('203.0.113.60'));
    await engine.idle();
    engine.submit(event('203.0.113.61'));
    await engine.idle();
    assert.deepEqual(
      statuses.map((status) => status.result),
      ['updated', 'updated'],
      'a failed write does not fail the updates after it',
    );
    assert.equal(errors.length, 1, 'the cause is logged once, not at every write');
    assert.match(errors[0].error, /EEXIST|ENOTDIR/);
    assert.match(state.writeError, /EEXIST|ENOTDIR/);
    await rm(blocker);
    engine.submit(event('203.0.113.62'));
    await engine.idle();
    assert.equal(state.writeError, undefined);
    assert.equal(JSON.parse(await readFile(join(blocker, 'state.json'), 'utf8')).records['home.example.com|A'].address, '203.0.113.62');
    await engine.stop();
    state.close();
  });

  it('does not retry a permanent error until the address or the configuration changes', async () => {
    const provider = recordingProvider({ failures: { 'home.example.com': 'permanent' } });
    const { engine, statuses, clock, state } = await setup('permanent', { provider, records: [{ name: 'home.example.com', type: 'A' }], engine: { configuration: 'key-1' } });
    engine.submit(event('198.51.100.30'));
    await engine.idle();
    await clock.advance(3_600_000);
    engine.submit(event('198.51.100.30'));
    await engine.idle();
    assert.deepEqual(provider.calls, ['home.example.com A 198.51.100.30'], 'an hour later, one attempt in all');
    assert.ok(statuses.every((status) => status.result === 'failed' && status.permanent));
    assert.match(statuses.at(-1).error, /not retried until the address or the configuration changes: bad credentials/);
    engine.submit(event('198.51.100.31'));
    await engine.idle();
    assert.equal(provider.calls.length, 2, 'a new address is tried');
    await engine.stop();
    // The same address with another configuration (a new key): tried again.
    const again = new DdnsEngine({ provider, records: [{ name: 'home.example.com', type: 'A' }], state, clock, configuration: 'key-2', minIntervalMs: 60_000 });
    again.submit(event('198.51.100.31'));
    await clock.advance(60_000);
    await again.idle();
    assert.equal(provider.calls.length, 3);
    await again.stop();
  });

  it('repairs drift found within the minimum interval once the interval has passed', async () => {
    const server = new Map();
    const provider = recordingProvider({ server });
    const { engine, clock } = await setup('drift-wait', { provider, records: [{ name: 'home.example.com', type: 'A' }], engine: { checkIntervalMs: 300_000, minIntervalMs: 60_000 } });
    engine.submit(event('203.0.113.70'));
    await engine.idle();
    assert.deepEqual(provider.calls, ['home.example.com A 203.0.113.70']);
    // Changed behind its back 30 s after the update; the next check (a new address and back) finds it within the interval.
    server.set('home.example.com|A', ['192.0.2.98']);
    await clock.advance(30_000);
    engine.submit(event('203.0.113.71'));
    await engine.idle();
    engine.submit(event('203.0.113.70'));
    await engine.idle();
    assert.equal(provider.calls.length, 1, 'both waited for the interval');
    await clock.advance(60_000);
    await engine.idle();
    assert.deepEqual(provider.calls.slice(1), ['home.example.com A 203.0.113.70'], 'repaired once the interval passed, with the latest address');
    assert.deepEqual(server.get('home.example.com|A'), ['203.0.113.70']);
    await engine.stop();
  });

  it('reads each record on the server first and repairs drift at every check interval, whatever the state file says', async () => {
    const server = new Map([['home.example.com|A', ['203.0.113.70']]]);
    const provider = recordingProvider({ server });
    const { engine, statuses, clock, state } = await setup('drift', {
      provider,
      records: [
        { name: 'home.example.com', type: 'A' },
        { name: 'vpn.example.com', type: 'A' },
      ],
      engine: { checkIntervalMs: 300_000 },
    });
    // The state file claims vpn holds the address; the server has nothing there.
    await state.set('vpn.example.com|A', { address: '203.0.113.70', updatedAt: 0, attemptedAt: 0 });
    engine.submit(event('203.0.113.70'));
    await engine.idle();
    assert.deepEqual(provider.calls, ['vpn.example.com A 203.0.113.70'], 'home already held it on the server: no update');
    assert.equal(statuses[0].result, 'unchanged');
    assert.equal(statuses[0].verified, true);
    // The same address again: the state answers, the server is not asked.
    engine.submit(event('203.0.113.70'));
    await engine.idle();
    assert.equal(provider.reads.length, 2);
    // Someone deletes one record and changes the other.
    server.delete('home.example.com|A');
    server.set('vpn.example.com|A', ['192.0.2.99']);
    await clock.advance(300_000);
    await engine.idle();
    assert.deepEqual(provider.calls.slice(1), ['home.example.com A 203.0.113.70', 'vpn.example.com A 203.0.113.70']);
    assert.deepEqual(server.get('vpn.example.com|A'), ['203.0.113.70']);
    // A server that cannot be read: the state file answers, nothing is sent.
    server.unreadable = true;
    await clock.advance(300_000);
    await engine.idle();
    assert.equal(provider.calls.length, 3);
    assert.equal(statuses.at(-1).result, 'unchanged');
    await engine.stop();
  });
});

describe('DDNS addresses of other hosts and from commands', () => {
  it('puts another host’s interface identifier under this machine’s prefix, and follows the prefix when it changes', async () => {
    assert.equal(withSuffix('2001:db8:1:2:aaaa:bbbb:cccc:dddd', '::1234:5678:9abc:def0'), '2001:db8:1:2:1234:5678:9abc:def0');
    assert.equal(withSuffix('2001:db8:1:2::1', '::ff', 56), '2001:db8:1::ff');
    assert.equal(withSuffix('2001:db8:1:2::1', 'nonsense'), undefined);
    const dir = await mkdtemp(join(tmpdir(), 'shoreline-ddns-suffix-'));
    try {
      const provider = recordingProvider();
      const engine = new DdnsEngine({
        provider,
        records: [
          { name: 'this.example.com', type: 'AAAA' },
          { name: 'nas.example.com', type: 'AAAA', ipv6Suffix: '::1234:5678:9abc:def0' },
        ],
        state: new StateStore(join(dir, 'state.json')),
        minIntervalMs: 0,
        clock: new FakeClock(),
      });
      engine.submit(event('2001:db8:aa:1::7'));
      await engine.idle();
      engine.submit(event('2001:db8:bb:1::7')); // renumbered
      await engine.idle();
      await engine.stop();
      assert.deepEqual(provider.calls, [
        'this.example.com AAAA 2001:db8:aa:1::7',
        'nas.example.com AAAA 2001:db8:aa:1:1234:5678:9abc:def0',
        'this.example.com AAAA 2001:db8:bb:1::7',
        'nas.example.com AAAA 2001:db8:bb:1:1234:5678:9abc:def0',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads the address a command prints, the first acceptable one of each family', async () => {
    const source = new CommandSource({ command: "printf 'wan0 10.0.0.2\\n198.51.100.3 93.184.216.5\\n2001:db8::1 2606:4700::1111\\n'", families: [4, 6] });
    assert.deepEqual(await source.snapshot(), [
      { family: 4, address: '93.184.216.5', source: 'command' },
      { family: 6, address: '2606:4700::1111', source: 'command' },
    ]);
    const failing = new CommandSource({ command: 'echo nope >&2; exit 4', families: [4] });
    assert.deepEqual(await failing.snapshot(), []);
    assert.match(failing.lastError, /nope/);
  });
});
