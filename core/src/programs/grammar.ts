import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Language, Parser, Tree } from 'web-tree-sitter';

/**
 * The tree-sitter grammars of program languages, loaded on first use only: a
 * Terraform-only workspace never pays for them. The WebAssembly files come
 * from the grammar packages on npm (tree-sitter-python, tree-sitter-typescript,
 * tree-sitter-javascript); the bundled CLI carries copies in `dist/grammars/`.
 */

export type ProgramLanguage = 'python' | 'typescript' | 'tsx' | 'javascript';

/** The WebAssembly file of each grammar, as its package ships it. */
export const GRAMMAR_FILES: Record<ProgramLanguage | 'runtime', { pkg: string; file: string }> = {
  runtime: { pkg: 'web-tree-sitter', file: 'tree-sitter.wasm' },
  python: { pkg: 'tree-sitter-python', file: 'tree-sitter-python.wasm' },
  typescript: { pkg: 'tree-sitter-typescript', file: 'tree-sitter-typescript.wasm' },
  tsx: { pkg: 'tree-sitter-typescript', file: 'tree-sitter-tsx.wasm' },
  javascript: { pkg: 'tree-sitter-javascript', file: 'tree-sitter-javascript.wasm' },
};

/** A grammar file in its npm package (the build copies it from there). */
export function packagedGrammarPath(name: ProgramLanguage | 'runtime'): string {
  const { pkg, file } = GRAMMAR_FILES[name];
  const require = createRequire(import.meta.url);
  return name === 'runtime' ? require.resolve(`${pkg}/${file}`) : join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

/** Where a grammar file is: beside the bundle (dist/grammars), else in its npm package. */
function grammarPath(name: ProgramLanguage | 'runtime'): string {
  const { file } = GRAMMAR_FILES[name];
  const here = dirname(fileURLToPath(import.meta.url));
  for (const folder of [join(here, 'grammars'), join(here, '..', 'grammars')]) {
    if (existsSync(join(folder, file))) return join(folder, file);
  }
  return packagedGrammarPath(name);
}

interface Loaded {
  Parser: typeof Parser;
  languages: Map<ProgramLanguage, Promise<Language>>;
  Language: typeof Language;
}

let runtime: Promise<Loaded> | undefined;

function loadRuntime(): Promise<Loaded> {
  runtime ??= (async () => {
    const module = await import('web-tree-sitter');
    await module.Parser.init({ locateFile: () => grammarPath('runtime') });
    return { Parser: module.Parser, Language: module.Language, languages: new Map() };
  })();
  return runtime;
}

/** A parser for one language; parsers are reused (tree-sitter parsers are not thread-bound, and Node is single-threaded). */
const parsers = new Map<ProgramLanguage, Parser>();

export async function parserFor(language: ProgramLanguage): Promise<Parser> {
  const existing = parsers.get(language);
  if (existing) return existing;
  const loaded = await loadRuntime();
  let grammar = loaded.languages.get(language);
  if (!grammar) {
    grammar = loaded.Language.load(grammarPath(language));
    loaded.languages.set(language, grammar);
  }
  const parser = new loaded.Parser();
  parser.setLanguage(await grammar);
  parsers.set(language, parser);
  return parser;
}

/** Parses a program file, error-tolerantly: a syntax error leaves ERROR nodes, the rest is still read. */
export async function parseProgram(language: ProgramLanguage, text: string, previous?: Tree): Promise<Tree> {
  const parser = await parserFor(language);
  const tree = parser.parse(text, previous ?? null);
  if (!tree) throw new Error(`tree-sitter could not parse the ${language} text`);
  return tree;
}

/** The grammar for a file name (by extension). */
export function languageOfFile(fileName: string): ProgramLanguage | undefined {
  if (/\.py$/.test(fileName)) return 'python';
  if (/\.(ts|mts|cts)$/.test(fileName)) return /\.d\.[mc]?ts$/.test(fileName) ? undefined : 'typescript';
  if (/\.tsx$/.test(fileName)) return 'tsx';
  if (/\.(js|mjs|cjs|jsx)$/.test(fileName)) return 'javascript';
  return undefined;
}

/** The languages whose grammars this process has loaded (none until a program file is read). */
export function loadedGrammars(): ProgramLanguage[] {
  return [...parsers.keys()];
}
