import { diagnosticOf } from '../diagnostics/make.js';
import type { Diagnostic, Finding, Range } from '../diagnostics/types.js';
import { checkLiteral, type LiteralCodes } from '../schema/index.js';
import { dreamhostRecordResource } from '../terraform/providers/dreamhost.js';
import { suggest } from '../util/suggest.js';
import { checkFormat, isPlaceholder, looksLikeSecret } from './formats.js';
import type { LagoonProperty, LagoonResource } from './schema.js';
import { checkZoneRules, type ZoneRecord } from '../dns/zone.js';
import { literalInput, nameRepeatingZone, zoneOfInput, zoneRecordsOf, type RecordBlockView, type ZoneFinder } from '../terraform/providers/dns-records.js';

/**
 * The checks of Lagoon (and bridged DreamHost) resources, whatever language
 * declares them: Pulumi YAML, Python and TypeScript programs each turn their
 * resources into these declarations, and one function applies the schema.
 */

/** A value as far as it is known without running the program. */
export type InputValue = { kind: 'literal'; value: unknown } | { kind: 'secret' } | { kind: 'unknown' };

export interface ResourceInput {
  /** As written in the program (`gitUrl`, `git_url`). */
  written: string;
  /** The schema's property, when the written name is one. */
  property?: LagoonProperty;
  keyRange: Range;
  valueRange: Range;
  value: InputValue;
  /** The value's source text, so that equal references make equal identities. */
  text: string;
  /** Item fields as written, for object lists given literally: name → schema name. */
  itemFields?: (written: string) => string | undefined;
  /** Where the field `key` of the list's `index`th item is written, and whether it is a bare name (else a string literal), for a fix in place. */
  itemKey?: (index: number, key: string) => { range: Range; isName: boolean } | undefined;
}

/**
 * The bridged DreamHost provider's record (`dreamhost:index/dnsRecord:DnsRecord`),
 * in the shape of a Lagoon resource so that one set of checks, completion and
 * hover serve both: its inputs are the Terraform resource's arguments, its
 * outputs the computed attributes (camelCase, as the bridge names them).
 */
export const DREAMHOST_RECORD: LagoonResource = {
  name: 'DnsRecord',
  token: 'dreamhost:index/dnsRecord:DnsRecord',
  description: dreamhostRecordResource.description,
  importId: dreamhostRecordResource.importId?.format ?? 'TYPE|RECORD|VALUE',
  properties: dreamhostRecordResource.attributes.filter((attribute) => attribute.mode !== 'computed'),
  outputs: dreamhostRecordResource.attributes
    .filter((attribute) => attribute.mode === 'computed' && attribute.name !== 'id')
    .map((attribute) => attribute.name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())),
};

export type ResourceKind = 'lagoon' | 'lagoon-provider' | 'dreamhost-record' | 'dns-record' | 'dns-zone';

export interface ResourceDeclaration {
  /** The program's name for it (YAML key, the logical name, or the variable). */
  label: string;
  /** The name other declarations refer to it by: the variable it is assigned to (`zone = ...`), or its YAML key (`${zone.id}`). */
  variable?: string;
  /** The file it is declared in, when a program spreads declarations over files: a variable names something in its own file. */
  file?: string;
  /** Declared in the file's top-level code (a YAML program's resources always are): its references by name mean the file's own variables. */
  topLevel?: boolean;
  kind: ResourceKind;
  /** The Lagoon resource (for kind 'lagoon' and 'lagoon-provider'). */
  schema?: LagoonResource;
  nameRange: Range;
  inputs: ResourceInput[];
  /** Inputs may also come from elsewhere (a spread, `**kwargs`, an args variable): none is reported missing. */
  open?: boolean;
  /** Reads an existing resource (`get`, options with `id` or `urn`): required inputs need not be given. */
  reads?: boolean;
  /** An args object built on its own (`ProjectArgs(...)`): checked, but it is no resource of its own. */
  argsOnly?: boolean;
  /** The logical name when it is a literal: Pulumi refuses two resources of one type with the same one (duplicate URN). */
  logicalName?: string;
  /**
   * The arms of conditionals the declaration sits in (`if` node and arm):
   * declarations in different arms of one conditional never both run.
   */
  branches?: readonly string[];
}

