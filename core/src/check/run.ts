import { relative } from 'node:path';
import { compareDiagnostics, type Diagnostic } from '../diagnostics/types.js';
import { parseHcl } from '../hcl/parser.js';
import type { HclDocument } from '../hcl/types.js';
import { analyzeModule } from '../terraform/analyzer.js';
import { discover, isYamlConfig, type InputError } from './files.js';
import { readSource } from './source.js';

export interface FileReport {
  /** Path as given to the user: relative to the working folder when inside it. */
  path: string;
  diagnostics: Diagnostic[];
}

export interface CheckResult {
  files: FileReport[];
  /** Paths that could not be read at all. */
  errors: InputError[];
}

export interface CheckOptions {
  cwd?: string;
}

function displayPath(absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute);
  return rel && !rel.startsWith('..') ? rel : absolute;
}

/** Analyses every configuration under `paths`, module by module (the engine of `shoreline check`). */
export async function checkPaths(paths: readonly string[], options: CheckOptions = {}): Promise<CheckResult> {
  const cwd = options.cwd ?? process.cwd();
  const { modules, errors } = await discover(paths.length ? paths : ['.'], cwd);
  const files: FileReport[] = [];
  for (const moduleFiles of modules.values()) {
    const documents: HclDocument[] = [];
    const fileProblems = new Map<string, Diagnostic[]>();
    for (const file of moduleFiles) {
      const source = displayPath(file, cwd);
      let read;
      try {
        read = await readSource(file);
      } catch (error) {
        errors.push({ path: source, message: `cannot read file: ${(error as Error).message}` });
        continue;
      }
      if (isYamlConfig(file)) {
        // Loaded only when there is YAML to check: a Terraform-only run starts faster.
        const { analyzeYamlConfig } = await import('../lagoon/config.js');
        const yamlFindings = read.text !== undefined ? (analyzeYamlConfig(file, read.text, source) ?? []) : [];
        fileProblems.set(source, [...read.diagnostics, ...yamlFindings]);
        continue;
      }
      fileProblems.set(source, read.diagnostics);
      if (read.text !== undefined) documents.push(parseHcl(read.text, { source }));
    }
    const analysed = analyzeModule(documents);
    for (const [source, problems] of fileProblems) {
      files.push({ path: source, diagnostics: [...problems, ...(analysed.get(source) ?? [])].sort(compareDiagnostics) });
    }
  }
  return { files, errors };
}
