import { LineIndex } from '../diagnostics/line-index.js';
import { lineIndexOf } from '../hcl/lines.js';
import { exactSize } from '../util/arrays.js';
import { changedWindow, Groups } from '../util/changes.js';
import { insideDelimiters, rangeContains, type Range } from '../diagnostics/types.js';
import { tokenize, type Token } from '../format/tokens.js';
import type { HclAttribute, HclBlock, HclDocument } from '../hcl/types.js';

/**
 * What a module declares and where it refers to it: `var.NAME`, `local.NAME`,
 * `module.NAME`, `data.TYPE.NAME` and `TYPE.NAME` for resources. References
 * are read from the tokens of every expression (templates and heredocs
 * included), so `"${var.zone}"` and `depends_on = [aws_instance.web]` count.
 * One index serves references, code lenses, rename and the undeclared and
 * unused checks.
 */

export type DeclarationKind = 'variable' | 'local' | 'module' | 'data' | 'resource' | 'ephemeral' | 'output';

export interface Declaration {
  /** The address references use: `var.zone`, `local.apex`, `module.vpc`, `data.aws_ami.x`, `aws_instance.web`. */
  address: string;
  kind: DeclarationKind;
  name: string;
  source: string;
  /** The declared name as written (inside a label's quotes, or a local's attribute name): what rename replaces. */
  nameRange: Range;
  /** The whole block or attribute. */
  range: Range;
}

export interface Reference {
  address: string;
  source: string;
  /** The traversal from its root to the declared name: `var.zone`, `aws_instance.web`. */
  range: Range;
  /** The name part of it (`zone`, `web`): what rename replaces. */
  nameRange: Range;
}

export interface ModuleReferences {
  declarations: Declaration[];
  references: Reference[];
  /** Resource and data source types declared in the module (a traversal root that is one of them is a resource reference). */
  resourceTypes: Set<string>;
}

/** Roots that name something Terraform provides, never a declaration. */
export const BUILTIN_ROOTS = new Set(['each', 'count', 'self', 'path', 'terraform', 'null']);

/** Where a traversal in these positions is an address that need not exist now (the old one of a move, a resource to be generated). */
const ADDRESS_ONLY = new Set(['moved.from', 'moved.to', 'removed.from', 'import.to']);
const ADDRESS_BLOCKS = new Set(['moved', 'removed', 'import']);

function declarationsOf(source: string, blocks: readonly HclBlock[], found: Declaration[]): void {
  for (const block of blocks) {
    const [first, second] = block.labels;
    const label = (index: number) => insideDelimiters(block.labelRanges[index]!);
    const add = (kind: DeclarationKind, address: string, name: string, nameRange: Range, range: Range) => found.push({ kind, address, name, source, nameRange, range });
    if (block.type === 'variable' && first !== undefined) add('variable', `var.${first}`, first, label(0), block.range);
    else if (block.type === 'output' && first !== undefined) add('output', `output.${first}`, first, label(0), block.range);
    else if (block.type === 'module' && first !== undefined) add('module', `module.${first}`, first, label(0), block.range);
    else if (block.type === 'resource' && first !== undefined && second !== undefined) add('resource', `${first}.${second}`, second, label(1), block.range);
    else if (block.type === 'ephemeral' && first !== undefined && second !== undefined) add('ephemeral', `ephemeral.${first}.${second}`, second, label(1), block.range);
    else if (block.type === 'data' && first !== undefined && second !== undefined) add('data', `data.${first}.${second}`, second, label(1), block.range);
    else if (block.type === 'locals') for (const attribute of block.attributes) add('local', `local.${attribute.name}`, attribute.name, attribute.nameRange, attribute.range);
    // Data sources scoped to a check block are declared in the module too.
    else if (block.type === 'check') declarationsOf(source, block.blocks, found);
  }
}

/** The iterator names of the dynamic blocks in some blocks, at any depth. */
function dynamicIterators(blocks: readonly HclBlock[], depth: number, names: string[]): void {
  for (const block of blocks) {
    if (block.type === 'dynamic' && block.labels[0] !== undefined) {
      const iterator = block.attributes.find((attribute) => attribute.name === 'iterator');
      names.push(iterator ? (iterator.traversal ?? iterator.expression.trim()) : block.labels[0]);
    }
    if (depth < 32 && block.blocks.length > 0) dynamicIterators(block.blocks, depth + 1, names);
  }
}

