import { comparePositions, type Range } from '../diagnostics/types.js';
import { lineIndexOf, rememberLineIndex } from './lines.js';
import { parseHcl, type ParseOptions } from './parser.js';
import type { HclAttribute, HclBlock, HclDocument } from './types.js';

/**
 * Incremental re-parsing: top-level blocks of HCL are independent, so after an
 * edit only the top-level items around the changed text are parsed again; the
 * items before it are kept as they are and the items after it are moved by the
 * number of lines the edit added or removed. Falls back to a full parse when
 * either version has syntax errors (an unclosed block can swallow the rest of a
 * file, so boundaries are not trustworthy then).
 */

type Item = { kind: 'block'; item: HclBlock } | { kind: 'attribute'; item: HclAttribute };

const shiftRange = (range: Range, lines: number): Range => ({
  start: { line: range.start.line + lines, character: range.start.character },
  end: { line: range.end.line + lines, character: range.end.character },
});

function shiftAttribute(attr: HclAttribute, lines: number): HclAttribute {
  if (lines === 0) return attr;
  return { ...attr, nameRange: shiftRange(attr.nameRange, lines), range: shiftRange(attr.range, lines), valueRange: shiftRange(attr.valueRange, lines) };
}

function shiftBlock(block: HclBlock, lines: number): HclBlock {
  if (lines === 0) return block;
  return {
    ...block,
    typeRange: shiftRange(block.typeRange, lines),
    labelRanges: block.labelRanges.map((range) => shiftRange(range, lines)),
    range: shiftRange(block.range, lines),
    headerRange: shiftRange(block.headerRange, lines),
    bodyRange: shiftRange(block.bodyRange, lines),
    attributes: block.attributes.map((attr) => shiftAttribute(attr, lines)),
    blocks: block.blocks.map((nested) => shiftBlock(nested, lines)),
  };
}

function shiftItem(entry: Item, lines: number): Item {
  return entry.kind === 'block' ? { kind: 'block', item: shiftBlock(entry.item, lines) } : { kind: 'attribute', item: shiftAttribute(entry.item, lines) };
}

/** The top-level items in text order (each list is in order already: merged, not sorted). */
function itemsOf(document: HclDocument): Item[] {
  const { blocks, attributes } = document.body;
  const items: Item[] = new Array(blocks.length + attributes.length);
  let b = 0;
  let a = 0;
  for (let i = 0; i < items.length; i++) {
    const block = blocks[b];
    const attr = attributes[a];
    const blockFirst = block !== undefined && (attr === undefined || comparePositions(block.range.start, attr.range.start) <= 0);
    items[i] = blockFirst ? { kind: 'block', item: blocks[b++]! } : { kind: 'attribute', item: attributes[a++]! };
  }
  return items;
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/**
 * How many leading characters two texts share. An edit of a large file changes
 * a few characters: whole chunks are compared as strings first, which runs as a
 * memory comparison (ten times faster than by character, or than startsWith).
 */
function commonPrefix(a: string, b: string): number {
  const shortest = Math.min(a.length, b.length);
  let length = 0;
  for (let chunk = 1 << 16; chunk >= 16; chunk >>= 4) {
    while (length + chunk <= shortest && a.slice(length, length + chunk) === b.slice(length, length + chunk)) length += chunk;
  }
  while (length < shortest && a.charCodeAt(length) === b.charCodeAt(length)) length++;
  return length;
}

/** How many trailing characters two texts share, up to `limit`. */
function commonSuffix(a: string, b: string, limit: number): number {
  let length = 0;
  for (let chunk = 1 << 16; chunk >= 16; chunk >>= 4) {
    while (length + chunk <= limit && a.slice(a.length - length - chunk, a.length - length) === b.slice(b.length - length - chunk, b.length - length)) length += chunk;
  }
  while (length < limit && a.charCodeAt(a.length - 1 - length) === b.charCodeAt(b.length - 1 - length)) length++;
  return length;
}

/** Parses `text`, reusing the unchanged top-level items of `previous` (the document of the text before the edit). */
export function reparseHcl(previous: HclDocument, text: string, options: ParseOptions = {}): HclDocument {
  const source = options.source ?? previous.source;
  const old = previous.text;
  if (old === text) return rememberLineIndex({ ...previous, source }, lineIndexOf(previous));
  if (previous.diagnostics.length > 0) return parseHcl(text, { source });

  const prefix = commonPrefix(old, text);
  const suffix = commonSuffix(old, text, Math.min(old.length, text.length) - prefix);
  const changedEnd = old.length - suffix;

  const lines = lineIndexOf(previous);
  const items = itemsOf(previous);
  const endOffset = (entry: Item) => lines.offsetAt(entry.item.range.end);

  // First item the edit can touch (an edit right at an item's end may extend it), and whole lines before it.
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (endOffset(items[mid]!) >= prefix) high = mid;
    else low = mid + 1;
  }
  let first = low;
  let startLine = Math.min(lines.positionAt(prefix).line, first < items.length ? items[first]!.item.range.start.line : Infinity);
  while (first > 0 && items[first - 1]!.item.range.end.line >= startLine) {
    first--;
    startLine = Math.min(startLine, items[first]!.item.range.start.line);
  }

  // First item after the edit that starts on a later line than the edit ends, alone on its lines.
  const changedEndLine = lines.positionAt(changedEnd).line;
  let after = first;
  while (after < items.length && (lines.offsetAt(items[after]!.item.range.start) < changedEnd || items[after]!.item.range.start.line <= changedEndLine)) after++;
  while (after < items.length && after > 0 && items[after - 1]!.item.range.end.line >= items[after]!.item.range.start.line) after++;

  const windowStart = lines.offsetAt({ line: startLine, character: 0 });
  const windowEndOld = after < items.length ? lines.offsetAt({ line: items[after]!.item.range.start.line, character: 0 }) : old.length;
  const windowEndNew = windowEndOld + (text.length - old.length);
  if (windowEndNew < windowStart || windowEndOld < changedEnd) return parseHcl(text, { source });

  const window = parseHcl(text.slice(windowStart, windowEndNew), { source });
  if (window.diagnostics.length > 0) return parseHcl(text, { source });
  const lineDelta = countNewlines(text, windowStart, windowEndNew) - countNewlines(old, windowStart, windowEndOld);

  const blocks: HclBlock[] = [];
  const attributes: HclAttribute[] = [];
  const keep = (entry: Item) => (entry.kind === 'block' ? blocks.push(entry.item) : attributes.push(entry.item));
  for (let index = 0; index < first; index++) keep(items[index]!);
  for (const entry of itemsOf(window)) keep(shiftItem(entry, startLine));
  for (let index = after; index < items.length; index++) keep(lineDelta === 0 ? items[index]! : shiftItem(items[index]!, lineDelta));
  // A top-level argument set twice (a .tfvars edit) is an error only a parse of the whole body sees.
  if (attributes.length > 1) {
    const names = new Set<string>();
    for (const attr of attributes) {
      if (names.has(attr.name)) return parseHcl(text, { source });
      names.add(attr.name);
    }
  }
  const document: HclDocument = { source, text, body: { blocks, attributes }, diagnostics: [] };
  return rememberLineIndex(document, lines.edited(text, prefix, changedEnd));
}
