import type { Finding } from '../diagnostics/types.js';
import { validateDS, validateSSHFP, validateTLSA } from './key-values.js';
import { validateSVCB, validateURI } from './service-values.js';
import { validateA, validateAAAA, validateCAA, validateHostTarget, validateMX, validateNAPTR, validateSRV, validateTXT } from './values.js';

/** What Shoreline knows about each DNS record type: value shape, examples, naming rules. */
export interface RecordTypeInfo {
  type: string;
  summary: string;
  /** The value's fields, as a user types them. */
  valueFormat: string;
  /** An example value, used for completion snippets and messages. */
  example: string;
  /** LSP snippet with tab stops for the value. */
  snippet: string;
  /** Whether underscore labels (_dmarc, _sip._tcp) are usual in names of this type. */
  underscoreNames: boolean;
  reference: string;
  /** The value check (the record's name, when known, for checks that relate the two). */
  validate: (value: string, name?: string) => Finding[];
  /** The value is checked as written: leading and trailing spaces are part of it (TXT). */
  keepsWhitespace?: boolean;
}

/**
 * The record types Shoreline validates, one entry each in RECORD_TYPES below:
 * its description, value format, examples, naming rule and value validator.
 * Adding a type is adding its entry (and, for a new value format, its
 * validator in values.ts); RecordType is the entries' keys, so a type named
 * anywhere else (DREAMHOST_RECORD_TYPES) without an entry does not compile.
 */
export type RecordType = keyof typeof RECORD_TYPES;

export function isRecordType(type: string): type is RecordType {
  return Object.hasOwn(RECORD_TYPES, type);
}

const info = <T extends string>(type: T, fields: Omit<RecordTypeInfo, 'type'>): RecordTypeInfo & { type: T } => ({ type, ...fields });

