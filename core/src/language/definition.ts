import { lineIndexOf } from '../hcl/lines.js';
import type { Position } from '../diagnostics/types.js';
import type { HclBlock, HclDocument } from '../hcl/types.js';
import type { SourceLocation } from './types.js';

const REFERENCE = /(?:data\.)?[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+/g;

function find(documents: readonly HclDocument[], test: (block: HclBlock) => boolean): { document: HclDocument; block: HclBlock } | undefined {
  for (const document of documents) {
    const block = document.body.blocks.find(test);
    if (block) return { document, block };
  }
  return undefined;
}

/**
 * Go to definition for references in expressions: `TYPE.NAME[.ATTR]`,
 * `data.TYPE.NAME[.ATTR]`, `var.NAME` and `local.NAME`, across the module's documents.
 */
export function definition(document: HclDocument, position: Position, moduleDocuments: readonly HclDocument[]): SourceLocation | undefined {
  const lines = lineIndexOf(document);
  const lineStart = lines.offsetAt({ line: position.line, character: 0 });
  const lineText = document.text.slice(lineStart, lines.offsetAt({ line: position.line + 1, character: 0 }));
  const reference = [...lineText.matchAll(REFERENCE)].find((match) => match.index <= position.character && position.character <= match.index + match[0].length);
  if (!reference) return undefined;
  const parts = reference[0].split('.');
  const documents = moduleDocuments.includes(document) ? moduleDocuments : [document, ...moduleDocuments];
  if (parts[0] === 'var') {
    const found = find(documents, (block) => block.type === 'variable' && block.labels[0] === parts[1]);
    return found && { source: found.document.source, range: found.block.headerRange };
  }
  if (parts[0] === 'local') {
    for (const candidate of documents) {
      for (const block of candidate.body.blocks.filter((b) => b.type === 'locals')) {
        const attr = block.attributes.find((a) => a.name === parts[1]);
        if (attr) return { source: candidate.source, range: attr.nameRange };
      }
    }
    return undefined;
  }
  const isData = parts[0] === 'data';
  const [type, name, attrName] = isData ? parts.slice(1) : parts;
  if (type === undefined || name === undefined) return undefined;
  const found = find(documents, (block) => block.type === (isData ? 'data' : 'resource') && block.labels[0] === type && block.labels[1] === name);
  if (!found) return undefined;
  const attr = attrName ? found.block.attributes.find((a) => a.name === attrName) : undefined;
  return { source: found.document.source, range: attr ? attr.nameRange : found.block.headerRange };
}
