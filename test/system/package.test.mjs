// The package as a user installs it: `npm pack`, installed into a fresh
// project from the tarball, then the `shoreline` command and the library API.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let project;

before(() => {
  project = mkdtempSync(join(tmpdir(), 'shoreline-package-'));
  // The tree is already built by `npm ci`; pack it as is.
  execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', project], { cwd: root, stdio: 'pipe' });
  const tarball = readdirSync(project).find((name) => name.endsWith('.tgz'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'module', private: true }));
  execFileSync(npm, ['install', '--no-audit', '--no-fund', join(project, tarball)], { cwd: project, stdio: 'pipe', timeout: 300_000 });
});
after(() => rmSync(project, { recursive: true, force: true }));

describe('installed package', () => {
  it('ships the bundles, the library and its type declarations, not the sources or tests', () => {
    const installed = join(project, 'node_modules/shoreline');
    for (const file of ['bin/shoreline.js', 'dist/shoreline.mjs', 'core/dist/index.js', 'core/dist/index.d.ts']) assert.ok(existsSync(join(installed, file)), file);
    for (const file of ['core/src', 'test', 'bench', 'server/src']) assert.ok(!existsSync(join(installed, file)), file);
  });

  it('`shoreline check` reports the examples as in the repository', () => {
    const installed = spawnSync(join(project, 'node_modules/.bin/shoreline'), ['check', join(root, 'examples'), '--format', 'json'], { encoding: 'utf8' });
    const repo = spawnSync(process.execPath, [join(root, 'bin/shoreline.js'), 'check', join(root, 'examples'), '--format', 'json'], { encoding: 'utf8' });
    assert.equal(installed.status, 1, installed.stderr);
    assert.deepEqual(JSON.parse(installed.stdout), JSON.parse(repo.stdout));
    assert.ok(JSON.parse(installed.stdout).some((finding) => finding.code === 'dns/cname-conflict'));
    // The Python program: the bundle's own WebAssembly grammars.
    assert.ok(JSON.parse(installed.stdout).some((finding) => finding.file.endsWith('__main__.py') && finding.code === 'lagoon/unknown-property'));
  });

  it('the library reads Pulumi programs with the grammars of its dependencies', () => {
    const script = `
      import { checkPaths } from 'shoreline';
      const result = await checkPaths([${JSON.stringify(join(root, 'examples', 'lagoon-pulumi-python'))}]);
      console.log(JSON.stringify(result.files.flatMap((file) => file.diagnostics.map((d) => d.code)).sort()));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(output), ['lagoon/missing-property', 'lagoon/production-not-deployed', 'lagoon/secret-in-plain-text', 'lagoon/unknown-property']);
  });

  it('the library is importable and validates', () => {
    const script = `
      import { parseHcl, analyzeModule, validateRecordValue } from 'shoreline';
      const doc = parseHcl('resource "dreamhost_dns_record" "x" {\\n  record = "x.example.com"\\n  type = "A"\\n  value = "1.2.3"\\n}\\n', { source: 'x.tf' });
      const codes = analyzeModule([doc]).get('x.tf').map((d) => d.code);
      console.log(JSON.stringify({ codes, mx: validateRecordValue('MX', '10 mail.example.com') }));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(output), { codes: ['tf/provider-not-declared', 'dns/ipv4-invalid'], mx: [] });
  });
});

describe('README quick start', () => {
  it('`npm start` checks examples/, prints the findings and exits 0', () => {
    const result = spawnSync(npm, ['start', '--silent'], { cwd: root, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /examples\/dreamhost-site\/records\.tf:\d+:\d+ error dns\/cname-conflict/);
    assert.match(result.stdout, /\d+ problems \(\d+ errors, \d+ warnings(, \d+ information)?, \d+ hint\) in 11 files\.\n$/);
    assert.match(result.stdout, /examples\/cloud-dns\/route53\.tf:\d+:\d+ error dns\/cname-conflict/);
    assert.match(result.stdout, /examples\/lagoon-pulumi-python\/__main__\.py:\d+:\d+ error lagoon\/unknown-property 'chanel'/);
  });
});
