/** Shoreline core: DNS and Terraform validation with exact source ranges; no editor dependencies. */
export * from './diagnostics/index.js';
export * from './dns/index.js';
export * from './hcl/index.js';
export * from './kinds/index.js';
export { checkLiteral, propertyDocs, typeProblem, describeLiteral, type PropertySchema, type PropertyMode, type ValueType, type LiteralCodes } from './schema/index.js';
export * from './terraform/index.js';
export * from './check/index.js';
export * from './language/index.js';
export * from './workspace/index.js';
export * from './yaml/index.js';
export * from './lagoon/index.js';
export { HttpClient, HttpError, type HttpClientOptions, type HttpRequest, type HttpResponse, type HttpLogEvent } from './http/index.js';
export * from './dreamhost/index.js';
export * from './registry/index.js';
export { LiveData, LiveRules, declaredSources, liveProgramDiagnostics, liveResourceFindings, type LiveDataOptions, type LiveSourceStatus } from './live/index.js';
export * from './programs/index.js';
export * from './format/index.js';
