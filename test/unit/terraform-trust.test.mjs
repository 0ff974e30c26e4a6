// Terraform read as Terraform reads it: every case here was checked against
// Go HCL (terraform fmt) or the terraform CLI (providers, plan -var-file).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  analyzeModule,
  analyzeVariablesFile,
  analyzeVariablesJson,
  declaredVariables,
  DREAMHOST_RECORD_TYPES,
  isIgnoredByTerraform,
  isOverrideFile,
  kindOf,
  parseHcl,
  RECORD_TYPE_NAMES,
  RECORD_TYPES,
  snippetToPlainText,
  validateRecordValue,
} from '../../core/dist/index.js';

const errors = (text) => parseHcl(text).diagnostics.filter((d) => d.severity === 'error');
const lines = (text) => errors(text).map((d) => d.range.start.line + 1);

describe('HCL syntax as Go HCL has it', () => {
  const valid = {
    'argument expansion': 'a = concat(local.lists...)\nb = f(1, [2, 3]...)\nc = max(\n  var.numbers...\n)\n',
    'grouping for expression': 'a = { for k, v in var.m : v => k... }\nb = { for k, v in var.m : v.group => k... if v.enabled }\n',
    'unicode identifiers': 'locals {\n  résumé = 1\n  名前    = 2\n  δ-x    = 3\n}\n',
    'single-line block': 'a { b = 1 }\nc {}\n',
    'closed directives': 'a = "%{ if x }y%{ else }z%{ endif }"\nb = <<EOT\n%{ for i in l ~}\n${i}\n%{ endfor ~}\nEOT\n',
    'escaped template markers': 'a = "$${x} %%{ if }"\n',
    'deep nesting': `a = ${'['.repeat(200)}${']'.repeat(200)}\n`,
    'provider function': 'a = provider::aws::arn_parse(var.arn)\n',
    'tabs between tokens': 'a\t=\t1\n',
  };
  for (const [name, text] of Object.entries(valid)) {
    it(`valid: ${name}`, () => assert.deepEqual(errors(text), []));
  }
  const broken = {
    'attribute redefined': ['x = 1\nx = 2\n', [2]],
    'attribute redefined in a block': ['resource "a" "b" {\n  v = 1\n  v = 2\n}\n', [3]],
    'curly quotes': ['a = “foo”\n', [1]],
    'no-break space': ['a =\u00a01\n', [1]],
    'closing brace after an argument': ['b {\n  x = 1 }\n', [2]],
    'closing brace after a block': ['a {\n  b {\n  }}\n', [3]],
    'if without endif': ['a = "%{ if x }y"\n', [1]],
    'endif without if': ['a = "y%{ endif }"\n', [1]],
    'for without endfor in a heredoc': ['a = <<EOT\n%{ for x in y }\n${x}\nEOT\n', [2]],
    'endfor closing an if': ['a = "%{ if x }y%{ endfor }"\n', [1]],
    'expansion not last': ['a = f(x..., y)\n', [1]],
  };
  for (const [name, [text, expected]] of Object.entries(broken)) {
    it(`error: ${name}`, () => assert.deepEqual(lines(text).slice(0, expected.length), expected));
  }
  it('names the character it cannot read', () => {
    assert.match(errors('a = “foo”\n')[0].message, /curly quote/);
    assert.match(errors('a =\u00a01\n')[0].message, /no-break space/);
  });
  it('deeper nesting than it analyses is a note, not an error, and the rest is read', () => {
    const document = parseHcl(`a = ${'['.repeat(5000)}${']'.repeat(5000)}\nb = 1\n`);
    assert.deepEqual(
      document.diagnostics.map((d) => [d.code, d.severity]),
      [['hcl/nesting-too-deep', 'information']],
    );
    assert.deepEqual(document.body.attributes[1].value, { known: true, value: 1 });
  });
});

