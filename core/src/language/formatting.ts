import type { Range } from '../diagnostics/types.js';
import { formatTerraform } from '../format/terraform.js';
import type { HclDocument } from '../hcl/types.js';

export interface TextEdit {
  range: Range;
  newText: string;
}

/** Lines with their line breaks, so that joining them gives the text back. */
function splitKeepingBreaks(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Beyond this many differing lines the diff stops looking for a smallest edit: one run replaces the middle. */
const MAX_DIFFERENCES = 4000;

/**
 * Which lines of `a` match which of `b` (Myers' O(ND) diff on `key`s): pairs
 * of indexes, increasing. Lines equal in key but not in text are matched too
 * (the caller edits them in place).
 */
function matchLines(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  const limit = Math.min(n + m, MAX_DIFFERENCES);
  const offset = limit + 1;
  let v = new Int32Array(2 * offset + 1);
  const trace: Int32Array[] = [];
  let reached = -1;
  for (let d = 0; d <= limit && reached === -1; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!);
      let x = down ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        reached = d;
        break;
      }
    }
    v = next;
  }
  if (reached === -1) return [];
  // Back from the end, step by step, collecting the diagonal moves (the matches).
  const matches: [number, number][] = [];
  let x = n;
  let y = m;
  for (let d = reached; d > 0; d--) {
    const before = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && before[offset + k - 1]! < before[offset + k + 1]!);
    const previousK = down ? k + 1 : k - 1;
    const previousX = before[offset + previousK]!;
    const previousY = previousX - previousK;
    const startX = down ? previousX : previousX + 1;
    const startY = startX - k;
    while (x > startX && y > startY) matches.push([--x, --y]);
    x = previousX;
    y = previousY;
  }
  while (x > 0 && y > 0) matches.push([--x, --y]);
  return matches.reverse();
}

/**
 * The runs that turn line list `before` into `after`: each replaces old lines
 * [start, end) with new ones. Lines are matched by their text without
 * whitespace (formatting mostly moves spaces), then each matched line whose
 * spacing changed is a run of its own.
 */
export function changedRuns(before: readonly string[], after: readonly string[]): { start: number; end: number; lines: string[] }[] {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  const a = before.slice(head, before.length - tail);
  const b = after.slice(head, after.length - tail);
  const key = (line: string) => line.replace(/\s+/g, '');
  const matches = matchLines(a.map(key), b.map(key));
  const runs: { start: number; end: number; lines: string[] }[] = [];
  let oldAt = 0;
  let newAt = 0;
  for (const [oldIndex, newIndex] of [...matches, [a.length, b.length] as [number, number]]) {
    if (oldIndex > oldAt || newIndex > newAt) runs.push({ start: head + oldAt, end: head + oldIndex, lines: b.slice(newAt, newIndex) });
    if (oldIndex < a.length && a[oldIndex] !== b[newIndex]) runs.push({ start: head + oldIndex, end: head + oldIndex + 1, lines: [b[newIndex]!] });
    oldAt = oldIndex + 1;
    newAt = newIndex + 1;
  }
  return runs;
}

/**
 * The edits that turn a Terraform file into what `terraform fmt` makes of it:
 * only the lines that change, so the editor keeps the cursor and folds. With
 * a range, only the changes that touch its lines. Undefined when the file has
 * syntax errors (it is not formatted, as Terraform does not format it).
 */
export function formattingEdits(text: string, range?: Range, parsed?: HclDocument): TextEdit[] | undefined {
  const formatted = formatTerraform(text, parsed && parsed.text === text ? { parsed } : {});
  if (formatted === undefined) return undefined;
  if (formatted === text) return [];
  const before = splitKeepingBreaks(text);
  const after = splitKeepingBreaks(formatted);
  // Line positions; past the last line, the end of the file (a last line without newline is extended, not replaced).
  const last = before[before.length - 1] ?? '';
  const endOfFile = last.endsWith('\n') || before.length === 0 ? { line: before.length, character: 0 } : { line: before.length - 1, character: last.length };
  const at = (line: number) => (line < before.length ? { line, character: 0 } : endOfFile);
  return changedRuns(before, after)
    .filter((run) => !range || (run.start <= range.end.line && Math.max(run.end - 1, run.start) >= range.start.line))
    .map((run) => ({ range: { start: at(run.start), end: at(run.end) }, newText: run.lines.join('') }));
}
