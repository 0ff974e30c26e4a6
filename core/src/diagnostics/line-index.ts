import type { Position, Range } from './types.js';

/** Maps UTF-16 offsets of a text to LSP positions and back. */
export class LineIndex {
  private readonly lineStarts: number[];
  /** The line of the last lookup: parsers ask for nearby offsets, mostly in order. */
  private lastLine = 0;

  constructor(
    readonly text: string,
    lineStarts?: number[],
  ) {
    if (lineStarts) {
      this.lineStarts = lineStarts;
      return;
    }
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
  }

  /**
   * The index of `text`, which is this index's text with `[start, oldEnd)`
   * replaced: the lines before the edit are kept and those after it moved,
   * so only the inserted text is scanned.
   */
  edited(text: string, start: number, oldEnd: number): LineIndex {
    const delta = text.length - this.text.length;
    const newEnd = oldEnd + delta;
    const old = this.lineStarts;
    // A line start s follows the newline at s - 1: kept when that newline is before the edit, moved when after it.
    const kept = this.firstStartAfter(start);
    const moved = this.firstStartAfter(oldEnd);
    const inserted: number[] = [];
    for (let i = text.indexOf('\n', start); i !== -1 && i < newEnd; i = text.indexOf('\n', i + 1)) inserted.push(i + 1);
    const tail = old.slice(moved);
    if (delta !== 0) for (let i = 0; i < tail.length; i++) tail[i]! += delta;
    return new LineIndex(text, old.slice(0, kept).concat(inserted, tail));
  }

  /** The index of the first line that starts after `offset`. */
  private firstStartAfter(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.lineStarts[mid]! <= offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.lineStarts;
    const hint = this.lastLine;
    if (starts[hint]! <= clamped && (hint + 1 === starts.length || clamped < starts[hint + 1]!)) return { line: hint, character: clamped - starts[hint]! };
    if (hint + 1 < starts.length && starts[hint + 1]! <= clamped && (hint + 2 === starts.length || clamped < starts[hint + 2]!)) {
      this.lastLine = hint + 1;
      return { line: hint + 1, character: clamped - starts[hint + 1]! };
    }
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= clamped) low = mid;
      else high = mid - 1;
    }
    this.lastLine = low;
    return { line: low, character: clamped - this.lineStarts[low]! };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line]!;
    const next = position.line + 1 < this.lineStarts.length ? this.lineStarts[position.line + 1]! - 1 : this.text.length;
    return Math.min(start + Math.max(0, position.character), next);
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}
