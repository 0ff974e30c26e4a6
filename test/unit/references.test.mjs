import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeModule, moduleReferences, parseHcl } from '../../core/dist/index.js';

const docs = (files) => Object.entries(files).map(([source, text]) => parseHcl(text, { source }));
const findings = (files, code, options) =>
  [...analyzeModule(docs(files), options)].flatMap(([source, list]) => list.filter((d) => d.code === code).map((d) => `${source}:${d.range.start.line + 1} ${d.message}`));

const MAIN = `variable "zone" {
  type = string
}
variable "unused_input" {}
locals {
  apex  = var.zone
  names = [for name in var.names : "\${name}.\${local.apex}"]
}
resource "aws_instance" "web" {
  count = 2
  tags  = { Name = "web-\${count.index}" }
  dynamic "network_interface" {
    for_each = var.interfaces
    content {
      device_index = network_interface.key
    }
  }
}
data "aws_ami" "base" {}
module "vpc" {
  source = "./vpc"
}
output "ids" {
  value      = aws_instance.web[*].id
  depends_on = [module.vpc, data.aws_ami.base]
}
`;

describe('references across a module', () => {
  it('reads declarations and the references every expression makes (templates, for, splats, depends_on)', () => {
    const index = moduleReferences(docs({ 'main.tf': MAIN, 'more.tf': 'variable "names" {}\nvariable "interfaces" {}\nlocals {\n  all = local.names\n}\n' }));
    const addresses = index.references.map((reference) => reference.address);
    for (const address of ['var.zone', 'var.names', 'local.apex', 'aws_instance.web', 'module.vpc', 'data.aws_ami.base', 'var.interfaces', 'local.names'])
      assert.ok(addresses.includes(address), address);
    // Iterators and Terraform's own objects are no references.
    assert.ok(!addresses.some((address) => /^(name|network_interface|count)\b/.test(address)));
    const web = index.references.find((reference) => reference.address === 'aws_instance.web');
    assert.deepEqual(web.nameRange, { start: { line: 23, character: 28 }, end: { line: 23, character: 31 } });
  });

  it('reports references to what the module does not declare, with the closest declared name as a fix', () => {
    const files = {
      'main.tf': `${MAIN}output "typo" {\n  value = [var.zones, local.apx, module.vcp, data.aws_ami.bse, aws_instance.wbe]\n}\n`,
      'more.tf': 'variable "names" {}\nvariable "interfaces" {}\n',
    };
    assert.deepEqual(findings(files, 'tf/undeclared-reference'), [
      'main.tf:28 var.zones refers to a variable this module does not declare; did you mean var.zone?',
      'main.tf:28 local.apx refers to a local value this module does not declare; did you mean local.apex?',
      'main.tf:28 module.vcp refers to a module this module does not declare; did you mean module.vpc?',
      'main.tf:28 data.aws_ami.bse refers to a data source this module does not declare; did you mean data.aws_ami.base?',
      'main.tf:28 aws_instance.wbe refers to a resource this module does not declare; did you mean aws_instance.web?',
    ]);
    const fix = [...analyzeModule(docs(files))].flatMap(([, list]) => list).find((d) => d.message.startsWith('var.zones')).fixes[0];
    assert.equal(fix.newText, 'var.zone');
  });

  it('leaves addresses that need not exist alone (moved, removed, import targets), and scoped data of check blocks counts as declared', () => {
    const files = {
      'main.tf': `resource "aws_instance" "web" {}
moved {
  from = aws_instance.old
  to   = aws_instance.web
}
removed {
  from = aws_instance.gone
}
check "health" {
  data "http" "site" {
    url = "https://example.com"
  }
  assert {
    condition     = data.http.site.status_code == 200
    error_message = "down"
  }
}
`,
    };
    assert.deepEqual(findings(files, 'tf/undeclared-reference'), []);
  });

  it('a dynamic block iterator named like a resource type is the iterator inside it, not a resource', () => {
    const files = {
      'main.tf': `resource "tag" "main" {}
resource "aws_instance" "web" {
  dynamic "tag" {
    for_each = var.tags
    content {
      key = tag.key
    }
  }
  dynamic "ebs" {
    for_each = var.disks
    iterator = tag
    content {
      size = tag.value
    }
  }
}
variable "tags" {}
variable "disks" {}
`,
    };
    assert.deepEqual(findings(files, 'tf/undeclared-reference'), []);
  });

  it('says nothing in a module it could not read whole (a .tf.json member, a syntax error)', () => {
    const files = { 'main.tf': 'output "x" {\n  value = var.declared_in_json\n}\n' };
    assert.equal(findings(files, 'tf/undeclared-reference').length, 1);
    assert.deepEqual(findings(files, 'tf/undeclared-reference', { incomplete: true }), []);
    assert.deepEqual(findings({ ...files, 'broken.tf': 'resource "x" {\n' }, 'tf/undeclared-reference'), []);
  });

  it('hints at variables and locals nothing uses, as unnecessary code', () => {
    const list = [...analyzeModule(docs({ 'main.tf': MAIN, 'more.tf': 'variable "names" {}\nvariable "interfaces" {}\n' }))]
      .flatMap(([, diagnostics]) => diagnostics)
      .filter((d) => d.code === 'tf/unused-declaration');
    assert.deepEqual(
      list.map((d) => d.message),
      ['var.unused_input is not used in this module', 'local.names is not used in this module'],
    );
    assert.equal(list[0].severity, 'hint');
    assert.equal(list[0].unnecessary, true);
  });

  it('reads the plain references of record blocks (zone_id = TYPE.NAME.attr) as any other: reported where written, resolved by the types declared', () => {
    const record = (label, zone) => `resource "aws_route53_record" "${label}" {\n  zone_id = ${zone}\n  name    = "${label}"\n  type    = "A"\n  ttl     = 300\n  records = ["192.0.2.1"]\n}\n`;
    const main = `resource "aws_route53_zone" "main" {\n  name = "example.com"\n}\n${record('a', 'aws_route53_zone.main.zone_id')}${record('b', 'aws_route53_zone.mian.zone_id')}${record('c', 'data.aws_route53_zone.shared.zone_id')}${record('d', 'var.zone_id')}`;
    const all = [...analyzeModule(docs({ 'main.tf': main }))].flatMap(([, list]) => list).filter((d) => d.code === 'tf/undeclared-reference');
    assert.deepEqual(
      all.map((d) => [d.message, d.range]),
      [
        ['aws_route53_zone.mian refers to a resource this module does not declare; did you mean aws_route53_zone.main?', { start: { line: 11, character: 12 }, end: { line: 11, character: 33 } }],
        ['data.aws_route53_zone.shared refers to a data source this module does not declare', { start: { line: 18, character: 12 }, end: { line: 18, character: 40 } }],
        ['var.zone_id refers to a variable this module does not declare; declare it with variable "zone_id" {}', { start: { line: 25, character: 12 }, end: { line: 25, character: 23 } }],
      ],
    );
    assert.equal(all[0].fixes[0].newText, 'aws_route53_zone.main');
    assert.deepEqual(all[0].fixes[0].range, { start: { line: 11, character: 12 }, end: { line: 11, character: 33 } });
    // A root that is no declared type names nothing: without the zone resource, its traversals are not references.
    const withoutZone = `${record('a', 'aws_route53_zone.main.zone_id')}variable "zone_id" {}\n${record('d', 'var.zone_id')}`;
    assert.deepEqual(findings({ 'main.tf': withoutZone }, 'tf/undeclared-reference'), []);
    assert.deepEqual(findings({ 'main.tf': withoutZone }, 'tf/unused-declaration'), []);
    // The editor's index of the same module gives the same references and ranges.
    const index = moduleReferences(docs({ 'main.tf': main }));
    const mian = index.references.find((reference) => reference.address === 'aws_route53_zone.mian');
    assert.deepEqual([mian.range, mian.nameRange], [all[0].range, { start: { line: 11, character: 29 }, end: { line: 11, character: 33 } }]);
  });
});
