export {
  LAGOON_RESOURCES,
  LAGOON_TOKEN_PREFIX,
  lagoonResource,
  VARIABLE_SCOPES,
  DEPLOY_TYPES,
  ENVIRONMENT_TYPES,
  NOTIFICATION_TYPES,
  GROUP_ROLES,
  PLATFORM_ROLES,
  TASK_PERMISSIONS,
  ROUTE_INSECURE,
  ROUTE_TYPES,
} from './schema.js';
export type { LagoonResource, LagoonProperty, LagoonPropertyType, LagoonFormat } from './schema.js';
export { checkFormat } from './formats.js';
export { analyzePulumiProgram, DREAMHOST_PULUMI_TOKENS } from './pulumi.js';
export { LagoonRules } from './rules.js';
export { analyzeLagoonYml, lagoonYmlKeysAt, lagoonYmlSpecAt, LagoonYmlRules } from './lagoon-yml.js';
export { lagoonSchedule, goDurationSeconds, IN_POD_CEILING_MINUTES, type LagoonSchedule } from './cron.js';
export { analyzeYamlConfig, isYamlConfig } from './config.js';
export {
  LagoonApi,
  LagoonApiError,
  mintLagoonToken,
  type LagoonApiOptions,
  type LagoonDeployTarget,
  type LagoonProjectSummary,
  type LagoonEnvironmentSummary,
  type LagoonVariable,
  type LagoonErrorKind,
} from './api.js';
