import '../dns/rules.js';
import '../hcl/rules.js';
import './rules.js';
import { diagnosticOf } from '../diagnostics/make.js';
import { compareDiagnostics, comparePositions, type Diagnostic, type Finding, type Fix, type Position, type Range } from '../diagnostics/types.js';
import { ZoneIndex, type ZoneRecord } from '../dns/zone.js';
import { nameRepeatingZone, zoneOfInput, zoneRecordsOf, type DnsRecordSchema, type RecordReading, type ZoneFinder } from './providers/dns-records.js';
import { hclRecordView, keptLocator, PackedRange, type HclLocator } from './record-view.js';
import { literalString, type HclAttribute, type HclBlock, type HclDocument, type HclLiteral } from '../hcl/types.js';
import { baseName, isOverrideFile } from '../kinds/index.js';
import { checkLiteral, type LiteralCodes } from '../schema/index.js';
import { exactSize } from '../util/arrays.js';
import { KeyedIndex } from '../util/changes.js';
import { closest, suggest } from '../util/suggest.js';

/** Writes a replacement as it is: identifiers and references, not strings. */
const bare = (value: string): string => value;
import { blockIndexOf, compactReferencesOf, ReferenceState, traversalAddress, type BlockReferences } from './references.js';
import { impliedProvider, SchemaRegistry, ZONE_SOURCES } from './registry.js';
import { acceptsDynamic, builtinBlock, DYNAMIC_BLOCK, generatableBlocks, layered, PROVIDER_BLOCK, TERRAFORM_FILE_BLOCKS } from './builtin.js';
import type { AttributeSchema, BlockSchema, BlockValues, NestedBlockSchema, ResourceSchema } from './schema.js';
import { parseProviderSource, parseVersionConstraints } from './versions.js';

/** Shared empty lists, never added to: most blocks have no findings of their own. */
const NO_DIAGNOSTICS: Diagnostic[] = [];
const NO_FINDINGS: RecordReading['findings'] = [];

/** How Terraform names the shared literal checks' findings. */
const LITERAL_CODES: LiteralCodes = { type: 'tf/attribute-type', value: 'tf/invalid-value' };

/** A valid name, as Go HCL's ValidIdentifier: `(ID_Start | '_') (ID_Continue | '-')*`. */
const IDENTIFIER = /^[\p{ID_Start}_][\p{ID_Continue}-]*$/u;

/** Writes a string as an HCL quoted literal. */
export function hclQuote(value: string): string {
  return JSON.stringify(value)
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, '%%{');
}

interface Located {
  document: HclDocument;
  block: HclBlock;
}

/**
 * A resource or data source of a module: only what the checks across blocks
 * need, not the block, so a module's documents need not stay in memory until
 * all of them are analysed.
 */
interface DeclaredResource {
  /** `TYPE.NAME` or `data.TYPE.NAME`. */
  address: string;
  source: string;
  /** The type and labels of the block as written: where a duplicate is reported (its start tells which of duplicates is first). */
  header: PackedRange;
  /** The literal values of its arguments (merged with overrides), when its type has import IDs to compare them with. */
  importValues?: BlockValues;
}

/**
 * Where a zone record's findings go: the value of the file that set it, as
 * the record reader located it (PackedLocator, or a list item's); its start
 * says which of duplicates is first.
 */
type RecordRef = HclLocator;

/** The records of one record block as its provider reads them, and their zone records once the zone is known. */
interface DnsFacts {
  schema: DnsRecordSchema;
  reading: RecordReading;
  /** The zone records for the zone last resolved: kept, so the zone index sees the same objects while nothing changes. */
  resolved?: { zone: string | undefined; records: ZoneRecord<RecordRef>[] };
}

interface ZoneFacts {
  type: string;
  dnsName?: string;
  resourceName?: string;
}

/** A resource or data block of a type no schema declares, checked once the module's providers are known. */
interface UntypedResource {
  source: string;
  kind: 'resource' | 'data';
  type: string;
  typeRange: Range;
  providerName: string;
}

/**
 * A module's documents: all of them, or their sources and a way to read one.
 * Read that way, the analysis holds one document at a time (and the override
 * files, which change the others): `shoreline check` of a large module does
 * not keep every syntax tree.
 */
export type ModuleDocuments = readonly HclDocument[] | { sources: readonly string[]; load(source: string): HclDocument };

/** What a resource or data block contributes to its module's analysis, kept per block object. */
interface ResourceFacts {
  registry: SchemaRegistry;
  source: string;
  /** The block's own findings (labels, count/for_each, its body against the schema). */
  diagnostics: Diagnostic[];
  /** What it declares (undefined when its labels are not valid). */
  located?: DeclaredResource;
  providerName: string;
  /** No schema declares its type: checked once the module's providers are known. */
  untyped: boolean;
  /** The DNS records it declares (a record resource without count or for_each). */
  dns?: DnsFacts;
  /** It is a zone (ZONE_SOURCES): its DNS name and, for Cloud DNS, the zone's resource name. */
  zone?: ZoneFacts;
  /** What the block as written brings to the module's references when that fits a compact form (compactReferencesOf); else its BlockIndex is used. */
  references?: BlockReferences;
}

