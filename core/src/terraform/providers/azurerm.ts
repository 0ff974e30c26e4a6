import type { AttributeSchema, NestedBlockSchema, ProviderSchema, ResourceSchema } from '../schema.js';
import {
  arg,
  argumentsFinding,
  quoted,
  recordNameFindings,
  recordValueFindings,
  texts,
  TIMEOUTS_BLOCK,
  zoneSources,
  surelySet,
  type DeclaredRecord,
  type LocatedFinding,
  type RecordBlockView,
  type RecordInput,
  type RecordReading,
  type ZoneSource,
} from './dns-records.js';

/**
 * Azure DNS records: one resource per type, `azurerm_dns_{a,aaaa,caa,cname,mx,ns,ptr,srv,txt}_record`.
 * Facts from hashicorp/terraform-provider-azurerm (internal/services/dns/dns_*_record_resource.go).
 * Names are relative to the zone (`@` for the apex); values are never relative.
 */

/** How the values of one type are written: a list of strings, one string, or `record` blocks with fields. */
type AzureValues = { kind: 'records' } | { kind: 'record' } | { kind: 'blocks'; fields: readonly string[]; format: (values: string[]) => string };

interface AzureType {
  type: string;
  values: AzureValues;
  /** `target_resource_id` (an Azure resource the record follows) may replace the values. */
  targetResource?: boolean;
  /** The MX record's name has a default (`@`). */
  nameDefault?: string;
  blockDescription?: string;
  fieldDescriptions?: Readonly<Record<string, string>>;
}

const AZURE_TYPES: readonly AzureType[] = [
  { type: 'A', values: { kind: 'records' }, targetResource: true },
  { type: 'AAAA', values: { kind: 'records' }, targetResource: true },
  {
    type: 'CAA',
    values: { kind: 'blocks', fields: ['flags', 'tag', 'value'], format: ([flags, tag, value]) => `${flags} ${tag} ${quoted(value!)}` },
    blockDescription: 'One CAA value.',
    fieldDescriptions: { flags: '0, or 128 for critical.', tag: 'issue, issuewild, iodef or contactemail.', value: 'The CA domain, or the URL for iodef.' },
  },
  { type: 'CNAME', values: { kind: 'record' }, targetResource: true },
  {
    type: 'MX',
    values: { kind: 'blocks', fields: ['preference', 'exchange'], format: (values) => values.join(' ') },
    nameDefault: '@',
    blockDescription: 'One mail exchanger.',
    fieldDescriptions: { preference: 'The preference, lower first (0 to 65535).', exchange: 'The mail server host name.' },
  },
  { type: 'NS', values: { kind: 'records' } },
  { type: 'PTR', values: { kind: 'records' } },
  {
    type: 'SRV',
    values: { kind: 'blocks', fields: ['priority', 'weight', 'port', 'target'], format: (values) => values.join(' ') },
    blockDescription: 'One service location.',
    fieldDescriptions: { priority: 'The priority, lower first.', weight: 'The share among equal priorities.', port: 'The port of the service.', target: 'The host of the service.' },
  },
  {
    type: 'TXT',
    values: { kind: 'blocks', fields: ['value'], format: ([value]) => value! },
    blockDescription: 'One TXT value.',
    fieldDescriptions: { value: 'The text, 1 to 4096 characters (Azure splits it into strings).' },
  },
];

/** The CAA tags the provider's validator accepts. */
const AZURE_CAA_TAGS = ['issue', 'issuewild', 'iodef', 'contactemail'];

function readAzureRecord(spec: AzureType): (view: RecordBlockView) => RecordReading {
  return (view) => {
    const findings: LocatedFinding[] = [];
    const { type } = spec;
    const nameInput = view.get('name');
    const name = nameInput ? nameInput.text : spec.nameDefault;
    if (nameInput?.text !== undefined) for (const finding of recordNameFindings(nameInput.text, type, 'relative', 'Azure DNS')) findings.push({ at: nameInput.at, finding });
    const target = view.get('target_resource_id');
    const valueInput = view.get(spec.values.kind === 'records' ? 'records' : 'record');
    if (spec.targetResource && surelySet(target) && surelySet(valueInput))
      findings.push({ at: target.at, finding: argumentsFinding(`set either \`${spec.values.kind}\` or \`target_resource_id\`, not both`) });
    if (spec.targetResource && !target && !valueInput) findings.push({ at: view.at, finding: argumentsFinding(`an Azure ${type} record needs \`${spec.values.kind}\` or \`target_resource_id\``) });
    const values: { value: string; at: unknown }[] = [];
    if (spec.values.kind === 'records') for (const item of valueInput?.items ?? []) if (item.text !== undefined) values.push({ value: item.text, at: item.at });
    if (spec.values.kind === 'record' && valueInput?.text !== undefined) values.push({ value: valueInput.text, at: valueInput.at });
    if (spec.values.kind === 'blocks') {
      for (const block of valueInput?.objects ?? []) {
        const fields = texts(block, spec.values.fields);
        if (type === 'CAA') {
          const tag = block.get('tag');
          if (tag?.text !== undefined && !AZURE_CAA_TAGS.includes(tag.text)) {
            findings.push({ at: tag.at, finding: { code: 'dns/caa-format', message: `Azure DNS takes the CAA tags ${AZURE_CAA_TAGS.join(', ')}, not '${tag.text}'` } });
            continue;
          }
        }
        if (fields) values.push({ value: spec.values.format(fields), at: (block.get(spec.values.fields.at(-1)!) as RecordInput | undefined)?.at ?? block.at });
      }
    }
    const records: DeclaredRecord[] = [];
    for (const { value, at } of values) {
      // Azure keeps TXT text as given and splits it itself: its value is not zone-file text.
      if (type !== 'TXT') for (const finding of recordValueFindings(type, value)) findings.push({ at, finding });
      if (name !== undefined) records.push({ name, type, value: type === 'TXT' ? quoted(value) : value, at });
    }
    return { findings, records, zone: view.get('zone_name'), name: nameInput };
  };
}

