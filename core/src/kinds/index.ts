/**
 * The kinds of file Shoreline understands, in one registry. Every part that
 * must decide whether (and how) to analyse a file asks here: the CLI's file
 * discovery, the language server's document handling and file watchers, and
 * the extension's document selector. A file of no kind gets no diagnostics.
 *
 * The file name decides first; the client's languageId only for documents
 * whose name says nothing (an untitled buffer the user set to Terraform).
 */

export type DocumentKind = 'terraform' | 'terraform-json' | 'terraform-query' | 'terraform-vars' | 'terraform-vars-json' | 'pulumi-yaml' | 'pulumi-program' | 'lagoon-yml';

export interface KindInfo {
  kind: DocumentKind;
  /** What the kind is, for messages and docs. */
  title: string;
  /** The syntax its files are written in. */
  syntax: 'hcl' | 'json' | 'yaml' | 'program';
  /** Glob patterns of its file names (for watchers and document selectors). */
  globs: readonly string[];
  /** Language ids clients give such documents (VS Code, HashiCorp's extension, neovim, Helix). */
  languageIds: readonly string[];
  /** Whether Shoreline analyses its content (terraform-json files only complete their module). */
  analysed: boolean;
  /** Whether the file belongs to a Terraform module (the folder's files are read together). */
  moduleMember: boolean;
  /**
   * Analysed only as part of a Pulumi program (a Python or TypeScript file that
   * the program's entry imports, in a project using a provider Shoreline knows);
   * any other file of these names gets nothing.
   */
  inProgramOnly?: boolean;
}

export const DOCUMENT_KINDS: readonly KindInfo[] = Object.freeze([
  { kind: 'terraform', title: 'Terraform configuration', syntax: 'hcl', globs: ['**/*.tf'], languageIds: ['terraform', 'tf', 'hcl'], analysed: true, moduleMember: true },
  { kind: 'terraform-json', title: 'Terraform configuration in JSON', syntax: 'json', globs: ['**/*.tf.json'], languageIds: [], analysed: false, moduleMember: true },
  // Query files (terraform query) may declare variables of the module: they make it incomplete, like .tf.json.
  { kind: 'terraform-query', title: 'Terraform query file', syntax: 'hcl', globs: ['**/*.tfquery.hcl'], languageIds: [], analysed: false, moduleMember: true },
  { kind: 'terraform-vars', title: 'Terraform variables file', syntax: 'hcl', globs: ['**/*.tfvars'], languageIds: ['terraform-vars', 'tfvars'], analysed: true, moduleMember: false },
  { kind: 'terraform-vars-json', title: 'Terraform variables file in JSON', syntax: 'json', globs: ['**/*.tfvars.json'], languageIds: [], analysed: true, moduleMember: false },
  { kind: 'pulumi-yaml', title: 'Pulumi YAML program', syntax: 'yaml', globs: ['**/{Pulumi.yaml,Pulumi.yml,Main.yaml,Main.yml}'], languageIds: [], analysed: true, moduleMember: false },
  {
    kind: 'pulumi-program',
    title: 'Pulumi program source (Python, TypeScript, JavaScript)',
    syntax: 'program',
    globs: ['**/*.py', '**/*.{ts,tsx,mts,cts,js,mjs,cjs,jsx}'],
    languageIds: [],
    analysed: true,
    moduleMember: false,
    inProgramOnly: true,
  },
  { kind: 'lagoon-yml', title: 'Lagoon project configuration', syntax: 'yaml', globs: ['**/{.lagoon.yml,.lagoon.yaml}'], languageIds: [], analysed: true, moduleMember: false },
] satisfies KindInfo[]);

const BY_KIND = new Map(DOCUMENT_KINDS.map((info) => [info.kind, info]));

export function kindInfo(kind: DocumentKind): KindInfo {
  return BY_KIND.get(kind)!;
}

const PULUMI_PROGRAMS = new Set(['Pulumi.yaml', 'Pulumi.yml', 'Main.yaml', 'Main.yml']);

/** The last segment of a path or URI. */
export function baseName(fileName: string): string {
  return fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
}

/**
 * Files Terraform itself skips in a module folder (configs.IsIgnoredFile):
 * hidden files, editor backups (`~`) and Emacs lock files (`#...#`).
 */
export function isIgnoredByTerraform(fileName: string): boolean {
  const base = baseName(fileName);
  return base.startsWith('.') || base.endsWith('~') || (base.startsWith('#') && base.endsWith('#'));
}

/** `override.tf` and `*_override.tf` (and their `.tf.json` forms) are merged into the module's blocks, not added to them. */
export function isOverrideFile(fileName: string): boolean {
  const stem = baseName(fileName).replace(/\.tf(\.json)?$/, '');
  return stem === 'override' || stem.endsWith('_override');
}

/** The kind of a file by its name alone. */
function kindOfName(fileName: string): DocumentKind | undefined {
  const base = baseName(fileName);
  if (base === '.lagoon.yml' || base === '.lagoon.yaml') return 'lagoon-yml';
  if (PULUMI_PROGRAMS.has(base)) return 'pulumi-yaml';
  if (isIgnoredByTerraform(base)) return undefined;
  if (base.endsWith('.tf')) return 'terraform';
  if (base.endsWith('.tf.json')) return 'terraform-json';
  if (base.endsWith('.tfquery.hcl')) return 'terraform-query';
  if (base.endsWith('.tfvars')) return 'terraform-vars';
  if (base.endsWith('.tfvars.json')) return 'terraform-vars-json';
  if (/\.(py|tsx?|[mc]ts|[mc]?js|jsx)$/.test(base) && !/\.d\.[mc]?ts$/.test(base)) return 'pulumi-program';
  return undefined;
}

/** Whether a name carries a file extension of its own (then the name, not the languageId, decides). */
const hasExtension = (fileName: string) => /\.[^./\\]+$/.test(baseName(fileName));

/**
 * The kind of a document: by file name, or for a document whose name has no
 * extension (untitled buffers), by the client's languageId. A `.yml` file the
 * client calls `terraform` is still no Terraform file.
 */
export function kindOf(fileName: string, languageId?: string): DocumentKind | undefined {
  const byName = kindOfName(fileName);
  if (byName || languageId === undefined || hasExtension(fileName)) return byName;
  return DOCUMENT_KINDS.find((info) => info.languageIds.includes(languageId))?.kind;
}

/** A file that belongs to a Terraform module without Shoreline reading it (`.tf.json`, `.tfquery.hcl`). */
export function isUnreadModuleMember(kind: DocumentKind | undefined): boolean {
  return kind !== undefined && kindInfo(kind).moduleMember && !kindInfo(kind).analysed;
}

/** Glob patterns of every file Shoreline reads, for file watchers. */
export function watchedGlobs(): string[] {
  return DOCUMENT_KINDS.flatMap((info) => info.globs);
}

/**
 * The documents a client should send to the server, as an LSP document
 * selector: saved files by name, and untitled buffers by languageId.
 */
export function documentSelector(): { scheme: string; pattern?: string; language?: string }[] {
  const analysed = DOCUMENT_KINDS.filter((info) => info.analysed);
  return [
    ...analysed.flatMap((info) => info.globs.map((pattern) => ({ scheme: 'file', pattern }))),
    ...analysed.flatMap((info) => info.languageIds.map((language) => ({ scheme: 'untitled', language }))),
  ];
}