export interface AnalyzeOptions {
  registry?: SchemaRegistry;
  /**
   * What the last analysis of the same module kept (indexes that span its
   * blocks): given, an analysis updates them by what changed instead of
   * building them anew. One state per module.
   */
  state?: ModuleAnalysisState;
  /**
   * The module has files Shoreline does not read (`.tf.json`): checks that a
   * thing is declared nowhere are left out, since it may be declared there.
   */
  incomplete?: boolean;
}

class ModuleAnalyzer {
  private readonly results = new Map<string, Diagnostic[]>();
  /** The resources and data sources of this analysis, in module order. */
  private readonly declared: DeclaredResource[] = [];
  private readonly records: ZoneRecord<RecordRef>[] = [];
  /** The record blocks of this analysis, and the zones they may refer to, by address. */
  private readonly dnsBlocks: DnsFacts[] = [];
  private readonly zones = new Map<string, ZoneFacts>();
  /** Local name → the namespace/type Terraform resolves it to ('' when not literal). */
  private readonly requiredProviders = new Map<string, string>();
  private readonly usedProviders = new Map<string, { source: string; range: Range }>();
  private readonly imports: { source: string; block: HclBlock }[] = [];

  /** Override-file blocks by the address they change (override.tf, *_override.tf), in the order Terraform applies them. */
  private readonly overrides = new Map<string, Located[]>();
  /** The document an attribute or nested block of a merged (overridden) block comes from. */
  private readonly owners = new WeakMap<object, HclDocument>();
  private readonly untyped: UntypedResource[] = [];
  /** What the module's top-level blocks declare and refer to, in module order. */
  private readonly blockIndexes: BlockReferences[] = [];
  /**
   * Not every declaration of the module could be read (files not read, or
   * with syntax errors): "declared nowhere" checks are off. Known once every
   * document is read.
   */
  private partial: boolean;

  constructor(
    private readonly documents: ModuleDocuments,
    private readonly registry: SchemaRegistry,
    options: AnalyzeOptions,
  ) {
    this.partial = !!options.incomplete;
    this.state = options.state ?? new ModuleAnalysisState();
  }

  private readonly state: ModuleAnalysisState;

  run(): Map<string, Diagnostic[]> {
    const module = asLoader(this.documents);
    const sources = module.sources;
    const load = (source: string): HclDocument => {
      const document = module.load(source);
      this.results.get(source)!.push(...document.diagnostics);
      if (isPartialModule([document])) this.partial = true;
      return document;
    };
    for (const source of sources) this.results.set(source, []);
    const overrideFiles = sources
      .filter((source) => isOverrideFile(source))
      .sort((a, b) => baseName(a).localeCompare(baseName(b)))
      .map(load);
    for (const document of overrideFiles) this.collectOverrides(document);
    for (const source of sources) if (!isOverrideFile(source)) this.analyzeDocument(load(source));
    for (const document of overrideFiles) this.analyzeDocument(document, { override: true });
    this.checkDuplicateAddresses();
    this.checkUnmatchedOverrides();
    this.checkUnknownTypes();
    for (const located of this.imports) this.checkImport(located);
    this.checkZone();
    this.checkReferences();
    for (const [name, use] of this.usedProviders) {
      const provider = this.registry.provider(name);
      if (!provider || provider.source.startsWith('hashicorp/')) continue;
      // Without a source (or with no entry at all) Terraform takes hashicorp/NAME, as it does for a bare name.
      const declared = this.requiredProviders.get(name);
      if (declared !== undefined && declared !== `hashicorp/${name}`) continue;
      if (declared === undefined && this.partial) continue; // the entry may be in a file Shoreline could not read
      this.report(use.source, use.range, {
        code: 'tf/provider-not-declared',
        message: `${declared === undefined ? `the ${name} provider is not in required_providers` : `required_providers.${name} names no other source`}, so Terraform would look for hashicorp/${name}, which does not exist; declare ${name} = { source = "${provider.source}" }`,
      });
    }
    for (const diagnostics of this.results.values()) diagnostics.sort(compareDiagnostics);
    return this.results;
  }

  /**
   * References to what the module does not declare (Terraform refuses them),
   * and variables and locals nothing uses. Off in a partial module: the
   * declaration may be in what could not be read.
   */
  private checkReferences(): void {
    if (this.partial) return;
    const references = this.state.references;
    references.update(this.blockIndexes);
    const KINDS: Record<string, string> = { var: 'variable', local: 'local value', module: 'module', data: 'data source', ephemeral: 'ephemeral resource' };
    for (const reference of references.undeclaredReferences()) {
      const root = reference.address.split('.')[0]!;
      const kind = KINDS[root] ?? 'resource';
      const suggestion = closest(reference.address, references.declaredLike(`${root}.`, reference.address.split('.').length));
      const how = root === 'var' ? `; declare it with variable "${reference.address.slice(4)}" {}` : root === 'local' ? '; declare it in a locals block' : '';
      this.report(
        reference.source,
        reference.range,
        {
          code: 'tf/undeclared-reference',
          message: `${reference.address} refers to a ${kind} this module does not declare${suggestion ? `; did you mean ${suggestion}?` : how}`,
          ...(suggestion ? { replacement: suggestion, fixTitle: `Change to ${suggestion}` } : {}),
        },
        (address) => address,
      );
    }
    for (const declaration of references.unusedDeclarations()) {
      this.report(declaration.source, declaration.nameRange, {
        code: 'tf/unused-declaration',
        message: `${declaration.address} is not used in this module`,
        unnecessary: true,
      });
    }
  }

