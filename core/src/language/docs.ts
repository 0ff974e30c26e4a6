import type { AttributeSchema, ResourceSchema } from '../terraform/schema.js';

/** Markdown documentation of an attribute, shared by completion and hover. */
export function attributeDocs(attr: AttributeSchema): string {
  const flags = [attr.type, attr.mode, attr.forceNew ? 'forces replacement' : '', attr.sensitive ? 'sensitive' : ''].filter(Boolean).join(' · ');
  const values = attr.enum ? `\n\nOne of: ${attr.enum.map((value) => `\`${value}\``).join(', ')}` : '';
  const example = attr.example ? `\n\nExample: \`${attr.name} = "${attr.example}"\`` : '';
  return `**${attr.name}** · ${flags}\n\n${attr.description}${values}${example}`;
}

export function resourceDocs(resource: ResourceSchema): string {
  const docs = resource.docs ? `\n\n[Provider documentation](${resource.docs})` : '';
  return `**${resource.kind === 'data' ? 'data source' : 'resource'} ${resource.type}**\n\n${resource.description}${docs}`;
}

/** Terraform's meta-arguments, which every resource and data source accepts. */
export const META_ARGUMENT_DOCS: Readonly<Record<string, string>> = {
  count: '**count** · number\n\nCreates this many instances; refer to each with `count.index`.',
  for_each: '**for_each** · map or set of strings\n\nCreates one instance per element; refer to it with `each.key` and `each.value`.',
  provider: '**provider** · reference\n\nSelects a non-default provider configuration, e.g. `dreamhost.secondary`.',
  depends_on: '**depends_on** · list of references\n\nExplicit dependencies Terraform cannot infer.',
  lifecycle: '**lifecycle** block\n\n`create_before_destroy`, `prevent_destroy`, `ignore_changes`, `replace_triggered_by`, `precondition`, `postcondition`.',
};
