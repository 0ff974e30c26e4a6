import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkZoneRules, tokenizeValue, validateRecordValue } from '../../core/dist/index.js';

const codes = (findings) => findings.map((finding) => finding.code);

describe('record values per type', () => {
  const cases = [
    // A (RFC 1035 §3.4.1)
    ['A', '192.0.2.10', []],
    ['A', '192.0.2.010', ['dns/ipv4-invalid']],
    ['A', '2001:db8::1', ['dns/ipv4-invalid']],
    ['A', 'www.example.com', ['dns/ipv4-invalid']],
    ['A', '127.0.0.1', ['dns/ipv4-special']],
    ['A', '0.0.0.0', ['dns/ipv4-special']],
    ['A', ' 192.0.2.10', ['dns/value-whitespace']],
    ['A', '', ['dns/value-empty']],
    // AAAA (RFC 3596, RFC 4291)
    ['AAAA', '2001:db8::10', []],
    ['AAAA', '192.0.2.10', ['dns/ipv6-invalid']],
    ['AAAA', '2001:db8::1::1', ['dns/ipv6-invalid']],
    // CNAME, NS, PTR: a host, never an address
    ['CNAME', 'target.example.net', []],
    ['CNAME', 'target.example.net.', []],
    ['CNAME', '192.0.2.1', ['dns/target-is-ip']],
    ['CNAME', 'bad host.example.net', ['dns/target-invalid']],
    ['CNAME', '_dkim.example.net', []],
    ['NS', 'ns1.example.net', []],
    ['NS', '2001:db8::53', ['dns/target-is-ip']],
    ['NS', '_ns.example.net', ['dns/target-invalid']],
    ['PTR', 'host.example.com', []],
    // MX (RFC 1035 §3.3.9; null MX RFC 7505)
    ['MX', '10 mail.example.com', []],
    ['MX', '0 .', []],
    ['MX', '10 .', ['dns/target-invalid']],
    ['MX', 'mail.example.com', ['dns/mx-format']],
    ['MX', '10', ['dns/mx-format']],
    ['MX', '65536 mail.example.com', ['dns/mx-format']],
    ['MX', '-1 mail.example.com', ['dns/mx-format']],
    ['MX', '10 192.0.2.1', ['dns/target-is-ip']],
    ['MX', '10 mail.example.com extra', ['dns/mx-format']],
    // SRV (RFC 2782)
    ['SRV', '10 5 5060 sip.example.com', []],
    ['SRV', '0 0 0 .', []],
    ['SRV', '10 5 sip.example.com', ['dns/srv-format']],
    ['SRV', '10 5 70000 sip.example.com', ['dns/srv-format']],
    ['SRV', '10 x 5060 sip.example.com', ['dns/srv-format']],
    ['SRV', '10 5 5060 192.0.2.1', ['dns/target-is-ip']],
    // TXT (RFC 1035 §3.3.14)
    ['TXT', 'v=spf1 mx -all', []],
    ['TXT', '"v=DKIM1; k=rsa; " "p=MIGf"', []],
    ['TXT', '"unclosed', ['dns/txt-format']],
    ['TXT', 'say "hi" there', ['dns/txt-format']],
    ['TXT', '"one" two', ['dns/txt-format']],
    ['TXT', `"${'x'.repeat(256)}"`, ['dns/txt-too-long']],
    ['TXT', 'x'.repeat(300), ['dns/txt-too-long']],
    ['TXT', 'bell\u0007', ['dns/txt-format']],
    // CAA (RFC 8659)
    ['CAA', '0 issue "letsencrypt.org"', []],
    ['CAA', '128 issuewild ";"', []],
    ['CAA', '0 iodef "mailto:security@example.com"', []],
    ['CAA', '0 iodef "ftp://example.com"', ['dns/caa-format']],
    ['CAA', '256 issue "letsencrypt.org"', ['dns/caa-format']],
    ['CAA', '0 issue', ['dns/caa-format']],
    ['CAA', '0 isue "letsencrypt.org"', ['dns/caa-format']],
    ['CAA', '0 issue "192.0.2.1"', ['dns/caa-format']],
    // NAPTR (RFC 3403 §4.1)
    ['NAPTR', '100 10 "U" "E2U+sip" "!^.*$!sip:info@example.com!" .', []],
    ['NAPTR', '100 10 "S" "SIP+D2U" "" _sip._udp.example.com', []],
    ['NAPTR', '100 10 "U" "E2U+sip" "!^.*$!sip:info@example.com!" sip.example.com', ['dns/naptr-format']],
    ['NAPTR', '100 "U" "E2U+sip" "" .', ['dns/naptr-format']],
    ['NAPTR', '100 10 "U" "E2U+sip" "bad" .', ['dns/naptr-format']],
  ];
  for (const [type, value, expected] of cases) {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    it(`${type} '${shown}' → ${expected.join(', ') || 'valid'}`, () => assert.deepEqual(codes(validateRecordValue(type, value)), expected));
  }
  it('offers a fix that adds the MX priority', () => {
    const [finding] = validateRecordValue('MX', 'mail.example.com');
    assert.equal(finding.replacement, '10 mail.example.com');
  });
  it('reports a CNAME pointing to itself', () => {
    assert.deepEqual(codes(validateRecordValue('CNAME', 'www.example.com.', 'WWW.example.com')), ['dns/cname-self']);
  });
  it('long unquoted TXT is information, not an error', () => {
    assert.equal(validateRecordValue('TXT', 'x'.repeat(300))[0].severity, 'information');
  });
  it('never throws, whatever the type and value (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('A', 'AAAA', 'CNAME', 'MX', 'NS', 'PTR', 'TXT', 'SRV', 'NAPTR', 'CAA', 'X'), fc.string(), (type, value) => {
        validateRecordValue(type, value);
      }),
    );
  });
  it('tokenizes quoted fields with escapes', () => {
    assert.deepEqual(tokenizeValue('0 issue "a\\"b\\065"').tokens, [
      { text: '0', quoted: false },
      { text: 'issue', quoted: false },
      { text: 'a"bA', quoted: true },
    ]);
    assert.match(tokenizeValue('"abc').error, /not closed/);
    assert.match(tokenizeValue('"\\999"').error, /greater than/);
  });
});

