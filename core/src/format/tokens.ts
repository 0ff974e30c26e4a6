/**
 * HCL native syntax as a flat token sequence, the way Go HCL's scanner
 * (hclsyntax) cuts it: the formatter works on these tokens, like hclwrite.
 * Whitespace between tokens is not kept: the formatter decides it.
 */

export type TokenType =
  | 'Newline'
  | 'Comment'
  | 'OBrace'
  | 'CBrace'
  | 'OBrack'
  | 'CBrack'
  | 'OParen'
  | 'CParen'
  | 'OQuote'
  | 'CQuote'
  | 'QuotedLit'
  | 'QuotedNewline'
  | 'OHeredoc'
  | 'CHeredoc'
  | 'StringLit'
  | 'TemplateInterp'
  | 'TemplateControl'
  | 'TemplateSeqEnd'
  | 'Ident'
  | 'NumberLit'
  | 'Dot'
  | 'Comma'
  | 'Ellipsis'
  | 'Equal'
  | 'Colon'
  | 'DoubleColon'
  | 'Question'
  | 'FatArrow'
  | 'Bang'
  | 'Minus'
  | 'Plus'
  | 'Star'
  | 'Slash'
  | 'Percent'
  | 'EqualOp'
  | 'NotEqual'
  | 'LessThan'
  | 'LessThanEq'
  | 'GreaterThan'
  | 'GreaterThanEq'
  | 'And'
  | 'Or'
  | 'Invalid';

export interface Token {
  type: TokenType;
  text: string;
  /** Offset in the source. */
  start: number;
  /** Spaces the formatter puts before the token. */
  spacesBefore: number;
}

const SINGLE: Record<string, TokenType> = {
  '[': 'OBrack',
  ']': 'CBrack',
  '(': 'OParen',
  ')': 'CParen',
  '.': 'Dot',
  ',': 'Comma',
  '*': 'Star',
  '/': 'Slash',
  '%': 'Percent',
  '+': 'Plus',
  '-': 'Minus',
  '=': 'Equal',
  '<': 'LessThan',
  '>': 'GreaterThan',
  '!': 'Bang',
  '?': 'Question',
  ':': 'Colon',
};
const DOUBLE: Record<string, TokenType> = { '==': 'EqualOp', '!=': 'NotEqual', '>=': 'GreaterThanEq', '<=': 'LessThanEq', '&&': 'And', '||': 'Or', '::': 'DoubleColon', '=>': 'FatArrow' };

