// The real `terraform` CLI installs providers and a module through
// `shoreline mirror` (HTTPS with its generated certificate): first from a
// local upstream registry, then again with the upstream stopped and a fresh
// .terraform folder, from the mirror's cache alone.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startUpstreamRegistry } from '../support/fake-upstream-registry.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

function terraformVersion() {
  try {
    return execFileSync('terraform', ['version', '-json'], { encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' } });
  } catch {
    return undefined;
  }
}

/** Starts `shoreline mirror` and resolves once it prints where it listens and what Terraform needs. */
function startMirrorProcess(args) {
  const child = spawn(process.execPath, [join(root, 'bin/shoreline.js'), 'mirror', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the mirror did not start: ${stderr}`)), 20_000);
    child.on('exit', (code) => reject(new Error(`the mirror exited with ${code}: ${stderr}`)));
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const url = /Mirror ready at (\S+)/.exec(stdout)?.[1];
      const certFile = /SSL_CERT_FILE=(\S+)/.exec(stdout)?.[1];
      if (url && certFile && stdout.includes('provider_installation')) {
        clearTimeout(timer);
        resolve({ child, url, certFile, stdout, logs: () => stderr });
      }
    });
  });
}

function terraform(args, cwd, env) {
  return new Promise((resolve) => {
    const child = spawn('terraform', args, { cwd, env });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const version = terraformVersion();
if (!version) {
  process.stderr.write(`\n${'!'.repeat(72)}\n!! terraform is not on the PATH: the registry mirror's CLI test cannot run.\n!! Install Terraform (>= 1.6) to run it.\n${'!'.repeat(72)}\n\n`);
}

describe('terraform init through shoreline mirror', { skip: version ? false : 'terraform is not on the PATH (see the message above)' }, () => {
  let upstream;
  let mirror;
  let work;
  let env;

  before(async () => {
    upstream = await startUpstreamRegistry();
    work = await mkdtemp(join(tmpdir(), 'shoreline-tf-'));
    mirror = await startMirrorProcess([
      '--listen',
      '127.0.0.1:0',
      '--self-signed',
      '--cache',
      join(work, 'cache'),
      '--upstream',
      `registry.terraform.io=${upstream.url}`,
      '--metadata-ttl',
      '1',
      '--log-level',
      'debug',
    ]);
    // Registry-protocol addresses need a hostname with a dot: a CLI `host` block maps one to the mirror.
    const mirrorHost = 'registry.shoreline.test';
    await writeFile(
      join(work, 'cli.tfrc'),
      `host "${mirrorHost}" {\n  services = {\n    "providers.v1" = "${mirror.url}/v1/providers/"\n    "modules.v1"   = "${mirror.url}/v1/modules/"\n  }\n}\n\nprovider_installation {\n  network_mirror {\n    url     = "${mirror.url}/"\n    include = ["registry.terraform.io/*/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }\n}\n`,
    );
    await writeFile(
      join(work, 'main.tf'),
      `terraform {
  required_providers {
    echo = {
      source  = "shoreline-test/echo"
      version = "1.0.0"
    }
    direct = {
      source  = "${mirrorHost}/shoreline-test/echo"
      version = "1.1.0"
    }
  }
}

module "site" {
  source  = "${mirrorHost}/shoreline-test/site/dreamhost"
  version = "0.1.0"
  zone    = "example.com"
}
`,
    );
    env = { PATH: process.env.PATH, HOME: work, TF_CLI_CONFIG_FILE: join(work, 'cli.tfrc'), SSL_CERT_FILE: mirror.certFile, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
  });

  after(async () => {
    mirror?.child.kill('SIGTERM');
    await upstream?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('installs providers (network mirror and registry protocol) and a module through the mirror', async () => {
    const first = await terraform(['init', '-input=false', '-no-color'], work, env);
    assert.equal(first.code, 0, first.output);
    assert.match(first.output, /Installed shoreline-test\/echo v1\.0\.0/);
    assert.match(first.output, /Installed registry\.shoreline\.test\/shoreline-test\/echo v1\.1\.0/);
    const lock = await readFile(join(work, '.terraform.lock.hcl'), 'utf8');
    assert.match(lock, /provider "registry\.terraform\.io\/shoreline-test\/echo"/);
    assert.match(lock, /"h1:/);
    assert.match(await readFile(join(work, '.terraform/modules/site/main.tf'), 'utf8'), /shoreline-test\/site\/dreamhost 0\.1\.0/);
    assert.ok(
      upstream.state.requests.some((path) => path.endsWith('_linux_amd64.zip')),
      'the zips came from the upstream through the mirror',
    );
  });

  it('installs again from the cache alone with the upstream stopped and a fresh .terraform', async () => {
    await upstream.close();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the metadata TTL: the mirror must serve stale
    await rm(join(work, '.terraform'), { recursive: true, force: true });
    const second = await terraform(['init', '-input=false', '-no-color'], work, env);
    assert.equal(second.code, 0, `${second.output}\n--- mirror log ---\n${mirror.logs().slice(-3000)}`);
    assert.match(second.output, /Installed shoreline-test\/echo v1\.0\.0/);
    const lines = mirror
      .logs()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
    assert.ok(
      lines.some((line) => line.msg === 'request' && line.cache === 'STALE'),
      'metadata came stale from the cache',
    );
    assert.ok(
      lines.some((line) => line.msg === 'request' && line.route === 'provider-archive' && line.cache === 'HIT'),
      'the zip came from the cache',
    );
  });

  it('exports the cache, imports it into another, and terraform installs from a mirror that has no upstream', async () => {
    const run = (args) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [join(root, 'bin/shoreline.js'), 'mirror', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (chunk) => (output += chunk));
        child.stderr.on('data', (chunk) => (output += chunk));
        child.on('exit', (code) => resolve({ code, output }));
      });
    // The upstream is stopped (test above): the export answers from the cache.
    const exported = await run(['export', join(work, 'carried'), '--cache', join(work, 'cache'), '--upstream', `registry.terraform.io=${upstream.url}`]);
    assert.equal(exported.code, 0, exported.output);
    const imported = await run(['import', join(work, 'carried'), '--cache', join(work, 'offline-cache')]);
    assert.equal(imported.code, 0, imported.output);
    const offline = await startMirrorProcess(['--listen', '127.0.0.1:0', '--self-signed', '--cache', join(work, 'offline-cache'), '--upstream', 'registry.terraform.io=http://127.0.0.1:9']);
    try {
      const project = join(work, 'offline');
      await rm(project, { recursive: true, force: true });
      await writeFile(join(work, 'offline.tfrc'), `provider_installation {\n  network_mirror {\n    url = "${offline.url}/"\n  }\n}\n`);
      await import('node:fs/promises').then(({ mkdir }) => mkdir(project, { recursive: true }));
      await writeFile(join(project, 'main.tf'), 'terraform {\n  required_providers {\n    echo = {\n      source  = "shoreline-test/echo"\n      version = "1.0.0"\n    }\n  }\n}\n');
      const init = await terraform(['init', '-input=false', '-no-color'], project, { ...env, TF_CLI_CONFIG_FILE: join(work, 'offline.tfrc'), SSL_CERT_FILE: offline.certFile });
      assert.equal(init.code, 0, `${init.output}\n--- mirror log ---\n${offline.logs().slice(-3000)}`);
      assert.match(init.output, /Installed shoreline-test\/echo v1\.0\.0/);
    } finally {
      offline.child.kill('SIGTERM');
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise((resolve) => mirror.child.once('exit', (code) => resolve(code)));
    mirror.child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});