  /** `at`: the document, or the source, the finding goes to. */
  private report(at: HclDocument | string, range: Range, finding: Finding, quote: (value: string) => string = hclQuote): Diagnostic {
    const source = typeof at === 'string' ? at : at.source;
    const diagnostic = diagnosticOf(range, finding, quote);
    this.results.get(source)!.push(diagnostic);
    this.capture?.push({ source, diagnostic });
    return diagnostic;
  }

  /** While a block's findings are being recorded for the cache: every report made. */
  private capture: { source: string; diagnostic: Diagnostic }[] | undefined;

  /**
   * validateBody for a top-level block, from the cache when the same block
   * object was checked against the same schema before: an edit re-checks the
   * blocks it touched, not the module (an incremental re-parse keeps the
   * others' objects). Blocks merged from override files are new objects each
   * time, so they are always checked.
   */
  private checkedBody(document: HclDocument, block: HclBlock, schema: BlockSchema, meta: { partial?: boolean } = {}): BlockValues {
    const partial = !!meta.partial;
    const cached = bodyCache.get(block);
    if (cached && cached.schema === schema && cached.partial === partial && cached.source === document.source) {
      this.results.get(document.source)!.push(...cached.diagnostics);
      return cached.values;
    }
    const outer = this.capture;
    const captured: { source: string; diagnostic: Diagnostic }[] = [];
    this.capture = captured;
    let values: BlockValues;
    try {
      values = this.validateBody(document, block, schema, meta);
    } finally {
      this.capture = outer;
    }
    outer?.push(...captured);
    if (captured.every((entry) => entry.source === document.source)) bodyCache.set(block, { schema, partial, source: document.source, values, diagnostics: captured.map((entry) => entry.diagnostic) });
    return values;
  }

  /** The document a node of a block belongs to: its override file, or the block's own document. */
  private ownerOf(node: object, fallback: HclDocument): HclDocument {
    return this.owners.get(node) ?? fallback;
  }

  private collectOverrides(document: HclDocument): void {
    for (const block of document.body.blocks) {
      if ((block.type !== 'resource' && block.type !== 'data') || block.labels.length !== 2) continue;
      const address = resourceAddress(block.type, block.labels[0]!, block.labels[1]!);
      this.overrides.set(address, [...(this.overrides.get(address) ?? []), { document, block }]);
    }
  }

  /**
   * Terraform merges an override block into the primary block of the same
   * address: each argument it sets replaces the original's, and its nested
   * blocks of a type replace all the original's blocks of that type.
   */
  private merged(block: HclBlock, address: string): HclBlock {
    const overrides = this.overrides.get(address);
    if (!overrides) return block;
    let attributes = block.attributes;
    let blocks = block.blocks;
    for (const override of overrides) {
      const names = new Set(override.block.attributes.map((attr) => attr.name));
      const types = new Set(override.block.blocks.map((nested) => nested.type));
      attributes = [...attributes.filter((attr) => !names.has(attr.name)), ...override.block.attributes];
      blocks = [...blocks.filter((nested) => !types.has(nested.type)), ...override.block.blocks];
      for (const node of [...override.block.attributes, ...override.block.blocks]) this.owners.set(node, override.document);
    }
    return { ...block, attributes, blocks };
  }

  /** A type with the prefix of a provider whose every type Shoreline knows, from that very provider, does not exist. */
  private checkUnknownTypes(): void {
    for (const { source, kind, type, typeRange, providerName } of this.untyped) {
      const provider = this.registry.provider(providerName);
      if (!provider?.complete || this.requiredProviders.get(providerName) !== provider.source) continue;
      const known = provider.resources.filter((resource) => resource.kind === kind).map((resource) => resource.type);
      const what = kind === 'data' ? 'data source' : 'resource';
      const suggested = suggest(type, known);
      this.report(source, typeRange, {
        code: 'tf/unknown-resource-type',
        message: `${provider.source} has no ${what} ${type}${known.length ? `; its ${what}s: ${known.join(', ')}${suggested.hint}` : `; it has no ${what}s`}`,
        ...suggested.fix,
      });
    }
  }

  /** Addresses declared more than once: the first in file order is the one, the others are reported. */
  private checkDuplicateAddresses(): void {
    this.state.addresses.update(this.declared);
    for (const address of this.state.addresses.repeated) {
      const [first, ...again] = [...this.state.addresses.get(address)].sort(compareDeclared);
      for (const resource of again) {
        const where = first!.source === resource.source ? `line ${first!.header.startLine + 1}` : `${first!.source}:${first!.header.startLine + 1}`;
        this.report(resource.source, resource.header.range, {
          code: 'tf/duplicate-resource',
          message: `${address} is already declared at ${where}; resource addresses must be unique in a module`,
        });
      }
    }
  }

