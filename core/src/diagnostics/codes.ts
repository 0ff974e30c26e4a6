import type { DnsRules } from '../dns/rules.js';
import type { HclRules } from '../hcl/rules.js';
import type { LagoonYmlRules } from '../lagoon/lagoon-yml.js';
import type { LagoonRules } from '../lagoon/rules.js';
import type { LiveRules } from '../live/index.js';
import type { TerraformRules } from '../terraform/rules.js';
import type { YamlRules } from '../yaml/index.js';

/**
 * Every rule code Shoreline reports: the union of the catalogs each
 * capability declares with defineRules. A finding with a code no catalog
 * declares does not compile.
 */
export type RuleCode =
  keyof typeof DnsRules | keyof typeof HclRules | keyof typeof LagoonRules | keyof typeof LagoonYmlRules | keyof typeof LiveRules | keyof typeof TerraformRules | keyof typeof YamlRules;
