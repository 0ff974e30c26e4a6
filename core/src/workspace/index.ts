import { compareDiagnostics, type Diagnostic } from '../diagnostics/types.js';
import { readSource } from '../check/source.js';
import { reparseHcl } from '../hcl/incremental.js';
import { parseHcl } from '../hcl/parser.js';
import type { HclDocument } from '../hcl/types.js';
import { analyzeModule } from '../terraform/analyzer.js';
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
   * How many parsed documents are kept; others are parsed again when needed.
   * Bounds memory with many large files open (a 250 KB file's model is ~6 MB).
   */
  maxParsedDocuments?: number;
}

export class ModuleWorkspace {
  private readonly files = new Map<string, WorkspaceFile>();
  /** Module members that are not parsed (source → module). */
  private readonly unread = new Map<string, string>();
  /** Files holding a parsed document, least recently used first. */
  private readonly parsedOrder = new Set<WorkspaceFile>();
  private readonly registry: SchemaRegistry | undefined;
  private readonly maxParsed: number;

  constructor(options: WorkspaceOptions = {}) {
    this.registry = options.registry;
    this.maxParsed = Math.max(1, options.maxParsedDocuments ?? 12);
  }

  /** Sets the text of a file (an open editor's content, or the file read from disk). */
  setText(source: string, module: string, text: string, fileProblems: Diagnostic[] = []): void {
    const existing = this.files.get(source);
    const previous = existing?.document ?? existing?.previous;
    if (existing) this.parsedOrder.delete(existing);
    this.files.set(source, { source, module, text, fileProblems, ...(previous && existing?.module === module ? { previous } : {}) });
  }

  /** Reads a file from disk, reporting unreadable content as file problems. Returns false when it no longer exists. */
  async load(source: string, module: string, path = source): Promise<boolean> {
    try {
      const read = await readSource(path);
      const existing = this.files.get(source);
      if (existing) this.parsedOrder.delete(existing);
      this.files.set(source, { source, module, ...(read.text !== undefined ? { text: read.text } : {}), fileProblems: read.diagnostics });
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

  /** Whether the module has files Shoreline does not parse. */
  isIncomplete(module: string): boolean {
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
    if (file) this.parsedOrder.delete(file);
    this.files.delete(source);
    return file?.module;
  }

  has(source: string): boolean {
    return this.files.has(source);
  }

  moduleOf(source: string): string | undefined {
    return this.files.get(source)?.module;
  }

  sources(module: string): string[] {
    return [...this.files.values()].filter((file) => file.module === module).map((file) => file.source);
  }

  modules(): string[] {
    return [...new Set([...this.files.values()].map((file) => file.module))];
  }

  /** The variable declarations a variables file of `module` is checked against (undefined: not all known). */
  variables(module: string): ReturnType<typeof knownVariables> {
    return knownVariables(this.documents(module), { incomplete: this.isIncomplete(module) });
  }

  get size(): number {
    return this.files.size;
  }

  private parsed(file: WorkspaceFile): HclDocument | undefined {
    if (file.text === undefined) return undefined;
    if (!file.document) {
      file.document = file.previous ? reparseHcl(file.previous, file.text, { source: file.source }) : parseHcl(file.text, { source: file.source });
      delete file.previous;
    }
    this.parsedOrder.delete(file);
    this.parsedOrder.add(file);
    for (const oldest of this.parsedOrder) {
      if (this.parsedOrder.size <= this.maxParsed) break;
      this.parsedOrder.delete(oldest);
      delete oldest.document;
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
    for (const file of this.files.values()) {
      if (file.module !== module) continue;
      const document = this.parsed(file);
      if (document) documents.push(document);
    }
    return documents;
  }

  /** Findings for every file of a module, including those with no findings (so stale ones can be cleared). */
  analyze(module: string): Map<string, Diagnostic[]> {
    const results = analyzeModule(this.documents(module), { ...(this.registry ? { registry: this.registry } : {}), incomplete: this.isIncomplete(module) });
    const byFile = new Map<string, Diagnostic[]>();
    for (const file of this.files.values()) {
      if (file.module !== module) continue;
      byFile.set(file.source, [...file.fileProblems, ...(results.get(file.source) ?? [])].sort(compareDiagnostics));
    }
    return byFile;
  }
}
