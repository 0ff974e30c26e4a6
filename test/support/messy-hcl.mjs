// Rewrites the whitespace between the tokens of valid HCL at random (seeded),
// keeping it valid: indentation, spaces around operators and `=` signs, tabs.
// Strings, heredocs and comments are left exactly as written. A formatter must
// turn the result back into what `terraform fmt` gives.
import { tokenize } from '../../core/dist/index.js';

/** mulberry32: a small deterministic PRNG, so a failing case can be replayed. */
export function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = new Set(['Ident', 'NumberLit']);
const ends = (token) => token.start + token.text.length;
const lineEnd = (token) => token.type === 'Newline' || (token.type === 'Comment' && token.text.endsWith('\n')) || (token.type === 'StringLit' && token.text.endsWith('\n'));

export function messUp(source, next) {
  const tokens = tokenize(source);
  let out = '';
  let previous;
  for (const token of tokens) {
    const original = source.slice(previous ? ends(previous) : 0, token.start);
    // Inside templates and heredocs the text between tokens is content: keep it.
    const keep =
      token.type === 'Newline' ||
      ['CHeredoc', 'QuotedLit', 'CQuote', 'StringLit', 'QuotedNewline'].includes(token.type) ||
      (previous && ['OQuote', 'QuotedLit', 'OHeredoc', 'StringLit'].includes(previous.type)) ||
      (previous?.type === 'TemplateSeqEnd' && original === '');
    let space;
    const roll = next();
    if (keep) space = original;
    else if (!previous || lineEnd(previous)) space = roll < 0.3 ? '' : roll < 0.6 ? '\t' : ' '.repeat(Math.floor(next() * 7));
    else space = roll < 0.35 ? '' : roll < 0.7 ? ' ' : roll < 0.85 ? '   ' : '\t';
    // Never glue two words, two minus signs, a slash to a comment start, or a block comment to what follows.
    if (
      space === '' &&
      previous &&
      ((WORDS.has(previous.type) && WORDS.has(token.type)) ||
        (previous.type === 'Minus' && token.type === 'Minus') ||
        (previous.type === 'Slash' && ['Slash', 'Star'].includes(token.type)) ||
        previous.type === 'Comment')
    )
      space = ' ';
    out += space + token.text;
    previous = token;
  }
  return out + source.slice(previous ? ends(previous) : 0);
}
