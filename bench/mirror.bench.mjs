// The registry mirror on loopback: metadata cache hits at 100 concurrent
// connections, artifact download throughput next to nginx serving the same
// file from disk, and the mirror's RSS while it streams a 500 MB artifact.
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
const METADATA_REQUESTS = 20_000;
const CONNECTIONS = 100;
const TARGETS = { throughputRatio: 0.5, rssMiB: 150 };

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
const upstream = await startUpstreamRegistry({ providers: { 'bench/big': ['1.0.0'] }, modules: {}, platforms: ['linux_amd64'], payload: randomBytes(ARTIFACT_MB * 1024 * 1024) });
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
const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));
let nginxServer;
let nginxUrl;
if (nginx) {
  const prefix = join(work, 'nginx');
  execFileSync('mkdir', ['-p', join(prefix, 'logs'), join(prefix, 'tmp')]);
  const port = 18000 + Math.floor(Math.random() * 1000);
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `user root;\nworker_processes 1;\nerror_log ${prefix}/logs/error.log;\npid ${prefix}/nginx.pid;\nevents { worker_connections 256; }\nhttp {\n  access_log off;\n  sendfile on;\n  tcp_nopush on;\n  client_body_temp_path ${prefix}/tmp;\n  proxy_temp_path ${prefix}/tmp;\n  fastcgi_temp_path ${prefix}/tmp;\n  uwsgi_temp_path ${prefix}/tmp;\n  scgi_temp_path ${prefix}/tmp;\n  server {\n    listen 127.0.0.1:${port};\n    location = /artifact.zip { alias ${objectFile}; }\n  }\n}\n`,
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
nginxServer?.kill('SIGTERM');
const mirrorMiBs = median(mirrorRuns);
const nginxMiBs = nginxUrl ? median(nginxRuns) : undefined;

// 3. Metadata cache hits at 100 concurrent connections.
const metadataUrl = new URL(`${mirrorUrl}/registry.terraform.io/bench/big/index.json`);
const pool = new Pool(metadataUrl.origin, { connections: CONNECTIONS });
const latencies = [];
let issued = 0;
const metaStarted = performance.now();
await Promise.all(
  Array.from({ length: CONNECTIONS }, async () => {
    while (issued < METADATA_REQUESTS) {
      issued += 1;
      const started = performance.now();
      const { statusCode, headers, body } = await pool.request({ path: metadataUrl.pathname, method: 'GET' });
      await body.text();
      if (statusCode !== 200 || headers['x-cache-status'] !== 'HIT') throw new Error(`metadata: ${statusCode} ${headers['x-cache-status']}`);
      latencies.push(performance.now() - started);
    }
  }),
);
const metaSeconds = (performance.now() - metaStarted) / 1000;
await pool.close();
latencies.sort((a, b) => a - b);

mirrorProcess.kill('SIGTERM');
await upstream.close();
rmSync(work, { recursive: true, force: true });

const ratio = nginxMiBs ? mirrorMiBs / nginxMiBs : undefined;
const rssMet = rssPeak < TARGETS.rssMiB;
const lines = [
  `Mirror (\`shoreline mirror\`, file storage) and clients on loopback, one machine. Artifact: a ${ARTIFACT_MB} MiB provider zip from a local upstream; metadata: the network-mirror index of one provider. Both servers are read by the same undici client in one Node process; on two cores that client is a large share of the cost, so the ratio is a floor, not a ceiling.`,
  '',
  '| what | figure | target |',
  '| --- | --- | --- |',
  `| metadata cache hit, ${CONNECTIONS} connections: p50 | ${percentile(latencies, 50).toFixed(2)} ms | |`,
  `| metadata cache hit, ${CONNECTIONS} connections: p99 | ${percentile(latencies, 99).toFixed(2)} ms | |`,
  `| metadata cache hits per second | ${Math.round(METADATA_REQUESTS / metaSeconds)} | |`,
  `| cached artifact download (median of 7, interleaved with nginx) | ${mirrorMiBs.toFixed(0)} MiB/s | ≥ 0.5× nginx${ratio !== undefined ? `: ${ratio.toFixed(2)}×, ${ratio >= TARGETS.throughputRatio ? 'met' : 'NOT met'}` : ' (nginx not installed)'} |`,
  `| nginx (Debian nginx-light, sendfile) on the same file | ${nginxMiBs ? `${nginxMiBs.toFixed(0)} MiB/s` : 'not measured'} | |`,
  `| first download (cache miss, streamed while verified) | ${(miss.bytes / 1048576 / miss.seconds).toFixed(0)} MiB/s | |`,
  `| mirror RSS idle → peak while streaming the miss | ${rssIdle.toFixed(0)} → ${rssPeak.toFixed(0)} MiB | flat, < ${TARGETS.rssMiB} MiB: ${rssMet ? 'met' : 'NOT met'} |`,
];
writeSection('Registry mirror', lines.join('\n'));
console.log(lines.join('\n'));
