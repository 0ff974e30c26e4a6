// The registry mirror on loopback, next to nginx serving the same files from
// disk with the same client: cached small-artifact requests per second at 1
// and 100 connections, metadata cache hits at 1,000 connections, cached
// artifact throughput, 10 clients on one uncached artifact against the
// upstream's own transfer time, and the mirror's RSS meanwhile.
// Figures go to bench/RESULTS.md.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool, request } from 'undici';
import { startUpstreamRegistry } from '../test/support/fake-upstream-registry.mjs';
import { writeSection } from './results.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const ARTIFACT_MB = Number(process.env.BENCH_MIRROR_MB ?? 500);
const METADATA_REQUESTS = 30_000;
/** Requests on the opened connections before the timed ones: both servers and the client are warm (JIT, buffers) when timing starts. */
const METADATA_WARMUP = 10_000;
const CONNECTIONS = 1000;
/** The upstream's bandwidth for the ten-clients case. */
const UPSTREAM_MIB_S = Number(process.env.BENCH_UPSTREAM_MIBS ?? 50);
const TARGETS = { throughputRatio: 0.8, rssMiB: 200, smallRatio: 0.25, metadataP99Ms: 100, tenClientsRatio: 1.3 };

const work = mkdtempSync(join(tmpdir(), 'shoreline-mirror-bench-'));
const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function download(url) {
  const started = performance.now();
  const { statusCode, body } = await request(url);
  let bytes = 0;
  for await (const chunk of body) bytes += chunk.length;
  if (statusCode !== 200) throw new Error(`${url}: HTTP ${statusCode}`);
  return { bytes, seconds: (performance.now() - started) / 1000 };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

console.log(`building a ${ARTIFACT_MB} MB provider zip…`);
const upstream = await startUpstreamRegistry({ providers: { 'bench/big': ['1.0.0', '1.1.0'] }, modules: {}, platforms: ['linux_amd64'], payload: randomBytes(ARTIFACT_MB * 1024 * 1024) });
const mirrorProcess = spawn(
  process.execPath,
  [join(root, 'bin/shoreline.js'), 'mirror', '--listen', '127.0.0.1:0', '--cache', join(work, 'cache'), '--upstream', `registry.terraform.io=${upstream.url}`, '--log-level', 'warn'],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const mirrorUrl = await new Promise((resolve, reject) => {
  let out = '';
  mirrorProcess.stdout.on('data', (chunk) => {
    out += chunk;
    const url = /Mirror ready at (\S+)/.exec(out)?.[1];
    if (url) resolve(url);
  });
  mirrorProcess.on('exit', (code) => reject(new Error(`mirror exited ${code}`)));
});
const artifactPath = '/registry.terraform.io/bench/big/1.0.0/linux_amd64/terraform-provider-big_1.0.0_linux_amd64.zip';

// 1. Streaming a cache miss: sample the mirror's RSS while the artifact flows through it.
await download(`${mirrorUrl}/registry.terraform.io/bench/big/1.0.0.json`);
const rssIdle = rssOf(mirrorProcess.pid);
let rssPeak = rssIdle;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssOf(mirrorProcess.pid))), 20);
const miss = await download(`${mirrorUrl}${artifactPath}`);
await new Promise((resolve) => setTimeout(resolve, 1500)); // the commit (h1 hash of the zip) runs after the last byte
clearInterval(sampler);
console.log(`miss: ${(miss.bytes / 1048576 / miss.seconds).toFixed(0)} MiB/s, RSS idle ${rssIdle.toFixed(0)} MiB, peak ${rssPeak.toFixed(0)} MiB`);

