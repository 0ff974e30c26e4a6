import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/shoreline.js', import.meta.url));
const run = (args, cwd) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });

const VALID =
  'terraform {\n  required_providers {\n    dreamhost = {\n      source = "adamantal/dreamhost"\n    }\n  }\n}\n\nresource "dreamhost_dns_record" "www" {\n  record = "www.example.com"\n  type   = "A"\n  value  = "192.0.2.10"\n}\n';
const BROKEN = 'resource "dreamhost_dns_record" "bad" {\n  record = "bad.example.com"\n  type   = "A"\n  value  = "192.0.2.010"\n}\n';
const WARNING =
  'terraform {\n  required_providers {\n    dreamhost = {\n      source = "adamantal/dreamhost"\n    }\n  }\n}\n\nresource "dreamhost_dns_record" "upper" {\n  record = "Upper.example.com"\n  type   = "A"\n  value  = "192.0.2.10"\n}\n';

let root;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'shoreline-cli-'));
  const write = (path, text) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('clean/main.tf', VALID);
  write('broken/versions.tf', VALID.split('\n\n')[0] + '\n');
  write('broken/main.tf', BROKEN);
  write('warn/main.tf', WARNING);
  // Never entered: provider caches and dependencies, even when they hold broken files.
  write('clean/.terraform/modules/x/main.tf', BROKEN);
  write('clean/node_modules/pkg/main.tf', BROKEN);
  write('clean/notes.txt', 'not terraform');
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('shoreline check: exit codes', () => {
  it('0 when there are no errors, and says so', () => {
    const result = run(['check', 'clean'], root);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, 'No problems found in 1 file.\n');
  });
  it('0 with warnings only', () => {
    const result = run(['check', 'warn'], root);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /warn\/main\.tf:10:12 warning dns\/name-not-lowercase /);
  });
  it('1 when an error is found; 0 with --exit-zero', () => {
    assert.equal(run(['check', 'broken'], root).status, 1);
    assert.equal(run(['check', 'broken', '--exit-zero'], root).status, 0);
  });
  it('2 on a missing path, still reporting the rest', () => {
    const result = run(['check', 'clean', 'nope'], root);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /nope: no such file or folder/);
    assert.match(result.stdout, /No problems found in 1 file/);
  });
  it('2 on bad usage, with a message naming the problem', () => {
    for (const [args, message] of [
      [['check', '--format', 'xml'], /unknown format 'xml'; expected one of text, json, sarif/],
      [['check', '--format'], /--format needs a value/],
      [['check', '--bogus'], /unknown option '--bogus'/],
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['check', 'clean/notes.txt'], /not a configuration file/],
    ]) {
      const result = run(args, root);
      assert.equal(result.status, 2, args.join(' '));
      assert.match(result.stderr, message);
    }
  });
  it('2 on an unreadable folder', { skip: process.getuid?.() === 0 ? 'root reads every folder' : false }, () => {
    const locked = join(root, 'locked');
    mkdirSync(locked, { recursive: true });
    chmodSync(locked, 0);
    try {
      const result = run(['check', 'locked'], root);
      assert.equal(result.status, 2);
      assert.match(result.stderr, /permission denied/);
    } finally {
      chmodSync(locked, 0o755);
    }
  });
  it('prints help and the version', () => {
    assert.match(run(['--help']).stdout, /Usage: shoreline <command>/);
    assert.match(run(['check', '--help']).stdout, /--format FORMAT/);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    assert.equal(run(['--version']).stdout.trim(), pkg.version);
  });
});

