import { LineIndex } from '../diagnostics/line-index.js';
import type { Range } from '../diagnostics/types.js';
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

function itemsOf(document: HclDocument): Item[] {
  const items: Item[] = [...document.body.blocks.map((item) => ({ kind: 'block' as const, item })), ...document.body.attributes.map((item) => ({ kind: 'attribute' as const, item }))];
  return items.sort((a, b) => a.item.range.start.line - b.item.range.start.line || a.item.range.start.character - b.item.range.start.character);
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** Parses `text`, reusing the unchanged top-level items of `previous` (the document of the text before the edit). */
export function reparseHcl(previous: HclDocument, text: string, options: ParseOptions = {}): HclDocument {
  const source = options.source ?? previous.source;
  const old = previous.text;
  if (old === text) return { ...previous, source };
  if (previous.diagnostics.length > 0) return parseHcl(text, { source });

  const shortest = Math.min(old.length, text.length);
  let prefix = 0;
  while (prefix < shortest && old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shortest - prefix && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  const changedEnd = old.length - suffix;

  const lines = new LineIndex(old);
  const items = itemsOf(previous);
  const endOffset = (entry: Item) => lines.offsetAt(entry.item.range.end);

  // First item the edit can touch (an edit right at an item's end may extend it), and whole lines before it.
  let first = items.findIndex((entry) => endOffset(entry) >= prefix);
  if (first === -1) first = items.length;
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

  const merged: Item[] = [...items.slice(0, first), ...itemsOf(window).map((entry) => shiftItem(entry, startLine)), ...items.slice(after).map((entry) => shiftItem(entry, lineDelta))];
  // A top-level argument set twice (a .tfvars edit) is an error only a parse of the whole body sees.
  const names = new Set<string>();
  for (const entry of merged) {
    if (entry.kind !== 'attribute') continue;
    if (names.has(entry.item.name)) return parseHcl(text, { source });
    names.add(entry.item.name);
  }
  return {
    source,
    text,
    body: {
      blocks: merged.filter((entry): entry is Extract<Item, { kind: 'block' }> => entry.kind === 'block').map((entry) => entry.item),
      attributes: merged.filter((entry): entry is Extract<Item, { kind: 'attribute' }> => entry.kind === 'attribute').map((entry) => entry.item),
    },
    diagnostics: [],
  };
}
