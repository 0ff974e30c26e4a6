/** Edit distance (insertions, deletions, substitutions, adjacent swaps). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The closest candidate within a small distance, for "did you mean" hints.
 * Ties go to the first in code-point order, so the answer does not depend on
 * the order candidates come in (an edited module lists them in another).
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const threshold = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance > threshold) continue;
    if (best === undefined || distance < bestDistance || (distance === bestDistance && candidate < best)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** The did-you-mean hint alone, for messages whose range is not the word (no fix can be placed). */
export const didYouMean = (word: string, candidates: Iterable<string>): string => suggest(word, candidates).hint;

/**
 * The did-you-mean hint for a message and, with it, the quick fix that
 * writes the suggestion in place of the finding's range: every "did you
 * mean" comes with its fix (spread `fix` into the finding).
 */
export function suggest(word: string, candidates: Iterable<string>): { hint: string; fix: { replacement?: string; fixTitle?: string } } {
  const suggestion = closest(word, candidates);
  return suggestion ? { hint: `; did you mean '${suggestion}'?`, fix: { replacement: suggestion, fixTitle: `Change to ${suggestion}` } } : { hint: '', fix: {} };
}
