import { lineIndexOf } from '../hcl/lines.js';
import type { Position, Range } from '../diagnostics/types.js';
import { recordTypeInfo } from '../dns/types.js';
import type { HclBlock, HclDocument } from '../hcl/types.js';
import type { LiveData } from '../live/index.js';
import { SchemaRegistry } from '../terraform/registry.js';
import { recordTypeOf } from '../terraform/record-view.js';
import type { AttributeSchema, BlockSchema, NestedBlockSchema, ProviderSchema, ResourceSchema } from '../terraform/schema.js';
import { DYNAMIC_BLOCK, generatableBlocks, TERRAFORM_FILE_BLOCKS } from '../terraform/builtin.js';
import { propertyDocs } from '../schema/index.js';
import { blockDocs, resourceDocs } from './docs.js';
import { blockPath } from './locate.js';
import { schemaForPath } from './schema-path.js';
import { CompletionItemKind, InsertTextFormat, type CompletionItem } from './types.js';

export interface CompletionOptions {
  registry?: SchemaRegistry;
  /** Live facts (DreamHost records, provider versions), used from the cache only. */
  live?: LiveData;
  /** All documents of the module, for references to other blocks (import targets). */
  moduleDocuments?: readonly HclDocument[];
}

const markdown = (value: string) => ({ kind: 'markdown' as const, value });

const snippet = (label: string, kind: number, newText: string, range: Range, extra: Partial<CompletionItem> = {}): CompletionItem => ({
  label,
  kind,
  insertTextFormat: InsertTextFormat.Snippet,
  textEdit: { range, newText },
  ...extra,
});

/** Escapes text for use inside an LSP snippet. */
const escapeSnippet = (text: string) => text.replace(/[$}\\]/g, '\\$&');

/** The arguments that make a whole record of a DNS record resource: the required ones and its first value argument. */
function recordArguments(resource: ResourceSchema): AttributeSchema[] {
  const value = resource.dns!.valueArguments[0];
  return resource.attributes.filter((attr) => attr.mode === 'required' || (attr.name === value && attr.mode !== 'computed'));
}

/** A whole record as a snippet: each argument with its example or its choices, aligned as `terraform fmt` aligns them. */
function recordSnippet(resource: ResourceSchema, indent: string): string {
  const attributes = recordArguments(resource);
  const width = Math.max(...attributes.map((attr) => attr.name.length));
  return attributes
    .map((attr, index) => {
      const stop = attr.enum ? `\${${index + 1}|${attr.enum.join(',')}|}` : `\${${index + 1}:${escapeSnippet(attr.example ?? '')}}`;
      const value = attr.type === 'list' ? `["${stop}"]` : attr.type === 'number' ? stop : `"${stop}"`;
      return `${index === 0 ? '' : indent}${attr.name.padEnd(width)} = ${value}`;
    })
    .join('\n');
}

/** A provider block that passes its credential from a variable, as it should be. */
function providerSnippet(provider: ProviderSchema): string {
  const credential = provider.attributes.find((attr) => attr.sensitive) ?? provider.attributes[0];
  const body = credential ? `  ${credential.name} = var.\${1:${provider.name}_${credential.name}}\n` : '  $0\n';
  return `provider "${provider.name}" {\n${body}}`;
}