  private checkUnmatchedOverrides(): void {
    if (this.partial) return;
    for (const [address, overrides] of this.overrides) {
      if (this.state.addresses.has(address)) continue;
      for (const { document, block } of overrides) {
        this.report(document, block.headerRange, {
          code: 'tf/override-without-base',
          message: `there is no ${address} in the module's other files for this override to change; an override file can only change blocks declared in the module's primary files`,
        });
      }
    }
  }

  private analyzeDocument(document: HclDocument, { override = false } = {}): void {
    for (const attr of document.body.attributes) {
      this.report(document, attr.nameRange, {
        code: 'tf/unexpected-attribute',
        message: `'${attr.name}' is an attribute at the top level; in a .tf file, attributes go inside blocks (variables in .tfvars files, values in locals { })`,
      });
    }
    for (const block of document.body.blocks) {
      // Resources and data sources, most of a large module: from their facts, labels included.
      if ((block.type === 'resource' || block.type === 'data') && !override) {
        this.blockIndexes.push(this.analyzeResource(document, block, block.type) ?? blockIndexOf(document, block));
        continue;
      }
      this.blockIndexes.push(blockIndexOf(document, block));
      const schema = builtinBlock(block.type);
      if (!schema) {
        const names = TERRAFORM_FILE_BLOCKS.map((candidate) => candidate.name);
        const { hint, fix } = suggest(block.type, names);
        this.report(document, block.typeRange, { code: 'tf/unknown-block', message: `'${block.type}' is not a Terraform block type${hint}`, ...fix }, bare);
        continue;
      }
      if (!this.checkLabels(document, block, schema)) continue;
      switch (block.type) {
        case 'resource':
        case 'data':
          continue; // an override file's: merged into the block it changes
        case 'provider':
          this.analyzeProvider(document, block, override);
          continue;
        case 'import':
          this.imports.push({ source: document.source, block });
          break;
        case 'terraform':
          this.analyzeTerraformBlock(document, block);
          break;
      }
      // An override file's block changes some arguments of the original: nothing is missing from it.
      this.checkedBody(document, block, schema, { partial: override });
    }
  }

  private checkLabels(document: HclDocument, block: HclBlock, schema: NestedBlockSchema): boolean {
    const names = schema.labels ?? [];
    if (block.labels.length !== names.length) {
      const what = names.length === 0 ? 'no labels' : `${names.length === 1 ? 'one label' : `${names.length} labels`} (${names.join(' and ')})`;
      this.report(document, block.headerRange, { code: 'tf/block-labels', message: `a ${block.type} block takes ${what}; this one has ${block.labels.length}` });
      return false;
    }
    // The label that names the object must be a valid identifier (a provider's local name is checked by Terraform elsewhere).
    const nameIndex = names.indexOf('name');
    const name = block.labels[nameIndex];
    if (name !== undefined && block.type !== 'provider' && !IDENTIFIER.test(name)) {
      this.report(document, block.labelRanges[nameIndex]!, {
        code: 'tf/block-labels',
        message: `'${name}' is not a valid name: names start with a letter or underscore and contain letters, digits, underscores and dashes`,
      });
      return false;
    }
    return true;
  }

  /**
   * A resource or data block: its own checks come from the cache when the
   * same block object was analysed before (an edit re-analyses the blocks it
   * touched, not the module); what spans blocks (addresses, providers, zone
   * records) is gathered from the facts every time. Returns what the block
   * contributes to the module's references when that has a compact form
   * (compactReferencesOf).
   */
  private analyzeResource(document: HclDocument, declared: HclBlock, kind: 'resource' | 'data'): BlockReferences | undefined {
    let facts = resourceFactsCache.get(declared);
    // A block changed by an override file is merged anew each time: never from the cache.
    if (!facts || facts.registry !== this.registry || facts.source !== document.source || (this.overrides.size > 0 && facts.located !== undefined && this.overrides.has(facts.located.address))) {
      facts = this.resourceFacts(document, declared, kind);
    } else if (facts.diagnostics.length > 0) {
      this.results.get(document.source)!.push(...facts.diagnostics);
    }
    if (!facts.located) return undefined; // labels Terraform rejects: reported, nothing more to check
    this.declared.push(facts.located);
    if (!this.usedProviders.has(facts.providerName)) this.usedProviders.set(facts.providerName, { source: document.source, range: declared.labelRanges[0]! });
    if (facts.untyped) this.untyped.push({ source: document.source, kind, type: declared.labels[0]!, typeRange: declared.labelRanges[0]!, providerName: facts.providerName });
    if (facts.dns) this.dnsBlocks.push(facts.dns);
    if (facts.zone) this.zones.set(facts.located.address, facts.zone);
    return facts.references;
  }