/** The resource and data source types a module declares (also in check blocks). */
function collectResourceTypes(blocks: readonly HclBlock[], types: string[]): void {
  for (const block of blocks) {
    if ((block.type === 'resource' || block.type === 'data') && block.labels[0] !== undefined) types.push(block.labels[0]);
    else if (block.type === 'check') collectResourceTypes(block.blocks, types);
  }
}

/** A traversal as one document writes it, before the module says what its root is. */
interface Traversal {
  root: string;
  steps: { text: string; range: Range }[];
  range: Range;
}

/**
 * What one top-level block declares and refers to, positioned in its
 * document. Kept per block object (an edit elsewhere in the file keeps the
 * object), its traversals also per block text (an edit above moves a block):
 * an edit reads again only the block it changed.
 */
export interface BlockIndex {
  source: string;
  readonly declarations: readonly Declaration[];
  readonly resourceTypes: readonly string[];
  readonly iterators: readonly string[];
  readonly traversals: readonly Traversal[];
  /** The references of the traversals, for the module's resource types of `typesKey`. */
  resolved?: { typesKey: string; references: Reference[] };
}
const blockIndexes = new WeakMap<HclBlock, BlockIndex>();
const NONE: never[] = [];
/** Traversals of a top-level block's text, with positions relative to the block's start. */
const blockCache = new Map<string, Traversal[]>();
const BLOCK_CACHE_LIMIT = 200_000;

/** Whether a block has an argument whose value is not a literal: only such expressions can refer to anything. */
function hasExpressions(block: HclBlock, depth = 0): boolean {
  return block.attributes.some((attribute) => !attribute.value.known) || (depth < 64 && block.blocks.some((nested) => hasExpressions(nested, depth + 1)));
}

function hasDynamicBlocks(block: HclBlock, depth = 0): boolean {
  return block.blocks.some((nested) => nested.type === 'dynamic' || (depth < 64 && hasDynamicBlocks(nested, depth + 1)));
}

/**
 * Whether a block refers to nothing and brings no iterator names: a resource
 * or data block of literals alone (most records of a large module) then
 * contributes to ReferenceState just its address, not a whole BlockIndex.
 */
export function refersToNothing(block: HclBlock): boolean {
  return !hasExpressions(block) && !hasDynamicBlocks(block);
}

/** What a traversal's text says, whichever block writes it: kept once per text. */
interface TraversalShape {
  /** What it refers to when it resolves: `var.zone`, `aws_route53_zone.main`. */
  address: string;
  /** The root's a resource type: it resolves only while the module declares that type. */
  resourceType?: string;
  /** Where the declared name starts and ends within the text. */
  nameStart: number;
  nameEnd: number;
}
const shapes = new Map<string, TraversalShape | null>();
const SHAPE_CACHE_LIMIT = 50_000;

/** The shape of a plain traversal's text (`a.b.c`); null when it can name nothing (`data.x`). */
function shapeOf(text: string): TraversalShape | null {
  let shape = shapes.get(text);
  if (shape !== undefined) return shape;
  const [root, first, second] = text.split('.') as [string, string, string | undefined];
  const target = targetOf(root, first, second);
  if (target) {
    const nameStart = root.length + 1 + (target.nameStep === 1 ? first.length + 1 : 0);
    shape = {
      address: target.address,
      nameStart,
      nameEnd: nameStart + (target.nameStep === 1 ? second! : first).length,
      ...(target.resourceType !== undefined ? { resourceType: target.resourceType } : {}),
    };
  } else shape = null;
  if (shapes.size >= SHAPE_CACHE_LIMIT) shapes.clear();
  shapes.set(text, shape);
  return shape;
}

/**
 * The address a reference's traversal names (`aws_route53_zone.main.zone_id`
 * → `aws_route53_zone.main`, index steps ignored), whatever the module
 * declares; undefined when it can name nothing.
 */
export function traversalAddress(traversal: string): string | undefined {
  return shapeOf(traversal.includes('[') ? traversal.replace(/\[[^\]]*\]/g, '') : traversal)?.address;
}

/**
 * A reference written as a plain traversal: its place kept as numbers and
 * its text's shape shared, made into ranges only when it is reported or
 * looked up (most references of a large module never are).
 */
