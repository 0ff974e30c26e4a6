import type { Finding } from '../../diagnostics/types.js';
import { labelFindings } from '../../dns/labels.js';
import { normalizeName, srvNameFor, validateTargetHost } from '../../dns/names.js';
import { isRecordType, RECORD_TYPES, recordTypeInfo } from '../../dns/types.js';
import { MAX_CHARACTER_STRING, validateRecordValue } from '../../dns/values.js';
import type { ZoneRecord } from '../../dns/zone.js';
import type { AttributeSchema, NestedBlockSchema } from '../schema.js';

/**
 * How a provider's record resources map onto the DNS core, as data plus one
 * reader per resource. The reader sees a block through `RecordBlockView`, so
 * that one mapping serves Terraform blocks and Pulumi programs alike: it
 * returns the findings of the block on its own, and the records it declares
 * for the zone rules, which the analyzer places in their zone.
 */

/** Where a finding goes: opaque to the providers, a range to the analyzer. */
export type Locator = unknown;

/** One argument of a block as far as it is known without running anything. */
export interface RecordInput {
  /** A literal string, number or bool, as text. */
  text?: string;
  /** The items of a literal list (or set) of strings. */
  items?: readonly RecordInput[];
  /** The objects of a nested block, or of an object attribute (one). */
  objects?: readonly RecordBlockView[];
  /** The traversal of a plain reference (`aws_route53_zone.main.zone_id`). */
  reference?: string;
  at: Locator;
}

export interface RecordBlockView {
  /** The argument or nested block of that Terraform name, when the block sets it in any form. */
  get(name: string): RecordInput | undefined;
  /** Where findings about the block as a whole go (its header). */
  at: Locator;
}

export interface LocatedFinding {
  at: Locator;
  finding: Finding;
}

/**
 * How a provider writes record names:
 * - `fqdn`: fully qualified, no trailing dot (DreamHost);
 * - `fqdn-dot`: fully qualified with the trailing dot (Google Cloud DNS);
 * - `relative-or-fqdn`: relative to the zone unless it already ends with it; `@` or empty is the apex (Cloudflare, Route 53);
 * - `relative`: relative to the zone, `@` the apex, a trailing dot makes it absolute (Azure, DigitalOcean).
 */
export type NameForm = 'fqdn' | 'fqdn-dot' | 'relative-or-fqdn' | 'relative';

/** A record of the block for the zone rules: its name as written, type and value in zone-file form. */
export interface DeclaredRecord {
  name: string;
  type: string;
  value: string;
  at: Locator;
  /** Route 53's set identifier: record sets of one name and type told apart. */
  variant?: string;
}

export interface RecordReading {
  findings: LocatedFinding[];
  records: DeclaredRecord[];
  /** The argument that names the zone (a zone ID, a zone's name or its resource). */
  zone?: RecordInput;
  /** The record name as written, for the checks that need the zone. */
  name?: RecordInput;
}

/** Where the analyzer finds a zone's DNS name: the zone resources (and data sources) of each provider. */
export interface ZoneSource {
  kind: 'resource' | 'data';
  type: string;
  /** The arguments holding the zone's DNS name, first found wins (Cloudflare v5 `name`, v4 `zone`). */
  nameArguments: readonly string[];
}

/** What one provider's record resources share: the DNS facts of the provider. */
export interface DnsRecordSchema {
  /** The provider's name in messages. */
  provider: string;
  /** Where the facts of the mapping come from (the provider's source and API docs), for the reference docs. */
  facts: string;
  /** The record types the provider accepts, in the order completion offers them. */
  types: readonly string[];
  names: NameForm;
  /** The argument with the record type; absent for one resource per type (Azure), which has `fixedType`. */
  typeArgument?: string;
  fixedType?: string;
  /** The arguments whose literal text is a record value (for hover and value completion) and how it reads in zone-file form. */
  valueArguments: readonly string[];
  /** The value of `valueArguments` in zone-file form, from the block's other literals (DigitalOcean's separate priority). */
  presentation?: (type: string, value: string, values: Readonly<Record<string, string | undefined>>) => string | undefined;
  /** How a value of the type is written in `valueArguments`, as an LSP snippet. */
  valueSnippet?: (type: string) => string | undefined;
  /** How a literal zone argument relates to a zone: it is the DNS name, or the name of a zone resource of the module. */
  literalZone?: 'dns-name' | 'zone-resource-name';
  /** A CNAME at the apex is flattened (Cloudflare). */
  flattensApexCname?: boolean;
  read: (block: RecordBlockView) => RecordReading;
}

