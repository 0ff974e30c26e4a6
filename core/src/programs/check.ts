import type { Diagnostic } from '../diagnostics/types.js';
import { analyzeProgram, ProgramModelCache } from './analyze.js';
import { diskFiles, findProject, type ProgramFiles, type PulumiProject } from './project.js';

/**
 * The findings of program source files found on disk (`shoreline check`):
 * each file's Pulumi project is found once per folder and each program read
 * once; files that are not part of a program using a provider SDK get no entry.
 */
export async function checkProgramSources(sources: readonly string[], files: ProgramFiles = diskFiles): Promise<Map<string, Diagnostic[]>> {
  const projects = new Map<string, Promise<PulumiProject | undefined>>();
  const analyses = new Map<string, ReturnType<typeof analyzeProgram>>();
  const cache = new ProgramModelCache();
  const result = new Map<string, Diagnostic[]>();
  for (const source of sources) {
    const folder = source.slice(0, Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\')));
    if (!projects.has(folder)) projects.set(folder, findProject(source, files));
    const project = await projects.get(folder)!;
    if (!project?.entry) continue;
    if (!analyses.has(project.file)) analyses.set(project.file, analyzeProgram(project, files, cache));
    const analysis = await analyses.get(project.file)!;
    const findings = analysis.usesSdk ? analysis.files.get(source) : undefined;
    if (findings) result.set(source, findings);
  }
  return result;
}
