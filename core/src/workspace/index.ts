import { compareDiagnostics, type Diagnostic } from '../diagnostics/types.js';
import { readSource } from '../check/source.js';
import { reparseHcl } from '../hcl/incremental.js';
import { parseHcl } from '../hcl/parser.js';
import type { HclDocument } from '../hcl/types.js';
import { analyzeModule, ModuleAnalysisState } from '../terraform/analyzer.js';
import { knownVariables } from '../terraform/variables.js';
import type { SchemaRegistry } from '../terraform/registry.js';

interface WorkspaceFile {
  source: string;
  module: string;
  /** Text to analyse; undefined when the file cannot be analysed (binary, too large). */
  text?: string;
  /** Parsed lazily: edits only mark the file, the next analysis parses it. */
  document?: HclDocument;
  /** The document of the text before the last edit, for incremental re-parsing. */
  previous?: HclDocument;
  /** Problems with the file itself (encoding, size). */
  fileProblems: Diagnostic[];
}

/**
 * The Terraform files of a workspace grouped into modules (one folder, one
 * module), kept current by the editor's edits and the file system's changes.
 * Parsing is deferred until a module is analysed or a document is queried.
 */
export interface WorkspaceOptions {
  registry?: SchemaRegistry;
  /**
   * The memory parsed documents may take, estimated from their text (a
   * parsed document and what its module's analysis keeps of it are about
   * PARSED_BYTES_PER_CHARACTER times its text); beyond it the least recently
   * used of other modules are dropped, with their module's analysis state,
   * and parsed again when needed; the module of the file asked for stays
   * whole, whatever its size. Default 64 MiB: besides the module being
   * worked on, a few others stay parsed, and a server with 200 large files
   * open stays well under 300 MiB.
   */
  memoryBudgetBytes?: number;
}

/**
 * What a parsed document holds against its text's size: its model (~18
 * bytes per character) and its module's analysis state (~10), measured on
 * generated DreamHost and Route 53 modules of 100 and 2,000 records (a 250 KB
 * file: ~4.5 MB of model, ~2.5 MB of state).
 */
export const PARSED_BYTES_PER_CHARACTER = 28;

export class ModuleWorkspace {
  private readonly files = new Map<string, WorkspaceFile>();
  /** Module members that are not parsed (source → module). */
  private readonly unread = new Map<string, string>();
  /** The files of each module. */
  private readonly byModule = new Map<string, Set<WorkspaceFile>>();
  /** Files holding a parsed document, least recently used first. */
  private readonly parsedOrder = new Set<WorkspaceFile>();
  private parsedBytes = 0;
  /** What each module's last analysis kept for the next (see AnalyzeOptions.state). */
  private readonly analysisStates = new Map<string, ModuleAnalysisState>();
  private readonly registry: SchemaRegistry | undefined;
  private readonly budget: number;
  /** Documents parsed so far (fresh or incrementally): what tests and benchmarks count. */
  parses = 0;

  constructor(options: WorkspaceOptions = {}) {
    this.registry = options.registry;
    this.budget = Math.max(1, options.memoryBudgetBytes ?? 64 * 1024 * 1024);
  }

  private put(file: WorkspaceFile): void {
    const existing = this.files.get(file.source);
    if (existing) this.forget(existing);
    this.files.set(file.source, file);
    let members = this.byModule.get(file.module);
    if (!members) this.byModule.set(file.module, (members = new Set()));
    members.add(file);
  }

  private forget(file: WorkspaceFile): void {
    this.unparse(file);
    this.files.delete(file.source);
    const members = this.byModule.get(file.module);
    members?.delete(file);
    if (members?.size === 0) this.byModule.delete(file.module);
  }

  private unparse(file: WorkspaceFile): void {
    if (this.parsedOrder.delete(file)) this.parsedBytes -= (file.text?.length ?? 0) * PARSED_BYTES_PER_CHARACTER;
  }

  /** Sets the text of a file (an open editor's content, or the file read from disk). */
  setText(source: string, module: string, text: string, fileProblems: Diagnostic[] = []): void {
    const existing = this.files.get(source);
    const previous = existing?.document ?? existing?.previous;
    this.put({ source, module, text, fileProblems, ...(previous && existing?.module === module ? { previous } : {}) });
  }

