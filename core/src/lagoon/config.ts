import { kindOf } from '../kinds/index.js';
export { isYamlConfig } from '../check/files.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { analyzeLagoonYml } from './lagoon-yml.js';
import { analyzePulumiProgram } from './pulumi.js';

/** Findings for a YAML configuration, chosen by file name; undefined for other files. */
export function analyzeYamlConfig(fileName: string, text: string, source = fileName): Diagnostic[] | undefined {
  const kind = kindOf(fileName);
  if (kind === 'pulumi-yaml') return analyzePulumiProgram(text, source);
  if (kind === 'lagoon-yml') return analyzeLagoonYml(text, source);
  return undefined;
}