/** A finding and the declaration it is about (programs spread declarations over files). */
export interface ResourceFinding {
  declaration: ResourceDeclaration;
  diagnostic: Diagnostic;
}

/** How one language writes what the messages name. */
export interface Dialect {
  /** A schema property name as this language writes it (`gitUrl` → `git_url` in Python). */
  spell(name: string): string;
  /** How to keep a secret out of plain text, in this language. */
  secretAdvice: string;
  /** What the resource's inputs are called: properties (YAML) or arguments (constructors). */
  inputNoun: 'property' | 'argument';
  /** A string value as source text, for quick fixes (YAML writes it plain). */
  quote?: (value: string) => string;
}

const LITERAL_CODES: LiteralCodes = { type: 'lagoon/property-type', value: 'lagoon/invalid-value' };

/** Fields that identify the Lagoon object a resource creates: two resources with equal ones fight over it. */
const IDENTITY: Record<string, readonly string[]> = {
  Project: ['name'],
  Environment: ['projectId', 'name'],
  Variable: ['projectId', 'environmentId', 'name'],
  NotificationSlack: ['name'],
  NotificationRocketChat: ['name'],
  NotificationEmail: ['name'],
  NotificationMicrosoftTeams: ['name'],
  Group: ['name'],
  User: ['email'],
  Route: ['projectName', 'domain'],
  UserGroupAssignment: ['userEmail', 'groupName'],
  DeployTarget: ['name'],
};

/** The schema's property named as a program writes it, if any. */
export function propertyWritten(schema: LagoonResource, written: string, dialect: Dialect): LagoonProperty | undefined {
  return schema.properties.find((candidate) => dialect.spell(candidate.name) === written);
}

export function checkResources(declarations: readonly ResourceDeclaration[], dialect: Dialect): ResourceFinding[] {
  const found: ResourceFinding[] = [];
  const records: ZoneRecord<ProgramRecordRef>[] = [];
  const zones = programZones(declarations);
  for (const declaration of declarations) {
    // Replacements are values (accepted spellings, lower-cased names): written as the language writes strings.
    const report: Report = (range, finding, isName = false) => found.push({ declaration, diagnostic: diagnosticOf(range, finding, isName ? undefined : dialect.quote) });
    if (declaration.kind === 'dns-record') records.push(...checkProgramRecord(declaration, dialect, report, zoneFinder(zones, declaration)));
    // A zone class: only its DNS name is known (for its records' zone); its other arguments are the SDK's.
    else if (declaration.schema && !declaration.schema.zone) checkLagoonResource(declaration, declaration.schema, dialect, report);
    if (declaration.kind === 'dreamhost-record') records.push(...checkDnsRecord(declaration, report));
  }
  checkProgramZones(records, (declaration, range, finding) => found.push({ declaration, diagnostic: diagnosticOf(range, finding) }));
  checkDuplicates(declarations, (declaration, range, finding) => found.push({ declaration, diagnostic: diagnosticOf(range, finding) }));
  return found;
}

/** Whether two declarations can both run: not in different arms of one conditional. */
function canBothRun(a: ResourceDeclaration, b: ResourceDeclaration): boolean {
  const arms = new Map((a.branches ?? []).map((branch) => [branch.slice(0, branch.lastIndexOf(':')), branch]));
  return (b.branches ?? []).every((branch) => {
    const other = arms.get(branch.slice(0, branch.lastIndexOf(':')));
    return other === undefined || other === branch;
  });
}

/** `isName`: the replacement is a name (an argument's), not a string value. */
type Report = (range: Range, finding: Finding, isName?: boolean) => void;

