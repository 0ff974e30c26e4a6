import type { Range } from '../diagnostics/types.js';
import { tokenize, type Token } from '../format/tokens.js';
import type { HclBlock, HclDocument } from '../hcl/types.js';

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

function innerLabel(range: Range): Range {
  return { start: { line: range.start.line, character: range.start.character + 1 }, end: { line: range.end.line, character: Math.max(range.start.character + 1, range.end.character - 1) } };
}

function declarationsOf(document: HclDocument, blocks: readonly HclBlock[], found: Declaration[]): void {
  for (const block of blocks) {
    const [first, second] = block.labels;
    const label = (index: number) => innerLabel(block.labelRanges[index]!);
    const add = (kind: DeclarationKind, address: string, name: string, nameRange: Range, range: Range) => found.push({ kind, address, name, source: document.source, nameRange, range });
    if (block.type === 'variable' && first !== undefined) add('variable', `var.${first}`, first, label(0), block.range);
    else if (block.type === 'output' && first !== undefined) add('output', `output.${first}`, first, label(0), block.range);
    else if (block.type === 'module' && first !== undefined) add('module', `module.${first}`, first, label(0), block.range);
    else if (block.type === 'resource' && first !== undefined && second !== undefined) add('resource', `${first}.${second}`, second, label(1), block.range);
    else if (block.type === 'ephemeral' && first !== undefined && second !== undefined) add('ephemeral', `ephemeral.${first}.${second}`, second, label(1), block.range);
    else if (block.type === 'data' && first !== undefined && second !== undefined) add('data', `data.${first}.${second}`, second, label(1), block.range);
    else if (block.type === 'locals') for (const attribute of block.attributes) add('local', `local.${attribute.name}`, attribute.name, attribute.nameRange, attribute.range);
    // Data sources scoped to a check block are declared in the module too.
    else if (block.type === 'check') declarationsOf(document, block.blocks, found);
  }
}

/** Offsets of line starts, to turn token offsets into positions. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

function positionIn(starts: readonly number[], offset: number): { line: number; character: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low, character: offset - starts[low]! };
}

/** The ranges (start and end offsets) of expressions whose traversals are addresses only. */
function addressOnlySpans(document: HclDocument, starts: readonly number[]): [number, number][] {
  const spans: [number, number][] = [];
  const offsetOf = (position: { line: number; character: number }) => (starts[position.line] ?? 0) + position.character;
  for (const block of document.body.blocks) {
    for (const attribute of block.attributes) if (ADDRESS_ONLY.has(`${block.type}.${attribute.name}`)) spans.push([offsetOf(attribute.valueRange.start), offsetOf(attribute.valueRange.end)]);
  }
  return spans;
}

/** Reads a module's declarations and every reference its expressions make. */
export function moduleReferences(documents: readonly HclDocument[]): ModuleReferences {
  const declarations: Declaration[] = [];
  for (const document of documents) declarationsOf(document, document.body.blocks, declarations);
  const resourceTypes = new Set(
    declarations.filter((declaration) => declaration.kind === 'resource' || declaration.kind === 'data').map((declaration) => declaration.address.replace(/^data\./, '').split('.')[0]!),
  );
  const references: Reference[] = [];
  for (const document of documents) {
    const starts = lineStarts(document.text);
    const skipped = addressOnlySpans(document, starts);
    const tokens = tokenize(document.text);
    for (let index = 0; index < tokens.length; index++) {
      const root = tokens[index]!;
      if (root.type !== 'Ident' || tokens[index - 1]?.type === 'Dot' || tokens[index + 1]?.type !== 'Dot') continue;
      const steps = nameSteps(tokens, index);
      const reference = referenceOf(root.text, steps, resourceTypes);
      if (!reference) continue;
      if (skipped.some(([from, to]) => root.start >= from && root.start < to)) continue;
      const last = reference.name;
      references.push({
        address: reference.address,
        source: document.source,
        range: { start: positionIn(starts, root.start), end: positionIn(starts, last.start + last.text.length) },
        nameRange: { start: positionIn(starts, last.start), end: positionIn(starts, last.start + last.text.length) },
      });
    }
  }
  return { declarations, references, resourceTypes };
}

/** The identifiers after a root, `.a.b.c` (stopping at anything else). */
function nameSteps(tokens: readonly Token[], rootIndex: number): Token[] {
  const steps: Token[] = [];
  for (let index = rootIndex + 1; tokens[index]?.type === 'Dot' && tokens[index + 1]?.type === 'Ident'; index += 2) steps.push(tokens[index + 1]!);
  return steps;
}

function referenceOf(root: string, steps: readonly Token[], resourceTypes: ReadonlySet<string>): { address: string; name: Token } | undefined {
  const [first, second] = steps;
  if (!first) return undefined;
  if (root === 'var') return { address: `var.${first.text}`, name: first };
  if (root === 'local') return { address: `local.${first.text}`, name: first };
  if (root === 'module') return { address: `module.${first.text}`, name: first };
  if (root === 'data' || root === 'ephemeral') return second ? { address: `${root}.${first.text}.${second.text}`, name: second } : undefined;
  if (resourceTypes.has(root)) return { address: `${root}.${first.text}`, name: first };
  return undefined;
}

/** The declaration or reference at a position of a document, if any. */
export function addressAt(index: ModuleReferences, source: string, position: { line: number; character: number }): string | undefined {
  const inside = (range: Range) =>
    (position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character)) &&
    (position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character));
  return (
    index.references.find((reference) => reference.source === source && inside(reference.range))?.address ??
    index.declarations.find((declaration) => declaration.source === source && inside(declaration.nameRange))?.address
  );
}

/** A name Terraform accepts for a variable, local, module, resource or data source. */
export function isValidName(name: string): boolean {
  return /^[\p{ID_Start}_][\p{ID_Continue}-]*$/u.test(name);
}
