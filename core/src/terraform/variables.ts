import { dirname } from 'node:path';
import { parseTree, type Node as JsonNode, type ParseError, printParseErrorCode } from 'jsonc-parser';
import { LineIndex } from '../diagnostics/line-index.js';
import { compareDiagnostics, type Diagnostic, type Range, type RuleCode } from '../diagnostics/types.js';
import { parseHcl } from '../hcl/parser.js';
import { attribute, type HclBlock, type HclDocument, type HclLiteral, type HclValue } from '../hcl/types.js';
import { isOverrideFile } from '../kinds/index.js';
import { isPartialModule } from './analyzer.js';
import { describeLiteral, typeProblem } from '../schema/index.js';
import { suggest } from '../util/suggest.js';
import './rules.js';

/** The primitive type constraint of a `variable`, when it has one Shoreline can check a literal against. */
export type PrimitiveType = 'string' | 'number' | 'bool';

export interface VariableDeclaration {
  name: string;
  /** The `type` expression as written (`string`, `list(string)`, ...), when given. */
  typeExpression?: string;
  /** The type when it is a primitive; undefined for `any`, collections and objects. */
  primitive?: PrimitiveType;
  /** Whether the type is a collection or object (a list, set, map, object or tuple). */
  structured: boolean;
  /** The block declaring it (the primary file's, even when an override file changes it). */
  document: HclDocument;
  block: HclBlock;
}

/**
 * The `variable` declarations of a module, with override files applied as
 * Terraform applies them (an override's `type` replaces the original's).
 */
