import { defineRules } from '../diagnostics/rules.js';

export const HclRules = defineRules({
  'hcl/syntax-error': { severity: 'error', summary: 'The file is not valid HCL syntax.' },
  'hcl/unterminated-string': { severity: 'error', summary: 'A quoted string is not closed on its line.' },
  'hcl/unterminated-heredoc': { severity: 'error', summary: 'A heredoc has no closing marker line.' },
  'hcl/unclosed-block': { severity: 'error', summary: 'A block is missing its closing brace.' },
  'hcl/attribute-redefined': { severity: 'error', summary: 'An argument is set twice in one block (Go HCL: "Attribute redefined").' },
  'hcl/nesting-too-deep': { severity: 'information', summary: 'Blocks or values are nested deeper than Shoreline analyses; they are skipped, not judged.' },
  'file/too-large': { severity: 'error', summary: 'The file is larger than Shoreline analyses.' },
  'file/binary': { severity: 'error', summary: 'The file is binary, not text.' },
  'file/invalid-utf8': { severity: 'error', summary: 'The file is not valid UTF-8.' },
});
