import type { Finding } from '../diagnostics/types.js';
import { canonicalIPv6, classifyIPv4, classifyIPv6, explainIPv4, explainIPv6, isIPv6, parseIPv4, parseIPv6 } from './ip.js';
import { normalizeName, validateTargetHost } from './names.js';
import { isRecordType, RECORD_TYPES, recordTypeInfo } from './types.js';

export const MAX_CHARACTER_STRING = 255;
export const MAX_RDATA = 65535;

/** One whitespace-separated field of a record value; quoted fields are unescaped. */
export interface ValueToken {
  text: string;
  quoted: boolean;
}

/** Splits a presentation-format value into fields (RFC 1035 §5.1 quoting). */
export function tokenizeValue(value: string): { tokens: ValueToken[]; error?: string } {
  const tokens: ValueToken[] = [];
  let i = 0;
  while (i < value.length) {
    const ch = value[i]!;
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    if (ch === '"') {
      let text = '';
      i++;
      let closed = false;
      while (i < value.length) {
        const c = value[i]!;
        if (c === '\\') {
          const next = value.slice(i + 1, i + 4);
          if (/^[0-9]{3}$/.test(next)) {
            const code = Number(next);
            if (code > 255) return { tokens, error: `escape \\${next} is greater than \\255` };
            text += String.fromCharCode(code);
            i += 4;
          } else if (i + 1 < value.length) {
            text += value[i + 1];
            i += 2;
          } else {
            return { tokens, error: 'the value ends with a lone backslash' };
          }
          continue;
        }
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        text += c;
        i++;
      }
      if (!closed) return { tokens, error: 'a quoted string is not closed (missing ")' };
      if (i < value.length && value[i] !== ' ' && value[i] !== '\t') return { tokens, error: `a quoted string is followed by '${value[i]}' without a space` };
      tokens.push({ text, quoted: true });
      continue;
    }
    let start = i;
    while (i < value.length && value[i] !== ' ' && value[i] !== '\t') {
      if (value[i] === '"') return { tokens, error: `a quote appears inside the unquoted field '${value.slice(start, i + 1)}…'` };
      i++;
    }
    tokens.push({ text: value.slice(start, i), quoted: false });
    start = i;
  }
  return { tokens };
}

const UINT16 = /^(0|[1-9][0-9]{0,4})$/;
export function uint16(text: string): number | undefined {
  if (!UINT16.test(text)) return undefined;
  const value = Number(text);
  return value <= 65535 ? value : undefined;
}

const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');

export function validateA(value: string): Finding[] {
  const octets = parseIPv4(value);
  if (!octets) {
    if (isIPv6(value)) return [{ code: 'dns/ipv4-invalid', message: `'${value}' is an IPv6 address; an A record holds IPv4, use an AAAA record` }];
    if (/[a-z]/i.test(value) && !/^[0-9.]+$/.test(value))
      return [{ code: 'dns/ipv4-invalid', message: `an A record holds an IPv4 address, not the name '${value}'; use a CNAME record to point to a host name` }];
    return [{ code: 'dns/ipv4-invalid', message: `'${value}' is not a valid IPv4 address: ${explainIPv4(value)}` }];
  }
  const kind = classifyIPv4(octets);
  if (kind === 'loopback' || kind === 'unspecified' || kind === 'multicast' || kind === 'reserved' || kind === 'link-local') {
    return [{ code: 'dns/ipv4-special', message: `${value} is a ${kind} address; clients on the internet cannot reach it` }];
  }
  return [];
}

export function validateAAAA(value: string): Finding[] {
  const groups = parseIPv6(value);
  if (!groups) return [{ code: 'dns/ipv6-invalid', message: `'${value}' is not a valid IPv6 address: ${explainIPv6(value)}` }];
  const kind = classifyIPv6(groups);
  if (kind === 'loopback' || kind === 'unspecified' || kind === 'multicast' || kind === 'link-local') {
    return [{ code: 'dns/ipv6-special', message: `${value} is a ${kind} address; clients on the internet cannot reach it` }];
  }
  const canonical = canonicalIPv6(groups);
  if (canonical !== value) {
    return [{ code: 'dns/ipv6-not-canonical', message: `the canonical form of ${value} is ${canonical} (RFC 5952)`, replacement: canonical, fixTitle: `Normalise to ${canonical}` }];
  }
  return [];
}