export function declaredVariables(documents: readonly HclDocument[]): Map<string, VariableDeclaration> {
  const declared = new Map<string, VariableDeclaration>();
  const ordered = [...documents.filter((document) => !isOverrideFile(document.source)), ...documents.filter((document) => isOverrideFile(document.source))];
  for (const document of ordered) {
    for (const block of document.body.blocks) {
      if (block.type !== 'variable' || block.labels.length !== 1) continue;
      const name = block.labels[0]!;
      const existing = declared.get(name);
      const typeAttribute = attribute(block, 'type');
      const typeExpression = typeAttribute?.expression.replace(/\s+/g, '') ?? (existing && isOverrideFile(document.source) ? existing.typeExpression : undefined);
      const primitive = typeExpression === 'string' || typeExpression === 'number' || typeExpression === 'bool' ? typeExpression : undefined;
      const structured = typeExpression !== undefined && /^(list|set|map|object|tuple)\(/.test(typeExpression);
      declared.set(name, {
        name,
        ...(typeExpression !== undefined ? { typeExpression } : {}),
        ...(primitive ? { primitive } : {}),
        structured,
        document: existing?.document ?? document,
        block: existing?.block ?? block,
      });
    }
  }
  return declared;
}

/**
 * The declarations a variables file is checked against, or undefined when
 * they cannot all be known: a file of the module has syntax errors (a block
 * may be lost) or is one Shoreline does not read (`incomplete`, `.tf.json`).
 */
export function knownVariables(documents: readonly HclDocument[] | undefined, { incomplete = false } = {}): Map<string, VariableDeclaration> | undefined {
  if (!documents || documents.length === 0 || isPartialModule(documents, { incomplete })) return undefined;
  return declaredVariables(documents);
}

/**
 * Why a literal cannot be converted to the declared type, as Terraform's type
 * conversion decides (the shared cty rules of core/src/schema); null fits any
 * type, collections must be of the declared kind.
 */
export function conversionProblem(value: HclLiteral, declaration: VariableDeclaration): string | undefined {
  if (value === null) return undefined;
  const isCollection = typeof value === 'object';
  if (declaration.structured) {
    const wantsList = /^(list|set|tuple)\(/.test(declaration.typeExpression ?? '');
    const fits = wantsList ? Array.isArray(value) : isCollection && !Array.isArray(value);
    return fits ? undefined : `${describeLiteral(value)}, but the variable's type is ${declaration.typeExpression}`;
  }
  if (!declaration.primitive) return undefined;
  if (!typeProblem(value, declaration.primitive, true)) return undefined;
  return `${typeof value === 'string' ? `"${value}"` : describeLiteral(value)}, but a ${declaration.primitive} is required`;
}

/** One assignment of a variables file: its name, where it stands, and its value. */
interface Assignment {
  name: string;
  nameRange: Range;
  valueRange: Range;
  value: HclValue;
}

/** `quoteName` writes a variable's name as the file spells it (an HCL identifier, a JSON key). */
function checkAssignments(assignments: readonly Assignment[], declared: ReadonlyMap<string, VariableDeclaration> | undefined, quoteName: (name: string) => string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = (range: Range, code: RuleCode, severity: Diagnostic['severity'], message: string) => diagnostics.push({ range, severity, code, source: 'shoreline', message });
  for (const assignment of assignments) {
    const declaration = declared?.get(assignment.name);
    if (declared && !declaration) {
      const { hint, fix } = suggest(assignment.name, declared.keys());
      report(assignment.nameRange, 'tfvars/undeclared-variable', 'warning', `the module declares no variable '${assignment.name}', so Terraform ignores this value${hint}`);
      if (fix.replacement) diagnostics.at(-1)!.fixes = [{ title: fix.fixTitle!, range: assignment.nameRange, newText: quoteName(fix.replacement) }];
      continue;
    }
    const value = assignment.value;
    if (!value.known) {
      if (value.kind === 'reference')
        report(assignment.valueRange, 'tfvars/not-constant', 'error', `a variables file holds constant values; '${assignment.name}' refers to other values, which Terraform does not allow here`);
      else if (value.kind === 'function-call')
        report(assignment.valueRange, 'tfvars/not-constant', 'error', `a variables file holds constant values; functions cannot be called here ('${assignment.name}')`);
      continue;
    }
    const problem = declaration && conversionProblem(value.value, declaration);
    if (problem) report(assignment.valueRange, 'tfvars/type-mismatch', 'error', `'${assignment.name}' is ${problem} (variable "${assignment.name}" in ${declaration.document.source})`);
  }
  return diagnostics.sort(compareDiagnostics);
}

/**
 * Checks a `.tfvars` file as Terraform reads it: assignments only (no blocks),
 * constant values, each to a variable the module declares (unknown: a
 * warning, as Terraform gives), of a value its type accepts. Without the
 * module's declarations (`declared` undefined) only the file's shape is checked.
 */
export function analyzeVariablesFile(document: HclDocument, declared?: ReadonlyMap<string, VariableDeclaration>): Diagnostic[] {
  const diagnostics = [...document.diagnostics];
  for (const block of document.body.blocks) {
    diagnostics.push({
      range: block.headerRange,
      severity: 'error',
      code: 'tfvars/block-not-allowed',
      source: 'shoreline',
      message: `a variables file holds only assignments (name = value); the '${block.type}' block is not allowed here`,
    });
  }
  diagnostics.push(...checkAssignments(document.body.attributes, declared, (name) => name));
  return diagnostics.sort(compareDiagnostics);
}

/** A JSON value as the HCL model's literal (JSON strings are Terraform templates only with `${`). */
function jsonValue(node: JsonNode): HclValue {
  switch (node.type) {
    case 'string':
      return typeof node.value === 'string' && /[$%]\{/.test(node.value) ? { known: false, kind: 'template' } : { known: true, value: node.value as string };
    case 'number':
    case 'boolean':
      return { known: true, value: node.value as number | boolean };
    case 'null':
      return { known: true, value: null };
    case 'array': {
      const items: HclLiteral[] = [];
      for (const child of node.children ?? []) {
        const value = jsonValue(child);
        if (!value.known) return value;
        items.push(value.value);
      }
      return { known: true, value: items };
    }
    case 'object': {
      const object: Record<string, HclLiteral> = {};
      for (const property of node.children ?? []) {
        const [key, child] = property.children ?? [];
        if (!key || !child) continue;
        const value = jsonValue(child);
        if (!value.known) return value;
        object[String(key.value)] = value.value;
      }
      return { known: true, value: object };
    }
    default:
      return { known: false, kind: 'invalid' };
  }
}

/** Checks a `.tfvars.json` file: one JSON object whose properties are assignments. */
export function analyzeVariablesJson(text: string, declared?: ReadonlyMap<string, VariableDeclaration>): Diagnostic[] {
  const lines = new LineIndex(text);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const diagnostics: Diagnostic[] = errors.slice(0, 20).map((error) => ({
    range: lines.rangeOf(error.offset, error.offset + error.length),
    severity: 'error',
    code: 'tfvars/json-syntax',
    source: 'shoreline',
    message: `the file is not valid JSON: ${printParseErrorCode(error.error)
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase()}`,
  }));
  if (!root) return diagnostics;
  if (root.type !== 'object') {
    diagnostics.push({
      range: lines.rangeOf(root.offset, root.offset + root.length),
      severity: 'error',
      code: 'tfvars/json-syntax',
      source: 'shoreline',
      message: 'a .tfvars.json file is one JSON object of variable names and values',
    });
    return diagnostics;
  }
  const assignments: Assignment[] = [];
  const seen = new Map<string, JsonNode>();
  for (const property of root.children ?? []) {
    const [key, value] = property.children ?? [];
    if (!key || !value) continue;
    const name = String(key.value);
    const nameRange = lines.rangeOf(key.offset, key.offset + key.length);
    const first = seen.get(name);
    if (first) {
      diagnostics.push({
        range: nameRange,
        severity: 'error',
        code: 'hcl/attribute-redefined',
        source: 'shoreline',
        message: `'${name}' is already set on line ${lines.positionAt(first.offset).line + 1}; each variable may be set only once`,
      });
      continue;
    }
    seen.set(name, key);
    assignments.push({ name, nameRange, valueRange: lines.rangeOf(value.offset, value.offset + value.length), value: jsonValue(value) });
  }
  diagnostics.push(...checkAssignments(assignments, declared, (name) => JSON.stringify(name)));
  return diagnostics.sort(compareDiagnostics);
}

/**
 * The module a variables file in `folder` sets: the folder's own
 * (terraform.tfvars, *.auto.tfvars), or for a folder of variables files alone
 * (envs/prod.tfvars) the folder above's.
 */
export function variablesModuleFolder(folder: string, hasModule: (folder: string) => boolean): string {
  const parent = dirname(folder);
  return hasModule(folder) || !hasModule(parent) ? folder : parent;
}

/** Checks a variables file, `.tfvars` (HCL) or `.tfvars.json`, against the declarations (undefined: not all known). */
export function analyzeVariables(text: string, source: string, declared: ReadonlyMap<string, VariableDeclaration> | undefined, { json }: { json: boolean }): Diagnostic[] {
  return json ? analyzeVariablesJson(text, declared) : analyzeVariablesFile(parseHcl(text, { source }), declared);
}
