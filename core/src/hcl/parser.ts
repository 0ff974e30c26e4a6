import { LineIndex } from '../diagnostics/line-index.js';
import { exactSize } from '../util/arrays.js';
import { rememberLineIndex } from './lines.js';
import type { Diagnostic, Range, RuleCode } from '../diagnostics/types.js';
import type { HclAttribute, HclBlock, HclBody, HclDocument, HclLiteral, HclValue, UnknownKind } from './types.js';

/**
 * An error-tolerant recursive-descent parser for HCL native syntax (the
 * Terraform language), producing the document model with exact ranges.
 *
 * Hand-written rather than tree-sitter: measured on a 250 KB module it parses
 * in a few milliseconds where web-tree-sitter needed ~260 ms to parse and
 * ~300 ms more to walk the tree through the wasm boundary (see docs/architecture.md).
 */

/**
 * Go HCL has no nesting limit; a recursive parser in JavaScript has its stack.
 * Blocks nested deeper than this are skipped (with a note, not an error: the
 * file may well be valid), far beyond any real configuration and well within
 * the stack (about 2,000 blocks or 550 expression levels overflow it).
 */
export const MAX_BLOCK_DEPTH = 512;
/** Values nested deeper than this are skipped, with a note. */
export const MAX_EXPRESSION_DEPTH = 256;
/** At most this many syntax errors are reported per file; the rest are summarised. */
export const MAX_SYNTAX_ERRORS = 50;

const CH_NEWLINE = 10;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_TAB = 9;
const CH_HASH = 35;
const CH_SLASH = 47;
const CH_STAR = 42;
const CH_QUOTE = 34;
const CH_BACKSLASH = 92;
const CH_DOLLAR = 36;
const CH_PERCENT = 37;
const CH_LBRACE = 123;
const CH_RBRACE = 125;
const CH_LBRACKET = 91;
const CH_RBRACKET = 93;
const CH_LPAREN = 40;
const CH_RPAREN = 41;
const CH_EQUALS = 61;
const CH_COMMA = 44;
const CH_DOT = 46;
const CH_COLON = 58;
const CH_QUESTION = 63;
const CH_TILDE = 126;
const CH_LT = 60;
const CH_MINUS = 45;

const isDigit = (c: number) => c >= 48 && c <= 57;
/**
 * Identifiers as Go HCL scans them: `(ID_Start | '_') (ID_Continue | '-')*`
 * (Unicode UAX #31). ASCII is decided by code; other characters by the
 * Unicode properties, so `“`, a no-break space or an emoji start nothing.
 */
const NON_ASCII_ID_START = /[\p{ID_Start}]/uy;
const isAsciiIdentStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;

/** The rest of an identifier after its first character (always matches, possibly empty). */
const IDENTIFIER_REST_ASCII = /[A-Za-z0-9_-]*/y;
const IDENTIFIER_REST = /[\p{ID_Continue}-]*/uy;

/** Whether an identifier starts at `offset` of `text`. */
function identStartsAt(text: string, offset: number): boolean {
  const c = text.charCodeAt(offset);
  if (c < 128) return isAsciiIdentStart(c);
  NON_ASCII_ID_START.lastIndex = offset;
  return NON_ASCII_ID_START.test(text);
}

/** Where the identifier starting at `offset` ends. */
function identifierEnd(text: string, offset: number): number {
  IDENTIFIER_REST_ASCII.lastIndex = offset;
  IDENTIFIER_REST_ASCII.test(text);
  let end = IDENTIFIER_REST_ASCII.lastIndex;
  if (end < text.length && text.charCodeAt(end) >= 128) {
    IDENTIFIER_REST.lastIndex = end;
    IDENTIFIER_REST.test(text);
    end = IDENTIFIER_REST.lastIndex;
  }
  return end;
}