  /** Analyses a resource or data block on its own, and keeps the facts for the next analysis of the same block object unless overrides change it. */
  private resourceFacts(document: HclDocument, declared: HclBlock, kind: 'resource' | 'data'): ResourceFacts {
    const outer = this.capture;
    const captured: { source: string; diagnostic: Diagnostic }[] = [];
    this.capture = captured;
    try {
      // Every field from the start: one object shape, no property storage added later (a large module keeps one per block).
      const facts: ResourceFacts = {
        registry: this.registry,
        source: document.source,
        diagnostics: [],
        located: undefined,
        providerName: '',
        untyped: false,
        dns: undefined,
        zone: undefined,
        references: undefined,
      };
      let overridden = false;
      if (this.checkLabels(document, declared, builtinBlock(kind)!)) {
        const [type, name] = declared.labels as [string, string];
        const address = resourceAddress(kind, type, name);
        overridden = this.overrides.has(address);
        const block = this.merged(declared, address);
        const count = block.attributes.find((attr) => attr.name === 'count');
        const forEach = block.attributes.find((attr) => attr.name === 'for_each');
        if (count && forEach) this.report(document, forEach.nameRange, { code: 'tf/count-and-for-each', message: '`count` and `for_each` cannot both be set on one resource; use one of them' });
        const providerAttr = block.attributes.find((attr) => attr.name === 'provider');
        const schema = this.registry.resource(kind, type);
        const values = this.validateBody(document, block, layered(builtinBlock(kind)!, schema));
        if (kind === 'resource' && schema?.dns) {
          // Without override files every part of the block is the document's.
          const sourceOf = this.overrides.size === 0 ? () => document.source : (node: object) => this.ownerOf(node, document).source;
          const reading = schema.dns.read(hclRecordView(block, sourceOf));
          for (const { at, finding } of reading.findings) this.report((at as HclLocator).source, (at as HclLocator).range, finding);
          // Instances of count and for_each share one block: their records are not known one by one.
          if (!count && !forEach) {
            // Kept for the zone rules: the records and the name, placed by packed locators; of the zone argument only what names the zone.
            for (const record of reading.records) record.at = keptLocator(record.at as HclLocator);
            const { zone, name } = reading;
            facts.dns = {
              schema: schema.dns,
              reading: {
                findings: NO_FINDINGS,
                records: exactSize(reading.records),
                ...(zone ? { zone: { at: undefined, text: zone.text, reference: zone.reference } } : {}),
                ...(name ? { name: { at: keptLocator(name.at as HclLocator), text: name.text } } : {}),
              },
              resolved: undefined,
            };
          }
        }
        const zoneSource = ZONE_SOURCES.get(`${kind}.${type}`);
        if (zoneSource) {
          const literal = (name: string) => literalString(block.attributes.find((attr) => attr.name === name));
          const dnsName = zoneSource.nameArguments.map(literal).find((name) => name !== undefined);
          const resourceName = literal('name');
          facts.zone = { type, ...(dnsName !== undefined ? { dnsName } : {}), ...(resourceName !== undefined ? { resourceName } : {}) };
        }
        facts.located = { address, source: document.source, header: new PackedRange(declared.headerRange), ...(schema?.importId ? { importValues: values } : {}) };
        facts.references = compactReferencesOf(document.source, declared, facts.located);
        facts.providerName = providerAttr?.traversal?.split('.')[0] ?? impliedProvider(type);
        facts.untyped = !schema;
      }
      // Most blocks have none: one shared empty list for them (a large module keeps facts per block).
      facts.diagnostics = captured.length ? captured.map((entry) => entry.diagnostic) : NO_DIAGNOSTICS;
      if (!overridden && captured.every((entry) => entry.source === document.source)) resourceFactsCache.set(declared, facts);
      return facts;
    } finally {
      this.capture = outer;
      outer?.push(...captured);
    }
  }

