import type { RuleCode } from './codes.js';

export type { RuleCode } from './codes.js';

/** Zero-based position; `character` counts UTF-16 code units (the LSP convention). */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A replacement for the text at `range`, offered as a quick fix. */
export interface Fix {
  title: string;
  range: Range;
  newText: string;
}

export interface Diagnostic {
  range: Range;
  severity: Severity;
  /** Stable identifier, e.g. `dns/ipv4-invalid`; see the rule catalog. */
  code: RuleCode;
  source: 'shoreline';
  message: string;
  fixes?: Fix[];
  /** Unused code: editors fade it (LSP DiagnosticTag.Unnecessary). */
  unnecessary?: true;
}

/**
 * A problem found in a plain value (a record name, an address...), before it
 * is placed in a document. `replacement` is a corrected value when one is known.
 */
export interface Finding {
  code: RuleCode;
  message: string;
  severity?: Severity;
  replacement?: string;
  /** Title of the quick fix that applies `replacement`. */
  fixTitle?: string;
  /** The finding is about code that has no effect (an unused declaration). */
  unnecessary?: true;
}

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** Whether a position lies within a range (both ends included). */
export function rangeContains(range: Range, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}

/** The range between a delimited range's first and last characters (inside quotes, brackets, braces). */
export function insideDelimiters(range: Range): Range {
  const end = range.end.line === range.start.line ? Math.max(range.start.character + 1, range.end.character - 1) : Math.max(0, range.end.character - 1);
  return { start: { line: range.start.line, character: range.start.character + 1 }, end: { line: range.end.line, character: end } };
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return comparePositions(a.range.start, b.range.start) || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.code.localeCompare(b.code);
}
