import type { Node } from 'web-tree-sitter';
import { LineIndex } from '../diagnostics/line-index.js';
import { rangeContains, type Position, type Range } from '../diagnostics/types.js';
import { lagoonResourceDocs } from '../language/docs.js';
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type Hover } from '../language/types.js';
import { propertyValueItems } from '../language/values.js';
import { propertyWritten } from '../lagoon/resource-checks.js';
import type { LagoonProperty } from '../lagoon/schema.js';
import type { LiveData } from '../live/index.js';
import { propertyDocs } from '../schema/index.js';
import { sharedProgramCache, type ProgramModelCache } from './analyze.js';
import { languageOfFile } from './grammar.js';
import type { CallSite, ProgramFileModel } from './model.js';
import { pythonSiteAt } from './python.js';
import { typeScriptSiteAt } from './typescript.js';

/**
 * Completion and hover inside the constructor calls of a Python or
 * TypeScript program: argument names (as the language spells them) and
 * accepted values from the schema, and the schema's docs on hover.
 */

/** Runs `use` on the file's current tree and model (incrementally parsed, shared with diagnostics). */
async function withModel<T>(fileName: string, text: string, cache: ProgramModelCache, use: (model: ProgramFileModel, root: Node, python: boolean) => T): Promise<T | undefined> {
  const language = languageOfFile(fileName);
  if (!language) return undefined;
  const current = await cache.current(fileName, text);
  return current?.model.usesSdk ? use(current.model, current.tree.rootNode, language === 'python') : undefined;
}

/** The call site at a position: read from the calls around it, with the file's imports. */
function siteAt(model: ProgramFileModel, root: Node, position: Position, python: boolean): CallSite | undefined {
  return python ? pythonSiteAt(root, position, model.scope) : typeScriptSiteAt(root, position, model.scope);
}

const point = (position: Position) => ({ row: position.line, column: position.character });

/** The node the cursor is at or just after (the end of a word being typed). */
function nodeBefore(root: Node, position: Position): Node | null {
  return root.descendantForPosition(point({ line: position.line, character: Math.max(0, position.character - 1) }));
}

const sameRange = (node: Node, range: Range) => {
  const start = node.startPosition;
  return start.row === range.start.line && start.column === range.start.character - 1;
};

type Context = { kind: 'key'; prefixStart: Position } | { kind: 'value'; written: string; string?: Range; start: Position };

