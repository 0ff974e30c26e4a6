// DNS records of Cloudflare, Route 53, Cloud DNS, Azure DNS and DigitalOcean
// in Terraform: each provider's semantics (from its provider source and API
// docs, see docs/reference/terraform-*.md), the DNS core's value checks and
// the zone rules across providers.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { analyzeModule, checkPaths, complete, hover, parseHcl, validateRecordValue } from '../../core/dist/index.js';

const fixtures = new URL('../fixtures/dns-providers/mixed/', import.meta.url);
const REQUIRED = `terraform {
  required_providers {
    cloudflare   = { source = "cloudflare/cloudflare" }
    digitalocean = { source = "digitalocean/digitalocean" }
    dreamhost    = { source = "adamantal/dreamhost" }
  }
}
`;

function analyze(text) {
  const document = parseHcl(REQUIRED + text, { source: 'main.tf' });
  assert.deepEqual(document.diagnostics, [], 'the test module parses');
  return { document, diagnostics: analyzeModule([document]).get('main.tf') };
}
const codes = (text) => analyze(text).diagnostics.map((d) => d.code);

/** Applies one text edit (LSP range) to a text. */
function applyEdit(text, { range, newText }) {
  const lines = text.split('\n');
  const offset = (p) => lines.slice(0, p.line).reduce((sum, line) => sum + line.length + 1, 0) + p.character;
  return text.slice(0, offset(range.start)) + newText + text.slice(offset(range.end));
}

/** The text after the quick fix of the first finding with `code`. */
function fixed(text, code) {
  const { document, diagnostics } = analyze(text);
  const diagnostic = diagnostics.find((d) => d.code === code);
  assert.ok(diagnostic?.fixes?.length, `${code} has a fix`);
  return applyEdit(document.text, diagnostic.fixes[0]);
}

const route53 = (body) => `resource "aws_route53_zone" "z" {\n  name = "example.org"\n}\nresource "aws_route53_record" "r" {\n  zone_id = aws_route53_zone.z.zone_id\n${body}\n}\n`;
const google = (body) => `resource "google_dns_record_set" "r" {\n  managed_zone = "zone"\n  ttl          = 300\n${body}\n}\n`;
const cloudflare = (body) => `resource "cloudflare_zone" "z" {\n  name = "example.com"\n}\nresource "cloudflare_dns_record" "r" {\n  zone_id = cloudflare_zone.z.id\n${body}\n}\n`;
const digitalocean = (body) => `resource "digitalocean_record" "r" {\n  domain = "example.dev"\n${body}\n}\n`;
const azure = (type, body) => `resource "azurerm_dns_${type}_record" "r" {\n  zone_name           = "example.io"\n  resource_group_name = "rg"\n  ttl                 = 300\n${body}\n}\n`;

