export { checkPaths, type CheckResult, type CheckOptions, type FileReport } from './run.js';
export { discover, configKind, SKIPPED_FOLDERS, type Discovery, type InputError, type ConfigKind } from './files.js';
export { readSource, decodeSource, firstInvalidUtf8, MAX_FILE_BYTES, type SourceText } from './source.js';
export { formatText, formatJson, formatSarif, countBySeverity, OUTPUT_FORMATS, type OutputFormat } from './format.js';
