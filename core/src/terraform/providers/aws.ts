import type { NestedBlockSchema, ProviderSchema, ResourceSchema } from '../schema.js';
import {
  arg,
  argumentsFinding,
  openBlock,
  recordNameFindings,
  recordTypeArgument,
  recordValueFindings,
  joinedTxtFindings,
  surelySet,
  TIMEOUTS_BLOCK,
  type DeclaredRecord,
  type LocatedFinding,
  type RecordBlockView,
  type RecordReading,
  type ZoneSource,
  zoneSources,
} from './dns-records.js';

/**
 * AWS Route 53 records (`aws_route53_record`). Facts from
 * hashicorp/terraform-provider-aws (internal/service/route53/record.go: the
 * schema, expandRecordName, the TXT quoting of expandTxtEntry/flattenTxtEntry)
 * and the Route 53 API reference (ChangeResourceRecordSets).
 */

/** The RRType enum of the Route 53 API. */
export const ROUTE53_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV', 'CAA', 'PTR', 'HTTPS', 'SVCB', 'DS', 'SSHFP', 'TLSA', 'NAPTR', 'SPF', 'SOA'];

const required = (name: string, description: string) => arg(name, 'string', 'required', description);
const policyBlock = (name: string, description: string, attributes: NestedBlockSchema['attributes'], blocks: NestedBlockSchema[] = []): NestedBlockSchema => ({
  name,
  maxItems: 1,
  description,
  attributes,
  blocks,
});

/** The routing policies, as blocks of the schema; each needs `set_identifier` (the schema's RequiredWith). */
const POLICY_BLOCKS: readonly NestedBlockSchema[] = [
  policyBlock('cidr_routing_policy', 'Answers by the CIDR block of the resolver (needs `set_identifier`).', [
    required('collection_id', 'The CIDR collection.'),
    required('location_name', 'The location in it, or `*`.'),
  ]),
  policyBlock('failover_routing_policy', 'Active-passive failover (needs `set_identifier`).', [arg('type', 'string', 'required', 'PRIMARY or SECONDARY.', { enum: ['PRIMARY', 'SECONDARY'] })]),
  policyBlock('geolocation_routing_policy', 'Answers by the location of the resolver (needs `set_identifier`).', [
    arg('continent', 'string', 'optional', 'A continent code.'),
    arg('country', 'string', 'optional', 'A country code, or `*` for the default.'),
    arg('subdivision', 'string', 'optional', 'A subdivision code (US states).'),
  ]),
  policyBlock(
    'geoproximity_routing_policy',
    'Answers by the distance to the resource (needs `set_identifier`).',
    [
      arg('aws_region', 'string', 'optional', 'The AWS Region of the resource.'),
      arg('bias', 'number', 'optional', 'Grows (positive) or shrinks the area, -99 to 99.'),
      arg('local_zone_group', 'string', 'optional', 'The Local Zone group.'),
    ],
    [openBlock('coordinates', 'The latitude and longitude of the resource.')],
  ),
  policyBlock('latency_routing_policy', 'Answers with the Region of lowest latency (needs `set_identifier`).', [required('region', 'The AWS Region of the resource.')]),
  policyBlock('weighted_routing_policy', 'Shares answers by weight (needs `set_identifier`).', [arg('weight', 'number', 'required', 'The relative weight, 0 to 255.')]),
];

/** The routing policies: the blocks, and the multivalue answer policy, which is an argument. */
const ROUTING_POLICIES = [...POLICY_BLOCKS.map((block) => block.name), 'multivalue_answer_routing_policy'];

function readRoute53Record(view: RecordBlockView): RecordReading {
  const findings: LocatedFinding[] = [];
  const nameInput = view.get('name');
  const written = view.get('type')?.text;
  const type = written !== undefined && ROUTE53_RECORD_TYPES.includes(written) ? written : undefined;
  // The provider trims a trailing dot from the name (its StateFunc), so both forms are fine.
  if (nameInput?.text !== undefined) for (const finding of recordNameFindings(nameInput.text, type, 'relative-or-fqdn', 'Route 53')) findings.push({ at: nameInput.at, finding });
  if (nameInput?.text === '@') {
    findings.push({
      at: nameInput.at,
      finding: {
        code: 'dns/label-invalid-character',
        severity: 'warning',
        message: "Route 53 has no '@' shorthand: this record would be named '@' under the zone. For the apex, write the zone name or an empty name",
      },
    });
  }

  const records = view.get('records');
  const alias = view.get('alias');
  const ttl = view.get('ttl');
  if (surelySet(records) && surelySet(alias)) findings.push({ at: alias.at, finding: argumentsFinding('a Route 53 record has either `records` or an `alias` block, not both') });
  if (!records && !alias) findings.push({ at: view.at, finding: argumentsFinding('a Route 53 record needs `records` (with `ttl`) or an `alias` block') });
  if (surelySet(alias) && surelySet(ttl)) findings.push({ at: ttl.at, finding: argumentsFinding('an alias record takes its TTL from the alias target; remove `ttl`') });
  if (records && !alias && !ttl) findings.push({ at: records.at, finding: argumentsFinding('Route 53 needs a `ttl` with `records` (the API refuses a record set without one)') });
  const setIdentifier = view.get('set_identifier');
  if (!setIdentifier) {
    for (const policy of ROUTING_POLICIES) {
      // A policy from a `dynamic` block or an expression may not be there at all.
      const input = view.get(policy);
      if (!surelySet(input) || (policy === 'multivalue_answer_routing_policy' && input.text !== 'true')) continue;
      findings.push({ at: input.at, finding: argumentsFinding(`\`${policy}\` needs \`set_identifier\`, which tells apart the record sets of one name and type`) });
      break;
    }
  }

  const declared: DeclaredRecord[] = [];
  const variant = setIdentifier ? (setIdentifier.text ?? setIdentifier.reference ?? '?') : undefined;
  const items = records?.items;
  if (type === 'CNAME' && items && items.length > 1)
    findings.push({ at: records!.at, finding: { code: 'dns/cname-multiple-values', message: `a CNAME record holds one target; this one lists ${items.length}` } });
  for (const item of items ?? []) {
    if (item.text === undefined || type === undefined) continue;
    if (type === 'TXT' || type === 'SPF') for (const finding of joinedTxtFindings(item.text, 'Route 53', /"\s*"/)) findings.push({ at: item.at, finding });
    else for (const finding of recordValueFindings(type, item.text)) findings.push({ at: item.at, finding });
    const value = type === 'TXT' || type === 'SPF' ? `"${item.text}"` : item.text;
    if (nameInput?.text !== undefined) declared.push({ name: nameInput.text, type, value, at: item.at, ...(variant !== undefined ? { variant } : {}) });
  }
  const aliasTarget = alias?.objects?.[0]?.get('name')?.text;
  if (aliasTarget !== undefined && type !== undefined && nameInput?.text !== undefined) {
    // An alias answers as its type with the target's data: it counts at its name (a CNAME beside it conflicts), never as a duplicate of a plain record.
    declared.push({ name: nameInput.text, type, value: `alias ${aliasTarget.toLowerCase()}`, at: alias!.at, ...(variant !== undefined ? { variant } : {}) });
  }
  return { findings, records: declared, zone: view.get('zone_id'), name: nameInput };
}

