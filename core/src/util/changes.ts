/**
 * What changed from one list to the next, as the differing middle: lists that
 * keep most of their items in order (a module's blocks or records across an
 * edit) differ in a small window, found by comparing items as objects from
 * both ends. Items that only moved count as removed and added.
 */
export function changedWindow<T>(before: readonly T[], after: readonly T[]): { removed: T[]; added: T[] } {
  const shortest = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shortest && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < shortest - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  return { removed: before.slice(prefix, before.length - suffix), added: after.slice(prefix, after.length - suffix) };
}