describe('shoreline check: output formats', () => {
  it('text: file:line:col severity code message, then a summary', () => {
    const result = run(['check', 'broken'], root);
    assert.equal(
      result.stdout.split('\n')[0],
      "broken/main.tf:4:12 error dns/ipv4-invalid '192.0.2.010' is not a valid IPv4 address: its fourth part '010' has a leading zero, which some resolvers read as octal",
    );
    assert.match(result.stdout, /1 problem \(1 error, 0 warnings\) in 2 files\.\n$/);
  });
  it('json: findings with 0-based LSP ranges', () => {
    const result = run(['check', 'broken', '--format', 'json'], root);
    assert.deepEqual(JSON.parse(result.stdout), [
      {
        file: 'broken/main.tf',
        range: { start: { line: 3, character: 11 }, end: { line: 3, character: 24 } },
        severity: 'error',
        code: 'dns/ipv4-invalid',
        source: 'shoreline',
        message: "'192.0.2.010' is not a valid IPv4 address: its fourth part '010' has a leading zero, which some resolvers read as octal",
      },
    ]);
    assert.deepEqual(JSON.parse(run(['check', 'clean', '--format=json'], root).stdout), []);
  });
  it('sarif: a SARIF 2.1.0 log with rules and 1-based regions', () => {
    const result = run(['check', 'broken', 'warn', '--format', 'sarif'], root);
    const log = JSON.parse(result.stdout);
    assert.equal(log.version, '2.1.0');
    const [sarifRun] = log.runs;
    assert.equal(sarifRun.tool.driver.name, 'shoreline');
    assert.deepEqual(
      sarifRun.tool.driver.rules.map((rule) => rule.id),
      ['dns/ipv4-invalid', 'dns/name-not-lowercase'],
    );
    const [error, warning] = sarifRun.results;
    assert.equal(error.ruleId, 'dns/ipv4-invalid');
    assert.equal(error.level, 'error');
    assert.equal(error.ruleIndex, 0);
    assert.deepEqual(error.locations[0].physicalLocation, { artifactLocation: { uri: 'broken/main.tf' }, region: { startLine: 4, startColumn: 12, endLine: 4, endColumn: 25 } });
    assert.equal(warning.level, 'warning');
    assert.equal(sarifRun.invocations[0].executionSuccessful, true);
  });
  it('--output writes the report to a file', () => {
    const out = join(root, 'report.json');
    assert.equal(run(['check', 'broken', '--format', 'json', '--output', out], root).stdout, '');
    assert.equal(JSON.parse(readFileSync(out, 'utf8'))[0].code, 'dns/ipv4-invalid');
  });
  it('checks the current folder by default, recursing and skipping .terraform and node_modules', () => {
    const result = run(['check', '--format', 'json'], join(root, 'clean'));
    assert.equal(result.status, 0, result.stdout);
    assert.deepEqual(JSON.parse(result.stdout), []);
  });
});

describe('shoreline check: bad input', () => {
  const check = (name, bytes) => {
    const folder = join(root, 'bad', name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'main.tf'), bytes);
    return run(['check', folder, '--format', 'json'], root);
  };
  it('a binary file is one clear finding', () => {
    const result = check('binary', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
    assert.equal(result.status, 1);
    const [finding] = JSON.parse(result.stdout);
    assert.equal(finding.code, 'file/binary');
  });
  it('invalid UTF-8 is reported where it is, and the rest is still analysed', () => {
    const text = Buffer.concat([Buffer.from('locals {\n  a = "'), Buffer.from([0xc3, 0x28]), Buffer.from('"\n}\nresource "dreamhost_dns_record" "x" {\n  record = "x.example.com"\n}\n')]);
    const findings = JSON.parse(check('utf8', text).stdout);
    const invalid = findings.find((finding) => finding.code === 'file/invalid-utf8');
    assert.deepEqual(invalid.range.start, { line: 1, character: 7 });
    assert.ok(findings.some((finding) => finding.code === 'tf/missing-attribute'));
  });
  it('a file over 32 MiB is reported, not parsed', () => {
    const result = check('huge', Buffer.alloc(33 * 1024 * 1024, 'a = 1\n'));
    const [finding] = JSON.parse(result.stdout);
    assert.equal(finding.code, 'file/too-large');
    assert.match(finding.message, /33\.0 MiB; Shoreline analyses files up to 32 MiB/);
  });
  it('10,000 nested blocks, unterminated strings and heredocs: findings, no crash', () => {
    const nested = JSON.parse(check('nested', 'a {\n'.repeat(10000) + '}\n'.repeat(10000)).stdout);
    assert.deepEqual(
      nested.map((finding) => finding.code).filter((code) => code.startsWith('hcl/')),
      ['hcl/nesting-too-deep'],
    );
    assert.equal(JSON.parse(check('string', 'locals {\n  a = "open\n}\n').stdout)[0].code, 'hcl/unterminated-string');
    const heredoc = JSON.parse(check('heredoc', 'locals {\n  a = <<EOT\nno end\n').stdout).map((finding) => finding.code);
    assert.deepEqual(heredoc, ['hcl/unclosed-block', 'hcl/unterminated-heredoc']);
  });
  it('follows a link to a file but not a link to a folder (no cycles)', () => {
    const folder = join(root, 'links');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(root, 'linked.tf'), BROKEN);
    symlinkSync(join(root, 'linked.tf'), join(folder, 'main.tf'));
    symlinkSync(folder, join(folder, 'loop'));
    const findings = JSON.parse(run(['check', folder, '--format', 'json'], root).stdout);
    assert.deepEqual(
      findings.map((finding) => finding.code),
      ['tf/provider-not-declared', 'dns/ipv4-invalid'],
    );
  });
});

describe('shoreline mirror and ddns on the command line', () => {
  it('print their help, naming every option and variable', () => {
    const mirror = run(['mirror', '--help']);
    assert.equal(mirror.status, 0);
    for (const flag of ['--listen', '--cache', '--s3-endpoint', '--s3-bucket', '--upstream', '--artifact-host', '--metadata-ttl', '--token-file', '--tls-cert', '--tls-key', '--self-signed'])
      assert.ok(mirror.stdout.includes(flag), flag);
    const ddns = run(['ddns', '--help']);
    assert.equal(ddns.status, 0);
    for (const variable of [
      'DDNS_PROVIDER',
      'DDNS_RECORDS',
      'DDNS_MIN_UPDATE_INTERVAL_SECS',
      'DDNS_STATE_FILE',
      'DDNS_IP_SOURCE',
      'RFC2136_SERVER',
      'RFC2136_TSIG_KEY_NAME',
      'RFC2136_TSIG_SECRET',
      'RFC2136_TSIG_ALGORITHM',
      'DREAMHOST_API_KEY',
      '--once',
    ])
      assert.ok(ddns.stdout.includes(variable), variable);
    assert.match(run(['--help']).stdout, /mirror .*\n.*ddns/s);
  });

  it('refuse bad options with exit 2 and say what is wrong', () => {
    const cases = [
      [['mirror', '--listen', 'nowhere'], /--listen must be HOST:PORT/],
      [['mirror', '--s3-bucket', 'b'], /--s3-bucket needs --s3-endpoint/],
      [['mirror', '--upstream', 'Not A Host'], /is not a registry hostname/],
      [['mirror', '--tls-cert', 'x.pem'], /--tls-cert and --tls-key go together/],
      [['mirror', '--metadata-ttl', '-5'], /--metadata-ttl must be a whole number/],
      [['mirror', '--frobnicate'], /unknown option '--frobnicate' for mirror/],
      [['ddns', '--once'], /DDNS_PROVIDER is not set/],
    ];
    for (const [args, message] of cases) {
      const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
  });
});

describe('shoreline check: the files of a module as Terraform reads them', () => {
  let folder;
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'shoreline-kinds-cli-'));
    mkdirSync(join(folder, 'jsonmod'));
    mkdirSync(join(folder, 'varsmod/envs'), { recursive: true });
    // The imported resource is declared in a .tf.json file Shoreline does not read: no "undeclared" finding.
    writeFileSync(join(folder, 'jsonmod/main.tf.json'), '{"resource": {"dreamhost_dns_record": {"www": {"record": "www.example.com", "type": "A", "value": "192.0.2.1"}}}}\n');
    writeFileSync(join(folder, 'jsonmod/imports.tf'), 'import {\n  to = dreamhost_dns_record.www\n  id = "A|www.example.com|192.0.2.1"\n}\n');
    // Terraform ignores hidden files and editor backups: so does check.
    writeFileSync(join(folder, 'jsonmod/.scratch.tf'), 'this is { not HCL\n');
    writeFileSync(join(folder, 'jsonmod/main.tf~'), 'this is { not HCL\n');
    writeFileSync(join(folder, 'varsmod/variables.tf'), 'variable "replicas" {\n  type = number\n}\n');
    writeFileSync(join(folder, 'varsmod/terraform.tfvars'), 'replicas = "3"\n');
    writeFileSync(join(folder, 'varsmod/envs/prod.tfvars'), 'replicas = "three"\nregoin = "eu"\n');
    // A module with a query file (which may declare variables) gets no "undeclared" warnings.
    mkdirSync(join(folder, 'querymod'));
    writeFileSync(join(folder, 'querymod/main.tf'), 'variable "a" {}\n');
    writeFileSync(join(folder, 'querymod/list.tfquery.hcl'), 'variable "b" {}\n');
    writeFileSync(join(folder, 'querymod/terraform.tfvars'), 'a = 1\nb = 2\n');
    writeFileSync(join(folder, 'docker-compose.yml'), 'services: {}\n');
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('reads .tfvars against the module, leaves out what Terraform ignores, and trusts .tf.json declarations', () => {
    const result = run(['check', '.', '--format', 'json'], folder);
    // Hints (variables the module itself does not use) are not what this is about.
    const findings = JSON.parse(result.stdout)
      .filter((finding) => finding.severity !== 'hint')
      .map((finding) => `${finding.file}:${finding.range.start.line + 1} ${finding.code}`);
    assert.deepEqual(findings.sort(), ['varsmod/envs/prod.tfvars:1 tfvars/type-mismatch', 'varsmod/envs/prod.tfvars:2 tfvars/undeclared-variable']);
    assert.equal(result.status, 1);
  });
  it('a file of no kind named on the command line is refused, not parsed', () => {
    const result = run(['check', 'docker-compose.yml'], folder);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /not a configuration file Shoreline reads/);
  });
});

