export { HclParser, DEFAULT_PARSE_TIMEOUT_MS, RUNTIME_WASM, GRAMMAR_WASM, type ParseOptions } from './parser.js';
export { MAX_BLOCK_DEPTH, MAX_VALUE_DEPTH, MAX_SYNTAX_ERRORS } from './document.js';
export { attribute, literalString, type HclAttribute, type HclBlock, type HclBody, type HclDocument, type HclLiteral, type HclValue, type UnknownKind } from './types.js';
export { HclRules } from './rules.js';