/** What is being written at the position inside a call site: an argument name, or a value of one. */
function contextAt(root: Node, site: CallSite, position: Position, python: boolean, linePrefix: string): Context | undefined {
  // `name=` / `name: ` with no value yet does not parse as an argument: the text says what is written.
  const pending = linePrefix.match(python ? /(?:^|[(,\s])([A-Za-z_]\w*)\s*=\s*$/ : /(?:^|[{,\s])([A-Za-z_$][\w$]*)\s*:\s*$/);
  if (pending && !(python && /[=!<>]=\s*$/.test(linePrefix))) return { kind: 'value', written: pending[1]!, start: position };
  const listTypes = python ? ['argument_list'] : ['object'];
  let node = nodeBefore(root, position);
  const at = (n: Node) => ({ line: n.startPosition.row, character: n.startPosition.column });
  for (let child: Node | null = null; node; child = node, node = node.parent) {
    if (listTypes.includes(node.type) && sameRange(node, site.argumentsRange)) {
      // Directly in the list: after `(`, `{` or `,` (no word yet), or on a word being typed.
      if (!child || child.type === ',' || child.type === '(' || child.type === '{') return { kind: 'key', prefixStart: position };
      if (python && child.type === 'identifier') return { kind: 'key', prefixStart: at(child) };
      if (!python && (child.type === 'shorthand_property_identifier' || child.type === 'ERROR')) return { kind: 'key', prefixStart: child.type === 'ERROR' ? position : at(child) };
      if (child.type === (python ? 'keyword_argument' : 'pair')) {
        const keyNode = child.childForFieldName(python ? 'name' : 'key');
        const valueNode = child.childForFieldName('value');
        if (!keyNode) return undefined;
        const keyEnd = { line: keyNode.endPosition.row, character: keyNode.endPosition.column };
        const afterKey = position.line > keyEnd.line || (position.line === keyEnd.line && position.character > keyEnd.character);
        if (!afterKey) return { kind: 'key', prefixStart: at(keyNode) };
        const isString = valueNode && (valueNode.type === 'string' || valueNode.type === 'template_string');
        if (isString) {
          const start = { line: valueNode.startPosition.row, character: valueNode.startPosition.column };
          const end = { line: valueNode.endPosition.row, character: valueNode.endPosition.column };
          return { kind: 'value', written: keyNode.text, string: { start, end }, start };
        }
        return { kind: 'value', written: keyNode.text, start: valueNode ? at(valueNode) : position };
      }
      return undefined;
    }
    // Inside something nested (another call, a list, a dict): not this call's arguments.
    if (
      child &&
      ['call', 'argument_list', 'dictionary', 'list', 'call_expression', 'arguments', 'array', 'object', 'arrow_function', 'lambda'].includes(node.type) &&
      !sameRange(node, site.argumentsRange)
    ) {
      if (!(node.type === 'call' || node.type === 'call_expression') || child.type !== 'identifier') return undefined;
    }
  }
  return undefined;
}

function argumentSnippet(property: LagoonProperty, written: string, python: boolean): string {
  const separator = python ? '=' : ': ';
  if (property.enum) return `${written}${separator}"\${1|${property.enum.join(',')}|}"`;
  if (property.type === 'string') return `${written}${separator}"$1"`;
  if (property.type === 'bool') return `${written}${separator}\${1|${python ? 'True,False' : 'true,false'}|}`;
  return `${written}${separator}$1`;
}

export async function completeProgram(fileName: string, text: string, position: Position, live?: LiveData, cache = sharedProgramCache): Promise<CompletionItem[]> {
  return (
    (await withModel(fileName, text, cache, (model, root, python) => {
      const site = siteAt(model, root, position, python);
      if (!site) return [];
      const offset = new LineIndex(text).offsetAt(position);
      const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
      const context = contextAt(root, site, position, python, text.slice(lineStart, offset));
      if (!context) return [];
      const schema = site.cls.schema;
      const spell = model.dialect.spell;
      if (context.kind === 'key') {
        const present = new Set(site.keys.filter((key) => !rangeContains(key.range, position)).map((key) => key.written));
        const range: Range = { start: context.prefixStart, end: position };
        return schema.properties
          .filter((property) => !present.has(spell(property.name)))
          .map((property) => ({
            label: spell(property.name),
            kind: CompletionItemKind.Property,
            detail: `${property.type}, ${property.mode}${property.replace ? ', replaces the resource' : ''}`,
            documentation: { kind: 'markdown' as const, value: propertyDocs(property, schema.name, { name: spell(property.name) }) },
            sortText: `${property.mode === 'required' ? '1' : '2'}${property.name}`,
            insertTextFormat: InsertTextFormat.Snippet,
            textEdit: { range, newText: argumentSnippet(property, spell(property.name), python) },
          }));
      }
      const property = propertyWritten(schema, context.written, model.dialect);
      if (!property) return [];
      const range: Range = context.string ? { start: { ...context.string.start, character: context.string.start.character }, end: context.string.end } : { start: context.start, end: position };
      return propertyValueItems(property, range, { live, quote: (value) => JSON.stringify(value), bool: python ? ['True', 'False'] : ['true', 'false'] });
    })) ?? []
  );
}

export async function hoverProgram(fileName: string, text: string, position: Position, cache = sharedProgramCache): Promise<Hover | undefined> {
  return withModel(fileName, text, cache, (model, root, python) => {
    const site = siteAt(model, root, position, python);
    if (site) {
      const schema = site.cls.schema;
      if (rangeContains(site.classRange, position)) return { contents: { kind: 'markdown', value: lagoonResourceDocs(schema, `${schema.name} (${schema.token})`) }, range: site.classRange };
      const key = site.keys.find((candidate) => rangeContains(candidate.range, position));
      if (!key) return undefined;
      const property = propertyWritten(schema, key.written, model.dialect);
      if (property)
        return {
          contents: { kind: 'markdown', value: propertyDocs(property, schema.name, { name: key.written, example: (name, value) => `${name}${site.style === 'kwargs' ? '=' : ': '}"${value}"` }) },
          range: key.range,
        };
      if (schema.outputs.some((output) => model.dialect.spell(output) === key.written))
        return { contents: { kind: 'markdown', value: `**${key.written}** is an output of ${schema.name} that Lagoon sets, not an argument.` }, range: key.range };
    }
    return undefined;
  });
}