/** Snippets of whole blocks offered at the top level of a file. */
function topLevelItems(registry: SchemaRegistry, range: Range): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const resource of registry.allResources()) {
    const body = resource.attributes
      .filter((attr) => attr.mode === 'required')
      .map((attr, index) => `  ${attr.name} = "${attr.enum ? `\${${index + 1}|${attr.enum.join(',')}|}` : `\${${index + 1}:${escapeSnippet(attr.example ?? '')}}`}"`)
      .join('\n');
    const name = resource.kind === 'data' ? 'this' : 'www';
    items.push(
      snippet(`${resource.kind} "${resource.type}"`, CompletionItemKind.Class, `${resource.kind} "${resource.type}" "\${0:${name}}" {\n${body}\n}`, range, {
        detail: resource.description,
        documentation: markdown(resourceDocs(resource)),
        filterText: `${resource.kind} ${resource.type}`,
        sortText: `0${resource.kind}${resource.type}`,
      }),
    );
  }
  for (const provider of registry.allProviders()) {
    items.push(
      snippet(
        `terraform required_providers ${provider.name}`,
        CompletionItemKind.Module,
        `terraform {\n  required_providers {\n    ${provider.name} = {\n      source  = "${provider.source}"\n      version = "\${1:~> 0.3}"\n    }\n  }\n}`,
        range,
        {
          detail: `Declare the ${provider.name} provider (${provider.source})`,
          filterText: `terraform required_providers ${provider.name}`,
          sortText: '1terraform',
        },
      ),
      snippet(`provider "${provider.name}"`, CompletionItemKind.Module, providerSnippet(provider), range, {
        detail: provider.description,
        documentation: markdown(`**provider ${provider.name}**\n\n${provider.description}\n\nPass credentials from variables marked \`sensitive = true\`.`),
        sortText: `1provider${provider.name}`,
      }),
    );
  }
  // Terraform's own blocks, from the built-in table (resource, data, terraform and provider have the richer snippets above too).
  for (const [index, block] of TERRAFORM_FILE_BLOCKS.entries()) {
    items.push(
      snippet(block.name, CompletionItemKind.Keyword, blockSnippet(block, ''), range, {
        detail: block.description,
        documentation: markdown(blockDocs(block)),
        sortText: `3${String(index).padStart(2, '0')}`,
      }),
    );
  }
  return items;
}

/** A block with placeholders for its labels and required arguments. */
function blockSnippet(block: NestedBlockSchema, indent: string): string {
  let stop = 1;
  const labels = (block.labels ?? []).map((label) => ` "\${${stop++}:${label}}"`).join('');
  const required = block.attributes.filter((attr) => attr.mode === 'required').map((attr) => `${indent}  ${attr.name} = \${${stop++}}`);
  return `${block.name}${labels} {\n${required.length ? required.join('\n') + '\n' : `${indent}  $0\n`}${indent}}`;
}

