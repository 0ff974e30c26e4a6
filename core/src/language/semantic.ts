import { lineIndexOf } from '../hcl/lines.js';
import { tokenize, type Token } from '../format/tokens.js';
import type { HclBody, HclDocument } from '../hcl/types.js';
import { BUILTIN_ROOTS } from '../terraform/references.js';

/**
 * Semantic tokens of a Terraform file, for editors without a Terraform
 * grammar of their own (or with a plain one): block types, resource types,
 * argument names, references, functions, strings, numbers, comments and
 * operators, from the same tokens the formatter reads and the document model.
 */

export const SEMANTIC_TOKEN_TYPES = ['keyword', 'type', 'property', 'variable', 'function', 'string', 'number', 'comment', 'operator', 'parameter'] as const;
export const SEMANTIC_TOKEN_MODIFIERS = ['declaration', 'defaultLibrary'] as const;

type TokenKind = (typeof SEMANTIC_TOKEN_TYPES)[number];
const TYPE_INDEX = new Map(SEMANTIC_TOKEN_TYPES.map((type, index) => [type, index]));
const DECLARATION = 1;
const DEFAULT_LIBRARY = 2;

const OPERATORS = new Set([
  'Plus',
  'Minus',
  'Star',
  'Slash',
  'Percent',
  'EqualOp',
  'NotEqual',
  'LessThan',
  'LessThanEq',
  'GreaterThan',
  'GreaterThanEq',
  'And',
  'Or',
  'Bang',
  'Question',
  'Colon',
  'FatArrow',
  'Ellipsis',
]);
const STRINGS = new Set(['OQuote', 'CQuote', 'QuotedLit', 'OHeredoc', 'CHeredoc', 'StringLit']);
const REFERENCE_ROOTS = new Set(['var', 'local', 'module', 'data', 'ephemeral']);
/** Blocks whose first label is a resource type. */
const TYPED_BLOCKS = new Set(['resource', 'data', 'ephemeral', 'list', 'action']);

/** The LSP encoding: for each token, deltas of line and start, length, type, modifiers. */
export function semanticTokens(document: HclDocument): number[] {
  const text = document.text;
  const lines = lineIndexOf(document);
  const offsetOf = (position: { line: number; character: number }) => lines.offsetAt(position);
  // What the document model says of the identifiers at body level.
  const roles = new Map<number, { kind: TokenKind; modifiers: number }>();
  const resourceTypes = new Set<string>();
  const visit = (body: HclBody, depth: number) => {
    for (const attribute of body.attributes) roles.set(offsetOf(attribute.nameRange.start), { kind: 'property', modifiers: DECLARATION });
    for (const block of body.blocks) {
      roles.set(offsetOf(block.typeRange.start), { kind: 'keyword', modifiers: 0 });
      if (depth === 0 && TYPED_BLOCKS.has(block.type) && block.labelRanges[0]) {
        roles.set(offsetOf(block.labelRanges[0].start), { kind: 'type', modifiers: 0 });
        resourceTypes.add(block.labels[0]!);
      }
      if (depth < 64) visit(block, depth + 1);
    }
  };
  visit(document.body, 0);
  const data: number[] = [];
  let lastLine = 0;
  let lastStart = 0;
  const emit = (offset: number, length: number, kind: TokenKind, modifiers = 0) => {
    // One token per line: a multi-line token (heredoc, block comment) is cut at its line breaks.
    let from = offset;
    const end = offset + length;
    while (from < end) {
      let lineEnd = text.indexOf('\n', from);
      if (lineEnd === -1 || lineEnd > end) lineEnd = end;
      const pieceEnd = text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
      if (pieceEnd > from) {
        const { line, character } = lines.positionAt(from);
        data.push(line - lastLine, line === lastLine ? character - lastStart : character, pieceEnd - from, TYPE_INDEX.get(kind)!, modifiers);
        lastLine = line;
        lastStart = character;
      }
      from = lineEnd + 1;
    }
  };
  const tokens = tokenize(text);
  let labelOpen = -1;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    const role = roles.get(token.start);
    if (token.type === 'Comment') emit(token.start, token.text.replace(/\r?\n$/, '').length, 'comment');
    else if (token.type === 'NumberLit') emit(token.start, token.text.length, 'number');
    else if (STRINGS.has(token.type)) {
      // A resource type label: the quotes and the name as one type token.
      if (token.type === 'OQuote' && role?.kind === 'type') labelOpen = index;
      if (labelOpen !== -1) {
        if (token.type === 'CQuote') {
          const open = tokens[labelOpen]!;
          emit(open.start, token.start + 1 - open.start, 'type');
          labelOpen = -1;
        }
        continue;
      }
      emit(token.start, token.type === 'StringLit' ? token.text.replace(/\r?\n$/, '').length : token.text.length, 'string');
    } else if (OPERATORS.has(token.type)) emit(token.start, token.text.length, 'operator');
    else if (token.type === 'Ident') identifier(tokens, index, role, resourceTypes, emit);
  }
  return data;
}

function identifier(
  tokens: readonly Token[],
  index: number,
  role: { kind: TokenKind; modifiers: number } | undefined,
  resourceTypes: ReadonlySet<string>,
  emit: (offset: number, length: number, kind: TokenKind, modifiers?: number) => void,
): void {
  const token = tokens[index]!;
  const previous = tokens[index - 1];
  const next = tokens[index + 1];
  if (role) return emit(token.start, token.text.length, role.kind, role.modifiers);
  if (previous?.type === 'Dot' || next?.type === 'Equal') return emit(token.start, token.text.length, 'property');
  if (next?.type === 'OParen' || next?.type === 'DoubleColon' || previous?.type === 'DoubleColon') return emit(token.start, token.text.length, 'function', DEFAULT_LIBRARY);
  if (['true', 'false', 'null'].includes(token.text)) return emit(token.start, token.text.length, 'keyword');
  if (
    (token.text === 'for' && next?.type === 'Ident') ||
    (token.text === 'in' && previous?.type === 'Ident') ||
    ((token.text === 'if' || token.text === 'else' || token.text === 'endif' || token.text === 'endfor') &&
      (previous?.type === 'TemplateControl' || previous?.type === 'Colon' || previous?.type === 'Ident'))
  )
    return emit(token.start, token.text.length, 'keyword');
  if (next?.type === 'Dot') {
    if (REFERENCE_ROOTS.has(token.text)) return emit(token.start, token.text.length, 'variable');
    if (BUILTIN_ROOTS.has(token.text)) return emit(token.start, token.text.length, 'variable', DEFAULT_LIBRARY);
    if (resourceTypes.has(token.text)) return emit(token.start, token.text.length, 'type');
    return emit(token.start, token.text.length, 'parameter');
  }
  emit(token.start, token.text.length, 'variable');
}
