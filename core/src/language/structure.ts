import { lineIndexOf } from '../hcl/lines.js';
import { insideDelimiters, type Position, type Range } from '../diagnostics/types.js';
import { tokenize } from '../format/tokens.js';
import { literalString, type HclBody, type HclDocument } from '../hcl/types.js';
import { DEFAULT_REGISTRY_HOST, parseProviderSource, requiredProviders } from '../terraform/versions.js';
import { contains } from './locate.js';
import { documentSymbols } from './symbols.js';
import type { DocumentSymbol } from './types.js';

/**
 * The structure of Terraform files for the editor, from the document model:
 * folding, selection ranges, workspace symbols and document links.
 */

export interface FoldingRange {
  startLine: number;
  endLine: number;
  kind?: 'comment' | 'region';
}

/** Blocks, multi-line values (objects, lists, heredocs) and runs of comments fold; at most `limit` of them, the first. */
export function foldingRanges(document: HclDocument, limit = Infinity): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  // The closing line stays visible (`}`, `]`, the heredoc's marker).
  const fold = (range: Range) => {
    if (range.end.line - 1 > range.start.line) ranges.push({ startLine: range.start.line, endLine: range.end.line - 1 });
  };
  const visit = (body: HclBody, depth: number) => {
    for (const attribute of body.attributes) fold(attribute.range);
    for (const block of body.blocks) {
      fold(block.range);
      if (depth < 64) visit(block, depth + 1);
    }
  };
  visit(document.body, 0);
  let run: { start: number; end: number } | undefined;
  const closeRun = () => {
    if (run && run.end > run.start) ranges.push({ startLine: run.start, endLine: run.end, kind: 'comment' });
    run = undefined;
  };
  const index = lineIndexOf(document);
  const lineOf = (offset: number) => index.positionAt(offset).line;
  for (const token of tokenize(document.text)) {
    if (token.type !== 'Comment') continue;
    const start = lineOf(token.start);
    const end = lineOf(token.start + token.text.replace(/\r?\n$/, '').length);
    if (end > start) {
      closeRun();
      ranges.push({ startLine: start, endLine: end, kind: 'comment' });
      continue;
    }
    // Consecutive line comments are one run; anything between them ends it.
    if (run && start === run.end + 1 && /^(#|\/\/)/.test(token.text) && wholeLine(document.text, token.start)) run.end = start;
    else {
      closeRun();
      if (/^(#|\/\/)/.test(token.text) && wholeLine(document.text, token.start)) run = { start, end: start };
    }
  }
  closeRun();
  ranges.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  return ranges.length > limit ? ranges.slice(0, limit) : ranges;
}

/** Whether only spaces stand before an offset on its line. */
function wholeLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*$/.test(text.slice(lineStart, offset));
}

export interface SelectionRange {
  range: Range;
  parent?: SelectionRange;
}

/** For each position, the ranges around it from the word out: value, attribute, block body, block, enclosing blocks. */
export function selectionRanges(document: HclDocument, positions: readonly Position[]): SelectionRange[] {
  return positions.map((position) => {
    const chain: Range[] = [];
    const visit = (body: HclBody) => {
      for (const block of body.blocks) {
        if (!contains(block.range, position)) continue;
        chain.push(block.range);
        if (contains(block.bodyRange, position)) chain.push(block.bodyRange);
        visit(block);
        return;
      }
      for (const attribute of body.attributes) {
        if (!contains(attribute.range, position)) continue;
        chain.push(attribute.range);
        if (contains(attribute.valueRange, position)) chain.push(attribute.valueRange);
        else if (contains(attribute.nameRange, position)) chain.push(attribute.nameRange);
        return;
      }
    };
    visit(document.body);
    const word = wordAt(document.text, position);
    if (word && !chain.some((range) => sameRange(range, word))) chain.push(word);
    // The chain is outermost first; each range's parent is the one before it.
    let selection: SelectionRange | undefined;
    for (const range of chain) selection = { range, ...(selection ? { parent: selection } : {}) };
    return selection ?? { range: { start: position, end: position } };
  });
}

const sameRange = (a: Range, b: Range) => a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/** The identifier-like word around a position (letters, digits, `_`, `-`). */
function wordAt(text: string, position: Position): Range | undefined {
  const lines = text.split('\n');
  const line = lines[position.line];
  if (line === undefined) return undefined;
  let start = position.character;
  let end = position.character;
  while (start > 0 && /[\w-]/.test(line[start - 1]!)) start--;
  while (end < line.length && /[\w-]/.test(line[end]!)) end++;
  return end > start ? { start: { line: position.line, character: start }, end: { line: position.line, character: end } } : undefined;
}

export interface WorkspaceSymbol extends DocumentSymbol {
  source: string;
}

/**
 * The top-level symbols of every document whose name matches `query`: its
 * characters in order, case-insensitively (as editors filter), best first.
 */
export function workspaceSymbols(documents: readonly HclDocument[], query: string, limit = 1000): WorkspaceSymbol[] {
  const wanted = query.toLowerCase();
  const score = (name: string): number | undefined => {
    const lower = name.toLowerCase();
    if (wanted === '') return 0;
    if (lower.includes(wanted)) return lower.startsWith(wanted) ? 0 : 1;
    let at = 0;
    for (const char of lower) if (char === wanted[at]) at++;
    return at === wanted.length ? 2 : undefined;
  };
  const found: { symbol: WorkspaceSymbol; score: number }[] = [];
  for (const document of documents) {
    for (const symbol of documentSymbols(document)) {
      const names = [symbol, ...(symbol.name.startsWith('locals') ? (symbol.children ?? []) : [])];
      for (const candidate of names) {
        const rank = score(candidate.name);
        if (rank !== undefined) found.push({ symbol: { ...candidate, children: [], source: document.source }, score: rank });
      }
    }
  }
  return found
    .sort((a, b) => a.score - b.score || a.symbol.name.localeCompare(b.symbol.name))
    .slice(0, limit)
    .map((entry) => entry.symbol);
}

export interface DocumentLink {
  range: Range;
  target: string;
  tooltip: string;
}

const REGISTRY_MODULE = /^(?:([A-Za-z0-9.-]+)\/)?([A-Za-z0-9][A-Za-z0-9_-]*)\/([A-Za-z0-9][A-Za-z0-9_-]*)\/([A-Za-z0-9][A-Za-z0-9-]*)(?:\/\/(.*))?$/;

/** Where a module source points on the web: the public registry's page, or the repository. */
function moduleSourceLink(source: string, version: string | undefined): { target: string; tooltip: string } | undefined {
  const registry = source.match(REGISTRY_MODULE);
  if (registry && (!registry[1] || registry[1] === DEFAULT_REGISTRY_HOST) && !source.includes('::')) {
    const exact = version && /^=?\s*\d+\.\d+\.\d+$/.test(version.trim()) ? `/${version.replace(/^=\s*/, '').trim()}` : '';
    return { target: `https://registry.terraform.io/modules/${registry[2]}/${registry[3]}/${registry[4]}${exact}`, tooltip: 'Open the module on the Terraform registry' };
  }
  const github = source.match(/^(?:git::)?(?:https:\/\/)?github\.com\/([\w.-]+)\/([\w.-]+?)(?:\.git)?(?:\/\/[^?]*)?(?:\?ref=([\w./-]+))?$/);
  if (github) return { target: `https://github.com/${github[1]}/${github[2]}${github[3] ? `/tree/${github[3]}` : ''}`, tooltip: 'Open the repository' };
  const https = source.match(/^git::(https:\/\/[^?]+?)(?:\.git)?(?:\/\/[^?]*)?(?:\?.*)?$/);
  if (https) return { target: https[1]!, tooltip: 'Open the repository' };
  return undefined;
}

/**
 * Links in a module: module sources (the registry page or the repository),
 * provider sources (the provider's registry page), and resource and data
 * source types (their documentation page of the provider that serves them).
 */
export function documentLinks(document: HclDocument, moduleDocuments: readonly HclDocument[] = [document]): DocumentLink[] {
  const links: DocumentLink[] = [];
  const sources = new Map<string, string>();
  for (const provider of requiredProviders(moduleDocuments)) {
    const parsed = provider.source !== undefined ? parseProviderSource(provider.source).source : undefined;
    if (parsed?.hostname === DEFAULT_REGISTRY_HOST) sources.set(provider.entry.name, `${parsed.namespace}/${parsed.type}`);
  }
  const providerPage = (localName: string) => {
    const source = sources.get(localName) ?? (/^[a-z0-9-]+$/.test(localName) ? `hashicorp/${localName}` : undefined);
    return source ? `https://registry.terraform.io/providers/${source}/latest` : undefined;
  };
  for (const block of document.body.blocks) {
    if ((block.type === 'resource' || block.type === 'data' || block.type === 'ephemeral') && block.labels[0] && block.labelRanges[0]) {
      const type = block.labels[0];
      const provider =
        literalString(block.attributes.find((attribute) => attribute.name === 'provider'))?.split('.')[0] ??
        block.attributes.find((attribute) => attribute.name === 'provider')?.expression.split('.')[0] ??
        type.split('_')[0]!;
      const page = providerPage(provider);
      const kind = block.type === 'data' ? 'data-sources' : block.type === 'ephemeral' ? 'ephemeral-resources' : 'resources';
      const name = type.startsWith(`${provider}_`) ? type.slice(provider.length + 1) : type;
      if (page) links.push({ range: insideDelimiters(block.labelRanges[0]), target: `${page}/docs/${kind}/${name}`, tooltip: `Open the documentation of ${type}` });
    }
    if (block.type === 'module') {
      const source = block.attributes.find((attribute) => attribute.name === 'source');
      const value = literalString(source);
      const link = source && value !== undefined ? moduleSourceLink(value, literalString(block.attributes.find((attribute) => attribute.name === 'version'))) : undefined;
      if (source && link)
        links.push({
          range: {
            start: { line: source.valueRange.start.line, character: source.valueRange.start.character + 1 },
            end: { line: source.valueRange.end.line, character: source.valueRange.end.character - 1 },
          },
          ...link,
        });
    }
    if (block.type === 'terraform') {
      for (const nested of block.blocks.filter((candidate) => candidate.type === 'required_providers')) {
        for (const entry of nested.attributes) {
          const page = providerPage(entry.name);
          if (page) links.push({ range: entry.nameRange, target: page, tooltip: `Open the ${sources.get(entry.name) ?? `hashicorp/${entry.name}`} provider on the Terraform registry` });
        }
      }
    }
  }
  return links;
}
