import { kindOf } from '../kinds/index.js';
import { LineIndex } from '../diagnostics/line-index.js';
import type { Position, Range } from '../diagnostics/types.js';
import { lagoonYmlKeysAt, lagoonYmlSpecAt } from '../lagoon/lagoon-yml.js';
import type { LiveData } from '../live/index.js';
import { PULUMI_PROGRAM_KEYS, PULUMI_RESOURCE_KEYS } from '../lagoon/program.js';
import { DREAMHOST_PULUMI_TOKENS, pulumiYamlSchema } from '../lagoon/pulumi.js';
import { LAGOON_RESOURCES } from '../lagoon/schema.js';
import { PULUMI_DNS_CLASSES } from '../programs/dns-classes.js';
import { lagoonResourceDocs } from './docs.js';
import { propertyValueItems } from './values.js';
import { propertyDocs } from '../schema/index.js';
import { findPair, isMap, isScalar, keyOf, pairs, parseYaml } from '../yaml/index.js';
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type Hover } from './types.js';

/** Where the cursor is in a YAML file: the keys above it, and the key or value being written. */
interface YamlContext {
  /** Keys of the enclosing mappings, outermost first (list items are stepped through). */
  path: string[];
  /** Writing a key: its partial text. */
  keyPrefix?: string;
  /** Writing a value: the key it belongs to and the partial value. */
  value?: { key: string; prefix: string };
  /** Columns of the partial text, for the replacement range. */
  start: number;
}

