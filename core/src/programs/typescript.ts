import type { Node, Tree } from 'web-tree-sitter';
import { propertyWritten, type InputValue, type ResourceDeclaration, type ResourceInput } from '../lagoon/resource-checks.js';
import { rangeContains, type Position } from '../diagnostics/types.js';
import { atTopLevel, branchesOf, children, innerRange, listItemKey, listValue, numberValue, objectValue, rangeOf, signedValue, UNKNOWN, type CallSite, type ProgramFileModel } from './model.js';
import { SdkScope, unknownClass, type Binding, type UnknownMember } from './scope.js';
import { npmSdk, sdkMember, TYPESCRIPT_DIALECT, type SdkClass } from './sdks.js';

/**
 * Reads a TypeScript or JavaScript program file's tree (tree-sitter-typescript
 * or -javascript): the SDK imports (`import * as lagoon from
 * "@tag1consulting/pulumi-lagoon"`, named imports, `require`) and the
 * resources constructed with `new` (`new lagoon.lagoon.Project("n", {...}, opts)`).
 */

const CONDITIONALS = new Set(['if_statement', 'ternary_expression', 'switch_body', 'try_statement', 'binary_expression']);
/** What opens a scope of its own: a name inside one may be a parameter or local. */
const SCOPES = new Set(['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function_declaration', 'generator_function', 'class_body']);

/** The text of a string literal node (`"x"`, `'x'`), or undefined. */
function stringText(node: Node | null | undefined): string | undefined {
  if (node?.type !== 'string') return undefined;
  const value = valueOf(node);
  return value.kind === 'literal' && typeof value.value === 'string' ? value.value : undefined;
}

export function readTypeScript(tree: Tree): ProgramFileModel {
  const model: ProgramFileModel = { usesSdk: false, imports: [], importLines: [], declarations: [], calls: [], findings: [], dialect: TYPESCRIPT_DIALECT };
  const bindings = new Map<string, Binding>();
  const root = tree.rootNode;
  const unknownMember: UnknownMember = (sdk, module, name, node) => model.findings.push({ range: rangeOf(node), finding: unknownClass(sdk, module, name) });

  /** Binds what one module specifier brings in to local names. */
  const bind = (specifier: string, local: { namespace?: Node; named?: { name: Node; alias?: Node }[] }) => {
    const found = npmSdk(specifier);
    if (!found) {
      if (specifier.startsWith('.')) model.imports.push(specifier);
      return;
    }
    model.usesSdk = true;
    if (!found.namespace) return;
    if (local.namespace) bindings.set(local.namespace.text, { kind: 'namespace', sdk: found.sdk, path: local.namespace.text });
    for (const { name, alias } of local.named ?? []) {
      const member = sdkMember(found.sdk, name.text);
      const localName = (alias ?? name).text;
      if (member.kind === 'unknown') unknownMember(found.sdk, specifier, name.text, name);
      else if (member.kind === 'namespace') bindings.set(localName, { kind: 'namespace', sdk: found.sdk, path: localName });
      else bindings.set(localName, { kind: 'member', sdk: found.sdk, member, path: localName });
    }
  };

  for (const statement of root.descendantsOfType(['import_statement', 'export_statement', 'variable_declarator', 'call_expression'])) {
    if (!statement) continue;
    if (statement.type === 'import_statement' || statement.type === 'export_statement') {
      const specifier = stringText(statement.childForFieldName('source'));
      if (specifier !== undefined || statement.type === 'import_statement') model.importLines.push([statement.startPosition.row, statement.endPosition.row]);
      if (specifier === undefined) {
        // import lagoon = require("...")
        const requireClause = children(statement).find((child) => child.type === 'import_require_clause');
        const source = stringText(requireClause?.childForFieldName('source'));
        const name = children(requireClause).find((child) => child.type === 'identifier');
        if (source !== undefined && name) bind(source, { namespace: name });
        continue;
      }
      const clause = children(statement).find((child) => child.type === 'import_clause');
      const namespace = children(clause).find((child) => child.type === 'namespace_import');
      const defaultName = children(clause).find((child) => child.type === 'identifier');
      const named = children(children(clause).find((child) => child.type === 'named_imports'))
        .filter((child) => child.type === 'import_specifier')
        .map((specifierNode) => ({ name: specifierNode.childForFieldName('name')!, ...(specifierNode.childForFieldName('alias') ? { alias: specifierNode.childForFieldName('alias')! } : {}) }));
      const namespaceName = children(namespace).find((child) => child.type === 'identifier') ?? defaultName;
      bind(specifier, { ...(namespaceName ? { namespace: namespaceName } : {}), named });
      continue;
    }
    if (statement.type === 'call_expression') {
      // Side-effect and dynamic requires of local files: `require("./site")`, `await import("./site")`.
      const callee = statement.childForFieldName('function');
      const source = stringText(children(statement.childForFieldName('arguments'))[0]);
      if (source?.startsWith('.') && (callee?.text === 'require' || callee?.type === 'import') && statement.parent?.type !== 'variable_declarator') model.imports.push(source);
      continue;
    }
    // const lagoon = require("..."); const { Project } = require("...")
    const value = statement.childForFieldName('value');
    if (value?.type !== 'call_expression' || value.childForFieldName('function')?.text !== 'require') continue;
    const source = stringText(children(value.childForFieldName('arguments'))[0]);
    if (source === undefined) continue;
    model.importLines.push([statement.startPosition.row, statement.endPosition.row]);
    const name = statement.childForFieldName('name');
    if (name?.type === 'identifier') bind(source, { namespace: name });
    else if (name?.type === 'object_pattern') {
      const named = children(name).flatMap((property) => {
        if (property.type === 'shorthand_property_identifier_pattern') return [{ name: property }];
        if (property.type === 'pair_pattern') {
          const key = property.childForFieldName('key');
          const alias = property.childForFieldName('value');
          return key && alias?.type === 'identifier' ? [{ name: key, alias }] : [];
        }
        return [];
      });
      bind(source, { named });
    } else bind(source, {});
  }
  if (!model.usesSdk) return model;

  const scope = new SdkScope(MEMBER, unknownMember, bindings);
  model.scope = scope;
  // One more walk: the import walk above needed every declarator and call too.
  for (const expression of root.descendantsOfType('new_expression')) {
    if (!expression) continue;
    const read = readNewExpression(expression, scope);
    if (!read) continue;
    model.declarations.push(read.declaration);
    if (read.site) model.calls.push(read.site);
  }
  return model;
}

