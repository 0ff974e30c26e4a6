export { reparseHcl } from './incremental.js';
export { parseHcl, MAX_BLOCK_DEPTH, MAX_EXPRESSION_DEPTH, MAX_SYNTAX_ERRORS, type ParseOptions } from './parser.js';
export { attribute, literalString, type HclAttribute, type HclBlock, type HclBody, type HclDocument, type HclLiteral, type HclValue, type UnknownKind } from './types.js';
export { HclRules } from './rules.js';
export { lineIndexOf } from './lines.js';
