import type { Finding } from '../../diagnostics/types.js';
import { DREAMHOST_RECORD_TYPES, RECORD_TYPES } from '../../dns/types.js';
import { validateRecordName } from '../../dns/names.js';
import { validateRecordValue } from '../../dns/values.js';
import type { AttributeFinding, AttributeSchema, BlockValues, ImportIdFormat, ProviderSchema, ResourceSchema } from '../schema.js';

const typeDescription = 'The record type, one the DreamHost API accepts.';

const isDreamhostType = (type: string) => (DREAMHOST_RECORD_TYPES as readonly string[]).includes(type);

/** A record type as DreamHost expects it: upper case, one of the accepted types. */
export function validateDreamhostType(type: string): Finding[] {
  if (isDreamhostType(type)) return [];
  const upper = type.toUpperCase();
  if (isDreamhostType(upper)) {
    return [
      {
        code: 'dns/type-not-uppercase',
        message: `DreamHost reports record types in upper case, so "${type}" would show as a change on every plan and replace the record; write "${upper}"`,
        replacement: upper,
        fixTitle: `Change to ${upper}`,
      },
    ];
  }
  const other = Object.hasOwn(RECORD_TYPES, upper) ? ` ${upper} records are valid DNS but DreamHost does not manage them.` : '';
  return [{ code: 'dns/type-unsupported', message: `'${type}' is not a record type DreamHost accepts; expected one of ${DREAMHOST_RECORD_TYPES.join(', ')}.${other}` }];
}

/** The checks of one record: name and value as its type has them (the type itself is the `type` attribute's check). */
function validateRecord(values: BlockValues, { valueRequired }: { valueRequired: boolean }): AttributeFinding[] {
  const findings: AttributeFinding[] = [];
  const { record, type, value } = values;
  // A type in the wrong case is still a type: its name and value are checked as that type.
  const upper = type?.toUpperCase();
  const knownType = upper !== undefined && isDreamhostType(upper) ? upper : undefined;
  if (record !== undefined) findings.push(...validateRecordName(record, knownType).map((finding) => ({ ...finding, attribute: 'record' })));
  if (value !== undefined && knownType !== undefined && (valueRequired || value !== '')) {
    findings.push(...validateRecordValue(knownType, value, record).map((finding) => ({ ...finding, attribute: 'value' })));
  }
  return findings;
}

const recordAttribute: AttributeSchema = {
  name: 'record',
  type: 'string',
  mode: 'required',
  replace: true,
  description: 'The fully-qualified name of the record, without trailing dot (e.g. `www.example.com`).',
  example: 'www.example.com',
};
const typeAttribute: AttributeSchema = {
  name: 'type',
  type: 'string',
  mode: 'required',
  replace: true,
  enum: DREAMHOST_RECORD_TYPES,
  check: validateDreamhostType,
  description: typeDescription,
  example: 'A',
};
const valueAttribute: AttributeSchema = {
  name: 'value',
  type: 'string',
  mode: 'required',
  replace: true,
  description: 'The record data in the form its type needs: an address for A/AAAA, a host for CNAME/NS/PTR, `priority host` for MX, `priority weight port target` for SRV, text for TXT.',
  example: '192.0.2.10',
};
const computed = (name: string, description: string): AttributeSchema => ({ name, type: 'string', mode: 'computed', description });

const importId: ImportIdFormat = {
  format: 'TYPE|RECORD|VALUE',
  fromValues: ({ type, record, value }) => (type !== undefined && record !== undefined && value !== undefined ? `${type}|${record}|${value}` : undefined),
  validate(id: string): Finding[] {
    const parts = id.split('|');
    if (parts.length !== 3) {
      return [
        {
          code: 'tf/import-id-invalid',
          message: `a dreamhost_dns_record import ID is TYPE|RECORD|VALUE (e.g. "A|www.example.com|192.0.2.10"); '${id}' has ${parts.length} part${parts.length === 1 ? '' : 's'}`,
        },
      ];
    }
    const [type, record, value] = parts as [string, string, string];
    return [...validateDreamhostType(type), ...validateRecord({ type, record, value }, { valueRequired: true })]
      .filter((finding) => finding.code !== 'dns/name-not-lowercase' && finding.severity !== 'hint')
      .map((finding) => ({ code: 'tf/import-id-invalid', message: `in the import ID, ${finding.message}` }));
  },
};

export const dreamhostRecordResource: ResourceSchema = {
  kind: 'resource',
  type: 'dreamhost_dns_record',
  provider: 'dreamhost',
  description: 'A DNS record in a DreamHost-hosted zone. DreamHost records cannot be edited in place: any change replaces the record.',
  docs: 'https://registry.terraform.io/providers/adamantal/dreamhost/latest/docs/resources/dns_record',
  attributes: [
    recordAttribute,
    typeAttribute,
    valueAttribute,
    computed('comment', 'The comment DreamHost keeps with the record (read-only; set by DreamHost).'),
    computed('account_id', 'The DreamHost account the record belongs to (read-only).'),
    computed('zone', 'The zone the record belongs to (read-only).'),
    computed('editable', 'Whether DreamHost lets the record be changed: records DreamHost manages itself are not editable (read-only).'),
    computed('id', 'The resource ID, TYPE|RECORD|VALUE (read-only).'),
  ],
  validate: (values) => validateRecord(values, { valueRequired: true }),
  importId,
  dns: {
    provider: 'DreamHost',
    facts: 'adamantal/dreamhost provider docs; DreamHost API `dns-add_record`',
    types: DREAMHOST_RECORD_TYPES,
    names: 'fqdn',
    typeArgument: 'type',
    valueArguments: ['value'],
    // The name and value checks are the schema's `validate` (shared with Pulumi's bridged record); the reading gives the zone rules their record.
    read(view) {
      const [record, type, value] = [view.get('record'), view.get('type'), view.get('value')];
      if (record?.text === undefined || type?.text === undefined || value?.text === undefined) return { findings: [], records: [] };
      return { findings: [], records: [{ name: record.text, type: type.text.toUpperCase(), value: value.text, at: record.at }] };
    },
  },
};

export const dreamhostRecordData: ResourceSchema = {
  kind: 'data',
  type: 'dreamhost_dns_record',
  provider: 'dreamhost',
  description: 'Looks up one existing DreamHost DNS record by name and type (and value, when several match).',
  docs: 'https://registry.terraform.io/providers/adamantal/dreamhost/latest/docs/data-sources/dns_record',
  attributes: [
    { ...recordAttribute, replace: false, description: 'The record name to look up.' },
    { ...typeAttribute, replace: false },
    { ...valueAttribute, mode: 'optional', replace: false, description: 'The value, to tell apart several records of the same name and type.' },
    computed('comment', 'The comment DreamHost keeps with the record.'),
    computed('account_id', 'The DreamHost account the record belongs to.'),
    computed('zone', 'The zone of the record.'),
    computed('editable', 'Whether the record is editable.'),
    computed('id', 'The record ID, TYPE|RECORD|VALUE.'),
  ],
  validate: (values) => validateRecord(values, { valueRequired: false }),
};

export const dreamhostRecordsData: ResourceSchema = {
  kind: 'data',
  type: 'dreamhost_dns_records',
  provider: 'dreamhost',
  description: 'Lists the DNS records of the DreamHost account, optionally filtered.',
  docs: 'https://registry.terraform.io/providers/adamantal/dreamhost/latest/docs/data-sources/dns_records',
  attributes: [{ name: 'records', type: 'list', mode: 'computed', description: 'The matching records, each with id, record, type, value, zone, comment, account_id and editable.' }],
  blocks: [
    {
      name: 'filter',
      maxItems: 1,
      description: 'Which records to list; every attribute given must match.',
      attributes: [
        { name: 'record', type: 'string', mode: 'optional', description: 'Part of the record name to match.' },
        { name: 'type', type: 'string', mode: 'optional', enum: DREAMHOST_RECORD_TYPES, check: validateDreamhostType, description: typeDescription },
        { name: 'value', type: 'string', mode: 'optional', description: 'Part of the value to match.' },
        { name: 'zone', type: 'string', mode: 'optional', description: 'The zone to list.' },
      ],
    },
  ],
};

export const dreamhostProvider: ProviderSchema = {
  name: 'dreamhost',
  source: 'adamantal/dreamhost',
  // adamantal/dreamhost declares the one resource; the data sources here are a superset of it.
  complete: true,
  description: 'Manages DNS records of domains hosted at DreamHost through the DreamHost API.',
  attributes: [
    {
      name: 'api_key',
      type: 'string',
      // Required by the provider, but taken from DREAMHOST_API_KEY when not set here (the usual way).
      mode: 'optional',
      sensitive: true,
      description:
        'The DreamHost API key (from the DreamHost panel, with the dns-* functions enabled). Defaults to the `DREAMHOST_API_KEY` environment variable; pass it from there or from a variable, never as literal text.',
    },
  ],
  resources: [dreamhostRecordResource, dreamhostRecordData, dreamhostRecordsData],
};