const ID_START = /[\p{ID_Start}_]/u;
const isAsciiIdentStart = (code: number) => (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f;
const isAsciiIdentContinue = (code: number) => isAsciiIdentStart(code) || (code >= 0x30 && code <= 0x39) || code === 0x2d;
const ID_CONTINUE = /[\p{ID_Continue}-]/u;

/** Where the scanner is: the main expression grammar, a quoted template, or a heredoc template. */
type Mode = { kind: 'main'; braces: number } | { kind: 'quoted' } | { kind: 'heredoc'; marker: string; startOfLine: boolean };

/**
 * Cuts HCL source into tokens. Tokens carry their exact text, so that the
 * formatter changes nothing but the spaces between them.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  // Every main mode above the first was opened by a template sequence: its own `}` at depth 0 closes it.
  const stack: Mode[] = [{ kind: 'main', braces: 0 }];
  let i = 0;
  const push = (type: TokenType, end: number) => {
    tokens.push({ type, text: text.slice(i, end), start: i, spacesBefore: 0 });
    i = end;
  };
  const top = () => stack[stack.length - 1]!;
  while (i < text.length) {
    const mode = top();
    const c = text[i]!;
    if (mode.kind === 'main') {
      if (c === ' ' || c === '\t') {
        i++;
        continue;
      }
      if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
        push('Newline', c === '\r' ? i + 2 : i + 1);
        continue;
      }
      if (c === '#' || (c === '/' && text[i + 1] === '/')) {
        let end = text.indexOf('\n', i);
        end = end === -1 ? text.length : end + 1;
        push('Comment', end);
        continue;
      }
      if (c === '/' && text[i + 1] === '*') {
        const close = text.indexOf('*/', i + 2);
        push('Comment', close === -1 ? text.length : close + 2);
        continue;
      }
      if (c >= '0' && c <= '9') {
        let end = i + 1;
        for (;;) {
          const d = text[end];
          if (d !== undefined && d >= '0' && d <= '9') end++;
          else if (d === '.' && /[0-9]/.test(text[end + 1] ?? '')) end++;
          else if ((d === 'e' || d === 'E') && /[0-9]/.test(text[end + 1] ?? '')) end += 2;
          else if ((d === 'e' || d === 'E') && /[+-]/.test(text[end + 1] ?? '') && /[0-9]/.test(text[end + 2] ?? '')) end += 3;
          else break;
        }
        push('NumberLit', end);
        continue;
      }
      const code = text.charCodeAt(i);
      const char = code < 0x80 ? c : String.fromCodePoint(text.codePointAt(i)!);
      if (isAsciiIdentStart(code) || (code >= 0x80 && ID_START.test(char))) {
        let end = i + char.length;
        while (end < text.length) {
          const nextCode = text.charCodeAt(end);
          if (isAsciiIdentContinue(nextCode)) {
            end++;
            continue;
          }
          if (nextCode < 0x80) break;
          const next = String.fromCodePoint(text.codePointAt(end)!);
          if (!ID_CONTINUE.test(next)) break;
          end += next.length;
        }
        push('Ident', end);
        continue;
      }
      const two = text.slice(i, i + 2);
      if (text.startsWith('...', i)) {
        push('Ellipsis', i + 3);
        continue;
      }
      if (c === '<' && text[i + 1] === '<') {
        const heredoc = text.slice(i).match(/^<<(-?)([\p{ID_Start}_][\p{ID_Continue}-]*)\r?\n/u);
        if (heredoc) {
          push('OHeredoc', i + heredoc[0].length);
          stack.push({ kind: 'heredoc', marker: heredoc[2]!, startOfLine: true });
          continue;
        }
      }
      if (DOUBLE[two]) {
        push(DOUBLE[two]!, i + 2);
        continue;
      }
      if (c === '{') {
        mode.braces++;
        push('OBrace', i + 1);
        continue;
      }
      if (c === '}' || two === '~}') {
        const length = c === '}' ? 1 : 2;
        // The brace that closes a template sequence returns to the template.
        if (stack.length > 1 && mode.braces === 0) {
          push('TemplateSeqEnd', i + length);
          stack.pop();
          continue;
        }
        if (c === '~') {
          push('TemplateSeqEnd', i + 2);
          continue;
        }
        mode.braces--;
        push('CBrace', i + 1);
        continue;
      }
      if (c === '"') {
        push('OQuote', i + 1);
        stack.push({ kind: 'quoted' });
        continue;
      }
      if (SINGLE[c]) {
        push(SINGLE[c]!, i + 1);
        continue;
      }
      push('Invalid', i + char.length);
      continue;
    }
    // Templates: `${` and `%{` open a sequence in the main grammar.
    if ((c === '$' || c === '%') && text[i + 1] === '{') {
      const end = text[i + 2] === '~' ? i + 3 : i + 2;
      if (mode.kind === 'heredoc') mode.startOfLine = false;
      push(c === '$' ? 'TemplateInterp' : 'TemplateControl', end);
      stack.push({ kind: 'main', braces: 0 });
      continue;
    }
    if (mode.kind === 'quoted') {
      if (c === '"') {
        push('CQuote', i + 1);
        stack.pop();
        continue;
      }
      if (c === '\n' || c === '\r') {
        let end = i;
        while (text[end] === '\n' || text[end] === '\r') end++;
        push('QuotedNewline', end);
        continue;
      }
      let end = i;
      while (end < text.length) {
        const d = text[end]!;
        if (d === '\\' && end + 1 < text.length && text[end + 1] !== '\n' && text[end + 1] !== '\r') {
          end += 2;
          continue;
        }
        if (d === '"' || d === '\n' || d === '\r') break;
        // `$${` and `%%{` are escapes: literal text.
        if ((d === '$' || d === '%') && text[end + 1] === '{') break;
        if ((d === '$' || d === '%') && text[end + 1] === d && text[end + 2] === '{') {
          end += 3;
          continue;
        }
        end++;
      }
      push('QuotedLit', Math.max(end, i + 1));
      continue;
    }
    // Heredoc: a line at a time; the closing marker line is CHeredoc then Newline.
    let end = i;
    while (end < text.length && text[end] !== '\n') {
      const d = text[end]!;
      if ((d === '$' || d === '%') && text[end + 1] === '{') break;
      if ((d === '$' || d === '%') && text[end + 1] === d && text[end + 2] === '{') {
        end += 3;
        continue;
      }
      end++;
    }
    const endsLine = end < text.length && text[end] === '\n';
    if (endsLine) {
      const line = text.slice(i, end).replace(/\r$/, '');
      if (mode.startOfLine && line.trim() === mode.marker) {
        const newlineStart = text[end - 1] === '\r' ? end - 1 : end;
        push('CHeredoc', newlineStart);
        push('Newline', end + 1);
        stack.pop();
        continue;
      }
      mode.startOfLine = true;
      push('StringLit', end + 1);
      continue;
    }
    if (end === text.length && mode.startOfLine && text.slice(i, end).trim() === mode.marker) {
      push('CHeredoc', end);
      stack.pop();
      continue;
    }
    mode.startOfLine = false;
    if (end > i) push('StringLit', end);
  }
  return tokens;
}

/** Whether a token ends its line: a newline, or a line comment (which keeps its newline). */
export function endsLine(token: Token | undefined): boolean {
  return !!token && (token.type === 'Newline' || (token.type === 'Comment' && token.text.endsWith('\n')));
}

/** +1 for a token that opens a bracket (or template sequence), -1 for one that closes. */
export function bracketChange(token: Token): number {
  switch (token.type) {
    case 'OBrace':
    case 'OBrack':
    case 'OParen':
    case 'TemplateControl':
    case 'TemplateInterp':
      return 1;
    case 'CBrace':
    case 'CBrack':
    case 'CParen':
    case 'TemplateSeqEnd':
      return -1;
    default:
      return 0;
  }
}