/** The name a record has in its zone, fully qualified without trailing dot, or undefined when the zone is needed and unknown. */
export function qualifiedName(name: string, form: NameForm, zone: string | undefined): string | undefined {
  const written = name.trim();
  const zoneName = zone === undefined ? undefined : normalizeName(zone);
  switch (form) {
    case 'fqdn':
    case 'fqdn-dot':
      return normalizeName(written);
    case 'relative-or-fqdn': {
      if (zoneName === undefined) return undefined;
      const bare = normalizeName(written);
      if (bare === '' || bare === '@') return zoneName;
      return bare === zoneName || bare.endsWith(`.${zoneName}`) ? bare : `${bare}.${zoneName}`;
    }
    case 'relative': {
      if (written.endsWith('.') && written.length > 1) return normalizeName(written);
      if (zoneName === undefined) return undefined;
      const bare = written.toLowerCase();
      return bare === '@' || bare === '' ? zoneName : `${bare}.${zoneName}`;
    }
  }
}

/** The zone records of a reading, placed in `zone` (undefined when unknown: only fully qualified names are placed then). */
export function zoneRecordsOf<T>(reading: RecordReading, dns: DnsRecordSchema, zone: string | undefined, refOf: (at: Locator) => T): ZoneRecord<T>[] {
  const records: ZoneRecord<T>[] = [];
  for (const record of reading.records) {
    const name = qualifiedName(record.name, dns.names, zone);
    if (name === undefined) continue;
    // Every field set, if only to undefined: one object shape for all records, and no spread objects made per record.
    records.push({ name, type: record.type, value: record.value, ref: refOf(record.at), keys: undefined, zone, variant: record.variant, flattensApexCname: dns.flattensApexCname || undefined });
  }
  return records;
}

/** How a configuration finds its zones' DNS names: from a reference to a zone it declares, or from a zone's own name (a Google managed zone's). */
export interface ZoneFinder {
  referenced(reference: string): string | undefined;
  named(resourceName: string): string | undefined;
}

/** The DNS name of the zone a record's zone argument names: a zone it refers to, or the name written, as the provider reads it (`literalZone`). */
export function zoneOfInput(input: RecordInput | undefined, dns: DnsRecordSchema, zones: ZoneFinder): string | undefined {
  if (input?.reference !== undefined) return zones.referenced(input.reference);
  if (input?.text === undefined) return undefined;
  if (dns.literalZone === 'dns-name') return input.text;
  if (dns.literalZone === 'zone-resource-name') return zones.named(input.text);
  return undefined;
}

/**
 * A relative name that ends with its own zone (`www.example.com` in
 * example.com, for a provider that appends the zone to every name): the
 * record would be www.example.com.example.com.
 */
export function nameRepeatingZone(name: string, form: NameForm, zone: string, provider: string): Finding | undefined {
  if (form !== 'relative' || name.endsWith('.')) return undefined;
  const zoneName = normalizeName(zone);
  const bare = name.toLowerCase();
  if (bare !== zoneName && !bare.endsWith(`.${zoneName}`)) return undefined;
  const relative = bare === zoneName ? '@' : name.slice(0, name.length - zoneName.length - 1);
  return {
    code: 'dns/name-repeats-zone',
    message: `${provider} appends the zone to record names, so '${name}' would be ${bare}.${zoneName}; write '${relative}'`,
    replacement: relative,
    fixTitle: `Change to ${relative}`,
  };
}

/**
 * The checks of a record name as the provider writes it: its labels, the
 * owner-name rules of its type (SRV, PTR) and the provider's form (a Google
 * name must end with a dot). Relative names are checked label by label.
 */
export function recordNameFindings(name: string, type: string | undefined, form: NameForm, provider: string): Finding[] {
  if (name.trim() !== name) return [{ code: 'dns/value-whitespace', message: 'the record name has leading or trailing white space', replacement: name.trim(), fixTitle: 'Remove white space' }];
  if (name === '') {
    return form === 'relative-or-fqdn' || form === 'relative' ? [] : [{ code: 'dns/name-empty', message: 'the record name is empty; write the full name' }];
  }
  if (name === '@' && (form === 'relative' || form === 'relative-or-fqdn')) return [];
  const findings: Finding[] = [];
  if (form === 'fqdn-dot' && !name.endsWith('.')) {
    findings.push({
      code: 'dns/name-needs-trailing-dot',
      message: `${provider} record names are fully qualified with a trailing dot; write '${name}.'`,
      replacement: `${name}.`,
      fixTitle: 'Add the trailing dot',
    });
  }
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (/[^\x00-\x7f]/.test(bare)) return [...findings, { code: 'dns/name-idn', message: `'${bare}' is an internationalised name; write it in its punycode (xn--) form` }];
  const info = type ? recordTypeInfo(type) : undefined;
  const labelProblems = labelFindings(bare, {
    allowUnderscore: info ? info.underscoreNames : true,
    allowWildcard: true,
    underscoreContext: `is only valid in names of the types that use underscore labels${type ? `, not ${type}` : ''}`,
  });
  // These APIs store an underscore label in any record's name (it is valid DNS, only not a host name): a warning, not an error.
  if (labelProblems.length > 0) return [...findings, ...labelProblems.map((finding) => (finding.code === 'dns/label-underscore' ? { ...finding, severity: 'warning' as const } : finding))];
  if (type !== 'SRV' && type !== 'URI') return findings;
  const labels = bare.toLowerCase().split('.');
  if (!(labels.length >= 2 && labels[0]!.length > 1 && labels[0]!.startsWith('_') && /^_(tcp|udp|tls|sctp|dccp)$/.test(labels[1]!))) {
    const replacement = srvNameFor(bare) + (name.endsWith('.') ? '.' : '');
    findings.push({
      code: 'dns/srv-name',
      message: `an ${type} record name starts with _service._proto (e.g. _sip._tcp); '${bare}' does not`,
      ...(labels.length >= 2 ? { replacement, fixTitle: `Rename to ${replacement}` } : {}),
    });
  }
  return findings;
}

/** Value checks of the DNS core for a type the core knows; other types of the provider are passed through. */
export function recordValueFindings(type: string, value: string, name?: string): Finding[] {
  if (!isRecordType(type)) return [];
  return validateRecordValue(type, value, name);
}

/** The record type as written: findings for a type the provider does not accept, or in the wrong case where case matters. */
export function recordTypeFindings(type: string, types: readonly string[], provider: string, { ignoresCase }: { ignoresCase: boolean }): Finding[] {
  if (types.includes(type)) return [];
  const upper = type.toUpperCase();
  if (types.includes(upper)) {
    return ignoresCase ? [] : [{ code: 'dns/type-not-uppercase', message: `${provider} record types are upper case: write "${upper}"`, replacement: upper, fixTitle: `Change to ${upper}` }];
  }
  const other = Object.hasOwn(RECORD_TYPES, upper) ? ` ${upper} records are valid DNS but ${provider} does not serve them.` : '';
  return [{ code: 'dns/type-unsupported', message: `'${type}' is not a record type ${provider} accepts; expected one of ${types.join(', ')}.${other}` }];
}

/** Types whose value ends in a host name that zone files write fully qualified with a trailing dot. */
const HOST_ENDED_TYPES: Record<string, number> = { CNAME: 0, NS: 0, PTR: 0, MX: 1, SRV: 3 };

/**
 * A target host without the trailing dot, for providers whose API takes
 * targets only fully qualified (Google Cloud DNS answers 400 "Invalid value
 * for rrdata"; DigitalOcean 422 "Data needs to end with a dot"). The fix
 * adds the dot to the host field.
 */
export function targetDotFinding(type: string, value: string, provider: string, { hostOnly = false }: { hostOnly?: boolean } = {}): Finding | undefined {
  const index = hostOnly ? 0 : HOST_ENDED_TYPES[type];
  if (hostOnly && HOST_ENDED_TYPES[type] === undefined) return undefined;
  if (index === undefined) return undefined;
  const fields = value.trim().split(/\s+/);
  const host = fields[index];
  if (host === undefined || fields.length !== index + 1 || host === '.' || host === '@' || host.endsWith('.')) return undefined;
  // An address is reported as what it is by the value checks.
  if (validateTargetHost(host, { type, role: 'target' }).some((finding) => finding.code === 'dns/target-is-ip')) return undefined;
  fields[index] = `${host}.`;
  const replacement = fields.join(' ');
  return {
    code: 'dns/target-needs-trailing-dot',
    message: `${provider} takes the ${type} target fully qualified with a trailing dot; write '${host}.'`,
    replacement,
    fixTitle: 'Add the trailing dot',
  };
}

/**
 * A TXT value in the form Route 53 and Cloud DNS take inside one Terraform
 * string: the provider (Route 53) or the API (Cloud DNS, for unquoted text)
 * reads it as strings separated by `""` (`\"\"` in HCL), and each string
 * holds at most 255 bytes (Route 53 answers CharacterStringTooLong). The fix
 * splits a single long string every 255 bytes.
 */
export function joinedTxtFindings(text: string, provider: string, separator: RegExp): Finding[] {
  const strings = text.split(separator);
  const long = strings.find((part) => Buffer.byteLength(part, 'utf8') > MAX_CHARACTER_STRING);
  if (!long) return [];
  const single = strings.length === 1;
  return [
    {
      code: 'dns/txt-too-long',
      message: `${single ? 'this TXT value is' : 'a string of this TXT value is'} ${Buffer.byteLength(long, 'utf8')} bytes; ${provider} takes at most ${MAX_CHARACTER_STRING} bytes per string. Write \\"\\" where a new string starts`,
      ...(single ? { replacement: splitTxtForQuotedForm(text), fixTitle: 'Split into 255-byte strings' } : {}),
    },
  ];
}

/** A TXT text split every 255 bytes with `""`. */
export function splitTxtForQuotedForm(text: string): string {
  const parts: string[] = [];
  let current = '';
  let bytes = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > 255) {
      parts.push(current);
      current = '';
      bytes = 0;
    }
    current += char;
    bytes += size;
  }
  parts.push(current);
  return parts.join('""');
}

/** The literal text of an input, or of the first object's field (`data.priority`). */
export const textOf = (input: RecordInput | undefined): string | undefined => input?.text;

/** The first object of a nested block or object attribute. */
export const objectOf = (input: RecordInput | undefined): RecordBlockView | undefined => input?.objects?.[0];

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
/** How literalInput spells names and places a list's items (each item at the list's place unless `itemAt` says). */
interface LiteralOptions {
  spell?: (name: string) => string;
  itemAt?: (index: number) => Locator;
}
const NO_OPTIONS: LiteralOptions = {};
const unchanged = (name: string): string => name;

const asText = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined);

/**
 * A literal value (of an HCL attribute or a program input) as a reader sees
 * it: text for a primitive, items for a list, an object view for an object,
 * whose keys the syntax spells with `spell` (Terraform names as they are, a
 * program's camelCase or snake_case). `itemAt` places the items (and objects)
 * of the list itself; the parts of an object point at the object's place.
 */
export function literalInput(value: unknown, at: Locator, options: LiteralOptions = NO_OPTIONS): RecordInput | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const spell = options.spell ?? unchanged;
    const inner = options.spell ? { spell } : NO_OPTIONS;
    // Most lists are of strings (record values): the objects array is made only for a list that has one.
    let objects: RecordBlockView[] | undefined;
    const items = value.map((entry, index) => {
      const place = options.itemAt ? options.itemAt(index) : at;
      if (isPlainObject(entry)) (objects ??= []).push(literalObjectView(entry, place, spell));
      return literalInput(entry, place, inner) ?? { at: place };
    });
    const input: RecordInput = { at, items };
    if (objects) input.objects = objects;
    return input;
  }
  if (isPlainObject(value)) return { at, objects: [literalObjectView(value, at, options.spell ?? unchanged)] };
  return { at, text: asText(value) };
}

function literalObjectView(object: Record<string, unknown>, at: Locator, spell: (name: string) => string): RecordBlockView {
  const options = { spell };
  return { at, get: (name) => (Object.hasOwn(object, spell(name)) ? literalInput(object[spell(name)], at, options) : undefined) };
}

/**
 * Whether an argument or block is surely there: a literal that is not null,
 * or a block written out. An expression may be null and a `dynamic` block may
 * make none, so a rule that two things conflict needs both surely there.
 */
export function surelySet(input: RecordInput | undefined): input is RecordInput {
  return input !== undefined && (input.text !== undefined || input.items !== undefined || input.objects !== undefined);
}

/** The texts of fields, or undefined when one of them is not a literal. */
export function texts(view: RecordBlockView, names: readonly string[]): string[] | undefined {
  const values: string[] = [];
  for (const name of names) {
    const text = view.get(name)?.text;
    if (text === undefined) return undefined;
    values.push(text);
  }
  return values;
}

/** A finding for arguments that do not fit together as the provider requires (its schema's ConflictsWith, ExactlyOneOf, RequiredWith). */
export const argumentsFinding = (message: string): Finding => ({ code: 'dns/record-arguments', message });

/** Quotes a CAA property value for the zone-file form. */
export const quoted = (text: string) => `"${text.replace(/["\\]/g, '\\$&')}"`;

/** An argument of a provider schema, briefly. */
export function arg(name: string, type: AttributeSchema['type'], mode: AttributeSchema['mode'], description: string, extra: Partial<AttributeSchema> = {}): AttributeSchema {
  return { name, type, mode, description, ...extra };
}

/** The `timeouts` block of SDK and framework resources: durations by operation, not judged. */
export const TIMEOUTS_BLOCK: NestedBlockSchema = {
  name: 'timeouts',
  maxItems: 1,
  description: 'How long Terraform waits for the provider to create, read, update or delete the record (durations such as "30m").',
  attributes: ['create', 'read', 'update', 'delete'].map((operation) => arg(operation, 'string', 'optional', `The time allowed to ${operation} the record.`)),
};

/** A nested block Shoreline knows by name but does not judge inside (routing policies). */
export const openBlock = (name: string, description: string, extra: Partial<NestedBlockSchema> = {}): NestedBlockSchema => ({
  name,
  description,
  attributes: [],
  openAttributes: true,
  openBlocks: true,
  ...extra,
});

/** The `type` argument of a record resource: its choices, and the provider's check of a type (one report, with the provider's words). */
export function recordTypeArgument(types: readonly string[], provider: string, { ignoresCase = false, replace = false }: { ignoresCase?: boolean; replace?: boolean } = {}): AttributeSchema {
  return arg('type', 'string', 'required', `The record type: ${types.join(', ')}.`, {
    enum: types,
    ...(ignoresCase ? { enumIgnoresCase: true } : {}),
    ...(replace ? { replace: true } : {}),
    check: (value: string) => recordTypeFindings(value, types, provider, { ignoresCase }),
    example: 'A',
  });
}

/** A zone resource and the data source of the same type, both with the zone's DNS name in `nameArguments`. */
export const zoneSources = (type: string, resourceNames: readonly string[], dataNames: readonly string[] = resourceNames): ZoneSource[] => [
  { kind: 'resource', type, nameArguments: resourceNames },
  { kind: 'data', type, nameArguments: dataNames },
];