const MEMBER = { type: 'member_expression', object: 'object', property: 'property' };

/** `new Class("name", {...}, opts)` of an SDK resource class: its declaration and where its arguments are written. */
function readNewExpression(expression: Node, scope: SdkScope): { declaration: ResourceDeclaration; site?: CallSite } | undefined {
  const constructor = expression.childForFieldName('constructor');
  if (!constructor) return undefined;
  const resolved = scope.resolve(constructor);
  if (resolved?.member.kind !== 'class') return undefined;
  const cls = resolved.member.cls;
  const args = children(expression.childForFieldName('arguments')).filter((arg) => arg.type !== 'comment');
  const [nameNode, argsNode, optsNode] = args;
  const name = nameNode ? valueOf(nameNode) : undefined;
  const logicalName = name?.kind === 'literal' && typeof name.value === 'string' ? name.value : undefined;
  const classNode = constructor.type === 'member_expression' ? constructor.childForFieldName('property')! : constructor;
  // Only a top-level variable is one a record elsewhere in the file surely means by its name.
  const variable = atTopLevel(expression, SCOPES) ? declaredName(expression) : undefined;
  const declaration: ResourceDeclaration = {
    label: logicalName ?? declaredName(expression) ?? constructor.text,
    ...(variable !== undefined ? { variable } : {}),
    topLevel: atTopLevel(expression, SCOPES),
    kind: cls.kind,
    schema: cls.schema,
    nameRange: rangeOf(nameNode ?? constructor),
    inputs: [],
    ...(logicalName !== undefined ? { logicalName } : {}),
    branches: branchesOf(expression, CONDITIONALS),
    ...(expression.hasError || args.some((arg) => arg.type === 'spread_element') ? { open: true } : {}),
    reads: objectHasKey(unwrap(optsNode), ['id', 'urn']),
  };
  const object = unwrap(argsNode);
  if (object?.type === 'object') {
    collectProperties(object, cls, declaration);
    return { declaration, site: callSite(object, cls, constructor.text, classNode) };
  }
  if (argsNode && !(argsNode.type === 'undefined' || (argsNode.type === 'identifier' && argsNode.text === 'undefined'))) declaration.open = true; // args built elsewhere
  return { declaration };
}

/** The call site at a position, from the `new` expressions around it only (see pythonSiteAt). */
export function typeScriptSiteAt(root: Node, position: Position, scopeOf: unknown): CallSite | undefined {
  if (!(scopeOf instanceof SdkScope)) return undefined;
  const scope = scopeOf.silent();
  for (let node = root.descendantForPosition({ row: position.line, column: Math.max(0, position.character - 1) }); node; node = node.parent) {
    if (node.type !== 'new_expression') continue;
    const site = readNewExpression(node, scope)?.site;
    if (site && (rangeContains(site.argumentsRange, position) || rangeContains(site.classRange, position))) return site;
  }
  return undefined;
}

/** `const project = new ...`: the variable names the resource in messages when its logical name is computed. */
function declaredName(expression: Node): string | undefined {
  const parent = expression.parent;
  return parent?.type === 'variable_declarator' ? parent.childForFieldName('name')?.text : undefined;
}

/** The expression inside `(x)`, `x as T`, `x satisfies T`, `x!`, `<T>x`. */
function unwrap(node: Node | undefined): Node | undefined {
  let current = node;
  while (current && ['parenthesized_expression', 'as_expression', 'satisfies_expression', 'non_null_expression', 'type_assertion'].includes(current.type)) {
    current = children(current).find((child) => !/type|comment/.test(child.type) || child.type === 'object');
  }
  return current;
}