describe('file kinds', () => {
  it('by name first, then languageId for names without an extension', () => {
    assert.equal(kindOf('/m/main.tf'), 'terraform');
    assert.equal(kindOf('/m/main.tf.json'), 'terraform-json');
    assert.equal(kindOf('/m/list.tfquery.hcl'), 'terraform-query');
    assert.equal(kindOf('/m/terraform.tfvars'), 'terraform-vars');
    assert.equal(kindOf('/m/prod.auto.tfvars.json'), 'terraform-vars-json');
    assert.equal(kindOf('/p/Pulumi.yaml'), 'pulumi-yaml');
    assert.equal(kindOf('/p/.lagoon.yml'), 'lagoon-yml');
    assert.equal(kindOf('/p/docker-compose.yml', 'yaml'), undefined);
    assert.equal(kindOf('/p/docker-compose.yml', 'terraform'), undefined);
    assert.equal(kindOf('/.github/workflows/ci.yml'), undefined);
    assert.equal(kindOf('untitled:Untitled-1', 'terraform'), 'terraform');
    assert.equal(kindOf('untitled:Untitled-2', 'yaml'), undefined);
  });
  it('files Terraform ignores, and override files', () => {
    for (const name of ['.hidden.tf', 'main.tf~', '#main.tf#']) assert.ok(isIgnoredByTerraform(name), name);
    assert.equal(kindOf('/m/.hidden.tf'), undefined);
    assert.ok(isOverrideFile('/m/override.tf') && isOverrideFile('/m/dns_override.tf') && isOverrideFile('/m/override.tf.json'));
    assert.ok(!isOverrideFile('/m/overrides.tf') && !isOverrideFile('/m/my-override.tf'));
  });
});

const module = (files, options) => {
  const results = analyzeModule(
    Object.entries(files).map(([source, text]) => parseHcl(text, { source })),
    options,
  );
  return [...results].flatMap(([file, diagnostics]) => diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => `${file}:${d.range.start.line + 1} ${d.code}`));
};
const DH = 'terraform {\n  required_providers {\n    dreamhost = { source = "adamantal/dreamhost" }\n  }\n}\n';
const record = (name, type, value, record = 'www.example.com') => `resource "dreamhost_dns_record" "${name}" {\n  record = "${record}"\n  type   = "${type}"\n  value  = "${value}"\n}\n`;

