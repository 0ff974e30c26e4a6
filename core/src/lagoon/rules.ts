import { defineRules } from '../diagnostics/rules.js';

export const LagoonRules = defineRules({
  'lagoon/unknown-resource-type': { severity: 'error', summary: 'The type token is not a resource of the Lagoon provider.' },
  'lagoon/unknown-property': { severity: 'error', summary: 'The property is not an input of the resource.' },
  'lagoon/missing-property': { severity: 'error', summary: 'A required property is missing.' },
  'lagoon/property-type': { severity: 'error', summary: 'The value has the wrong type for the property.' },
  'lagoon/invalid-value': { severity: 'error', summary: 'The value is not one the property accepts (values, names, URLs, e-mail addresses, regular expressions).' },
  'lagoon/secret-in-plain-text': { severity: 'warning', summary: 'A secret (variable value, webhook) is written as plain text; use fn::secret or a secret config value.' },
  'lagoon/unknown-reference': { severity: 'error', summary: 'An interpolation refers to a resource or variable the program does not declare.' },
  'lagoon/unknown-output': { severity: 'warning', summary: 'An interpolation reads a property the referenced resource does not have.' },
  'lagoon/duplicate-name': { severity: 'error', summary: 'Two resources would create the same Lagoon object.' },
  'lagoon/production-not-deployed': { severity: 'warning', summary: "The production environment is not matched by the project's branch pattern, so Lagoon would never deploy it." },
  'pulumi/unknown-key': { severity: 'warning', summary: 'A key the Pulumi YAML program (or one of its resources) does not have, often a misspelling.' },
  'pulumi/program-structure': { severity: 'error', summary: 'The Pulumi YAML program does not have the expected structure.' },
});
