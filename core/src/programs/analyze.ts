import '../lagoon/rules.js';
import { diagnosticOf } from '../diagnostics/make.js';
import { compareDiagnostics, type Diagnostic } from '../diagnostics/types.js';
import { checkResources, type ResourceDeclaration } from '../lagoon/resource-checks.js';
import type { Edit, Tree } from 'web-tree-sitter';
import { languageOfFile, parseProgram, type ProgramLanguage } from './grammar.js';
import type { ProgramFileModel } from './model.js';
import { pythonPackageInits, resolveImport, type ProgramFiles, type PulumiProject } from './project.js';
import { readPython } from './python.js';
import { PYTHON_DIALECT, TYPESCRIPT_DIALECT } from './sdks.js';
import { readTypeScript } from './typescript.js';

/** A program has at most this many files read (a bound for generated or vendored trees). */
export const MAX_PROGRAM_FILES = 2000;

/** Reads a parsed tree into its model, by the file's language. */
function readTree(language: ProgramLanguage, tree: Tree): ProgramFileModel {
  return language === 'python' ? readPython(tree) : readTypeScript(tree);
}

/** Reads one program file's text into its model (parse, read, free the tree). */
export async function readProgramFile(fileName: string, text: string): Promise<ProgramFileModel | undefined> {
  const language = languageOfFile(fileName);
  if (!language) return undefined;
  const tree = await parseProgram(language, text);
  try {
    return readTree(language, tree);
  } finally {
    tree.delete();
  }
}

/** The one edit that turns `before` into `after` (common prefix and suffix), for incremental parsing. */
export function editBetween(before: string, after: string): Edit {
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let oldEnd = before.length;
  let newEnd = after.length;
  while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return { startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd, startPosition: pointAt(before, start), oldEndPosition: pointAt(before, oldEnd), newEndPosition: pointAt(after, newEnd) };
}

/** Row and UTF-16 column of an offset (web-tree-sitter counts UTF-16 code units). */
function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    row++;
    lineStart = index + 1;
  }
  return { row, column: offset - lineStart };
}

/**
 * Whether an edit can change what a file's names mean: it touches one of the
 * model's import statements, or writes one. While it does not, the older
 * model still knows the names (completion need not read the whole file).
 */
function touchesImports(model: ProgramFileModel, before: string, after: string): boolean {
  const edit = editBetween(before, after);
  if (/\b(import|require)\b/.test(after.slice(edit.startIndex, edit.newEndIndex)) || /\b(import|require)\b/.test(before.slice(edit.startIndex, edit.oldEndIndex))) return true;
  return model.importLines.some(([first, last]) => edit.startPosition.row <= last && edit.oldEndPosition.row >= first);
}

interface CachedSource {
  language: ProgramLanguage;
  /** The text the tree was parsed from. */
  text: string;
  tree?: Tree;
  /** The text the model was read from (a completion may parse newer text without reading it all). */
  modelText?: string;
  model?: ProgramFileModel;
}

/**
 * Program files by text: an edit re-parses only what changed (tree-sitter's
 * incremental parsing from the file's previous tree) and re-reads only that
 * file. Trees live in WebAssembly memory: only the most recent few are kept,
 * models of many more; both bounded, oldest first out.
 */
export class ProgramModelCache {
  private readonly entries = new Map<string, CachedSource>();
  private readonly trees: string[] = [];
  constructor(
    private readonly capacity = 4000,
    private readonly treeCapacity = 16,
  ) {}

  /** The file's model for this text (read in full). */
  async model(fileName: string, text: string): Promise<ProgramFileModel | undefined> {
    const entry = await this.parsed(fileName, text);
    if (!entry) return undefined;
    if (entry.modelText !== text || !entry.model) {
      entry.model = readTree(entry.language, entry.tree!);
      entry.modelText = text;
    }
    return entry.model;
  }

  /**
   * The tree of this text and the newest model of the file (perhaps of an
   * older text: its imports are what a completion needs of it).
   */
  async current(fileName: string, text: string): Promise<{ tree: Tree; model: ProgramFileModel } | undefined> {
    const entry = await this.parsed(fileName, text);
    if (!entry) return undefined;
    if (!entry.model || entry.modelText === undefined || touchesImports(entry.model, entry.modelText, text)) {
      entry.model = readTree(entry.language, entry.tree!);
      entry.modelText = text;
    }
    return { tree: entry.tree!, model: entry.model };
  }

