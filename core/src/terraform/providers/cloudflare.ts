import type { Finding } from '../../diagnostics/types.js';
import type { ProviderSchema, ResourceSchema } from '../schema.js';
import {
  arg,
  argumentsFinding,
  objectOf,
  quoted,
  recordNameFindings,
  recordTypeArgument,
  recordValueFindings,
  texts,
  TIMEOUTS_BLOCK,
  zoneSources,
  surelySet,
  type DnsRecordSchema,
  type LocatedFinding,
  type RecordBlockView,
  type RecordReading,
  type ZoneSource,
} from './dns-records.js';

/**
 * Cloudflare DNS records: `cloudflare_dns_record` of provider v5 and
 * `cloudflare_record` of v4. Facts from cloudflare/terraform-provider-cloudflare
 * (internal/services/dns_record/schema.go; the v4 schema kept in its
 * migration/v500) and the Cloudflare API documentation.
 */

/** The types of the v5 schema's `type` validator (OneOfCaseInsensitive). */
export const CLOUDFLARE_RECORD_TYPES = [
  'A',
  'AAAA',
  'CNAME',
  'MX',
  'TXT',
  'NS',
  'SRV',
  'CAA',
  'PTR',
  'HTTPS',
  'SVCB',
  'URI',
  'DS',
  'SSHFP',
  'TLSA',
  'NAPTR',
  'CERT',
  'DNSKEY',
  'LOC',
  'SMIMEA',
  'OPENPGPKEY',
];

/** Only these are proxied (Cloudflare API error 9004 otherwise). */
const PROXIABLE = ['A', 'AAAA', 'CNAME'];

/** Types whose value is given in `data`, field by field, and how the fields read in zone-file form. */
const DATA_FIELDS: Record<string, { fields: readonly string[]; format: (values: string[]) => string }> = {
  CAA: { fields: ['flags', 'tag', 'value'], format: ([flags, tag, value]) => `${flags} ${tag} ${quoted(value!)}` },
  SRV: { fields: ['priority', 'weight', 'port', 'target'], format: (values) => values.join(' ') },
  DS: { fields: ['key_tag', 'algorithm', 'digest_type', 'digest'], format: (values) => values.join(' ') },
  SSHFP: { fields: ['algorithm', 'type', 'fingerprint'], format: (values) => values.join(' ') },
  TLSA: { fields: ['usage', 'selector', 'matching_type', 'certificate'], format: (values) => values.join(' ') },
  HTTPS: { fields: ['priority', 'target', 'value'], format: (values) => values.join(' ') },
  SVCB: { fields: ['priority', 'target', 'value'], format: (values) => values.join(' ') },
  NAPTR: {
    fields: ['order', 'preference', 'flags', 'service', 'regex', 'replacement'],
    format: ([order, preference, flags, service, regex, replacement]) => `${order} ${preference} ${quoted(flags!)} ${quoted(service!)} ${quoted(regex!)} ${replacement}`,
  },
};

function ttlFinding(text: string): Finding | undefined {
  const ttl = Number(text);
  if (!Number.isFinite(ttl) || ttl === 1) return undefined;
  if (ttl < 30 || ttl > 86400) return { code: 'dns/ttl-range', message: `Cloudflare takes a TTL of 1 (automatic) or 60 to 86400 seconds (30 for Enterprise zones), not ${text}` };
  if (ttl < 60) return { code: 'dns/ttl-range', severity: 'information', message: `a TTL of ${text} seconds is accepted only in Enterprise zones; other plans take 60 to 86400, or 1 (automatic)` };
  return undefined;
}

/** The record value in zone-file form, from `content` (with `priority` for MX) or from the `data` fields. */
function cloudflareValue(view: RecordBlockView, type: string): { value: string; at: unknown } | undefined {
  const data = view.get('data');
  const fields = DATA_FIELDS[type];
  const object = objectOf(data);
  if (type === 'URI' && object) {
    const [weight, target] = texts(object, ['weight', 'target']) ?? [];
    const priority = view.get('priority')?.text;
    return priority !== undefined && weight !== undefined && target !== undefined ? { value: `${priority} ${weight} ${quoted(target)}`, at: data!.at } : undefined;
  }
  if (fields && object) {
    // SRV's priority may be given beside `data` (v5 reads either).
    const values = texts(object, fields.fields) ?? (type === 'SRV' ? srvWithOuterPriority(view, object) : undefined);
    return values ? { value: fields.format(values), at: data!.at } : undefined;
  }
  const content = view.get('content') ?? view.get('value');
  if (content?.text === undefined) return undefined;
  if (type === 'MX') {
    const priority = view.get('priority')?.text;
    return priority === undefined ? undefined : { value: `${priority} ${content.text}`, at: content.at };
  }
  return { value: content.text, at: content.at };
}