  /** Checks a block's body against a schema; returns the literal string values for cross-checks. */
  private validateBody(document: HclDocument, block: HclBlock, schema: BlockSchema, meta: { partial?: boolean } = {}): BlockValues {
    const at = (node: object) => this.ownerOf(node, document);
    const { byName, nestedByName } = schemaIndex(schema);
    const values: Record<string, string | undefined> = {};
    const seen = new Map<string, HclAttribute>();

    for (const attr of block.attributes) {
      // An argument set twice is a syntax error the parser reports ("Attribute redefined"); the first one counts.
      if (seen.has(attr.name)) continue;
      seen.set(attr.name, attr);
      const attrSchema = byName.get(attr.name);
      if (!attrSchema && schema.openAttributes) continue;
      if (!attrSchema) {
        const { hint, fix } = nestedByName.has(attr.name) ? { hint: `; '${attr.name}' is a block: write ${attr.name} { ... } without '='`, fix: {} } : suggest(attr.name, byName.keys());
        this.report(at(attr), attr.nameRange, { code: 'tf/unknown-attribute', message: `'${attr.name}' is not an argument of ${this.describe(block)}${hint}`, ...fix }, bare);
        continue;
      }
      if (attrSchema.mode === 'computed') {
        this.report(at(attr), attr.nameRange, { code: 'tf/read-only-attribute', message: `'${attr.name}' is set by the provider and cannot be configured: ${attrSchema.description}` });
        continue;
      }
      values[attr.name] = attr.value.known && attr.value.value !== null ? literalString(attr) : undefined;
      if (!attr.value.known || attr.value.value === null) continue;
      const text = values[attr.name];
      const problems = checkLiteral(attr.value.value, attrSchema, LITERAL_CODES, literalOptions(attrSchema));
      if (problems.length > 0) {
        for (const finding of problems) this.report(at(attr), attr.valueRange, finding);
        if (problems.some((finding) => finding.code === 'tf/attribute-type')) continue;
      }
      if (attrSchema.sensitive && text !== undefined) {
        this.report(at(attr), attr.valueRange, {
          code: 'tf/secret-in-config',
          message: `'${attr.name}' is a credential written as literal text; pass it from a variable with sensitive = true or from the environment, and rotate this key if the file was ever shared`,
        });
      }
    }

    for (const attrSchema of schema.attributes) {
      if (attrSchema.mode !== 'required' || meta.partial) continue;
      const attr = seen.get(attrSchema.name);
      if (!attr || (attr.value.known && attr.value.value === null)) {
        const diagnostic = this.report(document, block.headerRange, { code: 'tf/missing-attribute', message: `${this.describe(block)} needs '${attrSchema.name}': ${attrSchema.description}` });
        if (!attr) diagnostic.fixes = [addAttributeFix(document, block, attrSchema)];
      }
    }

    const blockCounts = new Map<string, number>();
    /** Block types generated by `dynamic` blocks: how many there will be is not known. */
    const generated = new Set<string>();
    for (const nested of block.blocks) {
      if (nested.type === 'dynamic' && acceptsDynamic(schema)) {
        this.validateDynamic(at(nested), nested, schema, generated, meta);
        continue;
      }
      const nestedSchema = nestedByName.get(nested.type);
      if (!nestedSchema) {
        if (schema.openBlocks) continue;
        const { hint, fix } = byName.has(nested.type) ? { hint: `; '${nested.type}' is an argument: write ${nested.type} = ...`, fix: {} } : suggest(nested.type, nestedByName.keys());
        this.report(at(nested), nested.typeRange, { code: 'tf/unknown-block', message: `'${nested.type}' is not a block of ${this.describe(block)}${hint}`, ...fix }, bare);
        continue;
      }
      if (!this.checkLabels(at(nested), nested, nestedSchema)) continue;
      const countSoFar = (blockCounts.get(nested.type) ?? 0) + 1;
      blockCounts.set(nested.type, countSoFar);
      if (nestedSchema.maxItems !== undefined && countSoFar > nestedSchema.maxItems) {
        this.report(at(nested), nested.typeRange, {
          code: 'tf/too-many-blocks',
          message: `${this.describe(block)} takes at most ${nestedSchema.maxItems} '${nested.type}' block${nestedSchema.maxItems === 1 ? '' : 's'}`,
        });
        continue;
      }
      this.validateBody(at(nested), nested, nestedSchema, meta);
    }
    for (const nestedSchema of schema.blocks ?? []) {
      if (meta.partial || generated.has(nestedSchema.name)) continue;
      if ((nestedSchema.minItems ?? 0) > (blockCounts.get(nestedSchema.name) ?? 0)) {
        this.report(document, block.headerRange, { code: 'tf/missing-attribute', message: `${this.describe(block)} needs a '${nestedSchema.name}' block: ${nestedSchema.description}` });
      }
    }

    for (const finding of schema.validate?.(values) ?? []) {
      const attr = seen.get(finding.attribute);
      if (attr) this.report(at(attr), attr.valueRange, finding);
    }
    return values;
  }

  /** `dynamic "NAME" { for_each = ...; content { ... } }`: NAME must be a block of the parent, and `content` is one such block's body. */
  private validateDynamic(document: HclDocument, dynamic: HclBlock, parent: BlockSchema, generated: Set<string>, meta: { partial?: boolean }): void {
    if (!this.checkLabels(document, dynamic, DYNAMIC_BLOCK)) return;
    const type = dynamic.labels[0]!;
    const generatable = generatableBlocks(parent);
    const target = generatable.includes(type) ? schemaIndex(parent).nestedByName.get(type) : undefined;
    if (!target && (!parent.openBlocks || schemaIndex(parent).nestedByName.has(type))) {
      const names = generatable;
      const { hint, fix } = suggest(type, names);
      this.report(document, dynamic.labelRanges[0]!, { code: 'tf/unknown-block', message: `a dynamic block generates '${type}' blocks, which are not blocks here${hint}`, ...fix });
      return;
    }
    generated.add(type);
    const content = target ? { ...DYNAMIC_BLOCK, blocks: [{ ...target, name: 'content', minItems: 1, maxItems: 1, labels: [] }] } : DYNAMIC_BLOCK;
    this.validateBody(document, dynamic, content, meta);
  }

  private describe(block: HclBlock): string {
    if (block.type === 'resource' || block.type === 'data' || block.type === 'provider') return `${block.type} "${block.labels[0] ?? ''}"`;
    return `the ${block.type} block`;
  }

  private analyzeProvider(document: HclDocument, block: HclBlock, override: boolean): void {
    const name = block.labels[0]!;
    if (!this.usedProviders.has(name)) this.usedProviders.set(name, { source: document.source, range: block.labelRanges[0]! });
    // An override file's provider block changes some arguments of the original: nothing is missing from it.
    this.validateBody(document, block, layered(PROVIDER_BLOCK, this.registry.provider(name)), { partial: override });
  }

