import { InsertTextFormat } from './types.js';

/**
 * LSP snippets (`${1:default}`, `${2|a,b|}`, `$0`) as plain text, for clients
 * without `snippetSupport`: each placeholder becomes its default (a choice its
 * first option), tab stops disappear, escapes are undone.
 */
export function snippetToPlainText(snippet: string): string {
  let out = '';
  for (let i = 0; i < snippet.length; i++) {
    const c = snippet[i]!;
    if (c === '\\' && i + 1 < snippet.length && '$}\\,|'.includes(snippet[i + 1]!)) {
      out += snippet[++i];
    } else if (c === '$' && /[0-9]/.test(snippet[i + 1] ?? '')) {
      while (/[0-9]/.test(snippet[i + 1] ?? '')) i++;
    } else if (c === '$' && snippet[i + 1] === '{') {
      const end = placeholderEnd(snippet, i + 2);
      const inner = snippet.slice(i + 2, end);
      const choice = inner.match(/^\d+\|(.*)\|$/s);
      if (choice) out += snippetToPlainText(choice[1]!.split(/(?<!\\),/)[0] ?? '');
      else out += snippetToPlainText(inner.replace(/^\d+:?/, ''));
      i = end;
    } else {
      out += c;
    }
  }
  return out;
}

/** The index of the `}` closing a placeholder whose content starts at `from` (placeholders nest). */
function placeholderEnd(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return text.length;
}

/** Completion items for a client without snippet support: the same edits, as plain text. */
export function withoutSnippets<T extends { insertTextFormat: number; textEdit: { range: unknown; newText: string } }>(items: readonly T[]): T[] {
  return items.map((item) =>
    item.insertTextFormat === InsertTextFormat.Snippet
      ? { ...item, insertTextFormat: InsertTextFormat.PlainText, textEdit: { ...item.textEdit, newText: snippetToPlainText(item.textEdit.newText) } }
      : item,
  );
}