export function validateMX(value: string): Finding[] {
  const fields = value.split(/\s+/);
  if (fields.length === 1) {
    if (uint16(fields[0]!) !== undefined) return [{ code: 'dns/mx-format', message: `the MX value has a priority but no mail host; expected 'priority host', e.g. '${value} mail.example.com'` }];
    return [{ code: 'dns/mx-format', message: `the MX value has no priority; expected 'priority host', e.g. '10 ${value}'`, replacement: `10 ${value}`, fixTitle: 'Add priority 10' }];
  }
  if (fields.length !== 2) return [{ code: 'dns/mx-format', message: `the MX value has ${fields.length} fields; expected 'priority host', e.g. '10 mail.example.com'` }];
  const [priorityText, host] = fields as [string, string];
  const priority = uint16(priorityText);
  const findings: Finding[] = [];
  if (priority === undefined) findings.push({ code: 'dns/mx-format', message: `the MX priority '${priorityText}' is not a whole number from 0 to 65535` });
  findings.push(...validateTargetHost(host, { type: 'MX', role: 'MX mail host', allowRoot: priority === 0 }));
  return findings;
}

export function validateSRV(value: string): Finding[] {
  const fields = value.split(/\s+/);
  if (fields.length !== 4)
    return [{ code: 'dns/srv-format', message: `the SRV value has ${fields.length} field${fields.length === 1 ? '' : 's'}; expected 'priority weight port target', e.g. '10 5 5060 sip.example.com'` }];
  const findings: Finding[] = [];
  (['priority', 'weight', 'port'] as const).forEach((field, index) => {
    if (uint16(fields[index]!) === undefined) findings.push({ code: 'dns/srv-format', message: `the SRV ${field} '${fields[index]}' is not a whole number from 0 to 65535` });
  });
  findings.push(...validateTargetHost(fields[3]!, { type: 'SRV', role: 'SRV target', allowRoot: true }));
  return findings;
}

export function validateTXT(value: string): Finding[] {
  // eslint-disable-next-line no-control-regex
  const control = value.match(/[\x00-\x08\x0a-\x1f\x7f]/);
  if (control)
    return [
      { code: 'dns/txt-format', message: `the TXT value contains the control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}; use \\DDD escapes inside quotes` },
    ];
  if (!value.startsWith('"')) {
    if (value.includes('"')) return [{ code: 'dns/txt-format', message: 'the TXT value has quotes in the middle; quote the whole text ("...") or none of it' }];
    const bytes = utf8Length(value);
    if (bytes > MAX_RDATA) return [{ code: 'dns/txt-too-long', message: `the TXT value is ${bytes} bytes; a record holds at most ${MAX_RDATA}` }];
    if (bytes > MAX_CHARACTER_STRING) {
      return [
        {
          code: 'dns/txt-too-long',
          severity: 'information',
          message: `the TXT value is ${bytes} bytes, longer than one ${MAX_CHARACTER_STRING}-byte string; it will be split into several strings. Write "..." "..." to choose where`,
        },
      ];
    }
    return [];
  }
  const { tokens, error } = tokenizeValue(value);
  if (error) return [{ code: 'dns/txt-format', message: `the TXT value's quoting is broken: ${error}` }];
  const unquoted = tokens.find((token) => !token.quoted);
  if (unquoted) return [{ code: 'dns/txt-format', message: `'${unquoted.text}' is outside quotes; when the TXT value is quoted, quote every string` }];
  const findings: Finding[] = [];
  tokens.forEach((token, index) => {
    const bytes = utf8Length(token.text);
    if (bytes > MAX_CHARACTER_STRING)
      findings.push({ code: 'dns/txt-too-long', message: `quoted string ${index + 1} is ${bytes} bytes; one TXT string holds at most ${MAX_CHARACTER_STRING} bytes, split it into "..." "..."` });
  });
  return findings;
}

const CAA_TAGS = ['issue', 'issuewild', 'iodef', 'issuemail', 'issuevmc', 'contactemail', 'contactphone'];

export function validateCAA(value: string): Finding[] {
  const { tokens, error } = tokenizeValue(value);
  const example = `e.g. '0 issue "letsencrypt.org"'`;
  if (error) return [{ code: 'dns/caa-format', message: `the CAA value's quoting is broken: ${error}` }];
  if (tokens.length !== 3) return [{ code: 'dns/caa-format', message: `the CAA value has ${tokens.length} field${tokens.length === 1 ? '' : 's'}; expected 'flags tag "value"', ${example}` }];
  const [flags, tag, property] = tokens as [ValueToken, ValueToken, ValueToken];
  const findings: Finding[] = [];
  if (flags.quoted || !/^(0|[1-9][0-9]{0,2})$/.test(flags.text) || Number(flags.text) > 255) {
    findings.push({ code: 'dns/caa-format', message: `the CAA flags '${flags.text}' must be a number from 0 to 255 (0, or 128 for critical)` });
  }
  const tagName = tag.text.toLowerCase();
  if (tag.quoted || !/^[a-z0-9]+$/i.test(tag.text)) {
    findings.push({ code: 'dns/caa-format', message: `the CAA tag '${tag.text}' must be letters and digits without quotes` });
  } else if (!CAA_TAGS.includes(tagName)) {
    findings.push({ code: 'dns/caa-format', severity: 'warning', message: `'${tag.text}' is not a registered CAA tag; expected one of ${CAA_TAGS.join(', ')}` });
  }
  if (tagName === 'issue' || tagName === 'issuewild') {
    const issuer = property.text.split(';')[0]!.trim();
    if (issuer !== '') findings.push(...validateTargetHost(issuer, { type: 'CAA', role: 'CAA issuer domain' }).map((finding) => ({ ...finding, code: 'dns/caa-format' as const })));
  } else if (tagName === 'iodef' && !/^(mailto:[^@\s]+@[^@\s]+|https?:\/\/\S+)$/.test(property.text)) {
    findings.push({ code: 'dns/caa-format', message: `the CAA iodef value '${property.text}' must be a mailto: or http(s): URL` });
  }
  return findings;
}

export function validateNAPTR(value: string): Finding[] {
  const { tokens, error } = tokenizeValue(value);
  if (error) return [{ code: 'dns/naptr-format', message: `the NAPTR value's quoting is broken: ${error}` }];
  if (tokens.length !== 6) {
    return [{ code: 'dns/naptr-format', message: `the NAPTR value has ${tokens.length} field${tokens.length === 1 ? '' : 's'}; expected 'order preference "flags" "service" "regexp" replacement'` }];
  }
  const [order, preference, flags, service, regexp, replacement] = tokens as [ValueToken, ValueToken, ValueToken, ValueToken, ValueToken, ValueToken];
  const findings: Finding[] = [];
  for (const [label, token] of [
    ['order', order],
    ['preference', preference],
  ] as const) {
    if (token.quoted || uint16(token.text) === undefined) findings.push({ code: 'dns/naptr-format', message: `the NAPTR ${label} '${token.text}' is not a whole number from 0 to 65535` });
  }
  if (!/^[A-Za-z0-9]*$/.test(flags.text)) findings.push({ code: 'dns/naptr-format', message: `the NAPTR flags "${flags.text}" must be letters or digits (S, A, U, P)` });
  if (!/^[A-Za-z0-9+:._-]*$/.test(service.text)) findings.push({ code: 'dns/naptr-format', message: `the NAPTR service "${service.text}" has characters a service field does not use` });
  if (regexp.text !== '') {
    const delimiter = regexp.text[0]!;
    const parts = regexp.text.split(delimiter);
    if (/[0-9\\i]/.test(delimiter) || parts.length !== 4)
      findings.push({ code: 'dns/naptr-format', message: `the NAPTR regexp "${regexp.text}" must have the form !pattern!replacement!flags with one delimiter character` });
  }
  if (replacement.quoted) {
    findings.push({ code: 'dns/naptr-format', message: 'the NAPTR replacement is a domain name and is written without quotes' });
  } else if (replacement.text !== '.') {
    if (regexp.text !== '') findings.push({ code: 'dns/naptr-format', message: `a NAPTR record uses either a regexp or a replacement; set the replacement to '.' when the regexp is used` });
    findings.push(...validateTargetHost(replacement.text, { type: 'NAPTR', role: 'NAPTR replacement', allowRoot: true, allowUnderscore: true }));
  }
  return findings;
}

/**
 * Checks a record value for its type. `name` (the record name), when known,
 * enables checks that relate the two (a CNAME to itself).
 */
export function validateRecordValue(type: string, value: string, name?: string): Finding[] {
  if (value.trim() === '') return [{ code: 'dns/value-empty', message: `the ${type} value is empty; expected ${recordTypeInfo(type)?.valueFormat ?? 'a value'}` }];
  const findings: Finding[] = [];
  let text = value;
  if (value.trim() !== value && !recordTypeInfo(type)?.keepsWhitespace) {
    text = value.trim();
    findings.push({ code: 'dns/value-whitespace', message: 'the value has leading or trailing white space', replacement: text, fixTitle: 'Remove white space' });
  }
  if (!isRecordType(type)) return [...findings, { code: 'dns/type-not-validated', message: `Shoreline does not validate ${type} values; this one is not checked` }];
  const { validate, keepsWhitespace } = RECORD_TYPES[type];
  return keepsWhitespace ? validate(value, name) : [...findings, ...validate(text, name)];
}

/** CNAME, NS and PTR values: one host name, never an address (and a CNAME not to itself). */
export function validateHostTarget(type: 'CNAME' | 'NS' | 'PTR'): (text: string, name?: string) => Finding[] {
  return (text, name) => {
    const hostFindings = validateTargetHost(text, { type, role: `${type} target`, allowUnderscore: type === 'CNAME' });
    if (hostFindings.length === 0 && type === 'CNAME' && name !== undefined && normalizeName(name) === normalizeName(text)) {
      hostFindings.push({ code: 'dns/cname-self', message: `the CNAME ${name} points to itself` });
    }
    if (/\s/.test(text)) return [{ code: 'dns/target-invalid', message: `a ${type} value is one host name; '${text}' has several fields` }];
    return hostFindings;
  };
}
