import type { Node } from 'web-tree-sitter';
import type { Diagnostic, Range } from '../diagnostics/types.js';
import type { HclAttribute, HclBlock, HclBody, HclDocument, HclLiteral, HclValue } from './types.js';

/** Blocks nested deeper than this are reported, not analysed (no real configuration comes close). */
export const MAX_BLOCK_DEPTH = 128;
/** Values nested deeper than this are treated as unknown. */
export const MAX_VALUE_DEPTH = 64;
/** At most this many syntax errors are reported per file; the rest are summarised. */
export const MAX_SYNTAX_ERRORS = 50;

interface Context {
  text: string;
  diagnostics: Diagnostic[];
  reportedDepth: boolean;
}

const rangeOf = (node: Node): Range => ({
  start: { line: node.startPosition.row, character: node.startPosition.column },
  end: { line: node.endPosition.row, character: node.endPosition.column },
});

const spanRange = (from: Node, to: Node): Range => ({ start: rangeOf(from).start, end: rangeOf(to).end });

function diagnostic(code: string, message: string, range: Range): Diagnostic {
  return { range, severity: 'error', code, source: 'shoreline', message };
}

/** Named children without comments (tree-sitter reports comments as extras anywhere). */
function children(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
}

const ESCAPE = /\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))|\$\$\{|%%\{/gs;
const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Decodes the escapes of a quoted HCL string (https://github.com/hashicorp/hcl spec: Template Literals). */
function decodeQuoted(raw: string, node: Node, ctx: Context): string {
  if (!raw.includes('\\') && !raw.includes('$${') && !raw.includes('%%{')) return raw;
  return raw.replace(ESCAPE, (match, u4: string | undefined, u8: string | undefined, single: string | undefined) => {
    if (match === '$${') return '${';
    if (match === '%%{') return '%{';
    const hex = u4 ?? u8;
    if (hex !== undefined) {
      const code = parseInt(hex, 16);
      if (code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)) return String.fromCodePoint(code);
    } else if (single !== undefined && Object.hasOwn(SIMPLE_ESCAPES, single)) {
      return SIMPLE_ESCAPES[single]!;
    }
    ctx.diagnostics.push(diagnostic('hcl/syntax-error', `invalid escape sequence '${match}' in a string; use \\n, \\r, \\t, \\", \\\\, \\uNNNN or \\UNNNNNNNN`, rangeOf(node)));
    return match;
  });
}

function stringLiteral(node: Node, ctx: Context): string | undefined {
  // string_lit: quoted_template_start, template_literal?, quoted_template_end
  const parts = children(node);
  if (parts.some((part) => part.type !== 'quoted_template_start' && part.type !== 'quoted_template_end' && part.type !== 'template_literal')) return undefined;
  if (parts.some((part) => part.isMissing)) return undefined;
  const literal = parts.find((part) => part.type === 'template_literal');
  return literal ? decodeQuoted(ctx.text.slice(literal.startIndex, literal.endIndex), literal, ctx) : '';
}

function heredocValue(node: Node, ctx: Context): HclValue {
  const parts = children(node);
  if (parts.some((part) => part.type === 'template_interpolation' || part.type === 'template_directive')) return { known: false, kind: 'template' };
  const markers = parts.filter((part) => part.type === 'heredoc_identifier');
  const start = parts.find((part) => part.type === 'heredoc_start');
  if (markers.length < 2 || markers[1]!.isMissing || !start) return { known: false, kind: 'invalid' };
  const opening = markers[0]!;
  const closing = markers[1]!;
  const contentStart = ctx.text.indexOf('\n', opening.endIndex) + 1;
  const contentEnd = ctx.text.lastIndexOf('\n', closing.startIndex) + 1;
  let content = contentStart > 0 && contentEnd > contentStart ? ctx.text.slice(contentStart, contentEnd) : '';
  content = content.replace(/\r\n/g, '\n').replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
  if (ctx.text.slice(start.startIndex, start.endIndex).startsWith('<<-')) {
    // Flush heredoc: remove the indentation common to all non-blank lines.
    const lines = content.split('\n');
    const indents = lines.filter((line) => line.trim() !== '').map((line) => line.match(/^[ \t]*/)![0].length);
    const strip = indents.length ? Math.min(...indents) : 0;
    content = lines.map((line) => line.slice(Math.min(strip, line.match(/^[ \t]*/)![0].length))).join('\n');
  }
  return { known: true, value: content };
}

function literalValue(node: Node, ctx: Context): HclValue {
  const child = children(node)[0];
  if (!child) return { known: false, kind: 'invalid' };
  const raw = ctx.text.slice(child.startIndex, child.endIndex);
  switch (child.type) {
    case 'numeric_lit':
      return { known: true, value: Number(raw) };
    case 'bool_lit':
      return { known: true, value: raw === 'true' };
    case 'null_lit':
      return { known: true, value: null };
    case 'string_lit': {
      const value = stringLiteral(child, ctx);
      return value === undefined ? { known: false, kind: 'invalid' } : { known: true, value };
    }
    default:
      return { known: false, kind: 'invalid' };
  }
}

function objectKey(node: Node, ctx: Context, depth: number): string | undefined {
  // A bare identifier key is the string itself; anything else must evaluate to a string.
  const inner = children(node);
  if (inner.length === 1 && inner[0]!.type === 'variable_expr') return ctx.text.slice(inner[0]!.startIndex, inner[0]!.endIndex);
  const value = evaluate(node, ctx, depth + 1);
  return value.known && typeof value.value === 'string' ? value.value : undefined;
}

function tooDeep(node: Node, ctx: Context): HclValue {
  if (!ctx.reportedDepth) {
    ctx.reportedDepth = true;
    ctx.diagnostics.push(diagnostic('hcl/nesting-too-deep', `values are nested more than ${MAX_VALUE_DEPTH} levels deep; the inner values are not analysed`, rangeOf(node)));
  }
  return { known: false, kind: 'too-deep' };
}

/** The literal value of an expression node, or why it has none. */
function evaluate(node: Node, ctx: Context, depth: number): HclValue {
  if (depth > MAX_VALUE_DEPTH) return tooDeep(node, ctx);
  const parts = children(node);
  if (node.type === 'expression') {
    if (parts.length !== 1) {
      return { known: false, kind: parts.some((part) => part.type === 'splat' || part.type.endsWith('_splat')) ? 'splat' : 'reference' };
    }
    return evaluate(parts[0]!, ctx, depth + 1);
  }
  switch (node.type) {
    case 'literal_value':
      return literalValue(node, ctx);
    case 'template_expr': {
      const inner = parts[0];
      if (inner?.type === 'heredoc_template') return heredocValue(inner, ctx);
      return { known: false, kind: 'template' };
    }
    case 'collection_value': {
      const collection = parts[0];
      if (!collection) return { known: false, kind: 'invalid' };
      if (collection.type === 'tuple') {
        const values: HclLiteral[] = [];
        for (const element of children(collection)) {
          if (element.type !== 'expression') continue;
          const value = evaluate(element, ctx, depth + 1);
          if (!value.known) return value;
          values.push(value.value);
        }
        return { known: true, value: values };
      }
      const object: Record<string, HclLiteral> = {};
      for (const element of children(collection)) {
        if (element.type !== 'object_elem') continue;
        const [keyNode, valueNode] = children(element);
        if (!keyNode || !valueNode) return { known: false, kind: 'invalid' };
        const key = objectKey(keyNode, ctx, depth);
        if (key === undefined) return { known: false, kind: 'reference' };
        const value = evaluate(valueNode, ctx, depth + 1);
        if (!value.known) return value;
        object[key] = value.value;
      }
      return { known: true, value: object };
    }
    case 'operation': {
      const unary = parts[0];
      if (unary?.type === 'unary_operation' && ctx.text[unary.startIndex] === '-') {
        const operand = evaluate(children(unary)[0]!, ctx, depth + 1);
        if (operand.known && typeof operand.value === 'number') return { known: true, value: -operand.value };
      }
      return { known: false, kind: 'operation' };
    }
    case 'variable_expr':
      return { known: false, kind: 'reference' };
    case 'function_call':
      return { known: false, kind: 'function-call' };
    case 'conditional':
      return { known: false, kind: 'conditional' };
    case 'for_expr':
      return { known: false, kind: 'for-expression' };
    default:
      return { known: false, kind: 'invalid' };
  }
}

function buildAttribute(node: Node, ctx: Context): HclAttribute | undefined {
  const [nameNode, expression] = children(node);
  if (!nameNode || !expression) return undefined;
  const value = evaluate(expression, ctx, 0);
  const source = ctx.text.slice(expression.startIndex, expression.endIndex);
  const attr: HclAttribute = {
    name: ctx.text.slice(nameNode.startIndex, nameNode.endIndex),
    nameRange: rangeOf(nameNode),
    range: spanRange(nameNode, expression),
    valueRange: rangeOf(expression),
    value,
    expression: source,
  };
  if (!value.known && value.kind === 'reference' && /^[A-Za-z_][\w-]*(\s*(\.\s*[A-Za-z_][\w-]*|\[\s*[^\]]*\]))*$/.test(source)) {
    attr.traversal = source.replace(/\s+/g, '');
  }
  return attr;
}

function buildBlock(node: Node, ctx: Context, depth: number): HclBlock | undefined {
  const parts = children(node);
  const typeNode = parts[0];
  if (!typeNode || typeNode.type !== 'identifier') return undefined;
  const labels: string[] = [];
  const labelRanges: Range[] = [];
  let open: Node | undefined;
  let close: Node | undefined;
  let bodyNode: Node | undefined;
  for (const part of parts.slice(1)) {
    if (part.type === 'block_start') open = part;
    else if (part.type === 'block_end') close = part;
    else if (part.type === 'body') bodyNode = part;
    else if (!open && (part.type === 'string_lit' || part.type === 'identifier')) {
      labels.push(part.type === 'identifier' ? ctx.text.slice(part.startIndex, part.endIndex) : (stringLiteral(part, ctx) ?? ''));
      labelRanges.push(rangeOf(part));
    }
  }
  const lastHeader = open ?? parts[parts.length - 1]!;
  const block: HclBlock = {
    type: ctx.text.slice(typeNode.startIndex, typeNode.endIndex),
    typeRange: rangeOf(typeNode),
    labels,
    labelRanges,
    range: rangeOf(node),
    headerRange: { start: rangeOf(typeNode).start, end: labelRanges.length ? labelRanges[labelRanges.length - 1]!.end : rangeOf(typeNode).end },
    bodyRange: { start: rangeOf(lastHeader).end, end: close ? rangeOf(close).start : rangeOf(node).end },
    attributes: [],
    blocks: [],
  };
  if (bodyNode) {
    const body = buildBody(bodyNode, ctx, depth + 1);
    block.attributes = body.attributes;
    block.blocks = body.blocks;
  }
  return block;
}

function buildBody(node: Node, ctx: Context, depth: number): HclBody {
  const body: HclBody = { attributes: [], blocks: [] };
  if (depth > MAX_BLOCK_DEPTH) {
    if (!ctx.reportedDepth) {
      ctx.reportedDepth = true;
      ctx.diagnostics.push(diagnostic('hcl/nesting-too-deep', `blocks are nested more than ${MAX_BLOCK_DEPTH} levels deep; the inner blocks are not analysed`, rangeOf(node)));
    }
    return body;
  }
  for (const child of children(node)) {
    if (child.type === 'attribute') {
      const attr = buildAttribute(child, ctx);
      if (attr) body.attributes.push(attr);
    } else if (child.type === 'block') {
      const block = buildBlock(child, ctx, depth);
      if (block) body.blocks.push(block);
    }
  }
  return body;
}

const TOKEN_NAMES: Record<string, string> = {
  quoted_template_end: "'\"'",
  block_end: "'}'",
  object_end: "'}'",
  tuple_end: "']'",
  template_interpolation_end: "'}'",
  template_directive_end: "'}'",
  heredoc_identifier: 'the heredoc end marker',
  identifier: 'a name',
  expression: 'a value',
};

function enclosing(node: Node, type: string): Node | undefined {
  for (let current = node.parent; current; current = current.parent) if (current.type === type) return current;
  return undefined;
}

function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline;
}

