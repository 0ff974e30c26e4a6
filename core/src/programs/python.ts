import type { Node, Tree } from 'web-tree-sitter';
import { propertyWritten, type InputValue, type ResourceDeclaration, type ResourceInput } from '../lagoon/resource-checks.js';
import { rangeContains, type Position } from '../diagnostics/types.js';
import { atTopLevel, branchesOf, children, innerRange, listItemKey, listValue, numberValue, objectValue, rangeOf, signedValue, UNKNOWN, type CallSite, type ProgramFileModel } from './model.js';
import { SdkScope, unknownClass, type UnknownMember } from './scope.js';
import { pythonName, pythonSdk, PYTHON_DIALECT, sdkMember, type SdkClass } from './sdks.js';

/**
 * Reads a Python program file's tree (tree-sitter-python): the provider SDKs
 * it imports and the resources it constructs, in every way the SDKs can be
 * called — `Project("n", ProjectArgs(...), opts=...)`, keyword style
 * `Project("n", name=...)`, `pulumi_lagoon.lagoon.Project(...)`, and args
 * objects built on their own (`ProjectArgs(...)`, passed on later).
 */

/** Python's conditionals: declarations in different arms never both run. */
const CONDITIONALS = new Set(['if_statement', 'conditional_expression', 'try_statement', 'match_statement', 'boolean_operator']);
/** What opens a scope of its own: a name inside one may be a parameter or local. */
const SCOPES = new Set(['function_definition', 'class_definition', 'lambda']);

/** Keyword arguments of resource constructors that are not inputs. */
const CONSTRUCTOR_KEYWORDS = new Set(['resource_name', 'opts', 'args', '__props__', '__opts__', '__name__']);

const ATTRIBUTE = { type: 'attribute', object: 'object', property: 'attribute' };

export function readPython(tree: Tree): ProgramFileModel {
  const model: ProgramFileModel = { usesSdk: false, imports: [], importLines: [], declarations: [], calls: [], findings: [], dialect: PYTHON_DIALECT };
  const unknownMember: UnknownMember = (sdk, module, name, node) => model.findings.push({ range: rangeOf(node), finding: unknownClass(sdk, module, name) });
  const scope = new SdkScope(ATTRIBUTE, unknownMember);
  model.scope = scope;
  const { bindings, wildcard } = scope;
  const root = tree.rootNode;

  // One walk of the tree for imports and calls (each walk crosses into WebAssembly for every node).
  const found = root.descendantsOfType(['import_statement', 'import_from_statement', 'call']).filter((node): node is Node => !!node);
  for (const statement of found) {
    if (statement.type === 'call') continue;
    model.importLines.push([statement.startPosition.row, statement.endPosition.row]);
    if (statement.type === 'import_statement') {
      for (const item of children(statement)) {
        const dotted = item.type === 'aliased_import' ? item.childForFieldName('name') : item;
        const alias = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : undefined;
        if (!dotted) continue;
        const path = dotted.text;
        const sdk = pythonSdk(path);
        if (!sdk) {
          model.imports.push(path);
          continue;
        }
        model.usesSdk = true;
        // `import pulumi_lagoon.lagoon` binds `pulumi_lagoon`; with `as`, the alias names the module itself.
        if (alias) {
          if (sdk.namespace) bindings.set(alias, { kind: 'namespace', sdk: sdk.sdk, path });
        } else bindings.set(path.split('.')[0]!, { kind: 'namespace', sdk: sdk.sdk, path: path.split('.')[0]! });
      }
      continue;
    }
    const moduleNode = statement.childForFieldName('module_name');
    if (!moduleNode) continue;
    const module = moduleNode.text;
    const sdk = module.startsWith('.') ? undefined : pythonSdk(module);
    const names = statement.childrenForFieldName('name').filter(Boolean) as Node[];
    if (!sdk) {
      // `from . import helpers` may import modules; `from .helpers import x` imports one.
      if (/^\.+$/.test(module)) for (const name of names) model.imports.push(module + (name.type === 'aliased_import' ? name.childForFieldName('name')!.text : name.text));
      else model.imports.push(module);
      continue;
    }
    model.usesSdk = true;
    if (children(statement).some((child) => child.type === 'wildcard_import')) {
      if (sdk.namespace) wildcard.push(sdk.sdk);
      continue;
    }
    for (const name of names) {
      const nameNode = name.type === 'aliased_import' ? name.childForFieldName('name')! : name;
      const local = name.type === 'aliased_import' ? name.childForFieldName('alias')!.text : nameNode.text;
      if (!sdk.namespace) continue; // e.g. from pulumi_lagoon.config import vars
      const member = sdkMember(sdk.sdk, nameNode.text);
      if (member.kind === 'unknown') unknownMember(sdk.sdk, module, nameNode.text, nameNode);
      else if (member.kind === 'namespace') bindings.set(local, { kind: 'namespace', sdk: sdk.sdk, path: `${module}.${nameNode.text}` });
      else bindings.set(local, { kind: 'member', sdk: sdk.sdk, member, path: `${module}.${nameNode.text}` });
    }
  }
  if (!model.usesSdk) return model;

  const argsCallsInsideResources = new Set<number>();
  const argsCalls: { call: Node; cls: SdkClass; classNode: Node }[] = [];
  for (const call of found) {
    if (call.type !== 'call') continue;
    const target = constructorOf(call, scope);
    if (!target) continue;
    if (target.args) {
      argsCalls.push({ call, cls: target.cls, classNode: target.classNode });
      continue;
    }
    const read = readResourceCall(call, target.cls, target.written, target.classNode, scope);
    if (read.argsCall) argsCallsInsideResources.add(read.argsCall);
    model.declarations.push(read.declaration);
    model.calls.push(read.site);
  }
  for (const { call, cls, classNode } of argsCalls) {
    if (argsCallsInsideResources.has(call.id)) continue;
    const read = readArgsCall(call, cls, classNode);
    model.declarations.push(read.declaration);
    model.calls.push(read.site);
  }
  return model;
}

