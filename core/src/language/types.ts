import type { Diagnostic, Range } from '../diagnostics/types.js';

/** LSP-shaped results, so the server maps them one to one without any `vscode` import here. */

export const CompletionItemKind = { Property: 10, Value: 12, Keyword: 14, Snippet: 15, Class: 7, Module: 9, EnumMember: 20, Reference: 18 } as const;
export const InsertTextFormat = { PlainText: 1, Snippet: 2 } as const;
export const SymbolKind = { Module: 2, Namespace: 3, Class: 5, Property: 7, Field: 8, Variable: 13, Constant: 14, Object: 19, Struct: 23, Event: 24 } as const;

export interface MarkupContent {
  kind: 'markdown';
  value: string;
}

export interface CompletionItem {
  label: string;
  kind: number;
  detail?: string;
  documentation?: MarkupContent;
  sortText?: string;
  filterText?: string;
  insertTextFormat: number;
  textEdit: { range: Range; newText: string };
  preselect?: boolean;
}

export interface Hover {
  contents: MarkupContent;
  range: Range;
}

export interface DocumentSymbol {
  name: string;
  detail?: string;
  kind: number;
  range: Range;
  selectionRange: Range;
  children?: DocumentSymbol[];
}

export interface SourceLocation {
  /** The `source` of the document (a path). */
  source: string;
  range: Range;
}

export interface CodeAction {
  title: string;
  kind: 'quickfix';
  diagnostics: Diagnostic[];
  isPreferred?: boolean;
  edit: { source: string; range: Range; newText: string };
}