function azureResource(spec: AzureType): ResourceSchema {
  const lower = spec.type.toLowerCase();
  const valueAttributes: AttributeSchema[] = [];
  const blocks: NestedBlockSchema[] = [TIMEOUTS_BLOCK];
  if (spec.values.kind === 'records') {
    const examples: Record<string, string> = { A: '192.0.2.10', AAAA: '2001:db8::10', NS: 'ns1.example.net', PTR: 'host.example.com' };
    valueAttributes.push(arg('records', 'list', spec.targetResource ? 'optional' : 'required', `The ${spec.type} values.`, { example: examples[spec.type] ?? '' }));
  } else if (spec.values.kind === 'record') {
    valueAttributes.push(arg('record', 'string', 'optional', 'The target host name.', { example: 'target.example.com' }));
  } else {
    blocks.unshift({
      name: 'record',
      minItems: 1,
      description: spec.blockDescription ?? `One ${spec.type} value.`,
      attributes: spec.values.fields.map((field) =>
        arg(
          field,
          field === 'tag' || field === 'value' || field === 'exchange' || field === 'target' || field === 'preference' ? 'string' : 'number',
          'required',
          spec.fieldDescriptions?.[field] ?? field,
        ),
      ),
    });
  }
  return {
    kind: 'resource',
    type: `azurerm_dns_${lower}_record`,
    provider: 'azurerm',
    description: `A set of ${spec.type} records at one name of an Azure DNS zone.`,
    docs: `https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/dns_${lower}_record`,
    attributes: [
      arg('name', 'string', spec.nameDefault ? 'optional' : 'required', 'The record name relative to the zone; `@` for the apex.', { replace: true, example: spec.nameDefault ?? 'www' }),
      arg('resource_group_name', 'string', 'required', 'The resource group of the zone.', { replace: true }),
      arg('zone_name', 'string', 'required', 'The DNS name of the zone (e.g. `azurerm_dns_zone.main.name`).', { replace: true }),
      arg('ttl', 'number', 'required', 'Time to live in seconds.', { example: '300' }),
      ...valueAttributes,
      ...(spec.targetResource ? [arg('target_resource_id', 'string', 'optional', 'An Azure resource (public IP, Traffic Manager profile, Front Door...) the record follows, instead of values.')] : []),
      arg('tags', 'map', 'optional', 'Tags of the record set.'),
      arg('fqdn', 'string', 'computed', 'The fully qualified name of the record set (read-only).'),
      arg('id', 'string', 'computed', 'The Azure resource ID (read-only).'),
    ],
    blocks,
    dns: {
      provider: 'Azure DNS',
      facts: 'hashicorp/terraform-provider-azurerm `internal/services/dns/dns_*_record_resource.go`',
      types: [spec.type],
      names: 'relative',
      fixedType: spec.type,
      valueArguments: spec.values.kind === 'records' ? ['records'] : spec.values.kind === 'record' ? ['record'] : [],
      literalZone: 'dns-name',
      read: readAzureRecord(spec),
    },
  };
}

export const AZURE_DNS_RECORDS: readonly ResourceSchema[] = AZURE_TYPES.map(azureResource);

export const AZURE_ZONES: readonly ZoneSource[] = zoneSources('azurerm_dns_zone', ['name']);

export const azurermProvider: ProviderSchema = {
  name: 'azurerm',
  source: 'hashicorp/azurerm',
  description: 'Manages Azure resources; Shoreline checks its Azure DNS records.',
  attributes: [
    arg('subscription_id', 'string', 'optional', 'The subscription; defaults to `ARM_SUBSCRIPTION_ID`.'),
    arg('client_secret', 'string', 'optional', 'A service principal secret; defaults to `ARM_CLIENT_SECRET`.', { sensitive: true }),
  ],
  openAttributes: true,
  openBlocks: true,
  resources: AZURE_DNS_RECORDS,
};