  private analyzeTerraformBlock(document: HclDocument, block: HclBlock): void {
    const requiredVersion = block.attributes.find((attr) => attr.name === 'required_version');
    const versionText = literalString(requiredVersion);
    if (requiredVersion && versionText !== undefined) {
      for (const finding of parseVersionConstraints(versionText).findings) this.report(document, requiredVersion.valueRange, finding);
    }
    for (const nested of block.blocks.filter((candidate) => candidate.type === 'required_providers')) {
      for (const entry of nested.attributes) {
        const implied = `hashicorp/${entry.name}`;
        if (!entry.value.known) {
          this.requiredProviders.set(entry.name, '');
          continue;
        }
        const value = entry.value.value;
        this.requiredProviders.set(entry.name, implied);
        if (typeof value === 'string') {
          this.report(document, entry.valueRange, {
            code: 'tf/provider-legacy-syntax',
            message: `a bare version string is the pre-0.13 syntax (Terraform still accepts it, as ${implied}); the current form is ${entry.name} = { source = "${implied}", version = ${hclQuote(value)} }`,
          });
          for (const finding of parseVersionConstraints(value).findings) this.report(document, entry.valueRange, finding);
          continue;
        }
        if (!isObject(value)) {
          this.report(document, entry.valueRange, { code: 'tf/attribute-type', message: `required_providers.${entry.name} must be an object { source = ..., version = ... }` });
          continue;
        }
        const source = value['source'];
        if (typeof source === 'string') {
          const parsed = parseProviderSource(source);
          for (const finding of parsed.findings) this.report(document, entry.valueRange, finding);
          if (parsed.source) this.requiredProviders.set(entry.name, `${parsed.source.namespace}/${parsed.source.type}`);
        }
        const version = value['version'];
        if (typeof version === 'string') {
          for (const finding of parseVersionConstraints(version).findings) this.report(document, entry.valueRange, finding);
        }
      }
    }
  }

  private checkImport({ source: document, block }: { source: string; block: HclBlock }): void {
    const to = block.attributes.find((attr) => attr.name === 'to');
    const id = block.attributes.find((attr) => attr.name === 'id');
    if (!id && !block.attributes.some((attr) => attr.name === 'identity'))
      this.report(document, block.typeRange, { code: 'tf/missing-attribute', message: "an import block needs 'id', the provider's ID of the existing object" });
    if (!to?.traversal) return;
    const address = to.traversal.replace(/\[[^\]]*\]$/, '');
    const parts = address.split('.');
    if (parts[0] === 'module') return; // resources of child modules are not visible here
    if (parts.length !== 2) {
      this.report(document, to.valueRange, { code: 'tf/import-target', message: `'${to.traversal}' is not a resource address (TYPE.NAME)` });
      return;
    }
    const target = this.state.addresses.get(address)[0];
    if (!target && this.partial) return;
    if (!target) {
      const importSuggestion = suggest(
        address,
        [...this.state.addresses.keys()].filter((key) => !key.startsWith('data.')),
      );
      this.report(
        document,
        to.valueRange,
        {
          code: 'tf/import-target-undeclared',
          message: `${address} is not declared in this module, so terraform plan fails unless it generates the configuration (-generate-config-out)${importSuggestion.hint}`,
          // The fix writes the address alone: offered only where the target has no index to keep.
          ...(to.traversal === address ? importSuggestion.fix : {}),
        },
        bare,
      );
      return;
    }
    const schema: ResourceSchema | undefined = this.registry.resource('resource', parts[0]!);
    const idText = literalString(id);
    if (!schema?.importId || idText === undefined || !id) return;
    const problems = schema.importId.validate(idText);
    for (const finding of problems) this.report(document, id.valueRange, finding);
    if (problems.length > 0) return;
    const expected = target.importValues && schema.importId.fromValues(target.importValues);
    if (expected !== undefined && expected !== idText) {
      this.report(document, id.valueRange, {
        code: 'tf/import-id-mismatch',
        message: `the import ID '${idText}' does not match ${address}, which declares '${expected}'; Terraform would import one record and then replace it`,
        replacement: expected,
        fixTitle: `Use the ID ${expected}`,
      });
    }
  }

  /** The zone records of the record blocks, placed in their zones; and the checks of a name against its zone. */
  private placeRecords(): void {
    // The module's zones: `aws_route53_zone.main.zone_id` names the one at aws_route53_zone.main, whichever attribute it reads.
    const zones: ZoneFinder = {
      referenced: (reference) => {
        const address = traversalAddress(reference);
        return address === undefined ? undefined : this.zones.get(address)?.dnsName;
      },
      named: (resourceName) => [...this.zones.values()].find((zone) => zone.resourceName === resourceName && zone.dnsName !== undefined)?.dnsName,
    };
    for (const facts of this.dnsBlocks) {
      const { schema, reading } = facts;
      const zone = zoneOfInput(reading.zone, schema, zones);
      const name = reading.name;
      if (zone !== undefined && name?.text !== undefined) {
        const repeated = nameRepeatingZone(name.text, schema.names, zone, schema.provider);
        if (repeated) this.report((name.at as HclLocator).source, (name.at as HclLocator).range, repeated);
      }
      if (!facts.resolved || facts.resolved.zone !== zone) {
        facts.resolved = { zone, records: exactSize(zoneRecordsOf(reading, schema, zone, (at) => at as HclLocator)) };
      }
      for (const record of facts.resolved.records) this.records.push(record);
    }
  }

  private checkZone(): void {
    this.placeRecords();
    for (const finding of this.state.zone.update(this.records)) {
      this.report(finding.record.source, finding.record.range, finding);
    }
  }
}