  forget(fileName: string): void {
    const entry = this.entries.get(fileName);
    entry?.tree?.delete();
    this.entries.delete(fileName);
    const index = this.trees.indexOf(fileName);
    if (index !== -1) this.trees.splice(index, 1);
  }

  /** The entry with a tree of exactly this text. */
  private async parsed(fileName: string, text: string): Promise<CachedSource | undefined> {
    const language = languageOfFile(fileName);
    if (!language) return undefined;
    let entry = this.entries.get(fileName);
    if (entry && entry.language !== language) {
      this.forget(fileName);
      entry = undefined;
    }
    if (!entry) {
      entry = { language, text };
      this.entries.set(fileName, entry);
      if (this.entries.size > this.capacity) this.forget(this.entries.keys().next().value!);
    } else {
      // Most recently used last.
      this.entries.delete(fileName);
      this.entries.set(fileName, entry);
    }
    if (entry.tree && entry.text === text) {
      this.touchTree(fileName);
      return entry;
    }
    const previous = entry.tree;
    if (previous) previous.edit(editBetween(entry.text, text));
    const tree = await parseProgram(language, text, previous);
    previous?.delete();
    entry.tree = tree;
    entry.text = text;
    this.touchTree(fileName);
    return entry;
  }

  private touchTree(fileName: string): void {
    const index = this.trees.indexOf(fileName);
    if (index !== -1) this.trees.splice(index, 1);
    this.trees.push(fileName);
    while (this.trees.length > this.treeCapacity) {
      const oldest = this.entries.get(this.trees.shift()!);
      oldest?.tree?.delete();
      if (oldest) delete oldest.tree;
    }
  }
}

/** The cache the editor features share when none is given. */
export const sharedProgramCache = new ProgramModelCache();

export interface ProgramAnalysis {
  project: PulumiProject;
  /** The program's files (entry first), each with its findings. */
  files: Map<string, Diagnostic[]>;
  /** Whether the program uses one of the provider SDKs anywhere. */
  usesSdk: boolean;
  /** Its resources and the file of each (for checks with live data). */
  declarations: { source: string; declaration: ResourceDeclaration }[];
}

/**
 * Analyses a Pulumi program: its entry and the local modules it imports,
 * with every SDK resource checked against the schema, program-wide (a
 * duplicate can sit in another file).
 */
export async function analyzeProgram(project: PulumiProject, files: ProgramFiles, cache = new ProgramModelCache()): Promise<ProgramAnalysis> {
  const analysis: ProgramAnalysis = { project, files: new Map(), usesSdk: false, declarations: [] };
  if (!project.entry || !project.runtime) return analysis;
  const models = new Map<string, ProgramFileModel>();
  const queue = [project.entry];
  const queued = new Set(queue);
  const enqueue = (file: string) => {
    if (queued.has(file) || queued.size >= MAX_PROGRAM_FILES) return;
    queued.add(file);
    queue.push(file);
  };
  while (queue.length) {
    const file = queue.shift()!;
    const text = await files.read(file);
    if (text === undefined) continue;
    const model = await cache.model(file, text);
    if (!model) continue;
    models.set(file, model);
    for (const specifier of model.imports) {
      const target = await resolveImport(project, file, specifier, files);
      if (!target) continue;
      if (project.runtime === 'python') for (const init of await pythonPackageInits(project, target, files)) enqueue(init);
      enqueue(target);
    }
  }
  const dialect = project.runtime === 'python' ? PYTHON_DIALECT : TYPESCRIPT_DIALECT;
  const owner = new Map<ResourceDeclaration, string>();
  const declarations: ResourceDeclaration[] = [];
  for (const [file, model] of models) {
    analysis.files.set(
      file,
      model.findings.map(({ range, finding }) => diagnosticOf(range, finding)),
    );
    if (model.usesSdk) analysis.usesSdk = true;
    for (const declaration of model.declarations) {
      owner.set(declaration, file);
      declaration.file = file;
      declarations.push(declaration);
      analysis.declarations.push({ source: file, declaration });
    }
  }
  for (const { declaration, diagnostic } of checkResources(declarations, dialect)) analysis.files.get(owner.get(declaration)!)!.push(diagnostic);
  for (const diagnostics of analysis.files.values()) diagnostics.sort(compareDiagnostics);
  return analysis;
}