export const route53Record: ResourceSchema = {
  kind: 'resource',
  type: 'aws_route53_record',
  provider: 'aws',
  description: 'A record set in a Route 53 hosted zone: one name and type with its values, or an alias to an AWS resource.',
  docs: 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_record',
  attributes: [
    arg('zone_id', 'string', 'required', 'The hosted zone ID (e.g. `aws_route53_zone.main.zone_id`).', { replace: true }),
    arg('name', 'string', 'required', 'The record name: relative to the zone (`www`) or fully qualified (`www.example.com`); a trailing dot is dropped.', { replace: true, example: 'www' }),
    recordTypeArgument(ROUTE53_RECORD_TYPES, 'Route 53'),
    arg('ttl', 'number', 'optional', 'Time to live in seconds; required with `records`, not allowed with `alias`.', { example: '300' }),
    arg(
      'records',
      'list',
      'optional',
      'The values in zone-file form: `"192.0.2.10"`, MX `"10 mail.example.com"`, SRV `"10 5 5060 sip.example.com"`; TXT text without quotes, `\\"\\"` between 255-byte strings.',
      {
        example: '192.0.2.10',
      },
    ),
    arg('set_identifier', 'string', 'optional', 'Tells apart record sets of one name and type under a routing policy (weighted, latency, failover, geolocation...).'),
    arg('health_check_id', 'string', 'optional', 'The health check whose status decides whether Route 53 answers with this record set.'),
    arg('multivalue_answer_routing_policy', 'bool', 'optional', 'Answers with up to eight healthy values at random (needs `set_identifier`).'),
    arg('allow_overwrite', 'bool', 'optional', 'Takes over an existing record set of the same name and type instead of failing (UPSERT).'),
    arg('fqdn', 'string', 'computed', 'The fully qualified name of the record (read-only).'),
    arg('id', 'string', 'computed', 'ZONEID_NAME_TYPE[_SET-IDENTIFIER] (read-only).'),
  ],
  blocks: [
    {
      name: 'alias',
      maxItems: 1,
      description: 'Points the record at an AWS resource (load balancer, CloudFront, S3 website, another record) instead of `records`.',
      attributes: [
        required('name', 'The DNS name of the target (e.g. `aws_lb.web.dns_name`).'),
        required('zone_id', 'The hosted zone ID of the target (e.g. `aws_lb.web.zone_id`).'),
        arg('evaluate_target_health', 'bool', 'required', "Whether the target's health decides the answer."),
      ],
    },
    ...POLICY_BLOCKS,
    TIMEOUTS_BLOCK,
  ],
  dns: {
    provider: 'Route 53',
    facts: 'hashicorp/terraform-provider-aws `internal/service/route53/record.go` (schema, name expansion, TXT quoting); Route 53 API reference (ChangeResourceRecordSets)',
    types: ROUTE53_RECORD_TYPES,
    names: 'relative-or-fqdn',
    typeArgument: 'type',
    valueArguments: ['records'],
    presentation: (type, value) => (type === 'TXT' || type === 'SPF' ? `"${value}"` : value),
    read: readRoute53Record,
  },
};

export const ROUTE53_ZONES: readonly ZoneSource[] = zoneSources('aws_route53_zone', ['name']);

export const awsProvider: ProviderSchema = {
  name: 'aws',
  source: 'hashicorp/aws',
  description: 'Manages AWS resources; Shoreline checks its Route 53 records.',
  attributes: [
    arg('region', 'string', 'optional', 'The AWS Region; defaults to `AWS_REGION` or the shared configuration.'),
    arg('access_key', 'string', 'optional', 'An access key ID; prefer the environment or a profile.', { sensitive: true }),
    arg('secret_key', 'string', 'optional', 'A secret access key; prefer the environment or a profile.', { sensitive: true }),
    arg('token', 'string', 'optional', 'A session token.', { sensitive: true }),
  ],
  // The provider has many more settings and blocks (assume_role, default_tags, endpoints...): not judged here.
  openAttributes: true,
  openBlocks: true,
  resources: [route53Record],
};
