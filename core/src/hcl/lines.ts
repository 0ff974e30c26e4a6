import { LineIndex } from '../diagnostics/line-index.js';
import type { HclDocument } from './types.js';

/** Each parsed document's line index: built once per version (by the parser, or from the previous version's by an incremental re-parse). */
const lineIndexes = new WeakMap<HclDocument, LineIndex>();

/** The line index of a document's text, cached with the document. */
export function lineIndexOf(document: HclDocument): LineIndex {
  let index = lineIndexes.get(document);
  if (!index || index.text !== document.text) {
    index = new LineIndex(document.text);
    lineIndexes.set(document, index);
  }
  return index;
}

/** Records the line index made for a document (it must index the document's text). */
export function rememberLineIndex(document: HclDocument, index: LineIndex): HclDocument {
  if (index.text === document.text) lineIndexes.set(document, index);
  return document;
}
