import type { ProviderSchema, ResourceSchema } from '../schema.js';
import {
  arg,
  argumentsFinding,
  quoted,
  recordNameFindings,
  recordTypeArgument,
  recordValueFindings,
  targetDotFinding,
  type DeclaredRecord,
  type LocatedFinding,
  type RecordBlockView,
  type RecordReading,
  type ZoneSource,
  zoneSources,
} from './dns-records.js';

/**
 * DigitalOcean domain records (`digitalocean_record`). Facts from
 * digitalocean/terraform-provider-digitalocean (digitalocean/domain/resource_record.go:
 * the schema, its CustomizeDiff, the trailing dot it reads back) and the
 * DigitalOcean API (422 "Data needs to end with a dot (.)").
 */

export const DIGITALOCEAN_RECORD_TYPES = ['A', 'AAAA', 'CAA', 'CNAME', 'MX', 'NS', 'TXT', 'SRV', 'SOA'];

/** The fields a type needs beside `value` (the CustomizeDiff and create checks of the provider). */
const NEEDED: Record<string, readonly string[]> = { MX: ['priority'], SRV: ['priority', 'weight', 'port'], CAA: ['flags', 'tag'] };

/** The value in zone-file form: DigitalOcean keeps priority, weight, port, flags and tag apart from `value`. */
function zoneFileValue(type: string, value: string, field: (name: string) => string | undefined): string | undefined {
  switch (type) {
    case 'MX':
      return field('priority') === undefined ? undefined : `${field('priority')} ${value}`;
    case 'SRV': {
      const [priority, weight, port] = ['priority', 'weight', 'port'].map(field);
      return priority === undefined || weight === undefined || port === undefined ? undefined : `${priority} ${weight} ${port} ${value}`;
    }
    case 'CAA':
      return field('flags') === undefined || field('tag') === undefined ? undefined : `${field('flags')} ${field('tag')} ${quoted(value)}`;
    default:
      return value;
  }
}

function readDigitalOceanRecord(view: RecordBlockView): RecordReading {
  const findings: LocatedFinding[] = [];
  const nameInput = view.get('name');
  const written = view.get('type')?.text;
  const type = written !== undefined && DIGITALOCEAN_RECORD_TYPES.includes(written) ? written : undefined;
  if (nameInput?.text !== undefined) for (const finding of recordNameFindings(nameInput.text, type, 'relative', 'DigitalOcean')) findings.push({ at: nameInput.at, finding });
  for (const needed of NEEDED[type ?? ''] ?? []) {
    if (!view.get(needed)) findings.push({ at: view.at, finding: argumentsFinding(`a DigitalOcean ${type} record needs \`${needed}\``) });
  }
  const valueInput = view.get('value');
  const records: DeclaredRecord[] = [];
  const value = valueInput?.text;
  if (type !== undefined && value !== undefined) {
    // `value` is the host alone for CNAME, MX, NS and SRV: DigitalOcean keeps the other fields apart.
    const dot = value === '@' ? undefined : targetDotFinding(type, value, 'DigitalOcean', { hostOnly: true });
    if (dot) findings.push({ at: valueInput!.at, finding: dot });
    const presentation = value === '@' ? undefined : zoneFileValue(type, value, (name) => view.get(name)?.text);
    if (presentation !== undefined) {
      // The issuer domain of a CAA record too (the provider reads it back with the dot; the API refuses it without).
      const tag = view.get('tag')?.text;
      if (type === 'CAA' && (tag === 'issue' || tag === 'issuewild') && value !== ';' && !value.endsWith('.')) {
        findings.push({
          at: valueInput!.at,
          finding: {
            code: 'dns/target-needs-trailing-dot',
            message: `DigitalOcean takes the CAA issuer domain with a trailing dot; write '${value}.'`,
            replacement: `${value}.`,
            fixTitle: 'Add the trailing dot',
          },
        });
      }
      if (type !== 'TXT') for (const finding of recordValueFindings(type, presentation)) findings.push({ at: valueInput!.at, finding });
      if (nameInput?.text !== undefined) records.push({ name: nameInput.text, type, value: type === 'TXT' ? quoted(presentation) : presentation, at: valueInput!.at });
    }
  }
  return { findings, records, zone: view.get('domain'), name: nameInput };
}

export const digitaloceanRecord: ResourceSchema = {
  kind: 'resource',
  type: 'digitalocean_record',
  provider: 'digitalocean',
  description: 'A DNS record of a domain managed by DigitalOcean.',
  docs: 'https://registry.terraform.io/providers/digitalocean/digitalocean/latest/docs/resources/record',
  attributes: [
    arg('domain', 'string', 'required', 'The domain (e.g. `digitalocean_domain.main.id`).', { replace: true }),
    recordTypeArgument(DIGITALOCEAN_RECORD_TYPES, 'DigitalOcean', { replace: true }),
    arg('name', 'string', 'required', 'The record name relative to the domain; `@` for the domain itself.', { example: 'www' }),
    arg('value', 'string', 'required', 'The value: an address, a host with the trailing dot (`mail.example.com.`) or `@`, the text of a TXT record, the CA domain of a CAA record.', {
      example: '192.0.2.10',
    }),
    arg('priority', 'number', 'optional', 'The priority of an MX or SRV record, 0 to 65535.'),
    arg('port', 'number', 'optional', 'The port of an SRV record.'),
    arg('weight', 'number', 'optional', 'The weight of an SRV record.'),
    arg('flags', 'number', 'optional', 'The flags of a CAA record, 0 to 255.'),
    arg('tag', 'string', 'optional', 'The tag of a CAA record: issue, issuewild or iodef.', { enum: ['issue', 'issuewild', 'iodef'] }),
    arg('ttl', 'number', 'optional', 'Time to live in seconds (default 1800).'),
    arg('fqdn', 'string', 'computed', 'The fully qualified name of the record (read-only).'),
    arg('id', 'string', 'computed', 'The record ID (read-only).'),
  ],
  dns: {
    provider: 'DigitalOcean',
    facts: 'digitalocean/terraform-provider-digitalocean `digitalocean/domain/resource_record.go` (schema, CustomizeDiff); DigitalOcean API (422 \"Data needs to end with a dot\")',
    types: DIGITALOCEAN_RECORD_TYPES,
    names: 'relative',
    typeArgument: 'type',
    valueArguments: ['value'],
    literalZone: 'dns-name',
    presentation: (type, value, values) => (value === '@' ? undefined : zoneFileValue(type, value, (name) => values[name])),
    valueSnippet: (type) => ({ CNAME: '${1:target.example.com.}', NS: '${1:ns1.example.net.}', MX: '${1:mail.example.com.}', SRV: '${1:sip.example.com.}', CAA: '${1:letsencrypt.org}' })[type],
    read: readDigitalOceanRecord,
  },
};

export const DIGITALOCEAN_ZONES: readonly ZoneSource[] = zoneSources('digitalocean_domain', ['name']);

export const digitaloceanProvider: ProviderSchema = {
  name: 'digitalocean',
  source: 'digitalocean/digitalocean',
  description: 'Manages DigitalOcean resources; Shoreline checks its domain records.',
  attributes: [arg('token', 'string', 'optional', 'A DigitalOcean API token; defaults to `DIGITALOCEAN_TOKEN`.', { sensitive: true })],
  openAttributes: true,
  openBlocks: true,
  resources: [digitaloceanRecord],
};