/** Attribute and nested-block names for a block with a schema, required first. */
function attributeItems(schema: BlockSchema, block: HclBlock, range: Range, indent: string): CompletionItem[] {
  const present = new Set(block.attributes.map((attr) => attr.name));
  const items: CompletionItem[] = [];
  const settable = schema.attributes.filter((attr) => attr.mode !== 'computed');
  // A DNS record block: the whole record at once.
  const resource = 'dns' in schema && (schema as ResourceSchema).dns ? (schema as ResourceSchema) : undefined;
  if (block.attributes.length === 0 && resource) {
    const names = recordArguments(resource).map((attr) => attr.name);
    items.push(
      snippet(names.join(', '), CompletionItemKind.Snippet, recordSnippet(resource, indent), range, {
        detail: 'The whole record',
        documentation: markdown(`Fills in ${names.map((name) => `\`${name}\``).join(', ')}.`),
        sortText: '00',
        filterText: names.join(' '),
        preselect: true,
      }),
    );
  }
  for (const attr of settable) {
    if (present.has(attr.name)) continue;
    const value = attr.type === 'string' ? (attr.enum ? `"\${1|${attr.enum.join(',')}|}"` : '"$1"') : attr.type === 'list' ? '[$1]' : '$1';
    items.push(
      snippet(attr.name, CompletionItemKind.Property, `${attr.name} = ${value}`, range, {
        detail: attr.type === 'any' ? attr.mode : `${attr.type}, ${attr.mode}`,
        documentation: markdown(propertyDocs(attr)),
        sortText: `${attr.mode === 'required' ? '1' : '2'}${attr.name}`,
      }),
    );
  }
  for (const nested of schema.blocks ?? []) {
    const count = block.blocks.filter((candidate) => candidate.type === nested.name).length;
    if (nested.maxItems !== undefined && count >= nested.maxItems) continue;
    let text = blockSnippet(nested, indent);
    if (nested === DYNAMIC_BLOCK) {
      // A dynamic block generates the provider's nested blocks: offered only where there are some to generate.
      const types = generatableBlocks(schema);
      if (!schema.openBlocks && types.length === 0) continue;
      if (types.length) text = text.replace('${1:type}', `\${1|${types.join(',')}|}`);
    }
    items.push(
      snippet(nested.name, CompletionItemKind.Module, text, range, {
        detail: 'block',
        documentation: markdown(blockDocs(nested)),
        sortText: `3${nested.name}`,
      }),
    );
  }
  return items;
}

/** A value as it is inserted: inside the quotes already typed, or quoted. */
const asStringValue = (partial: string, text: string) => (partial.startsWith('"') ? text : `"${text}"`);

/** Values for the attribute being written: enum members, or a value snippet for the record type. */
function valueItems(attr: AttributeSchema, block: HclBlock, resource: ResourceSchema | undefined, partial: string, range: Range): CompletionItem[] {
  const quoted = partial.startsWith('"');
  const wrap = (text: string) => asStringValue(partial, text);
  if (attr.enum) {
    return attr.enum.map((value, index) => {
      const info = recordTypeInfo(value);
      return snippet(value, CompletionItemKind.EnumMember, wrap(value), range, {
        detail: info ? `${info.summary} — value: ${info.valueFormat}` : undefined,
        documentation: info ? markdown(`**${value}** (${info.reference})\n\n${info.summary}.\n\nValue: ${info.valueFormat}, e.g. \`${info.example}\``) : undefined,
        sortText: String(index).padStart(2, '0'),
        filterText: quoted ? `"${value}` : value,
      });
    });
  }
  const dns = resource?.dns;
  if (dns?.valueArguments.includes(attr.name)) {
    const type = recordTypeOf(dns, block);
    const info = type ? recordTypeInfo(type) : undefined;
    if (!info) return [];
    const valueSnippet = dns.valueSnippet?.(info.type) ?? info.snippet.replace(/"/g, '\\\\"');
    return [
      snippet(`${info.type} value: ${info.valueFormat}`, CompletionItemKind.Value, wrap(valueSnippet), range, {
        detail: info.summary,
        documentation: markdown(`**${info.type}** value: ${info.valueFormat}\n\nExample: \`${info.example}\``),
        filterText: quoted ? `"${info.example}` : info.example,
        preselect: true,
      }),
    ];
  }
  return [];
}

function importTargetItems(documents: readonly HclDocument[], range: Range): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const document of documents) {
    for (const block of document.body.blocks) {
      if (block.type !== 'resource' || block.labels.length !== 2) continue;
      const address = `${block.labels[0]}.${block.labels[1]}`;
      items.push(snippet(address, CompletionItemKind.Reference, address, range, { detail: 'resource in this module' }));
    }
  }
  return items;
}

/**
 * Completion at `position`: block snippets at the top level, resource types in
 * the first label, attribute names in a block, and values after `=`.
 */