export const RECORD_TYPES = Object.freeze({
  A: info('A', {
    summary: 'IPv4 address of a host',
    valueFormat: 'IPv4 address',
    example: '192.0.2.10',
    snippet: '${1:192.0.2.10}',
    underscoreNames: false,
    reference: 'RFC 1035 §3.4.1',
    validate: validateA,
  }),
  AAAA: info('AAAA', {
    summary: 'IPv6 address of a host',
    valueFormat: 'IPv6 address',
    example: '2001:db8::10',
    snippet: '${1:2001:db8::10}',
    underscoreNames: false,
    reference: 'RFC 3596',
    validate: validateAAAA,
  }),
  CNAME: info('CNAME', {
    summary: 'alias: this name is another name',
    valueFormat: 'target host name',
    example: 'www.example.com',
    snippet: '${1:target.example.com}',
    underscoreNames: true,
    reference: 'RFC 1034 §3.6.2',
    validate: validateHostTarget('CNAME'),
  }),
  MX: info('MX', {
    summary: 'mail exchanger for the name',
    valueFormat: 'priority host',
    example: '10 mail.example.com',
    snippet: '${1:10} ${2:mail.example.com}',
    underscoreNames: false,
    reference: 'RFC 1035 §3.3.9',
    validate: validateMX,
  }),
  NS: info('NS', {
    summary: 'delegates the name to a name server',
    valueFormat: 'name server host name',
    example: 'ns1.example.net',
    snippet: '${1:ns1.example.net}',
    underscoreNames: false,
    reference: 'RFC 1035 §3.3.11',
    validate: validateHostTarget('NS'),
  }),
  PTR: info('PTR', {
    summary: 'reverse mapping from an address to a name',
    valueFormat: 'host name',
    example: 'host.example.com',
    snippet: '${1:host.example.com}',
    underscoreNames: false,
    reference: 'RFC 1035 §3.3.12',
    validate: validateHostTarget('PTR'),
  }),
  TXT: info('TXT', {
    summary: 'free text (SPF, DKIM, site verification)',
    valueFormat: 'text, or "quoted" "strings"',
    example: 'v=spf1 mx -all',
    snippet: '${1:v=spf1 mx -all}',
    underscoreNames: true,
    reference: 'RFC 1035 §3.3.14',
    validate: validateTXT,
    keepsWhitespace: true,
  }),
  SRV: info('SRV', {
    summary: 'location of a service (_service._proto.name)',
    valueFormat: 'priority weight port target',
    example: '10 5 5060 sip.example.com',
    snippet: '${1:10} ${2:5} ${3:5060} ${4:sip.example.com}',
    underscoreNames: true,
    reference: 'RFC 2782',
    validate: validateSRV,
  }),
  NAPTR: info('NAPTR', {
    summary: 'rewrite rule for URIs (ENUM, SIP)',
    valueFormat: 'order preference "flags" "service" "regexp" replacement',
    example: '100 10 "U" "E2U+sip" "!^.*$!sip:info@example.com!" .',
    snippet: '${1:100} ${2:10} "${3:U}" "${4:E2U+sip}" "${5:!^.*$!sip:info@example.com!}" ${6:.}',
    underscoreNames: false,
    reference: 'RFC 3403 §4.1',
    validate: validateNAPTR,
  }),
  CAA: info('CAA', {
    summary: 'which certificate authorities may issue for the name',
    valueFormat: 'flags tag "value"',
    example: '0 issue "letsencrypt.org"',
    snippet: '${1:0} ${2|issue,issuewild,iodef|} "${3:letsencrypt.org}"',
    underscoreNames: false,
    reference: 'RFC 8659',
    validate: validateCAA,
  }),
  DS: info('DS', {
    summary: "delegation signer: the hash of a child zone's DNSSEC key",
    valueFormat: 'key-tag algorithm digest-type digest',
    example: '12345 13 2 3F1C2A0A9E5B5C2A7F6E0C9A1C77D1E3A9B6C8D2E4F60718293A4B5C6D7E8F90',
    snippet: '${1:12345} ${2:13} ${3:2} ${4:digest}',
    underscoreNames: false,
    reference: 'RFC 4034 §5.3',
    validate: validateDS,
  }),
  SSHFP: info('SSHFP', {
    summary: 'fingerprint of an SSH host key',
    valueFormat: 'algorithm fingerprint-type fingerprint',
    example: '4 2 9D5B7C9A1E3F5A7C9E1B3D5F7A9C1E3B5D7F9A1C3E5B7D9F1A3C5E7B9D1F3A5C',
    snippet: '${1|1,2,3,4|} ${2|2,1|} ${3:fingerprint}',
    underscoreNames: false,
    reference: 'RFC 4255 §3.2',
    validate: validateSSHFP,
  }),
  TLSA: info('TLSA', {
    summary: 'the certificate a TLS service presents (DANE)',
    valueFormat: 'usage selector matching-type data',
    example: '3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6',
    snippet: '${1|3,2,1,0|} ${2|1,0|} ${3|1,2,0|} ${4:data}',
    underscoreNames: true,
    reference: 'RFC 6698 §2.2',
    validate: validateTLSA,
  }),
  SVCB: info('SVCB', {
    summary: 'service binding: where and how to reach a service',
    valueFormat: 'priority target [key=value ...]',
    example: '1 svc.example.com. alpn=h2,h3',
    snippet: '${1:1} ${2:svc.example.com.} ${3:alpn=h2,h3}',
    underscoreNames: true,
    reference: 'RFC 9460 §2.1',
    validate: validateSVCB('SVCB'),
  }),
  HTTPS: info('HTTPS', {
    summary: 'HTTPS service binding (ALPN, ECH, address hints)',
    valueFormat: 'priority target [key=value ...]',
    example: '1 . alpn=h2,h3',
    snippet: '${1:1} ${2:.} ${3:alpn=h2,h3}',
    underscoreNames: true,
    reference: 'RFC 9460 §9',
    validate: validateSVCB('HTTPS'),
  }),
  URI: info('URI', {
    summary: 'a URI for a service (_service._proto.name)',
    valueFormat: 'priority weight "target"',
    example: '10 1 "https://example.com/"',
    snippet: '${1:10} ${2:1} "${3:https://example.com/}"',
    underscoreNames: true,
    reference: 'RFC 7553 §4.4',
    validate: validateURI,
  }),
  SPF: info('SPF', {
    summary: 'SPF policy in the obsolete SPF type (use TXT)',
    valueFormat: 'text, or "quoted" "strings"',
    example: 'v=spf1 mx -all',
    snippet: '${1:v=spf1 mx -all}',
    underscoreNames: false,
    reference: 'RFC 7208 §3.1',
    validate: validateTXT,
    keepsWhitespace: true,
  }),
});

/** The record types the DreamHost API (dns-add_record) and its Terraform provider accept. */
export const DREAMHOST_RECORD_TYPES: readonly RecordType[] = Object.freeze(['A', 'AAAA', 'CNAME', 'MX', 'NS', 'PTR', 'TXT', 'SRV', 'NAPTR'] as const);

/** Every type in the table, in its order. */
export const RECORD_TYPE_NAMES = Object.keys(RECORD_TYPES) as RecordType[];

/** Types whose value names a single host that must not be an address. */
export const HOST_TARGET_TYPES: readonly string[] = Object.freeze(['CNAME', 'NS', 'PTR']);

export function recordTypeInfo(type: string): RecordTypeInfo | undefined {
  return isRecordType(type) ? RECORD_TYPES[type] : undefined;
}