const KEY_LINE = /^(\s*)((?:-\s+)*)(?:"([^"]*)"|'([^']*)'|([^\s:#'"-][^:#]*?|-[^\s:#][^:#]*?))\s*:(?:\s+(.*))?$/;

/** The indentation of a line's key (list markers count as indentation) and the key, if the line has one. */
function lineKey(line: string): { indent: number; key: string; value: string } | undefined {
  const match = line.match(KEY_LINE);
  if (!match) return undefined;
  return { indent: match[1]!.length + match[2]!.length, key: (match[3] ?? match[4] ?? match[5] ?? '').trim(), value: (match[6] ?? '').trim() };
}

function contextAt(text: string, position: Position): YamlContext | undefined {
  const lines = text.split('\n');
  const prefix = (lines[position.line] ?? '').slice(0, position.character);
  let indent: number;
  let context: Omit<YamlContext, 'path'>;
  const keyMatch = prefix.match(/^(\s*)((?:-\s+)*)([\w.-]*)$/);
  const valueMatch = prefix.match(/^(\s*)((?:-\s+)*)([\w.-]+)\s*:\s+(.*)$/);
  if (keyMatch) {
    indent = keyMatch[1]!.length + keyMatch[2]!.length;
    context = { keyPrefix: keyMatch[3]!, start: prefix.length - keyMatch[3]!.length };
  } else if (valueMatch) {
    indent = valueMatch[1]!.length + valueMatch[2]!.length;
    const partial = valueMatch[4]!.replace(/^["']/, '');
    context = { value: { key: valueMatch[3]!, prefix: partial }, start: prefix.length - partial.length };
  } else return undefined;
  const path: string[] = [];
  let limit = indent;
  for (let index = position.line - 1; index >= 0 && limit > 0; index--) {
    const line = lines[index]!;
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const found = lineKey(line);
    const lineIndent = found ? found.indent : line.match(/^\s*/)![0].length;
    if (lineIndent >= limit) continue;
    limit = lineIndent;
    if (found) path.unshift(found.key);
  }
  return { path, ...context };
}

const markdown = (value: string) => ({ kind: 'markdown' as const, value });

/** The resource type declared at `resources.NAME.type` in a Pulumi program. */
function pulumiResourceType(root: unknown, name: string): string | undefined {
  const type = findPair(findPair(findPair(root, 'resources')?.value, name)?.value, 'type')?.value;
  return isScalar(type) ? String(type.value) : undefined;
}

function presentKeys(root: unknown, path: readonly string[]): Set<string> {
  let node = root;
  for (const key of path) node = findPair(node, key)?.value;
  return new Set(isMap(node) ? pairs(node).map(keyOf) : []);
}

function item(label: string, kind: number, newText: string, range: Range, extra: Partial<CompletionItem> = {}): CompletionItem {
  return { label, kind, insertTextFormat: InsertTextFormat.Snippet, textEdit: { range, newText }, ...extra };
}

/** Completion in Pulumi YAML programs (type tokens, Lagoon properties, values) and .lagoon.yml (keys, values). */
export function completeYaml(fileName: string, text: string, position: Position, live?: LiveData): CompletionItem[] {
  const kind = kindOf(fileName);
  const context = contextAt(text, position);
  if (!context || !kind || kind === 'terraform') return [];
  const range: Range = { start: { line: position.line, character: context.start }, end: position };
  const { path } = context;
  // Parsed once, only when a branch below needs the document.
  let root: unknown;
  const document = () => (root ??= parseYaml(text).document.contents);
  if (kind === 'pulumi-yaml') {
    const keys = path.length === 0 ? PULUMI_PROGRAM_KEYS : path.length === 2 && path[0] === 'resources' ? PULUMI_RESOURCE_KEYS : undefined;
    if (keys && context.keyPrefix !== undefined) {
      const present = presentKeys(document(), path);
      return keys
        .filter((key) => !present.has(key.name))
        .map((key, index) =>
          item(key.name, CompletionItemKind.Property, key.block ? `${key.name}:\n  ` : `${key.name}: `, range, { documentation: markdown(key.description), sortText: String(index).padStart(2, '0') }),
        );
    }
    if (path.length === 2 && path[0] === 'resources' && context.value?.key === 'type') {
      return [
        ...LAGOON_RESOURCES.map((resource) =>
          item(resource.token, CompletionItemKind.Class, resource.token, range, { detail: resource.description, documentation: markdown(lagoonResourceDocs(resource)) }),
        ),
        ...DREAMHOST_PULUMI_TOKENS.slice(0, 1).map((token) => item(token, CompletionItemKind.Class, token, range, { detail: 'DreamHost DNS record (bridged Terraform provider)' })),
        ...PULUMI_DNS_CLASSES.map((resource) =>
          item(resource.token, CompletionItemKind.Class, resource.token, range, { detail: resource.description, documentation: markdown(lagoonResourceDocs(resource)) }),
        ),
      ];
    }
    if (path.length === 3 && path[0] === 'resources' && path[2] === 'properties') {
      const resource = pulumiYamlSchema(pulumiResourceType(document(), path[1]!) ?? '');
      if (!resource) return [];
      if (context.keyPrefix !== undefined) {
        const present = presentKeys(document(), path);
        return resource.properties
          .filter((property) => !present.has(property.name))
          .map((property) =>
            item(property.name, CompletionItemKind.Property, property.enum ? `${property.name}: \${1|${property.enum.join(',')}|}` : `${property.name}: $1`, range, {
              detail: `${property.type}, ${property.mode}${property.replace ? ', replaces the resource' : ''}`,
              documentation: markdown(propertyDocs(property, resource.name)),
              sortText: `${property.mode === 'required' ? '1' : '2'}${property.name}`,
            }),
          );
      }
      const property = resource.properties.find((candidate) => candidate.name === context.value?.key);
      if (!property) return [];
      const values = propertyValueItems(property, range, { live, quote: (value) => value, bool: ['true', 'false'] });
      if (values.length) return values;
      if (property?.sensitive) return [item('fn::secret', CompletionItemKind.Snippet, '\n  fn::secret: $1', range, { detail: 'Keep the value encrypted in the Pulumi state' })];
      return [];
    }
    return [];
  }
  if (context.keyPrefix !== undefined) {
    const present = presentKeys(document(), path);
    return lagoonYmlKeysAt(path)
      .filter(({ key }) => !present.has(key) || path.some((part) => part === 'cronjobs' || part.endsWith('rollout')))
      .map(({ key, doc, kind }) => item(key, CompletionItemKind.Property, kind === 'map' || kind === 'list' ? `${key}:\n  ` : `${key}: `, range, doc ? { documentation: markdown(doc) } : {}));
  }
  // Values from the same spec that validates them: its accepted values, or true/false.
  const spec = lagoonYmlSpecAt([...path, context.value!.key])?.spec;
  const values = spec?.kind === 'string' ? (spec.enum ?? []) : spec?.kind === 'bool' ? ['true', 'false'] : [];
  return values.map((value) => item(value, CompletionItemKind.EnumMember, value, range));
}

/** Hover in Pulumi YAML programs: a Lagoon resource's docs on its type, a property's docs on its key. */
export function hoverYaml(fileName: string, text: string, position: Position): Hover | undefined {
  const kind = kindOf(fileName);
  if (kind !== 'pulumi-yaml' && kind !== 'lagoon-yml') return undefined;
  const lines = new LineIndex(text);
  const lineText = text.slice(lines.offsetAt({ line: position.line, character: 0 }), lines.offsetAt({ line: position.line + 1, character: 0 })).replace(/\r?\n$/, '');
  const found = lineKey(lineText);
  if (!found) return undefined;
  const context = contextAt(text, { line: position.line, character: found.indent });
  if (!context) return undefined;
  const range: Range = { start: { line: position.line, character: found.indent }, end: { line: position.line, character: lineText.length } };
  const { path } = context;
  const programKey = path.length === 0 ? PULUMI_PROGRAM_KEYS : path.length === 2 && path[0] === 'resources' ? PULUMI_RESOURCE_KEYS : [];
  const described = kind === 'pulumi-yaml' ? programKey.find((key) => key.name === found.key) : undefined;
  if (described) return { contents: markdown(`**${described.name}**\n\n${described.description}`), range };
  if (kind === 'lagoon-yml') {
    const doc = lagoonYmlSpecAt([...path, found.key])?.doc;
    return doc ? { contents: markdown(`**${found.key}**\n\n${doc}`), range } : undefined;
  }
  if (path.length === 2 && path[0] === 'resources' && found.key === 'type') {
    const resource = pulumiYamlSchema(found.value);
    return resource ? { contents: markdown(lagoonResourceDocs(resource)), range } : undefined;
  }
  if (path.length === 3 && path[0] === 'resources' && path[2] === 'properties') {
    const resource = pulumiYamlSchema(pulumiResourceType(parseYaml(text).document.contents, path[1]!) ?? '');
    const property = resource?.properties.find((candidate) => candidate.name === found.key);
    if (resource && property) return { contents: markdown(propertyDocs(property, resource.name)), range };
    const output = resource?.outputs.includes(found.key);
    if (resource && output) return { contents: markdown(`**${found.key}** is an output of ${resource.name} that Lagoon sets; read it as \`\${${path[1]}.${found.key}}\`.`), range };
  }
  return undefined;
}