class PlainReference implements Reference {
  constructor(
    private readonly shape: TraversalShape,
    readonly source: string,
    private readonly line: number,
    private readonly character: number,
  ) {}
  get address(): string {
    return this.shape.address;
  }
  get resourceType(): string | undefined {
    return this.shape.resourceType;
  }
  get range(): Range {
    return this.span(0, this.shape.nameEnd);
  }
  get nameRange(): Range {
    return this.span(this.shape.nameStart, this.shape.nameEnd);
  }
  private span(from: number, to: number): Range {
    return { start: { line: this.line, character: this.character + from }, end: { line: this.line, character: this.character + to } };
  }
}

/**
 * A resource or data block whose only expressions are plain traversals (a
 * record's `zone_id = aws_route53_zone.main.zone_id`): its address and those
 * references, without a BlockIndex.
 */
export interface PlainBlockReferences {
  readonly address: string;
  readonly plain: readonly PlainReference[];
}

/**
 * What a top-level block contributes to ReferenceState: its index; for a
 * resource or data block that refers to nothing, the address it declares
 * (`TYPE.NAME`, `data.TYPE.NAME`); for one that refers only by plain
 * traversals, the address and those references.
 */
export type BlockReferences = BlockIndex | PlainBlockReferences | { readonly address: string };

/**
 * The compact references of a resource or data block, which declares
 * `declared.address`: `declared` itself when the block refers to nothing, the
 * address and its plain references when those are all it has; undefined when
 * it needs a BlockIndex.
 */
export function compactReferencesOf<T extends { readonly address: string }>(source: string, block: HclBlock, declared: T): T | PlainBlockReferences | undefined {
  if (refersToNothing(block)) return declared;
  const attributes = plainReferenceAttributes(block);
  if (!attributes) return undefined;
  const plain: PlainReference[] = [];
  for (const attribute of attributes) {
    const shape = shapeOf(attribute.traversal!);
    if (shape) plain.push(new PlainReference(shape, source, attribute.valueRange.start.line, attribute.valueRange.start.character));
  }
  return plain.length ? { address: declared.address, plain: exactSize(plain) } : declared;
}

/** The resource type an address of a resource or data source names. */
function typeOfAddress(address: string): string {
  const parts = address.split('.');
  return parts[0] === 'data' ? parts[1]! : parts[0]!;
}

/** What a top-level block of a document declares and refers to (cached per block object). */
export function blockIndexOf(document: HclDocument, block: HclBlock): BlockIndex {
  const cached = blockIndexes.get(block);
  if (cached && cached.source === document.source) return cached;
  // Most blocks of a large module (records) are literals alone, or literals and plain references (`zone_id = aws_route53_zone.main.zone_id`): nothing to tokenize.
  const plain = plainTraversals(block);
  const expressions = !plain && hasExpressions(block);
  const lines = lineIndexOf(document);
  const key = expressions ? document.text.slice(lines.offsetAt(block.range.start), lines.offsetAt(block.range.end)) : '';
  let relative = plain ? [] : expressions ? blockCache.get(key) : [];
  if (!relative) {
    relative = tokenTraversals(key);
    if (blockCache.size >= BLOCK_CACHE_LIMIT) blockCache.clear();
    blockCache.set(key, relative);
  }
  const traversals: Traversal[] = [];
  if (relative.length > 0) {
    const at = block.range.start;
    const place = (position: { line: number; character: number }) => ({ line: position.line + at.line, character: position.line === 0 ? position.character + at.character : position.character });
    // In moved, removed and import blocks, from/to hold addresses that need not exist.
    const addressOnly = ADDRESS_BLOCKS.has(block.type) ? block.attributes.filter((attribute) => ADDRESS_ONLY.has(`${block.type}.${attribute.name}`)).map((attribute) => attribute.valueRange) : [];
    for (const traversal of relative) {
      const range = { start: place(traversal.range.start), end: place(traversal.range.end) };
      if (addressOnly.some((span) => rangeContains(span, range.start))) continue;
      traversals.push({ root: traversal.root, range, steps: traversal.steps.map((step) => ({ text: step.text, range: { start: place(step.range.start), end: place(step.range.end) } })) });
    }
  }
  if (plain) traversals.push(...plain);
  const declarations: Declaration[] = [];
  const resourceTypes: string[] = [];
  const iterators: string[] = [];
  declarationsOf(document.source, [block], declarations);
  collectResourceTypes([block], resourceTypes);
  dynamicIterators([block], 0, iterators);
  // Most blocks have no traversals or iterators: one shared empty list for them (a large module keeps an index per block).
  const index: BlockIndex = { source: document.source, declarations, resourceTypes, iterators: iterators.length ? iterators : NONE, traversals: traversals.length ? traversals : NONE };
  blockIndexes.set(block, index);
  return index;
}