function checkLagoonResource(declaration: ResourceDeclaration, schema: LagoonResource, dialect: Dialect, report: Report): void {
  const seen = new Set<string>();
  const literals = new Map<string, unknown>();
  const likelySecrets: { value: string; range: Range; what: string }[] = [];
  const names = schema.properties.map((candidate) => dialect.spell(candidate.name));
  const outputs = schema.outputs.map((name) => dialect.spell(name));
  for (const input of declaration.inputs) {
    const property = input.property;
    if (!property) {
      const output = outputs.includes(input.written);
      const { hint, fix } = output ? { hint: `; '${input.written}' is an output Lagoon sets, not an input`, fix: {} } : suggest(input.written, names);
      report(
        input.keyRange,
        {
          code: 'lagoon/unknown-property',
          message: `'${input.written}' is not ${dialect.inputNoun === 'property' ? 'a property' : 'an argument'} of ${schemaTitle(schema, dialect)}${hint}`,
          ...fix,
        },
        true,
      );
      continue;
    }
    seen.add(property.name);
    if (input.value.kind !== 'literal' || input.value.value === null || input.value.value === undefined) continue;
    const literal = input.value.value;
    const what = `${declaration.label}.${dialect.spell(property.name)}`;
    literals.set(property.name, literal);
    const problems = checkLiteral(literal, property, LITERAL_CODES, { converts: false, what });
    for (const finding of problems) report(input.valueRange, finding);
    if (problems.length) continue;
    if (property.format && typeof literal === 'string') for (const finding of checkFormat(property.format, literal, what)) report(input.valueRange, finding);
    if (property.sensitive && typeof literal === 'string' && literal !== '' && !isPlaceholder(literal)) {
      if (property.secretWhenLikely) likelySecrets.push({ value: literal, range: input.valueRange, what });
      else report(input.valueRange, { code: 'lagoon/secret-in-plain-text', message: `${what} is a secret written in plain text; ${dialect.secretAdvice}` });
    }
    if (property.items && Array.isArray(literal)) checkItems(property, literal, input, what, dialect, report);
  }
  if (!declaration.open && !declaration.reads) {
    for (const property of schema.properties) {
      if (property.mode === 'required' && !seen.has(property.name)) {
        report(declaration.nameRange, { code: 'lagoon/missing-property', message: `${declaration.label} (${schema.name}) needs '${dialect.spell(property.name)}': ${property.description}` });
      }
    }
  }
  for (const { value, range, what } of likelySecrets) {
    const name = literals.get('name');
    if (looksLikeSecret(typeof name === 'string' ? name : undefined, value)) {
      report(range, { code: 'lagoon/secret-in-plain-text', message: `${what} looks like a secret written in plain text; ${dialect.secretAdvice}` });
    }
  }
  checkCrossProperties(declaration, schema, literals, dialect, report);
}

function schemaTitle(schema: LagoonResource, dialect: Dialect): string {
  return dialect.inputNoun === 'property' ? schema.token : schema.name;
}

function checkItems(property: LagoonProperty, items: unknown[], input: ResourceInput, what: string, dialect: Dialect, report: Report): void {
  const fields = property.items!;
  const spell = dialect.spell;
  const fieldOf = (written: string) => input.itemFields?.(written) ?? (fields.some((field) => field.name === written) ? written : undefined);
  items.forEach((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      return report(input.valueRange, { code: 'lagoon/property-type', message: `${what}[${index}] must be an object with ${fields.map((field) => spell(field.name)).join(', ')}` });
    const given = new Map(Object.entries(item).map(([key, value]) => [fieldOf(key) ?? key, value]));
    for (const field of fields) {
      const fieldValue = given.get(field.name);
      if (fieldValue === undefined && field.mode === 'required')
        report(input.valueRange, { code: 'lagoon/missing-property', message: `${what}[${index}] needs '${spell(field.name)}': ${field.description}` });
      else if (fieldValue !== undefined && field.enum) {
        // The accepted values only: item fields are not type-checked (the provider converts them).
        // No replacement: the range is the whole list, not the item's value.
        for (const { replacement: _, fixTitle: __, ...finding } of checkLiteral(fieldValue, { ...field, type: 'any' }, LITERAL_CODES, {
          converts: false,
          what: `${what}[${index}].${spell(field.name)}`,
        }))
          report(input.valueRange, finding);
      }
    }
    for (const key of Object.keys(item)) {
      if (fieldOf(key) !== undefined) continue;
      const { hint, fix } = suggest(
        key,
        fields.map((field) => spell(field.name)),
      );
      // At the key when the program says where it is, with the fix; else at the list.
      const at = input.itemKey?.(index, key);
      report(at?.range ?? input.valueRange, { code: 'lagoon/unknown-property', message: `${what}[${index}].${key} is not a field${hint}`, ...(at ? fix : {}) }, at?.isName);
    }
  });
}

