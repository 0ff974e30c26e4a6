export { analyzeModule, hclQuote, ModuleAnalysisState, type AnalyzeOptions } from './analyzer.js';
export { SchemaRegistry, KNOWN_PROVIDERS, impliedProvider } from './registry.js';
export {
  parseProviderSource,
  parseVersionConstraints,
  satisfies,
  versionsMatching,
  compareVersions,
  requiredProviders,
  type RequiredProvider,
  DEFAULT_REGISTRY_HOST,
  type ProviderSource,
  type VersionConstraint,
} from './versions.js';
export { dreamhostProvider, dreamhostRecordResource, dreamhostRecordData, dreamhostRecordsData, validateDreamhostType } from './providers/dreamhost.js';
export { TerraformRules } from './rules.js';
export { lagoonProvider, lagoonProjectKeyData } from './providers/lagoon.js';
export type * from './schema.js';
export { RESOURCE_META_ARGUMENTS, RESOURCE_META_BLOCKS, DATA_META_BLOCKS, TERRAFORM_FILE_BLOCKS, builtinBlock, DYNAMIC_BLOCK } from './builtin.js';
export {
  analyzeVariables,
  variablesModuleFolder,
  analyzeVariablesFile,
  analyzeVariablesJson,
  declaredVariables,
  knownVariables,
  conversionProblem,
  type VariableDeclaration,
  type PrimitiveType,
} from './variables.js';
export { moduleReferences, addressAt, isValidName, BUILTIN_ROOTS, type Declaration, type Reference, type ModuleReferences, type DeclarationKind } from './references.js';
