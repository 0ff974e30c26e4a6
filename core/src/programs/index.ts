export { analyzeProgram, readProgramFile, editBetween, ProgramModelCache, sharedProgramCache, MAX_PROGRAM_FILES, type ProgramAnalysis } from './analyze.js';
export { completeProgram, hoverProgram } from './language.js';
export { ProgramWorkspace } from './workspace.js';
export { checkProgramSources } from './check.js';
export { diskFiles, overlayFiles, findProject, readProject, projectRuntime, insideProject, PROJECT_FILES, type ProgramFiles, type ProgramRuntime, type PulumiProject } from './project.js';
export { PROGRAM_SDKS, pythonName, PYTHON_DIALECT, TYPESCRIPT_DIALECT, type ProgramSdk, type SdkClass } from './sdks.js';
export { languageOfFile, loadedGrammars, GRAMMAR_FILES, packagedGrammarPath, type ProgramLanguage } from './grammar.js';
export type { ProgramFileModel, CallSite } from './model.js';