function checkCrossProperties(declaration: ResourceDeclaration, schema: LagoonResource, literals: Map<string, unknown>, dialect: Dialect, report: Report): void {
  const at = (name: string) => declaration.inputs.find((input) => input.property?.name === name)?.valueRange ?? declaration.nameRange;
  const present = (name: string) => declaration.inputs.some((input) => input.property?.name === name);
  if (schema.name === 'Task') {
    const type = String(literals.get('type') ?? '').toLowerCase();
    if (type === 'command' && !present('command') && !declaration.open)
      report(at('type'), { code: 'lagoon/missing-property', message: `${declaration.label}: a task of type 'command' needs 'command'` });
    if (type === 'image' && !present('image') && !declaration.open) report(at('type'), { code: 'lagoon/missing-property', message: `${declaration.label}: a task of type 'image' needs 'image'` });
  }
  if (schema.name === 'Project') {
    const production = literals.get('productionEnvironment');
    const branches = literals.get('branches');
    if (typeof production !== 'string' || typeof branches !== 'string' || branches === 'true') return;
    let deployed: boolean;
    try {
      deployed = branches !== 'false' && new RegExp(branches).test(production);
    } catch {
      return; // the regex itself is reported
    }
    if (!deployed)
      report(at('branches'), {
        code: 'lagoon/production-not-deployed',
        message: `the production environment '${production}' does not match ${dialect.spell('branches')} '${branches}', so Lagoon would never deploy it`,
      });
  }
}

/** The DNS checks of a record's literal values, after the schema's own (the same as for Terraform's dreamhost_dns_record). */
function checkDnsRecord(declaration: ResourceDeclaration, report: Report): ZoneRecord<ProgramRecordRef>[] {
  const values: Record<string, string | undefined> = {};
  const ranges = new Map<string, Range>();
  for (const input of declaration.inputs) {
    if (!input.property) continue;
    ranges.set(input.property.name, input.valueRange);
    const value = input.value;
    if (value.kind === 'literal' && (typeof value.value === 'string' || typeof value.value === 'number')) values[input.property.name] = String(value.value);
  }
  for (const finding of dreamhostRecordResource.validate?.(values) ?? []) report(ranges.get(finding.attribute ?? '') ?? declaration.nameRange, finding);
  const { record, type, value } = values;
  if (record === undefined || type === undefined || value === undefined || declaration.argsOnly) return [];
  return [{ name: record, type: type.toUpperCase(), value, ref: { declaration, range: ranges.get('record')! } }];
}

/** Where a program record's zone findings go: its declaration (for the arms of conditionals) and the range of its name. */
interface ProgramRecordRef {
  declaration: ResourceDeclaration;
  range: Range;
}

/**
 * The zone rules over a program's records whose zone is known (names fully
 * qualified, or a literal zone): records in different arms of one
 * conditional never both exist, so a finding that relates only such records
 * is left out.
 */
