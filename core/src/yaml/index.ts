import { isAlias, isMap, isScalar, isSeq, parseDocument, visit, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { LineIndex } from '../diagnostics/line-index.js';
import { defineRules } from '../diagnostics/rules.js';
import type { Diagnostic, Range, RuleCode } from '../diagnostics/types.js';

export const YamlRules = defineRules({
  'yaml/syntax-error': { severity: 'error', summary: 'The file is not valid YAML.' },
  'yaml/duplicate-key': { severity: 'error', summary: 'A mapping has the same key twice.' },
  'yaml/tab-indentation': { severity: 'error', summary: 'YAML indentation must use spaces, not tabs.' },
  'yaml/too-many-aliases': { severity: 'warning', summary: 'The file expands more aliases than Shoreline follows (a "billion laughs" guard); the expanded values are not checked.' },
});

/** Aliases are followed up to this count, so a crafted file cannot expand without bound. */
export const MAX_YAML_ALIASES = 100;

/** A parsed YAML file with exact ranges (0-based, UTF-16, as everywhere in Shoreline). */
export interface YamlDocument {
  source: string;
  text: string;
  document: Document.Parsed;
  lines: LineIndex;
  /** Syntax problems with ranges. */
  diagnostics: Diagnostic[];
}

const CODES: Record<string, RuleCode> = { DUPLICATE_KEY: 'yaml/duplicate-key', TAB_AS_INDENT: 'yaml/tab-indentation' };

/**
 * `version`: the YAML version the consumer reads. Lagoon's build reads
 * .lagoon.yml as YAML 1.1 (sigs.k8s.io/yaml: `yes`, `on` are booleans);
 * Pulumi reads YAML 1.2.
 */
export function parseYaml(text: string, source = '', { version = '1.2' }: { version?: '1.1' | '1.2' } = {}): YamlDocument {
  const lines = new LineIndex(text);
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true, version });
  const diagnostics: Diagnostic[] = [...document.errors, ...document.warnings].slice(0, 50).map((problem) => {
    const [start, end] = problem.pos;
    const code = CODES[problem.code] ?? 'yaml/syntax-error';
    const message = problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return { range: lines.rangeOf(start, Math.max(start, end)), severity: 'error', code, source: 'shoreline', message };
  });
  if (document.errors.length === 0 && aliasesExceedLimit(document)) {
    diagnostics.push({
      range: lines.rangeOf(0, 0),
      severity: 'warning',
      code: 'yaml/too-many-aliases',
      source: 'shoreline',
      message: `the file expands aliases more than ${MAX_YAML_ALIASES} times; Shoreline does not follow them, so the values they stand for are not checked`,
    });
  }
  return { source, text, document, lines, diagnostics };
}

/** Whether resolving the document's aliases goes past the bound (the yaml package's resource-exhaustion guard). */
function aliasesExceedLimit(document: Document.Parsed): boolean {
  if (!documentHasAliases(document)) return false;
  try {
    document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    return false;
  } catch (error) {
    return /alias/i.test((error as Error).message);
  }
}

function documentHasAliases(document: Document.Parsed): boolean {
  let found = false;
  visit(document, { Alias: () => ((found = true), visit.BREAK) });
  return found;
}

/** The range of a node's value. */
export function nodeRange(doc: YamlDocument, node: Node | null | undefined): Range {
  const [start, end] = node?.range ?? [0, 0];
  return doc.lines.rangeOf(start, end);
}

/** The range of a pair's key (where "unknown property" findings point). */
export function keyRange(doc: YamlDocument, pair: Pair): Range {
  return nodeRange(doc, pair.key as Node);
}

export function pairs(map: unknown): Pair[] {
  return isMap(map) ? (map as YAMLMap).items : [];
}

export function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

export function findPair(map: unknown, key: string): Pair | undefined {
  return pairs(map).find((pair) => keyOf(pair) === key);
}

/**
 * The pair of a field, for readers that match field names without regard to
 * case (Go's encoding/json for .lagoon.yml, pulumi-yaml for programs); an
 * exact match wins.
 */
export function findField(map: unknown, name: string): Pair | undefined {
  const lower = name.toLowerCase();
  return findPair(map, name) ?? pairs(map).find((pair) => keyOf(pair).toLowerCase() === lower);
}

/** The plain JavaScript value of a node; aliases resolve (bounded by MAX_YAML_ALIASES). */
export function toValue(doc: YamlDocument, node: unknown): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return toValue(doc, node.resolve(doc.document));
  if (isScalar(node)) return node.value;
  if (isSeq(node) || isMap(node)) {
    try {
      return (node as YAMLMap).toJS(doc.document, { maxAliasCount: MAX_YAML_ALIASES });
    } catch {
      // Excessive alias expansion: treated as not known.
      return undefined;
    }
  }
  return undefined;
}

export { isAlias, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap };
