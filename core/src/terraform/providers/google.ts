import type { ProviderSchema, ResourceSchema } from '../schema.js';
import {
  arg,
  argumentsFinding,
  openBlock,
  recordNameFindings,
  recordTypeArgument,
  recordValueFindings,
  targetDotFinding,
  joinedTxtFindings,
  TIMEOUTS_BLOCK,
  zoneSources,
  surelySet,
  type DeclaredRecord,
  type LocatedFinding,
  type RecordBlockView,
  type RecordReading,
  type ZoneSource,
} from './dns-records.js';

/**
 * Google Cloud DNS record sets (`google_dns_record_set`). Facts from
 * hashicorp/terraform-provider-google (google/services/dns/resource_dns_record_set.go:
 * the schema, validateRecordNameTrailingDot, the rrdatas notes) and the Cloud
 * DNS API, which refuses a target without its trailing dot ("Invalid value
 * for rrdata").
 */

/** The record types Cloud DNS serves. */
export const GOOGLE_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV', 'CAA', 'PTR', 'HTTPS', 'SVCB', 'DS', 'DNSKEY', 'SSHFP', 'TLSA', 'NAPTR', 'IPSECKEY', 'SPF', 'SOA'];

function readGoogleRecordSet(view: RecordBlockView): RecordReading {
  const findings: LocatedFinding[] = [];
  const nameInput = view.get('name');
  const written = view.get('type')?.text;
  const type = written !== undefined && GOOGLE_RECORD_TYPES.includes(written) ? written : undefined;
  if (nameInput?.text !== undefined) for (const finding of recordNameFindings(nameInput.text, type, 'fqdn-dot', 'Cloud DNS')) findings.push({ at: nameInput.at, finding });
  const rrdatas = view.get('rrdatas');
  const policy = view.get('routing_policy');
  if (surelySet(rrdatas) && surelySet(policy)) findings.push({ at: policy.at, finding: argumentsFinding('a record set has either `rrdatas` or a `routing_policy` block, not both') });
  if (!rrdatas && !policy) findings.push({ at: view.at, finding: argumentsFinding('a record set needs `rrdatas` or a `routing_policy` block') });
  const items = rrdatas?.items;
  if (type === 'CNAME' && items && items.length > 1)
    findings.push({ at: rrdatas!.at, finding: { code: 'dns/cname-multiple-values', message: `a CNAME record set holds one target; this one lists ${items.length}` } });
  const records: DeclaredRecord[] = [];
  for (const item of items ?? []) {
    if (item.text === undefined || type === undefined) continue;
    const dot = targetDotFinding(type, item.text, 'Cloud DNS');
    if (dot) findings.push({ at: item.at, finding: dot });
    // Unquoted TXT text is split at spaces and at "" into strings by Cloud DNS; quoted text is zone-file form.
    const unquotedText = (type === 'TXT' || type === 'SPF') && !item.text.startsWith('"');
    const valueFindings = unquotedText ? joinedTxtFindings(item.text, 'Cloud DNS', /"\s*"|\s+/) : recordValueFindings(type, item.text);
    for (const finding of valueFindings) findings.push({ at: item.at, finding });
    if (unquotedText && /\s/.test(item.text.trim())) {
      const quotedText = `"${item.text.replace(/["\\]/g, '\\$&')}"`;
      findings.push({
        at: item.at,
        finding: {
          code: 'dns/txt-split-at-spaces',
          message: 'Cloud DNS splits unquoted TXT text at every space into separate strings, which readers join without the spaces (an SPF policy breaks); quote the text',
          replacement: quotedText,
          fixTitle: 'Quote the TXT text',
        },
      });
    }
    if (nameInput?.text !== undefined) records.push({ name: nameInput.text, type, value: item.text, at: item.at });
  }
  return { findings, records, zone: view.get('managed_zone'), name: nameInput };
}

export const googleRecordSet: ResourceSchema = {
  kind: 'resource',
  type: 'google_dns_record_set',
  provider: 'google',
  description: 'A record set in a Cloud DNS managed zone: one name and type with all its values.',
  docs: 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/dns_record_set',
  attributes: [
    arg('managed_zone', 'string', 'required', 'The name of the managed zone (e.g. `google_dns_managed_zone.main.name`), not its DNS name.', { replace: true }),
    arg('name', 'string', 'required', 'The fully qualified record name with the trailing dot (`www.example.com.`).', { replace: true, example: 'www.example.com.' }),
    recordTypeArgument(GOOGLE_RECORD_TYPES, 'Cloud DNS'),
    arg('rrdatas', 'list', 'optional', 'The values in zone-file form: targets with the trailing dot (`"mail.example.com."`), TXT quoted (`"\\"v=spf1 -all\\""`).', { example: '192.0.2.10' }),
    arg('ttl', 'number', 'optional', 'Time to live in seconds.', { example: '300' }),
    arg('project', 'string', 'optional', "The project of the zone; defaults to the provider's."),
    arg('deletion_policy', 'string', 'optional', 'What `terraform destroy` does with the record set (DELETE, or ABANDON to keep it).'),
    arg('id', 'string', 'computed', 'projects/PROJECT/managedZones/ZONE/rrsets/NAME/TYPE (read-only).'),
  ],
  blocks: [openBlock('routing_policy', 'Answers by weight (`wrr`), location (`geo`) or health (`primary_backup`), instead of `rrdatas`.', { maxItems: 1 }), TIMEOUTS_BLOCK],
  dns: {
    provider: 'Cloud DNS',
    facts:
      'hashicorp/terraform-provider-google `google/services/dns/resource_dns_record_set.go` (schema, validateRecordNameTrailingDot, rrdatas notes); Cloud DNS API errors for targets without the trailing dot',
    types: GOOGLE_RECORD_TYPES,
    names: 'fqdn-dot',
    typeArgument: 'type',
    valueArguments: ['rrdatas'],
    literalZone: 'zone-resource-name',
    valueSnippet: (type) =>
      ({
        CNAME: '${1:target.example.com.}',
        NS: '${1:ns1.example.net.}',
        PTR: '${1:host.example.com.}',
        MX: '${1:10} ${2:mail.example.com.}',
        SRV: '${1:10} ${2:5} ${3:5060} ${4:sip.example.com.}',
        TXT: '\\"${1:v=spf1 mx -all}\\"',
      })[type],
    read: readGoogleRecordSet,
  },
};

export const GOOGLE_ZONES: readonly ZoneSource[] = zoneSources('google_dns_managed_zone', ['dns_name'], []);

export const googleProvider: ProviderSchema = {
  name: 'google',
  source: 'hashicorp/google',
  description: 'Manages Google Cloud resources; Shoreline checks its Cloud DNS record sets.',
  attributes: [
    arg('project', 'string', 'optional', 'The default project.'),
    arg('region', 'string', 'optional', 'The default region.'),
    arg('credentials', 'string', 'optional', 'The path or contents of a service account key file; prefer `GOOGLE_APPLICATION_CREDENTIALS`.'),
    arg('access_token', 'string', 'optional', 'An OAuth 2.0 access token.', { sensitive: true }),
  ],
  openAttributes: true,
  openBlocks: true,
  resources: [googleRecordSet],
};