const PLAIN_TRAVERSAL = /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)+$/;

/**
 * The arguments of a block, at any depth, whose values are not literals,
 * when every one is a plain dotted reference written alone (`a.b.c`);
 * undefined when any expression is more than that (the block's text is
 * tokenized then).
 */
function plainReferenceAttributes(block: HclBlock, found: HclAttribute[] = [], depth = 0): HclAttribute[] | undefined {
  if (depth > 64 || block.type === 'dynamic' || ADDRESS_BLOCKS.has(block.type)) return undefined;
  for (const attribute of block.attributes) {
    if (attribute.value.known) continue;
    const text = attribute.traversal;
    if (attribute.value.kind !== 'reference' || text === undefined || attribute.expression !== text || !PLAIN_TRAVERSAL.test(text)) return undefined;
    found.push(attribute);
  }
  for (const nested of block.blocks) if (!plainReferenceAttributes(nested, found, depth + 1)) return undefined;
  return found;
}

/** The traversals of a block of plain references alone (plainReferenceAttributes), with their positions. */
function plainTraversals(block: HclBlock): Traversal[] | undefined {
  const attributes = plainReferenceAttributes(block);
  if (!attributes) return undefined;
  return attributes.map((attribute) => {
    const text = attribute.traversal!;
    const { line, character } = attribute.valueRange.start;
    const parts = text.split('.');
    let offset = parts[0]!.length + 1;
    const steps = parts.slice(1).map((part) => {
      const step = { text: part, range: { start: { line, character: character + offset }, end: { line, character: character + offset + part.length } } };
      offset += part.length + 1;
      return step;
    });
    return { root: parts[0]!, steps, range: { start: { line, character }, end: steps[steps.length - 1]!.range.end } };
  });
}

/** The traversals in a piece of HCL text, positioned within it. */
function tokenTraversals(text: string): Traversal[] {
  const lines = new LineIndex(text);
  const tokens = tokenize(text);
  const found: Traversal[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const root = tokens[index]!;
    if (root.type !== 'Ident' || tokens[index - 1]?.type === 'Dot' || tokens[index + 1]?.type !== 'Dot') continue;
    const steps = nameSteps(tokens, index).map((step) => ({ text: step.text, range: { start: lines.positionAt(step.start), end: lines.positionAt(step.start + step.text.length) } }));
    if (steps.length === 0) continue;
    found.push({ root: root.text, steps, range: { start: lines.positionAt(root.start), end: steps[steps.length - 1]!.range.end } });
  }
  return found;
}

function referencesOf(index: BlockIndex, resourceTypes: ReadonlySet<string>, typesKey: string): Reference[] {
  if (index.traversals.length === 0) return [];
  if (index.resolved?.typesKey === typesKey) return index.resolved.references;
  const references: Reference[] = [];
  for (const traversal of index.traversals) {
    const reference = referenceOf(traversal.root, traversal.steps, resourceTypes);
    if (!reference) continue;
    references.push({ address: reference.address, source: index.source, range: { start: traversal.range.start, end: reference.name.range.end }, nameRange: reference.name.range });
  }
  index.resolved = { typesKey, references };
  return references;
}

/**
 * The resource types a traversal's root can name: those declared, less the
 * iterators of dynamic blocks (a block's label, or `iterator = name`, shadows
 * a type of the same name inside it); `key` tells one set from another.
 */
function referableTypes(declared: Iterable<string>, iterators: { has(name: string): boolean }): { types: Set<string>; key: string } {
  const types = [...declared].filter((type) => !iterators.has(type)).sort();
  return { types: new Set(types), key: types.join(' ') };
}