describe('zone rules across records', () => {
  const record = (name, type, value, ref = `${name}/${type}/${value}`) => ({ name, type, value, ref });
  const found = (records) => checkZoneRules(records).map((finding) => `${finding.code}@${finding.record}`);

  it('CNAME must be the only record at its name (RFC 1034 §3.6.2)', () => {
    assert.deepEqual(found([record('www.example.com', 'CNAME', 'example.com', 'c'), record('WWW.example.com.', 'TXT', 'x', 't')]).sort(), ['dns/cname-conflict@c', 'dns/cname-conflict@t']);
    assert.deepEqual(found([record('www.example.com', 'CNAME', 'a.example.com', 'c1'), record('www.example.com', 'CNAME', 'b.example.com', 'c2')]), ['dns/cname-conflict@c2']);
  });
  it('no CNAME at a zone apex (from the public suffix list)', () => {
    assert.deepEqual(found([record('example.co.uk', 'CNAME', 'host.example.net', 'c')]), ['dns/cname-at-apex@c']);
    assert.deepEqual(found([record('www.example.co.uk', 'CNAME', 'host.example.net', 'c')]), []);
  });
  it('exact duplicates, comparing names and hosts case-insensitively and addresses canonically', () => {
    assert.deepEqual(found([record('a.example.com', 'AAAA', '2001:db8::1', 'first'), record('A.example.com', 'AAAA', '2001:0db8:0:0:0:0:0:1', 'second')]), ['dns/duplicate-record@second']);
    assert.deepEqual(found([record('example.com', 'MX', '10 mail.example.com', 'm1'), record('example.com', 'MX', '10 MAIL.example.com.', 'm2')]), ['dns/duplicate-record@m2']);
    assert.deepEqual(found([record('example.com', 'MX', '10 mail.example.com', 'm1'), record('example.com', 'MX', '20 mail.example.com', 'm2')]), []);
  });
  it('MX, NS and SRV targets must not be CNAMEs (RFC 2181 §10.3)', () => {
    const records = [
      record('mail.example.com', 'CNAME', 'mx.provider.net', 'alias'),
      record('example.com', 'MX', '10 mail.example.com', 'mx'),
      record('_imap._tcp.example.com', 'SRV', '0 1 993 mail.example.com.', 'srv'),
      record('sub.example.com', 'NS', 'mail.example.com', 'ns'),
    ];
    assert.deepEqual(found(records).sort(), ['dns/target-is-cname@mx', 'dns/target-is-cname@ns', 'dns/target-is-cname@srv']);
  });
});
