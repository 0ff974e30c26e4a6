import { allRules } from '../diagnostics/rules.js';
import type { Severity } from '../diagnostics/types.js';
import type { CheckResult } from './run.js';

export type OutputFormat = 'text' | 'json' | 'sarif';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif'];

export function countBySeverity(result: CheckResult): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const file of result.files) for (const diagnostic of file.diagnostics) counts[diagnostic.severity]++;
  return counts;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** One line per finding, `file:line:col severity code message` (1-based), then a summary. */
export function formatText(result: CheckResult): string {
  const lines: string[] = [];
  for (const file of result.files) {
    for (const d of file.diagnostics) {
      lines.push(`${file.path}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`);
    }
  }
  const counts = countBySeverity(result);
  const total = counts.error + counts.warning + counts.information + counts.hint;
  const parts = [plural(counts.error, 'error'), plural(counts.warning, 'warning')];
  if (counts.information) parts.push(`${counts.information} information`);
  if (counts.hint) parts.push(plural(counts.hint, 'hint'));
  const checked = plural(result.files.length, 'file');
  lines.push(total === 0 ? `No problems found in ${checked}.` : `${plural(total, 'problem')} (${parts.join(', ')}) in ${checked}.`);
  return lines.join('\n') + '\n';
}

/** A JSON array of findings with 0-based LSP ranges. */
export function formatJson(result: CheckResult): string {
  const findings = result.files.flatMap((file) => file.diagnostics.map((d) => ({ file: file.path, range: d.range, severity: d.severity, code: d.code, source: d.source, message: d.message })));
  return JSON.stringify(findings, null, 2) + '\n';
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** SARIF 2.1.0 for code-scanning uploads (1-based lines and columns, UTF-16 code units). */
export function formatSarif(result: CheckResult, tool: { name: string; version: string; informationUri: string }): string {
  const used = new Set<string>(result.files.flatMap((file) => file.diagnostics.map((d) => d.code)));
  const rules = allRules().filter((rule) => used.has(rule.code));
  const ruleIndex = new Map(rules.map((rule, index) => [rule.code, index]));
  const uri = (path: string) => path.split(/[\\/]/).map(encodeURIComponent).join('/');
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            informationUri: tool.informationUri,
            rules: rules.map((rule) => ({
              id: rule.code,
              shortDescription: { text: rule.summary },
              ...(rule.reference ? { help: { text: `${rule.summary} (${rule.reference})` } } : {}),
              defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: result.files.flatMap((file) =>
          file.diagnostics.map((d) => ({
            ruleId: d.code,
            ...(ruleIndex.has(d.code) ? { ruleIndex: ruleIndex.get(d.code) } : {}),
            level: SARIF_LEVEL[d.severity],
            message: { text: d.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: uri(file.path) },
                  region: { startLine: d.range.start.line + 1, startColumn: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1 },
                },
              },
            ],
          })),
        ),
        invocations: [
          {
            executionSuccessful: result.errors.length === 0,
            toolExecutionNotifications: result.errors.map((error) => ({ level: 'error', message: { text: `${error.path}: ${error.message}` } })),
          },
        ],
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
