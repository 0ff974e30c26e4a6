import type { Diagnostic, Range } from '../diagnostics/types.js';

export type HclLiteral = string | number | boolean | null | HclLiteral[] | { [key: string]: HclLiteral };

/** Why an expression has no literal value: it depends on something only Terraform knows. */
export type UnknownKind = 'reference' | 'function-call' | 'template' | 'conditional' | 'operation' | 'for-expression' | 'splat' | 'invalid' | 'too-deep';

export type HclValue = { known: true; value: HclLiteral } | { known: false; kind: UnknownKind };

export interface HclAttribute {
  name: string;
  nameRange: Range;
  /** From the name to the end of the expression. */
  range: Range;
  valueRange: Range;
  value: HclValue;
  /** The expression exactly as written. */
  expression: string;
  /** For references (`a.b.c`, `a.b[0]`): the traversal as written, without spaces. */
  traversal?: string;
}

export interface HclBlock {
  type: string;
  typeRange: Range;
  labels: string[];
  labelRanges: Range[];
  /** From the block type to the closing brace. */
  range: Range;
  /** The block type and labels: where "missing attribute" findings point. */
  headerRange: Range;
  /** Between the braces (exclusive), for completion. */
  bodyRange: Range;
  attributes: HclAttribute[];
  blocks: HclBlock[];
}

export interface HclBody {
  attributes: HclAttribute[];
  blocks: HclBlock[];
}

export interface HclDocument {
  /** Where the text came from (a path or URI); used in findings. */
  source: string;
  text: string;
  body: HclBody;
  /** Syntax errors with ranges. */
  diagnostics: Diagnostic[];
}

export function attribute(container: HclBody | HclBlock, name: string): HclAttribute | undefined {
  return container.attributes.find((candidate) => candidate.name === name);
}

/** The attribute's value when it is a literal string (numbers and bools convert as Terraform does). */
export function literalString(attr: HclAttribute | undefined): string | undefined {
  if (!attr || !attr.value.known) return undefined;
  const value = attr.value.value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