function checkProgramZones(records: readonly ZoneRecord<ProgramRecordRef>[], report: (declaration: ResourceDeclaration, range: Range, finding: Finding) => void): void {
  if (records.length === 0) return;
  for (const finding of checkZoneRules(records)) {
    const { record, related, ...rest } = finding;
    const together = related.filter((other) => canBothRun(other.declaration, record.declaration));
    if (related.length > 0 && together.length === 0) continue;
    report(record.declaration, record.range, rest);
  }
}

/** A zone a program declares (a zone class: aws.route53.Zone, cloudflare.Zone, ...): its DNS name, and its own name (a Google managed zone's). */
interface ProgramZone {
  dnsName: string | undefined;
  resourceName: string | undefined;
}

/**
 * The zones a program declares: by the name records refer to them with (a
 * variable in its file, a YAML key; one given to two zones says nothing),
 * and all of them.
 */
interface ProgramZones {
  byName: Map<string, ProgramZone | undefined>;
  all: ProgramZone[];
}

/** A variable as a key of ProgramZones.byName: the same name in two files is two variables. */
const variableKey = (declaration: ResourceDeclaration, name: string) => `${declaration.file ?? ''}\u0000${name}`;

function programZones(declarations: readonly ResourceDeclaration[]): ProgramZones {
  const zones: ProgramZones = { byName: new Map(), all: [] };
  for (const declaration of declarations) {
    const spec = declaration.kind === 'dns-zone' ? declaration.schema?.zone : undefined;
    if (!spec) continue;
    const literal = (name: string) => {
      const value = declaration.inputs.find((input) => input.property?.name === name)?.value;
      return value?.kind === 'literal' && typeof value.value === 'string' ? value.value : undefined;
    };
    const zone = { dnsName: spec.nameInputs.map(literal).find((name) => name !== undefined), resourceName: literal('name') };
    zones.all.push(zone);
    if (declaration.variable === undefined) continue;
    const key = variableKey(declaration, declaration.variable);
    zones.byName.set(key, zones.byName.has(key) ? undefined : zone);
  }
  return zones;
}

/**
 * How a program finds a record's zone: the zone declaration its argument
 * refers to (`zoneId: zone.zoneId`, `zone_id=zone.zone_id`, `${zone.zoneId}`;
 * any output of the zone stands for it, as in Terraform), or a zone's own name.
 */
function zoneFinder(zones: ProgramZones, record: ResourceDeclaration): ZoneFinder {
  return {
    // Inside a function, `zone` may be a parameter or a local: only top-level code surely means the top-level zone.
    referenced: (reference) => (record.topLevel === false ? undefined : zones.byName.get(variableKey(record, reference.split('.')[0]!))?.dnsName),
    named: (resourceName) => zones.all.find((zone) => zone.resourceName === resourceName && zone.dnsName !== undefined)?.dnsName,
  };
}

/** Where a program record's finding goes; `whole: false` for an item of a list, which a fix cannot replace alone. */
interface ProgramLocator {
  range: Range;
  whole?: false;
}

/**
 * A DNS record of a bridged provider (cloudflare.DnsRecord, aws.route53.Record,
 * gcp.dns.RecordSet, digitalocean.DnsRecord): the provider's own reader, the
 * same as for its Terraform resource, over the literal inputs; and the
 * arguments' own checks (the record type). Arguments Shoreline does not map
 * are left alone: the bridged SDKs have more than these classes.
 */
