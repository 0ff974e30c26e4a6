import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';
import type { Diagnostic, Range } from '../diagnostics/types.js';
import { buildDocument } from './document.js';
import type { HclDocument } from './types.js';

export const RUNTIME_WASM = 'tree-sitter.wasm';
export const GRAMMAR_WASM = 'tree-sitter-terraform.wasm';

/** Parsing stops after this long; the file is then reported instead of analysed. */
export const DEFAULT_PARSE_TIMEOUT_MS = 10_000;

/**
 * Finds a wasm file: beside this module first (the esbuild bundles ship them in
 * dist/), then in the installed packages.
 */
function locateWasm(file: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, file);
  if (existsSync(beside)) return beside;
  const require = createRequire(import.meta.url);
  return file === RUNTIME_WASM ? require.resolve('web-tree-sitter/tree-sitter.wasm') : require.resolve(`@tree-sitter-grammars/tree-sitter-hcl/${file}`);
}

let languagePromise: Promise<Language> | undefined;

async function loadLanguage(): Promise<Language> {
  await Parser.init({ locateFile: () => locateWasm(RUNTIME_WASM) });
  return Language.load(locateWasm(GRAMMAR_WASM));
}

export interface ParseOptions {
  /** A tree of the previous text, already `edit()`ed, for incremental parsing. */
  previousTree?: Tree;
  timeoutMs?: number;
}

/** An error-tolerant HCL parser with exact source ranges (tree-sitter). Create with `HclParser.create()`. */
export class HclParser {
  private constructor(private readonly parser: Parser) {}

  static async create(): Promise<HclParser> {
    languagePromise ??= loadLanguage();
    const language = await languagePromise;
    const parser = new Parser();
    parser.setLanguage(language);
    return new HclParser(parser);
  }

  /** Parses to a syntax tree, which the caller must `delete()`. Undefined when the time limit ran out. */
  parseTree(text: string, options: ParseOptions = {}): Tree | undefined {
    const deadline = performance.now() + (options.timeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS);
    const tree = this.parser.parse(text, options.previousTree ?? null, {
      progressCallback: () => performance.now() > deadline,
    });
    return tree ?? undefined;
  }

  /** Parses `text` into a document model; `source` names it in findings. */
  parse(text: string, source = '', options: ParseOptions = {}): HclDocument {
    const tree = this.parseTree(text, options);
    if (!tree) return timedOutDocument(text, source, options.timeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS);
    try {
      return buildDocument(tree.rootNode, text, source);
    } finally {
      tree.delete();
    }
  }

  /** Builds the document model from a tree the caller keeps (for incremental re-parsing). */
  documentFromTree(tree: Tree, text: string, source = ''): HclDocument {
    return buildDocument(tree.rootNode as Node, text, source);
  }

  dispose(): void {
    this.parser.delete();
  }
}

function timedOutDocument(text: string, source: string, timeoutMs: number): HclDocument {
  const range: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const diagnostic: Diagnostic = {
    range,
    severity: 'error',
    code: 'hcl/parse-timeout',
    source: 'shoreline',
    message: `parsing took longer than ${timeoutMs / 1000} s and was stopped; the file was not analysed`,
  };
  return { source, text, body: { attributes: [], blocks: [] }, diagnostics: [diagnostic] };
}
