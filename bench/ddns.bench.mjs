// `shoreline ddns` with the event-driven interface source against a real
// BIND9: CPU used over idle seconds, latency from an address change to the
// record answered by BIND, and RSS. Addresses are added to the loopback
// interface (10.99.0.0/24, removed afterwards): this needs root.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBind } from '../test/support/bind.mjs';
import { writeSection } from './results.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const IDLE_SECONDS = Number(process.env.BENCH_DDNS_IDLE_SECS ?? 120);
const CHANGES = 30;
const TARGETS = { idleCpu: 0.05, latencyP50: 30, rssMiB: 45 };
const DEVICE = 'lo';
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

const cpuSeconds = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime + stime
};
const memory = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rss: Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024, peak: Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024 };
};
const ip = (...args) => execFileSync('ip', args, { stdio: 'pipe' });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ddclient = ['/usr/sbin/ddclient', '/usr/bin/ddclient'].some((path) => existsSync(path));

const bind = await startBind();
const work = mkdtempSync(join(tmpdir(), 'shoreline-ddns-bench-'));
const added = new Set();
const setAddress = (address) => {
  for (const old of added) ip('addr', 'del', `${old}/32`, 'dev', DEVICE);
  added.clear();
  ip('addr', 'add', `${address}/32`, 'dev', DEVICE);
  added.add(address);
};

let child;
try {
  setAddress('10.99.0.1');
  child = spawn(process.execPath, [join(root, 'bin/shoreline.js'), 'ddns', '--log-level', 'warn'], {
    env: {
      PATH: process.env.PATH,
      DDNS_PROVIDER: 'rfc2136',
      DDNS_RECORDS: 'bench.example.test',
      DDNS_IP_SOURCE: `interface:${DEVICE}`,
      DDNS_ALLOW_PRIVATE: 'true',
      DDNS_MIN_UPDATE_INTERVAL_SECS: '0',
      DDNS_STATE_FILE: join(work, 'state.json'),
      RFC2136_SERVER: `127.0.0.1:${bind.port}`,
      RFC2136_TSIG_KEY_NAME: 'ddns-key',
      RFC2136_TSIG_SECRET: bind.keys['ddns-key'].secret,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  for (let i = 0; i < 500 && !out.includes('10.99.0.1 updated'); i++) await sleep(20);
  if (!out.includes('10.99.0.1 updated')) throw new Error(`the first update did not happen:\n${out}`);

  // 1. Latency: address change → BIND answers the new address.
  const latencies = [];
  for (let i = 0; i < CHANGES; i++) {
    const address = `10.99.0.${10 + i}`;
    const started = performance.now();
    setAddress(address);
    for (;;) {
      const answer = await bind.lookup('bench.example.test');
      if (answer[0] === address) break;
      if (performance.now() - started > 10_000) throw new Error(`BIND never answered ${address}`);
      await sleep(1);
    }
    latencies.push(performance.now() - started);
    await sleep(100);
  }
  latencies.sort((a, b) => a - b);

  // 2. Idle CPU: nothing changes for IDLE_SECONDS (the check interval at its default, 5 minutes).
  await sleep(1000);
  const cpuBefore = cpuSeconds(child.pid);
  await sleep(IDLE_SECONDS * 1000);
  const idleCpu = cpuSeconds(child.pid) - cpuBefore;
  const { rss, peak } = memory(child.pid);
  // What Node itself takes: idle with nothing loaded, and with the built-in parts a watcher must use
  // (HMAC for TSIG, a UDP socket, a child process for ip monitor, URL and an HTTP server) but none of Shoreline's code.
  const floorOf = async (script) => {
    const node = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
    await sleep(2500);
    const figure = memory(node.pid).rss;
    node.kill();
    return figure;
  };
  const baseline = await floorOf('setTimeout(() => {}, 60000)');
  const subsystems = await floorOf(
    "const c = require('crypto'); c.createHmac('sha256', 'k').update('x').digest(); c.randomUUID(); const s = require('dgram').createSocket('udp4'); s.bind(0, () => s.close()); require('child_process').spawn('sleep', ['5']); new URL('http://x/'); require('http').createServer().listen(0, '127.0.0.1', function () { this.close(); }); setTimeout(() => {}, 60000);",
  );

  const p50 = latencies[latencies.length >> 1];
  const p95 = latencies[Math.floor(latencies.length * 0.95)];
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  const lines = [
    `\`shoreline ddns\` (rfc2136 provider, interface source on ${DEVICE}: \`ip monitor\` events) against BIND9 ${
      execFileSync(bind.named ?? '/usr/sbin/named', ['-v'], { encoding: 'utf8' })
        .trim()
        .split(' ')[1] ?? ''
    } on loopback.`,
    '',
    '| what | figure | target |',
    '| --- | --- | --- |',
    `| CPU used over ${IDLE_SECONDS} idle seconds | ${idleCpu.toFixed(3)} s | < ${TARGETS.idleCpu} s: ${verdict(idleCpu < TARGETS.idleCpu)} |`,
    `| address change → BIND answers the new record, p50 (${CHANGES} changes) | ${p50.toFixed(1)} ms | < ${TARGETS.latencyP50} ms: ${verdict(p50 < TARGETS.latencyP50)} |`,
    `| same, p95 | ${p95.toFixed(1)} ms | |`,
    `| RSS (peak) | ${rss.toFixed(1)} MiB (${peak.toFixed(0)} MiB) | ≤ ${TARGETS.rssMiB} MiB: ${verdict(rss <= TARGETS.rssMiB)} |`,
    `| Node ${process.version} alone, idle | ${baseline.toFixed(1)} MiB | |`,
    `| Node with the built-in parts the watcher uses (HMAC, UDP, a child process, URL, HTTP server), none of Shoreline's code: the floor | ${subsystems.toFixed(1)} MiB | |`,
    `| ddclient | ${ddclient ? 'installed: not measured by this benchmark' : 'not installed (Debian package ddclient)'} | |`,
  ];
  writeSection('Dynamic DNS', lines.join('\n'));
  console.log(lines.join('\n'));
} finally {
  child?.kill('SIGTERM');
  for (const old of added) ip('addr', 'del', `${old}/32`, 'dev', DEVICE);
  await bind.stop();
  rmSync(work, { recursive: true, force: true });
}
