import { defaultSeverity } from './rules.js';
import type { Diagnostic, Finding, Range } from './types.js';

/**
 * Places a finding at a range. A finding's replacement becomes a quick fix;
 * `quote` writes the replacement in the file's syntax (an HCL string, a YAML scalar).
 */
export function diagnosticOf(range: Range, finding: Finding, quote: (value: string) => string = (value) => value): Diagnostic {
  const diagnostic: Diagnostic = { range, severity: finding.severity ?? defaultSeverity(finding.code), code: finding.code, source: 'shoreline', message: finding.message };
  if (finding.unnecessary) diagnostic.unnecessary = true;
  if (finding.replacement !== undefined) {
    const newText = quote(finding.replacement);
    diagnostic.fixes = [{ title: finding.fixTitle ?? `Replace with ${newText}`, range, newText }];
  }
  return diagnostic;
}