/** The SDK class a call constructs (a resource, or an args object), if any. */
function constructorOf(call: Node, scope: SdkScope): { cls: SdkClass; written: string; classNode: Node; args: boolean } | undefined {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  const resolved = scope.resolve(callee);
  if (!resolved || (resolved.member.kind !== 'class' && resolved.member.kind !== 'args')) return undefined;
  const classNode = callee.type === 'attribute' ? callee.childForFieldName('attribute')! : callee;
  return { cls: resolved.member.cls, written: callee.text, classNode, args: resolved.member.kind === 'args' };
}

const argsOf = (call: Node) => children(call.childForFieldName('arguments'));
const keyword = (args: Node[], name: string) => args.find((arg) => arg.type === 'keyword_argument' && arg.childForFieldName('name')?.text === name)?.childForFieldName('value') ?? undefined;

/** A resource constructor call: its declaration, where its arguments are written, and the args call it contains. */
function readResourceCall(call: Node, cls: SdkClass, written: string, classNode: Node, scope: SdkScope): { declaration: ResourceDeclaration; site: CallSite; argsCall?: number } {
  const args = argsOf(call);
  const positional = args.filter((arg) => arg.type !== 'keyword_argument' && arg.type !== 'dictionary_splat' && arg.type !== 'list_splat' && arg.type !== 'comment');
  const nameNode = positional[0] ?? keyword(args, 'resource_name');
  const argsNode = positional[1] ?? keyword(args, 'args');
  const optsNode = keyword(args, 'opts') ?? positional[2];
  const declaration = declarationOf(call, cls, written, nameNode);
  declaration.reads = readsExisting(optsNode);
  let site: Node;
  let argsCall: number | undefined;
  const argsTarget = argsNode?.type === 'call' ? constructorOf(argsNode, scope) : undefined;
  if (argsNode && argsTarget?.args && argsTarget.cls === cls) {
    argsCall = argsNode.id;
    site = argsNode;
    collectKeywords(argsNode, cls, declaration);
  } else if (argsNode) {
    // An args object built elsewhere, or a dict: its inputs are not known here.
    declaration.open = true;
    site = call;
  } else {
    site = call;
    collectKeywords(call, cls, declaration, CONSTRUCTOR_KEYWORDS, 1);
  }
  if (args.some((arg) => arg.type === 'list_splat' || arg.type === 'dictionary_splat')) declaration.open = true;
  return { declaration, site: callSite(site, cls, written, classNode), ...(argsCall !== undefined ? { argsCall } : {}) };
}