/** Reads a module's declarations and every reference its expressions make. */
export function moduleReferences(documents: readonly HclDocument[]): ModuleReferences {
  const blocks: BlockIndex[] = [];
  for (const document of documents) for (const block of document.body.blocks) blocks.push(blockIndexOf(document, block));
  const declarations: Declaration[] = [];
  const declaredTypes = new Set<string>();
  const iterators = new Set<string>();
  for (const index of blocks) {
    for (const declaration of index.declarations) declarations.push(declaration);
    for (const type of index.resourceTypes) declaredTypes.add(type);
    for (const name of index.iterators) iterators.add(name);
  }
  const { types: resourceTypes, key: typesKey } = referableTypes(declaredTypes, iterators);
  const references: Reference[] = [];
  for (const index of blocks) for (const reference of referencesOf(index, resourceTypes, typesKey)) references.push(reference);
  return { declarations, references, resourceTypes };
}

/** Whether a block's contribution has references (as opposed to an address alone). */
function refersAtAll(index: BlockReferences): index is BlockIndex | PlainBlockReferences {
  return 'declarations' in index || 'plain' in index;
}

function isVariableOrLocal(declaration: Declaration | { readonly address: string }): declaration is Declaration {
  return 'kind' in declaration && (declaration.kind === 'variable' || declaration.kind === 'local');
}

/** Adds to or takes from a count by key; returns the count now. */
function count(counts: Map<string, number>, key: string, by: number): number {
  const now = (counts.get(key) ?? 0) + by;
  if (now > 0) counts.set(key, now);
  else counts.delete(key);
  return now;
}

/**
 * A module's declarations and references kept across analyses: `update`
 * takes the module's documents of now and applies only the blocks that
 * changed since the last call, then says which references name nothing
 * declared and which variables and locals nothing uses. An edit costs what it
 * changed, not the module (unless it changes the resource types declared,
 * which changes what every traversal means).
 */
export class ReferenceState {
  private blocks: readonly BlockReferences[] = [];
  /** The references each block added, as resolved then. */
  private readonly contributed = new Map<BlockIndex | PlainBlockReferences, readonly Reference[]>();
  private readonly declared = new Groups<Declaration | { readonly address: string }>();
  private readonly referenced = new Groups<Reference>();
  private readonly typeCounts = new Map<string, number>();
  private readonly iteratorCounts = new Map<string, number>();
  private resourceTypes = new Set<string>();
  private typesKey = '';
  /** Addresses referred to and declared nowhere; variables and locals referred to nowhere. */
  private readonly undeclared = new Set<string>();
  private readonly unused = new Set<string>();

  /** `blocks`: what every top-level block of the module contributes (BlockReferences), in module order. */
  update(blocks: readonly BlockReferences[]): void {
    const { removed, added } = changedWindow(this.blocks, blocks);
    this.blocks = blocks;
    const touched = new Set<string>();
    for (const index of removed) {
      if (!('declarations' in index)) {
        this.declared.delete(index.address, index);
        touched.add(index.address);
        count(this.typeCounts, typeOfAddress(index.address), -1);
        if ('plain' in index) this.withdraw(index, touched);
        continue;
      }
      for (const declaration of index.declarations) {
        this.declared.delete(declaration.address, declaration);
        touched.add(declaration.address);
      }
      for (const type of index.resourceTypes) count(this.typeCounts, type, -1);
      for (const name of index.iterators) count(this.iteratorCounts, name, -1);
      this.withdraw(index, touched);
    }
    for (const index of added) {
      if (!('declarations' in index)) {
        this.declared.add(index.address, index);
        touched.add(index.address);
        count(this.typeCounts, typeOfAddress(index.address), 1);
        continue;
      }
      for (const declaration of index.declarations) {
        this.declared.add(declaration.address, declaration);
        touched.add(declaration.address);
      }
      for (const type of index.resourceTypes) count(this.typeCounts, type, 1);
      for (const name of index.iterators) count(this.iteratorCounts, name, 1);
    }
    const { types, key: typesKey } = referableTypes(this.typeCounts.keys(), this.iteratorCounts);
    if (typesKey !== this.typesKey) {
      // What a traversal refers to has changed: every block's references are resolved again.
      this.typesKey = typesKey;
      this.resourceTypes = types;
      for (const index of this.contributed.keys()) this.withdraw(index, touched);
      for (const index of blocks) if (refersAtAll(index)) this.contribute(index, touched);
    } else {
      for (const index of added) if (refersAtAll(index)) this.contribute(index, touched);
    }
    for (const address of touched) {
      const referenced = this.referenced.get(address).length > 0;
      const declarations = this.declared.get(address);
      if (referenced && declarations.length === 0) this.undeclared.add(address);
      else this.undeclared.delete(address);
      if (!referenced && declarations.some(isVariableOrLocal)) this.unused.add(address);
      else this.unused.delete(address);
    }
  }