// 2. Cached artifact throughput, mirror vs nginx on the same file.
let hit;
for (let attempt = 0; attempt < 100; attempt++) {
  const { headers, body } = await request(`${mirrorUrl}${artifactPath}`, { method: 'HEAD' });
  await body.dump();
  if (headers['x-cache-status'] === 'HIT') break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const objectFile = join(work, 'cache', 'objects', 'providers', 'registry.terraform.io', 'bench', 'big', '1.0.0', 'terraform-provider-big_1.0.0_linux_amd64.zip');
// A small cached artifact: the signature of the version's SHA256SUMS (a few hundred bytes).
const smallPath = '/registry.terraform.io/bench/big/1.0.0/linux_amd64/SHA256SUMS.sig';
const smallFile = join(work, 'cache', 'objects', 'providers', 'registry.terraform.io', 'bench', 'big', '1.0.0', 'SHA256SUMS.sig');
// The same metadata document as a file, for nginx: the mirror's network-mirror index of the provider.
const metadataPath = '/registry.terraform.io/bench/big/index.json';
const metadataFile = join(work, 'index.json');
writeFileSync(metadataFile, await (await request(`${mirrorUrl}${metadataPath}`)).body.text());
const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));
let nginxServer;
let nginxUrl;
if (nginx) {
  const prefix = join(work, 'nginx');
  execFileSync('mkdir', ['-p', join(prefix, 'logs'), join(prefix, 'tmp')]);
  const port = 18000 + Math.floor(Math.random() * 1000);
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `user root;\nworker_processes 1;\nerror_log ${prefix}/logs/error.log;\npid ${prefix}/nginx.pid;\nevents { worker_connections 4096; }\nhttp {\n  access_log off;\n  sendfile on;\n  tcp_nopush on;\n  client_body_temp_path ${prefix}/tmp;\n  proxy_temp_path ${prefix}/tmp;\n  fastcgi_temp_path ${prefix}/tmp;\n  uwsgi_temp_path ${prefix}/tmp;\n  scgi_temp_path ${prefix}/tmp;\n  server {\n    listen 127.0.0.1:${port};\n    location = /artifact.zip { alias ${objectFile}; }\n    location = /small { alias ${smallFile}; }\n    location = /index.json { alias ${metadataFile}; default_type application/json; }\n  }\n}\n`,
  );
  nginxServer = spawn(nginx, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'inherit' });
  nginxUrl = `http://127.0.0.1:${port}/artifact.zip`;
  await new Promise((resolve) => setTimeout(resolve, 500));
} else {
  console.log('nginx is not installed (Debian package nginx-light): throughput is reported without the comparison');
}
// Interleaved runs, so that a noisy moment on the machine falls on both servers alike.
const mirrorRuns = [];
const nginxRuns = [];
for (let run = 0; run < 7; run++) {
  hit = await download(`${mirrorUrl}${artifactPath}`);
  mirrorRuns.push(hit.bytes / 1048576 / hit.seconds);
  if (nginxUrl) {
    const result = await download(nginxUrl);
    nginxRuns.push(result.bytes / 1048576 / result.seconds);
  }
}
/** Requests per second for a few seconds at `connections`, each request read whole. */
async function requestRate(url, connections, seconds = 3) {
  const target = new URL(url);
  const client = new Pool(target.origin, { connections, pipelining: 1 });
  let count = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const { statusCode, body } = await client.request({ path: target.pathname, method: 'GET' });
        await body.arrayBuffer();
        if (statusCode !== 200) throw new Error(`${url}: HTTP ${statusCode}`);
        count += 1;
      }
    }),
  );
  await client.close();
  return count / seconds;
}
const smallRates = {};
for (const connections of [1, 100]) {
  const mirrorRates = [];
  const nginxRates = [];
  for (let run = 0; run < 3; run++) {
    mirrorRates.push(await requestRate(`${mirrorUrl}${smallPath}`, connections));
    if (nginxUrl) nginxRates.push(await requestRate(nginxUrl.replace('/artifact.zip', '/small'), connections));
  }
  smallRates[connections] = { mirror: median(mirrorRates), nginx: nginxUrl ? median(nginxRates) : undefined };
  console.log(`small cached artifact, ${connections} connection(s): mirror ${smallRates[connections].mirror.toFixed(0)} req/s, nginx ${smallRates[connections].nginx?.toFixed(0) ?? '-'} req/s`);
}
const mirrorMiBs = median(mirrorRuns);
const nginxMiBs = nginxUrl ? median(nginxRuns) : undefined;

