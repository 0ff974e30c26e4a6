import { dreamhostProvider } from './providers/dreamhost.js';
import { lagoonProvider } from './providers/lagoon.js';
import type { ProviderSchema, ResourceSchema } from './schema.js';

/** The providers whose schemas Shoreline knows. */
export const KNOWN_PROVIDERS: readonly ProviderSchema[] = [dreamhostProvider, lagoonProvider];

export class SchemaRegistry {
  /** The registry of the providers Shoreline knows, built once: analyses cache by registry, so callers without one share this. */
  static readonly known = new SchemaRegistry();

  private readonly resources = new Map<string, ResourceSchema>();
  private readonly providers = new Map<string, ProviderSchema>();

  constructor(providers: readonly ProviderSchema[] = KNOWN_PROVIDERS) {
    for (const provider of providers) {
      this.providers.set(provider.name, provider);
      for (const resource of provider.resources) this.resources.set(`${resource.kind}.${resource.type}`, resource);
    }
  }

  resource(kind: 'resource' | 'data', type: string): ResourceSchema | undefined {
    return this.resources.get(`${kind}.${type}`);
  }

  provider(name: string): ProviderSchema | undefined {
    return this.providers.get(name);
  }

  allProviders(): ProviderSchema[] {
    return [...this.providers.values()];
  }

  allResources(kind?: 'resource' | 'data'): ResourceSchema[] {
    return [...this.resources.values()].filter((resource) => kind === undefined || resource.kind === kind);
  }
}

/** The provider local name Terraform infers from a resource type: the part before the first underscore. */
export function impliedProvider(resourceType: string): string {
  const underscore = resourceType.indexOf('_');
  return underscore === -1 ? resourceType : resourceType.slice(0, underscore);
}
