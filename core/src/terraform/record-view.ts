import type { Position, Range } from '../diagnostics/types.js';
import { literalString, type HclAttribute, type HclBlock } from '../hcl/types.js';
import { literalInput, type DnsRecordSchema, type RecordBlockView, type RecordInput } from './providers/dns-records.js';

/**
 * A resource block seen by a provider's record reader (RecordBlockView):
 * literal arguments as text, literal lists item by item with each item's
 * range, nested blocks and object attributes as views, references by their
 * traversal. Locators are `{ source, range }` of the file that wrote the part.
 */

export interface HclLocator {
  readonly source: string;
  readonly range: Range;
}

/**
 * A range kept as four numbers instead of three objects, and apart from the
 * syntax tree: what outlives a file's tree (a record's place, a resource's
 * header) while `shoreline check` reads the module's other files.
 */
export class PackedRange {
  readonly startLine: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
  constructor({ start, end }: Range) {
    this.startLine = start.line;
    this.startCharacter = start.character;
    this.endLine = end.line;
    this.endCharacter = end.character;
  }
  get start(): Position {
    return { line: this.startLine, character: this.startCharacter };
  }
  get range(): Range {
    return { start: this.start, end: { line: this.endLine, character: this.endCharacter } };
  }
}

/** A locator of a part of a file, packed: a record's locators are kept for the zone rules after its file's tree is gone. */
class PackedLocator extends PackedRange implements HclLocator {
  constructor(
    readonly source: string,
    range: Range,
  ) {
    super(range);
  }
}

/**
 * A locator to keep past the reading: packed, so that it holds no part of the
 * syntax tree (a list item's locator already computes its range when asked).
 * Readers make many locators that are never kept: they are packed only here.
 */
export function keptLocator(at: HclLocator): HclLocator {
  return at instanceof PackedLocator || at instanceof ListItemLocator ? at : new PackedLocator(at.source, at.range);
}

export function hclRecordView(block: HclBlock, sourceOf: (node: object) => string): RecordBlockView {
  const locate = (node: object, range: Range): HclLocator => ({ source: sourceOf(node), range });
  return { at: locate(block, block.headerRange), get: lookUp };
  function lookUp(name: string): RecordInput | undefined {
    // An indexed loop, not find(): a reader asks for a dozen names per record, most of them absent, and this runs cold in a one-shot check.
    const attributes = block.attributes;
    for (let index = 0; index < attributes.length; index++) if (attributes[index]!.name === name) return attributeInput(attributes[index]!, sourceOf(attributes[index]!));
    if (block.blocks.length === 0) return undefined;
    const nested = block.blocks.filter((candidate) => candidate.type === name);
    if (nested.length > 0) return { at: locate(nested[0]!, nested[0]!.typeRange), objects: nested.map((child) => hclRecordView(child, sourceOf)) };
    // Blocks a `dynamic` block generates are there, their contents unknown.
    const dynamic = block.blocks.find((candidate) => candidate.type === 'dynamic' && candidate.labels[0] === name);
    return dynamic ? { at: locate(dynamic, dynamic.typeRange) } : undefined;
  }
}

/** The locator of a list item: its range is found only when something is reported there (most records have no finding). */
class ListItemLocator implements HclLocator {
  constructor(
    readonly source: string,
    private readonly attr: HclAttribute,
    private readonly index: number,
    private readonly ranges: { list?: Range[] | undefined },
  ) {}
  get range(): Range {
    if (!('list' in this.ranges)) this.ranges.list = listItemRanges(this.attr);
    return this.ranges.list?.[this.index] ?? this.attr.valueRange;
  }
}

function attributeInput(attr: HclAttribute, source: string): RecordInput | undefined {
  const at: HclLocator = { source, range: attr.valueRange };
  if (!attr.value.known) return { at, ...(attr.value.kind === 'reference' && attr.traversal ? { reference: attr.traversal } : {}) };
  const value = attr.value.value;
  if (!Array.isArray(value)) return literalInput(value, at);
  const ranges = {};
  return literalInput(value, at, { itemAt: (index) => new ListItemLocator(source, attr, index, ranges) });
}

/** The record type of a record block: its resource's one type, or the literal of its type argument (upper case). */
export function recordTypeOf(dns: DnsRecordSchema, block: HclBlock): string | undefined {
  return dns.fixedType ?? (dns.typeArgument ? literalString(block.attributes.find((candidate) => candidate.name === dns.typeArgument))?.toUpperCase() : undefined);
}

/**
 * The ranges of the items of a literal list written `[ "a", "b" ]` (strings,
 * numbers, bools; heredocs and nested lists give up): each from its first to
 * its last character, quotes included. Undefined when the list is written
 * some other way.
 */
export function listItemRanges(attr: HclAttribute): Range[] | undefined {
  const text = attr.expression;
  if (!text.startsWith('[')) return undefined;
  const ranges: Range[] = [];
  // Positions walk the expression from the start of the value range.
  let line = attr.valueRange.start.line;
  let character = attr.valueRange.start.character;
  let itemStart: { line: number; character: number } | undefined;
  let inString = false;
  let depth = 0;
  const close = (end: { line: number; character: number }) => {
    if (itemStart) ranges.push({ start: itemStart, end });
    itemStart = undefined;
  };
  let lastEnd = { line, character };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const here = { line, character };
    if (inString) {
      if (ch === '\\') {
        i++;
        character += 2;
        continue;
      }
      if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      itemStart ??= here;
    } else if (ch === '[' || ch === '{' || ch === '(') {
      depth++;
      if (depth > 1) return undefined;
    } else if (ch === ']' || ch === '}' || ch === ')') {
      depth--;
      if (depth === 0) close(lastEnd);
    } else if (ch === ',') {
      close(lastEnd);
    } else if (ch === '#' || (ch === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) || ch === '<') {
      return undefined; // comments and heredocs: not worth reading here
    } else if (!/\s/.test(ch)) {
      itemStart ??= here;
    }
    if (ch === '\n') {
      line++;
      character = 0;
    } else {
      character++;
      if (!/\s/.test(ch) || inString) lastEnd = { line, character };
    }
  }
  return ranges;
}
