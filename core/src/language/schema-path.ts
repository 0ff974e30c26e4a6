import type { HclBlock } from '../hcl/types.js';
import { builtinBlock, DYNAMIC_BLOCK, layered, PROVIDER_BLOCK } from '../terraform/builtin.js';
import type { SchemaRegistry } from '../terraform/registry.js';
import type { BlockSchema, NestedBlockSchema, ResourceSchema } from '../terraform/schema.js';

export interface BlockSchemaMatch {
  schema: BlockSchema;
  /** The resource or data source the block belongs to, when it is one or nested in one. */
  resource?: ResourceSchema;
}

/**
 * The schema that describes the innermost block of `path` (outermost first):
 * Terraform's own blocks from the built-in table, with the provider's schema
 * layered on resources, data sources and provider blocks Shoreline knows.
 */
export function schemaForPath(registry: SchemaRegistry, path: readonly HclBlock[]): BlockSchemaMatch | undefined {
  const [root, ...nested] = path;
  if (!root) return undefined;
  const builtin = builtinBlock(root.type);
  if (!builtin) return undefined;
  let match: BlockSchemaMatch | undefined;
  if ((root.type === 'resource' || root.type === 'data') && root.labels[0] !== undefined) {
    const resource = registry.resource(root.type, root.labels[0]);
    match = { schema: layered(builtin, resource), ...(resource ? { resource } : {}) };
  } else if (root.type === 'provider' && root.labels[0] !== undefined) {
    match = { schema: layered(PROVIDER_BLOCK, registry.provider(root.labels[0])) };
  } else {
    match = { schema: builtin };
  }
  /** The block type a `dynamic` block generates, while inside it. */
  let generating: BlockSchema | undefined;
  for (const block of nested) {
    if (!match) return undefined;
    const blocks: readonly NestedBlockSchema[] = match.schema.blocks ?? [];
    let inner: BlockSchema | undefined;
    if (block.type === 'dynamic' && blocks.includes(DYNAMIC_BLOCK)) {
      generating = blocks.find((candidate) => candidate.name === block.labels[0]);
      inner = DYNAMIC_BLOCK;
    } else if (block.type === 'content' && match.schema === DYNAMIC_BLOCK) {
      inner = generating;
    } else {
      inner = blocks.find((candidate) => candidate.name === block.type);
    }
    match = inner ? { schema: inner, ...(match.resource ? { resource: match.resource } : {}) } : undefined;
  }
  return match;
}
