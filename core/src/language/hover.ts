import type { Position, Range } from '../diagnostics/types.js';
import { describeRecordValue } from '../dns/describe.js';
import { recordTypeInfo } from '../dns/types.js';
import { literalString, type HclAttribute, type HclBlock, type HclDocument } from '../hcl/types.js';
import type { LiveData } from '../live/index.js';
import { SchemaRegistry } from '../terraform/registry.js';
import type { NestedBlockSchema } from '../terraform/schema.js';
import type { DnsRecordSchema } from '../terraform/providers/dns-records.js';
import { listItemRanges, recordTypeOf } from '../terraform/record-view.js';
import { builtinBlock } from '../terraform/builtin.js';
import { propertyDocs } from '../schema/index.js';
import { blockDocs, resourceDocs } from './docs.js';
import { blockPath, contains } from './locate.js';
import { schemaForPath } from './schema-path.js';
import type { Hover } from './types.js';

/** Hover: a resource's description on its header, an attribute's docs on its name, and what a record value means. */
export function hover(document: HclDocument, position: Position, registry = SchemaRegistry.known, live?: LiveData): Hover | undefined {
  const top = document.body.blocks.find((block) => contains(block.range, position));
  if (!top) return undefined;
  if (contains(top.headerRange, position)) {
    const resource = (top.type === 'resource' || top.type === 'data') && top.labels[0] ? registry.resource(top.type, top.labels[0]) : undefined;
    if (resource) return { contents: { kind: 'markdown', value: resourceDocs(resource) }, range: top.headerRange };
    const provider = top.type === 'provider' && top.labels[0] ? registry.provider(top.labels[0]) : undefined;
    if (provider) return { contents: { kind: 'markdown', value: `**provider ${provider.name}** (\`${provider.source}\`)\n\n${provider.description}` }, range: top.headerRange };
    const builtin = builtinBlock(top.type);
    return builtin ? { contents: { kind: 'markdown', value: blockDocs(builtin) }, range: top.headerRange } : undefined;
  }
  const path = blockPath(document.body, position);
  const block = path[path.length - 1];
  if (!block) return undefined;
  if (contains(block.headerRange, position) && path.length > 1) {
    const nested = schemaForPath(registry, path)?.schema;
    if (nested && 'name' in nested) return { contents: { kind: 'markdown', value: blockDocs(nested as NestedBlockSchema) }, range: block.headerRange };
  }
  const attr = block.attributes.find((candidate) => contains(candidate.range, position));
  if (!attr) return undefined;
  const match = schemaForPath(registry, path);
  const schema = match?.schema.attributes.find((candidate) => candidate.name === attr.name);
  if (contains(attr.nameRange, position)) {
    return schema ? { contents: { kind: 'markdown', value: propertyDocs(schema) }, range: attr.nameRange } : undefined;
  }
  if (!contains(attr.valueRange, position) || !schema) return undefined;
  const value = literalString(attr);
  if (attr.name === 'type' && value !== undefined) {
    const info = recordTypeInfo(value);
    if (info)
      return { contents: { kind: 'markdown', value: `**${info.type}** (${info.reference}): ${info.summary}.\n\nValue: ${info.valueFormat}, e.g. \`${info.example}\`` }, range: attr.valueRange };
  }
  if (attr.name === 'record' && value !== undefined && match?.resource?.type === 'dreamhost_dns_record' && live?.dreamhostRecords()) {
    const atDreamhost = live.dreamhostRecords()!.filter((record) => record.record.toLowerCase() === value.toLowerCase());
    const state = atDreamhost.length
      ? atDreamhost.map((record) => `- ${record.type} ${record.value} — ${record.editable === '1' ? 'editable' : 'managed by DreamHost, not editable'}`).join('\n')
      : 'No record with this name at DreamHost yet.';
    return { contents: { kind: 'markdown', value: `**${value}** at DreamHost (live)\n\n${state}` }, range: attr.valueRange };
  }
  const dns = match?.resource?.dns;
  if (dns?.valueArguments.includes(attr.name)) {
    const meaning = recordValueHover(dns, block, attr, position);
    if (meaning) return { contents: { kind: 'markdown', value: meaning.text }, range: meaning.range };
  }
  return { contents: { kind: 'markdown', value: propertyDocs(schema) }, range: attr.valueRange };
}

/** What the record value under the cursor means (an item of a list of values, or the whole value), in zone-file terms. */
function recordValueHover(dns: DnsRecordSchema, block: HclBlock, attr: HclAttribute, position: Position): { text: string; range: Range } | undefined {
  const type = recordTypeOf(dns, block);
  if (!type || !attr.value.known) return undefined;
  let text: string | undefined;
  let range = attr.valueRange;
  const literal = attr.value.value;
  if (Array.isArray(literal)) {
    const ranges = listItemRanges(attr) ?? [];
    const index = ranges.findIndex((candidate) => contains(candidate, position));
    if (index === -1 || typeof literal[index] !== 'string') return undefined;
    text = literal[index] as string;
    range = ranges[index]!;
  } else {
    text = literalString(attr);
  }
  if (text === undefined) return undefined;
  const values = Object.fromEntries(block.attributes.map((candidate) => [candidate.name, literalString(candidate)]));
  const presentation = dns.presentation ? dns.presentation(type, text, values) : text;
  const meaning = presentation === undefined ? undefined : describeRecordValue(type, presentation);
  return meaning ? { text: meaning, range } : undefined;
}
