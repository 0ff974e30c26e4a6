import type { Severity } from './types.js';

export interface Rule {
  code: string;
  severity: Severity;
  /** One line: what the rule checks. */
  summary: string;
  /** Where the rule comes from (an RFC section, the provider, Terraform). */
  reference?: string;
}

const catalog = new Map<string, Rule>();

/** Each capability declares its rules once; the catalog feeds SARIF, docs and severity defaults. */
export function defineRules<const T extends Record<string, Omit<Rule, 'code'>>>(rules: T): { [K in keyof T]: K } {
  const codes = {} as { [K in keyof T]: K };
  for (const [code, rule] of Object.entries(rules)) {
    if (catalog.has(code)) throw new Error(`rule ${code} declared twice`);
    catalog.set(code, { code, ...rule });
    (codes as Record<string, string>)[code] = code;
  }
  return codes;
}

export function getRule(code: string): Rule | undefined {
  return catalog.get(code);
}

export function allRules(): Rule[] {
  return [...catalog.values()].sort((a, b) => a.code.localeCompare(b.code));
}

export function defaultSeverity(code: string): Severity {
  const rule = catalog.get(code);
  if (!rule) throw new Error(`unknown rule ${code}`);
  return rule.severity;
}
