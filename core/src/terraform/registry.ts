import { awsProvider, ROUTE53_ZONES } from './providers/aws.js';
import { AZURE_ZONES, azurermProvider } from './providers/azurerm.js';
import { CLOUDFLARE_ZONES, cloudflareProvider } from './providers/cloudflare.js';
import { DIGITALOCEAN_ZONES, digitaloceanProvider } from './providers/digitalocean.js';
import type { ZoneSource } from './providers/dns-records.js';
import { dreamhostProvider } from './providers/dreamhost.js';
import { GOOGLE_ZONES, googleProvider } from './providers/google.js';
import { lagoonProvider } from './providers/lagoon.js';
import type { ProviderSchema, ResourceSchema } from './schema.js';

/** The providers whose schemas Shoreline knows. */
export const KNOWN_PROVIDERS: readonly ProviderSchema[] = [dreamhostProvider, lagoonProvider, cloudflareProvider, awsProvider, googleProvider, azurermProvider, digitaloceanProvider];

/** The zone resources and data sources whose DNS name places the records that refer to them. */
export const ZONE_SOURCES: ReadonlyMap<string, ZoneSource> = new Map(
  [...CLOUDFLARE_ZONES, ...ROUTE53_ZONES, ...GOOGLE_ZONES, ...AZURE_ZONES, ...DIGITALOCEAN_ZONES].map((zone) => [`${zone.kind}.${zone.type}`, zone]),
);

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
