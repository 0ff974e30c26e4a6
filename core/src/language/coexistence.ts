/**
 * Terraform's syntax colouring and language configuration belong to one
 * extension. VS Code reads them from manifests only (no API registers a
 * grammar at run time), and of two grammars for one language the one loaded
 * last wins: Shoreline's, whose folder sorts after HashiCorp's. So the
 * extension ships its manifest in the standalone form and, when HashiCorp's
 * extension is installed, rewrites it to the alongside form (no grammar, no
 * language configuration: only the language ids both share), and back when
 * it is removed. These functions are that rewrite, as data.
 */

/** HashiCorp's Terraform extension, which owns colouring and the general Terraform features when installed. */
export const HASHICORP_TERRAFORM = 'hashicorp.terraform';

/** The languages Shoreline contributes, with HashiCorp's ids, and what only the standalone form carries. */
export const TERRAFORM_LANGUAGES = [
  { id: 'terraform', aliases: ['Terraform', 'terraform'], extensions: ['.tf'] },
  { id: 'terraform-vars', aliases: ['Terraform Variables', 'terraform-vars'], extensions: ['.tfvars'] },
] as const;
const LANGUAGE_CONFIGURATION = './syntaxes/terraform.language-configuration.json';
const GRAMMAR = { scopeName: 'source.shoreline.terraform', path: './syntaxes/terraform.tmLanguage.json' };

export type ContributionMode = 'standalone' | 'alongside';

interface Manifest {
  contributes?: { languages?: unknown[]; grammars?: unknown[]; [key: string]: unknown };
  [key: string]: unknown;
}

/** The language and grammar contributions of a mode. */
export function terraformContributions(mode: ContributionMode): { languages: object[]; grammars: object[] } {
  return {
    languages: TERRAFORM_LANGUAGES.map((language) => ({
      ...language,
      aliases: [...language.aliases],
      extensions: [...language.extensions],
      ...(mode === 'standalone' ? { configuration: LANGUAGE_CONFIGURATION } : {}),
    })),
    grammars: mode === 'standalone' ? TERRAFORM_LANGUAGES.map((language) => ({ language: language.id, ...GRAMMAR })) : [],
  };
}

/** Which form a manifest is in: a grammar of ours means standalone. */
export function contributionMode(manifest: Manifest): ContributionMode {
  return (manifest.contributes?.grammars ?? []).some((grammar) => (grammar as { scopeName?: string }).scopeName === GRAMMAR.scopeName) ? 'standalone' : 'alongside';
}

/** The manifest in the other form; every contribution that is not Terraform's languages or grammar kept as it is. */
export function withContributionMode(manifest: Manifest, mode: ContributionMode): Manifest {
  const ids = new Set<string>(TERRAFORM_LANGUAGES.map((language) => language.id));
  const { languages: ours, grammars } = terraformContributions(mode);
  const contributes = { ...manifest.contributes };
  contributes.languages = [...ours, ...(contributes.languages ?? []).filter((language) => !ids.has((language as { id?: string }).id ?? ''))];
  const otherGrammars = (contributes.grammars ?? []).filter((grammar) => (grammar as { scopeName?: string }).scopeName !== GRAMMAR.scopeName);
  if (grammars.length + otherGrammars.length > 0) contributes.grammars = [...grammars, ...otherGrammars];
  else delete contributes.grammars;
  return { ...manifest, contributes };
}

/** The form a manifest should be in, given whether HashiCorp's extension is installed. */
export function wantedContributionMode(hashicorpInstalled: boolean): ContributionMode {
  return hashicorpInstalled ? 'alongside' : 'standalone';
}