describe('modules as Terraform loads them', () => {
  it('override files merge into the resource they override instead of duplicating it', () => {
    assert.deepEqual(module({ 'versions.tf': DH, 'main.tf': record('www', 'A', '192.0.2.1'), 'main_override.tf': 'resource "dreamhost_dns_record" "www" {\n  value = "192.0.2.2"\n}\n' }), []);
  });
  it('an override value is validated where it is written', () => {
    assert.deepEqual(module({ 'versions.tf': DH, 'main.tf': record('www', 'A', '192.0.2.1'), 'override.tf': 'resource "dreamhost_dns_record" "www" {\n  value = "999.0.2.2"\n}\n' }), [
      'override.tf:2 dns/ipv4-invalid',
    ]);
  });
  it('an override without its base resource is an error', () => {
    assert.deepEqual(module({ 'versions.tf': DH, 'override.tf': record('gone', 'A', '192.0.2.1') }), ['override.tf:1 tf/override-without-base']);
  });
  it('required_providers without source, or with a bare name, is what Terraform accepts', () => {
    const text = 'terraform {\n  required_providers {\n    aws = {}\n    google = { source = "google" }\n    random = "~> 3.0"\n  }\n}\nresource "aws_instance" "x" {}\n';
    assert.deepEqual(module({ 'main.tf': text }), []);
  });
  it('never suggests the DreamHost namespace for other providers', () => {
    const results = analyzeModule([parseHcl('terraform {\n  required_providers {\n    aws = { source = "aws" }\n  }\n}\n', { source: 'main.tf' })]);
    assert.ok(![...results.values()].flat().some((d) => /adamantal/.test(d.message)));
  });
  it('a DreamHost entry without source resolves to hashicorp/dreamhost, which does not exist', () => {
    assert.deepEqual(module({ 'main.tf': 'terraform {\n  required_providers {\n    dreamhost = {}\n  }\n}\n' + record('www', 'A', '192.0.2.1') }), ['main.tf:6 tf/provider-not-declared']);
  });
  it('provider "dreamhost" {} with the key in DREAMHOST_API_KEY is correct', () => {
    assert.deepEqual(module({ 'versions.tf': DH, 'main.tf': 'provider "dreamhost" {}\n' }), []);
  });
  it('a record type in lower case still has its value validated', () => {
    assert.deepEqual(module({ 'versions.tf': DH, 'main.tf': record('www', 'a', '999.1.1.1') }).sort(), ['main.tf:3 dns/type-not-uppercase', 'main.tf:4 dns/ipv4-invalid']);
  });
  it('a module with .tf.json files does not call things undeclared', () => {
    const files = { 'versions.tf': DH, 'imports.tf': 'import {\n  to = dreamhost_dns_record.www\n  id = "A|www.example.com|192.0.2.1"\n}\n' };
    assert.deepEqual(module(files), ['imports.tf:2 tf/import-target-undeclared']);
    assert.deepEqual(module(files, { incomplete: true }), []);
  });
  it('import targets not declared are a warning (plan -generate-config-out creates them)', () => {
    assert.deepEqual(module({ 'main.tf': 'import {\n  to = aws_instance.web\n  id = "i-123"\n}\n' }), ['main.tf:2 tf/import-target-undeclared']);
  });
  it('a type the provider named for it does not have is an error (dpc-sdp/lagoon has no lagoon_project)', () => {
    const lagoon = 'terraform {\n  required_providers {\n    lagoon = { source = "dpc-sdp/lagoon" }\n  }\n}\n';
    assert.deepEqual(module({ 'versions.tf': lagoon, 'main.tf': 'resource "lagoon_project" "shop" {\n  name = "shop"\n}\n' }), ['main.tf:1 tf/unknown-resource-type']);
    assert.deepEqual(module({ 'versions.tf': lagoon, 'main.tf': 'data "lagoon_project_key" "shop" {}\n' }), []);
    // Another provider with the same prefix is not ours to judge.
    const other = 'terraform {\n  required_providers {\n    lagoon = { source = "example/lagoon" }\n  }\n}\n';
    assert.deepEqual(module({ 'versions.tf': other, 'main.tf': 'resource "lagoon_project" "shop" {\n  name = "shop"\n}\n' }), []);
  });
  it('a provider whose settings Shoreline does not all know keeps its other arguments and blocks (aws assume_role, default_tags)', () => {
    const text =
      'provider "aws" {\n  region = "eu-west-1"\n  assume_role {\n    role_arn = "arn:aws:iam::123456789012:role/x"\n  }\n  default_tags {\n    tags = { Team = "dns" }\n  }\n  skip_credentials_validation = true\n}\n';
    assert.deepEqual(analyzeModule([parseHcl(text, { source: 'main.tf' })]).get('main.tf'), []);
  });

  it('dynamic blocks nest in the content of dynamic blocks and in any nested block with blocks of its own', () => {
    const text = `variable "policy" {}\nresource "aws_route53_record" "r" {\n  zone_id = "Z123"\n  name    = "www"\n  type    = "A"\n  ttl     = 60\n  records = ["192.0.2.1"]\n  set_identifier = "a"\n  dynamic "geoproximity_routing_policy" {\n    for_each = [var.policy]\n    content {\n      aws_region = geoproximity_routing_policy.value.region\n      dynamic "coordinates" {\n        for_each = geoproximity_routing_policy.value.coordinates\n        content {\n          latitude  = coordinates.value.latitude\n          longitude = coordinates.value.longitude\n        }\n      }\n    }\n  }\n}\n`;
    assert.deepEqual(analyzeModule([parseHcl(text, { source: 'main.tf' })]).get('main.tf'), []);
    // A dynamic block still generates only blocks the body has.
    const wrong = text.replace('dynamic "coordinates"', 'dynamic "coordinate"');
    assert.deepEqual(
      analyzeModule([parseHcl(wrong, { source: 'main.tf' })])
        .get('main.tf')
        .map((d) => d.code),
      ['tf/unknown-block'],
    );
  });

  it('block names may be Unicode identifiers', () => {
    assert.deepEqual(module({ 'main.tf': 'variable "größe" {}\nlocals {\n  ä = var.größe\n}\n' }), []);
  });
});

