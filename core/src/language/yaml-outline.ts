import { isMap, isScalar, isSeq, keyOf, nodeRange, pairs, parseYaml, type Node } from '../yaml/index.js';
import type { Range } from '../diagnostics/types.js';
import { SymbolKind, type DocumentSymbol } from './types.js';

/** LSP symbol kinds a YAML value maps onto. */
const KIND = { map: SymbolKind.Object, seq: 18, string: 15, number: 16, boolean: 17, null: 21 } as const;

const span = (a: Range, b: Range): Range => ({ start: a.start, end: b.end });

/** What a mapping is called in the outline besides its key: its `type` (a Pulumi resource's token) or its `name` (a Lagoon task, a route). */
function detailOf(node: unknown): string | undefined {
  if (!isMap(node)) return undefined;
  for (const field of ['type', 'name']) {
    const pair = pairs(node).find((candidate) => keyOf(candidate) === field);
    if (pair && isScalar(pair.value) && typeof pair.value.value === 'string') return pair.value.value;
  }
  return undefined;
}

function kindOf(node: unknown): number {
  if (isMap(node)) return KIND.map;
  if (isSeq(node)) return KIND.seq;
  if (isScalar(node)) {
    const value = node.value;
    return typeof value === 'number' ? KIND.number : typeof value === 'boolean' ? KIND.boolean : value === null ? KIND.null : KIND.string;
  }
  return KIND.null;
}

/**
 * The outline of a YAML configuration (Pulumi.yaml, .lagoon.yml): one symbol
 * per key, nested as the document is, list items by their `name` or index,
 * mappings with the `type`/`name` they declare as detail. At most `limit`
 * symbols, as the Terraform outline (shoreline.maxItemsComputed).
 */
export function yamlOutline(text: string, source: string, limit = Infinity): { symbols: DocumentSymbol[]; limited: boolean } {
  const doc = parseYaml(text, source);
  let count = 0;
  let limited = false;
  const childrenOf = (node: unknown): DocumentSymbol[] | undefined => {
    if (isMap(node)) return pairs(node).flatMap((pair) => symbol(keyOf(pair), pair.key as Node, pair.value as Node | null));
    if (isSeq(node)) return node.items.flatMap((item, index) => symbol(detailOf(item) ?? `[${index}]`, item as Node, item as Node));
    return undefined;
  };
  function symbol(name: string, keyNode: Node | null, value: Node | null): DocumentSymbol[] {
    if (count >= limit) {
      limited = true;
      return [];
    }
    count++;
    const selectionRange = nodeRange(doc, keyNode);
    const range = value ? span(selectionRange, nodeRange(doc, value)) : selectionRange;
    const children = childrenOf(value);
    const detail = isScalar(value) ? String(value.value ?? 'null').slice(0, 80) : detailOf(value);
    return [{ name: name || '""', kind: kindOf(value), range, selectionRange, ...(detail !== undefined && detail !== name ? { detail } : {}), ...(children?.length ? { children } : {}) }];
  }
  const symbols = childrenOf(doc.document.contents) ?? [];
  return { symbols, limited };
}
