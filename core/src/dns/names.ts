import { domainToASCII } from 'node:url';
import { getDomain } from 'tldts';
import type { Finding } from '../diagnostics/types.js';
import { isIPv4, isIPv6 } from './ip.js';
import { labelFindings } from './labels.js';
import { recordTypeInfo } from './types.js';

export { MAX_LABEL_LENGTH, MAX_NAME_LENGTH } from './labels.js';

/** Lower-cases and strips one trailing dot, so equal names compare equal. */
export function normalizeName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith('.') && lower.length > 1 ? lower.slice(0, -1) : lower;
}

/** The punycode (xn--) form of an internationalised name, or undefined when it cannot be converted. */
export function toPunycode(name: string): string | undefined {
  const ascii = domainToASCII(name);
  return ascii === '' ? undefined : ascii;
}

/** The name is already a bare host name: tldts need not extract or re-validate it. */
const TLDTS_OPTIONS = { allowPrivateDomains: false, extractHostname: false, validateHostname: false } as const;

/** The registrable domain (zone apex) a name belongs to, from the public suffix list. */
export function zoneApexOf(name: string): string | undefined {
  // The public suffix list has no wildcard owners: look up the name the wildcard stands under.
  // tldts reads only the rightmost labels and is faster than any cache in front of it (measured: 10×).
  const host = normalizeName(name);
  return getDomain(host.startsWith('*.') ? host.slice(2) : host, TLDTS_OPTIONS) ?? undefined;
}

export function isZoneApex(name: string): boolean {
  const normalized = normalizeName(name);
  return zoneApexOf(normalized) === normalized;
}

/**
 * Checks a record name as DreamHost expects it: fully-qualified, lower case,
 * without trailing dot, underscore labels only for the types that use them.
 */
export function validateRecordName(name: string, type?: string): Finding[] {
  if (name.trim() === '') return [{ code: 'dns/name-empty', message: 'the record name is empty; write the full name, e.g. www.example.com' }];
  if (name.trim() !== name) return [{ code: 'dns/value-whitespace', message: `the record name has leading or trailing white space`, replacement: name.trim(), fixTitle: 'Remove white space' }];
  const findings: Finding[] = [];
  let bare = name;
  if (bare.endsWith('.') && bare !== '.') {
    bare = bare.slice(0, -1);
    findings.push({ code: 'dns/name-trailing-dot', message: `DreamHost record names have no trailing dot; write '${bare}'`, replacement: bare, fixTitle: 'Remove the trailing dot' });
  }
  if (/[^\x00-\x7f]/.test(bare)) {
    const ascii = toPunycode(bare);
    if (ascii) {
      findings.push({ code: 'dns/name-idn', message: `'${bare}' is an internationalised name; DNS stores it as '${ascii}'`, replacement: ascii, fixTitle: `Convert to punycode '${ascii}'` });
    } else {
      findings.push({ code: 'dns/name-idn', message: `'${bare}' has characters that are not valid in an internationalised domain name` });
    }
    return findings;
  }
  const info = type ? recordTypeInfo(type) : undefined;
  const underscoreTypes = 'SRV, TXT and CNAME records';
  const labelProblems = labelFindings(bare, {
    allowUnderscore: info ? info.underscoreNames : true,
    allowWildcard: true,
    underscoreContext: `is only valid in names of ${underscoreTypes}${type ? `, not ${type}` : ''}`,
  });
  if (labelProblems.length > 0) return [...findings, ...labelProblems];

  if (bare !== bare.toLowerCase()) {
    findings.push({
      code: 'dns/name-not-lowercase',
      message: `DreamHost stores names in lower case; '${bare}' would show a change on every plan`,
      replacement: bare.toLowerCase(),
      fixTitle: 'Convert to lower case',
    });
  }
  if (isIPv4(bare)) {
    findings.push({ code: 'dns/name-not-in-domain', message: `'${bare}' is an IP address, not a record name; reverse records are named like 10.2.0.192.in-addr.arpa` });
  } else if (!bare.includes('.') || !zoneApexOf(bare)) {
    findings.push({ code: 'dns/name-not-in-domain', message: `'${bare}' is not inside a registered domain; DreamHost record names are fully qualified, e.g. www.example.com` });
  }
  const labels = bare.toLowerCase().split('.');
  if (type === 'SRV' && !(labels.length >= 3 && labels[0]!.startsWith('_') && labels[0]!.length > 1 && /^_(tcp|udp|tls|sctp|dccp)$/.test(labels[1]!))) {
    const replacement = srvNameFor(bare);
    findings.push({
      code: 'dns/srv-name',
      message: `an SRV record name starts with _service._proto (e.g. _sip._tcp.example.com); '${bare}' does not`,
      replacement,
      fixTitle: `Rename to ${replacement}`,
    });
  }
  if (type === 'PTR' && !/\.(in-addr|ip6)\.arpa$/.test(bare.toLowerCase())) {
    findings.push({ code: 'dns/ptr-name', message: `PTR records belong in a reverse zone (in-addr.arpa or ip6.arpa); '${bare}' is not in one` });
  }
  return findings;
}