describe('shoreline check: files other modules include by link', () => {
  let folder;
  before(() => {
    // As terraform-google-modules' test fixtures: one network.tf is linked into each fixture, which declares its variables.
    folder = mkdtempSync(join(tmpdir(), 'shoreline-shared-cli-'));
    mkdirSync(join(folder, 'common'));
    mkdirSync(join(folder, 'fixture'));
    mkdirSync(join(folder, 'alone'));
    writeFileSync(join(folder, 'common/network.tf'), 'output "network" {\n  value = var.project_id\n}\n');
    symlinkSync('../common/network.tf', join(folder, 'fixture/network.tf'));
    writeFileSync(join(folder, 'fixture/variables.tf'), 'variable "project_id" {}\n');
    writeFileSync(join(folder, 'alone/main.tf'), 'output "network" {\n  value = var.project_id\n}\n');
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('checks the including module with the fragment, and calls nothing in the fragment undeclared on its own', () => {
    const result = run(['check', '.', '--format', 'json'], folder);
    const findings = JSON.parse(result.stdout).map((finding) => `${finding.file} ${finding.code}`);
    assert.deepEqual(findings, ['alone/main.tf tf/undeclared-reference']);
  });
});

describe('npm run corpus:lagoon', () => {
  it('counts the Lagoon YAML files under a folder and those with errors', () => {
    const script = fileURLToPath(new URL('../../scripts/corpus-lagoon.mjs', import.meta.url));
    const result = spawnSync(process.execPath, [script, fileURLToPath(new URL('../../examples', import.meta.url))], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^1 Lagoon YAML files, 1 with errors\n/);
    assert.match(result.stdout, /lagoon-yml\/cron-invalid: 2/);
  });
});