function srvWithOuterPriority(view: RecordBlockView, data: RecordBlockView): string[] | undefined {
  const priority = view.get('priority')?.text;
  const rest = texts(data, ['weight', 'port', 'target']);
  return priority !== undefined && rest ? [priority, ...rest] : undefined;
}

function readCloudflareRecord(view: RecordBlockView): RecordReading {
  const findings: LocatedFinding[] = [];
  const nameInput = view.get('name');
  const written = view.get('type')?.text;
  const type = written !== undefined && CLOUDFLARE_RECORD_TYPES.includes(written.toUpperCase()) ? written.toUpperCase() : undefined;
  if (nameInput?.text !== undefined) for (const finding of recordNameFindings(nameInput.text, type, 'relative-or-fqdn', 'Cloudflare')) findings.push({ at: nameInput.at, finding });
  const proxied = view.get('proxied');
  if (proxied?.text === 'true' && type !== undefined && !PROXIABLE.includes(type)) {
    findings.push({ at: proxied.at, finding: { code: 'dns/proxied-type', message: `Cloudflare proxies only A, AAAA and CNAME records; a ${type} record cannot have proxied = true` } });
  }
  const ttl = view.get('ttl');
  const ttlProblem = ttl?.text === undefined ? undefined : ttlFinding(ttl.text);
  if (ttlProblem) findings.push({ at: ttl!.at, finding: ttlProblem });
  if (type === 'MX' && !view.get('priority')) findings.push({ at: view.at, finding: argumentsFinding('a Cloudflare MX record needs `priority` (the MX preference), set beside `content`') });
  if (surelySet(view.get('content')) && surelySet(view.get('value')))
    findings.push({ at: view.get('value')!.at, finding: argumentsFinding('`value` and `content` are the same field (content is the current name); set one of them') });
  const records = [];
  const value = type === undefined ? undefined : cloudflareValue(view, type);
  if (type !== undefined && value) {
    // Cloudflare keeps TXT content as given (it quotes and splits it itself): only the quoted form is checked as zone-file text.
    const rawText = (type === 'TXT' || type === 'SPF') && !value.value.startsWith('"');
    if (!rawText) for (const finding of recordValueFindings(type, value.value)) findings.push({ at: value.at, finding });
    if (nameInput?.text !== undefined) records.push({ name: nameInput.text, type, value: value.value, at: nameInput.at });
  }
  return { findings, records, zone: view.get('zone_id'), name: nameInput };
}

const cloudflareDns: Omit<DnsRecordSchema, 'valueArguments'> = {
  provider: 'Cloudflare',
  facts:
    'cloudflare/terraform-provider-cloudflare `internal/services/dns_record/schema.go` (v5) and its `migration/v500` (v4 schema); Cloudflare API docs (DNS records, CNAME flattening, proxied records)',
  types: CLOUDFLARE_RECORD_TYPES,
  names: 'relative-or-fqdn',
  typeArgument: 'type',
  flattensApexCname: true,
  presentation: (type, value, values) => (type === 'MX' ? (values['priority'] === undefined ? undefined : `${values['priority']} ${value}`) : value),
  valueSnippet: (type) => (type === 'MX' ? '${1:mail.example.com}' : undefined),
  read: readCloudflareRecord,
};

const dataFieldNames = [
  'flags',
  'tag',
  'value',
  'algorithm',
  'certificate',
  'key_tag',
  'type',
  'protocol',
  'public_key',
  'digest',
  'digest_type',
  'priority',
  'target',
  'altitude',
  'lat_degrees',
  'lat_direction',
  'lat_minutes',
  'lat_seconds',
  'long_degrees',
  'long_direction',
  'long_minutes',
  'long_seconds',
  'precision_horz',
  'precision_vert',
  'size',
  'order',
  'preference',
  'regex',
  'replacement',
  'service',
  'matching_type',
  'selector',
  'usage',
  'port',
  'weight',
  'fingerprint',
];

