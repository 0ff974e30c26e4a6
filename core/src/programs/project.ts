import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize, relative, sep } from 'node:path';
import { decodeSource, MAX_FILE_BYTES } from '../check/source.js';
import { parseDocument } from 'yaml';
import { languageOfFile } from './grammar.js';

/**
 * Pulumi projects and their programs, as the Pulumi CLI finds them: the
 * nearest `Pulumi.yaml` above a file is its project; its `runtime` decides
 * the language and its `main` (a file or folder, default the project folder)
 * the entry point — `__main__.py` for Python, package.json's `main` or
 * `index.ts`/`index.js` for Node.js. The program is the entry and the local
 * modules it imports, transitively.
 */

export type ProgramRuntime = 'python' | 'nodejs';

export interface PulumiProject {
  /** The folder of Pulumi.yaml. */
  folder: string;
  file: string;
  runtime?: ProgramRuntime;
  /** The folder local imports resolve from (main's folder). */
  programFolder: string;
  /** The entry file, when it exists. */
  entry?: string;
}

/** How the program reader sees files: the disk, or the editor's open documents over it. */
export interface ProgramFiles {
  read(path: string): Promise<string | undefined>;
  isFile(path: string): Promise<boolean>;
}

/** The files on disk (text as `shoreline check` reads it: UTF-8, at most MAX_FILE_BYTES). */
export const diskFiles: ProgramFiles = {
  async read(path) {
    try {
      const info = await stat(path);
      if (!info.isFile() || info.size > MAX_FILE_BYTES) return undefined;
      return decodeSource(await readFile(path)).text;
    } catch {
      return undefined;
    }
  },
  async isFile(path) {
    try {
      return (await stat(path)).isFile();
    } catch {
      return false;
    }
  },
};

/** Open documents over another view of the files (the editor's unsaved text wins). */
export function overlayFiles(open: (path: string) => string | undefined, under: ProgramFiles = diskFiles): ProgramFiles {
  return {
    read: async (path) => open(path) ?? under.read(path),
    isFile: async (path) => open(path) !== undefined || under.isFile(path),
  };
}

export const PROJECT_FILES = ['Pulumi.yaml', 'Pulumi.yml'];

/** Folders never part of a program (dependencies, virtual environments, build output caches). */
const OUTSIDE_PROGRAMS = new Set(['node_modules', '.venv', 'venv', 'env', '.git', '__pycache__', '.pulumi', 'site-packages']);

/** The runtime named by Pulumi.yaml (`runtime: python`, or `runtime: { name: nodejs, options: ... }`). */
export function projectRuntime(text: string): { runtime?: string; main?: string } {
  try {
    const document = parseDocument(text, { uniqueKeys: false });
    const value = document.toJS() as { runtime?: unknown; main?: unknown } | null;
    const runtime = typeof value?.runtime === 'string' ? value.runtime : typeof (value?.runtime as { name?: unknown })?.name === 'string' ? (value!.runtime as { name: string }).name : undefined;
    return { ...(runtime ? { runtime } : {}), ...(typeof value?.main === 'string' ? { main: value.main } : {}) };
  } catch {
    return {};
  }
}

