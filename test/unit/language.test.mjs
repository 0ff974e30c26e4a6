import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeModule, complete, definition, describeRecordValue, documentOutline, documentSymbols, foldingRanges, hover, parseHcl, quickFixes, srvNameFor } from '../../core/dist/index.js';

/** Applies one text edit (LSP range) to a text. */
function applyEdit(text, { range, newText }) {
  const lines = text.split('\n');
  const offset = (p) => lines.slice(0, p.line).reduce((sum, line) => sum + line.length + 1, 0) + p.character;
  return text.slice(0, offset(range.start)) + newText + text.slice(offset(range.end));
}

/** Parses text with a `|` marking the cursor; returns the document and the cursor position. */
function at(marked) {
  const index = marked.indexOf('|');
  const text = marked.slice(0, index) + marked.slice(index + 1);
  const before = text.slice(0, index).split('\n');
  return { document: parseHcl(text, { source: 'main.tf' }), position: { line: before.length - 1, character: before.at(-1).length } };
}

const labels = (items) => items.map((item) => item.label);

describe('completion contexts', () => {
  it('top level: block snippets for the known resources and Terraform keywords', () => {
    const { document, position } = at('|');
    const items = complete(document, position);
    assert.ok(labels(items).includes('resource "dreamhost_dns_record"'));
    assert.ok(labels(items).includes('data "dreamhost_dns_records"'));
    assert.ok(labels(items).includes('terraform required_providers dreamhost'));
    assert.ok(labels(items).includes('import'));
  });
  it('resource type label', () => {
    const { document, position } = at('resource "dream|');
    const items = complete(document, position);
    // Every resource type of the known providers; the client filters by what is typed.
    assert.deepEqual(labels(items).slice(0, 1), ['dreamhost_dns_record']);
    assert.ok(['cloudflare_dns_record', 'aws_route53_record', 'google_dns_record_set', 'azurerm_dns_mx_record', 'digitalocean_record'].every((type) => labels(items).includes(type)));
    assert.deepEqual(items[0].textEdit.range, { start: { line: 0, character: 10 }, end: { line: 0, character: 15 } });
    assert.deepEqual(labels(complete(...Object.values(at('data "|')))), ['dreamhost_dns_record', 'dreamhost_dns_records', 'lagoon_project_key']);
  });
  it('attribute names, required first, the whole-record snippet in an empty block, no read-only attributes', () => {
    const { document, position } = at('resource "dreamhost_dns_record" "x" {\n  |\n}\n');
    const items = complete(document, position).sort((a, b) => a.sortText.localeCompare(b.sortText));
    assert.deepEqual(labels(items).slice(0, 4), ['record, type, value', 'record', 'type', 'value']);
    assert.ok(!labels(items).includes('comment'));
    assert.ok(labels(items).includes('lifecycle'));
    assert.match(items[0].textEdit.newText, /^record = "\$\{1:www\.example\.com\}"\n {2}type {3}= "\$\{2\|A,AAAA/);
  });
  it('leaves out attributes already set', () => {
    const { document, position } = at('resource "dreamhost_dns_record" "x" {\n  record = "a.example.com"\n  |\n}\n');
    assert.ok(!labels(complete(document, position)).includes('record'));
  });
  it('value snippets follow the record type', () => {
    const srv = at('resource "dreamhost_dns_record" "x" {\n  type = "SRV"\n  value = "|\n}\n');
    const [item] = complete(srv.document, srv.position);
    assert.equal(item.textEdit.newText, '${1:10} ${2:5} ${3:5060} ${4:sip.example.com}');
    const naptr = at('resource "dreamhost_dns_record" "x" {\n  type = "NAPTR"\n  value = |\n}\n');
    assert.match(complete(naptr.document, naptr.position)[0].textEdit.newText, /^"\$\{1:100\} \$\{2:10\} \\\\"/);
  });
  it('filter blocks of the data source, and import targets from the module', () => {
    const filter = at('data "dreamhost_dns_records" "x" {\n  filter {\n    |\n  }\n}\n');
    assert.deepEqual(labels(complete(filter.document, filter.position)), ['record', 'type', 'value', 'zone']);
    const imp = at('import {\n  to = |\n}\n');
    const other = parseHcl('resource "dreamhost_dns_record" "www" {\n}\n', { source: 'b.tf' });
    assert.deepEqual(labels(complete(imp.document, imp.position, { moduleDocuments: [imp.document, other] })), ['dreamhost_dns_record.www']);
  });
  it('nothing in the middle of a word that is no name, or after a value', () => {
    const { document, position } = at('locals {\n  a = 1 |\n}\n');
    assert.deepEqual(complete(document, position), []);
  });
});

describe('hover, symbols, definition', () => {
  const text =
    'variable "zone" {}\nlocals {\n  host = "www"\n}\nresource "dreamhost_dns_record" "srv" {\n  record = "_sip._tcp.example.com"\n  type   = "SRV"\n  value  = "10 5 5060 sip.example.com"\n}\noutput "o" {\n  value = [dreamhost_dns_record.srv.value, var.zone, local.host]\n}\n';
  const document = parseHcl(text, { source: 'main.tf' });
  it('hover on a value says what it means; on a type, the type', () => {
    assert.equal(hover(document, { line: 7, character: 14 }).contents.value, 'SRV: priority 10, weight 5, port 5060 → sip.example.com');
    assert.match(hover(document, { line: 6, character: 13 }).contents.value, /^\*\*SRV\*\* \(RFC 2782\)/);
  });
  it('document symbols name resources by address and variables by reference', () => {
    assert.deepEqual(
      documentSymbols(document).map((symbol) => symbol.name),
      ['var.zone', 'locals', 'dreamhost_dns_record.srv', 'output o'],
    );
  });
  it('an outline beyond the limit keeps the top-level blocks, without contents, then the first of them', () => {
    // 4 blocks: var.zone (1), locals (2), the record (4), the output (2) = 9 symbols.
    assert.equal(documentOutline(document, 9).limited, false);
    const blocksOnly = documentOutline(document, 8);
    assert.equal(blocksOnly.limited, true);
    assert.deepEqual(
      blocksOnly.symbols.map((symbol) => [symbol.name, symbol.detail, symbol.children.length]),
      [
        ['var.zone', undefined, 0],
        ['locals', undefined, 0],
        ['dreamhost_dns_record.srv', 'SRV _sip._tcp.example.com → 10 5 5060 sip.example.com', 0],
        ['output o', undefined, 0],
      ],
    );
    assert.deepEqual(
      documentOutline(document, 2).symbols.map((symbol) => symbol.name),
      ['var.zone', 'locals'],
    );
    assert.equal(foldingRanges(document, 1).length, 1);
  });
  it('definition of resource attributes, variables and locals', () => {
    assert.deepEqual(definition(document, { line: 10, character: 40 }, [document]).range.start, { line: 7, character: 2 });
    assert.deepEqual(definition(document, { line: 10, character: 47 }, [document]).range.start, { line: 0, character: 0 });
    assert.deepEqual(definition(document, { line: 10, character: 58 }, [document]).range.start, { line: 2, character: 2 });
    assert.equal(definition(document, { line: 10, character: 2 }, [document]), undefined);
  });
  it('describes values of every type', () => {
    assert.equal(describeRecordValue('MX', '0 .'), 'MX: null MX (RFC 7505): this domain accepts no mail');
    assert.equal(describeRecordValue('A', '10.0.0.1'), 'A: IPv4 address 10.0.0.1 (private network (RFC 1918), reachable only inside it)');
    assert.equal(describeRecordValue('AAAA', '2001:0db8::1'), 'AAAA: IPv6 address 2001:db8::1 (written 2001:0db8::1) (documentation range, for examples only)');
    assert.equal(describeRecordValue('TXT', 'v=spf1 -all'), 'TXT (SPF policy): 11 bytes in 1 string');
    assert.equal(describeRecordValue('CAA', '0 issue "letsencrypt.org"'), 'CAA: letsencrypt.org may issue certificates');
  });
});

describe('quick fixes', () => {
  const fixed = (text, code) => {
    const document = parseHcl(text, { source: 'main.tf' });
    const diagnostics = analyzeModule([document]).get('main.tf');
    const diagnostic = diagnostics.find((d) => d.code === code);
    assert.ok(diagnostic, `${code} in ${JSON.stringify(diagnostics.map((d) => d.code))}`);
    const [action] = quickFixes('main.tf', diagnostics, diagnostic.range);
    return applyEdit(text, action.edit);
  };
  it('adds a missing required attribute inside the block', () => {
    const text = 'resource "dreamhost_dns_record" "x" {\n  record = "x.example.com"\n  type   = "A"\n}\n';
    assert.equal(fixed(text, 'tf/missing-attribute'), 'resource "dreamhost_dns_record" "x" {\n  record = "x.example.com"\n  type   = "A"\n  value = ""\n}\n');
  });
  it('punycodes an IDN, lower-cases a name and renames an SRV record', () => {
    const record = (name, type, value) => `resource "dreamhost_dns_record" "x" {\n  record = "${name}"\n  type   = "${type}"\n  value  = "${value}"\n}\n`;
    assert.match(fixed(record('bücher.example.com', 'A', '192.0.2.1'), 'dns/name-idn'), /record = "xn--bcher-kva\.example\.com"/);
    assert.match(fixed(record('WWW.example.com', 'A', '192.0.2.1'), 'dns/name-not-lowercase'), /record = "www\.example\.com"/);
    assert.match(fixed(record('xmpp.example.com', 'SRV', '5 0 5222 chat.example.com'), 'dns/srv-name'), /record = "_xmpp-client\._tcp\.example\.com"/);
    assert.match(fixed(record('v6.example.com', 'AAAA', '2001:DB8:0:0::1'), 'dns/ipv6-not-canonical'), /value {2}= "2001:db8::1"/);
  });
  it('derives SRV names', () => {
    assert.equal(srvNameFor('sip.example.com'), '_sip._udp.example.com');
    assert.equal(srvNameFor('_custom.example.com'), '_custom._tcp.example.com');
    assert.equal(srvNameFor('web.example.com'), '_service._tcp.web.example.com');
  });
});