/** Service labels for hosts commonly named after their service (RFC 6335 registry names). */
const KNOWN_SERVICES: Record<string, string> = {
  sip: '_sip._udp',
  sips: '_sips._tcp',
  xmpp: '_xmpp-client._tcp',
  jabber: '_xmpp-client._tcp',
  imap: '_imap._tcp',
  imaps: '_imaps._tcp',
  pop3: '_pop3._tcp',
  pop3s: '_pop3s._tcp',
  smtp: '_submission._tcp',
  submission: '_submission._tcp',
  caldav: '_caldavs._tcp',
  carddav: '_carddavs._tcp',
  ldap: '_ldap._tcp',
  minecraft: '_minecraft._tcp',
  matrix: '_matrix._tcp',
  autodiscover: '_autodiscover._tcp',
};

/**
 * An SRV owner name for a name that lacks `_service._proto`: a host named after
 * its service (xmpp.example.com) becomes that service's name; otherwise the
 * service and TCP labels are put in front.
 */
export function srvNameFor(name: string): string {
  const labels = name.toLowerCase().split('.');
  const [first, ...rest] = labels as [string, ...string[]];
  const known = KNOWN_SERVICES[first.replace(/^_/, '')];
  if (known && rest.length >= 2) return `${known}.${rest.join('.')}`;
  if (first.startsWith('_') && rest.length >= 2) return `${first}._tcp.${rest.join('.')}`;
  return `_service._tcp.${labels.join('.')}`;
}

export interface HostOptions {
  /** The record type whose value this host is, for messages. */
  type: string;
  /** Whether "." alone is allowed (null MX, "no service" SRV, NAPTR replacement). */
  allowRoot?: boolean;
  /** Whether underscore labels are allowed (CNAME targets such as _acme-challenge delegations). */
  allowUnderscore?: boolean;
  /** What the host is, for messages ("target", "mail host"). */
  role?: string;
}

/** Checks a host name that a record points to. Every problem is `dns/target-*`. */
export function validateTargetHost(host: string, options: HostOptions): Finding[] {
  const role = options.role ?? `${options.type} target`;
  if (host === '') return [{ code: 'dns/value-empty', message: `the ${role} is empty` }];
  if (host === '.') return options.allowRoot ? [] : [{ code: 'dns/target-invalid', message: `the ${role} '.' (the root) is not allowed for ${options.type}` }];
  if (host === '@') return [{ code: 'dns/target-invalid', message: `the ${role} '@' is not understood by DreamHost; write the full host name` }];
  const bare = host.endsWith('.') ? host.slice(0, -1) : host;
  const unbracketed = bare.replace(/^\[(.*)\]$/, '$1');
  if (isIPv4(bare) || isIPv6(unbracketed)) {
    return [{ code: 'dns/target-is-ip', message: `the ${role} must be a host name, not the IP address '${host}'${options.type === 'CNAME' ? '; use an A or AAAA record for an address' : ''}` }];
  }
  if (/[^\x00-\x7f]/.test(bare)) {
    const ascii = toPunycode(bare);
    return [
      ascii
        ? {
            code: 'dns/name-idn',
            message: `the ${role} '${bare}' is internationalised; DNS stores it as '${ascii}'`,
            replacement: host.endsWith('.') ? `${ascii}.` : ascii,
            fixTitle: `Convert to punycode '${ascii}'`,
          }
        : { code: 'dns/name-idn', message: `the ${role} '${bare}' has characters that are not valid in a domain name` },
    ];
  }
  return labelFindings(bare, {
    allowUnderscore: options.allowUnderscore ?? false,
    allowWildcard: false,
    underscoreContext: 'is not valid in a host name',
  }).map((finding) => ({ code: 'dns/target-invalid', message: `the ${role} '${host}' is not a valid host name: ${finding.message}` }));
}