function checkProgramRecord(declaration: ResourceDeclaration, dialect: Dialect, report: Report, zones: ZoneFinder): ZoneRecord<ProgramRecordRef>[] {
  const record = declaration.schema?.record;
  if (!record) return [];
  const spell = (name: string) => dialect.spell(record.spell(name));
  const inputs = new Map(declaration.inputs.map((input) => [input.written, input]));
  for (const input of declaration.inputs) {
    if (input.value.kind === 'literal' && typeof input.value.value === 'string') for (const finding of input.property?.check?.(input.value.value) ?? []) report(input.valueRange, finding);
  }
  const view: RecordBlockView = {
    at: { range: declaration.nameRange },
    get(name) {
      const input = inputs.get(spell(name));
      if (!input) return undefined;
      const at: ProgramLocator = { range: input.valueRange };
      if (input.value.kind !== 'literal') {
        // A reference to another resource's output, as each language writes one: `zone.zoneId`, `zone.zone_id`, `${zone.zoneId}`.
        const reference = /^(?:\$\{\s*)?([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+)(?:\s*\})?$/.exec(input.text.trim())?.[1];
        return reference !== undefined ? { at, reference } : { at };
      }
      // An empty list of blocks is no block at all to the bridge (`aliases: []`).
      if (Array.isArray(input.value.value) && input.value.value.length === 0) return undefined;
      // Items share the list's range: a fix of one item would replace the whole list, so items carry none.
      const item: ProgramLocator = { range: input.valueRange, whole: false };
      return literalInput(input.value.value, at, { spell, itemAt: () => item });
    },
  };
  const reading = record.dns.read(view);
  for (const { at, finding } of reading.findings) {
    const { range, whole } = at as ProgramLocator;
    const { replacement: _replacement, fixTitle: _fixTitle, ...withoutFix } = finding;
    report(range, whole === false ? withoutFix : finding);
  }
  if (declaration.argsOnly) return [];
  const zone = zoneOfInput(reading.zone, record.dns, zones);
  const name = reading.name;
  if (zone !== undefined && name?.text !== undefined) {
    const repeated = nameRepeatingZone(name.text, record.dns.names, zone, record.dns.provider);
    if (repeated) report((name.at as ProgramLocator).range, repeated);
  }
  return zoneRecordsOf(reading, record.dns, zone, (at) => ({ declaration, range: (at as ProgramLocator).range }));
}

/**
 * Resources whose identifying properties are equal would fight over one Lagoon
 * object; two of one type with one logical name are refused by Pulumi itself.
 */
function checkDuplicates(declarations: readonly ResourceDeclaration[], report: (declaration: ResourceDeclaration, range: Range, finding: Finding) => void): void {
  const byIdentity = new Map<string, ResourceDeclaration[]>();
  const byUrn = new Map<string, ResourceDeclaration[]>();
  const earlier = (map: Map<string, ResourceDeclaration[]>, key: string, declaration: ResourceDeclaration) => {
    const list = map.get(key) ?? [];
    const first = list.find((candidate) => canBothRun(candidate, declaration));
    list.push(declaration);
    map.set(key, list);
    return first;
  };
  for (const declaration of declarations) {
    if (declaration.argsOnly) continue;
    const token = declaration.schema?.token ?? declaration.kind;
    if (declaration.logicalName !== undefined) {
      const first = earlier(byUrn, `${token}\u0000${declaration.logicalName}`, declaration);
      if (first) {
        report(declaration, declaration.nameRange, {
          code: 'lagoon/duplicate-name',
          message: `'${declaration.logicalName}' is already the name of another ${declaration.schema?.name ?? 'resource'} (${first.label}); Pulumi refuses two resources of one type with one name (duplicate URN)`,
        });
        continue;
      }
    }
    const fields = declaration.schema && declaration.kind === 'lagoon' ? IDENTITY[declaration.schema.name] : undefined;
    if (!fields) continue;
    const texts = new Map(declaration.inputs.filter((input) => input.property).map((input) => [input.property!.name, input.text]));
    if (!texts.has(fields[fields.length - 1]!)) continue;
    const first = earlier(byIdentity, `${token}\u0000${fields.map((field) => texts.get(field) ?? '').join('\u0000')}`, declaration);
    if (first) {
      report(declaration, declaration.nameRange, {
        code: 'lagoon/duplicate-name',
        message: `${declaration.label} and ${first.label} are both ${declaration.schema!.name} with ${fields.map((field) => `${field} ${texts.get(field) ?? '(unset)'}`).join(', ')}`,
      });
    }
  }
}
