import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeModule, hclQuote, parseHcl, parseProviderSource, parseVersionConstraints } from '../../core/dist/index.js';

const PROVIDERS = 'terraform {\n  required_providers {\n    dreamhost = {\n      source  = "adamantal/dreamhost"\n      version = "~> 0.3"\n    }\n  }\n}\n';

/** Analyses files (name → text) as one module; returns `file:line code` strings and the raw results. */
const REFERENCE_RULES = new Set(['tf/undeclared-reference', 'tf/unused-declaration']);

function analyze(files, { withProviders = true } = {}) {
  const all = withProviders ? { 'versions.tf': PROVIDERS, ...files } : files;
  const documents = Object.entries(all).map(([source, text]) => parseHcl(text, { source }));
  const results = analyzeModule(documents);
  // The snippets refer to variables they do not declare: the reference rules have tests of their own (references.test.mjs).
  const found = [...results].flatMap(([file, diagnostics]) => diagnostics.filter((d) => !REFERENCE_RULES.has(d.code)).map((d) => `${file}:${d.range.start.line + 1} ${d.code}`));
  return { found, results };
}

const record = (name, fields) =>
  `resource "dreamhost_dns_record" "${name}" {\n${Object.entries(fields)
    .map(([k, v]) => `  ${k} = ${v.startsWith('var.') || v.startsWith('[') ? v : JSON.stringify(v)}\n`)
    .join('')}}\n`;

describe('dreamhost_dns_record resource', () => {
  it('accepts a valid record', () => {
    assert.deepEqual(analyze({ 'main.tf': record('www', { record: 'www.example.com', type: 'A', value: '192.0.2.1' }) }).found, []);
  });
  it('reports unknown, read-only, duplicate and missing attributes', () => {
    const text = 'resource "dreamhost_dns_record" "x" {\n  recrod  = "www.example.com"\n  type    = "A"\n  type    = "A"\n  comment = "hi"\n}\n';
    const { found, results } = analyze({ 'main.tf': text });
    assert.deepEqual(
      found.sort(),
      ['main.tf:1 tf/missing-attribute', 'main.tf:1 tf/missing-attribute', 'main.tf:2 tf/unknown-attribute', 'main.tf:4 hcl/attribute-redefined', 'main.tf:5 tf/read-only-attribute'].sort(),
    );
    const messages = results
      .get('main.tf')
      .map((d) => d.message)
      .join('\n');
    assert.match(messages, /did you mean 'record'/);
    assert.match(messages, /needs 'value'/);
  });
  it('validates the value for the declared type, on the value attribute', () => {
    const { results } = analyze({ 'main.tf': record('mx', { record: 'example.com', type: 'MX', value: 'mail.example.com' }) });
    const [d] = results.get('main.tf');
    assert.equal(d.code, 'dns/mx-format');
    assert.deepEqual(d.range, { start: { line: 3, character: 10 }, end: { line: 3, character: 28 } });
    assert.deepEqual(d.fixes, [{ title: 'Add priority 10', range: d.range, newText: '"10 mail.example.com"' }]);
  });
  it('names the accepted types, and fixes lower case', () => {
    const { results } = analyze({ 'main.tf': record('a', { record: 'example.com', type: 'caa', value: '0 issue "x.org"' }) + record('b', { record: 'b.example.com', type: 'a', value: '192.0.2.1' }) });
    const [unsupported, lower] = results.get('main.tf');
    assert.equal(unsupported.code, 'dns/type-unsupported');
    assert.match(unsupported.message, /A, AAAA, CNAME, MX, NS, PTR, TXT, SRV, NAPTR/);
    assert.equal(lower.code, 'dns/type-not-uppercase');
    assert.equal(lower.fixes[0].newText, '"A"');
  });
  it('skips values it cannot know (references, templates) and checks the rest', () => {
    const text = 'resource "dreamhost_dns_record" "x" {\n  record = "${var.host}.example.com"\n  type   = var.type\n  value  = "192.0.2.300"\n}\n';
    assert.deepEqual(analyze({ 'main.tf': text }).found, []);
    const typed = 'resource "dreamhost_dns_record" "x" {\n  record = "${var.host}.example.com"\n  type   = "A"\n  value  = "192.0.2.300"\n}\n';
    assert.deepEqual(analyze({ 'main.tf': typed }).found, ['main.tf:4 dns/ipv4-invalid']);
  });
  it('reports a list where a string is expected', () => {
    assert.deepEqual(analyze({ 'main.tf': record('x', { record: '["a"]', type: 'A', value: '192.0.2.1' }) }).found, ['main.tf:2 tf/attribute-type']);
  });
  it('reports count together with for_each, and duplicate addresses across files', () => {
    const { found } = analyze({
      'a.tf': 'resource "dreamhost_dns_record" "x" {\n  count    = 2\n  for_each = {}\n  record   = "a.example.com"\n  type     = "A"\n  value    = "192.0.2.1"\n}\n',
      'b.tf': record('x', { record: 'b.example.com', type: 'A', value: '192.0.2.2' }),
    });
    assert.deepEqual(found.sort(), ['a.tf:3 tf/count-and-for-each', 'b.tf:1 tf/duplicate-resource']);
  });
});

