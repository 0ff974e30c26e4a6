import { relative } from 'node:path';
import { compareDiagnostics, type Diagnostic } from '../diagnostics/types.js';
import { parseHcl } from '../hcl/parser.js';
import type { HclDocument } from '../hcl/types.js';
import { isUnreadModuleMember, kindOf } from '../kinds/index.js';
import { analyzeModule } from '../terraform/analyzer.js';
import { analyzeVariables, knownVariables, variablesModuleFolder } from '../terraform/variables.js';
import { discover, type InputError } from './files.js';
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

interface VariablesFile {
  folder: string;
  source: string;
  text: string;
  json: boolean;
}

/** Analyses every configuration under `paths`, module by module (the engine of `shoreline check`). */
export async function checkPaths(paths: readonly string[], options: CheckOptions = {}): Promise<CheckResult> {
  const cwd = options.cwd ?? process.cwd();
  const { modules, errors, direct, shared } = await discover(paths.length ? paths : ['.'], cwd);
  const programSources: string[] = [];
  const problems = new Map<string, Diagnostic[]>();
  const moduleDocuments = new Map<string, HclDocument[]>();
  const variablesFiles: VariablesFile[] = [];
  // What a module declares may be elsewhere: in files Shoreline does not read, or (for files other modules include by link) in those modules.
  const isIncomplete = (folder: string) => shared.has(folder) || hasUnreadDeclarations(modules.get(folder));
  for (const [folder, moduleFiles] of modules) {
    /** The module's .tf texts by source, parsed one at a time by the analysis. */
    const texts = new Map<string, string>();
    const incomplete = isIncomplete(folder);
    for (const file of moduleFiles) {
      const kind = kindOf(file);
      const source = displayPath(file, cwd);
      if (kind === 'pulumi-program') {
        // Read with its program below: whether it is one is for its Pulumi project to say.
        programSources.push(file);
        continue;
      }
      // Not analysed, but part of the module: what it declares is unknown to the checks below (isIncomplete).
      if (isUnreadModuleMember(kind)) continue;
      let read;
      try {
        read = await readSource(file);
      } catch (error) {
        errors.push({ path: source, message: `cannot read file: ${(error as Error).message}` });
        continue;
      }
      problems.set(source, [...read.diagnostics]);
      if (read.text === undefined) continue;
      if (kind === 'pulumi-yaml' || kind === 'lagoon-yml') {
        // Loaded only when there is YAML to check: a Terraform-only run starts faster.
        const { analyzeYamlConfig } = await import('../lagoon/config.js');
        problems.get(source)!.push(...(analyzeYamlConfig(file, read.text, source) ?? []));
      } else if (kind === 'terraform-vars' || kind === 'terraform-vars-json') {
        variablesFiles.push({ folder, source, text: read.text, json: kind === 'terraform-vars-json' });
      } else {
        texts.set(source, read.text);
      }
    }
    if (texts.size === 0) continue;
    // What a variables file is checked against: the variable blocks and syntax errors of each document, not its whole tree.
    const declarations: HclDocument[] = [];
    const load = (source: string): HclDocument => {
      const document = parseHcl(texts.get(source)!, { source });
      texts.delete(source);
      declarations.push({ ...document, body: { attributes: [], blocks: document.body.blocks.filter((block) => block.type === 'variable') } });
      return document;
    };
    for (const [source, findings] of analyzeModule({ sources: [...texts.keys()], load }, { incomplete })) problems.get(source)!.push(...findings);
    moduleDocuments.set(folder, declarations);
  }
  for (const file of variablesFiles) {
    // terraform.tfvars and *.auto.tfvars belong to the module beside them; a variables file in a folder
    // of its own (envs/prod.tfvars) to the module of the folder above. Without either, only its shape is checked.
    const moduleFolder = variablesModuleFolder(file.folder, (folder) => moduleDocuments.has(folder));
    const declared = knownVariables(moduleDocuments.get(moduleFolder), { incomplete: isIncomplete(moduleFolder) });
    const findings = analyzeVariables(file.text, file.source, declared, { json: file.json });
    problems.get(file.source)!.push(...findings);
  }
  if (programSources.length) {
    // Loaded only when there are program files: the grammars cost nothing otherwise.
    const { checkProgramSources } = await import('../programs/check.js');
    const { PROGRAM_SDKS } = await import('../programs/sdks.js');
    for (const [file, findings] of await checkProgramSources(programSources)) problems.set(displayPath(file, cwd), findings);
    for (const [absolute, given] of direct) {
      if (kindOf(absolute) === 'pulumi-program' && !problems.has(displayPath(absolute, cwd)))
        errors.push({
          path: given,
          message: `not part of a Pulumi program Shoreline reads: no Pulumi.yaml with runtime python or nodejs above it whose program imports this file and one of the provider SDKs (${PROGRAM_SDKS.flatMap((sdk) => [...sdk.pythonModules, ...sdk.npmPackages]).join(', ')})`,
        });
    }
  }
  const files: FileReport[] = [...problems].map(([path, diagnostics]) => ({ path, diagnostics: diagnostics.sort(compareDiagnostics) }));
  return { files, errors };
}

/** A module with `.tf.json` or `.tfquery.hcl` files may declare variables Shoreline does not read. */
function hasUnreadDeclarations(files: readonly string[] | undefined): boolean {
  return !!files?.some((file) => isUnreadModuleMember(kindOf(file)));
}
