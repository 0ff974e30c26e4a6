import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalIPv6, classifyIPv4, explainIPv4, explainIPv6, parseIPv4, parseIPv6, validateRecordValue } from '../../core/dist/index.js';

describe('IPv4 text form (dotted quad, RFC 791, no leading zeros)', () => {
  const valid = ['0.0.0.0', '192.0.2.1', '255.255.255.255', '10.0.0.10', '1.2.3.4'];
  const invalid = [
    ['192.0.2', /3 parts/],
    ['192.0.2.1.5', /5 parts/],
    ['192.0.2.256', /greater than 255/],
    ['192.0.2.017', /leading zero/],
    ['192.0..1', /third part is empty/],
    ['192.0.2.x', /not a decimal number/],
    [' 192.0.2.1', /white space/],
    ['1e2.0.0.1', /not a decimal/],
    ['0x7f.0.0.1', /not a decimal/],
  ];
  for (const text of valid) it(`accepts ${text}`, () => assert.ok(parseIPv4(text)));
  for (const [text, why] of invalid) {
    it(`rejects '${text}' and says why`, () => {
      assert.equal(parseIPv4(text), undefined);
      assert.match(explainIPv4(text), why);
    });
  }
  it('classifies special-purpose ranges (RFC 6890)', () => {
    assert.equal(classifyIPv4([127, 0, 0, 1]), 'loopback');
    assert.equal(classifyIPv4([10, 1, 2, 3]), 'private');
    assert.equal(classifyIPv4([172, 20, 0, 1]), 'private');
    assert.equal(classifyIPv4([172, 32, 0, 1]), 'public');
    assert.equal(classifyIPv4([169, 254, 1, 1]), 'link-local');
    assert.equal(classifyIPv4([224, 0, 0, 1]), 'multicast');
    assert.equal(classifyIPv4([240, 0, 0, 1]), 'reserved');
    assert.equal(classifyIPv4([8, 8, 8, 8]), 'public');
  });
  it('round-trips every address (property)', () => {
    fc.assert(fc.property(fc.ipV4(), (text) => assert.deepEqual(parseIPv4(text)?.join('.'), text)));
  });
  it('never accepts a quad with a leading zero (property)', () => {
    fc.assert(
      fc.property(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 99 })), ([a, index, b]) => {
        const parts = [a, a, a, a].map(String);
        parts[index] = `0${b}`;
        assert.equal(parseIPv4(parts.join('.')), undefined);
      }),
    );
  });
  it('never throws on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        if (!parseIPv4(text)) assert.equal(typeof explainIPv4(text), 'string');
      }),
    );
  });
});

describe('IPv6 text forms (RFC 4291 §2.2) and canonical form (RFC 5952)', () => {
  const valid = [
    ['2001:db8::1', '2001:db8::1'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'],
    ['fe80::1:2', 'fe80::1:2'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
  ];
  for (const [text, canonical] of valid) {
    it(`accepts ${text} (canonical ${canonical})`, () => {
      const groups = parseIPv6(text);
      assert.ok(groups, text);
      assert.equal(groups.length, 8);
      assert.equal(canonicalIPv6(groups), canonical);
    });
  }
  const invalid = [
    ['2001:db8::1::2', /only once/],
    ['2001:db8:1:2:3:4:5:6:7', /eight/],
    ['2001:db8:12345::1', /'12345'/],
    ['2001:db8::g', /'g'/],
    ['fe80::1%eth0', /zone identifiers/],
    ['[2001:db8::1]', /square brackets/],
    ['192.0.2.1', /IPv4 address/],
    ['1:2:3:4:5:6:7:8::', /eight|once/],
    ['::1.2.3.256', /./],
  ];
  for (const [text, why] of invalid) {
    it(`rejects '${text}' and says why`, () => {
      assert.equal(parseIPv6(text), undefined);
      assert.match(explainIPv6(text), why);
    });
  }
  it('parses every generated address, and its canonical form parses to the same groups (property)', () => {
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        const groups = parseIPv6(text);
        assert.ok(groups, text);
        assert.deepEqual(parseIPv6(canonicalIPv6(groups)), groups);
      }),
    );
  });
  it('canonical form is lower case, without leading zeros, compressing the longest zero run (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0, 0, 0, 1, 0xabcd, 0xffff), { minLength: 8, maxLength: 8 }), (groups) => {
        const text = canonicalIPv6(groups);
        assert.equal(text, text.toLowerCase());
        assert.ok(!/(^|:)0[0-9a-f]/.test(text), text);
        assert.ok((text.match(/::/g) ?? []).length <= 1);
        assert.deepEqual(parseIPv6(text), groups);
      }),
    );
  });
  it('hints the canonical form for AAAA values, and warns on non-public addresses', () => {
    const [hint] = validateRecordValue('AAAA', '2001:DB8:0:0:0:0:0:10');
    assert.equal(hint.code, 'dns/ipv6-not-canonical');
    assert.equal(hint.replacement, '2001:db8::10');
    assert.equal(validateRecordValue('AAAA', '::1')[0].code, 'dns/ipv6-special');
    assert.equal(validateRecordValue('AAAA', 'fe80::1')[0].code, 'dns/ipv6-special');
    assert.deepEqual(validateRecordValue('AAAA', '2001:db8::10'), []);
  });
});
