import '../lagoon/rules.js';
import { diagnosticOf } from '../diagnostics/make.js';
import { compareDiagnostics, type Diagnostic } from '../diagnostics/types.js';
import { checkResources, type ResourceDeclaration } from '../lagoon/resource-checks.js';
import { languageOfFile, parseProgram } from './grammar.js';
import type { ProgramFileModel } from './model.js';
import { pythonPackageInits, resolveImport, type ProgramFiles, type PulumiProject } from './project.js';
import { readPython } from './python.js';
import { PYTHON_DIALECT, TYPESCRIPT_DIALECT } from './sdks.js';
import { readTypeScript } from './typescript.js';

/** A program has at most this many files read (a bound for generated or vendored trees). */
export const MAX_PROGRAM_FILES = 2000;

/** Reads one program file's text into its model (parse, read, free the tree). */
export async function readProgramFile(fileName: string, text: string): Promise<ProgramFileModel | undefined> {
  const language = languageOfFile(fileName);
  if (!language) return undefined;
  const tree = await parseProgram(language, text);
  try {
    return language === 'python' ? readPython(tree) : readTypeScript(tree);
  } finally {
    tree.delete();
  }
}

/**
 * Models by file text: an edit re-reads only the file that changed. Bounded,
 * oldest first out, so a long session does not grow without end.
 */
export class ProgramModelCache {
  private readonly entries = new Map<string, { text: string; model: ProgramFileModel | undefined }>();
  constructor(private readonly capacity = 4000) {}

  async model(fileName: string, text: string): Promise<ProgramFileModel | undefined> {
    const cached = this.entries.get(fileName);
    if (cached && cached.text === text) {
      this.entries.delete(fileName);
      this.entries.set(fileName, cached);
      return cached.model;
    }
    const model = await readProgramFile(fileName, text);
    this.entries.delete(fileName);
    this.entries.set(fileName, { text, model });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return model;
  }

  forget(fileName: string): void {
    this.entries.delete(fileName);
  }
}

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
      declarations.push(declaration);
      analysis.declarations.push({ source: file, declaration });
    }
  }
  for (const { declaration, diagnostic } of checkResources(declarations, dialect)) analysis.files.get(owner.get(declaration)!)!.push(diagnostic);
  for (const diagnostics of analysis.files.values()) diagnostics.sort(compareDiagnostics);
  return analysis;
}