  private contribute(index: BlockIndex | PlainBlockReferences, touched: Set<string>): void {
    const references = 'plain' in index ? this.resolvedPlain(index.plain) : referencesOf(index, this.resourceTypes, this.typesKey);
    if (references.length === 0) return;
    this.contributed.set(index, references);
    for (const reference of references) {
      this.referenced.add(reference.address, reference);
      touched.add(reference.address);
    }
  }

  /** Plain references that resolve with the module's resource types now: all of them, most often, with no new list. */
  private resolvedPlain(plain: readonly PlainReference[]): readonly PlainReference[] {
    const resolves = (reference: PlainReference) => resolvesWith(reference.resourceType, this.resourceTypes);
    for (const reference of plain) if (!resolves(reference)) return plain.filter(resolves);
    return plain;
  }

  private withdraw(index: BlockIndex | PlainBlockReferences, touched: Set<string>): void {
    const references = this.contributed.get(index);
    if (!references) return;
    this.contributed.delete(index);
    for (const reference of references) {
      this.referenced.delete(reference.address, reference);
      touched.add(reference.address);
    }
  }

  /** References to what the module does not declare. */
  undeclaredReferences(): Reference[] {
    return [...this.undeclared].flatMap((address) => this.referenced.get(address));
  }

  /** Variables and locals nothing refers to. */
  unusedDeclarations(): Declaration[] {
    return [...this.unused].flatMap((address) => this.declared.get(address).filter(isVariableOrLocal));
  }

  /** The declared addresses that start with `prefix` and have `parts` dot-separated parts: did-you-mean candidates. */
  declaredLike(prefix: string, parts: number): string[] {
    return [...this.declared.keys()].filter((address) => address.startsWith(prefix) && address.split('.').length === parts);
  }
}

/** The identifiers after a root, `.a.b.c` (stopping at anything else). */
function nameSteps(tokens: readonly Token[], rootIndex: number): Token[] {
  const steps: Token[] = [];
  for (let index = rootIndex + 1; tokens[index]?.type === 'Dot' && tokens[index + 1]?.type === 'Ident'; index += 2) steps.push(tokens[index + 1]!);
  return steps;
}

type Step = Traversal['steps'][number];

/**
 * What a traversal `root.first.second…` would refer to: the address, which
 * step is the declared name, and the resource type its root must be for it
 * to resolve (a root that is no declared type refers to nothing).
 */
function targetOf(root: string, first: string | undefined, second: string | undefined): { address: string; nameStep: 0 | 1; resourceType?: string } | undefined {
  if (first === undefined) return undefined;
  if (root === 'var' || root === 'local' || root === 'module') return { address: `${root}.${first}`, nameStep: 0 };
  if (root === 'data' || root === 'ephemeral') return second === undefined ? undefined : { address: `${root}.${first}.${second}`, nameStep: 1 };
  return { address: `${root}.${first}`, nameStep: 0, resourceType: root };
}

/** Whether a target resolves with the module's resource types: always, unless its root must be a resource type the module declares. */
function resolvesWith(resourceType: string | undefined, resourceTypes: ReadonlySet<string>): boolean {
  return resourceType === undefined || resourceTypes.has(resourceType);
}

function referenceOf(root: string, steps: readonly Step[], resourceTypes: ReadonlySet<string>): { address: string; name: Step } | undefined {
  const target = targetOf(root, steps[0]?.text, steps[1]?.text);
  if (!target || !resolvesWith(target.resourceType, resourceTypes)) return undefined;
  return { address: target.address, name: steps[target.nameStep]! };
}

/** The declaration or reference at a position of a document, if any. */
export function addressAt(index: ModuleReferences, source: string, position: { line: number; character: number }): string | undefined {
  return (
    index.references.find((reference) => reference.source === source && rangeContains(reference.range, position))?.address ??
    index.declarations.find((declaration) => declaration.source === source && rangeContains(declaration.nameRange, position))?.address
  );
}

/** A name Terraform accepts for a variable, local, module, resource or data source. */
export function isValidName(name: string): boolean {
  return /^[\p{ID_Start}_][\p{ID_Continue}-]*$/u.test(name);
}
