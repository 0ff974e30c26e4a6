// A real BIND9 (Debian package bind9) on a loopback port, with one zone that
// takes signed updates. Used by the RFC 2136 tests and the DDNS benchmark.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { Resolver } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NAMED = ['/usr/sbin/named', '/usr/bin/named'].find((path) => existsSync(path));

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts named with zone `zone` and TSIG keys (name → algorithm) allowed to update it. */
export async function startBind({ zone = 'example.test', keys = { 'ddns-key': 'hmac-sha256' } } = {}) {
  if (!NAMED) throw new Error('BIND9 (named) is not installed: apt-get install bind9');
  const dir = await mkdtemp(join(tmpdir(), 'shoreline-bind-'));
  const port = await freePort();
  const secrets = Object.fromEntries(Object.entries(keys).map(([name, algorithm]) => [name, { algorithm, secret: randomBytes(32).toString('base64') }]));
  await writeFile(join(dir, `${zone}.zone`), `$TTL 60\n@ IN SOA ns1.${zone}. hostmaster.${zone}. 1 3600 600 86400 60\n@ IN NS ns1.${zone}.\nns1 IN A 127.0.0.1\n`);
  await writeFile(
    join(dir, 'named.conf'),
    `options {\n  directory "${dir}";\n  pid-file "${dir}/named.pid";\n  listen-on port ${port} { 127.0.0.1; };\n  listen-on-v6 { none; };\n  recursion no;\n  dnssec-validation no;\n  notify no;\n};\ncontrols { };\n` +
      Object.entries(secrets)
        .map(([name, { algorithm, secret }]) => `key "${name}" { algorithm ${algorithm}; secret "${secret}"; };\n`)
        .join('') +
      `zone "${zone}" { type primary; file "${dir}/${zone}.zone"; allow-update { ${Object.keys(secrets)
        .map((name) => `key "${name}";`)
        .join(' ')} }; };\n`,
  );
  const resolver = new Resolver({ timeout: 1000, tries: 2 });
  resolver.setServers([`127.0.0.1:${port}`]);
  let log = '';
  let child;
  /** Starts named and waits until the zone answers. */
  const launch = async () => {
    child = spawn(NAMED, ['-g', '-n', '1', '-c', join(dir, 'named.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => (log += chunk));
    child.stderr.on('data', (chunk) => (log += chunk));
    const started = log.length;
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`named did not start:\n${log}`)), 15_000);
      const check = setInterval(() => {
        if (/running/.test(log.slice(started))) {
          clearTimeout(timer);
          clearInterval(check);
          resolve();
        }
      }, 20);
      child.once('exit', (code) => {
        clearTimeout(timer);
        clearInterval(check);
        reject(new Error(`named exited with ${code}:\n${log}`));
      });
    });
    // "running" can be logged before the zone answers: wait until it does, so the first UPDATE is not lost.
    for (let attempt = 0; ; attempt++) {
      try {
        await resolver.resolveSoa(zone);
        break;
      } catch (error) {
        if (attempt >= 50) throw new Error(`named does not answer for ${zone}: ${error.message}\n${log}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };
  const halt = async () => {
    child.removeAllListeners('exit');
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', resolve)));
  };
  await launch();
  return {
    port,
    zone,
    keys: secrets,
    resolver,
    log: () => log,
    /** The addresses the server answers for name and type (empty when none). */
    async lookup(name, type = 'A') {
      try {
        return await (type === 'A' ? resolver.resolve4(name) : resolver.resolve6(name));
      } catch (error) {
        if (error.code === 'ENOTFOUND' || error.code === 'ENODATA') return [];
        throw error;
      }
    },
    /** Stops named, keeping its zone and journal: the port then refuses (ICMP port unreachable). */
    down: halt,
    /** Starts it again on the same port, with the updates it had. */
    up: launch,
    async stop() {
      await halt();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
