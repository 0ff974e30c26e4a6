import { comparePositions, type Diagnostic, type Range } from '../diagnostics/types.js';
import type { CodeAction } from './types.js';

const overlaps = (a: Range, b: Range) => comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;

/** Quick fixes for the diagnostics of `source` that touch `range`, from the fixes the analyzer attached. */
export function quickFixes(source: string, diagnostics: readonly Diagnostic[], range: Range): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (!overlaps(diagnostic.range, range)) continue;
    for (const [index, fix] of (diagnostic.fixes ?? []).entries()) {
      actions.push({ title: fix.title, kind: 'quickfix', diagnostics: [diagnostic], isPreferred: index === 0, edit: { source, range: fix.range, newText: fix.newText } });
    }
  }
  return actions;
}