describe('zone rules across the files of a module', () => {
  it('reports a CNAME conflict in both files', () => {
    const { found } = analyze({
      'a.tf': record('www', { record: 'www.example.com', type: 'CNAME', value: 'example.com' }),
      'b.tf': record('txt', { record: 'www.example.com', type: 'TXT', value: 'hello' }),
    });
    assert.deepEqual(found.sort(), ['a.tf:2 dns/cname-conflict', 'b.tf:2 dns/cname-conflict']);
  });
  it('reports duplicates, CNAME at the apex and MX targets that are aliases', () => {
    const { found } = analyze({
      'main.tf':
        record('apex', { record: 'example.com', type: 'CNAME', value: 'host.example.net' }) +
        record('mail', { record: 'mail.example.org', type: 'CNAME', value: 'mx.example.net' }) +
        record('mx', { record: 'example.org', type: 'MX', value: '10 mail.example.org' }) +
        record('a1', { record: 'x.example.org', type: 'A', value: '192.0.2.1' }) +
        record('a2', { record: 'x.example.org', type: 'A', value: '192.0.2.1' }),
    });
    assert.deepEqual(found, ['main.tf:2 dns/cname-at-apex', 'main.tf:12 dns/target-is-cname', 'main.tf:22 dns/duplicate-record']);
  });
  it('leaves out resources with count or for_each (their values repeat)', () => {
    const text = 'resource "dreamhost_dns_record" "x" {\n  count  = 2\n  record = "a.example.com"\n  type   = "A"\n  value  = "192.0.2.1"\n}\n';
    assert.deepEqual(analyze({ 'main.tf': text + record('y', { record: 'a.example.com', type: 'A', value: '192.0.2.1' }) }).found, []);
  });
});

describe('import blocks', () => {
  const www = record('www', { record: 'www.example.com', type: 'A', value: '192.0.2.10' });
  const importing = (to, id) => `import {\n  to = ${to}\n  id = ${JSON.stringify(id)}\n}\n`;
  it('accepts an ID that matches its target', () => {
    assert.deepEqual(analyze({ 'main.tf': www + importing('dreamhost_dns_record.www', 'A|www.example.com|192.0.2.10') }).found, []);
  });
  it('checks the TYPE|RECORD|VALUE format and the parts', () => {
    const { results } = analyze({ 'main.tf': www + importing('dreamhost_dns_record.www', 'www.example.com') });
    const [d] = results.get('main.tf');
    assert.equal(d.code, 'tf/import-id-invalid');
    assert.match(d.message, /TYPE\|RECORD\|VALUE/);
    assert.match(analyze({ 'main.tf': www + importing('dreamhost_dns_record.www', 'A|www.example.com|192.0.2') }).results.get('main.tf')[0].message, /in the import ID/);
  });
  it('offers the right ID when it does not match the target', () => {
    const { results } = analyze({ 'main.tf': www + importing('dreamhost_dns_record.www', 'A|www.example.com|192.0.2.1') });
    const [d] = results.get('main.tf');
    assert.equal(d.code, 'tf/import-id-mismatch');
    assert.equal(d.fixes[0].newText, '"A|www.example.com|192.0.2.10"');
  });
  it('reports a target that is not declared, with a suggestion', () => {
    const { results } = analyze({ 'main.tf': www + importing('dreamhost_dns_record.wwww', 'A|www.example.com|192.0.2.10') });
    assert.match(results.get('main.tf')[0].message, /did you mean 'dreamhost_dns_record.www'/);
  });
});

describe('data sources', () => {
  it('validates the filter block of dreamhost_dns_records', () => {
    const text = 'data "dreamhost_dns_records" "a" {\n  filter {\n    type = "SOA"\n  }\n  filter {\n    type = "A"\n  }\n}\ndata "dreamhost_dns_records" "b" {\n  filter = {}\n}\n';
    const { found, results } = analyze({ 'main.tf': text });
    assert.deepEqual(found, ['main.tf:3 dns/type-unsupported', 'main.tf:5 tf/too-many-blocks', 'main.tf:10 tf/unknown-attribute']);
    assert.match(results.get('main.tf')[2].message, /is a block/);
  });
  it('needs record and type on dreamhost_dns_record, value optional', () => {
    assert.deepEqual(analyze({ 'main.tf': 'data "dreamhost_dns_record" "a" {\n  record = "example.com"\n  type   = "A"\n}\n' }).found, []);
    assert.deepEqual(analyze({ 'main.tf': 'data "dreamhost_dns_record" "a" {\n  record = "example.com"\n}\n' }).found, ['main.tf:1 tf/missing-attribute']);
  });
});