function describeMissing(node: Node, ctx: Context): Diagnostic {
  const at = rangeOf(node);
  if (node.type === 'quoted_template_end') {
    const string = node.parent ?? node;
    const end = lineEnd(ctx.text, string.startIndex);
    const startPos = rangeOf(string).start;
    return diagnostic('hcl/unterminated-string', 'this string is not closed: add \'"\' at the end of the line (quoted strings cannot span lines; use a heredoc <<EOT for multi-line text)', {
      start: startPos,
      end: { line: startPos.line, character: startPos.character + (end - string.startIndex) },
    });
  }
  if (node.type === 'heredoc_identifier') {
    const heredoc = node.parent;
    const opening = heredoc ? children(heredoc).find((part) => part.type === 'heredoc_identifier' && !part.isMissing) : undefined;
    const marker = opening ? ctx.text.slice(opening.startIndex, opening.endIndex) : 'EOT';
    return diagnostic('hcl/unterminated-heredoc', `the heredoc is never closed: add a line containing only ${marker}`, heredoc ? { start: rangeOf(heredoc).start, end: opening ? rangeOf(opening).end : rangeOf(heredoc).start } : at);
  }
  if (node.type === 'block_end' || ctx.text.slice(node.startIndex, node.endIndex) === '}' || node.parent?.type === 'block_end') {
    const block = enclosing(node, 'block');
    if (block) {
      const header = ctx.text.slice(block.startIndex, Math.min(block.endIndex, lineEnd(ctx.text, block.startIndex))).replace(/\s*\{.*$/, '');
      return diagnostic('hcl/unclosed-block', `the block '${header}' opened on line ${block.startPosition.row + 1} is not closed: add '}'`, { start: rangeOf(block).start, end: { line: block.startPosition.row, character: block.startPosition.column + header.length } });
    }
  }
  return diagnostic('hcl/syntax-error', `expected ${TOKEN_NAMES[node.type] ?? `'${node.type}'`} here`, at);
}

function describeError(node: Node, ctx: Context): Diagnostic {
  const raw = ctx.text.slice(node.startIndex, node.endIndex).trim();
  const firstLine = raw.split('\n')[0]!;
  const snippet = firstLine.length > 40 ? `${firstLine.slice(0, 40)}…` : firstLine;
  const range = rangeOf(node);
  if (raw.startsWith('<<')) return diagnostic('hcl/unterminated-heredoc', `the heredoc '${snippet}' is not valid or never closed: end it with a line containing only its marker`, range);
  if (raw === '') return diagnostic('hcl/syntax-error', 'unexpected end of input', range);
  if (raw === '}') return diagnostic('hcl/syntax-error', "unexpected '}': there is no open block to close here", range);
  if (raw.startsWith('\\')) return diagnostic('hcl/syntax-error', `invalid escape sequence '${raw.slice(0, 2)}'; use \\n, \\r, \\t, \\", \\\\, \\uNNNN or \\UNNNNNNNN`, range);
  const bare = raw.match(/^([A-Za-z_][\w-]*)\s*=$/);
  if (bare) return diagnostic('hcl/syntax-error', `the attribute '${bare[1]}' has no value after '='`, range);
  const inBody = node.parent?.type === 'body' || node.parent?.type === 'config_file' || node.parent?.type === 'block';
  const hint = inBody ? '; expected an attribute (name = value) or a block (type "label" { ... })' : '';
  const rangeLine = range.start.line === range.end.line ? range : { start: range.start, end: { line: range.start.line, character: range.start.character + firstLine.length } };
  return diagnostic('hcl/syntax-error', `syntax error at '${snippet}'${hint}`, rangeLine);
}

function collectSyntaxErrors(root: Node, ctx: Context): void {
  if (!root.hasError) return;
  const found: Diagnostic[] = [];
  const stack: Node[] = [root];
  let total = 0;
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.isMissing) {
      total++;
      if (found.length < MAX_SYNTAX_ERRORS) found.push(describeMissing(node, ctx));
      continue;
    }
    if (node.type === 'ERROR') {
      total++;
      if (found.length < MAX_SYNTAX_ERRORS) found.push(describeError(node, ctx));
      continue;
    }
    if (!node.hasError) continue;
    const kids = node.children.filter((child): child is Node => child !== null);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  if (total > found.length) {
    const last = found[found.length - 1]!;
    found.push(diagnostic('hcl/syntax-error', `${total - found.length} more syntax errors follow; fix the ones above first`, last.range));
  }
  ctx.diagnostics.push(...found);
}

/** Builds the document model from a tree-sitter tree of `text`. */
export function buildDocument(root: Node, text: string, source: string): HclDocument {
  const ctx: Context = { text, diagnostics: [], reportedDepth: false };
  collectSyntaxErrors(root, ctx);
  const bodyNode = children(root).find((child) => child.type === 'body');
  const body = bodyNode ? buildBody(bodyNode, ctx, 0) : { attributes: [], blocks: [] };
  return { source, text, body, diagnostics: ctx.diagnostics };
}
