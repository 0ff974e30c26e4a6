import { readFile, stat } from 'node:fs/promises';
import type { Diagnostic, Position, RuleCode } from '../diagnostics/types.js';
import '../hcl/rules.js';

/** Files larger than this are reported, not parsed, so every file is analysed in bounded time. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

export interface SourceText {
  /** The text to analyse, undefined when the file cannot be analysed at all. */
  text?: string;
  /** Problems with the file itself (size, encoding). */
  diagnostics: Diagnostic[];
}

const origin: Position = { line: 0, character: 0 };

function fileDiagnostic(code: RuleCode, message: string, at: Position = origin): Diagnostic {
  return { range: { start: at, end: at }, severity: 'error', code, source: 'shoreline', message };
}

/** Index of the first byte that breaks UTF-8, or -1 when the buffer is valid. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    const b1 = bytes[i + 1]!;
    if ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 > 0x9f) || (b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 > 0x8f)) return i;
    i += length;
  }
  return -1;
}

function positionAfter(text: string): Position {
  const lines = text.split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}

/** Turns bytes into analysable text, reporting binary content and invalid UTF-8 with positions. */
function tooLarge(size: number): SourceText {
  return { diagnostics: [fileDiagnostic('file/too-large', `the file is ${(size / 1048576).toFixed(1)} MiB; Shoreline analyses files up to ${MAX_FILE_BYTES / 1048576} MiB`)] };
}

export function decodeSource(bytes: Uint8Array): SourceText {
  if (bytes.length > MAX_FILE_BYTES) return tooLarge(bytes.length);
  const nul = bytes.subarray(0, 8192).indexOf(0);
  if (nul !== -1) return { diagnostics: [fileDiagnostic('file/binary', `the file is binary (a NUL byte at offset ${nul}), not a text configuration`)] };
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  const invalid = firstInvalidUtf8(body);
  const text = new TextDecoder('utf-8').decode(body);
  if (invalid === -1) return { text, diagnostics: [] };
  const at = positionAfter(new TextDecoder('utf-8').decode(body.subarray(0, invalid)));
  return {
    text,
    diagnostics: [
      fileDiagnostic(
        'file/invalid-utf8',
        `the file is not valid UTF-8: byte 0x${body[invalid]!.toString(16).padStart(2, '0')} at line ${at.line + 1}; save it as UTF-8 (invalid bytes were read as U+FFFD)`,
        at,
      ),
    ],
  };
}

/** Reads a source file without loading oversized files into memory. */
export async function readSource(path: string): Promise<SourceText> {
  const info = await stat(path);
  if (info.size > MAX_FILE_BYTES) return tooLarge(info.size);
  return decodeSource(await readFile(path));
}
