export { complete, type CompletionOptions } from './completion.js';
export { hover } from './hover.js';
export { documentSymbols } from './symbols.js';
export { definition } from './definition.js';
export { quickFixes } from './actions.js';
export { blockPath, contains } from './locate.js';
export { CompletionItemKind, InsertTextFormat, SymbolKind } from './types.js';
export type { CompletionItem, Hover, DocumentSymbol, SourceLocation, CodeAction, MarkupContent } from './types.js';
export { completeYaml, hoverYaml } from './yaml.js';
