import type { Finding } from '../diagnostics/types.js';
import type { HclAttribute, HclDocument } from '../hcl/types.js';

const NAME_PART = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?$/;

export interface ProviderSource {
  hostname: string;
  namespace: string;
  type: string;
}

export const DEFAULT_REGISTRY_HOST = 'registry.terraform.io';

/** Parses a provider source address `[HOSTNAME/]NAMESPACE/TYPE` (Terraform's rules). */
export function parseProviderSource(source: string): { source?: ProviderSource; findings: Finding[] } {
  const bad = (message: string) => ({ findings: [{ code: 'tf/provider-source-invalid' as const, message }] });
  const parts = source.split('/');
  if (source.trim() === '') return bad('the provider source is empty; expected [HOSTNAME/]NAMESPACE/TYPE, e.g. hashicorp/aws');
  if (parts.length > 3) return bad(`'${source}' has ${parts.length} parts; a source address is [HOSTNAME/]NAMESPACE/TYPE`);
  // A bare name is what Terraform accepts as hashicorp/NAME (terraform providers shows it so).
  const [hostname, namespace, type] =
    parts.length === 3 ? (parts as [string, string, string]) : parts.length === 2 ? [DEFAULT_REGISTRY_HOST, parts[0]!, parts[1]!] : [DEFAULT_REGISTRY_HOST, 'hashicorp', parts[0]!];
  if (parts.length === 3 && !/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/.test(hostname)) return bad(`'${hostname}' is not a valid registry host name`);
  if (!NAME_PART.test(namespace)) return bad(`the namespace '${namespace}' must be letters, digits and dashes, not starting or ending with a dash`);
  if (!NAME_PART.test(type)) return bad(`the provider type '${type}' must be letters, digits and dashes, not starting or ending with a dash`);
  if (type.toLowerCase().startsWith('terraform-provider-')) {
    const fixed = type.slice('terraform-provider-'.length);
    return bad(`the provider type is '${fixed}', without the 'terraform-provider-' prefix of the repository name`);
  }
  return { source: { hostname: hostname.toLowerCase(), namespace: namespace.toLowerCase(), type: type.toLowerCase() }, findings: [] };
}

const VERSION = /^(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?(?:\.(0|[1-9][0-9]*))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/;
const OPERATOR = /^(=|!=|>=|<=|>|<|~>)?\s*(.*)$/;

export interface VersionConstraint {
  operator: '=' | '!=' | '>' | '>=' | '<' | '<=' | '~>';
  version: string;
}

/** Parses a version constraint string (`>= 1.2, < 2.0`, `~> 0.3`) as Terraform does. */
export function parseVersionConstraints(text: string): { constraints: VersionConstraint[]; findings: Finding[] } {
  const constraints: VersionConstraint[] = [];
  if (text.trim() === '') return { constraints, findings: [{ code: 'tf/version-constraint-invalid', message: 'the version constraint is empty; write e.g. "~> 1.0" or ">= 1.2, < 2.0"' }] };
  for (const part of text.split(',')) {
    const trimmed = part.trim();
    const [, operator = '=', version = ''] = trimmed.match(OPERATOR) ?? [];
    if (trimmed === '') return { constraints, findings: [{ code: 'tf/version-constraint-invalid', message: `'${text}' has an empty constraint between commas` }] };
    if (version.startsWith('v')) {
      return {
        constraints,
        findings: [{ code: 'tf/version-constraint-invalid', message: `'${trimmed}': versions are written without a 'v' prefix (${operator === '=' ? '' : `${operator} `}${version.slice(1)})` }],
      };
    }
    if (!VERSION.test(version)) {
      return {
        constraints,
        findings: [{ code: 'tf/version-constraint-invalid', message: `'${trimmed}' is not a version constraint; expected an operator (=, !=, >, >=, <, <=, ~>) and a version like 1.2.3` }],
      };
    }
    constraints.push({ operator: operator as VersionConstraint['operator'], version });
  }
  return { constraints, findings: [] };
}

function parts(version: string): { core: number[]; prerelease?: string } {
  const [core, prerelease] = version.split('+')[0]!.split('-', 2) as [string, string | undefined];
  const numbers = core.split('.').map(Number);
  return { core: [numbers[0] ?? 0, numbers[1] ?? 0, numbers[2] ?? 0], ...(prerelease ? { prerelease } : {}) };
}

/** Semantic version order (a prerelease sorts before its release). */
export function compareVersions(a: string, b: string): number {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return x.core[i]! - y.core[i]!;
  if (x.prerelease === y.prerelease) return 0;
  if (x.prerelease === undefined) return 1;
  if (y.prerelease === undefined) return -1;
  return x.prerelease.localeCompare(y.prerelease);
}

/** Whether a version meets one constraint, as Terraform decides (prereleases only match `=` exactly). */
export function satisfies(version: string, constraint: VersionConstraint): boolean {
  if (parts(version).prerelease !== undefined && constraint.operator !== '=') return false;
  const order = compareVersions(version, constraint.version);
  switch (constraint.operator) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '~>': {
      // The rightmost given component may grow: ~> 1.2 is >= 1.2, < 2.0; ~> 1.2.3 is >= 1.2.3, < 1.3.0.
      const given = constraint.version.split('-')[0]!.split('.').length;
      const base = parts(constraint.version).core;
      const upper = given <= 2 ? `${base[0]! + 1}.0.0` : `${base[0]}.${base[1]! + 1}.0`;
      return order >= 0 && compareVersions(version, upper) < 0;
    }
  }
}

/** The versions that meet every constraint. */
export function versionsMatching(versions: readonly string[], constraints: readonly VersionConstraint[]): string[] {
  return versions.filter((version) => constraints.every((constraint) => satisfies(version, constraint)));
}

export interface RequiredProvider {
  document: HclDocument;
  /** The `NAME = { source, version }` attribute. */
  entry: HclAttribute;
  source?: string;
  version?: string;
}

/** The entries of every `terraform { required_providers { ... } }` block, with their literal source and version. */
export function requiredProviders(documents: readonly HclDocument[]): RequiredProvider[] {
  const found: RequiredProvider[] = [];
  for (const document of documents) {
    for (const block of document.body.blocks.filter((candidate) => candidate.type === 'terraform')) {
      for (const nested of block.blocks.filter((candidate) => candidate.type === 'required_providers')) {
        for (const entry of nested.attributes) {
          const value = entry.value.known ? entry.value.value : undefined;
          const object = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
          const source = typeof object?.['source'] === 'string' ? object['source'] : undefined;
          const version = typeof object?.['version'] === 'string' ? object['version'] : undefined;
          found.push({ document, entry, ...(source !== undefined ? { source } : {}), ...(version !== undefined ? { version } : {}) });
        }
      }
    }
  }
  return found;
}