/** How checkLiteral names an argument, made once per argument schema (a large module checks thousands of arguments). */
const literalOptionsBySchema = new WeakMap<AttributeSchema, { converts: boolean; what: string }>();
function literalOptions(attr: AttributeSchema): { converts: boolean; what: string } {
  let options = literalOptionsBySchema.get(attr);
  if (!options) literalOptionsBySchema.set(attr, (options = { converts: true, what: `'${attr.name}'` }));
  return options;
}

const schemaIndexes = new WeakMap<BlockSchema, { byName: Map<string, AttributeSchema>; nestedByName: Map<string, NestedBlockSchema> }>();

/** Attributes and nested blocks of a schema by name, built once per schema. */
function schemaIndex(schema: BlockSchema) {
  let index = schemaIndexes.get(schema);
  if (!index) {
    index = { byName: new Map(schema.attributes.map((attr) => [attr.name, attr])), nestedByName: new Map((schema.blocks ?? []).map((nested) => [nested.name, nested])) };
    schemaIndexes.set(schema, index);
  }
  return index;
}

/** A fix that adds `name = ""` as the last line of a block's body, indented like the block's content. */
function addAttributeFix(document: HclDocument, block: HclBlock, attr: AttributeSchema): Fix {
  const lines = document.text.split('\n', block.bodyRange.end.line + 1);
  const blockIndent = lines[block.range.start.line]!.match(/^\s*/)![0];
  const indent = `${blockIndent}  `;
  const placeholder = attr.type === 'string' ? '""' : attr.type === 'list' ? '[]' : attr.type === 'map' ? '{}' : attr.type === 'bool' ? 'false' : '0';
  const closingLine = lines[block.bodyRange.end.line] ?? '';
  const braceAloneOnLine = closingLine.slice(0, block.bodyRange.end.character).trim() === '';
  const at = braceAloneOnLine ? { line: block.bodyRange.end.line, character: 0 } : block.bodyRange.end;
  const newText = braceAloneOnLine ? `${indent}${attr.name} = ${placeholder}\n` : `\n${indent}${attr.name} = ${placeholder}\n${blockIndent}`;
  return { title: `Add the required attribute '${attr.name}'`, range: { start: at, end: at }, newText };
}

function isObject(value: HclLiteral): value is Record<string, HclLiteral> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Analyses the `.tf` files of one module together (resource addresses, zone
 * rules and imports span files). Returns the findings of each document by its `source`.
 */
function compareSourcePositions(sourceA: string, a: Position, sourceB: string, b: Position): number {
  return sourceA < sourceB ? -1 : sourceA > sourceB ? 1 : comparePositions(a, b);
}

function compareDeclared(a: DeclaredResource, b: DeclaredResource): number {
  return compareSourcePositions(a.source, a.header.start, b.source, b.header.start);
}

/** Records in file order: the first of duplicates is the original. */
function compareRecordRefs(a: ZoneRecord<RecordRef>, b: ZoneRecord<RecordRef>): number {
  return compareSourcePositions(a.ref.source, a.ref.range.start, b.ref.source, b.ref.range.start);
}

/** What an analysis of a module keeps for the next one (see AnalyzeOptions.state). */
export class ModuleAnalysisState {
  readonly addresses = new KeyedIndex<DeclaredResource>((resource) => resource.address);
  readonly zone = new ZoneIndex<RecordRef>(compareRecordRefs);
  readonly references = new ReferenceState();
}

/** Resource and data blocks already analysed, by block object (see analyzeResource). */
const resourceFactsCache = new WeakMap<HclBlock, ResourceFacts>();

/** Findings and literal values of top-level blocks already checked, by block object (see checkedBody). */
const bodyCache = new WeakMap<HclBlock, { schema: BlockSchema; partial: boolean; source: string; values: BlockValues; diagnostics: Diagnostic[] }>();

/** A module's documents as sources and a way to read each: documents at hand are read from memory. */
function asLoader(documents: ModuleDocuments): { sources: readonly string[]; load(source: string): HclDocument } {
  if (!Array.isArray(documents)) return documents as Exclude<ModuleDocuments, readonly HclDocument[]>;
  const bySource = new Map(documents.map((document) => [document.source, document]));
  return { sources: [...bySource.keys()], load: (source) => bySource.get(source)! };
}

export function analyzeModule(documents: ModuleDocuments, options: AnalyzeOptions = {}): Map<string, Diagnostic[]> {
  return new ModuleAnalyzer(documents, options.registry ?? SchemaRegistry.known, options).run();
}

/**
 * Whether some declarations of a module may be unknown: it has files Shoreline
 * does not read (`incomplete`) or files with syntax errors (a block may be
 * lost). "Declared nowhere" findings are left out of such a module.
 */
export function isPartialModule(documents: readonly HclDocument[], { incomplete = false }: { incomplete?: boolean } = {}): boolean {
  return incomplete || documents.some((document) => document.diagnostics.some((diagnostic) => diagnostic.severity === 'error'));
}

function resourceAddress(kind: string, type: string, name: string): string {
  // Joined, not concatenated: a flat string, where `${type}.${name}` would be a rope flattened into a second copy once used as a key.
  return kind === 'data' ? ['data', type, name].join('.') : [type, name].join('.');
}