/** An args object built on its own (`ProjectArgs(...)`, passed to a resource later). */
function readArgsCall(call: Node, cls: SdkClass, classNode: Node): { declaration: ResourceDeclaration; site: CallSite } {
  const declaration = declarationOf(call, cls, `${cls.schema.name}Args`, undefined);
  declaration.argsOnly = true;
  collectKeywords(call, cls, declaration);
  return { declaration, site: callSite(call, cls, `${cls.schema.name}Args`, classNode) };
}

/**
 * The call site at a position, read from the calls around it only (for
 * completion and hover, which must not wait for the whole file), with the
 * names the file's imports bound when it was last read.
 */
export function pythonSiteAt(root: Node, position: Position, scopeOf: unknown): CallSite | undefined {
  if (!(scopeOf instanceof SdkScope)) return undefined;
  const scope = scopeOf.silent();
  for (let node = root.descendantForPosition({ row: position.line, column: Math.max(0, position.character - 1) }); node; node = node.parent) {
    if (node.type !== 'call') continue;
    const target = constructorOf(node, scope);
    if (!target) continue;
    const site = target.args ? readArgsCall(node, target.cls, target.classNode).site : readResourceCall(node, target.cls, target.written, target.classNode, scope).site;
    if (rangeContains(site.argumentsRange, position) || rangeContains(site.classRange, position)) return site;
  }
  return undefined;
}

/** The declaration of a constructor call, before its inputs: its label, logical name and arms. */
function declarationOf(call: Node, cls: SdkClass, written: string, nameNode: Node | undefined): ResourceDeclaration {
  const name = nameNode ? valueOf(nameNode) : undefined;
  const logicalName = name?.kind === 'literal' && typeof name.value === 'string' ? name.value : undefined;
  const left = call.parent?.type === 'assignment' ? call.parent.childForFieldName('left') : undefined;
  const assigned = left?.text;
  return {
    label: logicalName ?? assigned ?? written,
    // Only a plain name at the top level is a variable a record elsewhere in the file surely means (`self.zone = ...` is not).
    ...(left?.type === 'identifier' && atTopLevel(call, SCOPES) ? { variable: left.text } : {}),
    topLevel: atTopLevel(call, SCOPES),
    kind: cls.kind,
    schema: cls.schema,
    nameRange: rangeOf(nameNode ?? call.childForFieldName('function')!),
    inputs: [],
    ...(logicalName !== undefined ? { logicalName } : {}),
    branches: branchesOf(call, CONDITIONALS),
    ...(call.hasError ? { open: true } : {}),
  };
}

/** `opts=ResourceOptions(id=...)` or `urn=`: the resource is read, not created, and needs no inputs. */
function readsExisting(opts: Node | undefined): boolean {
  if (opts?.type !== 'call') return false;
  return children(opts.childForFieldName('arguments')).some((arg) => arg.type === 'keyword_argument' && ['id', 'urn'].includes(arg.childForFieldName('name')?.text ?? ''));
}

/** The keyword arguments of a call as the resource's inputs (snake_case names onto the schema's). */
function collectKeywords(call: Node, cls: SdkClass, declaration: ResourceDeclaration, skipped: ReadonlySet<string> = new Set(), positionalAllowed = 0): void {
  const args = children(call.childForFieldName('arguments')).filter((arg) => arg.type !== 'comment');
  // `ProjectArgs(...)` (an ellipsis, as docs elide arguments) or other positional values: what they hold is not known.
  if (args.filter((arg) => arg.type !== 'keyword_argument' && arg.type !== 'dictionary_splat').length > positionalAllowed) declaration.open = true;
  for (const arg of args) {
    if (arg.type === 'dictionary_splat' || arg.type === 'list_splat') declaration.open = true;
    if (arg.type !== 'keyword_argument') continue;
    const nameNode = arg.childForFieldName('name');
    const valueNode = arg.childForFieldName('value');
    if (!nameNode || !valueNode || skipped.has(nameNode.text)) continue;
    const property = propertyWritten(cls.schema, nameNode.text, PYTHON_DIALECT);
    const input: ResourceInput = {
      written: nameNode.text,
      ...(property ? { property } : {}),
      keyRange: rangeOf(nameNode),
      valueRange: rangeOf(valueNode),
      value: valueOf(valueNode),
      text: valueNode.text,
    };
    if (property?.items) {
      const fields = property.items;
      input.itemFields = (written) => fields.find((field) => field.name === written || pythonName(field.name) === written)?.name;
      input.itemKey = (index, key) =>
        listItemKey(valueNode, index, key, 'dictionary', (node) => {
          const text = stringValue(node);
          return text.kind === 'literal' ? String(text.value) : undefined;
        });
    }
    declaration.inputs.push(input);
  }
}