function keyText(key: Node | null): string | undefined {
  if (!key) return undefined;
  if (key.type === 'property_identifier' || key.type === 'identifier' || key.type === 'shorthand_property_identifier') return key.text;
  if (key.type === 'string') return stringText(key);
  return undefined;
}

function objectHasKey(object: Node | undefined, keys: readonly string[]): boolean {
  if (object?.type !== 'object') return false;
  return children(object).some((property) => {
    const key = property.type === 'pair' ? keyText(property.childForFieldName('key')) : property.type === 'shorthand_property_identifier' ? property.text : undefined;
    return key !== undefined && keys.includes(key);
  });
}

function collectProperties(object: Node, cls: SdkClass, declaration: ResourceDeclaration): void {
  for (const property of children(object)) {
    if (property.type === 'spread_element' || (property.type === 'pair' && property.childForFieldName('key')?.type === 'computed_property_name')) {
      declaration.open = true;
      continue;
    }
    let keyNode: Node | null;
    let valueNode: Node | null;
    if (property.type === 'pair') {
      keyNode = property.childForFieldName('key');
      valueNode = property.childForFieldName('value');
    } else if (property.type === 'shorthand_property_identifier') {
      keyNode = property;
      valueNode = null;
    } else continue;
    const written = keyText(keyNode);
    if (written === undefined || !keyNode) continue;
    const schemaProperty = propertyWritten(cls.schema, written, TYPESCRIPT_DIALECT);
    const input: ResourceInput = {
      written,
      ...(schemaProperty ? { property: schemaProperty } : {}),
      keyRange: rangeOf(keyNode),
      valueRange: rangeOf(valueNode ?? keyNode),
      value: valueNode ? valueOf(valueNode) : { kind: 'unknown' },
      text: (valueNode ?? keyNode).text,
    };
    // `undefined` as a value is the same as leaving the argument out.
    if (input.value.kind === 'literal' && input.value.value === undefined) continue;
    if (schemaProperty?.items && valueNode) input.itemKey = (index, key) => listItemKey(valueNode, index, key, 'object', keyText);
    declaration.inputs.push(input);
  }
}

function callSite(object: Node, cls: SdkClass, written: string, classNode: Node): CallSite {
  const keys = children(object).flatMap((property) => {
    const key = property.type === 'pair' ? property.childForFieldName('key') : property.type === 'shorthand_property_identifier' ? property : null;
    const text = keyText(key);
    return key && text !== undefined ? [{ written: text, range: rangeOf(key) }] : [];
  });
  return { cls, written, classRange: rangeOf(classNode), argumentsRange: innerRange(object), style: 'object', keys };
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' };

function decodeEscapes(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|[\s\S])/g, (_, escape: string) => {
    if (escape.startsWith('u{')) return String.fromCodePoint(parseInt(escape.slice(2, -1), 16));
    if (/^[xu]/.test(escape) && escape.length > 1) return String.fromCodePoint(parseInt(escape.slice(1), 16));
    return ESCAPES[escape] ?? escape;
  });
}

/** A TypeScript expression's value when it is a literal; `pulumi.secret(...)` is a secret; anything else unknown. */
export function valueOf(node: Node): InputValue {
  switch (node.type) {
    case 'string':
      return { kind: 'literal', value: decodeEscapes(node.text.slice(1, -1)) };
    case 'template_string':
      if (children(node).some((child) => child.type === 'template_substitution')) return UNKNOWN;
      return { kind: 'literal', value: decodeEscapes(node.text.slice(1, -1)) };
    case 'number':
      return numberValue(node.text);
    case 'true':
      return { kind: 'literal', value: true };
    case 'false':
      return { kind: 'literal', value: false };
    case 'null':
      return { kind: 'literal', value: null };
    case 'undefined':
      return { kind: 'literal', value: undefined };
    case 'unary_expression': {
      const argument = node.childForFieldName('argument');
      return signedValue(node.childForFieldName('operator')?.text, argument ? valueOf(argument) : UNKNOWN);
    }
    case 'parenthesized_expression':
    case 'as_expression':
    case 'satisfies_expression':
    case 'non_null_expression': {
      const inner = unwrap(node);
      return inner && inner !== node ? valueOf(inner) : UNKNOWN;
    }
    case 'array':
      return listValue(children(node), valueOf);
    case 'object':
      return objectValue(
        children(node)
          .filter((property) => property.type !== 'comment')
          .map((property) => (property.type === 'pair' ? { key: keyText(property.childForFieldName('key')), value: valueOf(property.childForFieldName('value')!) } : undefined)),
      );
    case 'call_expression': {
      const callee = node.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
      return /(^|\.)secret$/.test(callee) && /^(pulumi\.|Output\.|pulumi\.Output\.)?secret$/.test(callee) ? { kind: 'secret' } : UNKNOWN;
    }
    default:
      return UNKNOWN;
  }
}
