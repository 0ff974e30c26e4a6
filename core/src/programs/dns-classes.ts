import type { LagoonProperty, LagoonResource } from '../lagoon/schema.js';
import { ROUTE53_ZONES, route53Record } from '../terraform/providers/aws.js';
import { CLOUDFLARE_ZONES, cloudflareDnsRecord, cloudflareRecordV4 } from '../terraform/providers/cloudflare.js';
import { DIGITALOCEAN_ZONES, digitaloceanRecord } from '../terraform/providers/digitalocean.js';
import { GOOGLE_ZONES, googleRecordSet } from '../terraform/providers/google.js';
import type { ZoneSource } from '../terraform/providers/dns-records.js';
import type { ResourceSchema } from '../terraform/schema.js';

/**
 * The DNS record classes of the bridged Pulumi providers, made from the
 * Terraform schemas they bridge: the bridge names each argument in camelCase
 * and a list block in the plural (`alias` → `aliases`), which `names` records
 * where it is so. One schema serves Terraform and the programs.
 */

export const camelCase = (name: string) => name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

function recordClass(name: string, tokens: readonly string[], resource: ResourceSchema, names: Readonly<Record<string, string>> = {}): LagoonResource {
  const spell = (tfName: string) => names[tfName] ?? camelCase(tfName);
  const properties: LagoonProperty[] = [
    ...resource.attributes.filter((attr) => attr.mode !== 'computed').map((attr) => ({ ...attr, name: spell(attr.name) })),
    ...(resource.blocks ?? [])
      .filter((block) => block.name !== 'timeouts')
      .map((block) => ({
        name: spell(block.name),
        type: block.maxItems === 1 && !names[block.name]?.endsWith('s') ? ('map' as const) : ('list' as const),
        mode: 'optional' as const,
        description: block.description,
      })),
  ];
  return {
    name,
    token: tokens[0]!,
    description: resource.description,
    properties,
    outputs: resource.attributes.filter((attr) => attr.mode === 'computed' && attr.name !== 'id').map((attr) => camelCase(attr.name)),
    importId: `as \`terraform import ${resource.type}\` takes it`,
    record: { dns: resource.dns!, spell, tokens },
  };
}

export const PULUMI_CLOUDFLARE_RECORD = recordClass('DnsRecord', ['cloudflare:index/dnsRecord:DnsRecord', 'cloudflare:index:DnsRecord'], cloudflareDnsRecord);
export const PULUMI_CLOUDFLARE_RECORD_V4 = recordClass('Record', ['cloudflare:index/record:Record', 'cloudflare:index:Record'], cloudflareRecordV4);
export const PULUMI_ROUTE53_RECORD = recordClass('Record', ['aws:route53/record:Record', 'aws:route53:Record'], route53Record, {
  alias: 'aliases',
  failover_routing_policy: 'failoverRoutingPolicies',
  geolocation_routing_policy: 'geolocationRoutingPolicies',
  latency_routing_policy: 'latencyRoutingPolicies',
  weighted_routing_policy: 'weightedRoutingPolicies',
});
export const PULUMI_GOOGLE_RECORD_SET = recordClass('RecordSet', ['gcp:dns/recordSet:RecordSet', 'gcp:dns:RecordSet'], googleRecordSet);
export const PULUMI_DIGITALOCEAN_RECORD = recordClass('DnsRecord', ['digitalocean:index/dnsRecord:DnsRecord', 'digitalocean:index:DnsRecord'], digitaloceanRecord);

export const PULUMI_RECORD_CLASSES = [PULUMI_CLOUDFLARE_RECORD, PULUMI_CLOUDFLARE_RECORD_V4, PULUMI_ROUTE53_RECORD, PULUMI_GOOGLE_RECORD_SET, PULUMI_DIGITALOCEAN_RECORD];

/**
 * The zone classes of the same providers, from the Terraform zone resources
 * they bridge (ZONE_SOURCES): only the inputs that hold the zone's DNS name,
 * which is what a record that refers to the zone (`zoneId: zone.zoneId`)
 * needs to be placed in it. Their other inputs are the SDK's and left alone.
 */
function zoneClass(name: string, tokens: readonly string[], sources: readonly ZoneSource[], description: string, outputs: readonly string[], extra: LagoonProperty[] = []): LagoonResource {
  const resource = sources.find((source) => source.kind === 'resource')!;
  const nameInputs = resource.nameArguments.map(camelCase);
  return {
    name,
    token: tokens[0]!,
    description,
    properties: [
      ...resource.nameArguments.map((argument, index) => ({
        name: nameInputs[index]!,
        type: 'string' as const,
        mode: 'optional' as const,
        description: `The zone's DNS name (\`${resource.type}\`'s \`${argument}\`): records that refer to this zone are placed in it for the zone rules.`,
      })),
      ...extra,
    ],
    outputs,
    importId: `as \`terraform import ${resource.type}\` takes it`,
    zone: { nameInputs, tokens },
  };
}

export const PULUMI_ZONE_CLASSES = [
  // Outputs: the computed attributes of the Terraform zone resource that records refer to (the zone's ID is `id` in every SDK).
  zoneClass('Zone', ['cloudflare:index/zone:Zone', 'cloudflare:index:Zone'], CLOUDFLARE_ZONES, 'A Cloudflare zone.', ['nameServers', 'status']),
  zoneClass('Zone', ['aws:route53/zone:Zone', 'aws:route53:Zone'], ROUTE53_ZONES, 'A Route 53 hosted zone.', ['zoneId', 'nameServers', 'primaryNameServer', 'arn']),
  zoneClass(
    'ManagedZone',
    ['gcp:dns/managedZone:ManagedZone', 'gcp:dns:ManagedZone'],
    GOOGLE_ZONES,
    'A Google Cloud DNS managed zone.',
    ['managedZoneId', 'nameServers'],
    [{ name: 'name', type: 'string', mode: 'optional', description: "The managed zone's own name, which records give as `managedZone`." }],
  ),
  zoneClass('Domain', ['digitalocean:index/domain:Domain', 'digitalocean:index:Domain'], DIGITALOCEAN_ZONES, 'A DigitalOcean domain (its DNS zone).', ['ttl', 'domainUrn']),
];

/** The record and zone classes: what a Pulumi YAML resource type may name besides Lagoon's. */
export const PULUMI_DNS_CLASSES: readonly LagoonResource[] = [...PULUMI_RECORD_CLASSES, ...PULUMI_ZONE_CLASSES];

/** The record or zone class of a Pulumi type token (`aws:route53/record:Record`, or its short form `aws:route53:Record`). */
export function pulumiDnsClass(token: string): LagoonResource | undefined {
  return PULUMI_DNS_CLASSES.find((resource) => (resource.record ?? resource.zone)!.tokens.includes(token));
}
