import { defineRules } from '../diagnostics/rules.js';

export const TerraformRules = defineRules({
  'tf/unknown-block': { severity: 'error', summary: 'The block type is not valid here.' },
  'tf/unexpected-attribute': { severity: 'error', summary: 'Attributes are not allowed at the top level of a .tf file.' },
  'tf/block-labels': { severity: 'error', summary: 'The block has the wrong number of labels, or a label that is not a valid name.' },
  'tf/duplicate-resource': { severity: 'error', summary: 'Two resources (or data sources) of one module have the same address.' },
  'tf/duplicate-attribute': { severity: 'error', summary: 'An attribute is set twice in one block.' },
  'tf/unknown-attribute': { severity: 'error', summary: 'The attribute is not part of the resource schema.' },
  'tf/missing-attribute': { severity: 'error', summary: 'A required attribute or block is missing.' },
  'tf/read-only-attribute': { severity: 'error', summary: 'The attribute is computed by the provider and cannot be set.' },
  'tf/attribute-type': { severity: 'error', summary: 'The value has the wrong type for the attribute.' },
  'tf/too-many-blocks': { severity: 'error', summary: 'A nested block appears more often than the schema allows.' },
  'tf/count-and-for-each': { severity: 'error', summary: '`count` and `for_each` cannot both be set.' },
  'tf/invalid-value': { severity: 'error', summary: 'The value is not one the attribute accepts.' },
  'tf/import-id-invalid': { severity: 'error', summary: "The import ID does not have the resource's ID format." },
  'tf/import-id-mismatch': { severity: 'warning', summary: 'The import ID names a different object than the target resource declares.' },
  'tf/import-target': { severity: 'error', summary: 'The import target is not a resource declared in this module.' },
  'tf/provider-source-invalid': { severity: 'error', summary: 'A provider source address is [HOSTNAME/]NAMESPACE/TYPE.' },
  'tf/provider-legacy-syntax': { severity: 'warning', summary: 'required_providers entries should be objects with source and version.' },
  'tf/version-constraint-invalid': { severity: 'error', summary: 'A version constraint is a comma-separated list of `[operator] version`.' },
  'tf/provider-not-declared': { severity: 'warning', summary: 'A provider used by the module has no required_providers entry, so Terraform looks for hashicorp/NAME.' },
  'tf/secret-in-config': { severity: 'warning', summary: 'A credential is written as literal text in the configuration.' },
});