export const cloudflareDnsRecord: ResourceSchema = {
  kind: 'resource',
  type: 'cloudflare_dns_record',
  provider: 'cloudflare',
  description: 'A DNS record in a Cloudflare zone (provider v5).',
  docs: 'https://registry.terraform.io/providers/cloudflare/cloudflare/latest/docs/resources/dns_record',
  attributes: [
    arg('zone_id', 'string', 'required', 'The ID of the zone (e.g. `cloudflare_zone.example.id`).', { replace: true }),
    arg('name', 'string', 'required', 'The record name: relative to the zone (`www`), fully qualified (`www.example.com`), or `@` for the apex.', { example: 'www' }),
    recordTypeArgument(CLOUDFLARE_RECORD_TYPES, 'Cloudflare', { ignoresCase: true, replace: true }),
    arg('ttl', 'number', 'required', 'Time to live in seconds: 1 for automatic, or 60 to 86400 (30 in Enterprise zones).', { example: '1' }),
    arg('content', 'string', 'optional', 'The record value for A, AAAA, CNAME, MX (the host), NS, PTR, TXT...; types with structured values use `data`.', { example: '192.0.2.10' }),
    arg('data', 'map', 'optional', 'The fields of a structured value (CAA, SRV, DS, SSHFP, TLSA, HTTPS, SVCB, URI, NAPTR, CERT, LOC...), instead of `content`.'),
    arg('priority', 'number', 'optional', 'The preference of an MX record (and the priority of SRV and URI records), 0 to 65535.'),
    arg('proxied', 'bool', 'optional', "Whether traffic goes through Cloudflare's proxy (A, AAAA and CNAME records only)."),
    arg('comment', 'string', 'optional', 'A note kept with the record; no effect on DNS answers.'),
    arg('tags', 'list', 'optional', 'Tags kept with the record (`name:value`); no effect on DNS answers.'),
    arg('settings', 'map', 'optional', 'Record settings: `ipv4_only`, `ipv6_only`, `flatten_cname`.'),
    arg('private_routing', 'bool', 'optional', 'Routes the record privately to the origin.'),
    ...['id', 'comment_modified_on', 'created_on', 'modified_on', 'proxiable', 'tags_modified_on', 'meta'].map((name) => arg(name, 'string', 'computed', 'Set by Cloudflare (read-only).')),
  ],
  dns: { ...cloudflareDns, valueArguments: ['content'] },
};

export const cloudflareRecordV4: ResourceSchema = {
  kind: 'resource',
  type: 'cloudflare_record',
  provider: 'cloudflare',
  description: 'A DNS record in a Cloudflare zone (provider v4; v5 renamed it `cloudflare_dns_record`).',
  docs: 'https://registry.terraform.io/providers/cloudflare/cloudflare/4.52.0/docs/resources/record',
  attributes: [
    arg('zone_id', 'string', 'required', 'The ID of the zone.', { replace: true }),
    arg('name', 'string', 'required', 'The record name: relative to the zone, fully qualified, or `@` for the apex.', { example: 'www' }),
    recordTypeArgument(CLOUDFLARE_RECORD_TYPES, 'Cloudflare', { ignoresCase: true, replace: true }),
    arg('content', 'string', 'optional', 'The record value (A, AAAA, CNAME, MX host, TXT...).', { example: '192.0.2.10' }),
    arg('value', 'string', 'optional', 'The record value (the older name of `content`).'),
    arg('ttl', 'number', 'optional', 'Time to live in seconds: 1 for automatic, or 60 to 86400.'),
    arg('priority', 'number', 'optional', 'The preference of an MX record.'),
    arg('proxied', 'bool', 'optional', "Whether traffic goes through Cloudflare's proxy (A, AAAA and CNAME records only)."),
    arg('comment', 'string', 'optional', 'A note kept with the record.'),
    arg('tags', 'list', 'optional', 'Tags kept with the record.'),
    arg('allow_overwrite', 'bool', 'optional', 'Takes over an existing record of the same name and type instead of failing.'),
    ...['id', 'hostname', 'proxiable', 'created_on', 'modified_on', 'metadata'].map((name) => arg(name, 'string', 'computed', 'Set by Cloudflare (read-only).')),
  ],
  blocks: [
    {
      name: 'data',
      maxItems: 1,
      description: 'The fields of a structured value (CAA, SRV, DS, SSHFP, TLSA, HTTPS, SVCB, URI, NAPTR, CERT, LOC...).',
      attributes: [...dataFieldNames, 'content', 'proto', 'name'].map((name) => arg(name, 'any', 'optional', `The \`${name}\` field of the structured value.`)),
    },
    TIMEOUTS_BLOCK,
  ],
  dns: { ...cloudflareDns, valueArguments: ['content', 'value'] },
};

export const CLOUDFLARE_ZONES: readonly ZoneSource[] = zoneSources('cloudflare_zone', ['name', 'zone'], ['name']);

export const cloudflareProvider: ProviderSchema = {
  name: 'cloudflare',
  source: 'cloudflare/cloudflare',
  description: 'Manages Cloudflare zones, DNS records and other Cloudflare settings.',
  attributes: [
    arg('api_token', 'string', 'optional', 'A Cloudflare API token; defaults to `CLOUDFLARE_API_TOKEN`.', { sensitive: true }),
    arg('api_key', 'string', 'optional', 'A global API key (with `email`); defaults to `CLOUDFLARE_API_KEY`.', { sensitive: true }),
    arg('api_user_service_key', 'string', 'optional', 'An Origin CA key; defaults to `CLOUDFLARE_API_USER_SERVICE_KEY`.', { sensitive: true }),
  ],
  // The provider has many more settings (email, base_url, retries...): not judged here.
  openAttributes: true,
  openBlocks: true,
  resources: [cloudflareDnsRecord, cloudflareRecordV4],
};