describe('DNS records of the major providers', () => {
  it('a module of typical records of every provider has no finding but the flattened apex CNAME', () => {
    const documents = readdirSync(fixtures)
      .filter((name) => name.endsWith('.tf'))
      .map((name) => parseHcl(readFileSync(new URL(name, fixtures), 'utf8'), { source: name }));
    const findings = [...analyzeModule(documents).values()].flat();
    assert.deepEqual(
      findings.map((d) => d.code),
      ['dns/cname-flattened'],
    );
  });

  it('Cloudflare: values, proxied only on A/AAAA/CNAME, TTL 1 or 60–86400, MX priority', () => {
    assert.deepEqual(codes(cloudflare('  name    = "www"\n  type    = "A"\n  content = "192.0.2.300"\n  ttl     = 1')), ['dns/ipv4-invalid']);
    assert.deepEqual(codes(cloudflare('  name    = "@"\n  type    = "TXT"\n  content = "v=spf1 -all"\n  ttl     = 1\n  proxied = true')), ['dns/proxied-type']);
    assert.deepEqual(codes(cloudflare('  name    = "www"\n  type    = "A"\n  content = "192.0.2.1"\n  ttl     = 5')), ['dns/ttl-range']);
    assert.deepEqual(codes(cloudflare('  name    = "@"\n  type    = "MX"\n  content = "mail.example.com"\n  ttl     = 1')), ['dns/record-arguments']);
    assert.deepEqual(codes(cloudflare('  name    = "www"\n  type    = "cname"\n  content = "example.net"\n  ttl     = 1')), [], 'the type is case-insensitive in v5');
    assert.deepEqual(codes(cloudflare('  name = "@"\n  type = "CAA"\n  ttl  = 1\n  data = {\n    flags = 0\n    tag   = "issue"\n    value = "letsencrypt org"\n  }')), ['dns/caa-format']);
  });

  it('Cloudflare flattens an apex CNAME and says so; elsewhere a CNAME is still alone at its name', () => {
    const apex = cloudflare('  name    = "@"\n  type    = "CNAME"\n  content = "site.pages.dev"\n  ttl     = 1');
    const mx =
      'resource "cloudflare_dns_record" "mx" {\n  zone_id  = cloudflare_zone.z.id\n  name     = "example.com"\n  type     = "MX"\n  content  = "mail.example.com"\n  priority = 10\n  ttl      = 1\n}\n';
    assert.deepEqual(codes(apex + mx), ['dns/cname-flattened']);
    const www = 'resource "cloudflare_dns_record" "a" {\n  zone_id = cloudflare_zone.z.id\n  name    = "www.example.com"\n  type    = "A"\n  content = "192.0.2.1"\n  ttl     = 1\n}\n';
    assert.deepEqual(codes(cloudflare('  name    = "www"\n  type    = "CNAME"\n  content = "example.net"\n  ttl     = 1') + www).sort(), ['dns/cname-conflict', 'dns/cname-conflict']);
  });

  it('Route 53: records or alias, ttl with records, one CNAME value, set_identifier with a routing policy, 255-byte TXT strings', () => {
    assert.deepEqual(codes(route53('  name    = "www"\n  type    = "A"\n  records = ["192.0.2.1"]')), ['dns/record-arguments']);
    assert.deepEqual(codes(route53('  name = "www"\n  type = "A"\n  ttl  = 300')), ['dns/record-arguments']);
    assert.deepEqual(codes(route53('  name    = "www"\n  type    = "CNAME"\n  ttl     = 300\n  records = ["a.example.net", "b.example.net"]')).sort(), [
      'dns/cname-conflict',
      'dns/cname-multiple-values',
    ]);
    assert.deepEqual(codes(route53('  name    = "api"\n  type    = "A"\n  ttl     = 60\n  records = ["192.0.2.1"]\n  weighted_routing_policy {\n    weight = 1\n  }')), ['dns/record-arguments']);
    assert.deepEqual(codes(route53('  name    = "example.org"\n  type    = "MX"\n  ttl     = 300\n  records = ["mail.example.org"]')), ['dns/mx-format']);
    assert.deepEqual(codes(route53(`  name    = "s._domainkey"\n  type    = "TXT"\n  ttl     = 300\n  records = ["${'k'.repeat(300)}"]`)), ['dns/txt-too-long']);
    assert.deepEqual(codes(route53(`  name    = "s._domainkey"\n  type    = "TXT"\n  ttl     = 300\n  records = ["${'k'.repeat(200)}\\"\\"${'k'.repeat(200)}"]`)), []);
    assert.deepEqual(codes(route53('  name    = "www"\n  type    = "a"\n  ttl     = 300\n  records = ["192.0.2.1"]')), ['dns/type-not-uppercase']);
  });

  it('conflicts need both sides surely there: a dynamic block may make none, an expression may be null (terraform-aws-modules/route53 records)', () => {
    const dynamicAlias = `  name = "www"\n  type = "A"\n  dynamic "alias" {\n    for_each = var.alias == null ? [] : [var.alias]\n    content {\n      name                   = alias.value.name\n      zone_id                = alias.value.zone_id\n      evaluate_target_health = true\n    }\n  }\n  records = var.records\n  ttl     = var.ttl`;
    assert.deepEqual(codes('variable "alias" {}\nvariable "records" {}\nvariable "ttl" {}\n' + route53(dynamicAlias)), []);
    assert.deepEqual(codes('variable "multivalue" {}\n' + route53('  name = "www"\n  type = "A"\n  ttl = 60\n  records = ["192.0.2.1"]\n  multivalue_answer_routing_policy = var.multivalue')), []);
    // Written out, they still conflict.
    const both =
      '  name = "www"\n  type = "A"\n  ttl = 60\n  records = ["192.0.2.1"]\n  alias {\n    name                   = "d1.cloudfront.net"\n    zone_id                = "Z2FDTNDATAQYW2"\n    evaluate_target_health = false\n  }';
    assert.deepEqual(codes(route53(both)).sort(), ['dns/record-arguments', 'dns/record-arguments']);
    assert.deepEqual(codes(route53('  name = "www"\n  type = "A"\n  ttl = 60\n  records = ["192.0.2.1"]\n  multivalue_answer_routing_policy = true')), ['dns/record-arguments']);
    const gcp =
      'variable "rrdatas" {}\nresource "google_dns_record_set" "a" {\n  managed_zone = "prod"\n  name         = "www.example.com."\n  type         = "A"\n  ttl          = 300\n  rrdatas      = var.rrdatas\n  dynamic "routing_policy" {\n    for_each = var.rrdatas == null ? [1] : []\n    content {\n      dynamic "wrr" {\n        for_each = [0.8, 0.2]\n        content {\n          weight  = wrr.value\n          rrdatas = ["10.128.1.1"]\n        }\n      }\n    }\n  }\n}\n';
    assert.deepEqual(codes(gcp), []);
  });

  it('Route 53: record sets with set identifiers are neither duplicates nor conflicting CNAMEs', () => {
    const weighted = (name, id) =>
      `resource "aws_route53_record" "${name}" {\n  zone_id        = aws_route53_zone.z.zone_id\n  name           = "api"\n  type           = "CNAME"\n  ttl            = 60\n  records        = ["a.example.net"]\n  set_identifier = "${id}"\n  weighted_routing_policy {\n    weight = 1\n  }\n}\n`;
    const zone = 'resource "aws_route53_zone" "z" {\n  name = "example.org"\n}\n';
    assert.deepEqual(codes(zone + weighted('a', 'one') + weighted('b', 'two')), []);
    assert.deepEqual(codes(zone + weighted('a', 'one') + weighted('b', 'one')), ['dns/duplicate-record']);
  });

  it('Cloud DNS: names and targets with the trailing dot, quoted TXT with spaces, one CNAME target', () => {
    assert.deepEqual(codes(google('  name    = "www.example.net"\n  type    = "A"\n  rrdatas = ["192.0.2.1"]')), ['dns/name-needs-trailing-dot']);
    assert.deepEqual(codes(google('  name    = "www.example.net."\n  type    = "CNAME"\n  rrdatas = ["ghs.googlehosted.com"]')), ['dns/target-needs-trailing-dot']);
    assert.deepEqual(codes(google('  name    = "example.net."\n  type    = "MX"\n  rrdatas = ["1 aspmx.l.google.com"]')), ['dns/target-needs-trailing-dot']);
    assert.deepEqual(codes(google('  name    = "example.net."\n  type    = "TXT"\n  rrdatas = ["v=spf1 include:_spf.google.com ~all"]')), ['dns/txt-split-at-spaces']);
    assert.deepEqual(codes(google('  name    = "example.net."\n  type    = "TXT"\n  rrdatas = ["\\"v=spf1 include:_spf.google.com ~all\\""]')), []);
    assert.deepEqual(codes(google('  name    = "www.example.net."\n  type    = "A"')), ['dns/record-arguments']);
  });

  it('Azure DNS: relative names, values per type, CAA tags, target_resource_id or values', () => {
    assert.deepEqual(codes(azure('a', '  name    = "www"\n  records = ["192.0.2.300"]')), ['dns/ipv4-invalid']);
    assert.deepEqual(codes(azure('a', '  name    = "www.example.io"\n  records = ["192.0.2.1"]')), ['dns/name-repeats-zone']);
    assert.deepEqual(codes(azure('a', '  name = "www"')), ['dns/record-arguments']);
    assert.deepEqual(codes(azure('mx', '  record {\n    preference = 10\n    exchange   = "192.0.2.1"\n  }')), ['dns/target-is-ip']);
    assert.deepEqual(codes(azure('caa', '  name = "@"\n  record {\n    flags = 0\n    tag   = "issuemail"\n    value = "ca.example"\n  }')), ['dns/caa-format']);
    assert.deepEqual(codes(azure('cname', '  name   = "@"\n  record = "app.azurewebsites.net"')), ['dns/cname-at-apex']);
  });

  it('DigitalOcean: priority, weight and port apart from the value, targets with the trailing dot', () => {
    assert.deepEqual(codes(digitalocean('  type  = "MX"\n  name  = "@"\n  value = "mail.example.dev."')), ['dns/record-arguments']);
    assert.deepEqual(codes(digitalocean('  type     = "MX"\n  name     = "@"\n  priority = 10\n  value    = "mail.example.dev"')), ['dns/target-needs-trailing-dot']);
    assert.deepEqual(codes(digitalocean('  type   = "CAA"\n  name   = "@"\n  flags  = 0\n  tag    = "issue"\n  value  = "letsencrypt.org"')), ['dns/target-needs-trailing-dot']);
    assert.deepEqual(codes(digitalocean('  type  = "A"\n  name  = "www"\n  value = "2001:db8::1"')), ['dns/ipv4-invalid']);
    assert.deepEqual(codes(digitalocean('  type  = "HTTPS"\n  name  = "www"\n  value = "1 . alpn=h2"')), ['dns/type-unsupported']);
  });

  it('zone rules span providers: a DreamHost CNAME and a DigitalOcean record at one name conflict', () => {
    const dreamhost = 'resource "dreamhost_dns_record" "www" {\n  record = "www.example.dev"\n  type   = "CNAME"\n  value  = "example.net"\n}\n';
    assert.deepEqual(codes(dreamhost + digitalocean('  type  = "A"\n  name  = "www"\n  value = "192.0.2.1"')), ['dns/cname-conflict', 'dns/cname-conflict']);
  });

  it('quick fixes: the trailing dot, TXT split into 255-byte strings, TXT quoted', () => {
    assert.match(fixed(google('  name    = "www.example.net"\n  type    = "A"\n  rrdatas = ["192.0.2.1"]'), 'dns/name-needs-trailing-dot'), /name {4}= "www\.example\.net\."/);
    assert.match(
      fixed(google('  name    = "example.net."\n  type    = "MX"\n  rrdatas = ["1 aspmx.l.google.com", "5 alt1.aspmx.l.google.com."]'), 'dns/target-needs-trailing-dot'),
      /\["1 aspmx\.l\.google\.com\.", "5 alt1/,
    );
    const split = fixed(route53(`  name    = "s._domainkey"\n  type    = "TXT"\n  ttl     = 300\n  records = ["${'k'.repeat(300)}"]`), 'dns/txt-too-long');
    assert.ok(split.includes(`["${'k'.repeat(255)}\\"\\"${'k'.repeat(45)}"]`), split);
    assert.deepEqual(codes(split.slice(REQUIRED.length)), []);
    const quoted = fixed(google('  name    = "example.net."\n  type    = "TXT"\n  rrdatas = ["v=spf1 -all"]'), 'dns/txt-split-at-spaces');
    assert.ok(quoted.includes('rrdatas = ["\\"v=spf1 -all\\""]'), quoted);
  });

  it('hover explains the value under the cursor, item by item', () => {
    const text =
      'resource "aws_route53_record" "mx" {\n  zone_id = "Z1"\n  name    = "example.org"\n  type    = "MX"\n  ttl     = 300\n  records = ["10 mail.example.org", "20 backup.example.org"]\n}\n';
    const document = parseHcl(text, { source: 'main.tf' });
    const line = 5;
    const character = document.text.split('\n')[line].indexOf('20 backup') + 3;
    const result = hover(document, { line, character });
    assert.match(result.contents.value, /MX: priority 20 → backup\.example\.org/);
    const doText = 'resource "digitalocean_record" "mx" {\n  domain   = "example.dev"\n  type     = "MX"\n  name     = "@"\n  priority = 10\n  value    = "mail.example.dev."\n}\n';
    const doc = parseHcl(doText, { source: 'main.tf' });
    assert.match(hover(doc, { line: 5, character: 16 }).contents.value, /MX: priority 10 → mail\.example\.dev\./);
  });

  it('completion offers the whole record and a value in the form of the provider', () => {
    const text = 'resource "google_dns_record_set" "x" {\n  \n}\n';
    const document = parseHcl(text, { source: 'main.tf' });
    const whole = complete(document, { line: 1, character: 2 }).find((item) => item.label === 'managed_zone, name, type, rrdatas');
    assert.ok(whole, 'the whole-record snippet');
    assert.match(whole.textEdit.newText, /rrdatas {6}= \["\$\{4:192\.0\.2\.10\}"\]/);
    const cname = 'resource "google_dns_record_set" "x" {\n  type    = "CNAME"\n  rrdatas = ["\n}\n';
    const items = complete(parseHcl(cname, { source: 'main.tf' }), { line: 2, character: 14 });
    assert.ok(
      items.some((item) => item.textEdit.newText.includes('target.example.com.')),
      JSON.stringify(items.map((item) => item.label)),
    );
  });
});

describe('DNS records in Pulumi programs', () => {
  // Python and TypeScript: test/fixtures/programs/{python,typescript}-dns, run by programs.test.mjs with their `expect:` markers.
  it('a YAML program: the same provider readers as Terraform, over the properties as the bridge names them; records placed in the zone they refer to', async () => {
    const folder = new URL('../fixtures/programs/yaml-dns/', import.meta.url).pathname;
    const result = await checkPaths([folder], { cwd: folder });
    assert.deepEqual(result.errors, []);
    const found = result.files.flatMap((file) => file.diagnostics.map((d) => `${d.range.start.line + 1} ${d.code}`));
    assert.deepEqual(found, ['29 dns/target-needs-trailing-dot', '38 dns/proxied-type', '45 dns/ipv4-invalid', '59 dns/target-is-cname']);
  });
});

describe('record types beyond DreamHost', () => {
  const cases = [
    ['DS', '2371 13 2 1F987CC6583E92DF0890718C42AF7D8EF0B9B6E7C1C8C8F4E8C0A2F1A5E2E3D4', []],
    ['DS', '2371 13 2 1F98', ['dns/ds-format']],
    ['DS', '2371 13 x 1F98', ['dns/ds-format']],
    ['SSHFP', '4 2 9D5B7C9A1E3F5A7C9E1B3D5F7A9C1E3B5D7F9A1C3E5B7D9F1A3C5E7B9D1F3A5C', []],
    ['SSHFP', '4 2 zz', ['dns/sshfp-format']],
    ['TLSA', '3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6', []],
    ['TLSA', '3 1 1 0C72', ['dns/tlsa-format']],
    ['HTTPS', '1 . alpn=h2,h3 ipv4hint=192.0.2.1', []],
    ['HTTPS', '0 example.net. alpn=h2', ['dns/svcb-format']],
    ['SVCB', '1 svc.example.net. colour=blue', ['dns/svcb-format']],
    ['URI', '10 1 "https://example.com/"', []],
    ['URI', '10 1 "example.com"', ['dns/uri-format']],
    ['SPF', 'v=spf1 -all', []],
  ];
  for (const [type, value, expected] of cases) {
    it(`${type} '${value.length > 30 ? `${value.slice(0, 30)}…` : value}' → ${expected.join(', ') || 'valid'}`, () => {
      assert.deepEqual(
        validateRecordValue(type, value).map((f) => f.code),
        expected,
      );
    });
  }
});