describe('variables files', () => {
  const declarations = declaredVariables([
    parseHcl(
      'variable "region" { type = string }\nvariable "count_n" { type = number }\nvariable "on" { type = bool }\nvariable "tags" { type = map(string) }\nvariable "zones" { type = list(string) }\nvariable "free" {}\n',
      { source: 'variables.tf' },
    ),
  ]);
  const check = (text, declared = declarations) => analyzeVariablesFile(parseHcl(text, { source: 'terraform.tfvars' }), declared).map((d) => `${d.range.start.line + 1} ${d.code} ${d.severity}`);
  it('a valid file gets nothing (values convert as Terraform converts them)', () => {
    assert.deepEqual(
      check('region  = "eu-west-1"\ncount_n = "5"\non      = "1"\ntags    = { a = "b" }\nzones   = ["a", "b"]\nfree    = { any = [1] }\nregion2 = null\n'.replace('region2 = null\n', '')),
      [],
    );
    assert.deepEqual(check('region = 5\ncount_n = 1e3\non = "false"\n'), []);
  });
  it('an undeclared name is a warning with a suggestion', () => {
    const [only] = analyzeVariablesFile(parseHcl('regoin = "eu"\n', { source: 'x.tfvars' }), declarations);
    assert.equal(only.code, 'tfvars/undeclared-variable');
    assert.equal(only.severity, 'warning');
    assert.match(only.message, /region/);
  });
  it('a literal that contradicts the declared type is an error', () => {
    assert.deepEqual(check('count_n = "five"\non = "yes"\nregion = ["a"]\nzones = "a"\ntags = []\n'), [
      '1 tfvars/type-mismatch error',
      '2 tfvars/type-mismatch error',
      '3 tfvars/type-mismatch error',
      '4 tfvars/type-mismatch error',
      '5 tfvars/type-mismatch error',
    ]);
  });
  it('references, function calls and blocks are not allowed; values set twice are an error', () => {
    assert.deepEqual(check('region = var.other\ncount_n = max(1, 2)\nblock {}\non = true\non = false\n'), [
      '1 tfvars/not-constant error',
      '2 tfvars/not-constant error',
      '3 tfvars/block-not-allowed error',
      '5 hcl/attribute-redefined error',
    ]);
  });
  it('without the module declarations only the shape is checked', () => {
    assert.deepEqual(analyzeVariablesFile(parseHcl('anything = 1\n', { source: 'x.tfvars' })), []);
  });
  it('.tfvars.json: one object of assignments, with positions', () => {
    assert.deepEqual(analyzeVariablesJson('{\n  "region": "eu",\n  "count_n": "5"\n}\n', declarations), []);
    assert.deepEqual(
      analyzeVariablesJson('{\n  "regoin": "eu",\n  "count_n": true\n}\n', declarations).map((d) => `${d.range.start.line + 1} ${d.code}`),
      ['2 tfvars/undeclared-variable', '3 tfvars/type-mismatch'],
    );
    const broken = analyzeVariablesJson('{ "region": ', declarations);
    assert.ok(broken.length > 0 && broken.every((d) => d.code === 'tfvars/json-syntax'));
    assert.deepEqual(
      analyzeVariablesJson('[1]', declarations).map((d) => d.code),
      ['tfvars/json-syntax'],
    );
  });
});

describe('one table of record types', () => {
  it('every record type has its description and a validator that judges its example as valid', () => {
    for (const type of RECORD_TYPE_NAMES) {
      assert.equal(RECORD_TYPES[type].type, type);
      const name = type === 'SRV' ? '_sip._tcp.example.com' : type === 'PTR' ? '10.2.0.192.in-addr.arpa' : 'host.example.com';
      assert.deepEqual(
        validateRecordValue(type, RECORD_TYPES[type].example, name).filter((f) => f.severity !== 'hint'),
        [],
        type,
      );
    }
    assert.ok(DREAMHOST_RECORD_TYPES.every((type) => RECORD_TYPE_NAMES.includes(type)));
  });
  it('a type Shoreline cannot validate says so instead of passing silently', () => {
    assert.deepEqual(
      validateRecordValue('LOC', '51 30 12.748 N 0 7 39.612 W 0.00m').map((f) => f.code),
      ['dns/type-not-validated'],
    );
  });
});

describe('snippets for clients without snippet support', () => {
  it('placeholders become their defaults, choices their first option, tab stops vanish', () => {
    assert.equal(snippetToPlainText('resource "a" "${0:name}" {\n  type = "${2|A,AAAA|}"\n  $1\n}'), 'resource "a" "name" {\n  type = "A"\n  \n}');
    assert.equal(snippetToPlainText('value = "\\${literal}" ${1:${2:nested}}'), 'value = "${literal}" nested');
  });
  it('never leaves snippet syntax behind (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', ' ', '"', '${1:x}', '$0', '${2|p,q|}', '\\$', '}', '{'), { maxLength: 20 }), (parts) => {
        const plain = snippetToPlainText(parts.join(''));
        assert.ok(!/\$\{\d|\$\d/.test(plain), plain);
      }),
    );
  });
});
