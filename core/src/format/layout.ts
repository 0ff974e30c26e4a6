import { bracketChange, endsLine, type Token } from './tokens.js';

/**
 * The canonical layout of HCL tokens, as hclwrite lays them out for
 * `terraform fmt`: indentation by bracket nesting, one rule for the space
 * between two tokens, and `=` signs and trailing comments aligned across
 * consecutive lines. Only `spacesBefore` changes; every token keeps its text.
 */

/** One line of tokens in up to three cells: everything before `=`, the assignment, a trailing comment. */
interface Line {
  lead: Token[];
  assign?: Token[];
  comment?: Token[];
}

const NIL: Token = { type: 'Invalid', text: '', start: -1, spacesBefore: 0 };

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The width of a cell: spaces count one each, text by grapheme clusters (as hclwrite counts). */
function columns(cell: readonly Token[]): number {
  let width = 0;
  for (const token of cell) width += token.spacesBefore + textWidth(token.text);
  return width;
}

function textWidth(text: string): number {
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) > 0x7f) {
      let count = 0;
      for (const _ of graphemes.segment(text)) count++;
      return count;
    }
  }
  return text.length;
}

function splitLines(tokens: readonly Token[]): Line[] {
  const lines: Line[] = [];
  let current: Token[] = [];
  for (const token of tokens) {
    current.push(token);
    if (endsLine(token)) {
      lines.push({ lead: current });
      current = [];
    }
  }
  lines.push({ lead: current });
  for (const line of lines) {
    const { lead } = line;
    if (lead.length > 1 && lead[lead.length - 1]!.type === 'Comment') line.comment = lead.splice(lead.length - 1, 1);
    const equals = lead.findIndex((token, index) => index > 0 && token.type === 'Equal');
    if (equals === -1) continue;
    // The rest is an assignment only when it is a whole expression: balanced brackets.
    let net = 0;
    for (let index = equals; index < lead.length; index++) net += bracketChange(lead[index]!);
    if (net === 0) line.assign = lead.splice(equals);
  }
  return lines;
}

function indent(lines: Line[]): void {
  // Each line that opens more brackets than it closes adds a level; closing lines pop the levels they close.
  const levels: number[] = [];
  for (const line of lines) {
    const first = line.lead[0];
    if (!first) continue;
    if (first.type === 'Newline') {
      first.spacesBefore = 0;
      continue;
    }
    let net = 0;
    for (const token of line.lead) {
      net += bracketChange(token);
      if (token.type === 'OHeredoc') break;
    }
    for (const token of line.assign ?? []) net += bracketChange(token);
    if (net > 0) {
      first.spacesBefore = 2 * levels.length;
      levels.push(net);
      continue;
    }
    let closed = -net;
    while (closed > 0 && levels.length > 0) {
      const last = levels[levels.length - 1]!;
      if (closed >= last) {
        closed -= last;
        levels.pop();
      } else {
        levels[levels.length - 1] = last - closed;
        closed = 0;
      }
    }
    first.spacesBefore = 2 * levels.length;
  }
}

const isOpening = (token: Token) => bracketChange(token) > 0;
const isClosing = (token: Token) => bracketChange(token) < 0;
const ENDS_NEGATION = new Set([
  'OParen',
  'OBrace',
  'OBrack',
  'Equal',
  'Colon',
  'Comma',
  'Question',
  'Plus',
  'Star',
  'Slash',
  'Percent',
  'Minus',
  'EqualOp',
  'NotEqual',
  'GreaterThan',
  'GreaterThanEq',
  'LessThan',
  'LessThanEq',
  'And',
  'Or',
  'Bang',
]);

/** Inside templates no spaces are added: after these, and before the others. */
const TEMPLATE_BEFORE = new Set(['QuotedLit', 'StringLit', 'OQuote', 'OHeredoc']);
const TEMPLATE_AFTER = new Set(['QuotedLit', 'StringLit', 'CQuote', 'CHeredoc']);

/** Whether `subject` is followed by a space, between `before` and `after`. */
function spaceAfter(subject: Token, before: Token, after: Token): boolean {
  if (after.type === 'Newline' || after === NIL) return false;
  if (subject.type === 'Ident' && after.type === 'OParen') return false;
  if ((subject.type === 'Ident' && after.type === 'DoubleColon') || (subject.type === 'DoubleColon' && after.type === 'Ident')) return false;
  if (subject.type === 'Dot' || after.type === 'Dot') return false;
  if (after.type === 'Comma' || after.type === 'Ellipsis') return false;
  if (subject.type === 'Comma') return true;
  if (TEMPLATE_BEFORE.has(subject.type) || TEMPLATE_AFTER.has(after.type)) return false;
  // `in` of a for expression before a tuple: `for x in [1]`, not `in[1]`.
  if (subject.type === 'Ident' && subject.text === 'in' && before.type === 'Ident') return true;
  if (after.type === 'OBrack' && (subject.type === 'Ident' || subject.type === 'NumberLit' || isClosing(subject))) return false;
  if (subject.type === 'Bang') return false;
  // A minus after something that cannot end an expression is a negation: no space after it.
  if (subject.type === 'Minus') return !(before === NIL || ENDS_NEGATION.has(before.type));
  if (subject.type === 'OBrace' || after.type === 'CBrace') return !(subject.type === 'OBrace' && after.type === 'CBrace');
  if ((subject.type === 'TemplateInterp' || subject.type === 'TemplateControl') && after.type === 'OBrace') return true;
  if (subject.type === 'CBrace' && after.type === 'TemplateSeqEnd') return true;
  if (subject.type === 'TemplateSeqEnd' && (after.type === 'TemplateInterp' || after.type === 'TemplateControl')) return false;
  if (isOpening(subject)) return false;
  if (isClosing(after)) return false;
  return true;
}

function space(lines: Line[]): void {
  for (const line of lines) {
    for (const cell of [line.lead, line.assign]) {
      if (!cell) continue;
      if (cell === line.assign) cell[0]!.spacesBefore = 1;
      for (let index = 0; index < cell.length - 1; index++) {
        cell[index + 1]!.spacesBefore = spaceAfter(cell[index]!, index > 0 ? cell[index - 1]! : NIL, cell[index + 1]!) ? 1 : 0;
      }
    }
  }
}

/** Aligns a cell over runs of consecutive lines that have it. */
function alignCells(lines: Line[], cell: 'assign' | 'comment', width: (line: Line) => number): void {
  let start = -1;
  let widest = 0;
  const close = (end: number) => {
    for (const line of lines.slice(start, end)) line[cell]![0]!.spacesBefore = widest - width(line) + 1;
    start = -1;
    widest = 0;
  };
  lines.forEach((line, index) => {
    if (!line[cell]) {
      if (start !== -1) close(index);
      return;
    }
    if (start === -1) start = index;
    widest = Math.max(widest, width(line));
  });
  if (start !== -1) close(lines.length);
}

/** Lays out tokens in place (spaces only) and returns the text they make. */
export function layout(tokens: Token[]): string {
  const lines = splitLines(tokens);
  indent(lines);
  space(lines);
  alignCells(lines, 'assign', (line) => columns(line.lead));
  alignCells(lines, 'comment', (line) => columns(line.lead) + columns(line.assign ?? []));
  let out = '';
  for (const token of tokens) out += token.spacesBefore === 0 ? token.text : spaces(token.spacesBefore) + token.text;
  return out;
}

const SPACES: string[] = [];
function spaces(count: number): string {
  return (SPACES[count] ??= ' '.repeat(count));
}