/** Characters HCL does not use, named so the user can find them (Go HCL: "Invalid character"). */
function describeCharacter(text: string, offset: number): string | undefined {
  const code = text.codePointAt(offset)!;
  if (code === 0x201c || code === 0x201d) return `a curly quote '${String.fromCodePoint(code)}'; HCL strings use straight double quotes (")`;
  if (code === 0x2018 || code === 0x2019) return `a curly quote '${String.fromCodePoint(code)}'; HCL strings use straight double quotes (")`;
  if (code === 0xa0) return 'a no-break space (U+00A0), which is not white space in HCL; replace it with an ordinary space';
  if (code === 0xfeff) return 'a byte order mark (U+FEFF) inside the file';
  if (code === 0x27) return 'a single quote; HCL strings use double quotes (")';
  if (code === 0x3b) return "';', which HCL does not use; put each attribute on its own line and separate list items with ','";
  if (code === 0x60) return "'`', which HCL does not use; for multi-line text use a heredoc (<<EOT)";
  if (code === CH_CR) return 'a carriage return (U+000D) that is not followed by a line feed';
  if (code > 127 && !identStartsAt(text, offset)) {
    return `the character '${String.fromCodePoint(code)}' (U+${code.toString(16).toUpperCase().padStart(4, '0')}), which HCL does not use outside strings and comments`;
  }
  return undefined;
}
/** Characters that end a run of plain text in a quoted string. */
const QUOTED_SPECIAL = /["\\$%\n]/g;

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** A parsed expression: where it is and what it evaluates to, if that is known without Terraform. */
interface Expr {
  start: number;
  end: number;
  value: HclValue;
  /** `a.b[0]`-style traversal as written, for references. */
  traversal?: boolean;
}

/**
 * The names every document repeats (argument names and block types: `name`,
 * `ttl`, `resource`), one copy each for all documents parsed. Values are
 * mostly unique, not worth a lookup. Only names too short for V8 to keep as a
 * slice of their document (under 13 characters), so the table never holds a
 * document's text.
 */
const SHARED_STRINGS = new Map<string, string>();
const SHARED_STRINGS_LIMIT = 50_000;
function shared(text: string): string {
  if (text.length > 12) return text;
  const known = SHARED_STRINGS.get(text);
  if (known !== undefined) return known;
  if (SHARED_STRINGS.size >= SHARED_STRINGS_LIMIT) SHARED_STRINGS.clear();
  SHARED_STRINGS.set(text, text);
  return text;
}

/** One shared, frozen value per kind: unknown values are common and carry no other data. */
const UNKNOWN = new Map<UnknownKind, HclValue>();
const unknown = (kind: UnknownKind): HclValue => {
  let value = UNKNOWN.get(kind);
  if (!value) UNKNOWN.set(kind, (value = Object.freeze({ known: false, kind })));
  return value;
};

/** The `%{ if }` and `%{ for }` directives of a template still waiting for their end. */
type TemplateStructure = { keyword: 'if' | 'for'; start: number; sawElse: boolean }[];

/** Thrown to unwind a runaway expression; the attribute is then skipped to its line end. */
class SyntaxAbort extends Error {}
/** Thrown when a value nests deeper than MAX_EXPRESSION_DEPTH: it is skipped, not reported as wrong. */
class TooDeep extends Error {}

/** Character codes that can start a binary operator. */
const OPERATOR_START: boolean[] = [];
for (const c of '|&=!<>+-*/%') OPERATOR_START[c.charCodeAt(0)] = true;

/** Binary operators by precedence level (HCL spec: Operations), lowest first. */
const BINARY_LEVELS: readonly (readonly string[])[] = [['||'], ['&&'], ['==', '!='], ['<=', '>=', '<', '>'], ['+', '-'], ['*', '/', '%']];

class HclSyntaxParser {
  private pos = 0;
  private readonly lines: LineIndex;
  private readonly diagnostics: Diagnostic[] = [];
  private errorCount = 0;
  /** >0 while inside brackets, where newlines are insignificant. */
  private bracketDepth = 0;
  private expressionDepth = 0;
  /** The attributes of each long body by name, for "already set" checks. */
  private readonly attributeNames = new WeakMap<HclBody, Map<string, HclAttribute>>();

  constructor(private readonly text: string) {
    this.lines = new LineIndex(text);
  }

  parse(source: string): HclDocument {
    const body = this.parseBody(0, undefined);
    if (this.errorCount > this.diagnostics.length) {
      const last = this.diagnostics[this.diagnostics.length - 1]!;
      this.diagnostics.push({ ...last, code: 'hcl/syntax-error', message: `${this.errorCount - this.diagnostics.length} more syntax errors follow; fix the ones above first` });
    }
    return rememberLineIndex({ source, text: this.text, body, diagnostics: this.diagnostics }, this.lines);
  }

  // ---- reporting -------------------------------------------------------

  private range(start: number, end: number): Range {
    return this.lines.rangeOf(start, end);
  }

  private error(code: RuleCode, message: string, start: number, end = start): void {
    this.report(code, message, this.range(start, Math.max(start, end)));
  }

  private report(code: RuleCode, message: string, range: Range, severity: Diagnostic['severity'] = 'error'): void {
    this.errorCount++;
    if (this.diagnostics.length >= MAX_SYNTAX_ERRORS) return;
    this.diagnostics.push({ range, severity, code, source: 'shoreline', message });
  }

  private describeAt(offset: number): string {
    if (offset >= this.text.length) return 'the end of the file';
    const c = this.text.charCodeAt(offset);
    if (c === CH_NEWLINE || (c === CH_CR && this.text.charCodeAt(offset + 1) === CH_NEWLINE)) return 'the end of the line';
    const character = describeCharacter(this.text, offset);
    if (character) return character;
    const word = this.text.slice(offset).match(/^[^\s]{1,30}/)?.[0] ?? this.text[offset]!;
    return `'${word}'`;
  }

  private lineEnd(offset: number): number {
    const newline = this.text.indexOf('\n', offset);
    return newline === -1 ? this.text.length : newline;
  }

  // ---- whitespace and comments -----------------------------------------

  private peek(offset = 0): number {
    return this.text.charCodeAt(this.pos + offset);
  }

  /** Skips spaces and comments; newlines too when `newlines` (or inside brackets). Returns true if a newline was crossed. */
  private skipSpace(newlines: boolean): boolean {
    const text = this.text;
    let crossed = false;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === CH_SPACE || c === CH_TAB || c === CH_CR) {
        this.pos++;
      } else if (c === CH_NEWLINE) {
        if (!newlines && this.bracketDepth === 0) return crossed;
        crossed = true;
        this.pos++;
      } else if (c === CH_HASH || (c === CH_SLASH && text.charCodeAt(this.pos + 1) === CH_SLASH)) {
        this.pos = this.lineEnd(this.pos);
      } else if (c === CH_SLASH && text.charCodeAt(this.pos + 1) === CH_STAR) {
        const close = text.indexOf('*/', this.pos + 2);
        if (close === -1) {
          this.error('hcl/syntax-error', 'this /* comment is never closed with */', this.pos, this.pos + 2);
          this.pos = text.length;
        } else {
          if (text.lastIndexOf('\n', close) > this.pos) crossed = true;
          this.pos = close + 2;
        }
      } else {
        return crossed;
      }
    }
    return crossed;
  }

  /** Skips to the end of the current line, stepping over brackets and strings, stopping before an unmatched `}`. */
  private recoverToLineEnd(): void {
    const text = this.text;
    let depth = 0;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === CH_NEWLINE && depth <= 0) return;
      if (c === CH_QUOTE) {
        this.pos++;
        while (this.pos < text.length) {
          const s = text.charCodeAt(this.pos);
          if (s === CH_BACKSLASH) this.pos += 2;
          else if (s === CH_QUOTE) break;
          else if (s === CH_NEWLINE) {
            this.pos--;
            break;
          } else this.pos++;
        }
      } else if (c === CH_LBRACE || c === CH_LBRACKET || c === CH_LPAREN) {
        depth++;
      } else if (c === CH_RBRACE || c === CH_RBRACKET || c === CH_RPAREN) {
        if (depth === 0 && c === CH_RBRACE) return;
        depth--;
      }
      this.pos++;
    }
  }

  // ---- structure ---------------------------------------------------------

  private identifier(): string | undefined {
    const start = this.pos;
    if (!identStartsAt(this.text, start)) return undefined;
    this.pos = identifierEnd(this.text, start + (this.text.codePointAt(start)! > 0xffff ? 2 : 1));
    return this.text.slice(start, this.pos);
  }

  /** Parses attributes and blocks until `}` (inside a block) or the end of the text. */
  private parseBody(depth: number, openedAt: { start: number; headerEnd: number; header: string } | undefined): HclBody {
    const body: HclBody = { attributes: [], blocks: [] };
    const savedBrackets = this.bracketDepth;
    this.bracketDepth = 0;
    try {
      for (;;) {
        this.skipSpace(true);
        if (this.pos >= this.text.length) {
          if (openedAt) {
            this.error(
              'hcl/unclosed-block',
              `the block '${openedAt.header}' opened on line ${this.lines.positionAt(openedAt.start).line + 1} is not closed: add '}'`,
              openedAt.start,
              openedAt.headerEnd,
            );
          }
          return body;
        }
        const c = this.peek();
        if (c === CH_RBRACE) {
          if (openedAt) return body;
          this.error('hcl/syntax-error', "unexpected '}': there is no open block to close here", this.pos, this.pos + 1);
          this.pos++;
          continue;
        }
        const start = this.pos;
        const written = this.identifier();
        if (written === undefined) {
          this.error('hcl/syntax-error', `unexpected ${this.describeAt(start)}; expected an attribute (name = value) or a block (type "label" { ... })`, start, this.lineEnd(start));
          this.recoverToLineEnd();
          continue;
        }
        const name = shared(written);
        const nameEnd = this.pos;
        this.skipSpace(false);
        const next = this.peek();
        if (next === CH_EQUALS && this.peek(1) !== CH_EQUALS) {
          this.pos++;
          const attr = this.parseAttribute(name, start, nameEnd);
          if (attr) this.addAttribute(body, attr);
          this.expectLineEnd('value', name);
        } else if (next === CH_QUOTE || next === CH_LBRACE || identStartsAt(this.text, this.pos)) {
          const block = this.parseBlock(name, start, nameEnd, depth);
          if (block) body.blocks.push(block);
        } else {
          const at = this.pos;
          this.error('hcl/syntax-error', `expected '=' after '${name}' for an attribute, or labels and '{' for a block; found ${this.describeAt(at)}`, start, Math.max(at, nameEnd));
          this.recoverToLineEnd();
        }
      }
    } finally {
      this.bracketDepth = savedBrackets;
    }
  }

  /** Each argument may be set only once in a body (Go HCL: "Attribute redefined"); the first one counts. */
  private addAttribute(body: HclBody, attr: HclAttribute): void {
    const attributes = body.attributes;
    // Most bodies set a handful of arguments: a scan, with a name index only for long ones.
    let first: HclAttribute | undefined;
    if (attributes.length < 16) {
      for (let index = 0; index < attributes.length && !first; index++) if (attributes[index]!.name === attr.name) first = attributes[index];
    } else {
      let names = this.attributeNames.get(body);
      if (!names) this.attributeNames.set(body, (names = new Map(attributes.map((known) => [known.name, known]))));
      first = names.get(attr.name);
      if (!first) names.set(attr.name, attr);
    }
    if (!first) {
      attributes.push(attr);
      return;
    }
    this.report('hcl/attribute-redefined', `'${attr.name}' is already set on line ${first.nameRange.start.line + 1}; each argument may be set only once in a block`, attr.nameRange);
  }

  /** After an attribute or a block, only a newline, a comment, `}` or the end may follow. */
  private expectLineEnd(after: 'value' | 'block', name: string): void {
    this.skipSpace(false);
    const c = this.peek();
    if (this.pos >= this.text.length || c === CH_NEWLINE) return;
    // Worded only when there is something to report: this runs after every argument and block.
    const what = after === 'value' ? `the value of '${name}'` : `the '${name}' block`;
    if (c === CH_RBRACE) {
      // Go HCL: "Missing newline after argument/block definition"; only a single-line block `{ a = 1 }` closes on its line.
      this.error('hcl/syntax-error', `'}' right after ${what}: in a block of several lines, put the closing brace on a line of its own`, this.pos, this.pos + 1);
      return;
    }
    this.error('hcl/syntax-error', `unexpected ${this.describeAt(this.pos)} after ${what}; put each attribute and block on its own line`, this.pos, this.lineEnd(this.pos));
    this.recoverToLineEnd();
  }

  private parseAttribute(name: string, start: number, nameEnd: number): HclAttribute | undefined {
    this.skipSpace(false);
    const c = this.peek();
    if (this.pos >= this.text.length || c === CH_NEWLINE || c === CH_RBRACE) {
      this.error('hcl/syntax-error', `the attribute '${name}' has no value after '='`, start, this.pos);
      return undefined;
    }
    let expr: Expr;
    const exprStart = this.pos;
    try {
      this.expressionDepth = 0;
      expr = this.parseExpression();
    } catch (error) {
      if (error instanceof TooDeep) {
        this.pos = exprStart;
        this.skipBalancedValue();
        this.report(
          'hcl/nesting-too-deep',
          `the value of '${name}' is nested more than ${MAX_EXPRESSION_DEPTH} levels deep; Shoreline does not analyse it`,
          this.range(exprStart, this.pos),
          'information',
        );
        expr = { start: exprStart, end: this.pos, value: unknown('too-deep') };
      } else {
        if (!(error instanceof SyntaxAbort)) throw error;
        this.recoverToLineEnd();
        expr = { start: exprStart, end: this.pos, value: unknown('invalid') };
      }
    }
    const nameRange = this.range(start, nameEnd);
    const valueRange = this.range(expr.start, expr.end);
    const attr: HclAttribute = {
      name,
      nameRange,
      range: { start: nameRange.start, end: valueRange.end },
      valueRange,
      value: expr.value,
      expression: this.text.slice(expr.start, expr.end),
    };
    if (expr.traversal) attr.traversal = attr.expression.replace(/\s+/g, '');
    return attr;
  }

  private parseBlock(type: string, start: number, typeEnd: number, depth: number): HclBlock | undefined {
    const labels: string[] = [];
    const labelRanges: Range[] = [];
    for (;;) {
      this.skipSpace(false);
      const c = this.peek();
      if (c === CH_LBRACE) break;
      const labelStart = this.pos;
      if (c === CH_QUOTE) {
        let label: Expr;
        try {
          label = this.parseQuoted();
        } catch (error) {
          if (!(error instanceof SyntaxAbort || error instanceof TooDeep)) throw error;
          this.recoverToLineEnd();
          return undefined;
        }
        if (!label.value.known && !this.text.slice(label.start, label.end).endsWith('"')) {
          this.recoverToLineEnd();
          return undefined;
        }
        if (!label.value.known) this.error('hcl/syntax-error', 'block labels are literal strings; interpolation (${...}) is not allowed here', label.start, label.end);
        labels.push(label.value.known ? String(label.value.value) : this.text.slice(label.start + 1, label.end - 1));
      } else if (identStartsAt(this.text, this.pos)) {
        labels.push(this.identifier()!);
      } else {
        this.error('hcl/syntax-error', `expected '{' to open the '${type}' block (or '=' for an attribute); found ${this.describeAt(this.pos)}`, start, Math.max(this.pos, typeEnd));
        this.recoverToLineEnd();
        return undefined;
      }
      labelRanges.push(this.range(labelStart, this.pos));
    }
    const headerEnd = this.pos;
    const open = this.pos;
    this.pos++; // '{'
    const header = this.text.slice(start, headerEnd).trim();
    let body: HclBody;
    if (depth + 1 > MAX_BLOCK_DEPTH) {
      this.report('hcl/nesting-too-deep', `blocks are nested more than ${MAX_BLOCK_DEPTH} levels deep; Shoreline does not analyse the inner blocks`, this.range(start, headerEnd), 'information');
      this.skipBlockContent();
      body = { attributes: [], blocks: [] };
    } else if (this.startsSingleLineBody()) {
      body = this.parseSingleLineBody(type, depth, { start, headerEnd, header });
    } else {
      body = this.parseBody(depth + 1, { start, headerEnd, header });
    }
    const close = this.pos;
    if (this.peek() === CH_RBRACE) this.pos++;
    const typeRange = this.range(start, typeEnd);
    const block: HclBlock = {
      type,
      typeRange,
      labels: exactSize(labels),
      labelRanges: exactSize(labelRanges),
      range: { start: typeRange.start, end: this.lines.positionAt(this.pos) },
      headerRange: { start: typeRange.start, end: labelRanges.length ? labelRanges[labelRanges.length - 1]!.end : typeRange.end },
      bodyRange: this.range(open + 1, close),
      attributes: exactSize(body.attributes),
      blocks: exactSize(body.blocks),
    };
    this.expectLineEnd('block', type);
    return block;
  }

  /** True when text follows `{` on its line: a single-line block (`{ name = value }`). */
  private startsSingleLineBody(): boolean {
    const save = this.pos;
    this.skipSpace(false);
    const c = this.peek();
    const singleLine = this.pos < this.text.length && c !== CH_NEWLINE && c !== CH_RBRACE;
    if (singleLine || c === CH_RBRACE) return singleLine;
    this.pos = save;
    return false;
  }

  /** HCL allows one attribute between braces on one line; anything more needs a line per attribute. */
  private parseSingleLineBody(type: string, depth: number, openedAt: { start: number; headerEnd: number; header: string }): HclBody {
    const body: HclBody = { attributes: [], blocks: [] };
    const start = this.pos;
    const name = this.identifier();
    this.skipSpace(false);
    if (name === undefined || this.peek() !== CH_EQUALS || this.peek(1) === CH_EQUALS) {
      this.error('hcl/syntax-error', `a single-line '${type}' block holds one attribute (name = value); put its content on separate lines after '{'`, start, this.lineEnd(start));
      this.recoverToLineEnd();
      return body;
    }
    this.pos++;
    const attr = this.parseAttribute(name, start, start + name.length);
    if (attr) this.addAttribute(body, attr);
    this.skipSpace(false);
    if (this.peek() !== CH_RBRACE) {
      this.error('hcl/syntax-error', `a single-line '${type}' block ends with '}' right after its one attribute; put each attribute on its own line`, this.pos, this.lineEnd(this.pos));
      this.recoverToLineEnd();
      // Go on as a multi-line body so the remaining attributes are still read.
      const rest = this.parseBody(depth + 1, openedAt);
      for (const attr of rest.attributes) this.addAttribute(body, attr);
      body.blocks.push(...rest.blocks);
    }
    return body;
  }

  /** Skips a value without analysing it (beyond the depth limit): to the end of its line outside brackets and strings. */
  private skipBalancedValue(): void {
    const text = this.text;
    const closers: number[] = [];
    const pairs: Record<number, number> = { [CH_LPAREN]: CH_RPAREN, [CH_LBRACKET]: CH_RBRACKET, [CH_LBRACE]: CH_RBRACE };
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (closers[closers.length - 1] === CH_QUOTE) {
        if (c === CH_BACKSLASH) this.pos++;
        else if (c === CH_QUOTE || c === CH_NEWLINE) closers.pop();
        else if ((c === CH_DOLLAR || c === CH_PERCENT) && text.charCodeAt(this.pos + 1) === CH_LBRACE) {
          closers.push(CH_RBRACE);
          this.pos++;
        }
        if (c !== CH_NEWLINE) this.pos++;
        continue;
      }
      if (closers.length === 0 && c === CH_NEWLINE) return;
      if (c === CH_HASH || (c === CH_SLASH && text.charCodeAt(this.pos + 1) === CH_SLASH)) {
        this.pos = this.lineEnd(this.pos);
        continue;
      }
      if (c === CH_QUOTE) closers.push(CH_QUOTE);
      else if (pairs[c] !== undefined) closers.push(pairs[c]!);
      else if (c === CH_RPAREN || c === CH_RBRACKET || c === CH_RBRACE) {
        if (closers.length === 0) return;
        closers.pop();
      }
      this.pos++;
    }
  }

  /** Skips a block body without analysing it (beyond the depth limit), iteratively. */
  private skipBlockContent(): void {
    let depth = 1;
    while (this.pos < this.text.length) {
      const c = this.peek();
      if (c === CH_LBRACE) depth++;
      else if (c === CH_RBRACE && --depth === 0) return;
      this.pos++;
    }
  }

  // ---- expressions -------------------------------------------------------

  private enter(): void {
    if (++this.expressionDepth > MAX_EXPRESSION_DEPTH) {
      throw new TooDeep();
    }
  }

  private fail(message: string, start = this.pos, end = this.lineEnd(this.pos)): never {
    this.error('hcl/syntax-error', message, start, end);
    throw new SyntaxAbort();
  }

  private parseExpression(): Expr {
    this.enter();
    try {
      const condition = this.parseBinary(0);
      const save = this.pos;
      this.skipSpace(false);
      if (this.peek() !== CH_QUESTION) {
        this.pos = save;
        return condition;
      }
      this.pos++;
      this.skipSpace(false);
      this.parseExpression();
      this.skipSpace(false);
      if (this.peek() !== CH_COLON) this.fail(`expected ':' in the conditional expression; found ${this.describeAt(this.pos)}`);
      this.pos++;
      this.skipSpace(false);
      const otherwise = this.parseExpression();
      return { start: condition.start, end: otherwise.end, value: unknown('conditional') };
    } finally {
      this.expressionDepth--;
    }
  }

  /** The binary operator at the position of the lowest level from `minLevel` up, and its level. */
  private matchOperator(minLevel: number): { op: string; level: number } | undefined {
    for (let level = minLevel; level < BINARY_LEVELS.length; level++) {
      for (const op of BINARY_LEVELS[level]!) {
        if (this.text.startsWith(op, this.pos)) {
          // '=' alone, '=>' and '<<' (heredoc) are not these operators.
          if (op === '<' && this.peek(1) === CH_LT) return undefined;
          return { op, level };
        }
      }
    }
    return undefined;
  }

  /**
   * Operations of `minLevel` and tighter, by precedence climbing: one call per
   * operand, not one per level (most values have no operator at all).
   * Operators of one level associate to the left.
   */
  private parseBinary(minLevel: number): Expr {
    let left = this.parseUnary();
    for (;;) {
      const save = this.pos;
      this.skipSpace(false);
      // Most values are followed by a newline, ',' or a closing bracket: no operator to look for.
      const found = OPERATOR_START[this.peek()] ? this.matchOperator(minLevel) : undefined;
      if (!found) {
        this.pos = save;
        return left;
      }
      this.pos += found.op.length;
      this.skipSpace(false);
      const right = this.parseBinary(found.level + 1);
      left = { start: left.start, end: right.end, value: unknown('operation') };
    }
  }

  private parseUnary(): Expr {
    const c = this.peek();
    if (c === CH_MINUS || c === 33 /* ! */) {
      const start = this.pos;
      this.pos++;
      this.skipSpace(false);
      this.enter();
      try {
        const operand = this.parseUnary();
        if (c === CH_MINUS && operand.value.known && typeof operand.value.value === 'number') {
          return { start, end: operand.end, value: { known: true, value: -operand.value.value } };
        }
        return { start, end: operand.end, value: unknown('operation') };
      } finally {
        this.expressionDepth--;
      }
    }
    return this.parsePostfix(this.parsePrimary());
  }

  /** Attribute access, indexes and splats after a term. */
  private parsePostfix(term: Expr): Expr {
    let current = term;
    for (;;) {
      // Go HCL reads tokens: spaces may stand between a term and its `.name` or `[index]` (`var .name`, `a . b`).
      const termEnd = this.pos;
      this.skipHorizontalSpace();
      const c = this.peek();
      if (c === CH_DOT) {
        // `...` is the expansion marker of `f(list...)` and `{ for ... : k => v... }`, not an attribute access.
        if (this.peek(1) === CH_DOT && this.peek(2) === CH_DOT) {
          this.pos = termEnd;
          return current;
        }
        this.pos++;
        this.skipHorizontalSpace();
        if (this.peek() === CH_STAR) {
          this.pos++;
          current = { start: current.start, end: this.pos, value: unknown('splat') };
          continue;
        }
        if (isDigit(this.peek())) {
          while (isDigit(this.peek())) this.pos++;
        } else if (this.identifier() === undefined) {
          this.fail(`expected an attribute name after '.'; found ${this.describeAt(this.pos)}`);
        }
        current = { start: current.start, end: this.pos, value: current.value.known ? unknown('reference') : current.value, traversal: current.traversal };
      } else if (c === CH_LBRACKET) {
        this.pos++;
        this.bracketDepth++;
        try {
          this.skipSpace(true);
          if (this.peek() === CH_STAR) {
            this.pos++;
            this.skipSpace(true);
            if (this.peek() !== CH_RBRACKET) this.fail(`expected ']' after '[*'; found ${this.describeAt(this.pos)}`);
            this.pos++;
            current = { start: current.start, end: this.pos, value: unknown('splat') };
            continue;
          }
          this.parseExpression();
          this.skipSpace(true);
          if (this.peek() !== CH_RBRACKET) this.fail(`expected ']' to close the index; found ${this.describeAt(this.pos)}`);
          this.pos++;
        } finally {
          this.bracketDepth--;
        }
        current = { start: current.start, end: this.pos, value: current.value.known ? unknown('reference') : current.value, traversal: current.traversal };
      } else {
        this.pos = termEnd;
        return current;
      }
    }
  }

  /** Skips spaces and tabs only (never a newline or comment). */
  private skipHorizontalSpace(): void {
    while (this.peek() === CH_SPACE || this.peek() === CH_TAB) this.pos++;
  }

  private parsePrimary(): Expr {
    const start = this.pos;
    const c = this.peek();
    if (this.pos >= this.text.length) this.fail('expected a value; found the end of the file', start, start);
    if (isDigit(c)) return this.parseNumber();
    if (c === CH_QUOTE) return this.parseQuoted();
    if (c === CH_LT && this.peek(1) === CH_LT) return this.parseHeredoc();
    if (c === CH_LBRACKET) return this.parseTuple();
    if (c === CH_LBRACE) return this.parseObject();
    if (c === CH_LPAREN) {
      return this.bracketed(() => {
        this.parseExpression();
        this.skipSpace(true);
        if (this.peek() !== CH_RPAREN) this.fail(`expected ')' to close this '('; found ${this.describeAt(this.pos)}`, start, start + 1);
        this.pos++;
        // Terraform evaluates (x) to x; like hcl2-parser, it is kept as an expression, not a literal.
        return { start, end: this.pos, value: unknown('operation') };
      });
    }
    const name = this.identifier();
    if (name === undefined) this.fail(`expected a value; found ${this.describeAt(start)}`, start);
    if (name === 'true' || name === 'false') return { start, end: this.pos, value: { known: true, value: name === 'true' } };
    if (name === 'null') return { start, end: this.pos, value: { known: true, value: null } };
    // `f (x)` is a call too: Go HCL reads the name and `(` as tokens.
    const nameEnd = this.pos;
    this.skipHorizontalSpace();
    if (this.peek() === CH_LPAREN || (this.peek() === CH_COLON && this.peek(1) === CH_COLON)) return this.parseCall(start);
    this.pos = nameEnd;
    return { start, end: this.pos, value: unknown('reference'), traversal: true };
  }

  private parseNumber(): Expr {
    const start = this.pos;
    const match = /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
    match.lastIndex = start;
    const found = match.exec(this.text)!;
    this.pos = start + found[0].length;
    if (identStartsAt(this.text, this.pos)) this.fail(`'${this.text.slice(start, this.pos + 1)}…' is not a number; HCL numbers are decimal (no 0x prefix)`, start);
    return { start, end: this.pos, value: { known: true, value: Number(found[0]) } };
  }

  private parseCall(start: number): Expr {
    while (this.peek() === CH_COLON && this.peek(1) === CH_COLON) {
      this.pos += 2;
      this.skipHorizontalSpace();
      if (this.identifier() === undefined) this.fail(`expected a function name after '::'`);
      this.skipHorizontalSpace();
    }
    this.bracketed(() => {
      while (this.peek() !== CH_RPAREN) {
        this.parseExpression();
        this.skipSpace(true);
        if (this.text.startsWith('...', this.pos)) {
          const ellipsis = this.pos;
          this.pos += 3;
          this.skipSpace(true);
          if (this.peek() !== CH_RPAREN) this.fail("an expanded argument (with '...') must be the last one: ')' must follow it", ellipsis, ellipsis + 3);
          break;
        }
        if (this.peek() === CH_COMMA) {
          this.pos++;
          this.skipSpace(true);
        } else if (this.peek() !== CH_RPAREN) {
          this.fail(`expected ',' or ')' in the arguments of the function call; found ${this.describeAt(this.pos)}`);
        }
      }
      this.pos++;
    });
    return { start, end: this.pos, value: unknown('function-call') };
  }

  private atKeyword(word: string): boolean {
    return this.text.startsWith(word, this.pos) && identifierEnd(this.text, this.pos) === this.pos + word.length;
  }

  /** `for k, v in coll :` — the part shared by list and object for-expressions. */
  private parseForIntro(): void {
    this.pos += 3;
    this.skipSpace(true);
    if (this.identifier() === undefined) this.fail('expected a variable name after for');
    this.skipSpace(true);
    if (this.peek() === CH_COMMA) {
      this.pos++;
      this.skipSpace(true);
      if (this.identifier() === undefined) this.fail("expected a second variable name after ','");
      this.skipSpace(true);
    }
    if (!this.atKeyword('in')) this.fail(`expected 'in' in the for expression; found ${this.describeAt(this.pos)}`);
    this.pos += 2;
    this.skipSpace(true);
    this.parseExpression();
    this.skipSpace(true);
    if (this.peek() !== CH_COLON) this.fail(`expected ':' after the collection of the for expression; found ${this.describeAt(this.pos)}`);
    this.pos++;
    this.skipSpace(true);
  }

  private parseForTail(close: number): void {
    this.skipSpace(true);
    if (this.atKeyword('if')) {
      this.pos += 2;
      this.skipSpace(true);
      this.parseExpression();
      this.skipSpace(true);
    }
    if (this.peek() !== close) this.fail(`expected '${String.fromCharCode(close)}' to end the for expression; found ${this.describeAt(this.pos)}`);
    this.pos++;
  }

  /** Steps over an opening bracket and parses its content, where newlines are insignificant. */
  private bracketed<T>(parse: () => T): T {
    this.pos++;
    this.bracketDepth++;
    try {
      this.skipSpace(true);
      return parse();
    } finally {
      this.bracketDepth--;
    }
  }

  private parseTuple(): Expr {
    const start = this.pos;
    return this.bracketed(() => {
      if (this.atKeyword('for')) {
        this.parseForIntro();
        this.parseExpression();
        this.parseForTail(CH_RBRACKET);
        return { start, end: this.pos, value: unknown('for-expression') };
      }
      const values: HclLiteral[] = [];
      let value: HclValue | undefined;
      while (this.peek() !== CH_RBRACKET) {
        if (this.pos >= this.text.length) this.fail(`the list opened on line ${this.lines.positionAt(start).line + 1} is not closed: add ']'`, start, start + 1);
        const element = this.parseExpression();
        if (element.value.known) values.push(element.value.value);
        else value ??= element.value;
        this.skipSpace(true);
        if (this.peek() === CH_COMMA) {
          this.pos++;
          this.skipSpace(true);
        } else if (this.peek() !== CH_RBRACKET) {
          this.fail(`expected ',' or ']' in the list opened on line ${this.lines.positionAt(start).line + 1}; found ${this.describeAt(this.pos)}`);
        }
      }
      this.pos++;
      return { start, end: this.pos, value: value ?? { known: true, value: exactSize(values) } };
    });
  }

  private parseObject(): Expr {
    const start = this.pos;
    return this.bracketed(() => {
      if (this.atKeyword('for')) {
        this.parseForIntro();
        this.parseExpression();
        this.skipSpace(true);
        if (!this.text.startsWith('=>', this.pos)) this.fail(`expected '=>' in the object for expression; found ${this.describeAt(this.pos)}`);
        this.pos += 2;
        this.skipSpace(true);
        this.parseExpression();
        this.skipSpace(true);
        if (this.text.startsWith('...', this.pos)) this.pos += 3;
        this.parseForTail(CH_RBRACE);
        return { start, end: this.pos, value: unknown('for-expression') };
      }
      const object: Record<string, HclLiteral> = {};
      let value: HclValue | undefined;
      while (this.peek() !== CH_RBRACE) {
        if (this.pos >= this.text.length) this.fail(`the object opened on line ${this.lines.positionAt(start).line + 1} is not closed: add '}'`, start, start + 1);
        const keyStart = this.pos;
        const keyExpr = this.parseExpression();
        let key: string | undefined;
        if (keyExpr.traversal && keyExpr.end - keyExpr.start > 0 && /^[^.[\s]+$/.test(this.text.slice(keyExpr.start, keyExpr.end))) key = this.text.slice(keyExpr.start, keyExpr.end);
        else if (keyExpr.value.known && (typeof keyExpr.value.value === 'string' || typeof keyExpr.value.value === 'number' || typeof keyExpr.value.value === 'boolean'))
          key = String(keyExpr.value.value);
        this.skipSpace(true);
        const sep = this.peek();
        if (sep !== CH_EQUALS && sep !== CH_COLON) this.fail(`expected '=' or ':' after the object key '${this.text.slice(keyStart, this.pos).trim()}'; found ${this.describeAt(this.pos)}`);
        this.pos++;
        this.skipSpace(true);
        const element = this.parseExpression();
        if (key === undefined) value ??= unknown('reference');
        else if (element.value.known) object[key] = element.value.value;
        else value ??= element.value;
        const newline = this.skipSpace(true);
        if (this.peek() === CH_COMMA) {
          this.pos++;
          this.skipSpace(true);
        } else if (!newline && this.peek() !== CH_RBRACE) {
          this.fail(`expected ',' or a new line after the object element '${this.text.slice(keyStart, element.end)}'; found ${this.describeAt(this.pos)}`);
        }
      }
      this.pos++;
      return { start, end: this.pos, value: value ?? { known: true, value: object } };
    });
  }

  // ---- templates ---------------------------------------------------------

  /** Parses `${ ... }` or `%{ ... }` at `this.pos` (after the two opening characters were seen). */
  private parseTemplateSequence(directive: boolean, structure?: TemplateStructure): void {
    const start = this.pos;
    this.pos += 2;
    this.bracketDepth++;
    try {
      if (this.peek() === CH_TILDE) this.pos++;
      this.skipSpace(true);
      if (directive) {
        const keyword = (['if', 'else', 'endif', 'for', 'endfor'] as const).find((word) => this.atKeyword(word));
        if (keyword && structure) this.trackDirective(structure, keyword, start);
        if (this.atKeyword('if')) {
          this.pos += 2;
          this.skipSpace(true);
          this.parseExpression();
        } else if (this.atKeyword('for')) {
          this.pos += 3;
          this.skipSpace(true);
          this.identifier();
          this.skipSpace(true);
          if (this.peek() === CH_COMMA) {
            this.pos++;
            this.skipSpace(true);
            this.identifier();
            this.skipSpace(true);
          }
          if (!this.atKeyword('in')) this.fail(`expected 'in' in the %{ for } directive; found ${this.describeAt(this.pos)}`);
          this.pos += 2;
          this.skipSpace(true);
          this.parseExpression();
        } else if (this.atKeyword('else') || this.atKeyword('endif') || this.atKeyword('endfor')) {
          this.identifier();
        } else {
          this.fail(`expected if, else, endif, for or endfor in the %{ } directive; found ${this.describeAt(this.pos)}`, start);
        }
      } else {
        this.parseExpression();
      }
      this.skipSpace(true);
      if (this.peek() === CH_TILDE) this.pos++;
      if (this.peek() !== CH_RBRACE)
        this.fail(`expected '}' to close the '${directive ? '%{' : '${'}' opened at line ${this.lines.positionAt(start).line + 1}; found ${this.describeAt(this.pos)}`, start);
      this.pos++;
    } finally {
      this.bracketDepth--;
    }
  }

  /** Pairs `%{ if }` with `%{ else }`/`%{ endif }` and `%{ for }` with `%{ endfor }`, as Go HCL's template parser does. */
  private trackDirective(structure: TemplateStructure, keyword: 'if' | 'else' | 'endif' | 'for' | 'endfor', start: number): void {
    const open = structure[structure.length - 1];
    const line = (offset: number) => this.lines.positionAt(offset).line + 1;
    const end = this.pos + keyword.length;
    if (keyword === 'if' || keyword === 'for') {
      structure.push({ keyword, start, sawElse: false });
    } else if (keyword === 'else') {
      if (open?.keyword !== 'if') this.error('hcl/syntax-error', `%{ else } without an open %{ if }${open ? ` (the %{ for } on line ${line(open.start)} is still open)` : ''}`, start, end);
      else if (open.sawElse) this.error('hcl/syntax-error', `a second %{ else } for the %{ if } on line ${line(open.start)}`, start, end);
      else open.sawElse = true;
    } else {
      const opener = keyword === 'endif' ? 'if' : 'for';
      if (!open) this.error('hcl/syntax-error', `%{ ${keyword} } without an open %{ ${opener} }`, start, end);
      else if (open.keyword !== opener)
        this.error('hcl/syntax-error', `%{ ${keyword} } where %{ end${open.keyword} } is expected for the %{ ${open.keyword} } on line ${line(open.start)}`, start, end);
      else structure.pop();
    }
  }

  /** At the end of a template, every `%{ if }` and `%{ for }` must have been closed. */
  private closeTemplate(structure: TemplateStructure): void {
    for (const open of structure) {
      this.error('hcl/syntax-error', `the %{ ${open.keyword} } directive is never closed: add %{ end${open.keyword} } before the end of the template`, open.start, open.start + 2);
    }
  }

  /** A quoted template: a literal string when it has no interpolation or directive. */
  private parseQuoted(): Expr {
    const start = this.pos;
    const text = this.text;
    this.pos++;
    let literal = '';
    let chunkStart = this.pos;
    let isTemplate = false;
    const structure: TemplateStructure = [];
    const savedBrackets = this.bracketDepth;
    this.bracketDepth = 0; // newlines end strings, even inside brackets
    try {
      for (;;) {
        if (this.pos >= text.length || text.charCodeAt(this.pos) === CH_NEWLINE) {
          this.error(
            'hcl/unterminated-string',
            "this string is not closed: add '\"' at the end of the line (quoted strings cannot span lines; use a heredoc <<EOT for multi-line text)",
            start,
            this.lineEnd(start),
          );
          literal += text.slice(chunkStart, this.pos);
          return { start, end: this.pos, value: unknown('invalid') };
        }
        const c = text.charCodeAt(this.pos);
        if (c === CH_QUOTE) {
          literal += text.slice(chunkStart, this.pos);
          this.closeTemplate(structure);
          this.pos++;
          return { start, end: this.pos, value: isTemplate ? unknown('template') : { known: true, value: literal } };
        }
        if (c === CH_BACKSLASH) {
          literal += text.slice(chunkStart, this.pos);
          literal += this.parseEscape();
          chunkStart = this.pos;
        } else if ((c === CH_DOLLAR || c === CH_PERCENT) && text.charCodeAt(this.pos + 1) === CH_LBRACE) {
          isTemplate = true;
          this.bracketDepth = savedBrackets;
          this.parseTemplateSequence(c === CH_PERCENT, structure);
          this.bracketDepth = 0;
          chunkStart = this.pos;
        } else if ((c === CH_DOLLAR || c === CH_PERCENT) && text.charCodeAt(this.pos + 1) === c && text.charCodeAt(this.pos + 2) === CH_LBRACE) {
          literal += text.slice(chunkStart, this.pos + 1) + '{';
          this.pos += 3;
          chunkStart = this.pos;
        } else if (c === CH_DOLLAR || c === CH_PERCENT) {
          this.pos++;
        } else {
          // Jump over plain text to the next character that matters.
          QUOTED_SPECIAL.lastIndex = this.pos;
          this.pos = QUOTED_SPECIAL.test(text) ? QUOTED_SPECIAL.lastIndex - 1 : text.length;
        }
      }
    } finally {
      this.bracketDepth = savedBrackets;
    }
  }

  private parseEscape(): string {
    const start = this.pos;
    const next = this.text[this.pos + 1];
    if (next !== undefined && Object.hasOwn(SIMPLE_ESCAPES, next)) {
      this.pos += 2;
      return SIMPLE_ESCAPES[next]!;
    }
    const digits = next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (digits > 0) {
      const hex = this.text.slice(this.pos + 2, this.pos + 2 + digits);
      const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === digits ? parseInt(hex, 16) : -1;
      if (code >= 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)) {
        this.pos += 2 + digits;
        return String.fromCodePoint(code);
      }
    }
    const shown = next === undefined || next === '\n' ? '\\' : `\\${next}`;
    this.error('hcl/syntax-error', `invalid escape sequence '${shown}' in a string; use \\n, \\r, \\t, \\", \\\\, \\uNNNN or \\UNNNNNNNN`, start, start + shown.length);
    this.pos += next === undefined || next === '\n' ? 1 : 2;
    return shown;
  }

  private parseHeredoc(): Expr {
    const start = this.pos;
    const text = this.text;
    this.pos += 2;
    const flush = this.peek() === CH_MINUS;
    if (flush) this.pos++;
    const marker = this.identifier();
    const introEnd = this.pos;
    if (marker === undefined || (this.peek() !== CH_NEWLINE && !(this.peek() === CH_CR && this.peek(1) === CH_NEWLINE))) {
      this.fail(`a heredoc starts with <<MARKER (or <<-MARKER) alone at the end of the line, e.g. <<EOT`, start, this.lineEnd(start));
    }
    const contentStart = this.lineEnd(this.pos) + 1;
    // The content ends at the first line that holds only the marker (indented, for <<- and also accepted by Terraform for <<).
    let lineStart = contentStart;
    let contentEnd = -1;
    let closeEnd = text.length;
    while (lineStart <= text.length) {
      const lineStop = this.lineEnd(lineStart);
      if (text.slice(lineStart, lineStop).trim() === marker) {
        contentEnd = lineStart;
        closeEnd = lineStart + text.slice(lineStart, lineStop).indexOf(marker!) + marker!.length;
        break;
      }
      if (lineStop >= text.length) break;
      lineStart = lineStop + 1;
    }
    if (contentEnd === -1) {
      this.error('hcl/unterminated-heredoc', `the heredoc is never closed: add a line containing only ${marker}`, start, introEnd);
      this.pos = text.length;
      return { start, end: this.pos, value: unknown('invalid') };
    }
    // Interpolations inside the content are parsed for their syntax; any makes the value a template.
    let isTemplate = false;
    const structure: TemplateStructure = [];
    let scan = contentStart;
    let content = '';
    let chunkStart = scan;
    while (scan < contentEnd) {
      const c = text.charCodeAt(scan);
      if ((c === CH_DOLLAR || c === CH_PERCENT) && text.charCodeAt(scan + 1) === c && text.charCodeAt(scan + 2) === CH_LBRACE) {
        content += text.slice(chunkStart, scan + 1) + '{';
        scan += 3;
        chunkStart = scan;
      } else if ((c === CH_DOLLAR || c === CH_PERCENT) && text.charCodeAt(scan + 1) === CH_LBRACE) {
        isTemplate = true;
        this.pos = scan;
        try {
          this.parseTemplateSequence(c === CH_PERCENT, structure);
        } catch (error) {
          if (!(error instanceof SyntaxAbort || error instanceof TooDeep)) throw error;
          this.pos = this.lineEnd(scan);
        }
        scan = this.pos;
        chunkStart = scan;
      } else {
        scan++;
      }
    }
    content += text.slice(chunkStart, contentEnd);
    this.closeTemplate(structure);
    this.pos = closeEnd;
    if (isTemplate) return { start, end: this.pos, value: unknown('template') };
    content = content.replace(/\r\n/g, '\n');
    if (flush) {
      const lines = content.split('\n');
      const indents = lines.filter((line) => line.trim() !== '').map((line) => line.match(/^[ \t]*/)![0].length);
      const strip = indents.length ? Math.min(...indents) : 0;
      content = lines.map((line) => line.slice(Math.min(strip, line.match(/^[ \t]*/)![0].length))).join('\n');
    }
    return { start, end: this.pos, value: { known: true, value: content } };
  }
}

export interface ParseOptions {
  /** Where the text came from (a path or URI), used in findings. */
  source?: string;
}

/** Parses HCL native syntax into the document model. Never throws on bad input: problems become diagnostics. */
export function parseHcl(text: string, options: ParseOptions = {}): HclDocument {
  const source = options.source ?? '';
  try {
    return new HclSyntaxParser(text).parse(source);
  } catch (error) {
    // The depth limits keep the parser well inside the stack; this is for callers that are themselves deep in it.
    if (!(error instanceof RangeError)) throw error;
    const origin = { line: 0, character: 0 };
    const diagnostic: Diagnostic = {
      range: { start: origin, end: origin },
      severity: 'information',
      code: 'hcl/nesting-too-deep',
      source: 'shoreline',
      message: 'the file nests too deeply for Shoreline to analyse it',
    };
    return { source, text, body: { attributes: [], blocks: [] }, diagnostics: [diagnostic] };
  }
}
