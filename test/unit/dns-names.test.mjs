import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isZoneApex, normalizeName, validateRecordName, validateTargetHost, zoneApexOf } from '../../core/dist/index.js';

const codes = (findings) => findings.map((finding) => finding.code);

describe('record names (RFC 1035 §2.3, RFC 1123 §2.1, DreamHost conventions)', () => {
  const cases = [
    ['www.example.com', 'A', []],
    ['example.com', 'A', []],
    ['*.example.com', 'A', []],
    ['_dmarc.example.com', 'TXT', []],
    ['_acme-challenge.www.example.com', 'CNAME', []],
    ['_sip._tcp.example.com', 'SRV', []],
    ['a-b.example.co.uk', 'A', []],
    ['', 'A', ['dns/name-empty']],
    ['www..example.com', 'A', ['dns/label-empty']],
    ['.example.com', 'A', ['dns/label-empty']],
    [`${'a'.repeat(64)}.example.com`, 'A', ['dns/label-too-long']],
    [`${Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.')}.com`, 'A', ['dns/name-too-long']],
    ['-www.example.com', 'A', ['dns/label-hyphen']],
    ['www-.example.com', 'A', ['dns/label-hyphen']],
    ['ww w.example.com', 'A', ['dns/label-invalid-character']],
    ['www!.example.com', 'A', ['dns/label-invalid-character']],
    ['www.*.example.com', 'A', ['dns/wildcard-position']],
    ['w*.example.com', 'A', ['dns/wildcard-position']],
    ['_dmarc.example.com', 'A', ['dns/label-underscore']],
    ['_sip._tcp.example.com', 'MX', ['dns/label-underscore']],
    ['bücher.example.com', 'A', ['dns/name-idn']],
    ['Www.Example.com', 'A', ['dns/name-not-lowercase']],
    ['www.example.com.', 'A', ['dns/name-trailing-dot']],
    ['localhost', 'A', ['dns/name-not-in-domain']],
    ['192.0.2.1', 'A', ['dns/tld-numeric']],
    ['sip.example.com', 'SRV', ['dns/srv-name']],
    ['_sip.example.com', 'SRV', ['dns/srv-name']],
    ['host.example.com', 'PTR', ['dns/ptr-name']],
    ['1.2.0.192.in-addr.arpa', 'PTR', []],
  ];
  for (const [name, type, expected] of cases) {
    it(`${type} '${name.length > 40 ? `${name.slice(0, 40)}…` : name}' → ${expected.join(', ') || 'valid'}`, () => {
      assert.deepEqual(codes(validateRecordName(name, type)), expected);
    });
  }
  it('suggests the punycode form of an IDN', () => {
    const [finding] = validateRecordName('bücher.example.com', 'A');
    assert.equal(finding.replacement, 'xn--bcher-kva.example.com');
    assert.match(finding.message, /xn--bcher-kva/);
  });
  it('suggests lower case and removing the trailing dot', () => {
    assert.equal(validateRecordName('WWW.example.com', 'A')[0].replacement, 'www.example.com');
    assert.equal(validateRecordName('www.example.com.', 'A')[0].replacement, 'www.example.com');
  });
  it('every generated domain name is a valid A record name (property)', () => {
    // Under a registered domain: a generated name can itself be a public suffix (a.np), which is no record name.
    const names = fc
      .domain()
      .map((domain) => `${domain.toLowerCase()}.example.com`)
      .filter((name) => name.length <= 253);
    fc.assert(fc.property(names, (name) => assert.deepEqual(codes(validateRecordName(name, 'A')), [])));
  });
  it('never throws on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.constantFrom('A', 'SRV', 'TXT', 'PTR', undefined), (name, type) => {
        validateRecordName(name, type);
      }),
    );
  });
});

describe('target host names', () => {
  it('rejects addresses where a host name is expected', () => {
    assert.deepEqual(codes(validateTargetHost('192.0.2.1', { type: 'CNAME' })), ['dns/target-is-ip']);
    assert.deepEqual(codes(validateTargetHost('2001:db8::1', { type: 'NS' })), ['dns/target-is-ip']);
  });
  it('accepts a trailing dot, and the root only where allowed', () => {
    assert.deepEqual(validateTargetHost('mail.example.com.', { type: 'MX' }), []);
    assert.deepEqual(validateTargetHost('.', { type: 'SRV', allowRoot: true }), []);
    assert.deepEqual(codes(validateTargetHost('.', { type: 'CNAME' })), ['dns/target-invalid']);
  });
  it('allows underscores only where asked (CNAME delegations)', () => {
    assert.deepEqual(validateTargetHost('_acme.example.net', { type: 'CNAME', allowUnderscore: true }), []);
    assert.deepEqual(codes(validateTargetHost('_acme.example.net', { type: 'NS' })), ['dns/target-invalid']);
  });
  it('every generated domain is a valid target (property)', () => {
    fc.assert(fc.property(fc.domain(), (domain) => assert.deepEqual(validateTargetHost(domain, { type: 'CNAME' }), [])));
  });
});

describe('zone apex from the public suffix list', () => {
  it('finds the registrable domain', () => {
    assert.equal(zoneApexOf('www.example.com'), 'example.com');
    assert.equal(zoneApexOf('a.b.example.co.uk'), 'example.co.uk');
    assert.equal(zoneApexOf('WWW.Example.COM.'), 'example.com');
    assert.ok(isZoneApex('example.co.uk'));
    assert.ok(!isZoneApex('www.example.co.uk'));
    assert.equal(normalizeName('Example.COM.'), 'example.com');
  });
});
