import { canonicalIPv6, classifyIPv4, classifyIPv6, parseIPv4, parseIPv6 } from './ip.js';
import { tokenizeValue, type ValueToken } from './values.js';
import { recordTypeInfo } from './types.js';

const CLASS_NOTES: Record<string, string> = {
  private: 'private network (RFC 1918), reachable only inside it',
  shared: 'carrier-grade NAT range (RFC 6598)',
  documentation: 'documentation range, for examples only',
  loopback: 'loopback, this host only',
  'link-local': 'link-local, one network segment only',
  'unique-local': 'unique local (RFC 4193), private networks only',
  unspecified: 'unspecified address',
  multicast: 'multicast',
  reserved: 'reserved',
};

/** What a record value means, in one line, for hover: `MX: priority 10 → mail.example.com`. */
export function describeRecordValue(type: string, value: string): string | undefined {
  const text = value.trim();
  const fields = text.split(/\s+/);
  switch (type) {
    case 'A': {
      const octets = parseIPv4(text);
      if (!octets) return undefined;
      const kind = classifyIPv4(octets);
      return `A: IPv4 address ${text}${kind === 'public' ? '' : ` (${CLASS_NOTES[kind]})`}`;
    }
    case 'AAAA': {
      const groups = parseIPv6(text);
      if (!groups) return undefined;
      const kind = classifyIPv6(groups);
      const canonical = canonicalIPv6(groups);
      return `AAAA: IPv6 address ${canonical}${canonical !== text ? ` (written ${text})` : ''}${kind === 'public' ? '' : ` (${CLASS_NOTES[kind]})`}`;
    }
    case 'CNAME':
      return `CNAME: an alias; resolvers continue at ${text}`;
    case 'NS':
      return `NS: the name is delegated to the name server ${text}`;
    case 'PTR':
      return `PTR: the address maps back to ${text}`;
    case 'MX':
      if (fields.length !== 2) return undefined;
      if (fields[1] === '.') return 'MX: null MX (RFC 7505): this domain accepts no mail';
      return `MX: priority ${fields[0]} → ${fields[1]} (lower priorities are tried first)`;
    case 'SRV':
      if (fields.length !== 4) return undefined;
      if (fields[3] === '.') return 'SRV: the service is not available at this domain';
      return `SRV: priority ${fields[0]}, weight ${fields[1]}, port ${fields[2]} → ${fields[3]}`;
    case 'TXT': {
      const { tokens, error } = text.startsWith('"') ? tokenizeValue(text) : { tokens: [{ text, quoted: false }], error: undefined };
      if (error) return undefined;
      const joined = tokens.map((token) => token.text).join('');
      const kind = /^v=spf1\b/i.test(joined) ? ' (SPF policy)' : /^v=DKIM1\b/i.test(joined) ? ' (DKIM key)' : /^v=DMARC1\b/i.test(joined) ? ' (DMARC policy)' : '';
      return `TXT${kind}: ${Buffer.byteLength(joined, 'utf8')} bytes in ${tokens.length} string${tokens.length === 1 ? '' : 's'}`;
    }
    case 'CAA': {
      const { tokens } = tokenizeValue(text);
      if (tokens.length !== 3) return undefined;
      const [flags, tag, property] = tokens as [ValueToken, ValueToken, ValueToken];
      const critical = flags.text === '128' ? ' (critical)' : '';
      if (tag.text === 'issue') return `CAA${critical}: ${property.text === ';' ? 'no CA' : property.text} may issue certificates`;
      if (tag.text === 'issuewild') return `CAA${critical}: ${property.text === ';' ? 'no CA' : property.text} may issue wildcard certificates`;
      if (tag.text === 'iodef') return `CAA${critical}: report policy violations to ${property.text}`;
      return `CAA${critical}: ${tag.text} ${property.text}`;
    }
    case 'NAPTR': {
      const { tokens } = tokenizeValue(text);
      if (tokens.length !== 6) return undefined;
      return `NAPTR: order ${tokens[0]!.text}, preference ${tokens[1]!.text}, service ${tokens[3]!.text || '(none)'} → ${tokens[4]!.text || tokens[5]!.text}`;
    }
    default:
      return recordTypeInfo(type)?.summary;
  }
}
