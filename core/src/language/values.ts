import type { Range } from '../diagnostics/types.js';
import type { LagoonProperty } from '../lagoon/schema.js';
import type { LiveData } from '../live/index.js';
import { CompletionItemKind, InsertTextFormat, type CompletionItem } from './types.js';

/**
 * The values offered for a Lagoon property, whatever the language: live deploy
 * targets and projects, the schema's accepted values, or the two booleans.
 * `quote` writes a string as the language does (YAML plain, Python/TS quoted).
 */
export function propertyValueItems(
  property: LagoonProperty,
  range: Range,
  options: { live?: LiveData | undefined; quote: (value: string) => string; bool: readonly [string, string] },
): CompletionItem[] {
  const plain = (label: string, kind: number, newText: string, extra: Partial<CompletionItem> = {}): CompletionItem => ({
    label,
    kind,
    insertTextFormat: InsertTextFormat.PlainText,
    textEdit: { range, newText },
    ...extra,
  });
  const { live, quote } = options;
  if (live && (property.name === 'deploytargetId' || property.name === 'deployTargetId')) {
    return (live.deployTargets() ?? []).map((target) =>
      plain(`${target.id} — ${target.name}`, CompletionItemKind.Value, String(target.id), {
        detail: [target.cloudProvider, target.cloudRegion].filter(Boolean).join(' / ') || 'deploy target',
        filterText: `${target.id} ${target.name}`,
      }),
    );
  }
  if (live && property.name === 'projectName') {
    return (live.projects() ?? []).map((project) => plain(project.name, CompletionItemKind.Value, quote(project.name), { detail: `Lagoon project ${project.id}`, filterText: quote(project.name) }));
  }
  if (property.enum) return property.enum.map((value, index) => plain(value, CompletionItemKind.EnumMember, quote(value), { sortText: String(index).padStart(2, '0'), filterText: quote(value) }));
  if (property.type === 'bool') return options.bool.map((value) => plain(value, CompletionItemKind.Value, value));
  return [];
}
