import { lineIndexOf } from '../hcl/lines.js';
import { parseHcl } from '../hcl/parser.js';
import type { HclDocument } from '../hcl/types.js';
import { layout } from './layout.js';
import { bracketChange, endsLine, tokenize, type Token, type TokenType } from './tokens.js';

/**
 * `terraform fmt`: hclwrite's layout, after the rewrites Terraform's fmt
 * command makes to each body — block labels written as quoted strings, an
 * attribute that is nothing but `"${expr}"` unwrapped to `expr`, and in
 * `variable` blocks the legacy type spellings (`"string"`, `list`) written as
 * today's (`string`, `list(any)`). Files with syntax errors are not
 * formatted (Terraform refuses them too): the result is undefined.
 */
export function formatTerraform(text: string, { parsed }: { parsed?: HclDocument } = {}): string | undefined {
  // The caller's parse of this very text saves parsing it again (an editor has one).
  const document = parsed && parsed.text === text ? parsed : parseHcl(text);
  if (document.diagnostics.some((diagnostic) => diagnostic.severity === 'error')) return undefined;
  // Whole top-level blocks lay out on their own (and are cached by text); the last piece carries the file's end.
  const chunks = topLevelChunks(document) ?? [text];
  let formatted = '';
  for (const chunk of chunks.slice(0, -1)) formatted += formatChunk(chunk);
  const lastChunk = chunks[chunks.length - 1]!;
  const source = tokenize(lastChunk);
  const last = source[source.length - 1];
  // Spaces after the last token stay (as spaces, one per byte), and the file ends with a newline.
  const trailing = lastChunk.length - (last ? last.start + last.text.length : 0);
  formatted += layout(rewriteBody(source, 0, [], { value: 0 })) + ' '.repeat(trailing);
  return formatted.endsWith('\n') ? formatted : `${formatted}\n`;
}

function layoutText(text: string): string {
  return layout(rewriteBody(tokenize(text), 0, [], { value: 0 }));
}

/** Formatted top-level blocks by their text: formatting after an edit lays out only the blocks it changed. */
const chunkCache = new Map<string, string>();
const CHUNK_CACHE_LIMIT = 100_000;

function formatChunk(chunk: string): string {
  let formatted = chunkCache.get(chunk);
  if (formatted === undefined) {
    formatted = layoutText(chunk);
    if (chunkCache.size >= CHUNK_CACHE_LIMIT) chunkCache.clear();
    chunkCache.set(chunk, formatted);
  }
  return formatted;
}

/**
 * The file cut into its top-level blocks and the lines between them, when
 * each piece lays out on its own exactly as within the file: every block
 * starts its line and nothing but spaces follows its closing brace (so no
 * alignment chain crosses a cut), and there are no top-level attributes.
 * Undefined otherwise (the file is laid out whole).
 */
function topLevelChunks(document: HclDocument): string[] | undefined {
  const text = document.text;
  if (document.body.attributes.length > 0 || document.body.blocks.length < 2) return undefined;
  const lines = lineIndexOf(document);
  const chunks: string[] = [];
  let at = 0;
  for (const block of document.body.blocks) {
    const start = lines.offsetAt({ line: block.range.start.line, character: 0 });
    const end = lines.offsetAt(block.range.end);
    if (!/^[ \t]*$/.test(text.slice(start, lines.offsetAt(block.range.start)))) return undefined;
    const lineEnd = text.indexOf('\n', end);
    const after = lineEnd === -1 ? text.slice(end) : text.slice(end, lineEnd);
    if (!/^[ \t\r]*$/.test(after)) return undefined;
    if (start < at) return undefined;
    if (start > at) chunks.push(text.slice(at, start));
    at = lineEnd === -1 ? text.length : lineEnd + 1;
    chunks.push(text.slice(start, at));
  }
  // The rest (comments, blank lines, trailing spaces) ends the file.
  chunks.push(text.slice(at));
  return chunks;
}

const token = (type: TokenType, text: string): Token => ({ type, text, start: -1, spacesBefore: 0 });

/**
 * Rewrites one body's items, from `position.value` until its closing brace
 * (or the end); returns the rewritten tokens. `blocks` are the types of the
 * enclosing blocks, outermost first.
 */