/** The nearest Pulumi project above a file (or in the folder given), if any. */
export async function findProject(path: string, files: ProgramFiles, { isFolder = false } = {}): Promise<PulumiProject | undefined> {
  let folder = isFolder ? path : dirname(path);
  for (let depth = 0; depth < 64; depth++) {
    for (const name of PROJECT_FILES) {
      const file = join(folder, name);
      const text = await files.read(file);
      if (text !== undefined) return readProject(file, text, files);
    }
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
  return undefined;
}

export async function readProject(file: string, text: string, files: ProgramFiles): Promise<PulumiProject> {
  const folder = dirname(file);
  const { runtime, main } = projectRuntime(text);
  const project: PulumiProject = { folder, file, programFolder: folder, ...(runtime === 'python' || runtime === 'nodejs' ? { runtime } : {}) };
  if (!project.runtime) return project;
  const target = main ? normalize(join(folder, main)) : folder;
  const isFile = main !== undefined && (await files.isFile(target));
  if (project.runtime === 'python') {
    const entry = isFile ? target : join(target, '__main__.py');
    project.programFolder = dirname(entry);
    if (await files.isFile(entry)) project.entry = entry;
    return project;
  }
  project.programFolder = isFile ? dirname(target) : target;
  const entry = isFile ? target : await nodeEntry(target, files);
  if (entry) project.entry = entry;
  return project;
}

/** Node's entry of a folder: package.json `main` (its TypeScript source when it names built output), else index.ts / index.js. */
async function nodeEntry(folder: string, files: ProgramFiles): Promise<string | undefined> {
  const pkg = await files.read(join(folder, 'package.json'));
  let main: unknown;
  try {
    main = pkg ? (JSON.parse(pkg) as { main?: unknown }).main : undefined;
  } catch {
    main = undefined;
  }
  if (typeof main === 'string' && main !== '') {
    const resolved = await resolveNodeModule(join(folder, main), files);
    if (resolved) return resolved;
  }
  return resolveNodeModule(join(folder, 'index'), files);
}

const NODE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx'];

/** A relative import's file, with the extensions TypeScript and Node try (a `.js` specifier may name the `.ts` source). */
async function resolveNodeModule(base: string, files: ProgramFiles): Promise<string | undefined> {
  const stem = /\.(m|c)?js$/.test(base) ? base.replace(/\.(m|c)?js$/, '') : undefined;
  const candidates = [
    ...(extname(base) && languageOfFile(base) ? [base] : []),
    ...(stem ? NODE_EXTENSIONS.map((extension) => stem + extension) : []),
    ...NODE_EXTENSIONS.map((extension) => base + extension),
    ...NODE_EXTENSIONS.map((extension) => join(base, `index${extension}`)),
  ];
  for (const candidate of candidates) if (await files.isFile(candidate)) return candidate;
  return undefined;
}

/** A Python import's file: `a.b` is a/b.py or a/b/__init__.py from the program folder; `.x` from the importing file's package. */
async function resolvePythonModule(module: string, from: string, project: PulumiProject, files: ProgramFiles): Promise<string | undefined> {
  const dots = module.match(/^\.*/)![0].length;
  let base = project.programFolder;
  if (dots > 0) {
    base = dirname(from);
    for (let level = 1; level < dots; level++) base = dirname(base);
  }
  const parts = module.slice(dots).split('.').filter(Boolean);
  const path = join(base, ...parts);
  for (const candidate of parts.length ? [`${path}.py`, join(path, '__init__.py')] : [join(path, '__init__.py')]) if (await files.isFile(candidate)) return candidate;
  // `import a.b` also runs a/__init__.py.
  return undefined;
}

/** Whether a file lies inside the project and outside dependency folders. */
export function insideProject(project: PulumiProject, file: string): boolean {
  const rel = relative(project.folder, file);
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep) || /^[A-Za-z]:/.test(rel)) return false;
  return !rel.split(sep).some((part) => OUTSIDE_PROGRAMS.has(part));
}

/** The file a local import names, inside the project, or undefined for packages and files elsewhere. */
export async function resolveImport(project: PulumiProject, from: string, specifier: string, files: ProgramFiles): Promise<string | undefined> {
  const resolved = project.runtime === 'python' ? await resolvePythonModule(specifier, from, project, files) : await resolveNodeModule(join(dirname(from), specifier), files);
  return resolved && insideProject(project, resolved) ? resolved : undefined;
}

/** Every package `__init__.py` on the way to a Python module (importing a.b.c runs a/__init__.py and a/b/__init__.py). */
export async function pythonPackageInits(project: PulumiProject, file: string, files: ProgramFiles): Promise<string[]> {
  const inits: string[] = [];
  for (let folder = dirname(file); insideProject(project, folder) && folder !== project.programFolder; folder = dirname(folder)) {
    const init = join(folder, '__init__.py');
    if (init !== file && (await files.isFile(init))) inits.push(init);
  }
  return inits;
}
