import type { HclBlock } from '../hcl/types.js';
import type { SchemaRegistry } from '../terraform/registry.js';
import type { BlockSchema, ResourceSchema } from '../terraform/schema.js';

export interface BlockSchemaMatch {
  schema: BlockSchema;
  /** The resource or data source the block belongs to, when it is one or nested in one. */
  resource?: ResourceSchema;
}

/** The schema that describes the innermost block of `path` (outermost first), if Shoreline knows it. */
export function schemaForPath(registry: SchemaRegistry, path: readonly HclBlock[]): BlockSchemaMatch | undefined {
  const [root, ...nested] = path;
  if (!root) return undefined;
  let match: BlockSchemaMatch | undefined;
  if ((root.type === 'resource' || root.type === 'data') && root.labels[0] !== undefined) {
    const resource = registry.resource(root.type, root.labels[0]);
    match = resource ? { schema: resource, resource } : undefined;
  } else if (root.type === 'provider' && root.labels[0] !== undefined) {
    const provider = registry.provider(root.labels[0]);
    match = provider ? { schema: provider } : undefined;
  }
  for (const block of nested) {
    if (!match) return undefined;
    const inner = match.schema.blocks?.find((candidate) => candidate.name === block.type);
    match = inner ? { schema: inner, ...(match.resource ? { resource: match.resource } : {}) } : undefined;
  }
  return match;
}
