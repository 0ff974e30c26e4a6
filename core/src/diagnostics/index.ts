export * from './types.js';
export { defineRules, getRule, allRules, defaultSeverity, type Rule } from './rules.js';
export { LineIndex } from './line-index.js';
export { diagnosticOf } from './make.js';