function callSite(call: Node, cls: SdkClass, written: string, classNode: Node): CallSite {
  const list = call.childForFieldName('arguments')!;
  const keys = children(list)
    .filter((arg) => arg.type === 'keyword_argument')
    .map((arg) => arg.childForFieldName('name'))
    .filter((name): name is Node => !!name)
    .map((name) => ({ written: name.text, range: rangeOf(name) }));
  return { cls, written, classRange: rangeOf(classNode), argumentsRange: innerRange(list), style: 'kwargs', keys };
}

/** A Python expression's value when it is a literal; `pulumi.Output.secret(...)` is a secret; anything else unknown. */
export function valueOf(node: Node): InputValue {
  switch (node.type) {
    case 'string':
      return stringValue(node);
    case 'concatenated_string': {
      let text = '';
      for (const part of children(node)) {
        const value = stringValue(part);
        if (value.kind !== 'literal' || typeof value.value !== 'string') return UNKNOWN;
        text += value.value;
      }
      return { kind: 'literal', value: text };
    }
    case 'integer':
    case 'float':
      return numberValue(node.text);
    case 'true':
      return { kind: 'literal', value: true };
    case 'false':
      return { kind: 'literal', value: false };
    case 'none':
      return { kind: 'literal', value: null };
    case 'unary_operator': {
      const argument = node.childForFieldName('argument');
      return signedValue(node.childForFieldName('operator')?.text, argument ? valueOf(argument) : UNKNOWN);
    }
    case 'parenthesized_expression': {
      const inner = children(node).filter((child) => child.type !== 'comment');
      return inner.length === 1 ? valueOf(inner[0]!) : UNKNOWN;
    }
    case 'list':
    case 'tuple':
      return listValue(children(node), valueOf);
    case 'dictionary':
      return objectValue(
        children(node)
          .filter((pair) => pair.type !== 'comment')
          .map((pair) => {
            if (pair.type !== 'pair') return undefined;
            const key = valueOf(pair.childForFieldName('key')!);
            return { key: key.kind === 'literal' && typeof key.value === 'string' ? key.value : undefined, value: valueOf(pair.childForFieldName('value')!) };
          }),
      );
    case 'call': {
      const callee = node.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
      return /(^|\.)Output\.secret$/.test(callee) ? { kind: 'secret' } : UNKNOWN;
    }
    default:
      return UNKNOWN;
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' };

/** A string literal's value: raw strings as written, escapes decoded; f-strings with substitutions, and bytes, are not literal strings. */
function stringValue(node: Node): InputValue {
  if (node.type !== 'string') return UNKNOWN;
  const start = node.children[0];
  const end = node.children[node.children.length - 1];
  if (!start || !end || start.type !== 'string_start') return UNKNOWN;
  const prefix = start.text.replace(/['"]+$/, '').toLowerCase();
  if (prefix.includes('b') || prefix.includes('t')) return UNKNOWN;
  let body = node.text.slice(start.text.length, node.text.length - (end.type === 'string_end' ? end.text.length : 0));
  if (prefix.includes('f')) {
    // A substitution is a brace that is not doubled.
    if (/\{/.test(body.replace(/\{\{/g, ''))) return UNKNOWN;
    body = body.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  }
  if (prefix.includes('r')) return { kind: 'literal', value: body };
  const value = body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|[\s\S])/g, (whole, escape: string) => {
    if (/^[xuU]/.test(escape)) return String.fromCodePoint(parseInt(escape.slice(1), 16));
    if (/^[0-7]+$/.test(escape)) return String.fromCodePoint(parseInt(escape, 8));
    return ESCAPES[escape] ?? whole;
  });
  return { kind: 'literal', value };
}