describe('module structure, providers and versions', () => {
  it('reports unknown top-level blocks with a suggestion, and wrong labels', () => {
    const { found, results } = analyze({ 'main.tf': 'resouce "a" "b" {}\nresource "a" {}\nvariable "1x" {}\nx = 1\n' });
    assert.deepEqual(found, ['main.tf:1 tf/unknown-block', 'main.tf:2 tf/block-labels', 'main.tf:3 tf/block-labels', 'main.tf:4 tf/unexpected-attribute']);
    assert.match(results.get('main.tf')[0].message, /did you mean 'resource'/);
  });
  it('warns when the dreamhost provider is used but not declared', () => {
    const { found } = analyze({ 'main.tf': record('www', { record: 'www.example.com', type: 'A', value: '192.0.2.1' }) }, { withProviders: false });
    assert.deepEqual(found, ['main.tf:1 tf/provider-not-declared']);
  });
  it('warns about a literal API key without repeating it', () => {
    const { results } = analyze({ 'main.tf': 'provider "dreamhost" {\n  api_key = "SECRET1234567890"\n}\n' });
    const [d] = results.get('main.tf');
    assert.equal(d.code, 'tf/secret-in-config');
    assert.ok(!d.message.includes('SECRET1234567890'));
  });
  it('checks required_providers sources and version constraints', () => {
    const text =
      'terraform {\n  required_version = "v1.5"\n  required_providers {\n    a = { source = "dreamhost" }\n    b = { source = "adamantal/terraform-provider-dreamhost" }\n    c = "~> 1.0"\n    d = { source = "a/b", version = ">= 1.0,, < 2" }\n    e = { source = "registry.example.com/acme/thing", version = ">= 1.2.0, < 2.0.0" }\n  }\n}\n';
    const { found } = analyze({ 'main.tf': text }, { withProviders: false });
    assert.deepEqual(found, ['main.tf:2 tf/version-constraint-invalid', 'main.tf:5 tf/provider-source-invalid', 'main.tf:6 tf/provider-legacy-syntax', 'main.tf:7 tf/version-constraint-invalid']);
  });
  it('parses source addresses and constraints', () => {
    assert.deepEqual(parseProviderSource('adamantal/dreamhost').source, { hostname: 'registry.terraform.io', namespace: 'adamantal', type: 'dreamhost' });
    assert.deepEqual(parseProviderSource('mirror.local:8787/acme/dns').source, { hostname: 'mirror.local:8787', namespace: 'acme', type: 'dns' });
    assert.deepEqual(parseVersionConstraints('>= 1.2, < 2.0.0-beta.1, ~> 1').constraints, [
      { operator: '>=', version: '1.2' },
      { operator: '<', version: '2.0.0-beta.1' },
      { operator: '~>', version: '1' },
    ]);
    assert.equal(parseVersionConstraints('=> 1').findings[0].code, 'tf/version-constraint-invalid');
  });
});

describe('hclQuote', () => {
  it('escapes quotes, backslashes and template sequences', () => {
    assert.equal(hclQuote('a"b\\c ${x} %{y}'), '"a\\"b\\\\c $${x} %%{y}"');
    assert.deepEqual(parseHcl(`a = ${hclQuote('x ${y} %{z} "q"')}\n`).body.attributes[0].value, { known: true, value: 'x ${y} %{z} "q"' });
  });
});

describe('Lagoon Terraform provider', () => {
  it('knows the lagoon provider and its data source', () => {
    const text =
      'terraform {\n  required_providers {\n    lagoon = {\n      source = "dpc-sdp/lagoon"\n    }\n  }\n}\nprovider "lagoon" {\n  endpoint = "https://api.lagoon.example.com/graphql"\n  token    = "eyJhbGciOi.secret"\n}\ndata "lagoon_project_key" "shop" {\n  project = "shop"\n}\n';
    const { found } = analyze({ 'main.tf': text }, { withProviders: false });
    assert.deepEqual(found, ['main.tf:10 tf/secret-in-config', 'main.tf:13 tf/unknown-attribute']);
  });
  it('warns when lagoon_* is used without declaring the provider', () => {
    const { found, results } = analyze({ 'main.tf': 'data "lagoon_project_key" "k" {}\n' }, { withProviders: false });
    assert.deepEqual(found, ['main.tf:1 tf/provider-not-declared']);
    assert.match(results.get('main.tf')[0].message, /dpc-sdp\/lagoon/);
  });
});