export function complete(document: HclDocument, position: Position, options: CompletionOptions = {}): CompletionItem[] {
  const registry = options.registry ?? SchemaRegistry.known;
  const lines = lineIndexOf(document);
  const offset = lines.offsetAt(position);
  const lineStart = offset - position.character;
  const prefix = document.text.slice(lineStart, offset);
  const rangeFrom = (column: number): Range => ({ start: { line: position.line, character: column }, end: position });

  const label = prefix.match(/^\s*(resource|data)\s+"([^"]*)$/);
  if (label) {
    const kind = label[1] as 'resource' | 'data';
    const range = rangeFrom(prefix.length - label[2]!.length);
    return registry.allResources(kind).map((resource) =>
      snippet(resource.type, CompletionItemKind.Class, resource.type, range, {
        detail: resource.description,
        documentation: markdown(resourceDocs(resource)),
        insertTextFormat: InsertTextFormat.PlainText,
      }),
    );
  }

  const path = blockPath(document.body, position);
  const block = path[path.length - 1];
  const indent = prefix.match(/^\s*/)![0];

  const assignment = prefix.match(/^\s*([A-Za-z_][\w-]*)\s*=\s*(.*)$/);
  if (assignment && block) {
    const [, name, partial] = assignment as unknown as [string, string, string];
    const range = rangeFrom(prefix.length - partial.length);
    if (block.type === 'import' && name === 'to') return importTargetItems(options.moduleDocuments ?? [document], range);
    // Inside a quoted value, replace only what follows the opening quote.
    const valueRange = partial.startsWith('"') ? rangeFrom(prefix.length - partial.length + 1) : range;
    const wrap = (text: string) => asStringValue(partial, text);
    if (block.type === 'required_providers' && name === 'version' && options.live) {
      const entry = block.attributes.find((attr) => attr.range.start.line <= position.line && position.line <= attr.range.end.line);
      const source =
        entry?.value.known && entry.value.value && typeof entry.value.value === 'object' && !Array.isArray(entry.value.value) ? (entry.value.value as Record<string, unknown>)['source'] : undefined;
      const versions = typeof source === 'string' ? options.live.providerVersions(source) : undefined;
      return (versions ?? []).slice(0, 20).flatMap((version, index) => {
        const [major, minor] = version.split('.');
        const pessimistic = `~> ${major}.${minor}`;
        return [
          ...(index === 0
            ? [
                snippet(pessimistic, CompletionItemKind.Value, wrap(pessimistic), valueRange, {
                  detail: `newest ${major}.${minor}.x (newest: ${version})`,
                  sortText: '0',
                  insertTextFormat: InsertTextFormat.PlainText,
                }),
              ]
            : []),
          snippet(version, CompletionItemKind.Value, wrap(version), valueRange, {
            detail: index === 0 ? 'newest published' : 'published',
            sortText: `1${String(index).padStart(2, '0')}`,
            insertTextFormat: InsertTextFormat.PlainText,
          }),
        ];
      });
    }
    const match = schemaForPath(registry, path);
    const attr = match?.schema.attributes.find((candidate) => candidate.name === name);
    if (!attr || attr.mode === 'computed') return [];
    if (name === 'record' && match?.resource?.type.startsWith('dreamhost_dns_record') && options.live) {
      const records = options.live.dreamhostRecords() ?? [];
      const names = [...new Set([...records.map((record) => record.record), ...records.map((record) => record.zone)])].sort();
      return names.map((recordName) =>
        snippet(recordName, CompletionItemKind.Value, wrap(recordName), valueRange, {
          detail: 'at DreamHost',
          documentation: markdown(
            records
              .filter((record) => record.record === recordName)
              .map((record) => `- ${record.type} ${record.value}${record.editable === '1' ? '' : ' (not editable)'}`)
              .join('\n') || 'zone',
          ),
          insertTextFormat: InsertTextFormat.PlainText,
        }),
      );
    }
    return valueItems(attr, block, match?.resource, partial, valueRange);
  }

  const word = prefix.match(/^\s*([A-Za-z_][\w-]*)?$/);
  if (!word) return [];
  const range = rangeFrom(prefix.length - (word[1]?.length ?? 0));
  if (!block) return topLevelItems(registry, range);
  if (block.type === 'required_providers') {
    return registry.allProviders().map((provider) =>
      snippet(provider.name, CompletionItemKind.Module, `${provider.name} = {\n${indent}  source  = "${provider.source}"\n${indent}  version = "\${1:~> 0.3}"\n${indent}}`, range, {
        detail: provider.source,
        documentation: markdown(provider.description),
      }),
    );
  }
  const match = schemaForPath(registry, path);
  return match ? attributeItems(match.schema, block, range, indent) : [];
}