  /** Reads a file from disk, reporting unreadable content as file problems. Returns false when it no longer exists. */
  async load(source: string, module: string, path = source): Promise<boolean> {
    try {
      const read = await readSource(path);
      this.put({ source, module, ...(read.text !== undefined ? { text: read.text } : {}), fileProblems: read.diagnostics });
      return true;
    } catch {
      this.remove(source);
      return false;
    }
  }

  /**
   * Records a file of the module that Shoreline does not parse (`.tf.json`):
   * while it is there, "declared nowhere" checks of the module are off.
   */
  setUnread(source: string, module: string): void {
    this.unread.set(source, module);
  }

  /**
   * Marks modules whose files other modules include by symbolic link
   * (Discovery.shared): what they refer to may be declared by those modules,
   * so their "declared nowhere" checks are off too.
   */
  markShared(modules: Iterable<string>): void {
    for (const module of modules) this.shared.add(module);
  }
  private readonly shared = new Set<string>();

  /** Whether the module has files Shoreline does not parse, or is a fragment other modules include. */
  isIncomplete(module: string): boolean {
    if (this.shared.has(module)) return true;
    for (const owner of this.unread.values()) if (owner === module) return true;
    return false;
  }

  remove(source: string): string | undefined {
    const unreadModule = this.unread.get(source);
    if (unreadModule !== undefined) {
      this.unread.delete(source);
      return unreadModule;
    }
    const file = this.files.get(source);
    if (file) this.forget(file);
    if (file && !this.byModule.has(file.module)) this.analysisStates.delete(file.module);
    return file?.module;
  }

  has(source: string): boolean {
    return this.files.has(source);
  }

  moduleOf(source: string): string | undefined {
    return this.files.get(source)?.module;
  }

  sources(module: string): string[] {
    return [...(this.byModule.get(module) ?? [])].map((file) => file.source);
  }

  modules(): string[] {
    return [...this.byModule.keys()];
  }

  /** The variable declarations a variables file of `module` is checked against (undefined: not all known). */
  variables(module: string): ReturnType<typeof knownVariables> {
    return knownVariables(this.documents(module), { incomplete: this.isIncomplete(module) });
  }

  /** How much is parsed now, and how often documents were parsed: for tests and benchmarks. */
  stats(): { files: number; parsed: number; parsedBytes: number; parses: number } {
    return { files: this.files.size, parsed: this.parsedOrder.size, parsedBytes: this.parsedBytes, parses: this.parses };
  }

  get size(): number {
    return this.files.size;
  }

  private parsed(file: WorkspaceFile): HclDocument | undefined {
    if (file.text === undefined) return undefined;
    if (!file.document) {
      file.document = file.previous ? reparseHcl(file.previous, file.text, { source: file.source }) : parseHcl(file.text, { source: file.source });
      delete file.previous;
      this.parses++;
    }
    this.unparse(file);
    this.parsedOrder.add(file);
    this.parsedBytes += file.text.length * PARSED_BYTES_PER_CHARACTER;
    // The least recently used go first; the one just asked for, and the rest of its module, always stay:
    // a module is analysed whole, so dropping one of its files would only mean parsing it again for the next edit.
    for (const oldest of this.parsedOrder) {
      if (this.parsedBytes <= this.budget || oldest === file) break;
      if (oldest.module === file.module) continue;
      this.unparse(oldest);
      delete oldest.document;
      // The module's analysis state holds parts of the document: it goes too, or it would keep them alive past the budget.
      this.analysisStates.delete(oldest.module);
    }
    return file.document;
  }

  document(source: string): HclDocument | undefined {
    const file = this.files.get(source);
    return file && this.parsed(file);
  }

  /** The parsed documents of a module. */
  documents(module: string): HclDocument[] {
    const documents: HclDocument[] = [];
    for (const file of this.byModule.get(module) ?? []) {
      const document = this.parsed(file);
      if (document) documents.push(document);
    }
    return documents;
  }

  /** Findings for every file of a module, including those with no findings (so stale ones can be cleared). */
  analyze(module: string): Map<string, Diagnostic[]> {
    let state = this.analysisStates.get(module);
    if (!state) this.analysisStates.set(module, (state = new ModuleAnalysisState()));
    const results = analyzeModule(this.documents(module), { ...(this.registry ? { registry: this.registry } : {}), incomplete: this.isIncomplete(module), state });
    const byFile = new Map<string, Diagnostic[]>();
    for (const file of this.byModule.get(module) ?? []) {
      byFile.set(file.source, [...file.fileProblems, ...(results.get(file.source) ?? [])].sort(compareDiagnostics));
    }
    return byFile;
  }
}
