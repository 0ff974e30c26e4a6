import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ChangeHooks, DdnsMonitor } from '../../core/dist/ddns/index.js';
import { CREDENTIALS, startDdnsApis } from '../support/fake-ddns-apis.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const status = (result, extra = {}) => ({ record: 'home.example.com', type: 'A', provider: 'gandi', address: '203.0.113.1', result, ...extra });

/** A local HTTP server that records the JSON bodies POSTed to it. */
async function receiver() {
  const bodies = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    bodies.push(JSON.parse(body));
    res.writeHead(204).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { bodies, url: `http://127.0.0.1:${server.address().port}/hook`, close: () => new Promise((resolve) => server.close(resolve)) };
}

const until = async (what, test) => {
  for (let attempt = 0; attempt < 150; attempt++) {
    if (await test()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
};

describe('DDNS health, metrics and hooks', () => {
  let dir;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'shoreline-ddns-ops-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  it('says ok, degraded or failing from the records’ last results, and exposes them as Prometheus metrics', () => {
    let time = 1_700_000_000_000;
    const monitor = new DdnsMonitor(() => time);
    monitor.observe(status('updated'));
    assert.equal(monitor.health().status, 'ok');
    assert.equal(monitor.health().records[0].lastSuccess, new Date(time).toISOString());
    time += 60_000;
    monitor.observe(status('deferred', { record: 'vpn.example.com' }));
    assert.equal(monitor.health().status, 'degraded');
    monitor.observe(status('failed', { error: 'refused', permanent: true }));
    const health = monitor.health();
    assert.equal(health.status, 'failing');
    assert.equal(health.records.find((record) => record.record === 'home.example.com').lastSuccess, new Date(time - 60_000).toISOString(), 'the last success is kept');
    let writeError;
    monitor.stateWriteError = () => writeError;
    writeError = 'ENOSPC';
    assert.match(monitor.health().stateFile, /ENOSPC/);
    const metrics = monitor.metrics();
    assert.match(metrics, /^shoreline_ddns_updates_total\{record="home\.example\.com",type="A",provider="gandi",result="updated"\} 1$/m);
    assert.match(metrics, /^shoreline_ddns_updates_total\{record="home\.example\.com",type="A",provider="gandi",result="failed"\} 1$/m);
    assert.match(metrics, /^shoreline_ddns_last_success_timestamp_seconds\{record="home\.example\.com",type="A",provider="gandi"\} 1700000000\.000$/m);
    assert.match(metrics, /^shoreline_ddns_record_failing\{record="home\.example\.com",type="A",provider="gandi"\} 1$/m);
    assert.match(metrics, /^shoreline_ddns_state_file_writable 0$/m);
  });

  it('runs the hook command and posts to the webhook for each update and failure, in order, never holding up updates', async () => {
    const web = await receiver();
    const out = join(dir, 'hook.jsonl');
    const warnings = [];
    try {
      const hooks = new ChangeHooks({
        command: `cat >> ${out}; echo "$SHORELINE_DDNS_EVENT $SHORELINE_DDNS_RECORD $SHORELINE_DDNS_ADDRESS" >> ${out}.env`,
        url: web.url,
        logger: { debug() {}, info() {}, error() {}, warn: (msg) => warnings.push(msg) },
      });
      hooks.observe(status('updated'));
      hooks.observe(status('unchanged'));
      hooks.observe(status('failed', { address: '203.0.113.2', error: 'HTTP 503' }));
      await hooks.idle();
      const lines = (await readFile(out, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      assert.deepEqual(
        lines.map((line) => `${line.event} ${line.address}`),
        ['updated 203.0.113.1', 'failed 203.0.113.2'],
      );
      assert.equal(lines[1].error, 'HTTP 503');
      assert.equal(await readFile(`${out}.env`, 'utf8'), 'updated home.example.com 203.0.113.1\nfailed home.example.com 203.0.113.2\n');
      assert.deepEqual(
        web.bodies.map((body) => body.event),
        ['updated', 'failed'],
      );
      assert.deepEqual(warnings, []);
      // A hook that fails, and one that hangs, are logged and given up.
      const broken = new ChangeHooks({ command: 'exit 3', timeoutMs: 5_000, logger: { debug() {}, info() {}, error() {}, warn: (msg) => warnings.push(msg) } });
      broken.observe(status('updated'));
      await broken.idle();
      const hanging = new ChangeHooks({ command: 'sleep 30', timeoutMs: 200, logger: { debug() {}, info() {}, error() {}, warn: (msg) => warnings.push(msg) } });
      hanging.observe(status('updated'));
      await hanging.idle();
      assert.deepEqual(warnings, ['the hook command failed', 'the hook command failed']);
    } finally {
      await web.close();
    }
  });

  it('shoreline ddns --health-listen serves /healthz and /metrics, and tells the webhook about the update', async () => {
    const apis = await startDdnsApis();
    const web = await receiver();
    const echo = createServer((req, res) => res.end('93.184.216.77\n'));
    await new Promise((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const config = join(dir, 'ddns.yaml');
    await writeFile(
      config,
      [
        'providers:',
        `  live: { type: gandi, token: ${CREDENTIALS.gandi}, api_url: "${apis.url}/gandi/v5/livedns" }`,
        'records:',
        '  - { name: www.example.com, provider: live, ttl: 300 }',
        'DDNS_IP_SOURCE: http',
        `DDNS_IP_URLS: "http://127.0.0.1:${echo.address().port}/a"`,
        `DDNS_STATE_FILE: "${join(dir, 'cli-state.json')}"`,
        `DDNS_HOOK_URL: "${web.url}"`,
      ].join('\n'),
    );
    const child = spawn(process.execPath, [join(root, 'bin/shoreline.js'), 'ddns', '--config', config, '--health-listen', '127.0.0.1:0'], { env: { PATH: process.env.PATH } });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk) => (stdout += chunk));
    try {
      await until('the health endpoint', () => /"url":"(http:\/\/127\.0\.0\.1:\d+)\/healthz"/.test(stderr));
      const base = /"url":"(http:\/\/127\.0\.0\.1:\d+)\/healthz"/.exec(stderr)[1];
      await until('the update', () => / updated /.test(stdout)).catch((error) => {
        throw new Error(`${error.message}\n${stdout}\n${stderr}`);
      });
      await until('the webhook', () => web.bodies.length > 0);
      assert.deepEqual(web.bodies[0], { ...web.bodies[0], event: 'updated', record: 'www.example.com', type: 'A', provider: 'live', address: '93.184.216.77' });
      const health = await fetch(`${base}/healthz`);
      assert.equal(health.status, 200);
      const body = await health.json();
      assert.equal(body.status, 'ok');
      assert.equal(body.records[0].record, 'www.example.com');
      const metrics = await (await fetch(`${base}/metrics`)).text();
      assert.match(metrics, /shoreline_ddns_updates_total\{record="www\.example\.com",type="A",provider="live",result="updated"\} 1/);
      assert.ok(!stderr.includes(CREDENTIALS.gandi) && !stdout.includes(CREDENTIALS.gandi), 'the token never reaches a log line');
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.on('exit', resolve));
      echo.close();
      await web.close();
      await apis.close();
    }
  });

  const systemdAnalyze = spawnSync('systemd-analyze', ['--version']).error === undefined;
  it('ships a systemd unit that systemd-analyze accepts, starting the watcher with options it has', { skip: systemdAnalyze ? false : 'systemd-analyze is not installed' }, async () => {
    const unit = join(root, 'docs/shoreline-ddns.service');
    const verified = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
    assert.equal(verified.status, 0, verified.stderr);
    assert.equal(verified.stderr.trim(), '', 'no warnings');
    const execStart = /^ExecStart=(.*)$/m.exec(await readFile(unit, 'utf8'))[1];
    const help = spawnSync(process.execPath, [join(root, 'bin/shoreline.js'), 'ddns', '--help'], { encoding: 'utf8' }).stdout;
    for (const flag of execStart.match(/--[a-z-]+/g)) assert.ok(help.includes(flag), `${flag} is an option of shoreline ddns`);
  });
});
