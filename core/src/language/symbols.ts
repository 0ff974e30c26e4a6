import { literalString, type HclBlock, type HclDocument } from '../hcl/types.js';
import { SymbolKind, type DocumentSymbol } from './types.js';

function blockName(block: HclBlock): string {
  const [first, second] = block.labels;
  switch (block.type) {
    case 'resource':
      return `${first ?? '?'}.${second ?? '?'}`;
    case 'data':
      return `data.${first ?? '?'}.${second ?? '?'}`;
    case 'variable':
      return `var.${first ?? '?'}`;
    case 'import': {
      const to = block.attributes.find((attr) => attr.name === 'to');
      return `import → ${to?.expression ?? '?'}`;
    }
    default:
      return [block.type, ...block.labels].join(' ');
  }
}

const KINDS: Record<string, number> = {
  resource: SymbolKind.Struct,
  data: SymbolKind.Object,
  variable: SymbolKind.Variable,
  output: SymbolKind.Constant,
  locals: SymbolKind.Namespace,
  import: SymbolKind.Event,
  module: SymbolKind.Module,
};

/** A record's one-line summary: `A www.example.com → 192.0.2.10`. */
function recordDetail(block: HclBlock): string | undefined {
  const value = (name: string) => literalString(block.attributes.find((attr) => attr.name === name));
  const record = value('record');
  const type = value('type');
  if (record === undefined && type === undefined) return undefined;
  const target = value('value');
  return `${type ?? '?'} ${record ?? '?'}${target !== undefined ? ` → ${target}` : ''}`;
}

function symbolOf(block: HclBlock, depth: number, withChildren = true): DocumentSymbol {
  const children: DocumentSymbol[] = !withChildren
    ? []
    : block.attributes.map((attr) => ({
        name: block.type === 'locals' ? `local.${attr.name}` : attr.name,
        detail: attr.expression.length > 60 ? `${attr.expression.slice(0, 60)}…` : attr.expression,
        kind: SymbolKind.Property,
        range: attr.range,
        selectionRange: attr.nameRange,
      }));
  if (withChildren && depth < 16) children.push(...block.blocks.map((nested) => symbolOf(nested, depth + 1)));
  const detail = block.type === 'resource' || block.type === 'data' ? recordDetail(block) : undefined;
  return {
    name: depth === 0 ? blockName(block) : [block.type, ...block.labels].join(' '),
    ...(detail ? { detail } : {}),
    kind: KINDS[block.type] ?? SymbolKind.Namespace,
    range: block.range,
    selectionRange: block.headerRange,
    children,
  };
}

/** The outline of a document: each block, its attributes and nested blocks. */
export function documentSymbols(document: HclDocument): DocumentSymbol[] {
  return documentOutline(document).symbols;
}

/** How many symbols a block's outline has, itself included, counting no further than `stop`. */
function symbolCount(block: HclBlock, depth: number, stop: number): number {
  let count = 1 + block.attributes.length;
  if (depth < 16) for (const nested of block.blocks) if ((count += symbolCount(nested, depth + 1, stop - count)) > stop) break;
  return count;
}

/**
 * The outline within `limit` symbols (as VS Code's JSON and YAML servers cap
 * theirs, for editors' sake): all of it when it fits; else the top-level
 * blocks alone, with their one-line details; else the first `limit` of them.
 * `limited` says the outline is not whole.
 */
export function documentOutline(document: HclDocument, limit = Infinity): { symbols: DocumentSymbol[]; limited: boolean } {
  const blocks = document.body.blocks;
  let total = 0;
  for (const block of blocks) if ((total += symbolCount(block, 0, limit - total)) > limit) break;
  if (total <= limit) return { symbols: blocks.map((block) => symbolOf(block, 0)), limited: false };
  return { symbols: blocks.slice(0, limit).map((block) => symbolOf(block, 0, false)), limited: true };
}