// 3. Metadata cache hits at 1,000 concurrent connections, against nginx serving the same document as a file.
/** Latencies (sorted) and requests per second of METADATA_REQUESTS requests on CONNECTIONS connections, after a warm-up. */
async function metadataLatencies(url, { cacheHit }) {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: CONNECTIONS });
  const one = async (latencies) => {
    const started = performance.now();
    const { statusCode, headers, body } = await pool.request({ path: target.pathname, method: 'GET' });
    await body.text();
    if (statusCode !== 200 || (cacheHit && headers['x-cache-status'] !== 'HIT')) throw new Error(`metadata: ${statusCode} ${headers['x-cache-status']}`);
    latencies?.push(performance.now() - started);
  };
  const load = async (count, latencies) => {
    let issued = 0;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (issued < count) {
          issued += 1;
          await one(latencies);
        }
      }),
    );
  };
  // One request on every connection first, so the figures are of cache hits, not of 1,000 TCP handshakes at once.
  await Promise.all(Array.from({ length: CONNECTIONS }, () => one()));
  await load(METADATA_WARMUP);
  const latencies = [];
  const started = performance.now();
  await load(METADATA_REQUESTS, latencies);
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), rate: METADATA_REQUESTS / seconds };
}
const metadataRuns = { mirror: [], nginx: [] };
for (let run = 0; run < 3; run++) {
  metadataRuns.mirror.push(await metadataLatencies(`${mirrorUrl}${metadataPath}`, { cacheHit: true }));
  if (nginxUrl) metadataRuns.nginx.push(await metadataLatencies(nginxUrl.replace('/artifact.zip', '/index.json'), { cacheHit: false }));
}
const metadataMedian = (runs) => (runs.length ? { p50: median(runs.map((run) => run.p50)), p99: median(runs.map((run) => run.p99)), rate: median(runs.map((run) => run.rate)) } : undefined);
const metadata = metadataMedian(metadataRuns.mirror);
const nginxMetadata = metadataMedian(metadataRuns.nginx);
console.log(
  `metadata at ${CONNECTIONS} connections: mirror p50 ${metadata.p50.toFixed(1)} ms p99 ${metadata.p99.toFixed(1)} ms; nginx p50 ${nginxMetadata?.p50.toFixed(1) ?? '-'} ms p99 ${nginxMetadata?.p99.toFixed(1) ?? '-'} ms`,
);
nginxServer?.kill('SIGTERM');

// 4. Ten clients on one uncached artifact, against the upstream's own transfer time for it.
// The upstream paced at a registry's bandwidth (the loopback one would be faster than any client can read ten copies).
const uncachedPath = '/registry.terraform.io/bench/big/1.1.0/linux_amd64/terraform-provider-big_1.1.0_linux_amd64.zip';
upstream.state.rates.set('/releases/big/1.1.0/terraform-provider-big_1.1.0_linux_amd64.zip', UPSTREAM_MIB_S * 1024 * 1024);
const direct = await download(`${upstream.url}/releases/big/1.1.0/terraform-provider-big_1.1.0_linux_amd64.zip`);
await download(`${mirrorUrl}/registry.terraform.io/bench/big/1.1.0.json`);
let tenRssPeak = rssOf(mirrorProcess.pid);
const tenSampler = setInterval(() => (tenRssPeak = Math.max(tenRssPeak, rssOf(mirrorProcess.pid))), 20);
const tenStarted = performance.now();
const tenResults = await Promise.all(Array.from({ length: 10 }, () => download(`${mirrorUrl}${uncachedPath}`)));
const tenSeconds = (performance.now() - tenStarted) / 1000;
clearInterval(tenSampler);
if (tenResults.some((result) => result.bytes !== direct.bytes)) throw new Error('a client of the uncached artifact got the wrong length');
const tenRatio = tenSeconds / direct.seconds;
console.log(`10 clients on one uncached artifact: ${tenSeconds.toFixed(2)} s (upstream alone ${direct.seconds.toFixed(2)} s), RSS peak ${tenRssPeak.toFixed(0)} MiB`);

mirrorProcess.kill('SIGTERM');
await upstream.close();
rmSync(work, { recursive: true, force: true });

const ratio = nginxMiBs ? mirrorMiBs / nginxMiBs : undefined;
const verdict = (ok) => (ok ? 'met' : 'NOT met');
const rssMet = Math.max(rssPeak, tenRssPeak) < TARGETS.rssMiB;
const small = (connections) => {
  const { mirror, nginx } = smallRates[connections];
  const smallRatio = nginx ? mirror / nginx : undefined;
  return `| cached small artifact (${connections === 1 ? '1 connection' : `${connections} connections`}): requests per second, median of 3 | ${mirror.toFixed(0)} (nginx ${nginx ? nginx.toFixed(0) : 'not measured'}) | ≥ ${TARGETS.smallRatio}× nginx${smallRatio !== undefined ? `: ${smallRatio.toFixed(2)}×, ${verdict(smallRatio >= TARGETS.smallRatio)}` : ' (nginx not installed)'} |`;
};
const lines = [
  `Mirror (\`shoreline mirror\`, file storage) and clients on loopback, one machine. Artifact: a ${ARTIFACT_MB} MiB provider zip from a local upstream; small artifact: a SHA256SUMS signature (a few hundred bytes); metadata: the network-mirror index of one provider (nginx: the same document as a file), on 1,000 connections opened (one request each) and warmed by ${METADATA_WARMUP.toLocaleString('en')} requests before the ${METADATA_REQUESTS.toLocaleString('en')} timed ones; with 1,000 requests always in flight a latency is mostly the queue, 1,000 ÷ requests per second. Both servers are read by the same undici client in one Node process, interleaved; on two cores that client is a large share of the cost, so the ratios are floors, not ceilings.`,
  '',
  '| what | figure | target |',
  '| --- | --- | --- |',
  small(1),
  small(100),
  `| metadata cache hit, ${CONNECTIONS} connections: p50, median of 3 | ${metadata.p50.toFixed(2)} ms (nginx ${nginxMetadata ? `${nginxMetadata.p50.toFixed(2)} ms` : 'not measured'}) | |`,
  `| metadata cache hit, ${CONNECTIONS} connections: p99, median of 3 | ${metadata.p99.toFixed(2)} ms (nginx ${nginxMetadata ? `${nginxMetadata.p99.toFixed(2)} ms` : 'not measured'}) | ≤ ${TARGETS.metadataP99Ms} ms: ${verdict(metadata.p99 <= TARGETS.metadataP99Ms)} |`,
  `| metadata cache hits per second | ${Math.round(metadata.rate)} (nginx ${nginxMetadata ? Math.round(nginxMetadata.rate) : 'not measured'}) | |`,
  `| cached artifact download (median of 7, interleaved with nginx) | ${mirrorMiBs.toFixed(0)} MiB/s | ≥ ${TARGETS.throughputRatio}× nginx${ratio !== undefined ? `: ${ratio.toFixed(2)}×, ${verdict(ratio >= TARGETS.throughputRatio)}` : ' (nginx not installed)'} |`,
  `| nginx (Debian nginx-light, sendfile) on the same file | ${nginxMiBs ? `${nginxMiBs.toFixed(0)} MiB/s` : 'not measured'} | |`,
  `| first download (cache miss, streamed while verified) | ${(miss.bytes / 1048576 / miss.seconds).toFixed(0)} MiB/s | |`,
  `| 10 clients on one uncached artifact: all done, against the upstream's transfer alone (upstream paced at ${UPSTREAM_MIB_S} MiB/s) | ${tenSeconds.toFixed(2)} s vs ${direct.seconds.toFixed(2)} s (${tenRatio.toFixed(2)}×) | ≤ ${TARGETS.tenClientsRatio}×: ${verdict(tenRatio <= TARGETS.tenClientsRatio)} |`,
  `| mirror RSS idle → peak while streaming the miss / the 10 clients | ${rssIdle.toFixed(0)} → ${rssPeak.toFixed(0)} / ${tenRssPeak.toFixed(0)} MiB | flat, < ${TARGETS.rssMiB} MiB: ${verdict(rssMet)} |`,
];
writeSection('Registry mirror', lines.join('\n'));
console.log(lines.join('\n'));
