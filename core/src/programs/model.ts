import type { Node } from 'web-tree-sitter';
import { insideDelimiters, type Finding, type Range } from '../diagnostics/types.js';
import type { Dialect, InputValue, ResourceDeclaration } from '../lagoon/resource-checks.js';
import type { SdkClass } from './sdks.js';

/**
 * What one program file says, as far as Shoreline reads it: the resources it
 * declares through the provider SDKs (the checks' input), the places where
 * their arguments are written (completion and hover), and its local imports
 * (which decide the program's other files).
 */
export interface ProgramFileModel {
  /** Whether the file imports one of the provider SDKs. */
  usesSdk: boolean;
  /** Local modules it imports, as written (`.helpers`, `lagoon.project`, `./lib/site`). */
  imports: string[];
  /** The first and last line of each import statement (an edit there can change what names mean). */
  importLines: [number, number][];
  declarations: ResourceDeclaration[];
  /** Where a constructor's arguments are written. */
  calls: CallSite[];
  /** Findings of the file itself (an SDK name that does not exist). */
  findings: { range: Range; finding: Finding }[];
  dialect: Dialect;
  /** What the file's imports bind, for reading one call later (completion, hover); the reader's own. */
  scope?: unknown;
}

export interface CallSite {
  cls: SdkClass;
  /** The class as written (`Project`, `lagoon.lagoon.Project`). */
  written: string;
  /** The class name's range (hover shows the resource). */
  classRange: Range;
  /** Inside the parentheses or braces where argument names are written. */
  argumentsRange: Range;
  /** `kwargs`: Python keyword arguments; `object`: an object literal's keys. */
  style: 'kwargs' | 'object';
  /** Argument names already written there, with their ranges. */
  keys: { written: string; range: Range }[];
}

export function rangeOf(node: Node): Range {
  return { start: { line: node.startPosition.row, character: node.startPosition.column }, end: { line: node.endPosition.row, character: node.endPosition.column } };
}

/** The range inside a bracketed node (between its first and last characters). */
export function innerRange(node: Node): Range {
  return insideDelimiters(rangeOf(node));
}

/**
 * The arms of conditionals a node sits in, as `conditional-id:arm`: two
 * declarations in different arms of one `if` never both run.
 */
export function branchesOf(node: Node, conditionals: ReadonlySet<string>): string[] {
  const branches: string[] = [];
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (!conditionals.has(parent.type)) continue;
    const arm = parent.children.findIndex((candidate) => candidate?.id === child.id);
    branches.push(`${parent.id}:${arm}`);
  }
  return branches;
}

/**
 * Whether a node is in the module's top-level code, not inside a function or
 * class body (`scopes`: the language's node types that open one): a name
 * there means the module's own binding, not a parameter or local of the same
 * name.
 */
export function atTopLevel(node: Node, scopes: ReadonlySet<string>): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) if (scopes.has(parent.type)) return false;
  return true;
}

export const children = (node: Node | null | undefined): Node[] => (node ? (node.namedChildren.filter(Boolean) as Node[]) : []);

/**
 * Where the key `key` of the `index`th object of a literal list is written
 * (`objectType`: the language's dict/object node; `keyText` reads a key as
 * written), and whether it is a bare name rather than a string literal.
 */
export function listItemKey(list: Node, index: number, key: string, objectType: string, keyText: (node: Node) => string | undefined): { range: Range; isName: boolean } | undefined {
  const item = children(list).filter((child) => child.type !== 'comment')[index];
  if (item?.type !== objectType) return undefined;
  for (const pair of children(item)) {
    const keyNode = pair.type === 'pair' ? pair.childForFieldName('key') : null;
    if (keyNode && keyText(keyNode) === key) return { range: rangeOf(keyNode), isName: keyNode.type !== 'string' };
  }
  return undefined;
}

/** Literal values of both languages, built the same way from their nodes. */
export const UNKNOWN: InputValue = { kind: 'unknown' };

/** A numeric literal (`_` separates digits in both languages). */
export function numberValue(text: string): InputValue {
  const value = Number(text.replace(/_/g, ''));
  return Number.isFinite(value) ? { kind: 'literal', value } : UNKNOWN;
}

/** `-1`, `+2`: a sign on a literal number; any other operator makes the value unknown. */
export function signedValue(operator: string | undefined, value: InputValue): InputValue {
  if (value.kind !== 'literal' || typeof value.value !== 'number' || (operator !== '-' && operator !== '+')) return UNKNOWN;
  return { kind: 'literal', value: operator === '-' ? -value.value : value.value };
}

/** A list whose items are all literal, else unknown. */
export function listValue(items: readonly Node[], valueOf: (node: Node) => InputValue): InputValue {
  const values: unknown[] = [];
  for (const item of items) {
    if (item.type === 'comment') continue;
    const value = valueOf(item);
    if (value.kind !== 'literal') return UNKNOWN;
    values.push(value.value);
  }
  return { kind: 'literal', value: values };
}

/** An object whose keys and values are all literal, else unknown (`undefined` values are left out, as JavaScript drops them). */
export function objectValue(entries: readonly ({ key: string | undefined; value: InputValue } | undefined)[]): InputValue {
  const object: Record<string, unknown> = {};
  for (const entry of entries) {
    if (!entry || entry.key === undefined || entry.value.kind !== 'literal') return UNKNOWN;
    if (entry.value.value !== undefined) object[entry.key] = entry.value.value;
  }
  return { kind: 'literal', value: object };
}
