import type { LagoonResource } from '../lagoon/schema.js';
import type { NestedBlockSchema, ResourceSchema } from '../terraform/schema.js';

export function resourceDocs(resource: ResourceSchema): string {
  const docs = resource.docs ? `\n\n[Provider documentation](${resource.docs})` : '';
  return `**${resource.kind === 'data' ? 'data source' : 'resource'} ${resource.type}**\n\n${resource.description}${docs}`;
}

/** Markdown documentation of a block type (Terraform's own or a provider's nested block), shared by completion and hover. */
export function blockDocs(block: NestedBlockSchema): string {
  const labels = (block.labels ?? []).map((label) => ` "${label}"`).join('');
  const inner = [...block.attributes.map((attr) => `\`${attr.name}\``), ...(block.blocks ?? []).map((nested) => `\`${nested.name} { }\``)];
  const contents = inner.length ? `\n\nTakes ${inner.join(', ')}${block.openAttributes ? ', and other arguments' : ''}.` : '';
  return `**${block.name}**${labels} block\n\n${block.description}${contents}`;
}

/** Markdown documentation of a Lagoon resource (or the bridged DreamHost record), for Pulumi YAML and programs alike. */
export function lagoonResourceDocs(resource: LagoonResource, title = resource.token): string {
  return `**${title}**\n\n${resource.description}\n\nOutputs: ${resource.outputs.map((name) => `\`${name}\``).join(', ') || 'none'}. Import ID: ${resource.importId}.`;
}
