import { dirname } from 'node:path';
import { analyzeProgram, sharedProgramCache, type ProgramAnalysis, type ProgramModelCache } from './analyze.js';
import { findProject, insideProject, PROJECT_FILES, readProject, type ProgramFiles, type PulumiProject } from './project.js';

/**
 * The Pulumi programs of an editor session: which project each program file
 * belongs to (found once per folder), and each program's last analysis. A
 * change to one file re-reads only that file; its program is checked again
 * as a whole (a duplicate or an import can be in another file).
 */
export class ProgramWorkspace {
  private readonly projects = new Map<string, Promise<PulumiProject | undefined>>();
  private readonly analyses = new Map<string, ProgramAnalysis>();
  constructor(
    private readonly files: ProgramFiles,
    /** Shared with completion and hover: an edit is parsed once. */
    private readonly cache: ProgramModelCache = sharedProgramCache,
  ) {}

  /** The Pulumi project above a file (nearest Pulumi.yaml). */
  projectOf(source: string): Promise<PulumiProject | undefined> {
    const folder = dirname(source);
    let project = this.projects.get(folder);
    if (!project) {
      project = findProject(source, this.files);
      this.projects.set(folder, project);
    }
    return project;
  }

  /** The project a Pulumi.yaml describes. */
  async projectFile(file: string): Promise<PulumiProject | undefined> {
    const text = await this.files.read(file);
    return text === undefined ? undefined : readProject(file, text, this.files);
  }

  /** A Pulumi.yaml or package.json changed (or appeared): projects and entries are found again. */
  forgetProjects(): void {
    this.projects.clear();
  }

  /** A file's text changed outside the editor, or it was deleted. */
  forgetFile(source: string): void {
    this.cache.forget(source);
  }

  /** Analyses a project's program; its files and findings (none when it uses no provider SDK). */
  async analyze(project: PulumiProject): Promise<ProgramAnalysis> {
    const analysis = await analyzeProgram(project, this.files, this.cache);
    this.analyses.set(project.file, analysis);
    return analysis;
  }

  /** The last analysis of the program a file is part of, if it uses a provider SDK. */
  analysisOf(source: string): ProgramAnalysis | undefined {
    for (const analysis of this.analyses.values()) if (analysis.usesSdk && analysis.files.has(source)) return analysis;
    return undefined;
  }

  /**
   * The analysed project a file on disk can matter to (it lies inside the
   * project, outside dependency folders): a watched change elsewhere, such
   * as an npm install, starts no analysis.
   */
  projectContaining(source: string): PulumiProject | undefined {
    return [...this.analyses.values()].find((analysis) => insideProject(analysis.project, source))?.project;
  }

  /** Programs analysed so far, by project file. */
  analysed(): ProgramAnalysis[] {
    return [...this.analyses.values()];
  }

  /** Forgets a project's analysis (its Pulumi.yaml is gone). */
  drop(projectFile: string): ProgramAnalysis | undefined {
    const analysis = this.analyses.get(projectFile);
    this.analyses.delete(projectFile);
    return analysis;
  }

  static isProjectFile(source: string): boolean {
    return PROJECT_FILES.some((name) => source.endsWith(`/${name}`) || source.endsWith(`\\${name}`));
  }
}
