import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { DOCUMENT_KINDS, kindInfo, kindOf, type DocumentKind } from '../kinds/index.js';

/** Folders never entered: provider caches, dependencies, VCS metadata. */
export const SKIPPED_FOLDERS: readonly string[] = ['.terraform', 'node_modules', '.git'];

/** The configuration kinds `shoreline check` reads, by file name (see core/src/kinds). */
export type ConfigKind = DocumentKind;

/** Whether a file name is a YAML configuration Shoreline analyses (Pulumi program or .lagoon.yml). */
export function isYamlConfig(fileName: string): boolean {
  const kind = kindOf(fileName);
  return kind !== undefined && kindInfo(kind).syntax === 'yaml';
}

/** The kind of a file by its name (the kinds registry's kindOf, under the name the check API has always had). */
export const configKind: (fileName: string) => ConfigKind | undefined = kindOf;

export interface InputError {
  path: string;
  message: string;
}

export interface Discovery {
  /** Absolute file paths grouped by folder: each folder's .tf files are one Terraform module. */
  modules: Map<string, string[]>;
  errors: InputError[];
  /** Files named on the command line themselves (not found in a folder): a program source among them that belongs to no program is an error. */
  direct: Map<string, string>;
  /**
   * Module folders whose files other modules include by symbolic link (a
   * test fixture's `shared/network.tf` linked into each fixture): fragments
   * of those modules, where what a file refers to may be declared by the
   * module that includes it.
   */
  shared: Set<string>;
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'not a folder';
  return (error as Error).message;
}

/** Finds the configuration files under `paths` (files or folders, folders recursively). */
export async function discover(paths: readonly string[], cwd = process.cwd()): Promise<Discovery> {
  const modules = new Map<string, string[]>();
  const errors: InputError[] = [];
  const direct = new Map<string, string>();
  /** Symbolic links to files: the folder of the link, and the real folder of the file it points to. */
  const links: { from: string; to: string }[] = [];
  const add = (file: string) => {
    const folder = dirname(file);
    const list = modules.get(folder) ?? [];
    if (!list.includes(file)) list.push(file);
    modules.set(folder, list);
  };
  const walk = async (folder: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      errors.push({ path: folder, message: `cannot read folder: ${describeFsError(error)}` });
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = join(folder, entry.name);
      // Symbolic links to folders are not followed (no cycles); links to files are read.
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.includes(entry.name)) await walk(full);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && kindOf(entry.name)) {
        if (entry.isSymbolicLink()) {
          const target = await stat(full).catch(() => undefined);
          if (!target?.isFile()) continue;
          const linked = await realpath(full).catch(() => undefined);
          if (linked !== undefined) links.push({ from: folder, to: dirname(linked) });
        }
        add(full);
      }
    }
  };
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    let info;
    try {
      info = await lstat(absolute);
      if (info.isSymbolicLink()) info = await stat(absolute);
    } catch (error) {
      errors.push({ path, message: describeFsError(error) });
      continue;
    }
    if (info.isDirectory()) await walk(absolute);
    else if (info.isFile()) {
      if (kindOf(absolute)) {
        add(absolute);
        direct.set(absolute, path);
      } else errors.push({ path, message: `not a configuration file Shoreline reads (${DOCUMENT_KINDS.map((info) => info.globs.join(', ').replaceAll('**/', '')).join(', ')})` });
    } else errors.push({ path, message: 'not a regular file or folder' });
  }
  for (const files of modules.values()) files.sort();
  const shared = new Set<string>();
  if (links.length > 0) {
    const real = new Map<string, string>();
    const realOf = async (folder: string) => real.get(folder) ?? real.set(folder, await realpath(folder).catch(() => folder)).get(folder)!;
    // A folder whose files links in another folder point to (a link within one folder is another name, not an inclusion).
    const included = new Set<string>();
    for (const link of links) if ((await realOf(link.from)) !== link.to) included.add(link.to);
    for (const folder of modules.keys()) if (included.has(await realOf(folder))) shared.add(folder);
  }
  return { modules: new Map([...modules].sort(([a], [b]) => a.localeCompare(b))), errors, direct, shared };
}