function rewriteBody(tokens: Token[], depth: number, blocks: string[], position: { value: number }): Token[] {
  const out: Token[] = [];
  while (position.value < tokens.length) {
    const current = tokens[position.value]!;
    if (current.type === 'CBrace' && depth > 0) return out;
    if (current.type !== 'Ident') {
      out.push(current);
      position.value++;
      continue;
    }
    const next = tokens[position.value + 1];
    if (next?.type === 'Equal') {
      out.push(current, next);
      position.value += 2;
      const expression = takeExpression(tokens, position);
      out.push(...(blocks.length === 1 && blocks[0] === 'variable' && current.text === 'type' ? formatTypeExpression(expression) : formatValueExpression(expression)));
      continue;
    }
    // A block: its type, labels up to `{`, its body, `}`.
    out.push(current);
    position.value++;
    const labels: Token[][] = [];
    const between: Token[] = [];
    while (position.value < tokens.length && tokens[position.value]!.type !== 'OBrace') {
      const label = tokens[position.value]!;
      if (label.type === 'Ident') {
        labels.push([token('OQuote', '"'), token('QuotedLit', label.text), token('CQuote', '"')]);
        between.length = 0;
        position.value++;
      } else if (label.type === 'OQuote') {
        let end = position.value + 1;
        while (end < tokens.length && tokens[end]!.type !== 'CQuote') end++;
        labels.push(tokens.slice(position.value, end + 1));
        between.length = 0;
        position.value = end + 1;
      } else {
        // Comments between labels go with the old labels; those after the last one stay.
        between.push(label);
        position.value++;
      }
    }
    for (const label of labels) out.push(...label);
    out.push(...between);
    if (position.value >= tokens.length) return out;
    out.push(tokens[position.value]!);
    position.value++;
    out.push(...rewriteBody(tokens, depth + 1, [...blocks, current.text], position));
    if (position.value < tokens.length) {
      out.push(tokens[position.value]!);
      position.value++;
    }
  }
  return out;
}

/** The tokens of an attribute's expression: up to the end of its line at bracket depth 0, or the `}` of a one-line block. */
function takeExpression(tokens: Token[], position: { value: number }): Token[] {
  const start = position.value;
  let depth = 0;
  while (position.value < tokens.length) {
    const current = tokens[position.value]!;
    if (depth === 0 && (endsLine(current) || current.type === 'CBrace' || (current.type === 'Comment' && !current.text.endsWith('\n') && endsLine(tokens[position.value + 1])))) break;
    depth += bracketChange(current);
    position.value++;
  }
  return tokens.slice(start, position.value);
}

/** `"${expr}"` alone is `expr` (parenthesised when it spans lines); anything else is left as written. */
function formatValueExpression(tokens: Token[]): Token[] {
  if (tokens.length < 5) return tokens;
  const [open, interp] = tokens;
  const seqEnd = tokens[tokens.length - 2]!;
  const close = tokens[tokens.length - 1]!;
  if (open!.type !== 'OQuote' || interp!.type !== 'TemplateInterp' || seqEnd.type !== 'TemplateSeqEnd' || close.type !== 'CQuote') return tokens;
  const inside = tokens.slice(2, -2);
  let quotes = 0;
  for (const candidate of inside) {
    if (candidate.type === 'OQuote') quotes++;
    else if (candidate.type === 'CQuote') quotes--;
    // Sequences of nested strings are part of the expression; others, or literal text, make it a real template.
    else if (quotes === 0 && (candidate.type === 'TemplateInterp' || candidate.type === 'TemplateSeqEnd' || candidate.type === 'QuotedLit')) return tokens;
  }
  let first = 0;
  let last = inside.length;
  while (first < last && inside[first]!.type === 'Newline') first++;
  while (last > first && inside[last - 1]!.type === 'Newline') last--;
  const trimmed = inside.slice(first, last);
  const multiLine = trimmed.some((candidate) => candidate.type === 'Newline');
  const parenthesised = trimmed[0]?.type === 'OParen' && trimmed[trimmed.length - 1]?.type === 'CParen';
  return multiLine && !parenthesised ? [token('OParen', '('), ...trimmed, token('CParen', ')')] : trimmed;
}

/** Legacy type spellings in a variable's `type`: `"string"` → `string`, `"list"` → `list(string)`, `list` → `list(any)`. */
function formatTypeExpression(tokens: Token[]): Token[] {
  const collection = (name: string, element: string) => [token('Ident', name), token('OParen', '('), token('Ident', element), token('CParen', ')')];
  if (tokens.length === 1 && tokens[0]!.type === 'Ident' && ['list', 'map', 'set'].includes(tokens[0]!.text)) return collection(tokens[0]!.text, 'any');
  if (tokens.length === 3 && tokens[0]!.type === 'OQuote' && tokens[1]!.type === 'QuotedLit' && tokens[2]!.type === 'CQuote') {
    const legacy = tokens[1]!.text;
    if (legacy === 'string') return [token('Ident', 'string')];
    if (legacy === 'list' || legacy === 'map') return collection(legacy, 'string');
  }
  return tokens;
}
